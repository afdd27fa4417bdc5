"""/api/v1/children/{child_id}/…: a child's casework for partner systems, and the person
chronology. The same fetchers, selectors and services as the casework and person pages:

- reading casework is the casework page's rule (`policy.can_read_casework`, then the person
  decision through `read_child`, which writes the one `view` audit row); a missing or
  hidden child, and a restricted one (break-glass is offered only on the page), is 404;
- the chronology is the person page's rule (`access_person`) and its selector, page by page;
- recording is the form pages' rule (`access_child`) and their services, which check the
  policy again, validate in plain English (422) and write the audit row and chronology entry.

Codes are the DfE code sets in `casework/codes.py`, each sent with its label.
"""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from ninja import Field, Query, Router, Schema, Status

from safehub.access.policy import can_read_casework
from safehub.api.common import IDEMPOTENCY, Code, Page, Problem, Text, idempotency_key, responses
from safehub.casework import selectors, services
from safehub.casework.codes import (
    ASSESSMENT_FACTORS,
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
    ReferralSource,
    Section47Outcome,
    StrategyOutcome,
    VisitKind,
)
from safehub.casework.fetchers import access_child, read_child
from safehub.chronology.models import Significance
from safehub.chronology.selectors import PAGE_SIZE, chronology_page_for_person
from safehub.core.exceptions import NotFound
from safehub.core.once import SENT_BEFORE, recorded_once, submit_once, token_key
from safehub.core.users import SignedInRequest
from safehub.people.fetchers import access_person
from safehub.people.models import Person

router = Router(tags=["Casework"])

MAX_PAGE_SIZE = 100
FACTOR_LABELS = {**ASSESSMENT_FACTORS, services.NO_FACTORS: "No factors identified"}


# --- Output schemas ----------------------------------------------------------------------


class EpisodeOut(Schema):
    id: int
    kind: Code[EpisodeKind]
    referral_date: date
    referral_source: Code[ReferralSource] | None = Field(
        ..., description="CIN census referral source; null when not recorded"
    )
    primary_need: Code[PrimaryNeed] | None = Field(..., description="null until recorded")
    closure_date: date | None
    closure_reason: Code[ClosureReason] | Code[EarlyHelpClosure] | None = Field(
        ..., description="CIN census RC codes for a child-in-need episode; early help's own"
    )
    open: bool
    opened_by: str


class AssessmentOut(Schema):
    id: int
    episode_id: int
    start_date: date
    due_date: date = Field(..., description="45 working days from the referral")
    child_seen_date: date | None
    child_seen_alone: bool
    factors: list[Code[str]] = Field(..., description="CIN census assessment factors")
    completed_date: date | None
    completed_by: str | None
    authorised_date: date | None
    authorised_by: str | None
    summary: str


class StrategyDiscussionOut(Schema):
    id: int
    episode_id: int
    held_on: date
    participants: str
    outcome: Code[StrategyOutcome]
    notes: str
    recorded_by: str


class EnquiryOut(Schema):
    id: int
    episode_id: int
    strategy_discussion_id: int
    start_date: date
    icpc_target: date = Field(
        ..., description="Initial conference due: 15 working days from the strategy discussion"
    )
    end_date: date | None
    outcome: Code[Section47Outcome] | None


class ConferenceOut(Schema):
    id: int
    episode_id: int
    kind: Code[ConferenceKind]
    section47_id: int | None
    cp_plan_id: int | None
    held_on: date
    outcome: Code[ConferenceOutcome]
    category: Code[CategoryOfAbuse] | None
    chair: str | None
    recorded_by: str


class MeetingOut(Schema):
    held_on: date
    recorded_by: str


class CoreGroupOut(MeetingOut):
    notes: str


class CPPlanOut(Schema):
    id: int
    episode_id: int
    start_date: date
    end_date: date | None
    initial_category: Code[CategoryOfAbuse]
    latest_category: Code[CategoryOfAbuse]
    previous_plans: int
    core_groups: list[CoreGroupOut]


class CINPlanOut(Schema):
    id: int
    episode_id: int
    start_date: date
    end_date: date | None
    review_notes: str
    reviews: list[MeetingOut]


