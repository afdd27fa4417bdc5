"""Census errors stopped at entry: one test per rule in `casework.census_rules.RULES`, each
refusing the record the DfE's validation would fail at census time, in plain English, and
saving nothing. `test_every_rule_has_its_test` ties the list to these tests."""

import importlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from conftest import allocate
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.casework import services
from safehub.casework.census_rules import RULES, as_markdown
from safehub.casework.models import (
    CareReview,
    Conference,
    Episode,
    HealthCheck,
    Offence,
    PeriodOfCare,
    Section47,
    StrengthsAndDifficulties,
    SubstanceMisuse,
    UASCStatus,
)
from safehub.casework.services.care import placement_problems
from safehub.frontdoor import services as frontdoor
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission
from safehub.people import services as people_services
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

REFERRAL = date(2025, 3, 3)  # a Monday
PLACEMENT = {
    "legal_status": "C2",
    "placement_type": "U4",
    "provider": "PR1",
    "carer_name": "",
    "home_postcode": "",
    "placement_postcode": "",
}


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]  # allocated to the social worker; the chair chairs


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]


def _open(sw: Any, child: Any, on: date = REFERRAL, need: str = "N1") -> Episode:
    return services.episode_open(
        actor=sw, child=child, kind="cin", referral_date=on, primary_need=need
    )


def _refused(field: str, words: str, call: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    messages = refused.value.message_dict.get(field, []) if field else refused.value.messages
    assert any(words in m for m in messages), refused.value


def _triaged(users: Any, child: Any) -> Contact:
    mash = users["mash_worker"]
    contact, _ = frontdoor.contact_submit(
        actor=users["partner_practitioner"], channel="professional", data=professional_submission()
    )
    contact = frontdoor.contact_take(actor=mash, contact=contact, expected_version=1)
    contact = frontdoor.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    subject = contact.subjects.get(role="child")
    frontdoor.contact_link_subject(actor=mash, contact=contact, subject=subject, person=child)
    return contact


def _decide(users: Any, contact: Contact, need: str = "") -> Contact:
    return frontdoor.contact_decide(
        actor=users["mash_worker"],
        contact=contact,
        expected_version=contact.version,
        decision="assessment",
        reasons="Bruising seen at school",
        primary_need=need,
    )


def _to_enquiry(sw: Any, episode: Episode, on: date = REFERRAL) -> Section47:
    services.strategy_record(
        actor=sw, episode=episode, held_on=on, participants="Police, health", outcome="s47"
    )
    enquiry = episode.enquiries.get()
    return services.section47_conclude(actor=sw, enquiry=enquiry, end_date=on, outcome="icpc")


# --- 8610: primary need -------------------------------------------------------------------


def test_a_referral_is_accepted_only_with_its_primary_need(users: Any, child: Any) -> None:
    contact = _triaged(users, child)
    _refused("primary_need", "primary need", lambda: _decide(users, contact))
    _refused("primary_need", "primary need", lambda: _decide(users, contact, need="N0"))
    contact.refresh_from_db()
    assert contact.decision == ""
    _decide(users, contact, need="N4")
    contact.refresh_from_db()
    assert contact.primary_need == "N4"


def test_a_child_in_need_episode_opens_with_a_primary_need_that_can_change(
    sw: Any, child: Any
) -> None:
    _refused("primary_need", "primary need", lambda: _open(sw, child, need=""))
    assert not Episode.objects.filter(child=child).exists()
    episode = _open(sw, child, need="N1")
    services.episode_primary_need_change(actor=sw, episode=episode, primary_need="N5")
    episode.refresh_from_db()
    assert episode.primary_need == "N5"
    _refused(
        "primary_need",
        "primary need",
        lambda: services.episode_primary_need_change(actor=sw, episode=episode, primary_need=""),
    )


# --- Disability and UPN: what the census asks of every child in need ---------------------


def test_a_child_in_need_has_a_disability_answer(users: Any, sw: Any, child: Any) -> None:
    Person.objects.filter(pk=child.pk).update(disabilities=[])
    child.refresh_from_db()
    _refused("", "whether they have a disability", lambda: _open(sw, child))
    contact = _triaged(users, child)
    _refused("decision", "whether they have a disability", lambda: _decide(users, contact, "N1"))
    # Once recorded ("No disability" counts) it cannot be blanked.
    person, _ = people_services.person_update(
        actor=sw, person=child, expected_version=child.version, data={"disabilities": ["NONE"]}
    )
    _refused(
        "disabilities",
        "cannot be left blank",
        lambda: people_services.person_update(
            actor=sw, person=person, expected_version=person.version, data={"disabilities": []}
        ),
    )
    assert _open(sw, person).child_id == child.pk


def test_a_child_without_a_upn_has_a_reason_and_a_changed_upn_is_kept(sw: Any, child: Any) -> None:
    Person.objects.filter(pk=child.pk).update(upn="", upn_unknown="")
    child.refresh_from_db()
    _refused("", "their UPN, or why it is not known", lambda: _open(sw, child))
    person, _ = people_services.person_update(
        actor=sw, person=child, expected_version=child.version, data={"upn_unknown": "UN2"}
    )
    _refused(
        "upn_unknown",
        "select why it is not known",
        lambda: people_services.person_update(
            actor=sw, person=person, expected_version=person.version, data={"upn_unknown": ""}
        ),
    )
    # A UPN arrives: the reason goes; a corrected UPN keeps the first as the former UPN.
    person, _ = people_services.person_update(
        actor=sw, person=person, expected_version=person.version, data={"upn": "X801200001002"}
    )
    assert (person.upn, person.upn_unknown) == ("X801200001002", "")
    person.refresh_from_db()
    person, _ = people_services.person_update(
        actor=sw, person=person, expected_version=person.version, data={"upn": "H801200001001"}
    )
    person.refresh_from_db()
    assert (person.upn, person.former_upn) == ("H801200001001", "X801200001002")


# --- Referral NFA --------------------------------------------------------------------------


def test_closing_a_referral_says_whether_it_ended_with_no_further_action(
    sw: Any, child: Any
) -> None:
    episode = _open(sw, child)
    _refused(
        "referral_nfa",
        "no further action",
        lambda: services.episode_close(
            actor=sw, episode=episode, closure_date=REFERRAL, reason="RC7"
        ),
    )
    services.episode_close(
        actor=sw, episode=episode, closure_date=REFERRAL, reason="RC7", referral_nfa=True
    )
    episode.refresh_from_db()
    assert episode.referral_nfa is True


def test_a_referral_with_work_done_is_not_no_further_action(sw: Any, child: Any) -> None:
    episode = _open(sw, child)
    services.strategy_record(
        actor=sw, episode=episode, held_on=REFERRAL, participants="Police", outcome="no_s47"
    )
    _refused(
        "referral_nfa",
        "did not end with no further action",
        lambda: services.episode_close(
            actor=sw, episode=episode, closure_date=REFERRAL, reason="RC7", referral_nfa=True
        ),
    )
    services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="RC7")
    episode.refresh_from_db()
    assert (episode.closure_reason, episode.referral_nfa) == ("RC7", False)


