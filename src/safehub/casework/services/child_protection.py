"""Child protection: strategy discussions, section 47 enquiries, initial and review conferences,
core groups and the child protection plan."""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import may_chair, rules_for
from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    CategoryOfAbuse,
    ConferenceKind,
    ConferenceOutcome,
    Section47Outcome,
    StrategyOutcome,
)
from safehub.casework.models import (
    CINPlan,
    Conference,
    CoreGroup,
    CPPlan,
    DueItem,
    Episode,
    Section47,
    StrategyDiscussion,
)
from safehub.casework.services.shared import (
    _complete,
    _date,
    _lock_child,
    _locked,
    _may_record,
    _not_before,
    _open_episode,
    _record,
    _register,
    _text,
)
from safehub.chronology.models import Significance
from safehub.organisations.models import User

ICPC_LABEL = "Hold the initial child protection conference"


@transaction.atomic
def strategy_record(
    *, actor: User, episode: Episode, held_on: Any, participants: Any, outcome: str, notes: Any = ""
) -> StrategyDiscussion:
    """Record a strategy discussion; a decision to enquire starts the section 47 and its
    15-working-day clock to the initial conference. A further discussion while that enquiry
    runs (or waits for its conference) belongs to it, and the clock then runs from the
    latest of them (Working Together 2023)."""
    _may_record(actor, episode.child)
    _open_episode(episode)
    held_on = _date(held_on, "held_on", "the date of the discussion", child=episode.child)
    _not_before(held_on, episode.referral_date, "held_on", "the referral")
    if outcome not in StrategyOutcome.values:
        raise ValidationError({"outcome": "Select the outcome of the discussion"})
    participants = _text(participants, "participants", "who took part", limit=2000)
    strategy = StrategyDiscussion.objects.create(
        episode=episode,
        held_on=held_on,
        participants=participants,
        outcome=outcome,
        notes=_text(notes, "notes", "notes", required=False),
        recorded_by=actor,
    )
    _complete(episode, "strategy", held_on)  # the discussion the MASH decided on
    open_enquiry = _enquiry_before_conference(episode)
    summary = f"Strategy discussion: {strategy.get_outcome_display()}"
    if open_enquiry is not None:  # one more discussion of the enquiry waiting on a conference
        summary += _redate_conference(open_enquiry)
    _record(
        actor,
        episode.child,
        events.STRATEGY_DISCUSSION,
        summary,
        strategy,
        Significance.HIGH,
        held_on,
    )
    if outcome == StrategyOutcome.SECTION_47 and open_enquiry is None:
        _start_section47(actor, episode, strategy)
    return strategy


def _enquiry_before_conference(episode: Episode) -> Section47 | None:
    """The episode's section 47 still running, or concluded for an initial conference that
    has not been held: a strategy discussion now is one more of that enquiry's."""
    held = Conference.objects.filter(kind=ConferenceKind.INITIAL, section47=OuterRef("pk"))
    return (
        episode.enquiries.filter(
            Q(end_date__isnull=True) | (Q(outcome=Section47Outcome.ICPC) & ~Exists(held))
        )
        .order_by("-start_date", "-pk")
        .first()
    )


def _start_section47(actor: User, episode: Episode, strategy: StrategyDiscussion) -> None:
    held_on = strategy.held_on
    enquiry = Section47.objects.create(
        episode=episode, strategy=strategy, start_date=held_on, icpc_target=due.icpc_due(held_on)
    )
    _register(episode.child, "icpc", ICPC_LABEL, enquiry.icpc_target, enquiry)
    _record(
        actor,
        episode.child,
        events.SECTION_47_STARTED,
        f"Section 47 enquiry started; initial conference due by {enquiry.icpc_target:%-d %B %Y}",
        enquiry,
        Significance.HIGH,
        held_on,
    )


