"""Everything that changes a child's casework. Each function is one transaction that checks
the workflow rules (modelled on the DfE CIN census validation rules), writes its audit row
and chronology entry, and opens or closes the statutory due dates it affects."""

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Decision, can_manage_cases, decide_casework
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    NFA_CLOSURES,
    AllocationReason,
    CategoryOfAbuse,
    ClosureReason,
    ConferenceKind,
    ConferenceOutcome,
    EarlyHelpClosure,
    EpisodeKind,
    LegalStatus,
    MissingKind,
    PlacementChangeReason,
    PlacementProvider,
    PlacementType,
    PrimaryNeed,
    ReasonCeased,
    ReasonNewEpisode,
    Section47Outcome,
    StrategyOutcome,
    VisitKind,
)
from safehub.casework.models import (
    Allocation,
    Assessment,
    CareEpisode,
    CareReview,
    CaseNote,
    CINPlan,
    CINPlanReview,
    Conference,
    CoreGroup,
    CPPlan,
    DueItem,
    Episode,
    MissingEpisode,
    NoteDraft,
    Oversight,
    PeriodOfCare,
    Section47,
    StrategyDiscussion,
    Visit,
)
from safehub.chronology.models import Significance
from safehub.chronology.services import chronology_append
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.core.text import clean_text
from safehub.core.workdays import LONDON
from safehub.frontdoor.codes import ASSESSMENT_FACTORS

NO_FACTORS = "21"


# --- Shared checks -----------------------------------------------------------------------


def _may_record(actor: Any, child: Any, *, conference: bool = False) -> None:
    if decide_casework(actor, child, conference=conference) is not Decision.ALLOW:
        raise NotFound()


def _must_manage(actor: Any) -> None:
    if not can_manage_cases(actor):
        raise PermissionDeniedError("Only a team manager can do this.")


def _date(value: Any, field: str, label: str) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: f"Enter {label}"})
    if value > timezone.localdate():
        raise ValidationError(
            {field: f"{label[0].upper()}{label[1:]} must be today or in the past"}
        )
    return value


def _not_before(value: date, earliest: date, field: str, what: str) -> None:
    if value < earliest:
        raise ValidationError({field: f"The date cannot be before {what} ({earliest:%-d %B %Y})"})


def _open_episode(episode: Episode) -> None:
    """Nothing more is recorded on a closed episode, and never on one closed as no further
    action (census 2990, 8831/8832). The episode is locked and re-read, so work cannot be
    added to it while someone else is closing it."""
    episode = _locked(episode)
    if episode.closure_reason in NFA_CLOSURES:
        raise ValidationError(
            "This episode was closed with no further action, so nothing "
            "more can be recorded on it. Open a new episode if needed"
        )
    if not episode.is_open:
        raise ValidationError("This episode is closed")


def _record(
    actor: Any,
    child: Any,
    event: str,
    summary: str,
    source: Any,
    significance: int = Significance.MEDIUM,
    when: date | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=child.pk,
        object_type=source._meta.label,
        object_id=source.pk,
        detail={"event": event},
    )
    # A date-only event sits at midday London time, so it never slips a day either way.
    occurred = datetime.combine(when, time(12), tzinfo=LONDON) if when else None
    chronology_append(
        actor=actor,
        persons=[child],
        event_type=event,
        summary=summary,
        source=source,
        significance=significance,
        occurred_at=occurred,
    )


def _locked(instance: Any, *, reread: bool = True) -> Any:
    """Lock the row until the transaction ends and re-read it, so two workers changing the
    same record are served one after the other and the second sees what the first did."""
    list(type(instance).objects.select_for_update().filter(pk=instance.pk).values("pk"))
    if reread:
        instance.refresh_from_db()
    return instance


def _lock_child(child: Any) -> None:
    """Serialise the writes that may open only one of something per child (an episode of a
    kind, a plan, a period of care, an allocation): a second worker doing the same at the
    same moment waits, then is refused in plain English instead of by the database."""
    _locked(child, reread=False)


def _register(child: Any, kind: str, label: str, due_date: date, source: Any) -> None:
    DueItem.objects.update_or_create(
        source_type=source._meta.label,
        source_id=str(source.pk),
        kind=kind,
        done_on__isnull=True,
        defaults={"child": child, "label": label, "due_date": due_date},
    )


def _complete(source: Any, kind: str, on: date) -> None:
    DueItem.objects.filter(
        source_type=source._meta.label, source_id=str(source.pk), kind=kind, done_on__isnull=True
    ).update(done_on=on)


def _text(value: Any, field: str, label: str, *, required: bool = True, limit: int = 5000) -> str:
    try:
        return clean_text(value, label=label, max_length=limit, multiline=True, required=required)
    except ValidationError as error:
        raise ValidationError({field: error.messages[0]}) from None


