"""The Demoshire generator: deterministic, valid by SafeHub's own rules, and giving the
printed demo sign-ins real work. One reduced-size council is seeded per module through the
real `seed_demo` command and rolled back afterwards."""

import base64
import io
import re
from collections import Counter
from datetime import date, time, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.models import Involvement, InvolvementKind, RestrictedAccess
from safehub.access.policy import Action, Decision, decide
from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.identifiers import clean_nhs_number, clean_postcode, clean_upn
from safehub.demo.generator import DEMO_PASSWORD, PRINTED_SIGNINS, generate, plan, totp_key_for
from safehub.demo.generator.census_plants import census_plant_targets
from safehub.organisations.models import Agency, AgencyKind, User
from safehub.people.codes import INVERSE, OLDER_GENERATION, NameKind, PersonKind
from safehub.people.models import Address, Person, PersonAddress, PersonName, Relationship
from safehub.people.names import name_key, name_sound
from safehub.people.validation import clean_person_data

PERSONS = 300


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """Run `seed_demo` once for the module inside a transaction that is rolled back."""
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", "--persons", str(PERSONS), "--as-of", str(TEST_TODAY), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


def _snapshot(families: Any) -> list[tuple]:
    return [
        (
            f.index,
            p.current.given,
            p.current.family,
            p.nhs_number,
            p.upn,
            p.kind,
            tuple((n.kind, n.given, n.family) for n in p.names),
            tuple(
                sorted(
                    (r.subject, r.other, r.type, str(r.pair_key))
                    for r in f.relationships
                    if r.subject == i
                )
            ),
        )
        for f in families
        for i, p in enumerate(f.persons)
    ]


# --- planning: pure, deterministic -----------------------------------------------------------


def test_plan_is_deterministic_and_independent_of_the_day() -> None:
    _, first = plan("small", persons=PERSONS, reference_date=date(2026, 3, 1))
    _, again = plan("small", persons=PERSONS, reference_date=date(2026, 3, 1))
    _, later = plan("small", persons=PERSONS, reference_date=date(2031, 9, 30))
    first_list, again_list = list(first), list(again)
    assert _snapshot(first_list) == _snapshot(again_list)
    assert [e.summary for f in first_list for e in f.events] == [
        e.summary for f in again_list for e in f.events
    ]
    # Another day shifts the dates, never the people or how they are related.
    assert _snapshot(first_list) == _snapshot(list(later))
    _, other_seed = plan("small", persons=PERSONS, seed=7, reference_date=date(2026, 3, 1))
    assert _snapshot(first_list) != _snapshot(list(other_seed))


@pytest.mark.parametrize(("scale", "children"), [("small", 1), ("county", 3), ("large", 10)])
def test_every_scale_has_its_long_history_children(scale: str, children: int) -> None:
    _, families = plan(scale, persons=1_000)
    links = [
        sum(1 for e in f.events if f.long_history in e.persons)
        for f in families
        if f.long_history is not None
    ]
    assert len(links) == children
    assert min(links) >= 500


def test_plan_size_follows_the_person_target() -> None:
    _, families = plan("small", persons=1_000)
    total = sum(len(f.persons) for f in families)
    assert 1_000 <= total < 1_020


# --- refusals ----------------------------------------------------------------------------------


def test_commands_refuse_without_demo_mode(settings: Any) -> None:
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE"):
        call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_totp", "social.worker", stdout=io.StringIO())
    with pytest.raises(ImproperlyConfigured):
        generate("small", persons=10)


# --- the seeded council ---------------------------------------------------------------------


@pytest.mark.django_db
def test_command_prints_signins_and_long_history_child(seeded: str) -> None:
    for staff in PRINTED_SIGNINS:
        row = next(line for line in seeded.splitlines() if line.startswith(staff.username + " "))
        assert DEMO_PASSWORD in row
        device = TOTPDevice.objects.get(user__username=staff.username)
        assert base64.b32encode(device.bin_key).decode() in row
    assert "Current code: make totp USER=<username>" in seeded
    assert seeded.count("authenticator secret (TOTP)") == 1
    assert re.search(r"Long-history child: SafeHub ID \d+", seeded)