def _redate_conference(enquiry: Section47) -> str:
    """The initial conference is due 15 working days after the last strategy discussion of
    the enquiry (Working Together 2023): the latest held on or after it started, by date,
    whatever order they were recorded in. Returns what the chronology says about it."""
    enquiry = _locked(enquiry)
    latest = max(
        enquiry.episode.strategies.filter(held_on__gte=enquiry.start_date).values_list(
            "held_on", flat=True
        ),
        default=enquiry.start_date,
    )
    target = due.icpc_due(latest)
    if target != enquiry.icpc_target:
        enquiry.icpc_target = target
        enquiry.save(update_fields=["icpc_target", "updated_at"])
        _register(enquiry.episode.child, "icpc", ICPC_LABEL, target, enquiry)
    return f"; initial child protection conference due by {target:%-d %B %Y}"


@transaction.atomic
def section47_conclude(
    *, actor: User, enquiry: Section47, end_date: Any, outcome: str
) -> Section47:
    _may_record(actor, enquiry.episode.child)
    _open_episode(enquiry.episode)
    enquiry = _locked(enquiry)
    if enquiry.end_date:
        raise ValidationError("This enquiry is already concluded")
    end_date = _date(end_date, "end_date", "the date the enquiry concluded")
    _not_before(end_date, enquiry.start_date, "end_date", "the enquiry started")
    if outcome not in Section47Outcome.values:
        raise ValidationError({"outcome": "Select the outcome of the enquiry"})
    enquiry.end_date, enquiry.outcome = end_date, outcome
    enquiry.save(update_fields=["end_date", "outcome", "updated_at"])
    if outcome == Section47Outcome.NO_ICPC:
        _complete(enquiry, "icpc", end_date)
    _record(
        actor,
        enquiry.episode.child,
        events.SECTION_47_CONCLUDED,
        f"Section 47 enquiry concluded: {enquiry.get_outcome_display()}",
        enquiry,
        Significance.HIGH,
        end_date,
    )
    return enquiry


def _chair(actor: User, child: Any, chair_id: Any) -> User:
    """The conference's chair: the one named, or the actor where they are a chair. Only an
    independent chair may be named, never the child's own social worker (`may_chair`)."""
    chair: User | None = actor
    if chair_id not in (None, ""):
        chair = User.objects.filter(pk=chair_id).first()
    elif not rules_for(actor).can_chair:
        raise ValidationError({"chair": "Select who chaired the conference"})
    # Whoever holds the case: its allocation opens the worker's involvement.
    allocated = (
        Involvement.objects.filter(
            person=child, kind=InvolvementKind.ALLOCATED_WORKER, end_date__isnull=True
        )
        .values_list("user_id", flat=True)
        .first()
    )
    if chair is not None and chair.pk == allocated:
        raise ValidationError(
            {"chair": "The child's own social worker cannot chair their conference"}
        )
    if chair is None or not may_chair(chair, allocated_worker_id=allocated):
        raise ValidationError({"chair": "Select an independent conference chair from the list"})
    return chair


def _not_at_weekend(held_on: date) -> None:
    if held_on.weekday() >= 5:  # census 8875
        raise ValidationError(
            {
                "held_on": "An initial child protection conference is not held on a "
                f"{held_on:%A}: check the date"
            }
        )