# --- 8875: no initial conference at a weekend ---------------------------------------------


@pytest.mark.parametrize("held_on", [date(2025, 3, 8), date(2025, 3, 9)])  # Saturday, Sunday
def test_no_initial_conference_at_a_weekend(users: Any, sw: Any, child: Any, held_on: date) -> None:
    enquiry = _to_enquiry(sw, _open(sw, child))
    chair = users["cp_chair_iro"]
    _refused(
        "held_on",
        f"not held on a {held_on:%A}",
        lambda: services.conference_initial(
            actor=chair, enquiry=enquiry, held_on=held_on, outcome="no_plan"
        ),
    )
    assert not Conference.objects.exists()
    services.conference_initial(
        actor=chair, enquiry=enquiry, held_on=date(2025, 3, 10), outcome="no_plan"
    )


# --- 8606: no referral more than 40 weeks before birth ------------------------------------


def test_no_referral_more_than_forty_weeks_before_birth(sw: Any, users: Any) -> None:
    unborn = Person.objects.create(
        kind="unborn", given_name="Baby", family_name="Hart", expected_date_of_birth=REFERRAL
    )
    allocate(unborn, sw)
    too_early = REFERRAL - timedelta(weeks=40, days=1)
    _refused("referral_date", "40 weeks before", lambda: _open(sw, unborn, on=too_early))
    # On the 40th week it is accepted.
    assert _open(sw, unborn, on=REFERRAL - timedelta(weeks=40)).kind == "cin"


# --- Nothing dated after a child's death --------------------------------------------------