class PlacementOut(Schema):
    """One SSDA903 episode: a stretch with one legal status and one placement. The
    placement's address is not sent, as the casework page does not show it."""

    id: int
    start_date: date
    end_date: date | None
    reason_new_episode: Code[ReasonNewEpisode]
    legal_status: Code[LegalStatus]
    placement_type: Code[PlacementType]
    provider: Code[PlacementProvider]
    carer_name: str
    reason_ceased: Code[ReasonCeased] | None
    reason_place_change: Code[PlacementChangeReason] | None


class CarePeriodOut(Schema):
    id: int
    episode_id: int
    start_date: date
    end_date: date | None
    reason_ceased: Code[ReasonCeased] | None
    care_plan_date: date | None
    placements: list[PlacementOut] = Field(..., description="903 episodes, newest first")
    reviews: list[MeetingOut]


class VisitOut(Schema):
    id: int
    episode_id: int
    kind: Code[VisitKind]
    visited_on: date
    child_seen: bool
    child_seen_alone: bool
    bedroom_seen: bool
    note: str
    recorded_by: str
    recorded_at: datetime


class MissingOut(Schema):
    id: int
    kind: Code[MissingKind]
    start_date: date
    end_date: date | None = Field(..., description="null while the child is still missing")
    return_interview_offered: bool | None = Field(..., description="null: not recorded")
    return_interview_accepted: bool | None = Field(..., description="null: not recorded")
    recorded_by: str


class AllocationOut(Schema):
    id: int
    worker: str
    team: str
    start_date: date
    end_date: date | None
    reason: Code[AllocationReason]
    allocated_by: str


class CaseNoteOut(Schema):
    id: int
    occurred_at: datetime
    text: str
    significant: bool
    author: str


class ChronologyEntryOut(Schema):
    """One entry as the person page's timeline shows it: what happened and when, who did it
    and for which agency, who recorded it and when. It names no other person."""

    id: int
    occurred_at: datetime
    time_known: bool = Field(..., description="False: known only by its date")
    event_type: Code[str]
    significance: Code[int]
    summary: str
    source_agency: str | None
    done_by: str | None
    recorded_by: str | None = Field(..., description="null: nobody signed in entered it")
    recorded_at: datetime


# --- Input schemas -----------------------------------------------------------------------


class VisitIn(Schema):
    visited_on: date = Field(..., description="Today or earlier")
    child_seen: bool
    seen_alone: bool = False
    bedroom_seen: bool = False
    note: Text = Field("", max_length=5000)


class CaseNoteIn(Schema):
    text: Text = Field(..., min_length=1, max_length=5000)
    significant: bool = Field(False, description="A significant note goes on the chronology")


class MissingIn(Schema):
    kind: MissingKind = Field(..., description="M: missing; A: away without authorisation")
    start_date: date = Field(..., description="Today or earlier")
    end_date: date | None = Field(None, description="When they came back, if they have")
    return_interview_offered: bool | None = None
    return_interview_accepted: bool | None = None


class Paging(Schema):
    page: int = Field(1, ge=1, le=2**31, description="From 1; past the end, the last page")
    size: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items a page")


# --- Presenting records ------------------------------------------------------------------


def _code(choices: type[TextChoices], value: str) -> dict[str, str] | None:
    """A stored code with its label; None where nothing is recorded."""
    if value not in choices.values:
        return None
    return {"code": value, "label": choices(value).label}


def _staff(user: Any) -> str | None:
    return str(user) if user is not None else None


def _meeting(row: Any) -> dict[str, Any]:
    return {"held_on": row.held_on, "recorded_by": str(row.recorded_by)}


def _episode(e: Any) -> dict[str, Any]:
    closures = ClosureReason if e.kind == EpisodeKind.CIN else EarlyHelpClosure
    return {
        "id": e.pk,
        "kind": _code(EpisodeKind, e.kind),
        "referral_date": e.referral_date,
        "referral_source": _code(ReferralSource, e.referral_source),
        "primary_need": _code(PrimaryNeed, e.primary_need),
        "closure_date": e.closure_date,
        "closure_reason": _code(closures, e.closure_reason),
        "open": e.is_open,
        "opened_by": str(e.opened_by),
    }