@transaction.atomic
def conference_initial(
    *,
    actor: User,
    enquiry: Section47,
    held_on: Any,
    outcome: str,
    category: str = "",
    chair_id: Any = None,
) -> Conference:
    """The initial conference. A plan starts on the conference date (census 2885) with the
    category of abuse; any child-in-need plan ends that day (no overlap, census 4001). The
    answers must agree: a category only with a plan."""
    episode, child = enquiry.episode, enquiry.episode.child
    _may_record(actor, child, conference=True)
    _open_episode(episode)
    enquiry = _locked(enquiry)  # two chairs recording the same conference: one waits
    if enquiry.outcome != Section47Outcome.ICPC:
        raise ValidationError(
            "An initial conference follows a section 47 enquiry that "
            "concluded a conference was needed"
        )
    if Conference.objects.filter(section47=enquiry, kind=ConferenceKind.INITIAL).exists():
        raise ValidationError("The initial conference for this enquiry is already recorded")
    held_on = _date(held_on, "held_on", "the date of the conference", child=child)
    _not_before(held_on, enquiry.start_date, "held_on", "the section 47 enquiry started")
    _not_at_weekend(held_on)
    if outcome not in (ConferenceOutcome.PLAN, ConferenceOutcome.NO_PLAN):
        raise ValidationError({"outcome": "Select whether the child needs a plan"})
    if outcome == ConferenceOutcome.PLAN and category not in CategoryOfAbuse.values:
        raise ValidationError({"category": "Select the category of abuse"})
    if outcome == ConferenceOutcome.NO_PLAN and category:
        raise ValidationError(
            {
                "category": "You said the child does not need a plan, so leave the category "
                "of abuse blank (or say the child needs a plan)"
            }
        )
    chair = _chair(actor, child, chair_id)
    plan = None
    if outcome == ConferenceOutcome.PLAN:
        plan = _start_cp_plan(actor, episode, held_on, category)
    conference = Conference.objects.create(
        episode=episode,
        kind=ConferenceKind.INITIAL,
        section47=enquiry,
        plan=plan,
        held_on=held_on,
        outcome=outcome,
        category=category if plan else "",
        chair=chair,
        recorded_by=actor,
    )
    _complete(enquiry, "icpc", held_on)
    late = held_on > enquiry.icpc_target
    _record(
        actor,
        child,
        events.CONFERENCE_HELD,
        f"Initial child protection conference: {conference.get_outcome_display()}"
        + (" (after the 15-working-day timescale)" if late else ""),
        conference,
        Significance.CRITICAL,
        held_on,
        done_by=conference.chair,  # the chair holds the conference
    )
    return conference


def _start_cp_plan(actor: User, episode: Episode, start: date, category: str) -> CPPlan:
    child = episode.child
    _lock_child(child)
    if CPPlan.objects.filter(child=child, end_date__isnull=True).exists():  # 8935
        raise ValidationError("This child already has an open child protection plan")
    if CPPlan.objects.filter(child=child, end_date__gt=start).exists():  # plans never overlap
        raise ValidationError(
            "A child protection plan cannot start before the child's previous plan ended"
        )
    if (
        CINPlan.objects.filter(child=child)
        .filter(  # 4001: no overlap with a CIN plan
            Q(end_date__gt=start) | Q(end_date__isnull=True, start_date__gt=start)
        )
        .exists()
    ):
        raise ValidationError(
            "A child protection plan cannot overlap a child in need plan "
            "that ran after the conference date"
        )
    for cin_plan in CINPlan.objects.filter(child=child, end_date__isnull=True):
        cin_plan.end_date = start
        cin_plan.save(update_fields=["end_date", "updated_at"])
        DueItem.objects.filter(
            source_type=cin_plan._meta.label, source_id=str(cin_plan.pk), done_on__isnull=True
        ).update(done_on=start)
        _record(
            actor,
            child,
            events.CIN_PLAN_ENDED,
            "Child in need plan ended: a child protection plan started",
            cin_plan,
            when=start,
        )
    previous = CPPlan.objects.filter(child=child, end_date__isnull=False).count()
    plan = CPPlan.objects.create(
        episode=episode,
        child=child,
        start_date=start,
        initial_category=category,
        latest_category=category,
        previous_plans=previous,
    )
    _register(
        child, "core_group", "Hold the first core group", due.first_core_group_due(start), plan
    )
    _register(
        child,
        "cp_review",
        "Hold the first review conference",
        due.cp_review_due(start, first=True),
        plan,
    )
    _register(
        child, "cp_visit", "Visit the child (child protection plan)", due.cp_visit_due(start), plan
    )
    _record(
        actor,
        child,
        events.CP_PLAN_STARTED,
        f"Child protection plan started: {CategoryOfAbuse(category).label}"
        + (f" (previous plans: {previous})" if previous else ""),
        plan,
        Significance.CRITICAL,
        start,
    )
    return plan


