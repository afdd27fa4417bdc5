"""The stored last professional contact the registers sort and filter by (ADR 0033): kept
where entries are appended, rebuilt from the chronology by a command, and read for a past
day only where the stored one cannot answer."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.chronology.services import new_entry
from safehub.core.workdays import LONDON
from safehub.hardtosee.models import LastProfessionalContact
from safehub.hardtosee.selectors import (
    Register,
    RegisterFilters,
    no_contact_register,
    register_page,
)
from safehub.hardtosee.services import last_contact_on_append
from safehub.hardtosee.tests.conftest import AS_OF, allocate, child, happened

pytestmark = pytest.mark.django_db


def _stored(person) -> date | None:
    found = LastProfessionalContact.objects.filter(person=person).first()
    return found.occurred_at.astimezone(LONDON).date() if found else None


def _row(actor, person, as_of: date = AS_OF):
    page = register_page(
        actor=actor, register=Register.NO_CONTACT, as_of=as_of, filters=RegisterFilters()
    )
    return next((r for r in page.rows if r.person_id == person.pk), None)


def test_a_professional_contact_appended_is_stored_and_a_later_recorded_earlier_one_is_not(
    users,
):
    actor = users["mash_worker"]
    seen = child("Seen")
    happened(actor, seen, "VISIT", date(2026, 6, 1))
    assert _stored(seen) == date(2026, 6, 1)
    happened(actor, seen, "health_visitor_contact", date(2026, 8, 3))
    assert _stored(seen) == date(2026, 8, 3)
    # Recorded today, it happened in the spring: the later contact stays the last.
    happened(actor, seen, "VISIT", date(2026, 4, 2))
    assert _stored(seen) == date(2026, 8, 3)
    # Absence is not contact.
    absent = child("Absent")
    happened(actor, absent, "persistent_absence", date(2026, 9, 1))
    assert _stored(absent) is None


def test_a_batch_moves_each_stored_contact_on_only_to_its_latest(users):
    """One batch of entries (a partner's): a child with none stored gets the latest of
    theirs, a stored earlier contact is raised, a stored later one stays, and one statement
    does it all."""
    actor = users["mash_worker"]
    new, earlier, later = child("New"), child("Earlier"), child("Later")
    happened(actor, earlier, "VISIT", date(2026, 3, 1))
    happened(actor, later, "VISIT", date(2026, 10, 1))

    def contact(on: date) -> ChronologyEntry:
        return new_entry(
            actor=actor, event_type="VISIT", summary="Seen", occurred_on=on, recorded_by=actor
        )

    batch = [
        (contact(date(2026, 5, 4)), [new]),
        (contact(date(2026, 7, 9)), [new, earlier]),
        (contact(date(2026, 6, 2)), [new, later]),
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        last_contact_on_append([(entry, [p.pk for p in persons]) for entry, persons in batch])
    assert len(queries.captured_queries) == 1
    assert _stored(new) == date(2026, 7, 9)
    assert _stored(earlier) == date(2026, 7, 9)
    assert _stored(later) == date(2026, 10, 1)


def test_the_refresh_rebuilds_what_a_bulk_load_left_out(users):
    actor = users["mash_worker"]
    loaded = child("Loaded")
    allocate(loaded, users["social_worker"])
    happened(actor, loaded, "VISIT", AS_OF - timedelta(days=200))
    # A bulk load (the demo generator) writes the chronology without `chronology_append`.
    when = datetime.combine(AS_OF - timedelta(days=10), time(12), tzinfo=LONDON)
    entry = ChronologyEntry.objects.create(
        occurred_at=when, event_type="VISIT", category="social_care", summary="Visit"
    )
    ChronologyLink.objects.create(entry=entry, person=loaded, occurred_at=when)
    # The register reads the stored contact: until it is rebuilt, the visit is not seen.
    assert _row(actor, loaded).last_contact == AS_OF - timedelta(days=200)
    call_command("last_contact_refresh", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _stored(loaded) == AS_OF - timedelta(days=10)
    assert _row(actor, loaded) is None  # seen ten days ago: off the 90-day register
    assert loaded.pk not in set(no_contact_register(AS_OF, 90).values_list("pk", flat=True))


def test_a_past_day_reads_the_chronology_for_a_child_seen_since(users):
    actor = users["mash_worker"]
    seen_since = child("SeenSince")
    allocate(seen_since, users["social_worker"])
    happened(actor, seen_since, "VISIT", AS_OF - timedelta(days=150))
    happened(actor, seen_since, "VISIT", AS_OF - timedelta(days=5))
    assert _stored(seen_since) == AS_OF - timedelta(days=5)
    # Today: seen five days ago, not on the register.
    assert _row(actor, seen_since) is None
    # Sixty days ago the last contact was ninety days before: on it, with that date.
    past = AS_OF - timedelta(days=60)
    row = _row(actor, seen_since, as_of=past)
    assert row is not None
    assert row.last_contact == AS_OF - timedelta(days=150)
    assert row.days_since_contact == 90
    # ... and with a longer window it was within it.
    assert seen_since.pk not in set(no_contact_register(past, 91).values_list("pk", flat=True))


def test_the_order_is_longest_without_contact_first(users):
    actor = users["mash_worker"]
    order = []
    for days, name in ((120, "Middle"), (300, "Longest"), (95, "Shortest")):
        person = child(name)
        allocate(person, users["social_worker"])
        happened(actor, person, "VISIT", AS_OF - timedelta(days=days))
        order.append((days, person.pk))
    never = child("Never")
    allocate(never, users["social_worker"])
    page = register_page(
        actor=actor, register=Register.NO_CONTACT, as_of=AS_OF, filters=RegisterFilters()
    )
    expected = [never.pk] + [pk for _, pk in sorted(order, reverse=True)]
    assert [r.person_id for r in page.rows] == expected
