"""The education registers' stored status (ADR 0053): kept where entries are appended, so
that "on the register today" is a lookup; a past day still read as the chronology says; the
backfill and the demo loader giving the same registers as the chronology rule."""

import importlib
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.chronology.services import new_entry
from safehub.core.workdays import LONDON
from safehub.hardtosee.models import EducationRegister, RegisterStatus
from safehub.hardtosee.selectors import (
    CME,
    EHE_ENDED,
    EHE_REGISTERED,
    Register,
    RegisterFilters,
    cme_register,
    ehe_register,
    partner_code,
    register_page,
)
from safehub.hardtosee.services import register_facts_refresh, register_status_on_append
from safehub.hardtosee.tests.conftest import AS_OF, child, happened
from safehub.partners.models import PartnerEvent

pytestmark = pytest.mark.django_db


def _stored(person: Any, register: EducationRegister) -> tuple[str, date] | None:
    found = RegisterStatus.objects.filter(person=person, register=register).first()
    if found is None:
        return None
    return found.event_type, found.occurred_at.astimezone(LONDON).date()


def _ids(queryset: Any) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def test_the_stored_ehe_status_follows_filing_and_a_late_older_event_does_not_move_it(users):
    actor = users["mash_worker"]
    home = child("Home")
    assert _stored(home, EducationRegister.EHE) is None
    happened(actor, home, "ehe_registered", date(2026, 3, 2))
    assert _stored(home, EducationRegister.EHE) == (EHE_REGISTERED, date(2026, 3, 2))
    assert home.pk in _ids(ehe_register(AS_OF))
    happened(actor, home, "ehe_ended", date(2026, 9, 1))
    assert _stored(home, EducationRegister.EHE) == (EHE_ENDED, date(2026, 9, 1))
    assert home.pk not in _ids(ehe_register(AS_OF))
    # Filed today, it happened in the spring: the ending in September stays the latest.
    happened(actor, home, "ehe_registered", date(2026, 5, 4))
    assert _stored(home, EducationRegister.EHE) == (EHE_ENDED, date(2026, 9, 1))
    assert home.pk not in _ids(ehe_register(AS_OF))
    # Registered for home education is also a sign of leaving missing education.
    assert _stored(home, EducationRegister.CME) == (EHE_REGISTERED, date(2026, 5, 4))


def test_the_stored_cme_status_follows_missing_then_back_on_a_roll(users):
    actor = users["mash_worker"]
    missing = child("Missing")
    happened(actor, missing, "child_missing_education", date(2026, 9, 7))
    assert _stored(missing, EducationRegister.CME) == (CME, date(2026, 9, 7))
    assert missing.pk in _ids(cme_register(AS_OF))
    happened(actor, missing, "attendance", date(2026, 10, 12))
    assert _stored(missing, EducationRegister.CME) == (
        partner_code("attendance"),
        date(2026, 10, 12),
    )
    assert missing.pk not in _ids(cme_register(AS_OF))
    # A visit decides nothing about school: nothing stored moves.
    happened(actor, missing, "VISIT", date(2026, 11, 1))
    assert _stored(missing, EducationRegister.CME) == (
        partner_code("attendance"),
        date(2026, 10, 12),
    )
    assert _stored(missing, EducationRegister.EHE) is None


def test_two_events_at_the_same_moment_the_later_filed_decides_as_the_chronology_does(users):
    actor = users["mash_worker"]
    both = child("Both")
    happened(actor, both, "ehe_registered", date(2026, 10, 1))
    happened(actor, both, "ehe_ended", date(2026, 10, 1))
    assert _stored(both, EducationRegister.EHE) == (EHE_ENDED, date(2026, 10, 1))
    assert both.pk not in _ids(ehe_register(AS_OF))
    assert both.pk not in _by_the_chronology(AS_OF, EducationRegister.EHE)