@transaction.atomic
def core_group_record(*, actor: User, plan: CPPlan, held_on: Any, notes: Any = "") -> CoreGroup:
    _may_record(actor, plan.child)
    if plan.end_date:
        raise ValidationError("This plan has ended")
    held_on = _date(held_on, "held_on", "the date of the meeting", child=plan.child)
    _not_before(held_on, plan.start_date, "held_on", "the plan started")
    meeting = CoreGroup.objects.create(
        plan=plan,
        held_on=held_on,
        recorded_by=actor,
        notes=_text(notes, "notes", "notes", required=False),
    )
    _complete(plan, "core_group", held_on)
    _record(actor, plan.child, events.CORE_GROUP, "Core group meeting", meeting, when=held_on)
    return meeting


@transaction.atomic
def conference_review(
    *,
    actor: User,
    plan: CPPlan,
    held_on: Any,
    outcome: str,
    latest_category: str = "",
    chair_id: Any = None,
) -> Conference:
    """A review conference: continue the plan (next review within 6 months) or end it."""
    child = plan.child
    _may_record(actor, child, conference=True)
    plan = _locked(plan)
    if plan.end_date:
        raise ValidationError("This plan has ended")
    held_on = _date(held_on, "held_on", "the date of the conference", child=child)
    if held_on <= plan.start_date:  # 8841: a review is after the plan started
        raise ValidationError({"held_on": "A review must be after the plan started"})
    if outcome not in (ConferenceOutcome.CONTINUE, ConferenceOutcome.END):
        raise ValidationError({"outcome": "Select whether the plan continues"})
    if latest_category and latest_category not in CategoryOfAbuse.values:
        raise ValidationError({"latest_category": "Select the category of abuse"})
    chair = _chair(actor, child, chair_id)
    reviews = plan.conferences.filter(kind=ConferenceKind.REVIEW)
    later = reviews.filter(held_on__gt=held_on).order_by("-held_on").first()
    if outcome == ConferenceOutcome.END and later is not None:
        raise ValidationError(
            {
                "held_on": f"A later review ({later.held_on:%-d %B %Y}) is already recorded, "
                "so the plan cannot end before it"
            }
        )
    conference = Conference.objects.create(
        episode=plan.episode,
        kind=ConferenceKind.REVIEW,
        plan=plan,
        held_on=held_on,
        outcome=outcome,
        category=latest_category,
        chair=chair,
        recorded_by=actor,
    )
    if later is None:  # the latest review held, so the one the clock was waiting for
        _complete(plan, "cp_review", held_on)
    if latest_category and later is None:
        plan.latest_category = latest_category
    if outcome == ConferenceOutcome.END:
        plan.end_date = held_on
        DueItem.objects.filter(
            source_type=plan._meta.label, source_id=str(plan.pk), done_on__isnull=True
        ).update(done_on=held_on)
        _record(
            actor,
            child,
            events.CP_PLAN_ENDED,
            "Child protection plan ended",
            plan,
            Significance.CRITICAL,
            held_on,
        )
    else:  # dated from the latest review held, whatever order they were recorded in
        _register(
            child,
            "cp_review",
            "Hold the next review conference",
            due.cp_review_due(later.held_on if later else held_on, first=False),
            plan,
        )
    plan.save(update_fields=["latest_category", "end_date", "updated_at"])
    _record(
        actor,
        child,
        events.CONFERENCE_HELD,
        f"Review child protection conference: {conference.get_outcome_display()}",
        conference,
        Significance.HIGH,
        held_on,
        done_by=conference.chair,
    )
    return conference