@pytest.mark.django_db
def test_seeding_again_is_refused_or_skipped(seeded: str) -> None:
    with pytest.raises(CommandError, match="already has organisations"):
        call_command("seed_demo", stdout=io.StringIO())
    out = io.StringIO()
    before = Person.objects.count()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "not seeding" in out.getvalue()
    assert Person.objects.count() == before


@pytest.mark.django_db
def test_database_holds_exactly_the_plan(seeded: str) -> None:
    _, families = plan("small", persons=PERSONS, reference_date=TEST_TODAY)
    planned = [
        (p.current.given, p.current.family, p.nhs_number, p.upn)
        for f in families
        for p in f.persons
    ]
    stored = list(
        Person.objects.order_by("pk").values_list(
            "pk", "given_name", "family_name", "nhs_number", "upn"
        )
    )
    # The UPN keyed wrong on purpose for the census validator (census_plants.py) aside.
    planted = census_plant_targets(TEST_TODAY)[:1]
    assert [s[1:] for s in stored if s[0] not in planted] == [
        p for p, s in zip(planned, stored, strict=True) if s[0] not in planted
    ]


@pytest.mark.django_db
def test_organisations(seeded: str) -> None:
    council = Agency.objects.get(name="Demoshire County Council", kind=AgencyKind.COUNCIL)
    assert {
        "MASH",
        "Assessment Team North",
        "Assessment Team South",
        "Child Protection Team",
        "Children in Care Team",
        "Early Help Team",
        "Safeguarding Unit",
        "Performance and Insight",
        "Information Governance",
        "IT Service Desk",
    } <= set(council.teams.values_list("name", flat=True))
    for agency in Agency.objects.exclude(pk=council.pk):
        assert agency.teams.exists(), agency
        if agency.kind == AgencyKind.SCHOOL:
            assert re.fullmatch(r"\d{6}", agency.urn), agency
        if agency.kind == AgencyKind.GP_PRACTICE:
            assert re.fullmatch(r"[A-Z]\d{5}", agency.ods_code), agency
    assert Agency.objects.get(kind=AgencyKind.HEALTH_TRUST).ods_code == "RXX"
    assert Agency.objects.filter(kind=AgencyKind.POLICE).exists()
    assert Agency.objects.filter(kind=AgencyKind.HOUSING).exists()
    assert Agency.objects.filter(kind=AgencyKind.VOLUNTARY).exists()
    assert User.objects.filter(team__isnull=True).count() == 0
    assert not User.objects.filter(is_demo=False).exists()


@pytest.mark.django_db
def test_social_workers_have_social_work_england_numbers(seeded: str) -> None:
    from safehub.access.policy import case_holding_roles

    holders = User.objects.filter(role__in=case_holding_roles())
    numbers = list(holders.values_list("swe_registration", flat=True))
    assert numbers
    assert all(re.fullmatch(r"SW\d{6}", n) for n in numbers)
    assert len(set(numbers)) == len(numbers)
    assert not User.objects.exclude(role__in=case_holding_roles()).exclude(swe_registration="")
    # The same on every load: by username.
    first = holders.order_by("username").first()
    assert first is not None
    assert first.swe_registration == "SW100001"


@pytest.mark.django_db
def test_printed_signins_exist_with_a_confirmed_authenticator(seeded: str) -> None:
    for staff in PRINTED_SIGNINS:
        user = User.objects.get(username=staff.username)
        assert user.role == staff.role
        assert user.is_demo
        assert user.is_active
        assert user.check_password(DEMO_PASSWORD)
        assert user.email == f"{staff.username}@demoshire.example"
        assert user.team is not None
        assert user.team.name == staff.team
        assert user.agency.name == staff.agency
        device = TOTPDevice.objects.get(user=user)
        assert device.confirmed
        assert device.key == totp_key_for(staff.username)
        assert len(device.key) == 40
    assert User.objects.get(username="teacher.dsl").job_title == "Designated safeguarding lead"


