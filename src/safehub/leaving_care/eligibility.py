"""Who is a care leaver, worked out from the periods of care (ADR 0030).

The Children (Leaving Care) Act 2000 and the Care Leavers (England) Regulations 2010:

- **eligible**: 16 or 17, looked after now, and looked after for at least 13 weeks in all
  since the 14th birthday, some of it after the 16th birthday;
- **relevant**: 16 or 17, no longer looked after, and was eligible when care ended;
- **former relevant**: 18 to 21 (to 25 if they ask for support), and was eligible or
  relevant before 18;
- **qualifying**: 16 to 21 (to 25 on request), looked after at some time after the 16th
  birthday but not long enough to be eligible.

The 13 weeks count the days looked after from the 14th birthday to the 18th (or to the day
asked about, if sooner); a series of pre-planned short breaks (legal status V3 or V4) does
not count. The same history decides who is in the 903 OC3 rows: the former relevant (and
relevant) young people, whose care ended on or after their 16th birthday."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from safehub.leaving_care.codes import Category

THIRTEEN_WEEKS = 13 * 7
SHORT_BREAKS = frozenset({"V3", "V4"})
FIRST_BIRTHDAY_RECORD, LAST_BIRTHDAY_RECORD, LAST_ON_REQUEST = 17, 21, 25


@dataclass(frozen=True)
class Spell:
    """A stretch of being looked after: one 903 episode (end None while it lasts; the end
    date is the day care or the episode stopped, not a day in care)."""

    start: date
    end: date | None


def birthday(dob: date, age: int) -> date:
    """The day someone turns `age`. A 29 February birthday falls on 1 March in other years,
    as the law of England counts it."""
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:
        return date(dob.year + age, 3, 1)


def age_on(dob: date, day: date) -> int:
    years = day.year - dob.year
    return years if day >= birthday(dob, years) else years - 1


def spells(episodes: Iterable[tuple[date, date | None, str]]) -> list[Spell]:
    """Spells from (start, end, legal status) rows, short breaks left out."""
    return [Spell(start, end) for start, end, status in episodes if status not in SHORT_BREAKS]


def days_looked_after(history: list[Spell], start: date, end: date) -> int:
    """Days looked after from `start` up to (not including) `end`."""
    total = 0
    for spell in history:
        first = max(spell.start, start)
        last = min(spell.end or end, end)
        total += max((last - first).days, 0)
    return total


def looked_after_on(history: list[Spell], day: date) -> bool:
    return any(s.start <= day and (s.end is None or day < s.end) for s in history)


def met_thirteen_weeks(dob: date, history: list[Spell], by: date) -> bool:
    """Looked after for 13 weeks since the 14th birthday (counted up to and including `by`,
    or to the 18th birthday if sooner), some of it on or after the 16th."""
    until = min(by + timedelta(days=1), birthday(dob, 18))
    sixteen = birthday(dob, 16)
    return (
        days_looked_after(history, birthday(dob, 14), until) >= THIRTEEN_WEEKS
        and days_looked_after(history, sixteen, until) > 0
    )


def looked_after_after_sixteen(dob: date, history: list[Spell], by: date) -> bool:
    until = min(by + timedelta(days=1), birthday(dob, 18))
    return days_looked_after(history, birthday(dob, 16), until) > 0


def category_on(
    dob: date, history: list[Spell], on: date, *, support_to_25: bool = False
) -> Category | None:
    """The young person's leaving-care category on `on`, or None if they have none."""
    age = age_on(dob, on)
    last = LAST_ON_REQUEST if support_to_25 else LAST_BIRTHDAY_RECORD
    if age < 16 or age >= last:
        return None
    eligible_history = met_thirteen_weeks(dob, history, on)
    if age < 18:
        if looked_after_on(history, on):
            return Category.ELIGIBLE if eligible_history else None
        if eligible_history:
            return Category.RELEVANT
    elif eligible_history:
        return Category.FORMER_RELEVANT
    if looked_after_after_sixteen(dob, history, on):
        return Category.QUALIFYING
    return None


def has_birthday_record_at(dob: date, history: list[Spell], age: int) -> bool:
    """Whether the 903 OC3 asks about this birthday: a care leaver with the 13 weeks
    (relevant or former relevant) who is no longer looked after on the birthday."""
    day = birthday(dob, age)
    return met_thirteen_weeks(dob, history, day) and not looked_after_on(history, day)
