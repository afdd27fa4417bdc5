"""Every statutory clock against the same clock counted by hand (`clock_by_hand`: bank
holidays typed in, one calendar day at a time), for every start day from 2025 to 2028:
weekends, Christmas and New Year, Easter, both May bank holidays, the August one, and the
leap day. A few known answers pin the hand count itself."""

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import override_settings

from safehub.casework import timescales as due
from safehub.core.tests import clock_by_hand as hand
from safehub.core.workdays import last_working_day_on_or_before

EVERY_DAY = [date(2025, 1, 1) + timedelta(days=n) for n in range(4 * 365 + 1)]  # to 2028-12-31


def test_the_hand_count_itself_gives_the_known_answers() -> None:
    # Thursday before Easter 2026: Good Friday and Easter Monday fall out.
    assert hand.working_days_after(date(2026, 4, 2), 1) == date(2026, 4, 7)
    # Saturday 28 February 2026, one working day: Monday 2 March.
    assert hand.working_days_after(date(2026, 2, 28), 1) == date(2026, 3, 2)
    # Easter Monday 17 April 2028 falls back past Good Friday to Thursday 13 April.
    assert hand.on_or_before(date(2028, 4, 17)) == date(2028, 4, 13)
    assert hand.months_after(date(2027, 11, 29), 3) == date(2028, 2, 29)  # leap day
    assert hand.months_after(date(2028, 2, 29), 12) == date(2029, 2, 28)


@pytest.mark.parametrize(
    ("clock", "working_days"),
    [
        (due.assessment_due, 45),
        (due.icpc_due, 15),
        (due.first_core_group_due, 10),
        (due.care_plan_due, 10),
        (lambda day: due.care_review_due(day, number=1), 20),
    ],
    ids=["assessment", "icpc", "first-core-group", "care-plan", "first-care-review"],
)
def test_working_day_clocks_agree_with_the_hand_count_from_every_day(
    clock: Callable[[date], date], working_days: int
) -> None:
    wrong = [
        (start, clock(start), hand.working_days_after(start, working_days))
        for start in EVERY_DAY
        if clock(start) != hand.working_days_after(start, working_days)
    ]
    assert wrong == []


@override_settings(STRATEGY_DISCUSSION_WORKING_DAYS=1, CP_VISIT_WORKING_DAYS=10)
def test_local_working_day_clocks_agree_with_the_hand_count() -> None:
    for start in EVERY_DAY:
        assert due.strategy_discussion_due(start) == hand.working_days_after(start, 1), start
        assert due.cp_visit_due(start) == hand.working_days_after(start, 10), start


@pytest.mark.parametrize(
    ("clock", "months"),
    [
        (lambda day: due.cp_review_due(day, first=True), 3),
        (lambda day: due.cp_review_due(day, first=False), 6),
        (lambda day: due.cin_plan_review_due(day, first=True), 3),
        (lambda day: due.cin_plan_review_due(day, first=False), 6),
        (lambda day: due.care_review_due(day, number=2), 3),
        (lambda day: due.care_review_due(day, number=3), 6),
    ],
    ids=["cp-first", "cp-next", "cin-first", "cin-next", "care-second", "care-later"],
)
def test_clocks_counted_in_months_are_held_by_the_last_working_day_on_or_before(
    clock: Callable[[date], date], months: int
) -> None:
    wrong = [
        (start, clock(start))
        for start in EVERY_DAY
        if clock(start) != hand.on_or_before(hand.months_after(start, months))
    ]
    assert wrong == []


def test_care_visits_in_weeks_and_months_are_held_by_a_working_day() -> None:
    placed = date(2026, 3, 2)
    for start in EVERY_DAY:
        if start < placed:
            continue
        # Within a week of a placement starting; six-weekly in its first year; then three-monthly.
        assert due.care_visit_due(date.min, start) == hand.on_or_before(start + timedelta(days=7))
        expected = (
            start + timedelta(weeks=6)
            if start < hand.months_after(placed, 12)
            else hand.months_after(start, 3)
        )
        assert due.care_visit_due(start, placed) == hand.on_or_before(expected), start


@pytest.mark.parametrize(
    ("counted", "held_by"),
    [
        (date(2028, 4, 17), date(2028, 4, 13)),  # Easter Monday, after Good Friday: Thursday
        (date(2027, 2, 28), date(2027, 2, 26)),  # a Sunday: the Friday
        (date(2026, 12, 26), date(2026, 12, 24)),  # Boxing Day Saturday: Christmas Eve
        (date(2026, 12, 28), date(2026, 12, 24)),  # the substitute Boxing Day Monday too
        (date(2028, 1, 1), date(2027, 12, 31)),  # New Year's Day on a Saturday
        (date(2028, 5, 29), date(2028, 5, 26)),  # spring bank holiday
        (date(2028, 5, 1), date(2028, 4, 28)),  # early May bank holiday
        (date(2028, 2, 29), date(2028, 2, 29)),  # the leap day is a Tuesday: itself
    ],
)
def test_the_day_to_hold_it_by(counted: date, held_by: date) -> None:
    assert last_working_day_on_or_before(counted) == held_by == hand.on_or_before(counted)


def test_a_first_cp_review_due_on_easter_monday_is_held_by_the_thursday_before() -> None:
    # ICPC on Monday 17 January 2028: three months on is Easter Monday 17 April 2028.
    assert due.cp_review_due(date(2028, 1, 17), first=True) == date(2028, 4, 13)


def test_a_review_three_months_after_the_end_of_november_2027_is_the_leap_day() -> None:
    assert due.cp_review_due(date(2027, 11, 29), first=True) == date(2028, 2, 29)
    assert due.cin_plan_review_due(date(2027, 11, 30), first=True) == date(2028, 2, 29)