# --- Episodes ----------------------------------------------------------------------------


@transaction.atomic
def episode_open(
    *,
    actor: Any,
    child: Any,
    kind: str,
    referral_date: date,
    referral_source: str = "",
    primary_need: str = "",
    contact: Any = None,
) -> Episode:
    """Open a child-in-need episode (from an accepted referral) or an early-help episode."""
    _may_record(actor, child)
    if kind not in EpisodeKind.values:
        raise ValidationError({"kind": "Select the kind of episode"})
    referral_date = _date(referral_date, "referral_date", "the referral date")
    if primary_need and primary_need not in PrimaryNeed.values:
        raise ValidationError({"primary_need": "Select the primary need"})
    return _create_episode(
        actor, child, kind, referral_date, referral_source, primary_need, contact
    )


def episode_open_from_referral(*, actor: Any, contact: Any, child: Any) -> Episode | None:
    """A MASH decision to refer for assessment or a strategy discussion opens the child's
    episode of need, dated when the contact was received. Called inside the decision's
    transaction; the decision was authorised by the front-door policy, so no person check
    here. A child whose episode is already open keeps it (the contact joins that work)."""
    _lock_child(child)
    if Episode.objects.filter(
        child=child, kind=EpisodeKind.CIN, closure_date__isnull=True
    ).exists():
        return None
    return _create_episode(
        actor,
        child,
        EpisodeKind.CIN,
        timezone.localtime(contact.received_at).date(),
        contact.referral_source,
        "",
        contact,
    )


def _create_episode(
    actor: Any,
    child: Any,
    kind: str,
    referral_date: date,
    referral_source: str,
    primary_need: str,
    contact: Any,
) -> Episode:
    _lock_child(child)
    if Episode.objects.filter(child=child, kind=kind, closure_date__isnull=True).exists():
        raise ValidationError("This child already has an open episode of this kind")
    episode = Episode.objects.create(
        kind=kind,
        child=child,
        contact=contact,
        referral_date=referral_date,
        referral_source=referral_source,
        primary_need=primary_need,
        opened_by=actor,
    )
    _record(
        actor,
        child,
        events.EPISODE_OPENED,
        f"{episode.get_kind_display()} episode opened (referral {referral_date:%-d %B %Y})",
        episode,
        Significance.HIGH,
        referral_date,
    )
    return episode


def _open_statutory_work(episode: Episode) -> list[str]:
    blocking = []
    if episode.assessments.filter(authorised_date__isnull=True).exists():
        blocking.append("an assessment that is not authorised")
    if episode.enquiries.filter(end_date__isnull=True).exists():
        blocking.append("an open section 47 enquiry")
    if episode.cp_plans.filter(end_date__isnull=True).exists():
        blocking.append("an open child protection plan")
    if episode.cin_plans.filter(end_date__isnull=True).exists():
        blocking.append("an open child in need plan")
    if episode.care_periods.filter(end_date__isnull=True).exists():
        blocking.append("an open period of care")
    return blocking


@transaction.atomic
def episode_close(*, actor: Any, episode: Episode, closure_date: Any, reason: str) -> Episode:
    """Close an episode: the date and reason go together (census 8805/8810), and it is
    refused while statutory work on it is still open."""
    _may_record(actor, episode.child)
    episode = _locked(episode)
    if not episode.is_open:
        raise ValidationError("This episode is already closed")
    reasons = ClosureReason if episode.kind == EpisodeKind.CIN else EarlyHelpClosure
    errors = {}
    if reason not in reasons.values:
        errors["reason"] = "Select the reason for closing"
    if not isinstance(closure_date, date):
        errors["closure_date"] = "Enter the closure date"
    if errors:
        raise ValidationError(errors)
    _date(closure_date, "closure_date", "the closure date")
    _not_before(closure_date, episode.referral_date, "closure_date", "the referral")
    blocking = _open_statutory_work(episode)
    if blocking:
        raise ValidationError("You cannot close the case while it has " + " and ".join(blocking))
    if (
        reason in NFA_CLOSURES
        and episode.assessments.filter(authorised_date__isnull=False).count() == 0
    ):
        raise ValidationError(
            {"reason": "A case is closed after assessment only once its assessment is authorised"}
        )
    episode.closure_date, episode.closure_reason = closure_date, reason
    episode.save(update_fields=["closure_date", "closure_reason", "updated_at"])
    DueItem.objects.filter(child=episode.child, done_on__isnull=True).update(done_on=closure_date)
    _record(
        actor,
        episode.child,
        events.EPISODE_CLOSED,
        f"Episode closed: {reasons(reason).label}",
        episode,
        Significance.HIGH,
        closure_date,
    )
    return episode


