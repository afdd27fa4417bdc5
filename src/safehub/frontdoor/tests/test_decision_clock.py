"""Urgency sets the MASH's decision clock: immediate within the council's hours around the
clock, urgent by the end of the day it came in, otherwise by the end of the next working
day (a contact on a Saturday, Sunday or bank holiday too: the next working day, not the one
after). Checked against the clock counted by hand, and what the referrer is told."""

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from safehub.core.tests import clock_by_hand as hand
from safehub.core.workdays import LONDON
from safehub.frontdoor import selectors, services
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission, public_submission
from safehub.notifications.models import OutboxMessage

DAYS = [
    date(2026, 11, 24),  # an ordinary Tuesday
    date(2026, 11, 27),  # a Friday
    date(2026, 11, 28),  # Saturday
    date(2026, 11, 29),  # Sunday
    date(2026, 12, 24),  # Christmas Eve (Thursday)
    date(2026, 12, 25),  # Christmas Day (Friday)
    date(2026, 12, 26),  # Boxing Day (Saturday; the holiday is Monday the 28th)
    date(2026, 12, 28),  # the substitute Boxing Day
    date(2026, 12, 31),  # New Year's Eve
    date(2027, 1, 1),  # New Year's Day
    date(2027, 3, 25),  # Maundy Thursday
    date(2027, 3, 26),  # Good Friday
    date(2027, 3, 28),  # Easter Sunday, the night the clocks go forward
    date(2027, 3, 29),  # Easter Monday
    date(2027, 4, 30),  # Friday before the early May bank holiday
    date(2027, 5, 3),  # early May bank holiday
    date(2027, 5, 28),  # Friday before the spring bank holiday
    date(2027, 5, 31),  # spring bank holiday
    date(2027, 10, 31),  # the night the clocks go back
    date(2027, 12, 24),  # Christmas Eve 2027 (Friday; the holidays are the 27th and 28th)
    date(2028, 2, 28),  # the Monday before the leap day
    date(2028, 2, 29),  # the leap day
]
TIMES = [time(0, 5), time(8, 15), time(12, 0), time(17, 45), time(23, 50)]
RECEIVED = [datetime.combine(day, at, tzinfo=LONDON) for day in DAYS for at in TIMES]


@pytest.mark.parametrize("urgency", ["immediate", "urgent", "routine"])
def test_every_urgency_agrees_with_the_clock_counted_by_hand(urgency: str) -> None:
    wrong = [
        (received, services.decision_due(received, urgency))
        for received in RECEIVED
        if services.decision_due(received, urgency) != hand.contact_decision_due(received, urgency)
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("received", "urgency", "due"),
    [
        # A routine contact on a Saturday morning: the end of Monday, not Tuesday.
        (
            datetime(2026, 11, 28, 9, 0, tzinfo=LONDON),
            "routine",
            datetime(2026, 11, 30, 23, 59, 59, tzinfo=LONDON),
        ),
        # On Christmas Day: Boxing Day falls to Monday 28th, so the end of Tuesday 29th.
        (
            datetime(2026, 12, 25, 14, 0, tzinfo=LONDON),
            "routine",
            datetime(2026, 12, 29, 23, 59, 59, tzinfo=LONDON),
        ),
        # On Easter Monday 2027: the end of Tuesday.
        (
            datetime(2027, 3, 29, 10, 0, tzinfo=LONDON),
            "routine",
            datetime(2027, 3, 30, 23, 59, 59, tzinfo=LONDON),
        ),
        # Late on the Monday before the leap day: the end of the leap day.
        (
            datetime(2028, 2, 28, 22, 0, tzinfo=LONDON),
            "routine",
            datetime(2028, 2, 29, 23, 59, 59, tzinfo=LONDON),
        ),
        # Urgent is the day it came in, even a Sunday evening.
        (
            datetime(2026, 11, 29, 19, 0, tzinfo=LONDON),
            "urgent",
            datetime(2026, 11, 29, 23, 59, 59, tzinfo=LONDON),
        ),
        # Immediate runs around the clock: two hours after 23:50 on New Year's Eve.
        (
            datetime(2026, 12, 31, 23, 50, tzinfo=LONDON),
            "immediate",
            datetime(2027, 1, 1, 1, 50, tzinfo=LONDON),
        ),
        # The clocks go forward at 1am on 28 March 2027: 00:30 GMT + 2 hours is 03:30 BST.
        (
            datetime(2027, 3, 28, 0, 30, tzinfo=LONDON),
            "immediate",
            datetime(2027, 3, 28, 3, 30, tzinfo=LONDON),
        ),
    ],
)
def test_known_deadlines(received: datetime, urgency: str, due: datetime) -> None:
    assert services.decision_due(received, urgency) == due


