"""The roll-up arithmetic: an area's score from its items' grades, the overall score from
the areas' scores, by the rule the template names. Pure functions, no database."""

from collections.abc import Sequence

from safehub.neglect.models import RollUp


def roll_up(grades: Sequence[int], rule: str) -> int:
    """`mean`: the mean rounded to the nearest whole grade, halves up (2.5 is 3: a profile
    on the cusp is read as the more worrying grade); `max`: the highest grade."""
    if not grades:
        raise ValueError("Nothing to roll up")
    if rule == RollUp.MAX:
        return max(grades)
    if rule == RollUp.MEAN:
        # floor(mean + 1/2) in whole numbers, so no floating-point or banker's rounding.
        return (2 * sum(grades) + len(grades)) // (2 * len(grades))
    raise ValueError(f"Unknown roll-up rule {rule!r}")


def profile_scores(
    grades_by_area: dict[int, list[int]], *, area_rule: str, overall_rule: str
) -> tuple[dict[int, int], int]:
    """Each area's score (area id to score) and the overall score."""
    areas = {area_id: roll_up(grades, area_rule) for area_id, grades in grades_by_area.items()}
    return areas, roll_up(list(areas.values()), overall_rule)