# --- Assessment --------------------------------------------------------------------------


@transaction.atomic
def assessment_start(*, actor: Any, episode: Episode, start_date: Any) -> Assessment:
    _may_record(actor, episode.child)
    _open_episode(episode)
    start_date = _date(start_date, "start_date", "the start date")
    _not_before(start_date, episode.referral_date, "start_date", "the referral")  # 1103
    if episode.assessments.filter(completed_date__isnull=True).exists():  # 8896
        raise ValidationError("This episode already has an assessment in progress")
    assessment = Assessment.objects.create(
        episode=episode, start_date=start_date, due_date=due.assessment_due(episode.referral_date)
    )
    _register(
        episode.child,
        "assessment",
        "Complete the child and family assessment",
        assessment.due_date,
        assessment,
    )
    _record(
        actor,
        episode.child,
        events.ASSESSMENT_STARTED,
        f"Child and family assessment started; due {assessment.due_date:%-d %B %Y}",
        assessment,
        when=start_date,
    )
    return assessment


@transaction.atomic
def assessment_record_seen(
    *, actor: Any, assessment: Assessment, seen_date: Any, seen_alone: bool
) -> Assessment:
    episode = assessment.episode
    _may_record(actor, episode.child)
    _open_episode(episode)
    assessment = _locked(assessment)
    if assessment.completed_date:
        raise ValidationError(
            "This assessment is already completed, so when the child was seen cannot change"
        )
    seen_date = _date(seen_date, "seen_date", "the date the child was seen")
    _not_before(seen_date, assessment.start_date, "seen_date", "the assessment started")
    assessment.child_seen_date, assessment.child_seen_alone = seen_date, bool(seen_alone)
    assessment.save(update_fields=["child_seen_date", "child_seen_alone", "updated_at"])
    _record(
        actor,
        episode.child,
        events.ASSESSMENT_CHILD_SEEN,
        "Child seen for the assessment" + (" (seen alone)" if seen_alone else ""),
        assessment,
        when=seen_date,
    )
    return assessment


@transaction.atomic
def assessment_complete(
    *, actor: Any, assessment: Assessment, completed_date: Any, factors: list[str], summary: Any
) -> Assessment:
    episode = assessment.episode
    _may_record(actor, episode.child)
    _open_episode(episode)
    assessment = _locked(assessment)
    if assessment.completed_date:
        raise ValidationError("This assessment is already completed")
    completed_date = _date(completed_date, "completed_date", "the completion date")
    _not_before(completed_date, assessment.start_date, "completed_date", "the assessment started")
    factors = list(factors or [])
    if not factors:  # 8897Q
        raise ValidationError(
            {"factors": "Select the factors identified, or 'No factors identified'"}
        )
    if NO_FACTORS in factors and len(factors) > 1:  # 8869
        raise ValidationError(
            {"factors": "'No factors identified' cannot be chosen with other factors"}
        )
    if any(f not in ASSESSMENT_FACTORS and f != NO_FACTORS for f in factors):
        raise ValidationError({"factors": "Select the factors from the list"})
    if assessment.child_seen_date is None:
        raise ValidationError(
            {"completed_date": "Record when the child was seen before completing the assessment"}
        )
    assessment.completed_date, assessment.factors = completed_date, factors
    assessment.summary = _text(summary, "summary", "the assessment summary")
    assessment.save(update_fields=["completed_date", "factors", "summary", "updated_at"])
    _complete(assessment, "assessment", completed_date)
    _register(episode.child, "authorise", "Authorise the assessment", completed_date, assessment)
    _record(
        actor,
        episode.child,
        events.ASSESSMENT_COMPLETED,
        "Assessment completed; factors: " + ", ".join(factors),
        assessment,
        when=completed_date,
    )
    return assessment


@transaction.atomic
def assessment_authorise(*, actor: Any, assessment: Assessment, authorised_date: Any) -> Assessment:
    """A manager authorises a completed assessment (the census AuthorisationDate)."""
    _must_manage(actor)
    _may_record(actor, assessment.episode.child)
    assessment = _locked(assessment)
    if not assessment.completed_date:
        raise ValidationError("The assessment must be completed before it is authorised")
    if assessment.authorised_date:
        raise ValidationError("This assessment is already authorised")
    authorised_date = _date(authorised_date, "authorised_date", "the authorisation date")
    _not_before(
        authorised_date,
        assessment.completed_date,
        "authorised_date",
        "the assessment was completed",
    )
    assessment.authorised_date, assessment.authorised_by = authorised_date, actor
    assessment.save(update_fields=["authorised_date", "authorised_by", "updated_at"])
    _complete(assessment, "authorise", authorised_date)
    late = authorised_date > assessment.due_date
    _record(
        actor,
        assessment.episode.child,
        events.ASSESSMENT_AUTHORISED,
        "Assessment authorised" + (" after the 45-working-day timescale" if late else ""),
        assessment,
        when=authorised_date,
    )
    return assessment