def _assessment(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "episode_id": a.episode_id,
        "start_date": a.start_date,
        "due_date": a.due_date,
        "child_seen_date": a.child_seen_date,
        "child_seen_alone": a.child_seen_alone,
        "factors": [{"code": f, "label": FACTOR_LABELS.get(f, f)} for f in a.factors or []],
        "completed_date": a.completed_date,
        "completed_by": _staff(a.completed_by),
        "authorised_date": a.authorised_date,
        "authorised_by": _staff(a.authorised_by),
        "summary": a.summary,
    }


def _strategy(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "episode_id": s.episode_id,
        "held_on": s.held_on,
        "participants": s.participants,
        "outcome": _code(StrategyOutcome, s.outcome),
        "notes": s.notes,
        "recorded_by": str(s.recorded_by),
    }


def _enquiry(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "episode_id": s.episode_id,
        "strategy_discussion_id": s.strategy_id,
        "start_date": s.start_date,
        "icpc_target": s.icpc_target,
        "end_date": s.end_date,
        "outcome": _code(Section47Outcome, s.outcome),
    }


def _conference(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "episode_id": c.episode_id,
        "kind": _code(ConferenceKind, c.kind),
        "section47_id": c.section47_id,
        "cp_plan_id": c.plan_id,
        "held_on": c.held_on,
        "outcome": _code(ConferenceOutcome, c.outcome),
        "category": _code(CategoryOfAbuse, c.category),
        "chair": _staff(c.chair),
        "recorded_by": str(c.recorded_by),
    }


def _cp_plan(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "episode_id": p.episode_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "initial_category": _code(CategoryOfAbuse, p.initial_category),
        "latest_category": _code(CategoryOfAbuse, p.latest_category),
        "previous_plans": p.previous_plans,
        "core_groups": [{**_meeting(g), "notes": g.notes} for g in p.core_group_list],
    }


def _cin_plan(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "episode_id": p.episode_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "review_notes": p.review_notes,
        "reviews": [_meeting(r) for r in p.review_list],
    }


def _placement(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "start_date": e.start_date,
        "end_date": e.end_date,
        "reason_new_episode": _code(ReasonNewEpisode, e.reason_new_episode),
        "legal_status": _code(LegalStatus, e.legal_status),
        "placement_type": _code(PlacementType, e.placement_type),
        "provider": _code(PlacementProvider, e.provider),
        "carer_name": e.carer_name,
        "reason_ceased": _code(ReasonCeased, e.reason_ceased),
        "reason_place_change": _code(PlacementChangeReason, e.reason_place_change),
    }


def _care_period(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "episode_id": p.episode_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "reason_ceased": _code(ReasonCeased, p.reason_ceased),
        "care_plan_date": p.care_plan_date,
        "placements": [_placement(e) for e in p.placement_list],
        "reviews": [_meeting(r) for r in p.review_list],
    }


def _visit(v: Any) -> dict[str, Any]:
    return {
        "id": v.pk,
        "episode_id": v.episode_id,
        "kind": _code(VisitKind, v.kind),
        "visited_on": v.visited_on,
        "child_seen": v.child_seen,
        "child_seen_alone": v.child_seen_alone,
        "bedroom_seen": v.bedroom_seen,
        "note": v.note,
        "recorded_by": str(v.recorded_by),
        "recorded_at": v.created_at,
    }


def _missing(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": _code(MissingKind, m.kind),
        "start_date": m.start_date,
        "end_date": m.end_date,
        "return_interview_offered": m.return_interview_offered,
        "return_interview_accepted": m.return_interview_accepted,
        "recorded_by": str(m.recorded_by),
    }


def _allocation(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "worker": str(a.worker),
        "team": a.team.label,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "reason": _code(AllocationReason, a.reason),
        "allocated_by": str(a.allocated_by),
    }


def _note(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "occurred_at": n.occurred_at,
        "text": n.text,
        "significant": n.significant,
        "author": str(n.author),
    }


def _chronology_entry(e: Any) -> dict[str, Any]:
    return {
        "id": e.id,
        "occurred_at": e.occurred_at,
        "time_known": e.time_known,
        "event_type": {"code": e.event_type, "label": e.type_label},
        "significance": {"code": e.significance, "label": Significance(e.significance).label},
        "summary": e.summary,
        "source_agency": e.source_agency_name,
        "done_by": e.doer,
        "recorded_by": e.recorder_name,
        "recorded_at": e.recorded_at,
    }