@pytest.mark.django_db
def test_demo_totp_prints_a_code_the_device_accepts(seeded: str) -> None:
    out = io.StringIO()
    call_command("demo_totp", "social.worker", stdout=out)
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)
    assert TOTPDevice.objects.get(user__username="social.worker").verify_token(code)
    with pytest.raises(CommandError, match="No demo account"):
        call_command("demo_totp", "nobody.here", stdout=io.StringIO())


@pytest.mark.django_db
def test_identifiers_are_valid_and_unique(seeded: str) -> None:
    nhs = [n for n in Person.objects.values_list("nhs_number", flat=True) if n]
    planted = census_plant_targets(TEST_TODAY)[:1]  # the UPN keyed wrong on purpose
    upns = [u for u in Person.objects.exclude(pk__in=planted).values_list("upn", flat=True) if u]
    assert len(nhs) > PERSONS * 0.8
    assert upns
    assert all(clean_nhs_number(n) == n for n in nhs)
    assert all(clean_upn(u) == u for u in upns)
    assert len(set(nhs)) == len(nhs)
    assert len(set(upns)) == len(upns)
    postcodes = Address.objects.values_list("postcode", flat=True)
    assert all(clean_postcode(p) == p for p in postcodes)
    # School-age children have UPNs; the unborn have no identifiers at all.
    assert not Person.objects.filter(kind=PersonKind.UNBORN).exclude(nhs_number="", upn="")


@pytest.mark.django_db
def test_every_person_passes_the_validation_rules(seeded: str) -> None:
    today = TEST_TODAY
    current = {n.person_id: n for n in PersonName.objects.filter(kind=NameKind.CURRENT)}
    # Less the two records whose census mistakes are planted on purpose (census_plants.py).
    for person in Person.objects.exclude(pk__in=census_plant_targets(today)):
        name = current[person.pk]
        assert (name.given_name, name.family_name) == (person.given_name, person.family_name)
        data = {
            f: getattr(person, f)
            for f in (
                "kind",
                "given_name",
                "family_name",
                "date_of_birth",
                "expected_date_of_birth",
                "date_of_death",
                "sex",
                "gender_current",
                "ethnicity",
                "first_language",
                "interpreter_needed",
                "date_of_birth_estimated",
                "disabilities",
                "nhs_number",
                "upn",
            )
        }
        data["middle_names"] = name.middle_names
        clean_person_data(data, today=today)
        if person.kind == PersonKind.UNBORN:
            assert person.sex == "U"
            assert person.date_of_birth is None
            assert person.expected_date_of_birth is not None
            assert 0 < (person.expected_date_of_birth - today).days <= 183
    kinds = Counter(PersonName.objects.values_list("kind", flat=True))
    assert kinds[NameKind.CURRENT] == Person.objects.count()
    assert kinds[NameKind.FORMER]
    assert kinds[NameKind.ALIAS]
    assert Person.objects.filter(kind=PersonKind.UNBORN).exists()
    assert (
        Counter(Person.objects.values_list("ethnicity", flat=True)).most_common(1)[0][0] == "WBRI"
    )


@pytest.mark.django_db
def test_names_carry_search_keys(seeded: str) -> None:
    born = dict(Person.objects.values_list("pk", "date_of_birth"))
    for name in PersonName.objects.all():
        assert name.born == born[name.person_id]
        assert name.given_key == name_key(name.given_name)
        assert name.family_key == name_key(name.family_name)
        assert name.given_sound == name_sound(name.given_name)
        assert name.family_sound == name_sound(name.family_name)