def test_nothing_is_dated_after_the_child_died(sw: Any, child: Any) -> None:
    episode = _open(sw, child)
    died = REFERRAL + timedelta(days=3)
    Person.objects.filter(pk=child.pk).update(date_of_death=died)
    episode.child.refresh_from_db()
    after = died + timedelta(days=1)
    for call in (
        lambda: services.assessment_start(actor=sw, episode=episode, start_date=after),
        lambda: services.strategy_record(
            actor=sw, episode=episode, held_on=after, participants="Police", outcome="no_s47"
        ),
        lambda: services.visit_record(
            actor=sw, child=episode.child, visited_on=after, child_seen=True
        ),
    ):
        _refused("", "cannot be after the child died", call)
    # Closing the case after the death is how it ends, so that is allowed.
    services.episode_close(
        actor=sw, episode=episode, closure_date=after, reason="RC2", referral_nfa=True
    )


# --- No section 47 without a referral -----------------------------------------------------


def test_no_section_47_without_a_referral(sw: Any, child: Any) -> None:
    early_help = services.episode_open(
        actor=sw, child=child, kind="early_help", referral_date=REFERRAL
    )
    _refused(
        "",
        "open a child in need episode first",
        lambda: services.strategy_record(
            actor=sw, episode=early_help, held_on=REFERRAL, participants="Police", outcome="s47"
        ),
    )
    assert not Section47.objects.exists()


# --- 8820: nothing backdated over a closed record -----------------------------------------


def test_no_episode_backdated_over_a_closed_one(sw: Any, child: Any) -> None:
    first = _open(sw, child)
    closed = REFERRAL + timedelta(days=30)
    services.episode_close(
        actor=sw, episode=first, closure_date=closed, reason="RC7", referral_nfa=True
    )
    _refused(
        "referral_date",
        "cannot be before the child's previous episode closed",
        lambda: _open(sw, child, on=closed - timedelta(days=1)),
    )
    assert _open(sw, child, on=closed).referral_date == closed


def test_no_period_of_care_backdated_over_a_closed_one(sw: Any, child: Any) -> None:
    episode = _open(sw, child)
    period = services.care_start(
        actor=sw, episode=episode, start_date=REFERRAL, placement=PLACEMENT
    )
    ended = REFERRAL + timedelta(days=40)
    services.care_end(actor=sw, period=period, end_date=ended, reason="E4A")
    _refused(
        "start_date",
        "cannot start before it",
        lambda: services.care_start(
            actor=sw, episode=episode, start_date=ended - timedelta(days=5), placement=PLACEMENT
        ),
    )
    assert PeriodOfCare.objects.filter(child=child).count() == 1


# --- The chair is an independent chair ----------------------------------------------------


def test_the_social_worker_is_not_the_chair(users: Any, sw: Any, child: Any) -> None:
    enquiry = _to_enquiry(sw, _open(sw, child))
    held = REFERRAL + timedelta(days=7)
    # A social worker recording the conference must name its chair, never themselves.
    _refused(
        "chair",
        "Select who chaired",
        lambda: services.conference_initial(
            actor=sw, enquiry=enquiry, held_on=held, outcome="no_plan"
        ),
    )
    _refused(
        "chair",
        "own social worker cannot chair",
        lambda: services.conference_initial(
            actor=sw, enquiry=enquiry, held_on=held, outcome="no_plan", chair_id=sw.pk
        ),
    )
    _refused(
        "chair",
        "independent conference chair",
        lambda: services.conference_initial(
            actor=sw,
            enquiry=enquiry,
            held_on=held,
            outcome="no_plan",
            chair_id=users["team_manager"].pk,
        ),
    )
    chair = users["cp_chair_iro"]
    conference = services.conference_initial(
        actor=sw, enquiry=enquiry, held_on=held, outcome="no_plan", chair_id=chair.pk
    )
    assert (conference.chair_id, conference.recorded_by_id) == (chair.pk, sw.pk)


def test_a_conference_cannot_say_no_plan_with_a_category(users: Any, sw: Any, child: Any) -> None:
    enquiry = _to_enquiry(sw, _open(sw, child))
    _refused(
        "category",
        "does not need a plan",
        lambda: services.conference_initial(
            actor=users["cp_chair_iro"],
            enquiry=enquiry,
            held_on=REFERRAL + timedelta(days=7),
            outcome="no_plan",
            category="NEG",
        ),
    )
    assert not Conference.objects.exists()


# --- SSDA903: a placement that fits the child ---------------------------------------------


def _placement(**changes: str) -> dict[str, str]:
    return {**PLACEMENT, **changes}