# --- Child protection --------------------------------------------------------------------


@transaction.atomic
def strategy_record(
    *, actor: Any, episode: Episode, held_on: Any, participants: Any, outcome: str, notes: Any = ""
) -> StrategyDiscussion:
    """Record a strategy discussion; a decision to enquire starts the section 47 and its
    15-working-day clock to the initial conference."""
    _may_record(actor, episode.child)
    _open_episode(episode)
    held_on = _date(held_on, "held_on", "the date of the discussion")
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
    _record(
        actor,
        episode.child,
        events.STRATEGY_DISCUSSION,
        f"Strategy discussion: {strategy.get_outcome_display()}",
        strategy,
        Significance.HIGH,
        held_on,
    )
    if outcome == StrategyOutcome.SECTION_47:
        if episode.enquiries.filter(end_date__isnull=True).exists():
            raise ValidationError("A section 47 enquiry is already open for this episode")
        enquiry = Section47.objects.create(
            episode=episode,
            strategy=strategy,
            start_date=held_on,
            icpc_target=due.icpc_due(held_on),
        )
        _register(
            episode.child,
            "icpc",
            "Hold the initial child protection conference",
            enquiry.icpc_target,
            enquiry,
        )
        _record(
            actor,
            episode.child,
            events.SECTION_47_STARTED,
            f"Section 47 enquiry started; initial conference due by "
            f"{enquiry.icpc_target:%-d %B %Y}",
            enquiry,
            Significance.HIGH,
            held_on,
        )
    return strategy


@transaction.atomic
def section47_conclude(*, actor: Any, enquiry: Section47, end_date: Any, outcome: str) -> Section47:
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


@transaction.atomic
def conference_initial(
    *, actor: Any, enquiry: Section47, held_on: Any, outcome: str, category: str = ""
) -> Conference:
    """The initial conference. A plan starts on the conference date (census 2885) with the
    category of abuse; any child-in-need plan ends that day (no overlap, census 4001)."""
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
    held_on = _date(held_on, "held_on", "the date of the conference")
    _not_before(held_on, enquiry.start_date, "held_on", "the section 47 enquiry started")
    if outcome not in (ConferenceOutcome.PLAN, ConferenceOutcome.NO_PLAN):
        raise ValidationError({"outcome": "Select whether the child needs a plan"})
    if outcome == ConferenceOutcome.PLAN and category not in CategoryOfAbuse.values:
        raise ValidationError({"category": "Select the category of abuse"})
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
        chair=actor,
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
    )
    return conference


def _start_cp_plan(actor: Any, episode: Episode, start: date, category: str) -> CPPlan:
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
def core_group_record(*, actor: Any, plan: CPPlan, held_on: Any, notes: Any = "") -> CoreGroup:
    _may_record(actor, plan.child)
    if plan.end_date:
        raise ValidationError("This plan has ended")
    held_on = _date(held_on, "held_on", "the date of the meeting")
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
    *, actor: Any, plan: CPPlan, held_on: Any, outcome: str, latest_category: str = ""
) -> Conference:
    """A review conference: continue the plan (next review within 6 months) or end it."""
    child = plan.child
    _may_record(actor, child, conference=True)
    plan = _locked(plan)
    if plan.end_date:
        raise ValidationError("This plan has ended")
    held_on = _date(held_on, "held_on", "the date of the conference")
    if held_on <= plan.start_date:  # 8841: a review is after the plan started
        raise ValidationError({"held_on": "A review must be after the plan started"})
    if outcome not in (ConferenceOutcome.CONTINUE, ConferenceOutcome.END):
        raise ValidationError({"outcome": "Select whether the plan continues"})
    if latest_category and latest_category not in CategoryOfAbuse.values:
        raise ValidationError({"latest_category": "Select the category of abuse"})
    conference = Conference.objects.create(
        episode=plan.episode,
        kind=ConferenceKind.REVIEW,
        plan=plan,
        held_on=held_on,
        outcome=outcome,
        category=latest_category,
        chair=actor,
        recorded_by=actor,
    )
    _complete(plan, "cp_review", held_on)
    if latest_category:
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
    else:
        _register(
            child,
            "cp_review",
            "Hold the next review conference",
            due.cp_review_due(held_on, first=False),
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
    )
    return conference


# --- Child in need plans -----------------------------------------------------------------


