"""Working days in England and Wales: weekends and bank holidays are not working days.

Statutory timescales (decision within 1 working day, assessment within 45, ICPC within 15)
are counted here. Bank holidays come from the GOV.UK feed bundled with
`govuk-bank-holidays` for the years it covers (including one-off days such as a state
funeral). Years outside the feed, which is published only a couple of years ahead, follow
the standing rules as the `holidays` package computes them, so a plan reviewed six months
after the feed ends is still counted correctly. Nothing is fetched at run time.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from govuk_bank_holidays.bank_holidays import BankHolidays

LONDON = ZoneInfo("Europe/London")


@cache
def _govuk_feed() -> dict[int, frozenset[date]]:
    calendar = BankHolidays(use_cached_holidays=True)
    by_year: dict[int, set[date]] = defaultdict(set)
    for holiday in calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES):
        by_year[holiday["date"].year].add(holiday["date"])
    return {year: frozenset(days) for year, days in by_year.items()}


@cache
def bank_holidays_in(year: int) -> frozenset[date]:
    """England-and-Wales bank holidays in `year`: the GOV.UK list where it covers the year,
    otherwise the standing rules (England's holidays are Wales's too)."""
    feed = _govuk_feed()
    if min(feed) <= year <= max(feed):
        return feed.get(year, frozenset())
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays_in(day.year)


def next_working_day(day: date) -> date:
    """The first working day strictly after `day`."""
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself is day 0)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    for _ in range(days):
        current = next_working_day(current)
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def last_working_day_on_or_before(day: date) -> date:
    """`day` itself if it is a working day, otherwise the working day before it: the date to
    hold something by when a clock counted in months or weeks ends on a weekend or holiday."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def end_of_day(day: date) -> datetime:
    """The last second (23:59:59) of `day` in London."""
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


def due_by_end_of_working_day(received: datetime, working_days: int) -> datetime:
    """A deadline at the close (23:59:59 London time) of the Nth working day after receipt.

    The days are counted after the day of receipt, whatever day that was: a contact received
    on a Saturday, a Sunday or a bank holiday with one working day to run is due by the end
    of the next working day, not the one after. With no working days to run the deadline is
    the end of the first working day on or after receipt.
    """
    local = received.astimezone(LONDON).date()
    if working_days == 0:
        due = local if is_working_day(local) else next_working_day(local)
    else:
        due = add_working_days(local, working_days)
    return end_of_day(due)