@pytest.mark.parametrize(
    ("age", "changes", "field", "words"),
    [
        (10, {"placement_type": "P2", "provider": "PR4"}, "placement_type", "under 16"),
        (15, {"placement_type": "H5", "provider": "PR4"}, "placement_type", "under 16"),
        (13, {"placement_type": "P3", "provider": "PR4"}, "placement_type", "under 14"),
        (9, {"placement_type": "R5", "provider": "PR3"}, "placement_type", "under 10"),
        (3, {"placement_type": "S1", "provider": "PR4"}, "placement_type", "under 4"),
        (9, {"legal_status": "J1"}, "legal_status", "under 10"),
        (8, {"placement_type": "A5"}, "legal_status", "placement order"),
        (
            8,
            {"placement_type": "P1", "provider": "PR0", "legal_status": "V2"},
            "legal_status",
            "section 20",
        ),
        (8, {"placement_type": "P1"}, "provider", "parent"),
        (8, {"provider": "PR0"}, "provider", "parent"),
        (8, {"placement_type": "K2", "provider": "PR3"}, "provider", "does not provide"),
        (8, {"placement_type": "T1"}, "placement_type", "temporary"),
        (18, {}, "start_date", "18 or over"),
    ],
)
def test_a_placement_must_fit_the_child(
    sw: Any, child: Any, age: int, changes: dict[str, str], field: str, words: str
) -> None:
    start = REFERRAL
    Person.objects.filter(pk=child.pk).update(
        date_of_birth=start.replace(year=start.year - age) - timedelta(days=1)
    )
    child.refresh_from_db()
    episode = _open(sw, child)
    _refused(
        field,
        words,
        lambda: services.care_start(
            actor=sw, episode=episode, start_date=start, placement=_placement(**changes)
        ),
    )
    assert not PeriodOfCare.objects.filter(child=child).exists()


def test_a_sixteen_year_old_may_live_independently(sw: Any, child: Any) -> None:
    born = REFERRAL.replace(year=REFERRAL.year - 16)
    Person.objects.filter(pk=child.pk).update(date_of_birth=born)
    child.refresh_from_db()
    fields = _placement(placement_type="P2", provider="PR4")
    assert placement_problems(child, REFERRAL, fields, starting=True) == {}
    assert "placement_type" in placement_problems(
        child, REFERRAL - timedelta(days=1), fields, starting=True
    )


# --- Children in care: reviews, health, education, UASC (SSDA903 Reviews, OC2, UASC) -------


def _in_care(sw: Any, child: Any, born: date | None = None) -> PeriodOfCare:
    if born is not None:
        Person.objects.filter(pk=child.pk).update(date_of_birth=born)
        child.refresh_from_db()
    return services.care_start(
        actor=sw, episode=_open(sw, child), start_date=REFERRAL, placement=PLACEMENT
    )


def _years_before(day: date, years: int) -> date:
    return day.replace(year=day.year - years)


def test_a_review_says_how_the_child_took_part(users: Any, sw: Any, child: Any) -> None:
    period = _in_care(sw, child)  # the child is 9
    held = REFERRAL + timedelta(days=20)
    chair = users["cp_chair_iro"]

    def review(code: str) -> Any:
        return lambda: services.care_review_record(
            actor=chair, period=period, held_on=held, participation=code
        )

    _refused("participation", "Select how the child took part", review(""))
    _refused("participation", "Select how the child took part", review("PN9"))
    _refused("participation", "only for younger children", review("PN0"))
    assert not CareReview.objects.filter(period=period).exists()
    assert review("PN5")().participation == "PN5"
    # A child under 4 on the day of the review is recorded as PN0, and only as PN0.
    Person.objects.filter(pk=child.pk).update(date_of_birth=_years_before(held, 3))
    period.child.refresh_from_db()
    _refused("participation", "select 'aged under 4' (PN0)", review("PN1"))
    assert review("PN0")().participation == "PN0"


def test_no_health_assessment_before_coming_into_care(sw: Any, child: Any) -> None:
    period = _in_care(sw, child)
    before = REFERRAL - timedelta(days=1)
    _refused(
        "held_on",
        "cannot be before the child came into care",
        lambda: services.health_check_record(
            actor=sw, period=period, kind="initial", held_on=before
        ),
    )
    _refused(
        "completed_on",
        "cannot be before the child came into care",
        lambda: services.sdq_record(actor=sw, period=period, completed_on=before, score=12),
    )
    _refused(
        "held_on",
        "cannot be before the child came into care",
        lambda: services.education_plan_record(
            actor=sw, period=period, held_on=before, virtual_school_involved=True
        ),
    )
    assert not HealthCheck.objects.exists()
    assert (
        services.health_check_record(
            actor=sw, period=period, kind="initial", held_on=REFERRAL
        ).held_on
        == REFERRAL
    )
    services.care_end(actor=sw, period=period, end_date=REFERRAL + timedelta(days=30), reason="E4A")
    _refused(
        "",
        "This period of care has ended",
        lambda: services.health_check_record(
            actor=sw, period=period, kind="dental", held_on=REFERRAL + timedelta(days=31)
        ),
    )