@transaction.atomic
def cin_plan_start(*, actor: Any, episode: Episode, start_date: Any) -> CINPlan:
    child = episode.child
    _may_record(actor, child)
    _open_episode(episode)
    start_date = _date(start_date, "start_date", "the start date")
    _not_before(start_date, episode.referral_date, "start_date", "the referral")  # 4015
    _lock_child(child)
    if CPPlan.objects.filter(child=child, end_date__isnull=True).exists():  # 4001
        raise ValidationError(
            "A child in need plan cannot start while the child has a child protection plan"
        )
    if CPPlan.objects.filter(child=child, end_date__gt=start_date).exists():  # 4001
        raise ValidationError(
            {
                "start_date": "A child in need plan cannot start before the "
                "child protection plan ended"
            }
        )
    if CINPlan.objects.filter(child=child, end_date__isnull=True).exists():  # 4004
        raise ValidationError("This child already has an open child in need plan")
    plan = CINPlan.objects.create(episode=episode, child=child, start_date=start_date)
    _register(
        child,
        "cin_review",
        "Review the child in need plan",
        due.cin_plan_review_due(start_date, first=True),
        plan,
    )
    _register(
        child,
        "cin_visit",
        "Visit the child (child in need plan)",
        due.cin_visit_due(start_date),
        plan,
    )
    _record(
        actor, child, events.CIN_PLAN_STARTED, "Child in need plan started", plan, when=start_date
    )
    return plan


@transaction.atomic
def cin_plan_review(*, actor: Any, plan: CINPlan, held_on: Any) -> CINPlanReview:
    _may_record(actor, plan.child)
    if plan.end_date:
        raise ValidationError("This plan has ended")
    held_on = _date(held_on, "held_on", "the date of the review")
    _not_before(held_on, plan.start_date, "held_on", "the plan started")
    review = CINPlanReview.objects.create(plan=plan, held_on=held_on, recorded_by=actor)
    _complete(plan, "cin_review", held_on)
    _register(
        plan.child,
        "cin_review",
        "Review the child in need plan",
        due.cin_plan_review_due(held_on, first=False),
        plan,
    )
    _record(
        actor,
        plan.child,
        events.CIN_PLAN_REVIEWED,
        "Child in need plan reviewed",
        review,
        when=held_on,
    )
    return review


@transaction.atomic
def cin_plan_end(*, actor: Any, plan: CINPlan, end_date: Any) -> CINPlan:
    _may_record(actor, plan.child)
    plan = _locked(plan)
    if plan.end_date:
        raise ValidationError("This plan has already ended")
    end_date = _date(end_date, "end_date", "the end date")
    _not_before(end_date, plan.start_date, "end_date", "the plan started")
    plan.end_date = end_date
    plan.save(update_fields=["end_date", "updated_at"])
    DueItem.objects.filter(
        source_type=plan._meta.label, source_id=str(plan.pk), done_on__isnull=True
    ).update(done_on=end_date)
    _record(
        actor, plan.child, events.CIN_PLAN_ENDED, "Child in need plan ended", plan, when=end_date
    )
    return plan


# --- Children in care --------------------------------------------------------------------


def _placement_fields(data: dict[str, Any]) -> dict[str, Any]:
    errors = {}
    if data.get("legal_status") not in LegalStatus.values:
        errors["legal_status"] = "Select the legal status"
    if data.get("placement_type") not in PlacementType.values:
        errors["placement_type"] = "Select the placement type"
    if data.get("provider") not in PlacementProvider.values:
        errors["provider"] = "Select who provides the placement"
    if errors:
        raise ValidationError(errors)
    from safehub.core.identifiers import clean_postcode

    out = {k: data[k] for k in ("legal_status", "placement_type", "provider")}
    for field in ("home_postcode", "placement_postcode"):
        try:
            out[field] = clean_postcode(data[field]) if data.get(field) else ""
        except ValidationError as error:
            errors[field] = error.messages[0]
    out["carer_name"] = _text(
        data.get("carer_name"), "carer_name", "the carer or home", required=False, limit=120
    )
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def care_start(
    *, actor: Any, episode: Episode, start_date: Any, placement: dict[str, Any]
) -> PeriodOfCare:
    """The child becomes looked after: a period of care and its first 903 episode (RNE S),
    with the care plan, first review and first visit on their statutory clocks."""
    child = episode.child
    _may_record(actor, child)
    _open_episode(episode)
    start_date = _date(start_date, "start_date", "the date the child became looked after")
    _not_before(start_date, episode.referral_date, "start_date", "the referral")
    _lock_child(child)
    if PeriodOfCare.objects.filter(child=child, end_date__isnull=True).exists():
        raise ValidationError("This child is already looked after")
    fields = _placement_fields(placement)
    period = PeriodOfCare.objects.create(child=child, episode=episode, start_date=start_date)
    CareEpisode.objects.create(
        period=period, start_date=start_date, reason_new_episode=ReasonNewEpisode.S, **fields
    )
    _register(child, "care_plan", "Write the care plan", due.care_plan_due(start_date), period)
    _register(
        child,
        "care_review",
        "Hold the first looked-after review",
        due.care_review_due(start_date, number=1),
        period,
    )
    _register(
        child,
        "cla_visit",
        "Visit the child in their placement",
        due.care_visit_due(date.min, start_date),
        period,
    )
    _record(
        actor,
        child,
        events.CARE_STARTED,
        f"Became looked after: {LegalStatus(fields['legal_status']).label}; placed "
        f"{PlacementType(fields['placement_type']).label.lower()}",
        period,
        Significance.CRITICAL,
        start_date,
    )
    return period


