"""Demoshire's front-door contacts: realistic proportions, valid by the front door's own
rules, deterministic, and loaded exactly as planned."""

import io
import random
from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from conftest import TEST_TODAY
from django.core.management import call_command
from django.db import transaction

from safehub.chronology.models import ChronologyEntry
from safehub.demo.generator import SCALES, FamilyPlanner, plan, plan_organisation
from safehub.demo.generator.frontdoor import typo
from safehub.demo.generator.organisations import HEALTH_TRUST, TEACHER_SCHOOL
from safehub.demo.generator.plan import PlannedContact, PlannedFamily
from safehub.frontdoor import selectors
from safehub.frontdoor.codes import REFERRAL_DECISIONS, Channel, ReferralSource, Status
from safehub.frontdoor.models import Contact, ContactSubject, InformationRequest
from safehub.frontdoor.services import _REFERENCE_ALPHABET, decision_due, new_reference
from safehub.frontdoor.validation import clean_submission
from safehub.organisations.models import User
from safehub.people.models import Person

TODAY = date(2026, 3, 2)  # a Monday
PERSONS = 300


@pytest.fixture(scope="module")
def small() -> list[tuple[PlannedFamily, PlannedContact]]:
    """Contacts planned at the small scale's rates for 6,000 people (planning is pure and
    takes about a second), each with its family: enough for steady proportions."""
    _, families = plan("small", persons=6_000, reference_date=TODAY)
    return [(fam, c) for fam in families for c in fam.contacts]


def _contacts(small: list) -> list[PlannedContact]:
    return [c for _, c in small]


def _rereferral(small: list, contact: PlannedContact, fam: PlannedFamily) -> bool:
    """Another referral about one of its linked children in the 12 months before."""
    children = {s.person for s in contact.subjects if s.person is not None and s.role == "child"}
    return any(
        other is not contact
        and other.status == Status.DECIDED
        and other.decision in REFERRAL_DECISIONS
        and contact.received_at - timedelta(days=365) <= other.received_at < contact.received_at
        and children & {s.person for s in other.subjects if s.role == "child"}
        for f, other in small
        if f is fam
    )


# --- proportions ---------------------------------------------------------------------------


def test_scales_have_their_open_contact_targets() -> None:
    assert SCALES["small"].open_contacts == 60
    assert SCALES["county"].open_contacts == 3_000
    assert SCALES["large"].open_contacts >= 50_000
    _, families = plan("small", reference_date=TODAY)
    assert 50 <= sum(1 for f in families for c in f.contacts if c.status != Status.DECIDED) <= 70
    # Fewer people give proportionally fewer contacts at the same rate.
    for scale in ("county", "large"):
        _, families = plan(scale, persons=5_000, reference_date=TODAY)
        opened = sum(1 for f in families for c in f.contacts if c.status != Status.DECIDED)
        expected = SCALES[scale].open_contacts * 5_000 / SCALES[scale].persons
        assert 0.85 * expected <= opened <= 1.15 * expected, scale


def test_open_and_decided_contacts(small: list) -> None:
    contacts = _contacts(small)
    statuses = Counter(c.status for c in contacts)
    opened = len(contacts) - statuses[Status.DECIDED]
    assert 160 <= opened <= 200  # 0.03 a person at the small scale
    assert all(statuses[s] for s in (Status.NEW, Status.IN_TRIAGE, Status.AWAITING_SIGN_OFF))
    assert 400 <= statuses[Status.DECIDED] <= 560  # about 0.08 a person over two years
    decided = [c for c in contacts if c.status == Status.DECIDED]
    decisions = Counter(c.decision for c in decided)
    assert set(decisions) == {"nfa", "advice", "early_help", "assessment", "strategy"}
    referrals = [c for c in decided if c.decision in REFERRAL_DECISIONS]
    assert 0.32 <= len(referrals) / len(decided) <= 0.48
    again = sum(1 for fam, c in small if c in referrals and _rereferral(small, c, fam))
    assert 0.12 <= again / len(referrals) <= 0.32


def test_channels_sources_urgencies_and_ratings(small: list) -> None:
    contacts = _contacts(small)
    assert set(Counter(c.channel for c in contacts)) == set(Channel.values)
    sources = Counter(c.submission["referral_source"] for c in contacts)
    assert set(sources) <= set(ReferralSource.values)
    assert len(sources) >= 12
    assert sources.most_common(1)[0][0] == ReferralSource.POLICE
    assert set(Counter(c.submission["urgency"] for c in contacts)) == {
        "immediate",
        "urgent",
        "routine",
    }
    for c in contacts:
        if c.status in (Status.AWAITING_SIGN_OFF, Status.DECIDED):
            assert all((c.rag, c.level_of_need, c.decision, c.decided_by))
        if c.status == Status.NEW:
            assert not any((c.rag, c.assigned_to, c.decision))
    triage = [c for c in contacts if c.status == Status.IN_TRIAGE]
    assert 0 < sum(1 for c in triage if c.rag) < len(triage)


