"""Statutory clocks across weekends, bank holidays, month ends and the year end."""

from datetime import date

import pytest
from django.test import override_settings

from safehub.casework import timescales as due


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # a short month keeps its last day
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # across the year end
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2026, 5, 15), 6, date(2026, 11, 15)),
    ],
)
def test_add_months(start: date, months: int, expected: date) -> None:
    assert due.add_months(start, months) == expected


def test_assessment_clock_across_christmas_and_new_year() -> None:
    # Referral Monday 1 December 2025; 25, 26 December and 1 January are bank holidays.
    assert due.assessment_due(date(2025, 12, 1)) == date(2026, 2, 5)


def test_icpc_clock_from_a_friday_strategy_discussion() -> None:
    # Friday 22 May 2026, before the spring bank holiday (Monday 25 May).
    assert due.icpc_due(date(2026, 5, 22)) == date(2026, 6, 15)


def test_first_core_group_across_the_august_bank_holiday() -> None:
    assert due.first_core_group_due(date(2026, 8, 21)) == date(2026, 9, 7)


def test_cp_reviews_three_then_six_months_held_by_the_working_day_before_a_weekend() -> None:
    icpc = date(2026, 11, 30)
    # Three months is Sunday 28 February 2027: held by Friday 26 February.
    assert due.cp_review_due(icpc, first=True) == date(2027, 2, 26)
    # Six months from a review held on Friday 26 February 2027 is Thursday 26 August.
    assert due.cp_review_due(date(2027, 2, 26), first=False) == date(2027, 8, 26)
    # Six months from Sunday 28 February is Saturday 28 August: held by Friday 27 August.
    assert due.cp_review_due(date(2027, 2, 28), first=False) == date(2027, 8, 27)


@override_settings(CP_VISIT_WORKING_DAYS=15)
def test_cp_visit_standard_is_the_councils_setting() -> None:
    assert due.cp_visit_due(date(2026, 11, 23)) == date(2026, 12, 14)


def test_care_visits_follow_regulation_28() -> None:
    placed = date(2026, 3, 2)
    assert due.care_visit_due(date.min, placed) == date(2026, 3, 9)  # within a week
    assert due.care_visit_due(date(2026, 3, 9), placed) == date(2026, 4, 20)  # six weeks
    # After the placement's first year: at most every three months.
    assert due.care_visit_due(date(2027, 3, 10), placed) == date(2027, 6, 10)


def test_care_reviews_twenty_working_days_then_three_then_six_months() -> None:
    became_looked_after = date(2026, 12, 14)
    first = due.care_review_due(became_looked_after, number=1)
    assert first == date(2027, 1, 14)  # 20 working days across Christmas and New Year
    assert due.care_review_due(first, number=2) == date(2027, 4, 14)
    assert due.care_review_due(date(2027, 4, 14), number=3) == date(2027, 10, 14)


def test_care_plan_within_ten_working_days() -> None:
    assert due.care_plan_due(date(2026, 4, 1)) == date(2026, 4, 17)  # Easter 3-6 April
