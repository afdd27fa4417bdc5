"""The casework rules: workflow steps in order (modelled on the DfE census rules), statutory
clocks in working days with bank holidays, allocation granting access, nothing recorded on
a closed or no-further-action episode."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from safehub.access.policy import Action, Decision, decide
from safehub.casework import services
from safehub.casework import timescales as due
from safehub.casework.models import CPPlan, DueItem, Episode
from safehub.chronology.models import ChronologyLink
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.frontdoor import services as frontdoor
from safehub.frontdoor.tests.factories import public_submission

pytestmark = pytest.mark.django_db

REFERRAL = date(2025, 3, 3)  # a Monday


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]  # allocated to the social worker


@pytest.fixture
def episode(users: Any, child: Any) -> Episode:
    return services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=REFERRAL,
        referral_source="2A",
        primary_need="N1",
    )


def _due(child: Any, kind: str) -> date:
    return DueItem.objects.get(child=child, kind=kind, done_on__isnull=True).due_date


def test_a_referral_decision_opens_the_childs_episode(users: Any, child: Any) -> None:
    contact, _ = frontdoor.contact_submit(actor=None, channel="public", data=public_submission())
    mash = users["mash_worker"]
    frontdoor.contact_link_subject(
        actor=mash, contact=contact, subject=contact.subjects.get(), person=child
    )
    frontdoor.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    frontdoor.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision="assessment",
        reasons="Needs assessment",
        primary_need="N1",
    )
    frontdoor.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=contact.version, approve=True
    )
    episode = Episode.objects.get(child=child)
    assert episode.kind == "cin"
    assert episode.contact == contact
    assert episode.referral_source == "1B"


def test_assessment_clock_is_45_working_days_from_referral(users: Any, episode: Any) -> None:
    assessment = services.assessment_start(
        actor=users["social_worker"], episode=episode, start_date=REFERRAL
    )
    # 45 working days from Mon 3 March 2025; Good Friday 18 and Easter Monday 21 April are
    # bank holidays, so the count ends on Wednesday 7 May (Monday 5 May is one too).
    assert assessment.due_date == date(2025, 5, 8)
    assert _due(episode.child, "assessment") == assessment.due_date


def test_assessment_cannot_start_before_the_referral_or_twice(users: Any, episode: Any) -> None:
    sw = users["social_worker"]
    with pytest.raises(ValidationError, match="before the referral"):
        services.assessment_start(
            actor=sw, episode=episode, start_date=REFERRAL - timedelta(days=1)
        )
    services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    with pytest.raises(ValidationError, match="already has an assessment"):
        services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)


def test_completing_needs_the_child_seen_and_sensible_factors(users: Any, episode: Any) -> None:
    sw = users["social_worker"]
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    with pytest.raises(ValidationError, match="child was seen"):
        services.assessment_complete(
            actor=sw,
            assessment=assessment,
            completed_date=REFERRAL + timedelta(days=20),
            factors=["16A"],
            summary="Neglect",
        )
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL + timedelta(days=2), seen_alone=True
    )
    with pytest.raises(ValidationError) as error:
        services.assessment_complete(
            actor=sw,
            assessment=assessment,
            completed_date=REFERRAL + timedelta(days=20),
            factors=["21", "16A"],
            summary="x",
        )
    assert "cannot be chosen with" in error.value.message_dict["factors"][0]
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=REFERRAL + timedelta(days=20),
        factors=["16A", "3B"],
        summary="Neglect; domestic abuse",
    )
    assert not DueItem.objects.filter(kind="assessment", done_on__isnull=True).exists()


def test_only_a_manager_authorises(users: Any, episode: Any) -> None:
    sw, tm = users["social_worker"], users["team_manager"]
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    with pytest.raises(ValidationError, match="completed before"):
        services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=REFERRAL)
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=False
    )
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=REFERRAL,
        factors=["21"],
        summary="No factors",
    )
    with pytest.raises(PermissionDeniedError):
        services.assessment_authorise(actor=sw, assessment=assessment, authorised_date=REFERRAL)
    services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=REFERRAL)
    assert ChronologyLink.objects.filter(
        person=episode.child, entry__event_type="ASSESSMENT_AUTHORISED"
    ).exists()


def test_closure_is_refused_while_work_is_open_and_then_needs_date_and_reason(
    users: Any, episode: Any
) -> None:
    sw, tm = users["social_worker"], users["team_manager"]
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    with pytest.raises(ValidationError, match="not authorised"):
        services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="RC8")
    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=sw, episode=episode, closure_date=None, reason="")
    assert set(error.value.message_dict) == {"reason", "closure_date"}
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=False
    )
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=REFERRAL,
        factors=["21"],
        summary="No factors",
    )
    services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=REFERRAL)
    services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="RC8")
    # Census 2990: no activity on an episode closed as no further action.
    with pytest.raises(ValidationError, match="no further action"):
        services.cin_plan_start(actor=sw, episode=episode, start_date=REFERRAL)


def test_the_database_keeps_closure_date_and_reason_together(episode: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(closure_date=REFERRAL)


def _weekday(day: date) -> date:
    """The day, or the Monday after if it falls at a weekend: no conference then."""
    return day + timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _to_plan(
    users: Any, episode: Any, strategy_on: date = REFERRAL, icpc_on: date | None = None
) -> CPPlan:
    sw = users["social_worker"]
    services.strategy_record(
        actor=sw,
        episode=episode,
        held_on=strategy_on,
        participants="Police, health, school, social care",
        outcome="s47",
    )
    enquiry = episode.enquiries.order_by("-pk").first()
    services.section47_conclude(actor=sw, enquiry=enquiry, end_date=strategy_on, outcome="icpc")
    conference = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=icpc_on or _weekday(strategy_on + timedelta(days=14)),
        outcome="plan",
        category="NEG",
    )
    assert conference.plan is not None
    return conference.plan


def test_strategy_to_plan_with_every_clock(users: Any, episode: Any) -> None:
    # Strategy discussion on Thursday 17 April 2025: Good Friday and Easter Monday follow.
    strategy_on = date(2025, 4, 17)
    sw = users["social_worker"]
    services.strategy_record(
        actor=sw,
        episode=episode,
        held_on=strategy_on,
        participants="Police and health",
        outcome="s47",
    )
    enquiry = episode.enquiries.get()
    # 15 working days, skipping Good Friday, Easter Monday and the early May bank holiday.
    assert enquiry.icpc_target == date(2025, 5, 13)
    assert due.icpc_due(strategy_on) == enquiry.icpc_target
    with pytest.raises(ValidationError, match="concluded a conference was needed"):
        services.conference_initial(
            actor=sw, enquiry=enquiry, held_on=strategy_on, outcome="plan", category="NEG"
        )
    services.section47_conclude(
        actor=sw, enquiry=enquiry, end_date=date(2025, 4, 30), outcome="icpc"
    )
    conference = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=date(2025, 5, 8),
        outcome="plan",
        category="NEG",
    )
    plan = conference.plan
    assert plan is not None
    assert plan.start_date == date(2025, 5, 8)  # census 2885: plan starts at the ICPC
    assert _due(episode.child, "core_group") == date(2025, 5, 22)  # 10 working days
    assert _due(episode.child, "cp_review") == date(2025, 8, 8)  # 3 months
    assert _due(episode.child, "cp_visit") == date(2025, 5, 22)  # 10 working days
    assert not DueItem.objects.filter(kind="icpc", done_on__isnull=True).exists()


def test_no_second_open_cp_plan_and_no_cin_plan_beside_one(users: Any, episode: Any) -> None:
    plan = _to_plan(users, episode)
    with pytest.raises(ValidationError, match="child protection plan"):
        services.cin_plan_start(
            actor=users["social_worker"], episode=episode, start_date=plan.start_date
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CPPlan.objects.create(
            episode=episode,
            child=episode.child,
            start_date=REFERRAL,
            initial_category="PHY",
            latest_category="PHY",
        )


def test_a_cp_plan_ends_an_open_cin_plan_the_day_it_starts(users: Any, episode: Any) -> None:
    cin = services.cin_plan_start(
        actor=users["social_worker"], episode=episode, start_date=REFERRAL
    )
    plan = _to_plan(users, episode)
    cin.refresh_from_db()
    assert cin.end_date == plan.start_date


def test_review_conferences_continue_then_end_the_plan(users: Any, episode: Any) -> None:
    plan = _to_plan(users, episode)
    chair = users["cp_chair_iro"]
    with pytest.raises(ValidationError, match="after the plan started"):
        services.conference_review(
            actor=chair, plan=plan, held_on=plan.start_date, outcome="continue"
        )
    first = plan.start_date + timedelta(days=80)
    services.conference_review(
        actor=chair, plan=plan, held_on=first, outcome="continue", latest_category="EMO"
    )
    assert _due(episode.child, "cp_review") == due.add_months(first, 6)
    services.conference_review(
        actor=chair, plan=plan, held_on=first + timedelta(days=150), outcome="end"
    )
    plan.refresh_from_db()
    assert plan.end_date == first + timedelta(days=150)
    assert plan.latest_category == "EMO"
    assert not DueItem.objects.filter(source_type="casework.CPPlan", done_on__isnull=True).exists()


def test_a_second_plan_knows_how_many_came_before(users: Any, episode: Any) -> None:
    plan = _to_plan(users, episode)
    services.conference_review(
        actor=users["cp_chair_iro"],
        plan=plan,
        held_on=plan.start_date + timedelta(days=60),
        outcome="end",
    )
    later = plan.start_date + timedelta(days=100)
    second = _to_plan(
        users, episode, strategy_on=later, icpc_on=_weekday(later + timedelta(days=10))
    )
    assert second.previous_plans == 1


def test_cp_visits_fall_due_every_ten_working_days(users: Any, episode: Any) -> None:
    plan = _to_plan(users, episode)
    sw = users["social_worker"]
    with pytest.raises(ValidationError, match="not seen cannot be seen alone"):
        services.visit_record(
            actor=sw,
            child=episode.child,
            visited_on=plan.start_date,
            child_seen=False,
            seen_alone=True,
        )
    visit_on = date(2025, 12, 19)  # a Friday before Christmas
    visit = services.visit_record(
        actor=sw,
        child=episode.child,
        visited_on=visit_on,
        child_seen=True,
        seen_alone=True,
        bedroom_seen=True,
    )
    assert visit.kind == "cp"
    # 10 working days, skipping Christmas Day, Boxing Day and New Year's Day.
    assert _due(episode.child, "cp_visit") == date(2026, 1, 7)


def test_care_start_change_review_and_end(users: Any, episode: Any) -> None:
    sw = users["social_worker"]
    start = date(2025, 6, 2)
    placement = {
        "legal_status": "C1",
        "placement_type": "U6",
        "provider": "PR1",
        "carer_name": "Mr and Mrs Oak",
        "home_postcode": "TE1 4AB",
        "placement_postcode": "TE2 9ZZ",
    }
    period = services.care_start(actor=sw, episode=episode, start_date=start, placement=placement)
    assert _due(episode.child, "care_plan") == date(2025, 6, 16)  # 10 working days
    assert _due(episode.child, "care_review") == date(2025, 6, 30)  # 20 working days
    assert _due(episode.child, "cla_visit") == date(2025, 6, 9)  # within a week
    with pytest.raises(ValidationError) as error:
        services.care_change(
            actor=sw,
            period=period,
            change_date=date(2025, 7, 1),
            placement={**placement, "carer_name": "Ms Birch"},
        )
    assert "reason_place_change" in error.value.message_dict
    moved = services.care_change(
        actor=sw,
        period=period,
        change_date=date(2025, 7, 1),
        placement={**placement, "carer_name": "Ms Birch"},
        reason_place_change="CREQB",
    )
    assert moved.reason_new_episode == "P"  # new carer, same placement type
    legal = services.care_change(
        actor=sw,
        period=period,
        change_date=date(2025, 9, 1),
        placement={**placement, "carer_name": "Ms Birch", "legal_status": "C2"},
    )
    assert legal.reason_new_episode == "L"
    assert [e.reason_ceased for e in period.episodes.order_by("start_date")] == ["X1", "X1", ""]
    # The care order changed the legal status, not the placement: a visit written up after
    # it counts from the move to Ms Birch (six weeks in a placement's first year), not as a
    # visit before a new placement that began on 1 September (due within a week of it).
    assert period.placement_began() == date(2025, 7, 1)
    services.visit_record(
        actor=sw, child=episode.child, visited_on=date(2025, 8, 28), child_seen=True
    )
    assert _due(episode.child, "cla_visit") == date(2025, 10, 9)  # six weeks on
    services.care_plan_record(actor=sw, period=period, plan_date=date(2025, 6, 10))
    assert not DueItem.objects.filter(kind="care_plan", done_on__isnull=True).exists()
    services.care_review_record(
        actor=sw, period=period, held_on=date(2025, 6, 27), participation="PN1"
    )
    # Second: 3 months on is Saturday 27 September 2025, so held by Friday 26th.
    assert _due(episode.child, "care_review") == date(2025, 9, 26)
    with pytest.raises(ValidationError, match="open period of care"):
        services.episode_close(
            actor=sw, episode=episode, closure_date=date(2025, 10, 1), reason="RC7"
        )
    services.care_end(actor=sw, period=period, end_date=date(2025, 10, 1), reason="E4A")
    period.refresh_from_db()
    assert period.reason_ceased == "E4A"


def test_significant_notes_enter_the_chronology_and_drafts_clear(users: Any, episode: Any) -> None:
    sw = users["social_worker"]
    services.draft_save(actor=sw, child=episode.child, kind="note", text="Half-typed")
    services.note_record(
        actor=sw, child=episode.child, text="Mother disclosed new partner", significant=True
    )
    services.note_record(actor=sw, child=episode.child, text="Phoned school", significant=False)
    entries = ChronologyLink.objects.filter(person=episode.child, entry__event_type="CASE_NOTE")
    assert [e.entry.summary for e in entries] == ["Mother disclosed new partner"]
    from safehub.casework.models import NoteDraft

    assert not NoteDraft.objects.exists()


def test_allocation_grants_and_reallocation_removes_access(
    users: Any, people: Any, council: Any
) -> None:
    from conftest import make_user

    child = people["unrelated"]  # South's case; the North worker cannot see it
    worker = users["social_worker"]
    assert decide(worker, child, Action.VIEW) is Decision.DENY
    services.episode_open(
        actor=users["south_worker"],
        child=child,
        kind="cin",
        referral_date=REFERRAL,
        primary_need="N1",
    )
    south_manager = make_user("tm_south", "team_manager", council["teams"]["South"])
    services.allocate(actor=south_manager, child=child, worker=users["south_worker"])
    with pytest.raises(ValidationError) as error:
        services.allocate(actor=south_manager, child=child, worker=worker)
    assert "reason" in error.value.message_dict
    services.allocate(actor=south_manager, child=child, worker=worker, reason="TSPROC")
    assert decide(worker, child, Action.VIEW) is Decision.ALLOW
    # The previous worker's allocation ended (South's team involvement from the fixture
    # still lets their team see the child, so check the involvement itself).
    from safehub.casework.models import Allocation

    old = Allocation.objects.get(worker=users["south_worker"])
    assert old.end_date is not None
    assert old.involvement.end_date is not None


def test_people_without_a_need_to_know_cannot_record(users: Any, episode: Any) -> None:
    with pytest.raises(NotFound):
        services.note_record(actor=users["south_worker"], child=episode.child, text="x")
    with pytest.raises(NotFound):
        services.visit_record(
            actor=users["partner_practitioner"],
            child=episode.child,
            visited_on=REFERRAL,
            child_seen=True,
        )