def test_subjects_are_mostly_linked_and_sometimes_misspelt(small: list) -> None:
    children = [(fam, s) for fam, c in small for s in c.subjects if s.role == "child"]
    linked = [s for _, s in children if s.person is not None]
    assert 0.7 <= len(linked) / len(children) < 0.97
    for fam, s in children:
        if s.person is not None:
            person = fam.persons[s.person]
            assert s.described["given_name"] == person.current.given
            assert s.described["family_name"] == person.current.family
    unlinked = [(fam, s) for fam, s in children if s.person is None]
    known = {(n.given, n.family) for fam, _ in unlinked for p in fam.persons for n in p.names}
    assert any(
        (s.described["given_name"], s.described["family_name"]) not in known for _, s in unlinked
    )  # typos, nicknames, swaps, strangers
    assert any(s.described["date_of_birth"] is None for _, s in unlinked)
    # Nobody may be referred to children's social care before every child is linked.
    for _, c in small:
        if c.decision in REFERRAL_DECISIONS:
            assert all(s.person is not None for s in c.subjects if s.role == "child")


def test_references_and_timescales(small: list) -> None:
    contacts = _contacts(small)
    references = [c.reference for c in contacts]
    assert len(set(references)) == len(references)
    real = new_reference()
    for reference in references:
        assert len(reference) == len(real)
        assert set(reference) <= set(_REFERENCE_ALPHABET)
    latest = datetime.combine(TODAY, time(0), tzinfo=ZoneInfo("Europe/London"))
    for c in contacts:
        assert c.decision_due_at == decision_due(c.received_at, c.submission["urgency"])
        assert c.received_at < latest
        moments = [c.received_at, c.decided_at, c.signed_off_at]
        present = [m for m in moments if m is not None]
        assert present == sorted(present)
        for s in c.subjects:
            assert s.linked_at is None or c.received_at <= s.linked_at < latest
        for r in c.requests:
            assert c.received_at <= r.requested_at
            assert r.answered_at is None or r.requested_at <= r.answered_at < latest


def test_every_submission_passes_the_front_door_rules(small: list) -> None:
    for _, c in small:
        cleaned = clean_submission(c.submission, channel=c.channel, today=c.received_at.date())
        for key in ("concern_summary", "urgency", "referral_source", "consent"):
            assert cleaned[key] == c.submission[key], (c.reference, key)
        assert len(cleaned["children"]) == len(c.submission["children"])


def test_partner_users_have_referrals_and_requests(small: list) -> None:
    contacts = _contacts(small)
    for username, agency in (("teacher.dsl", TEACHER_SCHOOL), ("health.visitor", HEALTH_TRUST)):
        own = [c for c in contacts if c.referrer_user == username]
        assert len(own) >= 2
        assert all(c.referrer_agency == agency for c in own)
        assert {Status.NEW, Status.DECIDED} <= {c.status for c in own}
        assert any(r.agency == agency and r.status == "open" for c in contacts for r in c.requests)
    agencies = {r.agency for c in contacts for r in c.requests}
    assert {"Demoshire Police", HEALTH_TRUST} <= agencies
    assert Counter(r.status for c in contacts for r in c.requests).keys() >= {"open", "answered"}


def test_long_history_children_have_an_open_linked_contact(small: list) -> None:
    for fam, c in small:
        if (
            fam.long_history is not None
            and c.assigned_to == "mash.worker"
            and any(s.person == fam.long_history for s in c.subjects)
        ):
            assert c.status == Status.IN_TRIAGE
            return
    pytest.fail("no open contact about the long-history child")


def test_typos_are_one_slip_away() -> None:
    rng = random.Random(1)
    for name in ["Johnson", "Oliver", "Smith", "O'Brien", "Amelia-Rose"]:
        slipped = typo(name, rng)
        assert slipped != name
        assert slipped[0] == name[0]
        assert abs(len(slipped) - len(name)) <= 1


# --- determinism -----------------------------------------------------------------------------


def _snapshot(scale_persons: int, seed: int) -> list[tuple]:
    _, families = plan("small", persons=scale_persons, seed=seed, reference_date=TODAY)
    return [
        (
            f.index,
            c.reference,
            c.status,
            c.channel,
            c.received_at,
            c.decision,
            c.submission["concern_summary"],
            tuple((s.role, s.person, s.described["given_name"]) for s in c.subjects),
            tuple((r.agency, r.status) for r in c.requests),
        )
        for f in families
        for c in f.contacts
    ]


def test_contacts_are_deterministic_for_a_seed() -> None:
    first = _snapshot(600, 5)
    assert first
    assert first == _snapshot(600, 5)
    assert first != _snapshot(600, 6)


def test_contacts_leave_the_families_as_they_were() -> None:
    _, families = plan("small", persons=400, reference_date=TODAY)
    with_contacts = [(p.current.given, p.nhs_number) for f in families for p in f.persons]
    org = plan_organisation(
        persons=400, primaries=12, secondaries=4, gp_practices=6, seed=20_260_101
    )
    bare = FamilyPlanner(
        org, seed=20_260_101, today=TODAY, persons=400, long_history_children=1
    ).families()
    assert with_contacts == [(p.current.given, p.nhs_number) for f in bare for p in f.persons]


