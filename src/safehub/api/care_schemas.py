"""The API's shapes for children in care and care leavers (ADR 0035): health and education
(ADR 0028), looked-after reviews with participation and recommendations, UASC status, the
care leaver's record (ADR 0030), and care planning (plans, the IRO, delegated decisions),
and how each record is presented in them. What the casework page shows, no more; codes with
their labels. Display only; no queries."""

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from safehub.api.casework_schemas import code, staff
from safehub.api.common import Code
from safehub.careplanning.models import PlanKind
from safehub.casework.codes import HealthCheckKind, OffenceOutcome, Participation, SDQReason
from safehub.leaving_care.codes import Accommodation, Activity, Category, InTouch


class HealthCheckOut(Schema):
    id: int
    period_id: int
    kind: Code[HealthCheckKind]
    held_on: date
    up_to_date: bool | None = Field(..., description="Immunisations only; else null")
    note: str
    recorded_by: str


class SDQOut(Schema):
    id: int
    period_id: int
    completed_on: date
    score: int | None = Field(..., description="0-40; null when there is a reason instead")
    reason: Code[SDQReason] | None
    recorded_by: str


class SubstanceMisuseOut(Schema):
    id: int
    period_id: int
    identified_on: date
    intervention_offered: bool
    intervention_received: bool
    note: str
    recorded_by: str


class OffenceOut(Schema):
    id: int
    period_id: int
    outcome: Code[OffenceOutcome]
    outcome_on: date
    recorded_by: str


class EducationPlanOut(Schema):
    id: int
    period_id: int
    held_on: date
    virtual_school_involved: bool
    note: str
    recorded_by: str


class UASCOut(Schema):
    started_on: date
    ceased_on: date | None
    version: int


class RecommendationOut(Schema):
    id: int
    text: str
    due_date: date
    done_on: date | None = Field(..., description="null until recorded as done")


class CareReviewOut(Schema):
    id: int
    period_id: int
    held_on: date
    participation: Code[Participation] | None = Field(..., description="903 REVIEW_CODE")
    recorded_by: str
    recommendations: list[RecommendationOut]


class PathwayPlanOut(Schema):
    plan_date: date
    content: str
    review_due: date


class StayingPutOut(Schema):
    carer_name: str
    start_date: date
    end_date: date | None


class BirthdayOut(Schema):
    age: int
    birthday: date
    contact_date: date
    in_touch: Code[InTouch]
    accommodation: Code[Accommodation] | None
    suitable: bool | None
    activity: Code[Activity] | None


class CareLeaverOut(Schema):
    """The category is worked out from the care history on the day asked, never stored."""

    category: Code[Category] | None = Field(..., description="null: not a care leaver today")
    personal_adviser: str | None
    adviser_since: date | None
    support_to_25: bool
    pathway_plans: list[PathwayPlanOut] = Field(..., description="The latest few, newest first")
    staying_put: StayingPutOut | None
    birthdays: list[BirthdayOut]


class PlanVersionOut(Schema):
    version: int
    written_on: date
    content: str
    saved_by: str
    saved_at: datetime


class PlanOut(Schema):
    id: int
    period_id: int
    kind: Code[PlanKind]
    placement_id: int | None = Field(..., description="Placement plans: the 903 episode")
    version: int
    written_on: date
    content: str
    versions: list[PlanVersionOut] = Field(..., description="Every version, newest first")


class ReviewingOfficerOut(Schema):
    id: int
    period_id: int
    iro: str
    start_date: date
    end_date: date | None


class IroContactOut(Schema):
    id: int
    period_id: int
    iro: str
    contact_on: date
    seen_alone: bool
    note: str


class DelegatedDecisionOut(Schema):
    id: int
    period_id: int
    placement_id: int
    decision: str
    delegated_to: str
    agreed_on: date
    withdrawn_on: date | None


def _recorded(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "period_id": r.period_id, "recorded_by": str(r.recorded_by)}


def health_check(h: Any) -> dict[str, Any]:
    return {
        **_recorded(h),
        "kind": code(HealthCheckKind, h.kind),
        "held_on": h.held_on,
        "up_to_date": h.up_to_date,
        "note": h.note,
    }


def sdq(s: Any) -> dict[str, Any]:
    return {
        **_recorded(s),
        "completed_on": s.completed_on,
        "score": s.score,
        "reason": code(SDQReason, s.reason),
    }


def substance_misuse(s: Any) -> dict[str, Any]:
    return {
        **_recorded(s),
        "identified_on": s.identified_on,
        "intervention_offered": s.intervention_offered,
        "intervention_received": s.intervention_received,
        "note": s.note,
    }


def offence(o: Any) -> dict[str, Any]:
    return {**_recorded(o), "outcome": code(OffenceOutcome, o.outcome), "outcome_on": o.outcome_on}


def education_plan(p: Any) -> dict[str, Any]:
    return {
        **_recorded(p),
        "held_on": p.held_on,
        "virtual_school_involved": p.virtual_school_involved,
        "note": p.note,
    }


def uasc(u: Any) -> dict[str, Any]:
    return {"started_on": u.started_on, "ceased_on": u.ceased_on, "version": u.version}


def care_review(r: Any) -> dict[str, Any]:
    return {
        **_recorded(r),
        "held_on": r.held_on,
        "participation": code(Participation, r.participation),
        "recommendations": [
            {"id": x.pk, "text": x.text, "due_date": x.due_date, "done_on": x.done_on}
            for x in r.recommendation_list
        ],
    }


def care_leaver(section: Any) -> dict[str, Any]:
    leaver, sp = section.leaver, section.staying_put
    return {
        "category": code(Category, section.category) if section.category else None,
        "personal_adviser": staff(leaver.personal_adviser) if leaver else None,
        "adviser_since": leaver.adviser_since if leaver else None,
        "support_to_25": bool(leaver and leaver.support_to_25),
        "pathway_plans": [
            {"plan_date": p.plan_date, "content": p.content, "review_due": p.review_due}
            for p in section.plans
        ],
        "staying_put": {
            "carer_name": sp.carer_name,
            "start_date": sp.start_date,
            "end_date": sp.end_date,
        }
        if sp
        else None,
        "birthdays": [
            {
                "age": b.age,
                "birthday": b.birthday,
                "contact_date": b.contact_date,
                "in_touch": code(InTouch, b.in_touch),
                "accommodation": code(Accommodation, b.accommodation),
                "suitable": b.suitable,
                "activity": code(Activity, b.activity),
            }
            for b in section.birthdays
        ],
    }


def plan(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "period_id": p.period_id,
        "kind": code(PlanKind, p.kind),
        "placement_id": p.placement_id,
        "version": p.version,
        "written_on": p.written_on,
        "content": p.content,
        "versions": [
            {
                "version": v.version,
                "written_on": v.written_on,
                "content": v.content,
                "saved_by": str(v.saved_by),
                "saved_at": v.created_at,
            }
            for v in p.version_list
        ],
    }


def reviewing_officer(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "period_id": r.period_id,
        "iro": str(r.iro),
        "start_date": r.start_date,
        "end_date": r.end_date,
    }


def iro_contact(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "period_id": c.period_id,
        "iro": str(c.iro),
        "contact_on": c.contact_on,
        "seen_alone": c.seen_alone,
        "note": c.note,
    }


def delegated_decision(d: Any) -> dict[str, Any]:
    return {
        "id": d.pk,
        "period_id": d.period_id,
        "placement_id": d.placement_id,
        "decision": d.decision,
        "delegated_to": d.delegated_to,
        "agreed_on": d.agreed_on,
        "withdrawn_on": d.withdrawn_on,
    }
