"""Who the front door's chronology entries credit: the referrer and the referrer's agency for
a contact, the MASH worker and the council for a decision, the manager for the sign-off, the
partner for what they shared; each with who entered it in SafeHub, and when, apart."""

from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.test import override_settings

from safehub.casework import events as casework_events
from safehub.chronology.models import ChronologyEntry
from safehub.chronology.selectors import TimelineEntry, chronology_page_for_person
from safehub.core.workdays import LONDON
from safehub.frontdoor import events, services
from safehub.frontdoor.codes import Channel
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission, public_submission
from safehub.organisations.models import User

pytestmark = pytest.mark.django_db


def at(hour: int, minute: int) -> Any:
    """The clock held still at this time on Monday 23 November 2026."""
    return time_machine.travel(datetime(2026, 11, 23, hour, minute, tzinfo=LONDON), tick=False)


def _triage_and_link(contact: Contact, mash: Any, child: Any) -> Contact:
    contact = services.contact_take(actor=mash, contact=contact, expected_version=contact.version)
    contact = services.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    subject = contact.subjects.get(role="child")
    services.contact_link_subject(actor=mash, contact=contact, subject=subject, person=child)
    return contact


def _decide(contact: Contact, mash: Any, decision: str = "assessment") -> Contact:
    return services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision=decision,
        reasons="Unexplained bruising and hunger",
        primary_need="N1",
    )


def _timeline(person: Any) -> list[TimelineEntry]:
    # The MASH reads every entry whole (restricted ones too).
    mash = User.objects.get(username="mash")
    return chronology_page_for_person(actor=mash, person=person).entries


def _only(person: Any, code: str) -> TimelineEntry:
    (entry,) = [e for e in _timeline(person) if e.event_type == code]
    return entry


def _credit(entry: TimelineEntry) -> tuple[Any, ...]:
    return (entry.doer, entry.source_agency_name, entry.recorder_name)


def test_a_schools_referral_is_credited_to_the_teacher_not_the_mash_worker_who_linked_it(
    users: Any, people: Any
) -> None:
    child = people["involved"]
    with at(9, 30):
        contact, _ = services.contact_submit(
            actor=users["partner_practitioner"],
            channel=Channel.PROFESSIONAL,
            data=professional_submission(),
        )
    with at(10, 5):
        _triage_and_link(contact, users["mash_worker"], child)
    received = _only(child, events.CONTACT_RECEIVED)
    assert _credit(received) == ("Dsl Tester", "Elm Primary School", "Dsl Tester")
    assert (
        received.occurred_at == received.recorded_at == datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)
    )
    assert received.time_known


def test_a_decision_is_the_workers_and_its_sign_off_the_managers(users: Any, people: Any) -> None:
    child, mash, manager = people["involved"], users["mash_worker"], users["team_manager"]
    with at(9, 30):
        contact, _ = services.contact_submit(
            actor=users["partner_practitioner"],
            channel=Channel.PROFESSIONAL,
            data=professional_submission(),
        )
    with at(9, 50):
        contact = _triage_and_link(contact, mash, child)
    with at(10, 15):
        contact = _decide(contact, mash)
    assert not ChronologyEntry.objects.filter(event_type=events.CONTACT_DECISION).exists()
    with at(11, 5):
        services.contact_sign_off(
            actor=manager, contact=contact, expected_version=contact.version, approve=True
        )
    timeline = _timeline(child)
    # Newest first: the episode the referral opened, the sign-off, the decision, the contact.
    assert [e.event_type for e in timeline] == [
        casework_events.EPISODE_OPENED,
        events.CONTACT_DECISION_SIGNED_OFF,
        events.CONTACT_DECISION,
        events.CONTACT_RECEIVED,
    ]
    opened, signed, decided, _ = timeline
    council = "Testshire County Council"
    assert _credit(decided) == ("Mash Tester", council, "Mash Tester")
    assert (
        decided.occurred_at == decided.recorded_at == datetime(2026, 11, 23, 10, 15, tzinfo=LONDON)
    )
    assert _credit(signed) == ("Tm Tester", council, "Tm Tester")
    assert signed.occurred_at == datetime(2026, 11, 23, 11, 5, tzinfo=LONDON)
    # The episode opened when the decision became final, not at midday on the referral day.
    assert opened.time_known
    assert opened.occurred_at == datetime(2026, 11, 23, 11, 5, tzinfo=LONDON)


