"""The rest of the casework rules, one behaviour each: nothing recorded on an episode closed
as no further action, closure refused while any statutory work is open, plan dates that
cannot overlap or come before the referral, the clocks each record starts through the
services, and a chronology entry (with its audit row) for every state change."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework import services
from safehub.casework.models import (
    Assessment,
    CareEpisode,
    CINPlan,
    Conference,
    CPPlan,
    DueItem,
    Episode,
    PeriodOfCare,
    Section47,
)
from safehub.chronology.models import ChronologyLink
from safehub.core.exceptions import PermissionDeniedError

pytestmark = pytest.mark.django_db

REFERRAL = date(2025, 3, 3)  # a Monday
PLACEMENT = {
    "legal_status": "C1",
    "placement_type": "U6",
    "provider": "PR1",
    "carer_name": "Mr and Mrs Oak",
    "home_postcode": "te1 4ab",
    "placement_postcode": "TE2 9ZZ",
}


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]  # allocated to the social worker; the chair chairs


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]


@pytest.fixture
def episode(sw: Any, child: Any) -> Episode:
    return services.episode_open(
        actor=sw,
        child=child,
        kind="cin",
        referral_date=REFERRAL,
        referral_source="2A",
        primary_need="N1",
    )


def _due(child: Any, kind: str) -> date:
    return DueItem.objects.get(child=child, kind=kind, done_on__isnull=True).due_date


def _authorised(users: Any, episode: Episode, on: date = REFERRAL) -> Assessment:
    sw = users["social_worker"]
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=on)
    services.assessment_record_seen(actor=sw, assessment=assessment, seen_date=on, seen_alone=False)
    services.assessment_complete(
        actor=sw, assessment=assessment, completed_date=on, factors=["21"], summary="No factors"
    )
    return services.assessment_authorise(
        actor=users["team_manager"], assessment=assessment, authorised_date=on
    )


def _enquiry(sw: Any, episode: Episode, on: date, outcome: str = "icpc") -> Section47:
    services.strategy_record(
        actor=sw, episode=episode, held_on=on, participants="Police, health", outcome="s47"
    )
    enquiry = episode.enquiries.get(end_date__isnull=True)
    return services.section47_conclude(actor=sw, enquiry=enquiry, end_date=on, outcome=outcome)


def _plan(users: Any, episode: Episode, strategy_on: date, icpc_on: date) -> CPPlan:
    enquiry = _enquiry(users["social_worker"], episode, strategy_on)
    conference = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=icpc_on,
        outcome="plan",
        category="NEG",
    )
    assert conference.plan is not None
    return conference.plan


# --- No activity on an episode closed as no further action (census 2990) -----------------

ATTEMPTS = [
    "assessment",
    "seen",
    "complete",
    "strategy",
    "section 47",
    "conference",
    "cin plan",
    "care",
]


@pytest.mark.parametrize("reason", ["RC8", "RC9"])
@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_nothing_more_is_recorded_on_an_episode_closed_as_no_further_action(
    users: Any, sw: Any, episode: Episode, reason: str, attempt: str
) -> None:
    assessment = _authorised(users, episode)
    # A concluded enquiry that wanted a conference does not hold the case open.
    enquiry = _enquiry(sw, episode, REFERRAL + timedelta(days=1))
    # The records are held as a page would have read them before the episode closed.
    services.episode_close(
        actor=sw,
        episode=Episode.objects.get(pk=episode.pk),
        closure_date=REFERRAL + timedelta(days=2),
        reason=reason,
    )
    later = REFERRAL + timedelta(days=3)
    attempts: dict[str, Callable[[], Any]] = {
        "assessment": lambda: services.assessment_start(
            actor=sw, episode=episode, start_date=later
        ),
        "seen": lambda: services.assessment_record_seen(
            actor=sw, assessment=assessment, seen_date=later, seen_alone=True
        ),
        "complete": lambda: services.assessment_complete(
            actor=sw, assessment=assessment, completed_date=later, factors=["16A"], summary="x"
        ),
        "strategy": lambda: services.strategy_record(
            actor=sw, episode=episode, held_on=later, participants="Police", outcome="s47"
        ),
        "section 47": lambda: services.section47_conclude(
            actor=sw, enquiry=enquiry, end_date=later, outcome="icpc"
        ),
        "conference": lambda: services.conference_initial(
            actor=users["cp_chair_iro"],
            enquiry=enquiry,
            held_on=later,
            outcome="plan",
            category="NEG",
        ),
        "cin plan": lambda: services.cin_plan_start(actor=sw, episode=episode, start_date=later),
        "care": lambda: services.care_start(
            actor=sw, episode=episode, start_date=later, placement=PLACEMENT
        ),
    }
    with pytest.raises(ValidationError, match="closed with no further action"):
        attempts[attempt]()
    assert not Conference.objects.exists()
    assert not CPPlan.objects.exists()
    assert not CINPlan.objects.exists()
    assert not PeriodOfCare.objects.exists()
    assert episode.assessments.count() == 1
    assert episode.strategies.count() == 1


def test_after_no_further_action_no_visit_and_a_new_referral_opens_a_new_episode(
    users: Any, sw: Any, episode: Episode
) -> None:
    _authorised(users, episode)
    services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="RC8")
    later = REFERRAL + timedelta(days=3)
    with pytest.raises(ValidationError, match="no open episode"):
        services.visit_record(actor=sw, child=episode.child, visited_on=later, child_seen=True)
    fresh = services.episode_open(
        actor=sw, child=episode.child, kind="cin", referral_date=later, primary_need="N1"
    )
    services.assessment_start(actor=sw, episode=fresh, start_date=later)
    assert fresh.assessments.count() == 1


def test_an_episode_closed_for_another_reason_is_closed_too(
    users: Any, sw: Any, episode: Episode
) -> None:
    services.episode_close(
        actor=sw, episode=episode, closure_date=REFERRAL, reason="RC5", referral_nfa=False
    )
    with pytest.raises(ValidationError, match="This episode is closed"):
        services.cin_plan_start(actor=sw, episode=episode, start_date=REFERRAL)


def test_closing_as_no_further_action_needs_an_authorised_assessment(
    sw: Any, episode: Episode
) -> None:
    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="RC8")
    assert "authorised" in error.value.message_dict["reason"][0]
    episode.refresh_from_db()
    assert episode.is_open


# --- Closure refused while statutory work is open; date and reason go together ----------


def _open_cin_plan(users: Any, episode: Episode) -> None:
    services.cin_plan_start(actor=users["social_worker"], episode=episode, start_date=REFERRAL)


def _open_enquiry(users: Any, episode: Episode) -> None:
    services.strategy_record(
        actor=users["social_worker"],
        episode=episode,
        held_on=REFERRAL,
        participants="Police",
        outcome="s47",
    )


def _open_cp_plan(users: Any, episode: Episode) -> None:
    _plan(users, episode, REFERRAL, REFERRAL + timedelta(days=10))


@pytest.mark.parametrize(
    ("open_work", "blocking"),
    [
        (_open_cin_plan, "an open child in need plan"),
        (_open_enquiry, "an open section 47 enquiry"),
        (_open_cp_plan, "an open child protection plan"),
    ],
)
def test_closure_is_refused_while_each_kind_of_statutory_work_is_open(
    users: Any, sw: Any, episode: Episode, open_work: Callable[[Any, Episode], None], blocking: str
) -> None:
    open_work(users, episode)
    with pytest.raises(ValidationError, match=f"while it has {blocking}"):
        services.episode_close(
            actor=sw, episode=episode, closure_date=REFERRAL + timedelta(days=20), reason="RC7"
        )
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (None, "")


def test_closure_needs_a_reason_and_a_date_not_before_the_referral(
    sw: Any, episode: Episode
) -> None:
    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="")
    assert set(error.value.message_dict) == {"reason"}
    with pytest.raises(ValidationError) as error:
        services.episode_close(actor=sw, episode=episode, closure_date=None, reason="RC7")
    assert set(error.value.message_dict) == {"closure_date"}
    with pytest.raises(ValidationError, match="before the referral"):
        services.episode_close(
            actor=sw, episode=episode, closure_date=REFERRAL - timedelta(days=1), reason="RC7"
        )
    episode.refresh_from_db()
    assert (episode.closure_date, episode.closure_reason) == (None, "")


def test_early_help_episode_for_step_down(users: Any, sw: Any, episode: Episode) -> None:
    _authorised(users, episode)
    services.episode_close(actor=sw, episode=episode, closure_date=REFERRAL, reason="RC9")
    early = services.episode_open(
        actor=sw,
        child=episode.child,
        kind="early_help",
        referral_date=REFERRAL + timedelta(days=1),
        primary_need="N1",
    )
    with pytest.raises(ValidationError, match="already has an open episode"):
        services.episode_open(
            actor=sw,
            child=episode.child,
            kind="early_help",
            referral_date=REFERRAL + timedelta(days=1),
            primary_need="N1",
        )
    with pytest.raises(ValidationError) as error:  # early help closes for its own reasons
        services.episode_close(
            actor=sw, episode=early, closure_date=REFERRAL + timedelta(days=2), reason="RC8"
        )
    assert "reason" in error.value.message_dict
    services.episode_close(
        actor=sw, episode=early, closure_date=REFERRAL + timedelta(days=2), reason="step_up"
    )
    assert Episode.objects.get(pk=early.pk).closure_reason == "step_up"


# --- Assessment --------------------------------------------------------------------------


def test_assessment_seen_factors_and_authorisation_in_order(
    users: Any, sw: Any, episode: Episode
) -> None:
    tm = users["team_manager"]
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    with pytest.raises(ValidationError, match="cannot be before the assessment started"):
        services.assessment_record_seen(
            actor=sw, assessment=assessment, seen_date=REFERRAL - timedelta(days=1), seen_alone=True
        )
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL + timedelta(days=1), seen_alone=True
    )
    done = REFERRAL + timedelta(days=10)
    for factors, message in (
        ([], "Select the factors identified"),
        (["99Z"], "Select the factors from the list"),
    ):
        with pytest.raises(ValidationError) as error:
            services.assessment_complete(
                actor=sw, assessment=assessment, completed_date=done, factors=factors, summary="x"
            )
        assert message in error.value.message_dict["factors"][0]
    services.assessment_complete(
        actor=sw, assessment=assessment, completed_date=done, factors=["16A"], summary="Neglect"
    )
    # Once completed, when the child was seen is settled.
    with pytest.raises(ValidationError, match="already completed"):
        services.assessment_record_seen(
            actor=sw,
            assessment=assessment,
            seen_date=REFERRAL + timedelta(days=2),
            seen_alone=False,
        )
    with pytest.raises(ValidationError, match="before the assessment was completed"):
        services.assessment_authorise(
            actor=tm, assessment=assessment, authorised_date=done - timedelta(days=1)
        )
    services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=done)
    with pytest.raises(ValidationError, match="already authorised"):
        services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=done)
    assessment.refresh_from_db()
    assert (assessment.child_seen_date, assessment.child_seen_alone) == (
        REFERRAL + timedelta(days=1),
        True,
    )
    assert assessment.authorised_by == tm
    assert not DueItem.objects.filter(
        source_type="casework.Assessment", done_on__isnull=True
    ).exists()


def test_an_authorisation_after_45_working_days_is_marked_late(
    users: Any, sw: Any, episode: Episode
) -> None:
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    late = assessment.due_date + timedelta(days=1)
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=False
    )
    services.assessment_complete(
        actor=sw, assessment=assessment, completed_date=late, factors=["21"], summary="No factors"
    )
    services.assessment_authorise(
        actor=users["team_manager"], assessment=assessment, authorised_date=late
    )
    entry = ChronologyLink.objects.get(
        person=episode.child, entry__event_type="ASSESSMENT_AUTHORISED"
    ).entry
    assert "after the 45-working-day timescale" in entry.summary


# --- Child protection --------------------------------------------------------------------


def test_a_strategy_discussion_records_who_took_part_and_the_decision(
    sw: Any, episode: Episode
) -> None:
    with pytest.raises(ValidationError) as error:
        services.strategy_record(
            actor=sw, episode=episode, held_on=REFERRAL, participants="", outcome="s47"
        )
    assert "participants" in error.value.message_dict
    with pytest.raises(ValidationError, match="before the referral"):
        services.strategy_record(
            actor=sw,
            episode=episode,
            held_on=REFERRAL - timedelta(days=1),
            participants="Police",
            outcome="s47",
        )
    strategy = services.strategy_record(
        actor=sw, episode=episode, held_on=REFERRAL, participants="Police, health", outcome="no_s47"
    )
    assert (strategy.participants, strategy.outcome) == ("Police, health", "no_s47")
    assert not Section47.objects.exists()  # only a decision to enquire starts one
    services.strategy_record(
        actor=sw, episode=episode, held_on=REFERRAL, participants="Police", outcome="s47"
    )
    # A further discussion while the enquiry is open carries it on (Working Together 2023):
    # still one enquiry, its conference dated from the latest discussion.
    services.strategy_record(
        actor=sw, episode=episode, held_on=REFERRAL, participants="Police", outcome="s47"
    )
    assert episode.enquiries.count() == 1
    assert episode.strategies.count() == 3


def test_no_plan_without_an_initial_conference(users: Any, sw: Any, episode: Episode) -> None:
    chair = users["cp_chair_iro"]
    no_icpc = _enquiry(sw, episode, REFERRAL, outcome="no_icpc")
    with pytest.raises(ValidationError, match="concluded a conference was needed"):
        services.conference_initial(
            actor=chair, enquiry=no_icpc, held_on=REFERRAL, outcome="plan", category="NEG"
        )
    enquiry = _enquiry(sw, episode, REFERRAL + timedelta(days=1))
    with pytest.raises(ValidationError, match="before the section 47 enquiry started"):
        services.conference_initial(
            actor=chair, enquiry=enquiry, held_on=REFERRAL, outcome="plan", category="NEG"
        )
    conference = services.conference_initial(
        actor=chair, enquiry=enquiry, held_on=REFERRAL + timedelta(days=4), outcome="no_plan"
    )
    assert conference.plan is None
    assert not CPPlan.objects.exists()
    with pytest.raises(ValidationError, match="already recorded"):
        services.conference_initial(
            actor=chair,
            enquiry=enquiry,
            held_on=REFERRAL + timedelta(days=6),
            outcome="plan",
            category="NEG",
        )
    assert not CPPlan.objects.exists()


def test_the_plan_is_the_conferences_and_a_second_open_plan_is_refused(
    users: Any, sw: Any, episode: Episode
) -> None:
    icpc_on = date(2025, 4, 1)  # after the 15-working-day target from 3 March
    plan = _plan(users, episode, REFERRAL, icpc_on)
    assert plan.start_date == icpc_on
    assert plan.conferences.get().kind == "initial"
    entry = ChronologyLink.objects.get(
        person=episode.child, entry__event_type="CONFERENCE_HELD"
    ).entry
    assert "after the 15-working-day timescale" in entry.summary
    enquiry = _enquiry(sw, episode, icpc_on + timedelta(days=5))
    with pytest.raises(ValidationError, match="already has an open child protection plan"):
        services.conference_initial(
            actor=users["cp_chair_iro"],
            enquiry=enquiry,
            held_on=icpc_on + timedelta(days=10),
            outcome="plan",
            category="PHY",
        )
    assert CPPlan.objects.filter(child=episode.child).count() == 1
    assert Conference.objects.filter(section47=enquiry).count() == 0


def test_categories_core_groups_and_the_end_of_a_plan(
    users: Any, sw: Any, episode: Episode
) -> None:
    plan = _plan(users, episode, REFERRAL, REFERRAL + timedelta(days=14))
    services.core_group_record(actor=sw, plan=plan, held_on=plan.start_date + timedelta(days=7))
    assert not DueItem.objects.filter(kind="core_group", done_on__isnull=True).exists()
    services.conference_review(
        actor=users["cp_chair_iro"],
        plan=plan,
        held_on=plan.start_date + timedelta(days=80),
        outcome="end",
        latest_category="SAB",
    )
    plan.refresh_from_db()
    assert (plan.initial_category, plan.latest_category) == ("NEG", "SAB")
    assert plan.end_date == plan.start_date + timedelta(days=80)
    with pytest.raises(ValidationError, match="plan has ended"):
        services.core_group_record(actor=sw, plan=plan, held_on=plan.end_date)
    with pytest.raises(ValidationError, match="plan has ended"):
        services.conference_review(
            actor=users["cp_chair_iro"], plan=plan, held_on=plan.end_date, outcome="continue"
        )


def test_a_backdated_conference_cannot_overlap_an_earlier_plan(
    users: Any, sw: Any, episode: Episode
) -> None:
    plan = _plan(users, episode, REFERRAL, REFERRAL + timedelta(days=14))
    # A new concern during the plan leads to an enquiry; the plan then ends, and the
    # enquiry's conference is recorded with a date inside the ended plan.
    enquiry = _enquiry(sw, episode, plan.start_date + timedelta(days=40))
    ended = plan.start_date + timedelta(days=90)
    services.conference_review(actor=users["cp_chair_iro"], plan=plan, held_on=ended, outcome="end")
    with pytest.raises(ValidationError, match="before the child's previous plan ended"):
        services.conference_initial(
            actor=users["cp_chair_iro"],
            enquiry=enquiry,
            held_on=ended - timedelta(days=30),
            outcome="plan",
            category="PHY",
        )
    assert CPPlan.objects.filter(child=episode.child).count() == 1


# --- No child-in-need plan overlapping a child protection plan (census 4001) -------------


def test_a_cin_plan_cannot_be_backdated_into_a_cp_plan(
    users: Any, sw: Any, episode: Episode
) -> None:
    plan = _plan(users, episode, REFERRAL, REFERRAL + timedelta(days=14))
    ended = plan.start_date + timedelta(days=60)
    services.conference_review(actor=users["cp_chair_iro"], plan=plan, held_on=ended, outcome="end")
    with pytest.raises(ValidationError) as error:
        services.cin_plan_start(actor=sw, episode=episode, start_date=ended - timedelta(days=1))
    assert "before the child protection plan ended" in error.value.message_dict["start_date"][0]
    assert not CINPlan.objects.exists()
    services.cin_plan_start(actor=sw, episode=episode, start_date=ended)  # step down that day


def test_a_cp_plan_cannot_start_before_a_cin_plan_that_ran_after_it(
    users: Any, sw: Any, episode: Episode
) -> None:
    cin = services.cin_plan_start(
        actor=sw, episode=episode, start_date=REFERRAL + timedelta(days=20)
    )
    enquiry = _enquiry(sw, episode, REFERRAL + timedelta(days=1))
    # The conference is dated before the child-in-need plan began: ending that plan on the
    # conference date would end it before it started, and the two would overlap.
    with pytest.raises(ValidationError, match="cannot overlap a child in need plan"):
        services.conference_initial(
            actor=users["cp_chair_iro"],
            enquiry=enquiry,
            held_on=REFERRAL + timedelta(days=10),
            outcome="plan",
            category="NEG",
        )
    services.cin_plan_end(actor=sw, plan=cin, end_date=REFERRAL + timedelta(days=30))
    with pytest.raises(ValidationError, match="cannot overlap a child in need plan"):
        services.conference_initial(
            actor=users["cp_chair_iro"],
            enquiry=enquiry,
            held_on=REFERRAL + timedelta(days=25),
            outcome="plan",
            category="NEG",
        )
    assert not CPPlan.objects.exists()
    plan = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=REFERRAL + timedelta(days=30),
        outcome="plan",
        category="NEG",
    ).plan
    assert plan is not None
    assert plan.start_date == REFERRAL + timedelta(days=30)


# --- Child in need plans and visits ------------------------------------------------------


@override_settings(CIN_VISIT_WORKING_DAYS=5)
def test_cin_plan_reviews_and_visits_fall_due_by_the_standard(sw: Any, episode: Episode) -> None:
    plan = services.cin_plan_start(actor=sw, episode=episode, start_date=REFERRAL)
    assert _due(episode.child, "cin_review") == date(2025, 6, 3)  # 3 months
    assert _due(episode.child, "cin_visit") == date(2025, 3, 10)  # the council's 5 days
    services.cin_plan_review(actor=sw, plan=plan, held_on=date(2025, 5, 30))
    # Then 6 months: Sunday 30 November 2025, so held by Friday 28 November.
    assert _due(episode.child, "cin_review") == date(2025, 11, 28)
    visit = services.visit_record(
        actor=sw, child=episode.child, visited_on=date(2025, 3, 7), child_seen=True
    )
    assert visit.kind == "cin"
    assert _due(episode.child, "cin_visit") == date(2025, 3, 14)


@override_settings(CP_VISIT_WORKING_DAYS=5)
def test_a_visit_where_the_child_was_not_seen_leaves_the_visit_due(
    users: Any, sw: Any, episode: Episode
) -> None:
    plan = _plan(users, episode, REFERRAL, date(2025, 3, 17))
    first_due = _due(episode.child, "cp_visit")
    assert first_due == date(2025, 3, 24)  # the council's standard, not the default 10
    services.visit_record(
        actor=sw,
        child=episode.child,
        visited_on=date(2025, 3, 20),
        child_seen=False,
        note="Nobody home",
    )
    assert _due(episode.child, "cp_visit") == first_due
    visit = services.visit_record(
        actor=sw,
        child=episode.child,
        visited_on=date(2025, 3, 21),
        child_seen=True,
        seen_alone=False,
        bedroom_seen=True,
    )
    assert (visit.kind, visit.child_seen, visit.child_seen_alone, visit.bedroom_seen) == (
        "cp",
        True,
        False,
        True,
    )
    assert _due(episode.child, "cp_visit") == date(2025, 3, 28)
    assert DueItem.objects.filter(source_id=str(plan.pk), kind="cp_visit").count() == 2


# --- Children in care --------------------------------------------------------------------


def test_a_period_of_care_keeps_the_903_episode_fields(sw: Any, episode: Episode) -> None:
    with pytest.raises(ValidationError, match="before the referral"):
        services.care_start(
            actor=sw, episode=episode, start_date=REFERRAL - timedelta(days=1), placement=PLACEMENT
        )
    period = services.care_start(
        actor=sw, episode=episode, start_date=REFERRAL, placement=PLACEMENT
    )
    first = CareEpisode.objects.get(period=period)
    assert (
        first.reason_new_episode,
        first.legal_status,
        first.placement_type,
        first.provider,
        first.home_postcode,
        first.placement_postcode,
    ) == ("S", "C1", "U6", "PR1", "TE1 4AB", "TE2 9ZZ")
    with pytest.raises(ValidationError, match="already looked after"):
        services.care_start(actor=sw, episode=episode, start_date=REFERRAL, placement=PLACEMENT)


def test_care_plan_dates_are_not_before_the_referral(sw: Any, episode: Episode) -> None:
    period = services.care_start(
        actor=sw, episode=episode, start_date=date(2025, 4, 1), placement=PLACEMENT
    )
    with pytest.raises(ValidationError) as error:
        services.care_plan_record(actor=sw, period=period, plan_date=REFERRAL - timedelta(days=1))
    assert "before the referral" in error.value.message_dict["plan_date"][0]
    period.refresh_from_db()
    assert period.care_plan_date is None
    # Written before the placement began is allowed (CPPCR reg 4).
    services.care_plan_record(actor=sw, period=period, plan_date=date(2025, 3, 28))
    assert not DueItem.objects.filter(kind="care_plan", done_on__isnull=True).exists()


def test_looked_after_reviews_then_every_six_months_and_visits_by_regulation_28(
    sw: Any, episode: Episode
) -> None:
    start = date(2025, 4, 1)
    period = services.care_start(actor=sw, episode=episode, start_date=start, placement=PLACEMENT)
    services.care_review_record(
        actor=sw, period=period, held_on=date(2025, 4, 25), participation="PN1"
    )
    services.care_review_record(
        actor=sw, period=period, held_on=date(2025, 7, 20), participation="PN1"
    )
    assert _due(episode.child, "care_review") == date(2026, 1, 20)  # third: 6 months
    services.visit_record(
        actor=sw,
        child=episode.child,
        visited_on=date(2025, 4, 7),
        child_seen=True,
        seen_alone=True,
        bedroom_seen=True,
    )
    assert _due(episode.child, "cla_visit") == date(2025, 5, 19)  # six weeks in year one
    services.care_change(
        actor=sw,
        period=period,
        change_date=date(2025, 5, 1),
        placement={**PLACEMENT, "placement_type": "K2", "carer_name": "Elm House"},
        reason_place_change="CREQB",
    )
    assert _due(episode.child, "cla_visit") == date(2025, 5, 8)  # within a week of the move


def test_missing_episodes_cannot_overlap(sw: Any, child: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.missing_record(actor=sw, child=child, kind="X", start_date=REFERRAL)
    assert "kind" in error.value.message_dict
    services.missing_record(
        actor=sw,
        child=child,
        kind="M",
        start_date=REFERRAL,
        end_date=REFERRAL + timedelta(days=2),
        interview_offered=True,
    )
    with pytest.raises(ValidationError, match="overlaps"):
        services.missing_record(
            actor=sw, child=child, kind="A", start_date=REFERRAL + timedelta(days=2)
        )
    services.missing_record(
        actor=sw, child=child, kind="A", start_date=REFERRAL + timedelta(days=3)
    )  # still missing
    with pytest.raises(ValidationError, match="overlaps"):
        services.missing_record(
            actor=sw,
            child=child,
            kind="M",
            start_date=REFERRAL + timedelta(days=30),
            end_date=REFERRAL + timedelta(days=31),
        )


# --- Oversight ---------------------------------------------------------------------------


def test_only_a_manager_records_supervision_or_oversight(users: Any, sw: Any, child: Any) -> None:
    tm = users["team_manager"]
    with pytest.raises(PermissionDeniedError):
        services.oversight_record(
            actor=sw, child=child, kind="oversight", held_on=REFERRAL, discussion="Reviewed"
        )
    with pytest.raises(ValidationError) as error:
        services.oversight_record(
            actor=tm, child=child, kind="chat", held_on=REFERRAL, discussion="Reviewed"
        )
    assert "kind" in error.value.message_dict
    record = services.oversight_record(
        actor=tm, child=child, kind="oversight", held_on=REFERRAL, discussion="Reviewed the plan"
    )
    assert (record.manager, record.get_kind_display()) == (tm, "Management oversight")


# --- Every state change appends to the chronology, with an audit row ---------------------


def test_every_state_change_appends_to_the_chronology(users: Any, sw: Any, child: Any) -> None:
    tm, chair = users["team_manager"], users["cp_chair_iro"]

    def appends(*event_types: str) -> Callable[[Callable[[], Any]], Any]:
        def run(change: Callable[[], Any]) -> Any:
            links = ChronologyLink.objects.filter(person=child)
            changes = AuditEvent.objects.filter(person_id=child.pk, action=AuditAction.CHANGE)
            before = {e: links.filter(entry__event_type=e).count() for e in event_types}
            audited = changes.count()
            result = change()
            for event_type in event_types:
                assert links.filter(entry__event_type=event_type).count() == (
                    before[event_type] + 1
                ), event_type
            assert changes.count() > audited, event_types
            return result

        return run

    d = date(2025, 3, 3)
    episode = appends("EPISODE_OPENED")(
        lambda: services.episode_open(
            actor=sw, child=child, kind="cin", referral_date=d, primary_need="N1"
        )
    )
    assessment = appends("ASSESSMENT_STARTED")(
        lambda: services.assessment_start(actor=sw, episode=episode, start_date=d)
    )
    appends("ASSESSMENT_CHILD_SEEN")(
        lambda: services.assessment_record_seen(
            actor=sw, assessment=assessment, seen_date=date(2025, 3, 4), seen_alone=True
        )
    )
    appends("ASSESSMENT_COMPLETED")(
        lambda: services.assessment_complete(
            actor=sw,
            assessment=assessment,
            completed_date=date(2025, 3, 20),
            factors=["16A"],
            summary="Neglect",
        )
    )
    appends("ASSESSMENT_AUTHORISED")(
        lambda: services.assessment_authorise(
            actor=tm, assessment=assessment, authorised_date=date(2025, 3, 21)
        )
    )
    cin = appends("CIN_PLAN_STARTED")(
        lambda: services.cin_plan_start(actor=sw, episode=episode, start_date=date(2025, 3, 24))
    )
    appends("CIN_PLAN_REVIEWED")(
        lambda: services.cin_plan_review(actor=sw, plan=cin, held_on=date(2025, 4, 1))
    )
    appends("STRATEGY_DISCUSSION", "SECTION_47_STARTED")(
        lambda: services.strategy_record(
            actor=sw,
            episode=episode,
            held_on=date(2025, 4, 2),
            participants="Police",
            outcome="s47",
        )
    )
    enquiry = episode.enquiries.get()
    appends("SECTION_47_CONCLUDED")(
        lambda: services.section47_conclude(
            actor=sw, enquiry=enquiry, end_date=date(2025, 4, 10), outcome="icpc"
        )
    )
    plan = appends("CONFERENCE_HELD", "CP_PLAN_STARTED", "CIN_PLAN_ENDED")(
        lambda: services.conference_initial(
            actor=chair, enquiry=enquiry, held_on=date(2025, 4, 16), outcome="plan", category="NEG"
        )
    ).plan
    appends("CORE_GROUP")(
        lambda: services.core_group_record(actor=sw, plan=plan, held_on=date(2025, 4, 23))
    )
    appends("CONFERENCE_HELD")(
        lambda: services.conference_review(
            actor=chair, plan=plan, held_on=date(2025, 7, 10), outcome="continue"
        )
    )
    appends("CONFERENCE_HELD", "CP_PLAN_ENDED")(
        lambda: services.conference_review(
            actor=chair, plan=plan, held_on=date(2025, 10, 1), outcome="end"
        )
    )
    cin = appends("CIN_PLAN_STARTED")(
        lambda: services.cin_plan_start(actor=sw, episode=episode, start_date=date(2025, 10, 1))
    )
    period = appends("CARE_STARTED")(
        lambda: services.care_start(
            actor=sw, episode=episode, start_date=date(2025, 10, 6), placement=PLACEMENT
        )
    )
    appends("CARE_PLAN")(
        lambda: services.care_plan_record(actor=sw, period=period, plan_date=date(2025, 10, 8))
    )
    appends("PLACEMENT_CHANGED")(
        lambda: services.care_change(
            actor=sw,
            period=period,
            change_date=date(2025, 10, 20),
            placement={**PLACEMENT, "carer_name": "Ms Birch"},
            reason_place_change="CREQB",
        )
    )
    appends("CARE_REVIEW")(
        lambda: services.care_review_record(
            actor=sw, period=period, held_on=date(2025, 10, 30), participation="PN1"
        )
    )
    appends("MISSING_EPISODE")(
        lambda: services.missing_record(
            actor=sw,
            child=child,
            kind="M",
            start_date=date(2025, 11, 1),
            end_date=date(2025, 11, 2),
        )
    )
    appends("VISIT")(
        lambda: services.visit_record(
            actor=sw, child=child, visited_on=date(2025, 11, 3), child_seen=True
        )
    )
    appends("ALLOCATED")(lambda: services.allocate(actor=tm, child=child, worker=sw))
    appends("OVERSIGHT")(
        lambda: services.oversight_record(
            actor=tm,
            child=child,
            kind="supervision",
            held_on=date(2025, 11, 4),
            discussion="Reviewed the plan",
        )
    )
    appends("CARE_ENDED")(
        lambda: services.care_end(
            actor=sw, period=period, end_date=date(2025, 11, 10), reason="E4A"
        )
    )
    appends("CIN_PLAN_ENDED")(
        lambda: services.cin_plan_end(actor=sw, plan=cin, end_date=date(2025, 11, 11))
    )
    appends("EPISODE_CLOSED")(
        lambda: services.episode_close(
            actor=sw, episode=episode, closure_date=date(2025, 11, 12), reason="RC7"
        )
    )
    appends("CASE_NOTE")(
        lambda: services.note_record(
            actor=sw, child=child, text="Closing summary shared with school", significant=True
        )
    )
