"""The registers' stored row per child (ADR 0060): the registers read from it show exactly
what the chronology, the people and their involvements say, for any day, and every write
that changes one of those facts changes the row in its own transaction."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.conf import settings
from django.db import transaction

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import RULES, restricted_entry_scope
from safehub.audit.models import AuditEvent
from safehub.casework import services as casework_services
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.hardtosee.models import SEVERAL_DISTRICTS, EducationRegister, RegisterFacts
from safehub.hardtosee.selectors import (
    CME,
    EHE_ENDED,
    EHE_REGISTERED,
    PROFESSIONAL_CONTACT,
    RECORD_KEEPING,
    REGISTER_EVENTS,
    Register,
    RegisterFilters,
    _day_ends,
    register_page,
    register_rows,
    years_before,
)
from safehub.hardtosee.services import register_facts_for, register_facts_refresh
from safehub.hardtosee.tests.conftest import AS_OF, allocate, child, happened, subjects
from safehub.people import services as people_services
from safehub.people.models import Address, Person, PersonAddress

pytestmark = pytest.mark.django_db

DAYS = [
    date(2026, 1, 4),
    date(2026, 5, 31),
    date(2026, 6, 1),
    date(2026, 8, 15),
    date(2026, 9, 30),
    date(2026, 10, 1),
    AS_OF,
    date(2027, 5, 31),
    date(2027, 6, 1),
]


def _team_spans(person: Any, worker: Any, spans: list[tuple[date, date | None]]) -> None:
    """The worker's team involved with `person` over each (start, end), written directly,
    then the person's register row worked out again."""
    for start, end in spans:
        Involvement.objects.create(
            person=person,
            kind=InvolvementKind.TEAM,
            team=worker.team,
            start_date=start,
            end_date=end,
        )
    register_facts_for([person.pk])


def _fixtures(users: dict[str, Any]) -> None:
    """Children whose registers change over the days above: births and first birthdays
    crossing them, a death, involvements ending and leaving a gap, education events, a
    restricted professional contact and one recorded late."""
    actor = users["mash_worker"]
    worker = users["social_worker"]
    baby = child("Baby", born=date(2026, 6, 1))  # one year old on 1 June 2027
    happened(actor, baby, "health_visitor_contact", date(2026, 8, 1))
    involved_baby = child("Involved", born=date(2026, 5, 31))
    allocate(involved_baby, worker, start=date(2026, 9, 1))
    Involvement.objects.filter(person=involved_baby).update(end_date=date(2026, 10, 1))
    register_facts_for([involved_baby.pk])
    gap = child("Gap", born=date(2015, 2, 2))
    _team_spans(gap, worker, [(date(2026, 1, 1), date(2026, 5, 1)), (date(2026, 8, 1), None)])
    overlapping = child("Overlap", born=date(2012, 4, 4))
    _team_spans(
        overlapping,
        worker,
        [(date(2026, 1, 1), date(2026, 6, 1)), (date(2026, 5, 1), date(2026, 8, 1))],
    )
    died = child("Died", born=date(2016, 1, 1))
    allocate(died, worker, start=date(2026, 1, 1))
    people_services.person_update(
        actor=actor,
        person=died,
        expected_version=died.version,
        data={"date_of_death": date(2026, 9, 30)},
    )
    restricted_seen = child("Restricted", born=date(2013, 3, 3))
    allocate(restricted_seen, worker, start=date(2026, 1, 1))
    happened(actor, restricted_seen, "dsl_welfare_concern", date(2026, 8, 10))
    ChronologyEntry.objects.filter(summary="dsl_welfare_concern").update(restricted=True)
    home = child("Home", born=date(2014, 5, 5))
    happened(actor, home, "ehe_registered", date(2026, 2, 1))
    happened(actor, home, "VISIT", date(2026, 5, 1))
    happened(actor, home, "ehe_ended", date(2026, 9, 1))
    missing = child("Missing", born=date(2011, 6, 6))
    happened(actor, missing, "child_missing_education", date(2026, 3, 1))
    happened(actor, missing, "attendance", date(2026, 10, 1))
    late = child("Late", born=date(2010, 7, 7))
    happened(actor, late, "child_missing_education", date(2026, 6, 1))
    happened(actor, late, "VISIT", date(2026, 9, 1))
    happened(actor, late, "VISIT", date(2026, 4, 1))  # recorded late: moves nothing


