"""Leaving-care clocks, in calendar months held back to a working day like the rest of
`casework.timescales`. The pathway plan is reviewed at least every six months (Care
Leavers (England) Regulations 2010). The 903 OC3 birthday information is about the young
person around the birthday: from three months before it to one month after it."""

from datetime import date

from safehub.casework.timescales import add_months
from safehub.core.workdays import last_working_day_on_or_before

PATHWAY_REVIEW_MONTHS = 6
WINDOW_MONTHS_BEFORE, WINDOW_MONTHS_AFTER = 3, 1


def pathway_review_due(plan_date: date) -> date:
    return last_working_day_on_or_before(add_months(plan_date, PATHWAY_REVIEW_MONTHS))


def birthday_window(day: date) -> tuple[date, date]:
    """The first and last days the birthday record may be about."""
    return add_months(day, -WINDOW_MONTHS_BEFORE), add_months(day, WINDOW_MONTHS_AFTER)


def birthday_record_due(day: date) -> date:
    return last_working_day_on_or_before(birthday_window(day)[1])
