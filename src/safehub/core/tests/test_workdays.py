"""Statutory timescales count working days in England and Wales: no weekends, no bank
holidays, and the day boundary is London's, not UTC's."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.core.workdays import (
    LONDON,
    add_working_days,
    due_by_end_of_working_day,
    is_working_day,
    next_working_day,
    working_days_between,
)


def end_of(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 23, 59, 59, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2026, 1, 1), "New Year's Day"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 6), "Easter Monday"),
        (date(2026, 5, 4), "Early May bank holiday"),
        (date(2026, 5, 25), "Spring bank holiday"),
        (date(2026, 8, 31), "Summer bank holiday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 28), "Boxing Day (substitute day: the 26th is a Saturday)"),
        (date(2027, 1, 1), "New Year's Day"),
        (date(2020, 5, 8), "Early May bank holiday moved to VE Day"),
    ],
)
def test_bank_holidays_in_england_and_wales_are_not_working_days(day, holiday):
    assert day.weekday() < 5, (
        f"{holiday} falls on a weekday, so only the holiday list can make it a non-working day"
    )
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [date(2026, 5, 23), date(2026, 5, 24), date(2026, 12, 26), date(2027, 1, 2), date(2027, 1, 3)],
)
def test_saturdays_and_sundays_are_not_working_days(day):
    assert day.weekday() >= 5
    assert not is_working_day(day)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 5, 22),
        date(2026, 5, 26),
        date(2026, 12, 24),
        date(2026, 12, 29),
        date(2027, 1, 4),
        date(2026, 4, 7),
    ],
)
def test_ordinary_weekdays_around_the_holidays_are_working_days(day):
    assert is_working_day(day)


def test_scottish_only_holidays_do_not_count_in_england():
    # 2 January and St Andrew's Day (30 Nov 2026 is a Monday) are Scottish bank holidays.
    assert is_working_day(date(2026, 11, 30))
    assert is_working_day(date(2026, 1, 2))


def test_three_working_days_from_the_day_before_christmas_eve_skip_christmas():
    # Wed 23 Dec 2026: Thu 24 (1); Fri 25 Christmas, Sat, Sun, Mon 28 substitute Boxing
    # Day; Tue 29 (2); Wed 30 (3).
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_working_days_carry_across_the_year_end_skipping_new_years_day():
    # Wed 30 Dec 2026: Thu 31 (1); Fri 1 Jan holiday, weekend; Mon 4 (2); Tue 5 (3).
    assert add_working_days(date(2026, 12, 30), 3) == date(2027, 1, 5)
    assert working_days_between(date(2026, 12, 30), date(2027, 1, 5)) == 3


def test_one_working_day_from_the_thursday_before_easter_is_the_tuesday_after():
    # Good Friday 3 April and Easter Monday 6 April 2026 both fall out.
    assert add_working_days(date(2026, 4, 2), 1) == date(2026, 4, 7)
    assert next_working_day(date(2026, 4, 2)) == date(2026, 4, 7)


def test_zero_working_days_is_the_start_day_and_negative_is_refused():
    assert add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 1, 5), -1)


def test_working_days_between_a_date_and_an_earlier_one_is_zero():
    assert working_days_between(date(2026, 6, 10), date(2026, 6, 1)) == 0
    assert working_days_between(date(2026, 6, 10), date(2026, 6, 10)) == 0


working_days_2020_to_2027 = st.dates(date(2020, 1, 1), date(2027, 12, 31)).filter(is_working_day)


@settings(max_examples=200, deadline=None)
@given(start=working_days_2020_to_2027, n=st.integers(0, 60))
def test_counting_the_working_days_to_a_deadline_gives_back_the_timescale(start, n):
    due = add_working_days(start, n)
    assert working_days_between(start, due) == n
    assert is_working_day(due)
    # Calendar days are never fewer than working days, and a fortnight holds at most ten.
    assert (due - start).days >= n
    assert working_days_between(start, start + timedelta(days=14)) <= 10


def test_a_contact_at_half_five_on_the_friday_before_the_spring_bank_holiday_is_due_tuesday():
    received = datetime(2026, 5, 22, 17, 30, tzinfo=LONDON)
    # Friday 22 May is day 0; Sat, Sun and Mon 25 (spring bank holiday) do not count.
    assert due_by_end_of_working_day(received, 1) == end_of(date(2026, 5, 26))


def test_a_contact_received_on_a_saturday_is_due_by_the_end_of_monday():
    # One working day after a Saturday is the Monday, not the Tuesday: the weekend is not
    # turned into a working day of its own and then given another.
    saturday = datetime(2026, 6, 13, 10, 0, tzinfo=LONDON)
    assert due_by_end_of_working_day(saturday, 0) == end_of(date(2026, 6, 15))
    assert due_by_end_of_working_day(saturday, 1) == end_of(date(2026, 6, 15))
    assert due_by_end_of_working_day(saturday, 2) == end_of(date(2026, 6, 16))


def test_a_contact_received_on_a_bank_holiday_is_due_by_the_end_of_the_next_working_day():
    christmas = datetime(2026, 12, 25, 9, 0, tzinfo=LONDON)
    # Sat 26, Sun 27 and Mon 28 (substitute Boxing Day) do not count: Tue 29 is day 1.
    assert due_by_end_of_working_day(christmas, 1) == end_of(date(2026, 12, 29))


def test_a_45_working_day_assessment_matches_a_count_by_hand():
    referral = datetime(2026, 3, 2, 11, 0, tzinfo=LONDON)  # Monday 2 March 2026 = day 0
    # March: 3-6 (4), 9-13 (5), 16-20 (5), 23-27 (5), 30-31 (2)            -> 21
    # April: 1-2 (2) [Fri 3 Good Friday, Mon 6 Easter Monday] -> 23;
    #        7-10 (4) -> 27; 13-17 (5) -> 32; 20-24 (5) -> 37; 27-30 (4)   -> 41
    # May:   Fri 1 (42) [Mon 4 early May bank holiday], Tue 5 (43), Wed 6 (44),
    #        Thu 7 (45)
    assert due_by_end_of_working_day(referral, 45) == end_of(date(2026, 5, 7))


def test_an_icpc_15_working_days_after_a_strategy_discussion_on_17_december_2026():
    strategy = datetime(2026, 12, 17, 15, 0, tzinfo=LONDON)  # Thursday = day 0
    # Fri 18 (1), Mon 21 (2), Tue 22 (3), Wed 23 (4), Thu 24 (5);
    # Fri 25 Christmas, Sat 26, Sun 27, Mon 28 substitute Boxing Day: none count;
    # Tue 29 (6), Wed 30 (7), Thu 31 (8); Fri 1 Jan New Year's Day, Sat 2, Sun 3;
    # Mon 4 (9), Tue 5 (10), Wed 6 (11), Thu 7 (12), Fri 8 (13), Mon 11 (14), Tue 12 (15).
    due = due_by_end_of_working_day(strategy, 15)
    assert due == end_of(date(2027, 1, 12))
    assert due.weekday() == 1  # a Tuesday, never a weekend target (CIN rule 8870Q)


def test_half_past_eleven_utc_on_a_summer_night_is_already_the_next_day_in_london():
    # 23:30 UTC on Thursday 11 June 2026 is 00:30 BST on Friday 12 June.
    received = datetime(2026, 6, 11, 23, 30, tzinfo=UTC)
    assert due_by_end_of_working_day(received, 0) == end_of(date(2026, 6, 12))
    assert due_by_end_of_working_day(received, 1) == end_of(date(2026, 6, 15))


def test_half_past_eleven_utc_in_winter_is_still_the_same_day_in_london():
    received = datetime(2026, 1, 15, 23, 30, tzinfo=UTC)  # 23:30 GMT, Thursday
    assert due_by_end_of_working_day(received, 1) == end_of(date(2026, 1, 16))


def test_the_deadline_is_one_second_before_midnight_london_time_in_bst():
    due = due_by_end_of_working_day(datetime(2026, 7, 1, 9, 0, tzinfo=LONDON), 1)
    assert due.astimezone(UTC) == datetime(2026, 7, 2, 22, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "holiday"),
    [
        (date(2029, 1, 1), "New Year's Day"),
        (date(2029, 3, 30), "Good Friday"),
        (date(2029, 4, 2), "Easter Monday"),
        (date(2029, 5, 7), "Early May bank holiday"),
        (date(2029, 5, 28), "Spring bank holiday"),
        (date(2029, 8, 27), "Summer bank holiday"),
        (date(2029, 12, 25), "Christmas Day"),
        (date(2029, 12, 26), "Boxing Day"),
        (date(2032, 12, 27), "Christmas Day substitute (the 25th is a Saturday)"),
        (date(2032, 12, 28), "Boxing Day substitute (the 26th is a Sunday)"),
    ],
)
def test_bank_holidays_after_the_govuk_list_ends_follow_the_standing_rules(day, holiday):
    """GOV.UK publishes bank holidays only a couple of years ahead (to 2028 in the bundled
    list); statutory clocks running past that still skip them."""
    assert day.year > 2028
    assert day.weekday() < 5, holiday
    assert not is_working_day(day)


def test_the_standing_rules_agree_with_the_govuk_list_where_both_exist():
    """The rules used beyond the list give the same days as the list in an ordinary year."""
    import holidays

    from safehub.core.workdays import bank_holidays_in

    for year in (2019, 2025, 2027, 2028):
        assert bank_holidays_in(year) == {
            d
            for d in holidays.country_holidays("GB", subdiv="ENG", years=year)
            if d.weekday() < 5 or d in bank_holidays_in(year)
        }, year


def test_an_assessment_clock_across_the_end_of_the_govuk_list():
    # 45 working days from Friday 1 December 2028 skip Christmas and Boxing Day 2028 (from
    # the list) and New Year's Day 2029 (from the rules): 7 February, not the 6th.
    assert date(2028, 12, 1).weekday() == 4
    assert add_working_days(date(2028, 12, 1), 45) == date(2029, 2, 7)
