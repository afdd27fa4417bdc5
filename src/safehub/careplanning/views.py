"""The care planning pages: the section on the child's casework page, the IRO's list of
children and reviews, and the forms that allocate an IRO, record their contact, write a
plan and delegate a decision to the carers. Thin: the casework fetcher decides who may
record, the services decide what is valid, the casework form page shows it."""

from datetime import date
from typing import Any

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.access.policy import (
    can_edit_viewable_person,
    can_manage_cases,
    reviews_children_in_care,
)
from safehub.careplanning import forms, selectors, services
from safehub.careplanning.models import PlanKind
from safehub.casework.sections import ChildRead, Section
from safehub.casework.selectors import conference_chairs
from safehub.casework.views import (
    _child,
    _data,
    _form,
    _found,
    _must_manage,
    _render,
    _versioned,
    _when,
    record_page,
)
from safehub.core.users import SignedInRequest
from safehub.organisations.models import User
from safehub.people.models import Person

PLAN_HINTS = {
    PlanKind.CARE: "The child's needs and how they will be met, the plan for permanence, "
    "contact with family, health and education",
    PlanKind.PLACEMENT: "How the placement will meet the child's needs day to day, contact "
    "arrangements, and what the carers have been told",
    PlanKind.PERMANENCE: "The plan for a stable, lasting home, the contingency plan, and "
    "the timescale for each",
}


def child_section(actor: User, child: Person, today: date, read: ChildRead) -> Section | None:
    """The care planning section of the casework page, for a child in care."""
    section = selectors.care_planning_section(child=child, today=today, read=read)
    if section is None:
        return None
    can_record = can_edit_viewable_person(actor)
    return Section(
        template="careplanning/_section.html",
        context={
            "cp": section,
            "can_record": can_record,
            "can_manage": can_record and can_manage_cases(actor),
            "is_iro": section.iro is not None and section.iro.iro_id == actor.pk,
        },
        title="Care planning",
        anchor="care-planning",
    )


def iro_work_view(request: SignedInRequest) -> HttpResponse:
    """The chair's own list: the children in care they review, with the reviews and
    contacts due, and the child protection plans whose conferences they chair."""
    if not reviews_children_in_care(request.user):
        raise Http404
    today = timezone.localdate()
    return _render(
        request,
        "careplanning/iro_work.html",
        {
            "rows": selectors.iro_work(actor=request.user, today=today),
            "chaired": selectors.chaired_plans(actor=request.user, today=today),
            "today": today,
        },
    )


@require_http_methods(["GET", "POST"])
def iro_allocate_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    _must_manage(request)
    child = _child(request, person_id)
    officers = conference_chairs()
    section = selectors.care_planning_section(child=child, today=timezone.localdate())
    current = section.iro if section else None
    return _form(
        request,
        child,
        forms.IroForm(_data(request), officers=officers),
        lambda d: services.iro_allocate(
            actor=request.user,
            child=child,
            iro_id=d["iro"],
        ),
        title="Allocate an independent reviewing officer",
        button="Save",
        done="Independent reviewing officer allocated",
        facts=[("Current IRO", f"{current.iro} (since {_when(current.start_date)})")]
        if current
        else [],
    )


@require_http_methods(["GET", "POST"])
def iro_contact_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id, conference=True)
    form = forms.IroContactForm(_data(request))
    return _form(
        request,
        child,
        form,
        lambda d: services.iro_contact_record(
            actor=request.user,
            child=child,
            contact_on=d["contact_on"],
            seen_alone=form.seen_alone_value(),
            note=d["note"],
        ),
        title="Record your contact with the child",
        button="Save",
        done="Contact with the child recorded",
    )


@require_http_methods(["GET", "POST"])
def plan_view(request: SignedInRequest, person_id: int, kind: str) -> HttpResponse:
    """Write a care, placement or permanence plan, or change it: the form opens at the
    current version and carries its number."""
    child = _child(request, person_id)
    plan = selectors.plan_for(child, kind)
    label = PlanKind(kind).label
    initial = (
        {"written_on": plan.written_on, "content": plan.content, "version": plan.version}
        if plan
        else {}
    )
    form = forms.PlanForm(_data(request), initial=initial)
    form.fields["content"].help_text = PLAN_HINTS[PlanKind(kind)]
    return _form(
        request,
        child,
        form,
        _versioned(
            lambda d: services.plan_save(
                actor=request.user,
                child=child,
                kind=kind,
                written_on=d["written_on"],
                content=d["content"],
                expected_version=d["version"],
            )
        ),
        title=f"{label}: change it" if plan else f"Write the {label.lower()}",
        button="Save the plan",
        done=f"{label} saved",
        facts=[("Current version", f"{plan.version}, dated {_when(plan.written_on)}")]
        if plan
        else [],
    )


delegated_decision_view = record_page(
    forms.DelegatedDecisionForm,
    services.delegated_decision_record,
    title="Delegate a decision to the carers",
    done="Delegated decision recorded",
)


def _delegated(child: Person, record_id: int) -> Any:
    return _found(selectors.delegated_decision_for(child, record_id))


delegated_withdraw_view = record_page(
    forms.WithdrawForm,
    services.delegated_decision_withdraw,
    title="Withdraw a delegated decision",
    done="Delegated decision withdrawn",
    subject=lambda child, record_id: {"child": child, "record": _delegated(child, record_id)},
    facts=lambda child, record_id: [
        ("Decision", _delegated(child, record_id).decision),
        ("Delegated to", _delegated(child, record_id).delegated_to),
    ],
)
