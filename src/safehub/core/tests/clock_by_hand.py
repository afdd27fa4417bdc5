"""The statutory clocks counted by hand, to check the product's against: England-and-Wales
bank holidays typed in from the published lists (not from a package), and every count a
plain walk one calendar day at a time. Nothing here imports the product's calendar."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# England and Wales, as GOV.UK publishes them; substitute days where the day itself falls at
# a weekend (Boxing Day 2026, Christmas and Boxing Day 2027, New Year's Day 2028).
_TYPED_IN = """
    2024-01-01 2024-03-29 2024-04-01 2024-05-06 2024-05-27 2024-08-26 2024-12-25 2024-12-26
    2025-01-01 2025-04-18 2025-04-21 2025-05-05 2025-05-26 2025-08-25 2025-12-25 2025-12-26
    2026-01-01 2026-04-03 2026-04-06 2026-05-04 2026-05-25 2026-08-31 2026-12-25 2026-12-28
    2027-01-01 2027-03-26 2027-03-29 2027-05-03 2027-05-31 2027-08-30 2027-12-27 2027-12-28
    2028-01-03 2028-04-14 2028-04-17 2028-05-01 2028-05-29 2028-08-28 2028-12-25 2028-12-26
    2029-01-01 2029-03-30 2029-04-02 2029-05-07 2029-05-28 2029-08-27 2029-12-25 2029-12-26
"""
BANK_HOLIDAYS = frozenset(date.fromisoformat(day) for day in _TYPED_IN.split())
FIRST_YEAR, LAST_YEAR = 2024, 2029


def working(day: date) -> bool:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"no bank holidays typed in for {day.year}")
    return day.weekday() < 5 and day not in BANK_HOLIDAYS


def working_days_after(start: date, count: int) -> date:
    """Walk forward from `start` (whatever day it is) until `count` working days have
    passed; the day the walk stops on."""
    day, seen = start, 0
    while seen < count:
        day += timedelta(days=1)
        seen += working(day)
    return day


def on_or_before(day: date) -> date:
    """The last working day on or before `day`."""
    while not working(day):
        day -= timedelta(days=1)
    return day


def months_after(start: date, months: int) -> date:
    """The same day of the month `months` later; the last day of that month if it has no
    such day (31 January + 1 month is the 28th or 29th of February)."""
    total = start.year * 12 + start.month - 1 + months
    year, month = divmod(total, 12)
    day = start.day
    while True:
        try:
            return date(year, month + 1, day)
        except ValueError:
            day -= 1


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=LONDON)


def contact_decision_due(received: datetime, urgency: str, hours: int = 2) -> datetime:
    """Immediate: `hours` of real time later; urgent: the end of the London day it came in;
    otherwise the end of the next working day after the London day it came in."""
    if urgency == "immediate":  # in UTC: a London time in the autumn's repeated hour never
        return received.astimezone(UTC) + timedelta(hours=hours)  # compares equal (PEP 495)
    local_day = received.astimezone(LONDON).date()
    if urgency == "urgent":
        return end_of(local_day)
    return end_of(working_days_after(local_day, 1))