@pytest.mark.django_db
def test_relationships_are_stored_both_ways(seeded: str) -> None:
    rows = list(Relationship.objects.select_related("subject", "other"))
    by_pair: dict[Any, list[Relationship]] = {}
    for row in rows:
        by_pair.setdefault(row.pair_key, []).append(row)
    for pair in by_pair.values():
        assert len(pair) == 2
        a, b = pair
        assert (a.subject_id, a.other_id) == (b.other_id, b.subject_id)
        assert INVERSE[a.type] == b.type
        assert (a.start_date, a.end_date) == (b.start_date, b.end_date)
    types = Counter(r.type for r in rows)
    for kind in (
        "parent",
        "sibling",
        "half_sibling",
        "step_sibling",
        "step_parent",
        "partner",
        "grandparent",
    ):
        assert types[kind], kind
    for row in rows:
        if row.type in OLDER_GENERATION:
            older = row.subject.date_of_birth
            younger = row.other.date_of_birth or row.other.expected_date_of_birth
            assert older is not None, row
            assert younger is not None, row
            assert older < younger, row
        else:
            assert not row.has_parental_responsibility
        if row.start_date:
            assert row.start_date <= TEST_TODAY
    assert Relationship.objects.filter(type="parent", has_parental_responsibility=True).count()


@pytest.mark.django_db
def test_addresses_and_households(seeded: str) -> None:
    assert not PersonAddress.objects.filter(end_date__lt=F("start_date")).exists()
    open_homes = Counter(
        PersonAddress.objects.filter(end_date__isnull=True).values_list("person_id", flat=True)
    )
    for person in Person.objects.exclude(kind=PersonKind.UNBORN):
        assert open_homes[person.pk] == 1, person
    assert PersonAddress.objects.filter(end_date__isnull=False).exists()  # some moved
    assert not PersonAddress.objects.filter(household__isnull=True).exists()


@pytest.mark.django_db
def test_printed_users_have_real_work(seeded: str) -> None:
    worker = User.objects.get(username="social.worker")
    allocated = Involvement.objects.filter(kind=InvolvementKind.ALLOCATED_WORKER, user=worker)
    assert not allocated.exclude(team=worker.team).exists()
    children = allocated.filter(person__kind__in=[PersonKind.CHILD, PersonKind.UNBORN])
    assert 20 <= children.count() <= 25
    manager = User.objects.get(username="team.manager")
    assert Involvement.objects.filter(team=manager.team).exclude(user=worker).exists()
    school = User.objects.get(username="teacher.dsl").agency
    assert Involvement.objects.filter(agency=school).count() >= 3
    trust = User.objects.get(username="health.visitor").agency
    assert Involvement.objects.filter(agency=trust).count() >= 3
    chair = User.objects.get(username="cp.chair")
    assert (
        Involvement.objects.filter(kind=InvolvementKind.CONFERENCE_CHAIR, user=chair).count() >= 3
    )
    # Allocated families: everyone in them is involved, with the worker's own team.
    wrong_team = Involvement.objects.filter(kind=InvolvementKind.ALLOCATED_WORKER).exclude(
        team=F("user__team")
    )
    assert not wrong_team.exists()


@pytest.mark.django_db
def test_restricted_records_and_allow_lists(seeded: str) -> None:
    worker = User.objects.get(username="social.worker")
    worker2 = User.objects.get(username="social.worker2")
    restricted = Person.objects.filter(is_restricted=True)
    assert restricted.count() >= 3
    assert not restricted.filter(restriction_reason="").exists()
    allowed = restricted.get(restricted_access__user=worker)
    assert decide(worker, allowed, Action.VIEW) is Decision.ALLOW
    south = restricted.filter(
        involvements__team=worker2.team, involvements__end_date__isnull=True
    ).exclude(restricted_access__user=worker)
    assert south.exists()
    assert decide(worker, south.first(), Action.VIEW) is Decision.DENY
    # A restricted child of the worker's own team they are not allow-listed for: break glass.
    north = (
        restricted.filter(involvements__team=worker.team, involvements__end_date__isnull=True)
        .exclude(restricted_access__user=worker)
        .first()
    )
    assert decide(worker, north, Action.VIEW) is Decision.BREAK_GLASS
    assert RestrictedAccess.objects.count() >= 2


