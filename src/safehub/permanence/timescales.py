"""The court clocks. Care and supervision proceedings are to end within 26 weeks beginning
with the day the application was issued (Children Act 1989 s.32(1)(a)(ii), as the Children
and Families Act 2014 s.14 made it); the court may extend the timetable by up to eight
weeks at a time (s.32(5)-(8)), each time for a reason. Courts sit on working days, so a
clock that ends on a weekend or bank holiday is held to the working day before, like every
other clock in `casework.timescales`."""

from datetime import date, timedelta

from safehub.core.workdays import last_working_day_on_or_before

TIMETABLE_WEEKS = 26
EXTENSION_WEEKS = 8


def timetable_end(issued_on: date) -> date:
    """The last day of the 26 weeks that begin on the day of issue."""
    return last_working_day_on_or_before(issued_on + timedelta(weeks=TIMETABLE_WEEKS, days=-1))


def latest_extension(current_end: date) -> date:
    """The furthest one extension may reach: eight weeks after the current end."""
    return current_end + timedelta(weeks=EXTENSION_WEEKS)


def week_of_timetable(issued_on: date, today: date) -> int:
    """Week 1 begins on the day of issue."""
    return (today - issued_on).days // 7 + 1