def _reason_new_episode(old: CareEpisode, new: dict[str, Any]) -> str:
    legal = old.legal_status != new["legal_status"]
    placement = old.placement_type != new["placement_type"] or (
        old.placement_postcode != new["placement_postcode"]
    )
    carer = old.carer_name != new["carer_name"]
    if legal and placement and carer:
        return ReasonNewEpisode.B
    if legal and placement:
        return ReasonNewEpisode.U
    if legal:
        return ReasonNewEpisode.L
    return ReasonNewEpisode.P if carer else ReasonNewEpisode.T


@transaction.atomic
def care_change(
    *,
    actor: Any,
    period: PeriodOfCare,
    change_date: Any,
    placement: dict[str, Any],
    reason_place_change: str = "",
) -> CareEpisode:
    """A new 903 episode: the current one ends the same day (REC X1) and the reason for the
    new one (RNE) follows from what changed."""
    child = period.child
    _may_record(actor, child)
    period = _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    current = period.episodes.get(end_date__isnull=True)
    change_date = _date(change_date, "change_date", "the date of the change")
    if change_date <= current.start_date:
        raise ValidationError(
            {"change_date": "The change must be after the current placement started"}
        )
    fields = _placement_fields(placement)
    rne = _reason_new_episode(current, fields)
    if rne != ReasonNewEpisode.L and reason_place_change not in PlacementChangeReason.values:
        raise ValidationError({"reason_place_change": "Select why the placement changed"})
    current.end_date, current.reason_ceased = change_date, ReasonCeased.X1
    current.reason_place_change = reason_place_change if rne != ReasonNewEpisode.L else ""
    current.save(update_fields=["end_date", "reason_ceased", "reason_place_change", "updated_at"])
    episode = CareEpisode.objects.create(
        period=period, start_date=change_date, reason_new_episode=rne, **fields
    )
    if rne != ReasonNewEpisode.L:
        _register(
            child,
            "cla_visit",
            "Visit the child in their new placement",
            due.care_visit_due(date.min, change_date),
            period,
        )
    _record(
        actor,
        child,
        events.PLACEMENT_CHANGED,
        f"{ReasonNewEpisode(rne).label}: now "
        f"{PlacementType(fields['placement_type']).label.lower()}",
        episode,
        Significance.HIGH,
        change_date,
    )
    return episode


@transaction.atomic
def care_plan_record(*, actor: Any, period: PeriodOfCare, plan_date: Any) -> PeriodOfCare:
    """The care plan is written (CPPCR reg 4: before the first placement or within 10
    working days of it)."""
    child = period.child
    _may_record(actor, child)
    period = _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    plan_date = _date(plan_date, "plan_date", "the date of the care plan")
    _not_before(plan_date, period.episode.referral_date, "plan_date", "the referral")
    period.care_plan_date = plan_date
    period.save(update_fields=["care_plan_date", "updated_at"])
    _complete(period, "care_plan", plan_date)
    _record(actor, child, events.CARE_PLAN, "Care plan written", period, when=plan_date)
    return period


@transaction.atomic
def care_review_record(*, actor: Any, period: PeriodOfCare, held_on: Any) -> CareReview:
    child = period.child
    _may_record(actor, child, conference=True)
    if period.end_date:
        raise ValidationError("This period of care has ended")
    held_on = _date(held_on, "held_on", "the date of the review")
    _not_before(held_on, period.start_date, "held_on", "the child became looked after")
    review = CareReview.objects.create(period=period, held_on=held_on, recorded_by=actor)
    number = period.reviews.count()
    _complete(period, "care_review", held_on)
    _register(
        child,
        "care_review",
        "Hold the next looked-after review",
        due.care_review_due(held_on, number=number + 1),
        period,
    )
    _record(actor, child, events.CARE_REVIEW, f"Looked-after review {number}", review, when=held_on)
    return review