def test_a_batch_keeps_each_childs_latest_in_one_statement(users):
    """A partner's batch: for each child and register only the latest of theirs in it,
    and never over a later one stored."""
    actor = users["mash_worker"]
    new, stored_later = child("New"), child("Later")
    happened(actor, stored_later, "ehe_ended", date(2026, 10, 1))

    def event(code: str, on: date) -> ChronologyEntry:
        entry = new_entry(
            actor=actor,
            event_type=partner_code(code),
            summary=code,
            occurred_on=on,
            recorded_by=actor,
        )
        entry.save()  # as `chronology_append_many` has before its listeners
        return entry

    batch = [
        (event("ehe_registered", date(2026, 6, 1)), [new, stored_later]),
        (event("child_missing_education", date(2026, 4, 1)), [new]),
        (event("ehe_ended", date(2026, 2, 1)), [new]),
    ]
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        register_status_on_append([(entry, [p.pk for p in people]) for entry, people in batch])
    assert len(queries.captured_queries) == 1
    assert _stored(new, EducationRegister.EHE) == (EHE_REGISTERED, date(2026, 6, 1))
    assert _stored(new, EducationRegister.CME) == (EHE_REGISTERED, date(2026, 6, 1))
    assert _stored(stored_later, EducationRegister.EHE) == (EHE_ENDED, date(2026, 10, 1))


def test_a_past_day_is_read_from_the_chronology_where_the_status_changed_since(users):
    actor = users["mash_worker"]
    ended_since = child("EndedSince")
    happened(actor, ended_since, "ehe_registered", date(2026, 3, 2))
    happened(actor, ended_since, "ehe_ended", date(2026, 10, 5))
    registered_since = child("RegisteredSince")
    happened(actor, registered_since, "ehe_registered", date(2025, 9, 1))
    happened(actor, registered_since, "ehe_ended", date(2026, 1, 10))
    happened(actor, registered_since, "ehe_registered", date(2026, 10, 5))
    unchanged = child("Unchanged")
    happened(actor, unchanged, "ehe_registered", date(2026, 2, 1))
    back = child("Back")
    happened(actor, back, "child_missing_education", date(2026, 6, 1))
    happened(actor, back, "suspension", date(2026, 10, 20))

    assert _ids(ehe_register(AS_OF)) == {registered_since.pk, unchanged.pk}
    august = date(2026, 8, 1)
    assert _ids(ehe_register(august)) == {ended_since.pk, unchanged.pk}
    assert _ids(cme_register(august)) == {back.pk}
    assert _ids(cme_register(AS_OF)) == set()
    # The row says since when, on that day.
    page = register_page(
        actor=actor, register=Register.EHE, as_of=august, filters=RegisterFilters()
    )
    since = {r.person_id: r.since for r in page.rows}
    assert since == {ended_since.pk: date(2026, 3, 2), unchanged.pk: date(2026, 2, 1)}
    page = register_page(actor=actor, register=Register.EHE, as_of=AS_OF, filters=RegisterFilters())
    assert {r.person_id: r.since for r in page.rows} == {
        registered_since.pk: date(2026, 10, 5),
        unchanged.pk: date(2026, 2, 1),
    }


@pytest.mark.parametrize("register", [Register.EHE, Register.CME])
def test_the_number_of_queries_does_not_grow_with_the_register(users, register):
    actor = users["mash_worker"]
    code = "ehe_registered" if register is Register.EHE else "child_missing_education"

    def queries_for_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            register_page(actor=actor, register=register, as_of=AS_OF, filters=RegisterFilters())
        return len(captured)

    first = child("First")
    happened(actor, first, code, date(2026, 9, 1))
    one = queries_for_page()
    for n in range(30):
        more = child(f"More{n}")
        happened(actor, more, code, date(2026, 1, 1) + timedelta(days=n))
        happened(actor, more, "VISIT", date(2026, 2, 1) + timedelta(days=n))
    page = register_page(actor=actor, register=register, as_of=AS_OF, filters=RegisterFilters())
    assert page.count == 31
    assert queries_for_page() == one


# --- the stored registers against the chronology rule, on the demo council ---------------