def test_one_initial_health_assessment_then_reviews(sw: Any, child: Any) -> None:
    period = _in_care(sw, child)
    first = REFERRAL + timedelta(days=10)
    _refused(
        "kind",
        "comes after the initial health assessment",
        lambda: services.health_check_record(actor=sw, period=period, kind="review", held_on=first),
    )
    services.health_check_record(actor=sw, period=period, kind="initial", held_on=first)
    _refused(
        "kind",
        "record a review health assessment instead",
        lambda: services.health_check_record(
            actor=sw, period=period, kind="initial", held_on=first + timedelta(days=5)
        ),
    )
    _refused(
        "kind",
        "comes after the initial health assessment",
        lambda: services.health_check_record(
            actor=sw, period=period, kind="review", held_on=first - timedelta(days=1)
        ),
    )
    assert HealthCheck.objects.filter(period=period).count() == 1


def test_developmental_checks_are_for_under_fives(sw: Any, child: Any) -> None:
    period = _in_care(sw, child)  # the child is 9
    day = REFERRAL + timedelta(days=3)
    _refused(
        "kind",
        "for children under 5: this child was 9",
        lambda: services.health_check_record(
            actor=sw, period=period, kind="developmental", held_on=day
        ),
    )
    _refused(
        "up_to_date",
        "whether the immunisations are up to date",
        lambda: services.health_check_record(
            actor=sw, period=period, kind="immunisations", held_on=day
        ),
    )
    assert not HealthCheck.objects.exists()
    Person.objects.filter(pk=child.pk).update(date_of_birth=_years_before(day, 4))
    period.child.refresh_from_db()
    check = services.health_check_record(actor=sw, period=period, kind="developmental", held_on=day)
    assert check.kind == "developmental"


@pytest.mark.parametrize(
    ("age", "score", "reason", "field", "words"),
    [
        (9, 41, "", "score", "from 0 to 40"),
        (9, -1, "", "score", "from 0 to 40"),
        (9, 12, "SDQ2", "score", "Enter the score, or select why"),
        (9, None, "", "score", "Enter the score, or select why"),
        (9, None, "SDQ9", "reason", "Select why there is no score"),
        (9, None, "SDQ1", "reason", "cannot be that they were under 4 or over 16"),
        (3, 12, "", "score", "only recorded for children aged 4 to 16"),
        (17, 12, "", "score", "only recorded for children aged 4 to 16"),
    ],
)
def test_an_sdq_score_is_from_0_to_40_for_children_aged_4_to_16(
    sw: Any, child: Any, age: int, score: int | None, reason: str, field: str, words: str
) -> None:
    day = REFERRAL + timedelta(days=5)
    period = _in_care(sw, child, born=_years_before(day, age) - timedelta(days=1))
    _refused(
        field,
        words,
        lambda: services.sdq_record(
            actor=sw, period=period, completed_on=day, score=score, reason=reason
        ),
    )
    assert not StrengthsAndDifficulties.objects.exists()
    fine = {"score": 40, "reason": ""} if 4 <= age <= 16 else {"score": None, "reason": "SDQ1"}
    assert services.sdq_record(actor=sw, period=period, completed_on=day, **fine).pk


def test_an_intervention_received_was_offered(sw: Any, child: Any) -> None:
    period = _in_care(sw, child)
    day = REFERRAL + timedelta(days=5)
    _refused(
        "intervention_received",
        "must also have been offered",
        lambda: services.substance_misuse_record(
            actor=sw,
            period=period,
            identified_on=day,
            intervention_offered=False,
            intervention_received=True,
        ),
    )
    assert not SubstanceMisuse.objects.exists()
    row = services.substance_misuse_record(
        actor=sw,
        period=period,
        identified_on=day,
        intervention_offered=True,
        intervention_received=True,
    )
    assert row.intervention_received