# --- Reading a child's casework ----------------------------------------------------------


def _child(request: SignedInRequest, child_id: int) -> Person:
    """The child, as the casework page finds them: casework is for the council's
    case-holding roles and conference chairs (anyone else is told "not found" before any
    record is looked up), then the person decision, which audits the one view."""
    if not can_read_casework(request.user):
        raise NotFound()
    return read_child(actor=request.user, person_id=child_id)


READ = responses(s404=Problem)


@router.get(
    "/children/{child_id}/episodes",
    response={**READ, 200: list[EpisodeOut]},
    summary="A child's episodes of need and early help, newest first",
)
def child_episodes_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_episode(e) for e in selectors.episodes_for_child(child)]


@router.get(
    "/children/{child_id}/assessments",
    response={**READ, 200: list[AssessmentOut]},
    summary="A child's child and family assessments, newest first",
)
def child_assessments_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_assessment(a) for a in selectors.assessments_for_child(child)]


@router.get(
    "/children/{child_id}/strategy-discussions",
    response={**READ, 200: list[StrategyDiscussionOut]},
    summary="A child's strategy discussions, newest first",
)
def child_strategy_discussions_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_strategy(s) for s in selectors.strategies_for_child(child)]


@router.get(
    "/children/{child_id}/section-47-enquiries",
    response={**READ, 200: list[EnquiryOut]},
    summary="A child's section 47 enquiries, newest first",
)
def child_enquiries_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_enquiry(s) for s in selectors.enquiries_for_child(child)]


@router.get(
    "/children/{child_id}/conferences",
    response={**READ, 200: list[ConferenceOut]},
    summary="A child's child protection conferences (initial and review), newest first",
)
def child_conferences_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_conference(c) for c in selectors.conferences_for_child(child)]


@router.get(
    "/children/{child_id}/cp-plans",
    response={**READ, 200: list[CPPlanOut]},
    summary="A child's child protection plans with their core groups, newest first",
)
def child_cp_plans_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_cp_plan(p) for p in selectors.cp_plans_for_child(child)]


@router.get(
    "/children/{child_id}/cin-plans",
    response={**READ, 200: list[CINPlanOut]},
    summary="A child's child-in-need plans with their reviews, newest first",
)
def child_cin_plans_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_cin_plan(p) for p in selectors.cin_plans_for_child(child)]


@router.get(
    "/children/{child_id}/care-periods",
    response={**READ, 200: list[CarePeriodOut]},
    summary="A child's periods of care with their 903 episodes (placements), newest first",
)
def child_care_periods_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_care_period(p) for p in selectors.care_periods_for_child(child)]


@router.get(
    "/children/{child_id}/allocations",
    response={**READ, 200: list[AllocationOut]},
    summary="Who has held a child's case, newest first",
)
def child_allocations_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [_allocation(a) for a in selectors.allocations_for_child(child)]


@router.get(
    "/children/{child_id}/visits",
    response={**READ, 200: Page[VisitOut]},
    summary="A child's statutory visits, newest first, a page at a time",
)
def child_visits_api(request: SignedInRequest, child_id: int, paging: Query[Paging]) -> Any:
    child = _child(request, child_id)
    found = selectors.visits_page_for_child(child=child, page=paging.page, size=paging.size)
    return {
        "items": [_visit(v) for v in found.rows],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
    }


@router.get(
    "/children/{child_id}/missing-episodes",
    response={**READ, 200: Page[MissingOut]},
    summary="A child's missing episodes (missing, or away without authorisation), newest "
    "first, a page at a time",
)
def child_missing_api(request: SignedInRequest, child_id: int, paging: Query[Paging]) -> Any:
    child = _child(request, child_id)
    found = selectors.missing_page_for_child(child=child, page=paging.page, size=paging.size)
    return {
        "items": [_missing(m) for m in found.rows],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
    }


# --- The chronology ----------------------------------------------------------------------