@override_settings(MASH_MANAGER_SIGNOFF=False)
def test_a_decision_needing_no_sign_off_has_no_sign_off_entry(users: Any, people: Any) -> None:
    child, mash = people["involved"], users["mash_worker"]
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel=Channel.PROFESSIONAL,
        data=professional_submission(),
    )
    contact = _triage_and_link(contact, mash, child)
    _decide(contact, mash, decision="early_help")
    codes = [e.event_type for e in _timeline(child)]
    assert events.CONTACT_DECISION in codes
    assert events.CONTACT_DECISION_SIGNED_OFF not in codes
    assert _only(child, events.CONTACT_DECISION).doer == "Mash Tester"


def test_a_returned_decision_puts_nothing_on_the_chronology(users: Any, people: Any) -> None:
    child, mash = people["involved"], users["mash_worker"]
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel=Channel.PROFESSIONAL,
        data=professional_submission(),
    )
    contact = _triage_and_link(contact, mash, child)
    contact = _decide(contact, mash, decision="nfa")
    services.contact_sign_off(
        actor=users["team_manager"],
        contact=contact,
        expected_version=contact.version,
        approve=False,
        note="Needs a strategy discussion",
    )
    assert [e.event_type for e in _timeline(child)] == [events.CONTACT_RECEIVED]


def test_a_member_of_the_public_is_described_never_named(users: Any, people: Any) -> None:
    child = people["involved"]
    with at(8, 12):
        contact, _ = services.contact_submit(
            actor=None, channel=Channel.PUBLIC, data=public_submission()
        )
    _triage_and_link(contact, users["mash_worker"], child)
    received = _only(child, events.CONTACT_RECEIVED)
    assert received.doer == (
        "a member of the public: acquaintance (for example a neighbour or childminder)"
    )
    assert "Pat" not in received.doer
    # No agency, and nobody signed in typed it: not the MASH worker who linked it.
    assert received.source_agency_name is None
    assert received.recorder_name is None
    assert received.recorded_at == datetime(2026, 11, 23, 8, 12, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("source", "name", "credited"),
    [
        ("6", "Sgt Ann Patel", "Sgt Ann Patel (Police, by telephone)"),
        ("1A", "Dana Hart", "a caller: family member, relative or carer"),
    ],
)
def test_a_telephone_contact_credits_the_caller_and_the_worker_who_took_it_recorded_it(
    users: Any, people: Any, source: str, name: str, credited: str
) -> None:
    child, mash = people["involved"], users["mash_worker"]
    data = professional_submission(
        referral_source=source, referrer={"name": name, "relationship": "Caller"}
    )
    with at(9, 40):
        contact, _ = services.contact_submit(
            actor=mash,
            channel=Channel.PHONE,
            data=data,
            received_at=datetime(2026, 11, 23, 9, 5, tzinfo=LONDON),
        )
    _triage_and_link(contact, mash, child)
    received = _only(child, events.CONTACT_RECEIVED)
    assert received.doer == credited
    assert received.source_agency_name is None
    assert received.recorder_name == "Mash Tester"
    # It happened when the call came in; it was typed up later.
    assert received.occurred_at == datetime(2026, 11, 23, 9, 5, tzinfo=LONDON)
    assert received.recorded_at == datetime(2026, 11, 23, 9, 40, tzinfo=LONDON)


def test_partner_information_is_the_answering_partners(
    users: Any, people: Any, council: Any
) -> None:
    child, mash = people["involved"], users["mash_worker"]
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel=Channel.PROFESSIONAL,
        data=professional_submission(),
    )
    contact = _triage_and_link(contact, mash, child)
    request = services.information_request_send(
        actor=mash, contact=contact, agency=council["school"], question="Attendance?", due="next"
    )
    with at(14, 20):
        services.information_request_answer(
            actor=users["partner_practitioner"],
            request=request,
            expected_version=1,
            answer="Attendance 81% this term.",
        )
    shared = _only(child, events.PARTNER_INFORMATION)
    assert _credit(shared) == ("Dsl Tester", "Elm Primary School", "Dsl Tester")
    assert shared.occurred_at == datetime(2026, 11, 23, 14, 20, tzinfo=LONDON)
