"""Statutory due dates (shared/domain/reference.md section 4), all counted in
England-and-Wales working days where the rule is in working days, and in calendar months or
weeks where it is in those. A date counted in months or weeks that lands on a weekend or a
bank holiday is brought back to the working day before it: that is the day to hold the
meeting or make the visit by. Local standards come from settings."""

import calendar
from datetime import date, timedelta

from django.conf import settings

from safehub.core.workdays import add_working_days, last_working_day_on_or_before

ASSESSMENT_WORKING_DAYS = 45  # from the referral
ICPC_WORKING_DAYS = 15  # from the strategy discussion that started the s47
FIRST_CORE_GROUP_WORKING_DAYS = 10  # from the ICPC
CARE_PLAN_WORKING_DAYS = 10  # from becoming looked after (CPPCR reg 4)
PLACEMENT_PLAN_WORKING_DAYS = 5  # from the placement starting (CPPCR reg 9)
FIRST_CARE_REVIEW_WORKING_DAYS = 20  # CPPCR reg 33
FIRST_CARE_VISIT_DAYS = 7  # CPPCR reg 28: within a week of any placement
CARE_VISIT_WEEKS_FIRST_YEAR = 6


def add_months(start: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month = start.month - 1 + months
    year, month = start.year + month // 12, month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _hold_by(day: date) -> date:
    return last_working_day_on_or_before(day)


def assessment_due(referral_date: date) -> date:
    return add_working_days(referral_date, ASSESSMENT_WORKING_DAYS)


def icpc_due(strategy_date: date) -> date:
    return add_working_days(strategy_date, ICPC_WORKING_DAYS)


def first_core_group_due(icpc_date: date) -> date:
    return add_working_days(icpc_date, FIRST_CORE_GROUP_WORKING_DAYS)


def cp_review_due(previous: date, *, first: bool) -> date:
    """First review within 3 months of the ICPC, then at most every 6 months."""
    return _hold_by(add_months(previous, 3 if first else 6))


def strategy_discussion_due(decided_on: date) -> date:
    """A MASH decision to hold a strategy discussion: the council's timescale, counted in
    working days after the decision."""
    return add_working_days(decided_on, settings.STRATEGY_DISCUSSION_WORKING_DAYS)


def cp_visit_due(last_visit: date) -> date:
    return add_working_days(last_visit, settings.CP_VISIT_WORKING_DAYS)


def cin_visit_due(last_visit: date) -> date:
    return add_working_days(last_visit, settings.CIN_VISIT_WORKING_DAYS)


def care_visit_due(last_visit: date, placement_start: date) -> date:
    """Regulation 28 standard: within a week of a placement starting, then at most every
    six weeks in the placement's first year, then at most every three months."""
    if last_visit < placement_start:
        return _hold_by(placement_start + timedelta(days=FIRST_CARE_VISIT_DAYS))
    in_first_year = last_visit < add_months(placement_start, 12)
    return _hold_by(
        last_visit + timedelta(weeks=CARE_VISIT_WEEKS_FIRST_YEAR)
        if in_first_year
        else add_months(last_visit, 3)
    )


def care_plan_due(start: date) -> date:
    return add_working_days(start, CARE_PLAN_WORKING_DAYS)


def placement_plan_due(placement_start: date) -> date:
    return add_working_days(placement_start, PLACEMENT_PLAN_WORKING_DAYS)


def care_review_due(previous: date, *, number: int) -> date:
    """Review 1 within 20 working days of coming into care; review 2 within 3 months of
    the first; later reviews at most 6 months apart."""
    if number == 1:
        return add_working_days(previous, FIRST_CARE_REVIEW_WORKING_DAYS)
    return _hold_by(add_months(previous, 3 if number == 2 else 6))


def cin_plan_review_due(previous: date, *, first: bool) -> date:
    """Local standard: the first review within 3 months, then every 6 months."""
    return _hold_by(add_months(previous, 3 if first else 6))


# Health and education of children in care (reference section 4; statutory guidance on the
# health of looked-after children and on personal education plans).
INITIAL_HEALTH_WORKING_DAYS = 20  # from becoming looked after: in time for the first review
FIRST_PEP_WORKING_DAYS = 20  # school days, counted here as working days
PEP_REVIEW_MONTHS = 4  # reviewed each term: three terms a year
HEALTH_REVIEW_MONTHS_UNDER_FIVE = 6
HEALTH_REVIEW_MONTHS_FROM_FIVE = 12


def initial_health_assessment_due(start: date) -> date:
    return add_working_days(start, INITIAL_HEALTH_WORKING_DAYS)


def review_health_assessment_due(last: date, *, born: date | None) -> date:
    """Six-monthly while the child is under five on the day of the last assessment, then
    yearly; held by the working day on or before."""
    under_five = born is not None and add_months(born, 60) > last
    months = HEALTH_REVIEW_MONTHS_UNDER_FIVE if under_five else HEALTH_REVIEW_MONTHS_FROM_FIVE
    return _hold_by(add_months(last, months))


def education_plan_due(previous: date, *, first: bool) -> date:
    if first:
        return add_working_days(previous, FIRST_PEP_WORKING_DAYS)
    return _hold_by(add_months(previous, PEP_REVIEW_MONTHS))