@pytest.mark.django_db
def test_long_history_child(seeded: str) -> None:
    found = re.search(r"Long-history child: SafeHub ID (\d+)", seeded)
    assert found is not None, seeded
    person_id = int(found.group(1))
    person = Person.objects.get(pk=person_id)
    assert person.kind == PersonKind.CHILD
    assert ChronologyLink.objects.filter(person=person).count() >= 500
    assert Involvement.objects.filter(person=person, user__username="social.worker").exists()


@pytest.mark.django_db
def test_chronology_is_consistent(seeded: str) -> None:
    assert not ChronologyLink.objects.exclude(occurred_at=F("entry__occurred_at")).exists()
    for code, category in ChronologyEntry.objects.values_list("event_type", "category").distinct():
        assert registry.get(code).category == category
    created = Counter(
        ChronologyLink.objects.filter(entry__event_type="PERSON_CREATED").values_list(
            "person_id", flat=True
        )
    )
    assert set(created.values()) == {1}
    assert len(created) == Person.objects.count()
    partner_codes = {
        c
        for c in ChronologyEntry.objects.values_list("event_type", flat=True)
        if c not in ("PERSON_CREATED", "ADDRESS_CHANGED")
    }
    assert {
        "SCHOOL_ATTENDANCE_CONCERN",
        "POLICE_DOMESTIC_ABUSE_NOTIFICATION",
        "EMERGENCY_DEPARTMENT_ATTENDANCE",
        "MISSED_HEALTH_APPOINTMENT",
        "HEALTH_VISITOR_CONTACT",
        "HOUSING_NOTIFICATION",
        "SOCIAL_CARE_NOTE",
    } <= partner_codes
    # Every entry names an agency but a contact from someone outside every agency (the
    # public, a caller), which describes them instead of naming them.
    no_agency = ChronologyEntry.objects.filter(source_agency__isnull=True)
    assert not no_agency.exclude(event_type="CONTACT_RECEIVED", done_by_label__gt="").exists()
    assert not no_agency.filter(done_by__isnull=False).exists()
    # Whoever a worker's entry credits, they recorded it; dated entries sit at midday.
    assert (
        not ChronologyEntry.objects.filter(done_by__isnull=True, done_by_label="")
        .exclude(recorded_by__isnull=True)
        .exists()
    )
    for occurred_at in ChronologyEntry.objects.filter(time_known=False).values_list(
        "occurred_at", flat=True
    ):
        assert timezone.localtime(occurred_at).time() == time(12)
    assert not ChronologyEntry.objects.filter(occurred_at__gt=timezone.now()).exists()
    assert not ChronologyEntry.objects.exclude(significance__in=[1, 2, 3, 4]).exists()
    # What partners and workers noted is mostly routine (casework records say what the
    # services say, which is rarely routine: they are counted apart).
    noted = ChronologyEntry.objects.exclude(source_type__startswith="casework.")
    significance = Counter(noted.values_list("significance", flat=True))
    assert significance[1] > significance[2] > significance[4]
    # Domestic abuse notifications link the whole household.
    multi = (
        ChronologyEntry.objects.filter(event_type="POLICE_DOMESTIC_ABUSE_NOTIFICATION")
        .annotate(n=Count("links"))
        .filter(n__gt=2)
    )
    assert multi.exists()
    # Nothing is linked to someone before they were born (or, unborn, conceived).
    early = ChronologyLink.objects.filter(
        Q(person__date_of_birth__isnull=False) & Q(occurred_at__date__lt=F("person__date_of_birth"))
    )
    assert not early.exclude(entry__event_type="PERSON_CREATED").exists()
    school_entries = ChronologyEntry.objects.filter(event_type="SCHOOL_ATTENDANCE_CONCERN")
    assert not school_entries.exclude(source_agency__kind=AgencyKind.SCHOOL).exists()