def _from_scratch(register: Register, day: date, days: int = 90) -> list[int]:
    """The register worked out from the people, their involvements and their chronology
    directly, in the page's order (longest without a professional contact first)."""
    end = _day_ends(day)
    links: dict[int, list[tuple[Any, int, str]]] = {}
    for link in ChronologyLink.objects.select_related("entry"):
        if link.occurred_at < end:
            links.setdefault(link.person_id, []).append(
                (link.occurred_at, link.entry_id, link.entry.event_type)
            )
    rows = []
    for person in Person.objects.filter(kind="child"):
        born, died = person.date_of_birth, person.date_of_death
        if born is None or not years_before(day, 18) < born <= day or (died and died <= day):
            continue
        mine = sorted(links.get(person.pk, []))
        contacts = [t for t, _, code in mine if code in PROFESSIONAL_CONTACT]
        last = contacts[-1] if contacts else None
        involved = any(
            i.start_date <= day and (i.end_date is None or i.end_date > day)
            for i in Involvement.objects.filter(person=person)
        )
        if register in (Register.EHE, Register.CME):
            which = EducationRegister.EHE if register is Register.EHE else EducationRegister.CME
            events = REGISTER_EVENTS[which]
            decided = [code for _, _, code in mine if code in events.codes]
            on = bool(decided) and decided[-1] == events.member
        elif register is Register.UNDER_ONES:
            known = any(code not in RECORD_KEEPING for _, _, code in mine)
            on = born > years_before(day, 1) and (known or involved)
        else:
            window = end - timedelta(days=days)
            on = involved and (last is None or last < window)
        if on:
            rows.append((last is not None, last, person.pk))
    return [pk for *_, pk in sorted(rows, key=lambda r: (r[0], r[1] or end, r[2]))]


def test_registers_from_the_stored_rows_are_those_worked_out_from_scratch(users):
    _fixtures(users)
    actor = users["mash_worker"]
    kept = list(RegisterFacts.objects.order_by("pk").values())
    # Kept as they were written is what a rebuild gives.
    register_facts_refresh()
    assert list(RegisterFacts.objects.order_by("pk").values()) == kept
    checked = 0
    for day in DAYS:
        for register in Register:
            expected = _from_scratch(register, day)
            shown = register_rows(actor, register, as_of=day, filters=RegisterFilters())
            assert [r["person_id"] for r in shown] == expected, (register, day)
            checked += len(expected)
    assert checked > 40  # the fixtures are on registers on most days


def test_the_fixtures_cross_each_boundary(users):
    """The comparison above means something: each change shows on some day and not another."""
    _fixtures(users)
    names = {p.pk: p.given_name for p in Person.objects.all()}

    def on(register: Register, day: date) -> set[str]:
        return {names[pk] for pk in _from_scratch(register, day)}

    assert "Baby" in on(Register.UNDER_ONES, date(2027, 5, 31))
    assert "Baby" not in on(Register.UNDER_ONES, date(2027, 6, 1))
    assert "Involved" in on(Register.UNDER_ONES, date(2026, 9, 30))
    assert "Involved" not in on(Register.UNDER_ONES, AS_OF)
    assert "Gap" in on(Register.NO_CONTACT, date(2026, 1, 4))  # before the gap
    assert "Gap" not in on(Register.NO_CONTACT, date(2026, 5, 31))  # in it
    assert "Gap" in on(Register.NO_CONTACT, AS_OF)
    assert "Died" in on(Register.NO_CONTACT, date(2026, 8, 15))
    assert "Died" not in on(Register.NO_CONTACT, date(2026, 9, 30))
    assert "Restricted" not in on(Register.NO_CONTACT, date(2026, 8, 15))
    assert "Home" in on(Register.EHE, date(2026, 8, 15))
    assert "Home" not in on(Register.EHE, AS_OF)
    assert "Missing" in on(Register.CME, date(2026, 9, 30))
    assert "Missing" not in on(Register.CME, date(2026, 10, 1))
    assert EHE_REGISTERED != EHE_ENDED != CME


def _row(person: Any) -> dict[str, Any]:
    return dict(RegisterFacts.objects.filter(pk=person.pk).values().first() or {})


