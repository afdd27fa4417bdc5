"""The data migrations that correct chronology entries written before entries credited who
did what: run on entries as they used to be written, they credit them as the services now
do (front door), and mark dated casework and moves as dated."""

from datetime import datetime
from importlib import import_module
from typing import Any

import pytest
import time_machine
from django.apps import apps

from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.workdays import LONDON
from safehub.frontdoor import services
from safehub.frontdoor.codes import Channel
from safehub.frontdoor.tests.factories import professional_submission, public_submission

pytestmark = pytest.mark.django_db

frontdoor_migration = import_module(
    "safehub.frontdoor.migrations.0005_chronology_credits_the_referrer"
)
casework_migration = import_module(
    "safehub.casework.migrations.0005_chronology_dates_without_times"
)
people_migration = import_module(
    "safehub.people.migrations.0005_chronology_move_dates_without_times"
)


def at(hour: int, minute: int) -> Any:
    return time_machine.travel(datetime(2026, 11, 23, hour, minute, tzinfo=LONDON), tick=False)


def _linked(contact: Any, mash: Any, child: Any) -> Any:
    contact = services.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    services.contact_link_subject(
        actor=mash, contact=contact, subject=contact.subjects.get(role="child"), person=child
    )
    return contact


def _as_written_before(entry: ChronologyEntry, *, by: Any, agency: Any, at: datetime) -> None:
    """How the old code wrote it: the actor as recorder (and so as the one credited), now."""
    ChronologyEntry.objects.filter(pk=entry.pk).update(
        done_by=by, done_by_label="", source_agency=agency, recorded_by=by, recorded_at=at
    )


def test_old_contact_entries_credit_the_referrer_and_the_decider(users: Any, people: Any) -> None:
    child, mash, manager = people["involved"], users["mash_worker"], users["team_manager"]
    with at(9, 30):
        contact, _ = services.contact_submit(
            actor=users["partner_practitioner"],
            channel=Channel.PROFESSIONAL,
            data=professional_submission(),
        )
    with at(9, 50):
        contact = _linked(contact, mash, child)
    with at(10, 15):
        contact = services.contact_decide(
            actor=mash,
            contact=contact,
            expected_version=contact.version,
            decision="early_help",
            reasons="Family agree",
            primary_need="N1",
        )
    with at(11, 5):
        services.contact_sign_off(
            actor=manager, contact=contact, expected_version=contact.version, approve=True
        )
    received = ChronologyEntry.objects.get(event_type="CONTACT_RECEIVED")
    decided = ChronologyEntry.objects.get(event_type="CONTACT_DECISION")
    signed_off_at = datetime(2026, 11, 23, 11, 5, tzinfo=LONDON)
    _as_written_before(
        received,
        by=mash,
        agency=contact.referrer_agency,
        at=datetime(2026, 11, 23, 9, 50, tzinfo=LONDON),
    )
    _as_written_before(decided, by=manager, agency=manager.agency, at=signed_off_at)
    ChronologyEntry.objects.filter(pk=decided.pk).update(occurred_at=signed_off_at)
    ChronologyLink.objects.filter(entry=decided).update(occurred_at=signed_off_at)
    ChronologyEntry.objects.filter(event_type="CONTACT_DECISION_SIGNED_OFF").delete()

    frontdoor_migration.credit_contacts(apps, None)
    frontdoor_migration.credit_contacts(apps, None)  # a second run changes nothing

    received.refresh_from_db()
    assert (received.done_by, received.recorded_by) == (users["partner_practitioner"],) * 2
    assert received.recorded_at == datetime(2026, 11, 23, 9, 30, tzinfo=LONDON)
    decided.refresh_from_db()
    assert (decided.done_by, decided.recorded_by) == (mash, mash)
    decided_at = datetime(2026, 11, 23, 10, 15, tzinfo=LONDON)
    assert decided.occurred_at == decided.recorded_at == decided_at
    assert set(
        ChronologyLink.objects.filter(entry=decided).values_list("occurred_at", flat=True)
    ) == {decided_at}
    (signed,) = ChronologyEntry.objects.filter(event_type="CONTACT_DECISION_SIGNED_OFF")
    assert (signed.done_by, signed.recorded_by, signed.occurred_at) == (
        manager,
        manager,
        signed_off_at,
    )
    assert list(ChronologyLink.objects.filter(entry=signed).values_list("person", flat=True)) == [
        child.pk
    ]


def test_an_old_public_contact_entry_stops_crediting_the_linker(users: Any, people: Any) -> None:
    mash = users["mash_worker"]
    contact, _ = services.contact_submit(
        actor=None, channel=Channel.PUBLIC, data=public_submission()
    )
    _linked(contact, mash, people["involved"])
    received = ChronologyEntry.objects.get(event_type="CONTACT_RECEIVED")
    _as_written_before(received, by=mash, agency=mash.agency, at=contact.created_at)
    frontdoor_migration.credit_contacts(apps, None)
    received.refresh_from_db()
    assert received.done_by is None and received.recorded_by is None  # noqa: PT018
    assert received.source_agency is None
    assert received.done_by_label == services.referrer_label(
        channel=contact.channel,
        referral_source=contact.referral_source,
        referrer_name=contact.referrer_name,
    )


def test_dated_casework_and_moves_become_dated_entries(users: Any, people: Any) -> None:
    from safehub.chronology.services import chronology_append

    child, sw = people["involved"], users["social_worker"]
    midday = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
    nine = datetime(2026, 11, 20, 9, 0, tzinfo=LONDON)
    made = {
        (code, when): chronology_append(
            actor=sw, persons=[child], event_type=code, summary=code, occurred_at=when
        )
        for code, when in [
            ("VISIT", midday),
            ("VISIT", nine),  # a real time: left alone
            ("CASE_NOTE", midday),  # a note is timed when it is written
            ("ADDRESS_CHANGED", nine),
            ("ADDRESS_CHANGED", midday),
        ]
    }
    casework_migration.mark_dates_without_times(apps, None)
    people_migration.mark_moves_dated(apps, None)
    dated = {
        key
        for key, entry in made.items()
        if not ChronologyEntry.objects.get(pk=entry.pk).time_known
    }
    assert dated == {("VISIT", midday), ("ADDRESS_CHANGED", nine)}