# --- the loaded council -------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        call_command(
            "seed_demo", "--persons", str(PERSONS), "--as-of", str(TEST_TODAY), stdout=io.StringIO()
        )
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_database_holds_exactly_the_planned_contacts(seeded: None) -> None:
    _, families = plan("small", persons=PERSONS, reference_date=TEST_TODAY)
    planned = {c.reference: c for f in families for c in f.contacts}
    stored = {c.reference: c for c in Contact.objects.all()}
    assert stored.keys() == planned.keys()
    for reference, contact in stored.items():
        assert contact.status == planned[reference].status
        assert contact.decision_due_at == decision_due(contact.received_at, contact.urgency)
        assert contact.submission["concern_summary"] == contact.concern_summary
    linked = ContactSubject.objects.exclude(person=None).select_related("person")
    assert linked.exists()
    for subject in linked:
        assert subject.person is not None  # excluded None above
        if subject.role == "child":
            names = {(n.given_name, n.family_name) for n in subject.person.names.all()}
            assert (subject.given_name, subject.family_name) in names
            assert subject.linked_at is not None
            assert subject.person.created_at <= subject.linked_at


@pytest.mark.django_db
def test_telephone_contacts_are_stored_as_the_service_stores_them(seeded: None) -> None:
    """The caller is named but linked to no account or agency; a MASH worker took the call."""
    phoned = Contact.objects.filter(channel=Channel.PHONE).select_related("recorded_by")
    assert phoned.exists()
    for contact in phoned:
        assert contact.referrer_user_id is None
        assert contact.referrer_agency_id is None
        assert contact.recorded_by is not None
        assert contact.recorded_by.role in ("mash_worker", "team_manager")
        assert contact.referrer_name or contact.referral_source == "9"
    assert not Contact.objects.exclude(channel=Channel.PHONE).exclude(recorded_by=None).exists()


@pytest.mark.django_db
def test_linked_children_carry_the_contact_on_their_chronology(seeded: None) -> None:
    subject = ContactSubject.objects.filter(role="child").exclude(person=None).first()
    assert subject is not None
    entry = ChronologyEntry.objects.get(
        event_type="CONTACT_RECEIVED",
        source_type="frontdoor.Contact",
        source_id=str(subject.contact_id),
        links__person=subject.person,
    )
    assert subject.contact.reference in entry.summary
    decided = Contact.objects.filter(status=Status.DECIDED, subjects__person__isnull=False)
    assert ChronologyEntry.objects.filter(
        event_type="CONTACT_DECISION", source_id__in=[str(c.pk) for c in decided]
    ).exists()


@pytest.mark.django_db
def test_contact_entries_credit_the_referrer_the_decider_and_the_signer(seeded: None) -> None:
    """As the services credit them: the referrer (never a member of the public by name), the
    MASH worker who decided, when they decided, and the manager's sign-off apart."""
    contacts = {str(c.pk): c for c in Contact.objects.select_related("decided_by")}
    received = ChronologyEntry.objects.filter(event_type="CONTACT_RECEIVED")
    assert received.exists()
    for entry in received:
        contact = contacts[entry.source_id]
        if contact.referrer_user_id:
            assert entry.done_by_id == entry.recorded_by_id == contact.referrer_user_id
            assert entry.source_agency_id == contact.referrer_agency_id
        else:
            assert entry.done_by_id is None
            assert entry.recorded_by_id == contact.recorded_by_id
            assert entry.done_by_label
            if contact.channel == Channel.PUBLIC and contact.referrer_name:
                assert contact.referrer_name not in entry.done_by_label
    decisions = ChronologyEntry.objects.filter(event_type="CONTACT_DECISION")
    assert decisions.exists()
    for entry in decisions:
        contact = contacts[entry.source_id]
        assert entry.done_by_id == entry.recorded_by_id == contact.decided_by_id
        assert entry.occurred_at == contact.decided_at
        assert contact.decided_by is not None
        assert entry.source_agency_id == contact.decided_by.agency_id
    signed = ChronologyEntry.objects.filter(event_type="CONTACT_DECISION_SIGNED_OFF")
    assert signed.count() == decisions.count()
    for entry in signed:
        contact = contacts[entry.source_id]
        assert entry.done_by_id == contact.signed_off_by_id
        assert entry.occurred_at == contact.signed_off_at


@pytest.mark.django_db
def test_demo_users_see_their_front_door_work(seeded: None) -> None:
    mash = User.objects.get(username="mash.worker")
    queue = selectors.mash_queue(actor=mash, filters=selectors.QueueFilters())
    assert queue.paginator.count == Contact.objects.exclude(status=Status.DECIDED).count()
    assert (
        selectors.mash_queue(actor=mash, filters=selectors.QueueFilters(mine=True)).paginator.count
        >= 1
    )
    for username in ("teacher.dsl", "health.visitor"):
        partner = User.objects.get(username=username)
        assert len(selectors.referrals_made(actor=partner)) >= 2
        assert selectors.requests_for(actor=partner, open_only=True)
    assert InformationRequest.objects.filter(status="answered").exists()
    assert Person.objects.filter(contact_subjects__isnull=False).exists()