def test_two_hours_are_two_real_hours_on_the_night_the_clocks_go_back() -> None:
    # 00:30 BST on 31 October 2027 is 23:30 UTC; two hours on is 01:30 UTC, which London
    # calls 01:30 GMT (the second 01:30 of the night), not 02:30.
    received = datetime(2027, 10, 31, 0, 30, tzinfo=LONDON)
    due = services.decision_due(received, "immediate")
    assert due == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    assert due - received == timedelta(hours=2)


def test_an_urgent_contact_just_after_midnight_in_summer_is_due_that_london_day() -> None:
    # 23:30 UTC on Thursday 10 June 2027 is 00:30 BST on Friday 11 June.
    received = datetime(2027, 6, 10, 23, 30, tzinfo=UTC)
    assert services.decision_due(received, "urgent") == hand.end_of(date(2027, 6, 11))


@override_settings(MASH_IMMEDIATE_HOURS=4)
def test_the_council_sets_the_hours_for_an_immediate_contact() -> None:
    received = datetime(2027, 5, 31, 22, 0, tzinfo=LONDON)  # spring bank holiday evening
    assert services.decision_due(received, "immediate") == received + timedelta(hours=4)
    assert "within 4 hours" in services.decision_timescales()


@pytest.mark.django_db
def test_an_immediate_referral_is_due_in_two_hours_and_the_referrer_is_told(users: Any) -> None:
    received = datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(urgency="immediate"),
        received_at=received,
    )
    assert contact.decision_due_at == datetime(2026, 11, 23, 11, 30, tzinfo=LONDON)
    ack = OutboxMessage.objects.get(dedupe_key=f"contact:{contact.pk}:ack:email")
    assert "within 2 hours, by 11:30am on Monday 23 November 2026" in ack.body
    assert "one working day" not in ack.body


@pytest.mark.django_db
def test_an_urgent_referral_on_a_saturday_is_due_that_night(users: Any) -> None:
    received = datetime(2026, 11, 21, 15, 0, tzinfo=LONDON)
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(urgency="urgent"),
        received_at=received,
    )
    assert contact.decision_due_at == hand.end_of(date(2026, 11, 21))
    ack = OutboxMessage.objects.get(dedupe_key=f"contact:{contact.pk}:ack:inbox")
    assert "by 11:59pm on Saturday 21 November 2026, the end of the day it arrived" in ack.body


@pytest.mark.django_db
def test_a_public_report_on_a_bank_holiday_is_due_the_next_working_day() -> None:
    received = datetime(2027, 5, 3, 11, 0, tzinfo=LONDON)  # early May bank holiday
    contact, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(), received_at=received
    )
    assert contact.decision_due_at == hand.end_of(date(2027, 5, 4))
    ack = OutboxMessage.objects.get(dedupe_key=f"contact:{contact.pk}:ack:email")
    assert "by 11:59pm on Tuesday 4 May 2027" in ack.body


def _public(received: datetime, **answers: Any) -> Contact:
    contact, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(**answers), received_at=received
    )
    return contact


@pytest.mark.django_db
def test_the_queue_puts_the_immediate_first_least_time_left_first_and_flags_overdue(
    users: Any,
) -> None:
    now = timezone.now()
    routine_late = _public(now - timedelta(days=4))
    in_danger_fresh = _public(now - timedelta(minutes=10), in_danger_now=True)
    in_danger_late = _public(now - timedelta(hours=3), in_danger_now=True)
    urgent, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(urgency="urgent"),
        received_at=now - timedelta(minutes=5),
    )
    page = selectors.mash_queue(actor=users["mash_worker"], filters=selectors.QueueFilters())
    assert [c.pk for c in page.object_list] == [
        in_danger_late.pk,
        in_danger_fresh.pk,
        urgent.pk,
        routine_late.pk,
    ]
    flags = [selectors.time_left(c.decision_due_at, now)[1] for c in page.object_list]
    assert flags == [True, False, False, True]
    assert selectors.time_left(in_danger_fresh.decision_due_at, now)[0] == "1 hour left"
    overdue = selectors.mash_queue(
        actor=users["mash_worker"], filters=selectors.QueueFilters(overdue=True)
    )
    assert {c.pk for c in overdue.object_list} == {in_danger_late.pk, routine_late.pk}