def test_no_conviction_under_the_age_of_criminal_responsibility(sw: Any, child: Any) -> None:
    period = _in_care(sw, child)  # 9 at the referral, 10 from 3 April 2025
    _refused(
        "outcome_on",
        "A child under 10 cannot be convicted",
        lambda: services.offence_record(
            actor=sw, period=period, outcome="reprimand", outcome_on=date(2025, 4, 2)
        ),
    )
    assert not Offence.objects.exists()
    row = services.offence_record(
        actor=sw, period=period, outcome="final_warning", outcome_on=date(2025, 4, 3)
    )
    assert row.outcome == "final_warning"


def test_uasc_status_ceases_by_the_eighteenth_birthday(sw: Any, child: Any) -> None:
    born = date(2008, 6, 10)  # 18 on 10 June 2026
    Person.objects.filter(pk=child.pk).update(date_of_birth=born)
    child.refresh_from_db()
    began = date(2024, 9, 2)

    def record(start: date, ceased: date | None, version: int | None = None) -> Any:
        return lambda: services.uasc_record(
            actor=sw, child=child, started_on=start, ceased_on=ceased, expected_version=version
        )

    _refused("started_on", "must begin before then", record(date(2026, 6, 10), None))
    _refused("ceased_on", "enter 10 June 2026 or earlier", record(began, date(2026, 6, 11)))
    _refused("ceased_on", "cannot be before it began", record(began, date(2024, 9, 1)))
    assert not UASCStatus.objects.exists()
    status = record(began, None)()
    status = record(began, date(2026, 6, 10), status.version)()
    assert status.ceased_on == date(2026, 6, 10)
    Person.objects.filter(pk=child.pk).update(date_of_birth=None)
    child.refresh_from_db()
    _refused("", "date of birth first", record(began, None, status.version))


# --- The list and its tests ---------------------------------------------------------------


def test_every_rule_has_its_test() -> None:
    here = globals()
    for rule in RULES:
        assert rule.tests, rule
        for name in rule.tests:
            assert callable(here.get(name)), f"{rule.stops}: no test named {name}"


def test_every_rule_names_the_functions_that_enforce_it() -> None:
    for rule in RULES:
        for where in rule.where:
            module, name = where.split(":")
            assert callable(getattr(importlib.import_module(module), name)), where


def test_the_docs_list_is_generated_from_the_rules() -> None:
    doc = Path(settings.PROJECT_ROOT) / "docs" / "census-rules-at-entry.md"
    assert doc.read_text(encoding="utf-8") == as_markdown(), (
        "docs/census-rules-at-entry.md is out of date: run manage.py census_rules_doc"
    )


# --- The pages ask for what the rules need ------------------------------------------------


def test_the_pages_ask_for_the_chair_and_whether_the_referral_ended_there(
    client_for: Any, sw: Any, child: Any, users: Any
) -> None:
    episode = _open(sw, child)
    social_worker = client_for("social_worker")
    close = reverse("casework:episode-close", args=[child.pk, episode.pk])
    page = social_worker.get(close).content.decode()
    assert "Did the referral end with no further action?" in page
    enquiry = _to_enquiry(sw, episode)
    assert "Did the referral end with no further action?" not in (
        social_worker.get(close).content.decode()
    )
    conference = reverse("casework:conference-initial", args=[child.pk, enquiry.pk])
    held = {"held_on-day": "7", "held_on-month": "3", "held_on-year": "2025"}
    page = social_worker.post(conference, {**held, "outcome": "no_plan"}).content.decode()
    assert "Select who chaired the conference" in page
    chair = users["cp_chair_iro"]
    assert f'value="{chair.pk}"' in page
    response = social_worker.post(
        conference, {**held, "outcome": "no_plan", "chair": str(chair.pk)}
    )
    assert response.status_code == 302
    assert Conference.objects.get().chair_id == chair.pk


def test_the_decision_form_asks_for_the_primary_need(
    client_for: Any, users: Any, child: Any
) -> None:
    contact = _triaged(users, child)
    mash = client_for("mash_worker")
    url = reverse("frontdoor:contact-decide", args=[contact.reference])
    page = mash.post(
        url,
        {"version": contact.version, "decision": "assessment", "reasons": "Bruising"},
    ).content.decode()
    assert "Select the child&#39;s primary need" in page
    mash.post(
        url,
        {
            "version": contact.version,
            "decision": "assessment",
            "reasons": "Bruising",
            "primary_need": "N1",
        },
    )
    contact.refresh_from_db()
    assert (contact.decision, contact.primary_need) == ("assessment", "N1")
