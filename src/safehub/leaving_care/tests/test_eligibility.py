"""The leaving-care categories and the OC3's question, from the periods of care: each
boundary of the Children (Leaving Care) Act 2000 rule, both sides of it."""

from datetime import date, timedelta

from safehub.leaving_care.codes import Category
from safehub.leaving_care.eligibility import (
    Spell,
    age_on,
    birthday,
    category_on,
    has_birthday_record_at,
    met_thirteen_weeks,
    spells,
)

DOB = date(2008, 6, 10)
FOURTEEN, SIXTEEN, EIGHTEEN = (birthday(DOB, a) for a in (14, 16, 18))


def _weeks(start: date, weeks: int, extra_days: int = 0) -> Spell:
    return Spell(start, start + timedelta(weeks=weeks, days=extra_days))


def test_a_29_february_birthday_falls_on_1_march() -> None:
    leap = date(2008, 2, 29)
    assert birthday(leap, 17) == date(2025, 3, 1)
    assert birthday(leap, 16) == date(2024, 2, 29)
    assert age_on(leap, date(2025, 2, 28)) == 16
    assert age_on(leap, date(2025, 3, 1)) == 17


def test_thirteen_weeks_after_14_with_some_after_16() -> None:
    # 13 weeks, the last day after the 16th birthday: met. One day short: not met.
    ends_after_16 = [
        Spell(SIXTEEN - timedelta(weeks=13) + timedelta(days=1), SIXTEEN + timedelta(days=1))
    ]
    assert met_thirteen_weeks(DOB, ends_after_16, EIGHTEEN)
    short = [Spell(SIXTEEN - timedelta(days=89), SIXTEEN + timedelta(days=1))]
    assert not met_thirteen_weeks(DOB, short, EIGHTEEN)
    # A year in care between 14 and 15 and nothing after 16: not met.
    assert not met_thirteen_weeks(DOB, [_weeks(FOURTEEN, 52)], EIGHTEEN)
    # Care before the 14th birthday does not count towards the 13 weeks.
    before = [Spell(FOURTEEN - timedelta(weeks=20), FOURTEEN), _weeks(SIXTEEN, 4)]
    assert not met_thirteen_weeks(DOB, before, EIGHTEEN)
    # Two spells add up.
    assert met_thirteen_weeks(DOB, [_weeks(FOURTEEN, 10), _weeks(SIXTEEN, 3)], EIGHTEEN)


def test_short_breaks_do_not_count() -> None:
    rows = [(FOURTEEN, SIXTEEN + timedelta(days=30), "V3")]
    assert spells(rows) == []
    assert met_thirteen_weeks(
        DOB, spells([(FOURTEEN, SIXTEEN + timedelta(days=30), "C2")]), EIGHTEEN
    )


def test_the_categories_through_the_years() -> None:
    history = [Spell(FOURTEEN + timedelta(days=100), SIXTEEN + timedelta(days=200))]
    assert category_on(DOB, history, SIXTEEN - timedelta(days=1)) is None  # under 16
    assert category_on(DOB, history, SIXTEEN + timedelta(days=10)) == Category.ELIGIBLE
    assert category_on(DOB, history, SIXTEEN + timedelta(days=300)) == Category.RELEVANT
    assert category_on(DOB, history, EIGHTEEN) == Category.FORMER_RELEVANT
    assert (
        category_on(DOB, history, birthday(DOB, 21) - timedelta(days=1)) == Category.FORMER_RELEVANT
    )
    assert category_on(DOB, history, birthday(DOB, 21)) is None
    assert (
        category_on(DOB, history, birthday(DOB, 24), support_to_25=True) == Category.FORMER_RELEVANT
    )
    assert category_on(DOB, history, birthday(DOB, 25), support_to_25=True) is None


def test_looked_after_after_16_but_not_long_enough_is_qualifying() -> None:
    brief = [_weeks(SIXTEEN + timedelta(days=30), 6)]
    assert category_on(DOB, brief, SIXTEEN + timedelta(days=40)) is None  # in care, not eligible
    assert category_on(DOB, brief, SIXTEEN + timedelta(days=200)) == Category.QUALIFYING
    assert category_on(DOB, brief, birthday(DOB, 19)) == Category.QUALIFYING
    never = [_weeks(FOURTEEN, 30)]  # left care before 16
    assert category_on(DOB, never, birthday(DOB, 17)) is None


def test_the_oc3_asks_about_care_leavers_who_left_with_the_13_weeks() -> None:
    left_at_16 = [Spell(FOURTEEN, SIXTEEN + timedelta(days=60))]
    assert has_birthday_record_at(DOB, left_at_16, 17)
    assert has_birthday_record_at(DOB, left_at_16, 21)
    still_in_care = [Spell(FOURTEEN, None)]
    assert not has_birthday_record_at(DOB, still_in_care, 17)  # looked after on the birthday
    assert has_birthday_record_at(DOB, [Spell(FOURTEEN, EIGHTEEN)], 18)
    assert not has_birthday_record_at(DOB, [_weeks(SIXTEEN, 6)], 17)  # qualifying only