@router.get(
    "/persons/{person_id}/chronology",
    response={**READ, 200: Page[ChronologyEntryOut]},
    summary="A person's chronology, newest first, a page at a time",
    description="The same entries, in the same order, as the person page's timeline, for "
    "whoever may open the person's record (partner agencies too).",
)
def person_chronology_api(request: SignedInRequest, person_id: int, paging: Query[Paging]) -> Any:
    person = access_person(actor=request.user, person_id=person_id)
    found = chronology_page_for_person(person=person, page=paging.page, size=paging.size)
    return {
        "items": [_chronology_entry(e) for e in found.entries],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
    }


# --- Recording ---------------------------------------------------------------------------

WRITE = responses(s404=Problem)


def _once(
    request: SignedInRequest,
    payload: Schema,
    record: Callable[[], Any],
    first: Callable[[str | None], Any],
) -> tuple[Any, bool]:
    """Record once per Idempotency-Key, as the form pages record once per form token
    (`core.once.submit_once`): (what was recorded, True), or for a repeat (what the first
    request recorded, False)."""
    key = idempotency_key(request)
    once = token_key("api", request.user, key) if key else None
    try:
        result, created = submit_once(
            key=once, answers=[request.path, payload.dict()], record=record
        )
    except ValidationError as error:
        if once and any(m.startswith(SENT_BEFORE) for m in error.messages):
            raise ValidationError(
                {"Idempotency-Key": ["This key was already used with different content"]}
            ) from None
        raise
    if created:
        return result, True
    found = first(recorded_once(once)) if once else None
    if found is None:
        raise NotFound()
    return found, False


@router.post(
    "/children/{child_id}/visits",
    response={**WRITE, 200: VisitOut, 201: VisitOut},
    summary="Record a statutory visit",
    description="The kind of visit (child protection, child in care, child in need) follows "
    "the child's open plan, as on the visit page; the next visit falls due by the council's "
    "standard. 422 when the child has no open episode or the answers do not fit together. "
    + IDEMPOTENCY,
)
def child_visit_record_api(request: SignedInRequest, child_id: int, payload: VisitIn) -> Any:
    # The visit is audited as the change by the service; the fetch alone shows nothing.
    child = access_child(actor=request.user, person_id=child_id, shown=False)
    visit, created = _once(
        request,
        payload,
        lambda: services.visit_record(
            actor=request.user,
            child=child,
            visited_on=payload.visited_on,
            child_seen=payload.child_seen,
            seen_alone=payload.seen_alone,
            bedroom_seen=payload.bedroom_seen,
            note=payload.note,
        ),
        lambda visit_id: selectors.visit_for(child, visit_id),
    )
    return Status(201 if created else 200, _visit(visit))


@router.post(
    "/children/{child_id}/case-notes",
    response={**WRITE, 200: CaseNoteOut, 201: CaseNoteOut},
    summary="Add a case note",
    description="A significant note also goes on the child's chronology. " + IDEMPOTENCY,
)
def child_note_record_api(request: SignedInRequest, child_id: int, payload: CaseNoteIn) -> Any:
    child = access_child(actor=request.user, person_id=child_id, shown=False)
    note, created = _once(
        request,
        payload,
        lambda: services.note_record(
            actor=request.user, child=child, text=payload.text, significant=payload.significant
        ),
        lambda note_id: selectors.note_for(child, note_id),
    )
    return Status(201 if created else 200, _note(note))


@router.post(
    "/children/{child_id}/missing-episodes",
    response={**WRITE, 200: MissingOut, 201: MissingOut},
    summary="Record a missing episode",
    description="422 when it overlaps a missing episode already recorded (903 rule 574) or "
    "its dates do not fit. " + IDEMPOTENCY,
)
def child_missing_record_api(request: SignedInRequest, child_id: int, payload: MissingIn) -> Any:
    child = access_child(actor=request.user, person_id=child_id, shown=False)
    missing, created = _once(
        request,
        payload,
        lambda: services.missing_record(
            actor=request.user,
            child=child,
            kind=payload.kind,
            start_date=payload.start_date,
            end_date=payload.end_date,
            interview_offered=payload.return_interview_offered,
            interview_accepted=payload.return_interview_accepted,
        ),
        lambda missing_id: selectors.missing_for(child, missing_id),
    )
    return Status(201 if created else 200, _missing(missing))