def test_each_write_through_its_service_changes_the_row_in_its_transaction(users):
    actor = users["mash_worker"]
    with transaction.atomic():
        person = people_services.person_create(
            actor=actor,
            data={
                "kind": "child",
                "given_name": "Leo",
                "family_name": "Marsh",
                "date_of_birth": date(2018, 7, 14),
                "sex": "M",
            },
        )
        assert _row(person)["date_of_birth"] == date(2018, 7, 14)
    with transaction.atomic():
        happened(actor, person, "ehe_registered", date(2026, 3, 1))
        assert _row(person)["ehe_event"] == EHE_REGISTERED
        happened(actor, person, "VISIT", date(2026, 4, 1))
        assert _row(person)["last_contact"] is not None
    person.refresh_from_db()
    with transaction.atomic():
        people_services.person_update(
            actor=actor,
            person=person,
            expected_version=person.version,
            data={"date_of_death": date(2026, 5, 1)},
        )
        assert _row(person)["date_of_death"] == date(2026, 5, 1)
    # Each kept row is what a rebuild from scratch gives.
    kept = _row(person)
    register_facts_refresh()
    assert _row(person) == kept


def test_an_allocation_through_its_service_changes_the_row_in_its_transaction(users, people):
    """The allocation service opens an involvement and appends "allocated": the row's
    involvement span comes from that append, inside the same transaction."""
    child_ = people["involved"]
    casework_services.episode_open(
        actor=users["social_worker"],
        child=child_,
        kind="cin",
        referral_date=TEST_TODAY - timedelta(days=30),
        primary_need="N1",
    )
    with transaction.atomic():
        Involvement.objects.filter(person=child_).delete()
        register_facts_for([child_.pk])
        assert _row(child_)["involved_from"] is None
        casework_services.allocate(
            actor=users["team_manager"], child=child_, worker=users["colleague"]
        )
        assert _row(child_)["involved_from"] == TEST_TODAY
        assert _row(child_)["involved_until"] is None
        kept = _row(child_)
        register_facts_refresh()
        assert _row(child_) == kept


def test_an_adult_has_no_register_row(users):
    adult = child("Adult", born=date(1990, 1, 1), kind="adult")
    happened(users["mash_worker"], adult, "VISIT", date(2026, 4, 1))
    assert _row(adult) == {}


def test_whoever_opens_the_registers_reads_every_restricted_entry(users):
    """The stored last contact counts restricted partner entries (as the stored contact of
    ADR 0033 always has), and a register shows its date. That discloses nothing only because
    every role that opens the registers reads restricted entries whole on every child it
    sees: if a role is given the registers without that, this fails and the row needs a
    last contact from unrestricted entries for it (ADR 0060)."""
    person = child("Anyone")
    openers = [role for role, rules in RULES.items() if rules.can_open_registers]
    assert openers
    for user in users.values():
        if user.role in openers:
            assert restricted_entry_scope(user, [person]).open_person_ids == {person.pk}


def test_a_stale_copy_of_the_restriction_never_shows_a_restricted_child(users):
    """The policy filters the rows by the restriction they copy, then decides each person
    shown again on their own record: a row not yet worked out again cannot show a child
    who is now restricted to the reader, and the audit row does not name them."""
    actor = users["mash_worker"]
    kept = child("Kept", born=date(2025, 12, 1))
    hidden = child("Hidden", born=date(2025, 12, 2))
    for baby in (kept, hidden):
        happened(actor, baby, "health_visitor_contact", date(2026, 1, 10))
    Person.objects.filter(pk=hidden.pk).update(is_restricted=True)  # the copy is now stale
    page = register_page(
        actor=actor, register=Register.UNDER_ONES, as_of=AS_OF, filters=RegisterFilters()
    )
    assert [r.person_id for r in page.rows] == [kept.pk]
    assert subjects(AuditEvent.objects.latest("pk")) == [kept.pk]
    register_facts_for([hidden.pk])
    page = register_page(
        actor=actor, register=Register.UNDER_ONES, as_of=AS_OF, filters=RegisterFilters()
    )
    assert [r.person_id for r in page.rows] == [kept.pk]
    assert page.count == 1