@pytest.mark.django_db
def test_a_council_of_any_size_agrees_with_itself(seeded: str) -> None:
    """The reduced council too: plans in order, nothing late in a plan shown as running
    well, notes that fit the child's records."""
    from safehub.demo.tests.test_casework_records import consistency_violations

    assert consistency_violations(TEST_TODAY) == []


@pytest.mark.django_db
def test_partner_events_of_every_type_from_the_right_agencies(seeded: str) -> None:
    from safehub.partners.codes import BY_CODE, SECTOR_OF_KIND, MatchState
    from safehub.partners.models import PartnerEvent

    events = list(PartnerEvent.objects.select_related("agency", "sent_by", "person"))
    assert {e.type for e in events} == set(BY_CODE)
    for e in events:
        assert SECTOR_OF_KIND[e.agency.kind] == BY_CODE[e.type].sector, e
        assert e.sent_by.agency_id == e.agency_id
        assert e.received_at <= timezone.now()
        assert e.occurred_at <= e.received_at + timedelta(days=1)
    states = Counter(e.state for e in events)
    assert states[MatchState.MATCHED_BY_IDENTIFIER] > states[MatchState.AWAITING] > 0
    assert states[MatchState.MATCHED_BY_WORKER] > 0
    filed = [e for e in events if e.person_id]
    entries = ChronologyEntry.objects.filter(source_type="partners.PartnerEvent")
    assert entries.count() == len(filed)
    on_record = set(
        ChronologyLink.objects.filter(entry__in=entries).values_list(
            "person_id", "entry__source_id"
        )
    )
    assert on_record == {(e.person_id, str(e.pk)) for e in filed}
    # Filed by identifier: the record holds the identifier the partner sent.
    planted = census_plant_targets(TEST_TODAY)[:1]  # its UPN keyed wrong on purpose
    for e in filed:
        if e.state == MatchState.MATCHED_BY_IDENTIFIER and e.person_id not in planted:
            assert e.person is not None
            assert e.person.nhs_number == e.nhs_number or e.person.upn == e.upn
    waiting = [e for e in events if e.state == MatchState.AWAITING]
    assert all(e.given_name and e.date_of_birth and e.postcode for e in waiting)


@pytest.mark.django_db
def test_five_years_of_partner_feeds_in_national_proportions(seeded: str) -> None:
    from safehub.demo.generator.partner_events import (
        SECTOR_SHARE,
        VOLUME_FIRST_NUMBER,
        VOLUME_PER_PERSON,
        VOLUME_YEARS,
    )
    from safehub.partners.codes import BY_CODE, MatchState
    from safehub.partners.models import PartnerEvent

    volume = [
        e
        for e in PartnerEvent.objects.all()
        if re.fullmatch(r"\d+-\d+", e.partner_event_id)
        and int(e.partner_event_id.split("-")[1]) >= VOLUME_FIRST_NUMBER
    ]
    # Every person known three times over, less the few born too late for a given day.
    assert PERSONS * VOLUME_PER_PERSON * 0.9 <= len(volume) <= PERSONS * VOLUME_PER_PERSON
    assert all(e.state == MatchState.MATCHED_BY_IDENTIFIER and e.person_id for e in volume)
    shares = Counter(BY_CODE[e.type].sector for e in volume)
    total = sum(SECTOR_SHARE.values())
    for sector, share in SECTOR_SHARE.items():
        assert abs(shares[sector] / len(volume) - share / total) < 0.06, (sector, shares)
    days = sorted(e.occurred_at.date() for e in volume)
    assert (days[-1] - days[0]).days > 365 * (VOLUME_YEARS - 1)
    assert days[-1] < TEST_TODAY
    # Some children hear from many agencies over the years, most from few.
    per_person = Counter(e.person_id for e in volume)
    assert max(per_person.values()) >= 5 * (len(volume) / len(per_person))


