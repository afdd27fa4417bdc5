"""/api/v1/children/{child_id}/…: a child's casework for partner systems, and the person
chronology. The same fetchers, selectors and services as the casework and person pages:

- reading casework is the casework page's rule (`policy.can_read_casework`, then the person
  decision through `read_child`, which writes the one `view` audit row); a missing or
  hidden child, and a restricted one (break-glass is offered only on the page), is 404;
- the chronology is the person page's rule (`access_person`) and its selector, page by page;
- recording is the form pages' rule (`access_child`) and their services, which check the
  policy again, validate in plain English (422) and write the audit row and chronology entry.

Schemas, and how each record is presented in them, are in `casework_schemas.py`.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Query, Router, Schema, Status

from safehub.access.policy import can_read_casework
from safehub.api import care_schemas as care
from safehub.api import casework_schemas as out
from safehub.api.casework_schemas import (
    AllocationOut,
    AssessmentOut,
    CarePeriodOut,
    CaseNoteIn,
    CaseNoteOut,
    CINPlanOut,
    ConferenceOut,
    CPPlanOut,
    EnquiryOut,
    EpisodeOut,
    MissingIn,
    MissingOut,
    Paging,
    StrategyDiscussionOut,
    VisitIn,
    VisitOut,
)
from safehub.api.common import IDEMPOTENCY, Page, Problem, idempotency_key, responses
from safehub.careplanning import selectors as careplanning
from safehub.casework import selectors, services
from safehub.casework.fetchers import access_child, read_child
from safehub.chronology.selectors import chronology_page_for_person
from safehub.core.exceptions import NotFound
from safehub.core.once import SENT_BEFORE, recorded_once, submit_once, token_key
from safehub.core.users import SignedInRequest
from safehub.leaving_care.selectors import care_leaver_section
from safehub.people.fetchers import access_person
from safehub.people.models import Person

router = Router(tags=["Casework"])


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
    return [out.episode(e) for e in selectors.episodes_for_child(child)]


@router.get(
    "/children/{child_id}/assessments",
    response={**READ, 200: list[AssessmentOut]},
    summary="A child's child and family assessments, newest first",
)
def child_assessments_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.assessment(a) for a in selectors.assessments_for_child(child)]


@router.get(
    "/children/{child_id}/strategy-discussions",
    response={**READ, 200: list[StrategyDiscussionOut]},
    summary="A child's strategy discussions, newest first",
)
def child_strategy_discussions_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.strategy(s) for s in selectors.strategies_for_child(child)]


@router.get(
    "/children/{child_id}/section-47-enquiries",
    response={**READ, 200: list[EnquiryOut]},
    summary="A child's section 47 enquiries, newest first",
)
def child_enquiries_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.enquiry(s) for s in selectors.enquiries_for_child(child)]


@router.get(
    "/children/{child_id}/conferences",
    response={**READ, 200: list[ConferenceOut]},
    summary="A child's child protection conferences (initial and review), newest first",
)
def child_conferences_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.conference(c) for c in selectors.conferences_for_child(child)]


@router.get(
    "/children/{child_id}/cp-plans",
    response={**READ, 200: list[CPPlanOut]},
    summary="A child's child protection plans with their core groups, newest first",
)
def child_cp_plans_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.cp_plan(p) for p in selectors.cp_plans_for_child(child)]


@router.get(
    "/children/{child_id}/cin-plans",
    response={**READ, 200: list[CINPlanOut]},
    summary="A child's child-in-need plans with their reviews, newest first",
)
def child_cin_plans_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.cin_plan(p) for p in selectors.cin_plans_for_child(child)]


@router.get(
    "/children/{child_id}/care-periods",
    response={**READ, 200: list[CarePeriodOut]},
    summary="A child's periods of care with their 903 episodes (placements), newest first",
)
def child_care_periods_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.care_period(p) for p in selectors.care_periods_for_child(child)]


@router.get(
    "/children/{child_id}/allocations",
    response={**READ, 200: list[AllocationOut]},
    summary="Who has held a child's case, newest first",
)
def child_allocations_api(request: SignedInRequest, child_id: int) -> Any:
    child = _child(request, child_id)
    return [out.allocation(a) for a in selectors.allocations_for_child(child)]


# Children in care and care leavers (ADR 0028, 0030, 0035): one kind of record each.


def _records(path: str, schema: Any, summary: str, read: Callable[[Person], list[Any]]) -> None:
    """Declare `GET /children/{child_id}/<path>`: the casework page's rule, then one
    selector and its presenter. The endpoints below differ only in these four things."""

    def endpoint(request: SignedInRequest, child_id: int) -> Any:
        return read(_child(request, child_id))

    endpoint.__name__ = f"child_{path.replace('-', '_')}_api"
    router.get(
        f"/children/{{child_id}}/{path}",
        response={**READ, 200: list[schema]},
        summary=summary,
        operation_id=endpoint.__name__,
        url_name=endpoint.__name__,
    )(endpoint)


def _each(select: Callable[[Person], list[Any]], present: Callable[[Any], Any]) -> Any:
    return lambda child: [present(r) for r in select(child)]


_records(
    "health-checks",
    care.HealthCheckOut,
    "A child in care's health assessments and checks (dental, developmental, "
    "immunisations), newest first",
    _each(selectors.health_checks_for_child, care.health_check),
)
_records(
    "sdq-scores",
    care.SDQOut,
    "A child in care's strengths and difficulties questionnaires, newest first",
    _each(selectors.sdqs_for_child, care.sdq),
)
_records(
    "substance-misuse",
    care.SubstanceMisuseOut,
    "A child in care's substance misuse problems and interventions, newest first",
    _each(selectors.substance_misuse_for_child, care.substance_misuse),
)
_records(
    "offences",
    care.OffenceOut,
    "Convictions, final warnings and reprimands while looked after, newest first",
    _each(selectors.offences_for_child, care.offence),
)
_records(
    "education-plans",
    care.EducationPlanOut,
    "A child in care's personal education plan meetings, newest first",
    _each(selectors.education_plans_for_child, care.education_plan),
)
_records(
    "uasc-status",
    care.UASCOut,
    "The child's status as an unaccompanied asylum-seeking child: none or one",
    lambda child: [care.uasc(u) for u in [selectors.uasc_status_for(child)] if u],
)
_records(
    "care-reviews",
    care.CareReviewOut,
    "Looked-after reviews with the child's participation and the IRO's recommendations, "
    "newest first",
    _each(selectors.care_reviews_for_child, care.care_review),
)
_records(
    "care-leaver",
    care.CareLeaverOut,
    "The young person's leaving-care record (category worked out today), if they have "
    "one: none or one",
    lambda child: [
        care.care_leaver(s)
        for s in [care_leaver_section(child=child, today=timezone.localdate())]
        if s.shown
    ],
)
_records(
    "care-plans",
    care.PlanOut,
    "Care, placement and permanence plans with every version, newest period first",
    _each(careplanning.plans_for_child, care.plan),
)
_records(
    "reviewing-officers",
    care.ReviewingOfficerOut,
    "The child's independent reviewing officers, the current first",
    _each(careplanning.reviewing_officers_for_child, care.reviewing_officer),
)
_records(
    "iro-contacts",
    care.IroContactOut,
    "The independent reviewing officer's contacts with the child, newest first",
    _each(careplanning.iro_contacts_for_child, care.iro_contact),
)
_records(
    "delegated-decisions",
    care.DelegatedDecisionOut,
    "Decisions delegated to the child's carers, placement by placement, newest first",
    _each(careplanning.delegated_decisions_for_child, care.delegated_decision),
)


@router.get(
    "/children/{child_id}/visits",
    response={**READ, 200: Page[VisitOut]},
    summary="A child's statutory visits, newest first, a page at a time",
)
def child_visits_api(request: SignedInRequest, child_id: int, paging: Query[Paging]) -> Any:
    child = _child(request, child_id)
    found = selectors.visits_page_for_child(child=child, page=paging.page, size=paging.size)
    return {
        "items": [out.visit(v) for v in found.rows],
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
        "items": [out.missing(m) for m in found.rows],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
    }


# --- The chronology ----------------------------------------------------------------------


@router.get(
    "/persons/{person_id}/chronology",
    response={**READ, 200: out.ChronologyPageOut},
    summary="A person's chronology, newest first, a page at a time",
    description="The same entries, in the same order, as the person page's timeline, for "
    "whoever may open the person's record (partner agencies too).",
)
def person_chronology_api(request: SignedInRequest, person_id: int, paging: Query[Paging]) -> Any:
    person = access_person(actor=request.user, person_id=person_id)
    found = chronology_page_for_person(
        actor=request.user, person=person, page=paging.page, size=paging.size
    )
    return {
        "items": [out.chronology_entry(e) for e in found.entries],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
        "hidden": found.hidden,
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
    return Status(201 if created else 200, out.visit(visit))


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
    return Status(201 if created else 200, out.note(note))


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
    return Status(201 if created else 200, out.missing(missing))