@transaction.atomic
def care_end(*, actor: Any, period: PeriodOfCare, end_date: Any, reason: str) -> PeriodOfCare:
    child = period.child
    _may_record(actor, child)
    period = _locked(period)
    if period.end_date:
        raise ValidationError("This period of care has already ended")
    end_date = _date(end_date, "end_date", "the date the child left care")
    current = period.episodes.get(end_date__isnull=True)
    if end_date < current.start_date:
        raise ValidationError(
            {"end_date": "The date cannot be before the current placement started"}
        )
    if reason not in ReasonCeased.values or reason == ReasonCeased.X1:
        raise ValidationError({"reason": "Select why the child left care"})
    current.end_date, current.reason_ceased = end_date, reason
    current.save(update_fields=["end_date", "reason_ceased", "updated_at"])
    period.end_date, period.reason_ceased = end_date, reason
    period.save(update_fields=["end_date", "reason_ceased", "updated_at"])
    DueItem.objects.filter(
        source_type=period._meta.label, source_id=str(period.pk), done_on__isnull=True
    ).update(done_on=end_date)
    _record(
        actor,
        child,
        events.CARE_ENDED,
        f"Ceased to be looked after: {ReasonCeased(reason).label}",
        period,
        Significance.CRITICAL,
        end_date,
    )
    return period


@transaction.atomic
def missing_record(
    *,
    actor: Any,
    child: Any,
    kind: str,
    start_date: Any,
    end_date: Any = None,
    interview_offered: bool | None = None,
    interview_accepted: bool | None = None,
) -> MissingEpisode:
    _may_record(actor, child)
    if kind not in MissingKind.values:
        raise ValidationError({"kind": "Select missing or away without authorisation"})
    start_date = _date(start_date, "start_date", "the date they went missing")
    if end_date is not None:
        end_date = _date(end_date, "end_date", "the date they returned")
        _not_before(end_date, start_date, "end_date", "they went missing")
    overlapping = MissingEpisode.objects.filter(
        child=child, start_date__lte=end_date or timezone.localdate()
    )
    if overlapping.exclude(end_date__lt=start_date).exists():  # 903 rule 574
        raise ValidationError("This overlaps a missing episode already recorded")
    episode = MissingEpisode.objects.create(
        child=child,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        return_interview_offered=interview_offered,
        return_interview_accepted=interview_accepted,
        recorded_by=actor,
    )
    _record(
        actor,
        child,
        events.MISSING_EPISODE,
        f"{MissingKind(kind).label} from {start_date:%-d %B %Y}",
        episode,
        Significance.HIGH,
        start_date,
    )
    return episode


# --- Visits, notes, drafts ---------------------------------------------------------------

VISIT_DUE_KIND = {VisitKind.CP: "cp_visit", VisitKind.CIN: "cin_visit", VisitKind.CLA: "cla_visit"}


def visit_kind_for(child: Any) -> tuple[str, Any, Any]:
    """Which statutory visit is due for the child now, and the record it belongs to:
    a child protection plan first, then care, then a child-in-need plan."""
    plan = CPPlan.objects.filter(child=child, end_date__isnull=True).first()
    if plan:
        return VisitKind.CP, plan, plan.episode
    period = PeriodOfCare.objects.filter(child=child, end_date__isnull=True).first()
    if period:
        return VisitKind.CLA, period, period.episode
    cin = CINPlan.objects.filter(child=child, end_date__isnull=True).first()
    if cin:
        return VisitKind.CIN, cin, cin.episode
    episode = Episode.objects.filter(
        child=child, closure_date__isnull=True, kind=EpisodeKind.CIN
    ).first()
    return VisitKind.CIN, None, episode


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    child: Any,
    visited_on: Any,
    child_seen: bool,
    seen_alone: bool = False,
    bedroom_seen: bool = False,
    note: Any = "",
) -> Visit:
    """Record a statutory visit; the next one falls due by the council's standard."""
    _may_record(actor, child)
    kind, source, episode = visit_kind_for(child)
    if episode is None:
        raise ValidationError("This child has no open episode to record a visit against")
    visited_on = _date(visited_on, "visited_on", "the date of the visit")
    if seen_alone and not child_seen:
        raise ValidationError({"seen_alone": "A child not seen cannot be seen alone"})
    visit = Visit.objects.create(
        child=child,
        episode=episode,
        kind=kind,
        visited_on=visited_on,
        child_seen=child_seen,
        child_seen_alone=seen_alone,
        bedroom_seen=bedroom_seen,
        note=_text(note, "note", "what happened", required=False),
        recorded_by=actor,
    )
    if source is not None and child_seen:
        due_kind = VISIT_DUE_KIND[kind]
        _complete(source, due_kind, visited_on)
        if kind == VisitKind.CP:
            next_due = due.cp_visit_due(visited_on)
        elif kind == VisitKind.CLA:
            placement = source.episodes.get(end_date__isnull=True)
            next_due = due.care_visit_due(visited_on, placement.start_date)
        else:
            next_due = due.cin_visit_due(visited_on)
        _register(
            child, due_kind, f"Visit the child ({VisitKind(kind).label.lower()})", next_due, source
        )
    NoteDraft.objects.filter(author=actor, child=child, kind="visit").delete()
    seen = ("seen alone" if seen_alone else "seen") if child_seen else "not seen"
    _record(
        actor,
        child,
        events.VISIT,
        f"{VisitKind(kind).label}: child {seen}" + ("; bedroom seen" if bedroom_seen else ""),
        visit,
        when=visited_on,
    )
    return visit