def _lives_at(person: Any, *postcodes: str) -> None:
    """Open addresses written directly (as an import or the loader may), then the row."""
    for number, postcode in enumerate(postcodes):
        address = Address.objects.create(line_1=f"{number} Lane", town="Demoton", postcode=postcode)
        PersonAddress.objects.create(person=person, address=address, start_date=date(2020, 1, 1))
    register_facts_for([person.pk])


def test_the_district_filter_reads_the_stored_district_as_the_addresses_say(users):
    """The district a row stores gives the register the children the open addresses give:
    "DS1" is not "DS12", a postcode without a space has no district, an ended address
    counts for nothing, and a child living in two districts is found in each."""
    actor = users["mash_worker"]
    children = {
        "one": ("DS1 4AB",),
        "twelve": ("DS12 9ZZ",),
        "two_places": ("DS1 2CD", "DS2 3EF"),
        "no_space": ("DS17XY",),
        "nowhere": (),
    }
    made = {}
    for given, postcodes in children.items():
        made[given] = child(given.replace("_", " ").title(), born=date(2014, 1, 1))
        allocate(made[given], users["social_worker"], start=date(2026, 1, 1))
        _lives_at(made[given], *postcodes)
    ended = child("Ended", born=date(2014, 1, 1))
    allocate(ended, users["social_worker"], start=date(2026, 1, 1))
    _lives_at(ended, "DS1 5GH")
    PersonAddress.objects.filter(person=ended).update(end_date=date(2026, 2, 1))
    register_facts_for([ended.pk])
    assert _row(made["two_places"])["district"] == SEVERAL_DISTRICTS

    def shown(district: str) -> set[int]:
        rows = register_rows(
            actor, Register.NO_CONTACT, as_of=AS_OF, filters=RegisterFilters(district=district)
        )
        return {r["person_id"] for r in rows}

    def from_addresses(district: str) -> set[int]:
        everyone = set(_from_scratch(Register.NO_CONTACT, AS_OF))
        living = PersonAddress.objects.filter(
            end_date__isnull=True, address__postcode__startswith=f"{district} "
        ).values_list("person_id", flat=True)
        return everyone & set(living)

    for district in ("DS1", "DS2", "DS12", "DS17"):
        assert shown(district) == from_addresses(district), district
    assert shown("DS1") == {made["one"].pk, made["two_places"].pk}
    assert shown("DS2") == {made["two_places"].pk}


def test_a_move_through_its_service_changes_the_district_in_its_transaction(users):
    actor = users["mash_worker"]
    person = child("Mover", born=date(2015, 5, 5))
    _lives_at(person, "DS3 1AA")
    assert _row(person)["district"] == "DS3"
    with transaction.atomic():
        people_services.person_move(
            actor=actor,
            person=person,
            address={"line_1": "9 New Road", "town": "Demoton", "postcode": "DS14 2BB"},
            start_date=AS_OF,
        )
        assert _row(person)["district"] == "DS14"
    kept = _row(person)
    register_facts_refresh()
    assert _row(person) == kept


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="where a row version lies (ctid) is PostgreSQL's",
)
def test_an_append_that_changes_no_fact_leaves_the_row_unwritten(users):
    """Partner ingest appends for a thousand children a batch: a row whose facts are what it
    holds is not written again (each rewrite is a new version in four covering indexes)."""
    from django.db import connection

    actor = users["mash_worker"]
    person = child("Still", born=date(2015, 5, 5))
    happened(actor, person, "VISIT", date(2026, 3, 1))  # its first service
    happened(actor, person, "VISIT", date(2026, 9, 1))  # its last contact

    def version() -> str:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT ctid::text FROM hardtosee_registerfacts WHERE person_id = %s", [person.pk]
            )
            return cursor.fetchone()[0]

    before = version()
    happened(actor, person, "VISIT", date(2026, 6, 1))  # neither first nor last
    assert version() == before
    happened(actor, person, "VISIT", date(2026, 10, 1))  # a later contact: written
    assert version() != before


def test_a_person_no_longer_a_child_loses_their_row(users):
    actor = users["mash_worker"]
    person = child("Grown", born=date(2007, 1, 1))
    assert _row(person)
    Person.objects.filter(pk=person.pk).update(kind="adult")
    happened(actor, person, "VISIT", date(2026, 9, 1))
    assert _row(person) == {}
