"""The MASH queue order and filters, time left, child history and re-referrals, and the
queue-health figures."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from safehub.access.policy import Disclosure
from safehub.core.workdays import LONDON
from safehub.frontdoor import selectors, services
from safehub.frontdoor.codes import Status
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import public_submission

pytestmark = pytest.mark.django_db


def _contact(received: datetime | None = None, **kw: Any) -> Contact:
    contact, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(**kw), received_at=received
    )
    return contact


def _decide(contact: Contact, users: Any, decision: str, person: Any = None) -> Contact:
    mash = users["mash_worker"]
    if person is not None:
        services.contact_link_subject(
            actor=mash, contact=contact, subject=contact.subjects.get(), person=person
        )
    services.contact_rate(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        rag="amber",
        level_of_need="3",
    )
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision=decision,
        reasons="Reasons",
        primary_need="N1",
    )
    services.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=contact.version, approve=True
    )
    return contact


def test_queue_puts_immediate_first_then_least_time_left(users: Any) -> None:
    now = timezone.now()
    routine_old = _contact(now - timedelta(days=3))
    routine_new = _contact(now)
    danger = _contact(now, in_danger_now=True)
    page = selectors.mash_queue(actor=users["mash_worker"], filters=selectors.QueueFilters())
    assert [c.pk for c in page.object_list] == [danger.pk, routine_old.pk, routine_new.pk]
    assert page.object_list[0].children[0].family_name == "Hart"


def test_queue_filters(users: Any) -> None:
    now = timezone.now()
    late = _contact(now - timedelta(days=10))
    fresh = _contact(now)
    mash = users["mash_worker"]
    services.contact_rate(
        actor=mash, contact=fresh, expected_version=1, rag="red", level_of_need="4"
    )

    def refs(**filters: Any) -> list[int]:
        page = selectors.mash_queue(actor=mash, filters=selectors.QueueFilters(**filters))
        return [c.pk for c in page.object_list]

    assert refs(overdue=True) == [late.pk]
    assert refs(rag="red") == [fresh.pk]
    assert refs(rag="none") == [late.pk]
    assert refs(mine=True) == [fresh.pk]  # rating it assigned it to the worker
    assert refs(status="new") == [late.pk]
    _decide(fresh, users, "advice")
    assert refs() == [late.pk]  # decided contacts leave the queue


def test_queue_is_only_for_roles_that_see_every_contact(users: Any) -> None:
    _contact()
    page = selectors.mash_queue(
        actor=users["partner_practitioner"], filters=selectors.QueueFilters()
    )
    assert page.paginator.count == 0


@pytest.mark.parametrize(
    ("hours", "words", "late"),
    [
        (3.5, "3 hours left", False),
        (0.5, "30 minutes left", False),
        (-50, "Overdue by 2 days", True),
        (-1.5, "Overdue by 1 hour", True),
    ],
)
def test_time_left_in_plain_words(hours: float, words: str, late: bool) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
    assert selectors.time_left(now + timedelta(hours=hours), now) == (words, late)


def test_history_flags_a_re_referral_within_twelve_months(users: Any, people: Any) -> None:
    child, mash = people["involved"], users["mash_worker"]
    earlier = _decide(_contact(timezone.now() - timedelta(days=200)), users, "assessment", child)
    current = _contact()
    services.contact_link_subject(
        actor=mash, contact=current, subject=current.subjects.get(), person=child
    )
    [history] = selectors.contact_history(actor=mash, contact=current)
    assert history.person == child
    assert [c.pk for c in history.previous_contacts] == [earlier.pk]
    assert history.rereferral


def test_a_referral_more_than_twelve_months_ago_is_not_a_re_referral(
    users: Any, people: Any
) -> None:
    child, mash = people["involved"], users["mash_worker"]
    _decide(_contact(timezone.now() - timedelta(days=400)), users, "assessment", child)
    current = _contact()
    services.contact_link_subject(
        actor=mash, contact=current, subject=current.subjects.get(), person=child
    )
    [history] = selectors.contact_history(actor=mash, contact=current)
    assert not history.rereferral


def test_restricted_child_history_needs_the_record_opened(users: Any, people: Any) -> None:
    mash, contact = users["mash_worker"], _contact()
    contact.subjects.update(person=people["restricted"])
    [history] = selectors.contact_history(actor=mash, contact=contact)
    assert history.person is None
    assert history.disclosure is Disclosure.RESTRICTED
    assert history.previous_contacts == []
    # A worker who could not even break the glass on it is not told it is there.
    assert selectors.contact_history(actor=users["south_worker"], contact=contact) == []


def test_queue_health_counts(users: Any, people: Any) -> None:
    now = timezone.now()
    _contact(now - timedelta(days=5))  # open, past its timescale
    _contact(now)  # open, in time
    _decide(_contact(now - timedelta(days=300)), users, "assessment", people["involved"])
    _decide(_contact(now), users, "strategy", people["involved"])  # a re-referral
    _decide(_contact(now), users, "nfa")
    health = selectors.queue_health(now=now + timedelta(minutes=1))
    assert health.awaiting_decision == 2
    assert health.past_timescale == 1
    # Decided in the last 28 days: all three were signed off just now.
    assert health.contacts_decided == 3
    assert health.referrals == 2
    assert health.conversion_percent == pytest.approx(66.7)
    assert health.rereferrals == 1
    assert health.rereferral_percent == 50.0
    assert sum(n for _, n in health.decisions_per_day) == 3
    assert Contact.objects.filter(status=Status.DECIDED).count() == 3


def test_request_agencies_are_the_county_services_and_those_involved(
    users: Any, people: Any, council: Any
) -> None:
    from safehub.organisations.models import Agency

    far_school = Agency.objects.create(name="Distant Academy", kind="school", urn="999999")
    contact = _contact()
    services.contact_link_subject(
        actor=users["mash_worker"],
        contact=contact,
        subject=contact.subjects.get(),
        person=people["involved"],
    )
    names = {a.name for a in selectors.request_agencies(contact=contact)}
    assert council["trust"].name in names  # a county-wide service
    assert council["school"].name in names  # contributes to the linked child
    assert far_school.name not in names
    assert council["la"].name not in names  # the council does not ask itself