@transaction.atomic
def note_record(*, actor: Any, child: Any, text: Any, significant: bool = False) -> CaseNote:
    """A case note; a significant one goes into the child's chronology."""
    _may_record(actor, child)
    note = CaseNote.objects.create(
        child=child,
        author=actor,
        occurred_at=timezone.now(),
        text=_text(text, "text", "the note"),
        significant=bool(significant),
    )
    NoteDraft.objects.filter(author=actor, child=child, kind="note").delete()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=child.pk,
        object_type="casework.CaseNote",
        object_id=note.pk,
    )
    if significant:
        chronology_append(
            actor=actor,
            persons=[child],
            event_type=events.CASE_NOTE,
            summary=note.text[:500],
            source=note,
            significance=Significance.HIGH,
        )
    return note


def draft_save(*, actor: Any, child: Any, kind: str, text: str) -> NoteDraft:
    """Keep what the worker is typing. Not audited as a change: a draft is the worker's own
    unfinished text and is deleted when the note or visit is saved."""
    _may_record(actor, child)
    if kind not in ("note", "visit"):
        raise ValidationError("Unknown draft")
    draft, _ = NoteDraft.objects.update_or_create(
        author=actor,
        child=child,
        kind=kind,
        defaults={"text": str(text)[:20000], "updated_at": timezone.now()},
    )
    return draft


# --- Allocation and oversight --------------------------------------------------------------


@transaction.atomic
def allocate(*, actor: Any, child: Any, worker: Any, reason: str = "") -> Allocation:
    """Give the case to a worker (and their team). Reallocation needs a reason; the old
    worker's involvement ends, so their access by allocation ends with it."""
    _must_manage(actor)
    if (
        worker is None
        or worker.role not in ("social_worker", "team_manager")
        or (not worker.team_id)
    ):
        raise ValidationError({"worker": "Select a social worker"})
    _lock_child(child)
    current = (
        Allocation.objects.select_for_update().filter(child=child, end_date__isnull=True).first()
    )
    # A manager reallocates within their team's cases, or takes an unallocated referral in.
    if current:
        _may_record(actor, child)
    elif not Episode.objects.filter(
        child=child, kind=EpisodeKind.CIN, closure_date__isnull=True
    ).exists():
        raise NotFound()
    today = timezone.localdate()
    if current:
        if current.worker_id == worker.pk:
            raise ValidationError({"worker": "The case is already allocated to this worker"})
        if reason not in AllocationReason.values or reason == AllocationReason.NEW:
            raise ValidationError({"reason": "Select why the case is being reallocated"})
        current.end_date = today
        current.save(update_fields=["end_date", "updated_at"])
        Involvement.objects.filter(pk=current.involvement_id).update(end_date=today)
    involvement = Involvement.objects.create(
        person=child, kind=InvolvementKind.ALLOCATED_WORKER, user=worker, team=worker.team
    )
    allocation = Allocation.objects.create(
        child=child,
        worker=worker,
        team=worker.team,
        start_date=today,
        reason=reason if current else AllocationReason.NEW,
        involvement=involvement,
        allocated_by=actor,
    )
    _record(
        actor,
        child,
        events.ALLOCATED,
        f"Allocated to {worker.get_full_name()} ({worker.team.name})"
        + (f": {AllocationReason(reason).label}" if current else ""),
        allocation,
    )
    return allocation


@transaction.atomic
def oversight_record(
    *, actor: Any, child: Any, kind: str, held_on: Any, discussion: Any, actions: Any = ""
) -> Oversight:
    _must_manage(actor)
    _may_record(actor, child)
    if kind not in ("supervision", "oversight"):
        raise ValidationError({"kind": "Select supervision or management oversight"})
    record = Oversight.objects.create(
        child=child,
        kind=kind,
        manager=actor,
        held_on=_date(held_on, "held_on", "the date"),
        discussion=_text(discussion, "discussion", "what was discussed"),
        actions=_text(actions, "actions", "the actions", required=False),
    )
    _record(
        actor,
        child,
        events.OVERSIGHT,
        f"{record.get_kind_display()} recorded",
        record,
        when=record.held_on,
    )
    return record
