"""The roll-up arithmetic: means rounded to the nearest grade, halves up; or the highest."""

import pytest

from safehub.neglect.scores import profile_scores, roll_up


@pytest.mark.parametrize(
    ("grades", "mean", "highest"),
    [
        ([3], 3, 3),
        ([2, 3], 3, 3),  # 2.5 rounds up, not to the even 2
        ([1, 2], 2, 2),  # 1.5 rounds up
        ([1, 1, 2], 1, 2),  # 1.33
        ([1, 2, 2], 2, 2),  # 1.67
        ([1, 1, 1, 5], 2, 5),  # exactly 2
        ([4, 5], 5, 5),  # 4.5
        ([1, 5, 5, 5, 5, 5, 5], 4, 5),  # 4.43
    ],
)
def test_roll_up(grades: list[int], mean: int, highest: int) -> None:
    assert roll_up(grades, "mean") == mean
    assert roll_up(grades, "max") == highest


def test_overall_rolls_up_the_area_scores_not_the_items() -> None:
    # Area 1: 1,1,1 -> 1; area 2: 4 -> 4. The areas' mean is 2.5 -> 3, although the mean of
    # all four items would be 1.75 -> 2.
    areas, overall = profile_scores({1: [1, 1, 1], 2: [4]}, area_rule="mean", overall_rule="mean")
    assert areas == {1: 1, 2: 4}
    assert overall == 3
    assert profile_scores({1: [1, 1, 1], 2: [4]}, area_rule="mean", overall_rule="max")[1] == 4


def test_an_unknown_rule_or_nothing_to_roll_up_is_an_error() -> None:
    with pytest.raises(ValueError, match="Unknown roll-up rule"):
        roll_up([1], "median")
    with pytest.raises(ValueError, match="Nothing to roll up"):
        roll_up([], "mean")
