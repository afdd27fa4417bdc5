"""The casework API's schemas, and how each casework record is presented in them: what
the casework and person pages show, no more; codes from `casework/codes.py` with their
labels. Display only; no queries."""

from datetime import date, datetime
from typing import Any

from django.db.models import TextChoices
from ninja import Field, Schema

from safehub.api.common import Code, Page, Text
from safehub.casework import services
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
from safehub.chronology.models import Significance
from safehub.chronology.selectors import PAGE_SIZE

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


class ChronologyPageOut(Page[ChronologyEntryOut]):
    """A page of the chronology as the reader may read it."""

    hidden: int = Field(
        ...,
        description="Restricted partner entries on this chronology that the caller may not "
        "read: left out of `items` and `total`, and only counted",
    )


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


def code(choices: type[TextChoices], value: str) -> dict[str, str] | None:
    """A stored code with its label; None where nothing is recorded."""
    if value not in choices.values:
        return None
    return {"code": value, "label": choices(value).label}


def staff(user: Any) -> str | None:
    return str(user) if user is not None else None


def meeting(row: Any) -> dict[str, Any]:
    return {"held_on": row.held_on, "recorded_by": str(row.recorded_by)}


def episode(e: Any) -> dict[str, Any]:
    closures = ClosureReason if e.kind == EpisodeKind.CIN else EarlyHelpClosure
    return {
        "id": e.pk,
        "kind": code(EpisodeKind, e.kind),
        "referral_date": e.referral_date,
        "referral_source": code(ReferralSource, e.referral_source),
        "primary_need": code(PrimaryNeed, e.primary_need),
        "closure_date": e.closure_date,
        "closure_reason": code(closures, e.closure_reason),
        "open": e.is_open,
        "opened_by": str(e.opened_by),
    }


def assessment(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "episode_id": a.episode_id,
        "start_date": a.start_date,
        "due_date": a.due_date,
        "child_seen_date": a.child_seen_date,
        "child_seen_alone": a.child_seen_alone,
        "factors": [{"code": f, "label": FACTOR_LABELS.get(f, f)} for f in a.factors or []],
        "completed_date": a.completed_date,
        "completed_by": staff(a.completed_by),
        "authorised_date": a.authorised_date,
        "authorised_by": staff(a.authorised_by),
        "summary": a.summary,
    }


def strategy(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "episode_id": s.episode_id,
        "held_on": s.held_on,
        "participants": s.participants,
        "outcome": code(StrategyOutcome, s.outcome),
        "notes": s.notes,
        "recorded_by": str(s.recorded_by),
    }


def enquiry(s: Any) -> dict[str, Any]:
    return {
        "id": s.pk,
        "episode_id": s.episode_id,
        "strategy_discussion_id": s.strategy_id,
        "start_date": s.start_date,
        "icpc_target": s.icpc_target,
        "end_date": s.end_date,
        "outcome": code(Section47Outcome, s.outcome),
    }


def conference(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "episode_id": c.episode_id,
        "kind": code(ConferenceKind, c.kind),
        "section47_id": c.section47_id,
        "cp_plan_id": c.plan_id,
        "held_on": c.held_on,
        "outcome": code(ConferenceOutcome, c.outcome),
        "category": code(CategoryOfAbuse, c.category),
        "chair": staff(c.chair),
        "recorded_by": str(c.recorded_by),
    }


def cp_plan(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "episode_id": p.episode_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "initial_category": code(CategoryOfAbuse, p.initial_category),
        "latest_category": code(CategoryOfAbuse, p.latest_category),
        "previous_plans": p.previous_plans,
        "core_groups": [{**meeting(g), "notes": g.notes} for g in p.core_group_list],
    }


def cin_plan(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "episode_id": p.episode_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "review_notes": p.review_notes,
        "reviews": [meeting(r) for r in p.review_list],
    }


def placement(e: Any) -> dict[str, Any]:
    return {
        "id": e.pk,
        "start_date": e.start_date,
        "end_date": e.end_date,
        "reason_new_episode": code(ReasonNewEpisode, e.reason_new_episode),
        "legal_status": code(LegalStatus, e.legal_status),
        "placement_type": code(PlacementType, e.placement_type),
        "provider": code(PlacementProvider, e.provider),
        "carer_name": e.carer_name,
        "reason_ceased": code(ReasonCeased, e.reason_ceased),
        "reason_place_change": code(PlacementChangeReason, e.reason_place_change),
    }


def care_period(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "episode_id": p.episode_id,
        "start_date": p.start_date,
        "end_date": p.end_date,
        "reason_ceased": code(ReasonCeased, p.reason_ceased),
        "care_plan_date": p.care_plan_date,
        "placements": [placement(e) for e in p.placement_list],
        "reviews": [meeting(r) for r in p.review_list],
    }


def visit(v: Any) -> dict[str, Any]:
    return {
        "id": v.pk,
        "episode_id": v.episode_id,
        "kind": code(VisitKind, v.kind),
        "visited_on": v.visited_on,
        "child_seen": v.child_seen,
        "child_seen_alone": v.child_seen_alone,
        "bedroom_seen": v.bedroom_seen,
        "note": v.note,
        "recorded_by": str(v.recorded_by),
        "recorded_at": v.created_at,
    }


def missing(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "kind": code(MissingKind, m.kind),
        "start_date": m.start_date,
        "end_date": m.end_date,
        "return_interview_offered": m.return_interview_offered,
        "return_interview_accepted": m.return_interview_accepted,
        "recorded_by": str(m.recorded_by),
    }


def allocation(a: Any) -> dict[str, Any]:
    return {
        "id": a.pk,
        "worker": str(a.worker),
        "team": a.team.label,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "reason": code(AllocationReason, a.reason),
        "allocated_by": str(a.allocated_by),
    }


def note(n: Any) -> dict[str, Any]:
    return {
        "id": n.pk,
        "occurred_at": n.occurred_at,
        "text": n.text,
        "significant": n.significant,
        "author": str(n.author),
    }


def chronology_entry(e: Any) -> dict[str, Any]:
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