# --- schools on children's records (ADR 0033) ---------------------------------------------


def _age_in_days(person: Person) -> int:
    assert person.date_of_birth is not None
    return (TEST_TODAY - person.date_of_birth).days


def _out_of_school() -> set[int]:
    """Children the elective home education or missing education register lists today."""
    from safehub.hardtosee.selectors import cme_register, ehe_register

    registers = (ehe_register(TEST_TODAY), cme_register(TEST_TODAY))
    return {pk for register in registers for pk in register.values_list("pk", flat=True)}


@pytest.mark.django_db
def test_school_age_children_name_their_school_by_urn(seeded: str) -> None:
    """A school-age pupil of a state-funded school (one with a UPN) has that school on their
    record as an agency known by its URN, in about England's share; nobody else has one."""
    with_school = list(
        Person.objects.filter(school_agency__isnull=False).select_related("school_agency")
    )
    assert with_school
    for child in with_school:
        school = child.school_agency
        assert school is not None
        assert school.kind == AgencyKind.SCHOOL
        assert re.fullmatch(r"\d{6}", school.urn)
        assert child.school == school.name
        assert child.kind == PersonKind.CHILD
        assert child.upn
        assert 4 * 365 + 180 <= _age_in_days(child) < 18 * 365
    out = _out_of_school()
    compulsory = [
        p
        for p in Person.objects.filter(kind=PersonKind.CHILD, date_of_birth__isnull=False)
        if 6 * 365 <= _age_in_days(p) < 16 * 365 and p.pk not in out
    ]
    assert len(compulsory) >= 40
    # Every pupil of a state-funded school (a UPN) names it ...
    assert all(p.school_agency_id for p in compulsory if p.upn)
    # ... which is about England's 93%; the rest are at independent schools or newly arrived.
    at_school = sum(p.school_agency_id is not None for p in compulsory)
    assert 0.85 <= at_school / len(compulsory) <= 0.97, (at_school, len(compulsory))


@pytest.mark.django_db
def test_children_educated_at_home_or_missing_education_name_no_school(seeded: str) -> None:
    from safehub.partners.models import PartnerEvent

    out = _out_of_school()
    assert out
    assert not Person.objects.filter(pk__in=out, school_agency__isnull=False).exists()
    # Those back at school since keep theirs.
    back = PartnerEvent.objects.filter(type="ehe_ended").values("person_id")
    assert Person.objects.filter(pk__in=back, school_agency__isnull=False).exists()


@pytest.mark.django_db
def test_an_encompass_notice_about_a_demo_child_goes_to_their_school(seeded: str) -> None:
    from safehub.partners.models import EncompassNotice, NoticeState
    from safehub.partners.services import partner_events_receive

    child = (
        Person.objects.filter(school_agency__isnull=False, is_restricted=False)
        .exclude(nhs_number="")
        .order_by("pk")
        .first()
    )
    assert child is not None
    police = (
        User.objects.filter(agency__kind=AgencyKind.POLICE, role="partner_practitioner")
        .order_by("pk")
        .first()
    )
    assert police is not None
    [outcome] = partner_events_receive(
        actor=police,
        events=[
            {
                "event_id": "DEMO-SCHOOL-DA-1",
                "type": "domestic_abuse_child_present",
                "occurred_at": "2026-11-22T22:40:00Z",
                "summary": "Officers attended a domestic incident; the child was present.",
                "significance": "high",
                "nhs_number": child.nhs_number,
            }
        ],
    )
    assert outcome.outcome == "accepted", outcome.reasons
    notice = EncompassNotice.objects.get(event__partner_event_id="DEMO-SCHOOL-DA-1")
    assert notice.state == NoticeState.SENT
    assert notice.school_id == child.school_agency_id