def _by_the_chronology(as_of: date, register: EducationRegister) -> set[int]:
    """The rule as the registers read it before ADR 0053, worked out here in Python: the
    child's latest event of the register's codes on or before the day (by time, then entry)
    is the register's own."""
    from safehub.chronology.models import ChronologyLink
    from safehub.hardtosee.selectors import REGISTER_EVENTS, _children

    events = REGISTER_EVENTS[register]
    ends = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=LONDON)
    latest: dict[int, tuple[tuple[datetime, int], str]] = {}
    links = ChronologyLink.objects.filter(
        entry__event_type__in=sorted(events.codes), occurred_at__lt=ends
    ).values_list("person_id", "occurred_at", "entry_id", "entry__event_type")
    for person_id, occurred_at, entry_id, code in links:
        if person_id not in latest or (occurred_at, entry_id) > latest[person_id][0]:
            latest[person_id] = ((occurred_at, entry_id), code)
    children = _ids(_children(as_of))
    return {pk for pk, (_, code) in latest.items() if code == events.member and pk in children}


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo council (its loader bulk-writes the chronology and rebuilds the stored
    statuses), once for the module, rolled back after."""
    from io import StringIO

    from conftest import TEST_TODAY
    from django.core.management import call_command

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", "--persons", "600", "--as-of", str(TEST_TODAY), stdout=StringIO())
        yield TEST_TODAY
        transaction.set_rollback(True)


def _days(today: date) -> list[date]:
    return [
        today,
        today - timedelta(days=45),
        today - timedelta(days=200),
        today - timedelta(days=700),
    ]


def _same_as_the_chronology(today: date) -> None:
    for day in _days(today):
        assert _ids(ehe_register(day)) == _by_the_chronology(day, EducationRegister.EHE), day
        assert _ids(cme_register(day)) == _by_the_chronology(day, EducationRegister.CME), day


def test_the_demo_loader_stores_the_registers_the_chronology_gives(demo):
    assert _by_the_chronology(demo, EducationRegister.EHE)
    assert _by_the_chronology(demo, EducationRegister.CME)
    # Some left a register before today: the past days are not today's register again.
    assert any(
        _by_the_chronology(day, register) != _by_the_chronology(demo, register)
        for day in _days(demo)[1:]
        for register in EducationRegister
    )
    _same_as_the_chronology(demo)


def test_the_migrations_backfill_gives_the_registers_the_chronology_gives(demo):
    migration = importlib.import_module("safehub.hardtosee.migrations.0003_register_status")
    with transaction.atomic():
        RegisterStatus.objects.all().delete()
        register_facts_refresh()
        assert _ids(ehe_register(demo)) == set()
        migration.backfill(None, None)
        # The register rows copy the status (ADR 0060): their own backfill after it.
        importlib.import_module("safehub.hardtosee.migrations.0005_register_facts").backfill(
            None, None
        )
        _same_as_the_chronology(demo)
        transaction.set_rollback(True)


def test_no_school_writes_about_a_demo_child_it_no_longer_teaches(demo):
    """A child registered home educated, or missing education, hears nothing more from a
    school (no absence return, no welfare concern, no referral) until they are back at one."""
    joined: dict[int, date] = {}
    left: dict[int, date] = {}
    for person_id, kind, at in PartnerEvent.objects.filter(
        type__in=("ehe_registered", "child_missing_education", "ehe_ended", "attendance")
    ).values_list("person_id", "type", "occurred_at"):
        on = at.astimezone(LONDON).date()
        if kind in ("ehe_registered", "child_missing_education"):
            joined[person_id] = on
        else:
            left[person_id] = min(on, left.get(person_id, date.max))
    assert len(joined) >= 10
    heard = ChronologyLink.objects.filter(
        person_id__in=joined, entry__source_agency__kind="school"
    ).exclude(entry__event_type__startswith="PARTNER_EHE_")
    for person_id, at, kind in heard.values_list("person_id", "occurred_at", "entry__event_type"):
        on = at.astimezone(LONDON).date()
        off_roll = joined[person_id] < on < left.get(person_id, date.max)
        assert not (off_roll and kind != "PARTNER_CHILD_MISSING_EDUCATION"), (person_id, on, kind)
