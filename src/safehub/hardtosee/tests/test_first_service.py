"""The stored first service event the under-ones register reads (ADR 0057): kept where
entries are appended, rebuilt from the chronology by the refresh command; and the registers
right after each kind of change to what decides them, by the day asked about."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.chronology.services import new_entry
from safehub.core.workdays import LONDON
from safehub.hardtosee.models import FirstServiceEvent
from safehub.hardtosee.selectors import (
    PAGE_SIZE,
    Register,
    RegisterFilters,
    no_contact_register,
    register_page,
    under_ones_register,
    years_before,
)
from safehub.hardtosee.services import (
    first_service_on_append,
    first_service_refresh,
    register_facts_for,
)
from safehub.hardtosee.tests.conftest import AS_OF, allocate, child, happened
from safehub.people import events as people_events

pytestmark = pytest.mark.django_db


def _stored(person) -> date | None:
    found = FirstServiceEvent.objects.filter(person=person).first()
    return found.occurred_at.astimezone(LONDON).date() if found else None


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _baby(name: str, born: date = date(2026, 6, 1)):
    return child(name, born=born)


def test_the_first_entry_beyond_record_keeping_is_stored_and_an_earlier_one_moves_it(users):
    actor = users["mash_worker"]
    baby = _baby("Stored")
    # Keeping the record is not a service knowing the child.
    happened(actor, baby, people_events.PERSON_DETAILS_CHANGED, date(2026, 6, 2))
    assert _stored(baby) is None
    happened(actor, baby, "health_visitor_contact", date(2026, 7, 1))
    assert _stored(baby) == date(2026, 7, 1)
    # A later event leaves the first alone; one recorded today that happened earlier moves it.
    happened(actor, baby, "VISIT", date(2026, 9, 1))
    assert _stored(baby) == date(2026, 7, 1)
    happened(actor, baby, "ed_attendance", date(2026, 6, 20))
    assert _stored(baby) == date(2026, 6, 20)


def test_a_batch_keeps_each_persons_earliest(users):
    """A partner's batch: a child with nothing stored gets the earliest of theirs, a stored
    later one is moved back, a stored earlier one stays."""
    actor = users["mash_worker"]
    fresh, later, earlier = _baby("Fresh"), _baby("Later"), _baby("Earlier")
    happened(actor, later, "VISIT", date(2026, 9, 1))
    happened(actor, earlier, "VISIT", date(2026, 6, 5))

    def entry(on: date) -> ChronologyEntry:
        return new_entry(
            actor=actor, event_type="VISIT", summary="Seen", occurred_on=on, recorded_by=actor
        )

    first_service_on_append(
        [
            (entry(date(2026, 8, 1)), [fresh.pk, later.pk, earlier.pk]),
            (entry(date(2026, 7, 1)), [fresh.pk]),
        ]
    )
    assert _stored(fresh) == date(2026, 7, 1)
    assert _stored(later) == date(2026, 8, 1)
    assert _stored(earlier) == date(2026, 6, 5)


def test_the_refresh_rebuilds_what_a_bulk_load_left_out(users):
    actor = users["mash_worker"]
    appended = _baby("Appended")
    happened(actor, appended, "VISIT", date(2026, 8, 1))
    loaded = _baby("Loaded")
    # A bulk load (the demo generator) writes the chronology without `chronology_append`.
    when = datetime.combine(date(2026, 7, 1), time(12), tzinfo=LONDON)
    entry = ChronologyEntry.objects.create(
        occurred_at=when, event_type="VISIT", category="social_care", summary="Visit"
    )
    ChronologyLink.objects.create(entry=entry, person=loaded, occurred_at=when)
    assert loaded.pk not in _ids(under_ones_register(AS_OF))
    call_command("last_contact_refresh", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _stored(loaded) == date(2026, 7, 1)
    assert loaded.pk in _ids(under_ones_register(AS_OF))
    # The cache, rebuilt, is what appending kept.
    assert _stored(appended) == date(2026, 8, 1)
    assert first_service_refresh() == FirstServiceEvent.objects.count()


def test_under_ones_after_each_change_by_the_day(users):
    actor = users["mash_worker"]
    seen = _baby("Seen")
    involved = _baby("Involved")
    assert _ids(under_ones_register(AS_OF)) & {seen.pk, involved.pk} == set()
    # An entry appended: known from the day it happened, not before.
    happened(actor, seen, "health_visitor_contact", date(2026, 8, 1))
    assert seen.pk in _ids(under_ones_register(AS_OF))
    assert seen.pk not in _ids(under_ones_register(date(2026, 7, 31)))
    # An involvement opened, then ended: known while it was open.
    allocate(involved, users["social_worker"], start=date(2026, 9, 1))
    assert involved.pk in _ids(under_ones_register(AS_OF))
    assert involved.pk not in _ids(under_ones_register(date(2026, 8, 31)))
    involved.involvements.update(end_date=date(2026, 10, 1))
    register_facts_for([involved.pk])  # as the services' chronology entry does
    assert involved.pk not in _ids(under_ones_register(AS_OF))
    assert involved.pk in _ids(under_ones_register(date(2026, 9, 30)))
    # The first birthday, by the day asked about.
    assert seen.pk not in _ids(under_ones_register(date(2027, 6, 1)))
    # A death recorded: off from that day.
    seen.date_of_death = date(2026, 11, 1)
    seen.save(update_fields=["date_of_death"])
    register_facts_for([seen.pk])  # as person_update's "death recorded" does
    assert seen.pk not in _ids(under_ones_register(AS_OF))
    assert seen.pk in _ids(under_ones_register(date(2026, 10, 31)))


def test_no_contact_after_each_change_by_the_day(users):
    actor = users["mash_worker"]
    nearly_18 = child("Nearly", born=years_before(AS_OF, 18) + timedelta(days=10))
    assert nearly_18.pk not in _ids(no_contact_register(AS_OF, 90))
    # An involvement opened: on (never seen); ended: off from its end.
    allocate(nearly_18, users["social_worker"], start=date(2026, 3, 1))
    assert nearly_18.pk in _ids(no_contact_register(AS_OF, 90))
    # A contact appended: off within the window, on again once it is older than the window.
    happened(actor, nearly_18, "VISIT", AS_OF - timedelta(days=3))
    assert nearly_18.pk not in _ids(no_contact_register(AS_OF, 90))
    assert nearly_18.pk in _ids(no_contact_register(AS_OF + timedelta(days=6), 9))
    # Before the visit happened, the stored contact is after the day: the chronology says.
    assert nearly_18.pk in _ids(no_contact_register(AS_OF - timedelta(days=4), 90))
    # The 18th birthday, by the day asked about.
    assert nearly_18.pk not in _ids(no_contact_register(AS_OF + timedelta(days=100), 90))
    nearly_18.involvements.update(end_date=AS_OF - timedelta(days=1))
    register_facts_for([nearly_18.pk])
    assert nearly_18.pk not in _ids(no_contact_register(AS_OF, 5))
    assert nearly_18.pk in _ids(no_contact_register(AS_OF - timedelta(days=5), 1))
    # A death recorded: off from that day.
    died = child("Died")
    allocate(died, users["social_worker"])
    died.date_of_death = AS_OF
    died.save(update_fields=["date_of_death"])
    register_facts_for([died.pk])
    assert died.pk not in _ids(no_contact_register(AS_OF, 90))
    assert died.pk in _ids(no_contact_register(AS_OF - timedelta(days=1), 90))


def test_the_page_counts_every_row_and_past_the_end_shows_the_last_page(users):
    actor = users["mash_worker"]
    for n in range(PAGE_SIZE + 3):
        person = child(f"Row{n}")
        allocate(person, users["social_worker"])
        happened(actor, person, "VISIT", AS_OF - timedelta(days=100 + n))

    def page(number):
        return register_page(
            actor=actor,
            register=Register.NO_CONTACT,
            as_of=AS_OF,
            filters=RegisterFilters(),
            page=number,
        )

    first, second, past = page(1), page(2), page(99)
    assert first.count == second.count == past.count == PAGE_SIZE + 3
    assert len(first.rows) == PAGE_SIZE
    assert [r.person_id for r in past.rows] == [r.person_id for r in second.rows]
    assert len(second.rows) == 3
    assert past.page.number == 2
    assert not second.page.has_next()
    # Longest without contact first, across the pages.
    days = [r.days_since_contact for r in first.rows + second.rows]
    assert days == sorted(days, reverse=True)
    # A register with nobody on it: one empty first page.
    empty = register_page(
        actor=actor,
        register=Register.EHE,
        as_of=AS_OF,
        filters=RegisterFilters(),
        page=3,
    )
    assert (empty.count, empty.rows, empty.page.number) == (0, [], 1)


def test_a_page_that_exists_is_counted_by_its_own_query(users):
    """The members are read once: no separate count for a page with rows (ADR 0057); a page
    past the end counts, then shows the last page."""
    actor = users["mash_worker"]
    for n in range(3):
        person = child(f"Counted{n}")
        allocate(person, users["social_worker"])

    def counts_for(page: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            register_page(
                actor=actor,
                register=Register.NO_CONTACT,
                as_of=AS_OF,
                filters=RegisterFilters(),
                page=page,
            )
        return sum("__count" in q["sql"] for q in captured.captured_queries)

    assert counts_for(1) == 0
    assert counts_for(5) == 1
