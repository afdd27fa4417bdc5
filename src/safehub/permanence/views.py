"""The court and adoption pages: the section on the child's casework page, one form page
per service (casework's `record_page`, or its form page), and the prospective adopters'
list, record and forms. Thin: the fetchers decide who may see and record, the services
what is valid."""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehub.access.policy import (
    Action,
    Decision,
    can_work_adopters,
    decide_permanence_of_viewable,
)
from safehub.casework.sections import ChildRead, Section
from safehub.casework.views import _data, _form, _render, _when, record_page
from safehub.core.once import submit_once
from safehub.core.users import SignedInRequest
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.permanence import forms, selectors, services
from safehub.permanence.fetchers import access_adopters, access_child_permanence
from safehub.ui.forms_util import add_service_errors


def child_section(actor: User, child: Person, today: date, read: ChildRead) -> Section | None:
    """The court and adoption section, for the roles that may read it (the child has
    already passed the casework page's person decision)."""
    if decide_permanence_of_viewable(actor, Action.VIEW) is not Decision.ALLOW:
        return None
    section = selectors.permanence_section(actor=actor, child=child, today=today, read=read)
    can_record = decide_permanence_of_viewable(actor, Action.EDIT) is Decision.ALLOW
    if not section.shown and not can_record:
        return None
    return Section(
        template="permanence/_section.html",
        context={"pm": section, "can_record": can_record},
        title="Court and adoption",
        anchor="court-and-adoption",
    )


def _child(request: SignedInRequest, person_id: int) -> Person:
    return access_child_permanence(
        actor=request.user, person_id=person_id, action=Action.EDIT, shown=request.method == "GET"
    )


def _page(
    request: SignedInRequest,
    person_id: int,
    form_class: Callable[..., Any],
    save: Callable[[Person, dict[str, Any]], Any],
    *,
    title: str,
    done: str,
    button: str = "Save",
    facts: Callable[[Person], list[tuple[str, str]]] | None = None,
    **form_kwargs: Any,
) -> HttpResponse:
    child = _child(request, person_id)
    return _form(
        request,
        child,
        form_class(_data(request), **form_kwargs),
        lambda d: save(child, d),
        title=title,
        button=button,
        done=done,
        facts=facts(child) if facts else [],
    )


def _proceedings(child: Person) -> Any:
    found = selectors.open_proceedings(child)
    if found is None:
        raise Http404
    return found


def _on_proceedings(child: Person) -> dict[str, Any]:
    return {"proceedings": _proceedings(child)}


def _clock_facts(child: Person) -> list[tuple[str, str]]:
    p = selectors.open_proceedings(child)
    if p is None or p.issued_on is None:
        return []
    return [("Issued", _when(p.issued_on)), ("Timetable ends", _when(p.timetable_ends))]


def _yes(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


# --- Proceedings ---------------------------------------------------------------------------


pre_proceedings_view = record_page(
    forms.PreProceedingsForm,
    services.pre_proceedings_start,
    title="Start pre-proceedings (Public Law Outline)",
    done="Pre-proceedings recorded",
    child_of=_child,
)


@require_http_methods(["GET", "POST"])
def pre_proceedings_letter_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = _child(request, person_id)
    proceedings = _proceedings(child)
    initial = {
        "version": proceedings.version,
        "letter_sent": proceedings.letter_sent,
        "meeting_held": proceedings.meeting_held,
    }
    return _form(
        request,
        child,
        forms.PreProceedingsLetterForm(_data(request), initial=initial),
        lambda d: services.pre_proceedings_update(
            actor=request.user,
            proceedings=proceedings,
            letter_sent=d["letter_sent"],
            meeting_held=d["meeting_held"],
            expected_version=d["version"],
        ),
        title="Record the letter before proceedings and the meeting",
        button="Save",
        done="Pre-proceedings updated",
        facts=[("Pre-proceedings began", _when(proceedings.pre_start))],
    )


pre_proceedings_end_view = record_page(
    forms.PreProceedingsEndForm,
    services.pre_proceedings_end,
    title="End pre-proceedings without going to court",
    done="Pre-proceedings ended",
    subject=_on_proceedings,
    child_of=_child,
)


issue_view = record_page(
    forms.IssueForm,
    services.proceedings_issue,
    title="Record the application to court",
    done="Application recorded: the 26 weeks have begun",
    child_of=_child,
)


hearing_view = record_page(
    forms.HearingForm,
    services.hearing_record,
    title="Record a hearing",
    done="Hearing recorded",
    subject=_on_proceedings,
    facts=_clock_facts,
    child_of=_child,
)


extend_view = record_page(
    forms.ExtendForm,
    services.timetable_extend,
    title="Record an extension of the timetable",
    done="Extension recorded",
    subject=_on_proceedings,
    facts=_clock_facts,
    child_of=_child,
)


final_order_view = record_page(
    forms.FinalOrderForm,
    services.final_order_record,
    title="Record the final order",
    done="Final order recorded",
    subject=_on_proceedings,
    facts=_clock_facts,
    child_of=_child,
)


# --- Deprivation of liberty ----------------------------------------------------------------


def _on_liberty_order(child: Person) -> dict[str, Any]:
    found = selectors.running_liberty_order(child)
    if found is None:
        raise Http404
    return {"order": found}


liberty_view = record_page(
    forms.LibertyOrderForm,
    services.liberty_order_record,
    title="Record a deprivation of liberty order",
    done="Deprivation of liberty order recorded",
    child_of=_child,
)


liberty_review_view = record_page(
    forms.LibertyReviewForm,
    services.liberty_order_review,
    title="Record the court's review of the order",
    done="Review recorded",
    subject=_on_liberty_order,
    child_of=_child,
)


liberty_end_view = record_page(
    forms.LibertyEndForm,
    services.liberty_order_end,
    title="Record that the deprivation of liberty order ended",
    done="Order ended",
    subject=_on_liberty_order,
    child_of=_child,
)


# --- Adoption ------------------------------------------------------------------------------

_STEPS: dict[str, tuple[str, str, Callable[..., Any]]] = {
    "decision": (
        "Record the decision that the child should be placed for adoption",
        "Date of the agency decision maker's decision",
        services.adoption_decide,
    ),
    "placement-order": (
        "Record the placement order",
        "Date of the placement order",
        services.adoption_placement_order,
    ),
    "placed": (
        "Record that the child was placed for adoption",
        "Date the child moved in",
        services.adoption_place,
    ),
    "order": ("Record the adoption order", "Date of the adoption order", services.adoption_order),
}
_ARGUMENT = {
    "decision": "decided_on",
    "placement-order": "made_on",
    "placed": "placed_on",
    "order": "made_on",
}


@require_http_methods(["GET", "POST"])
def adoption_step_view(request: SignedInRequest, person_id: int, step: str) -> HttpResponse:
    if step not in _STEPS:
        raise Http404
    title, label, service = _STEPS[step]
    return _page(
        request,
        person_id,
        forms.AdoptionDateForm,
        lambda child, d: service(actor=request.user, child=child, **{_ARGUMENT[step]: d["on"]}),
        title=title,
        done="Adoption recorded",
        label=label,
    )


@require_http_methods(["GET", "POST"])
def adoption_match_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    if not can_work_adopters(request.user):
        raise PermissionDenied
    adopters = selectors.approved_adopters()
    by_id = {a.pk: a for a in adopters}
    return _page(
        request,
        person_id,
        forms.MatchForm,
        lambda child, d: services.adoption_match(
            actor=request.user,
            child=child,
            matched_on=d["matched_on"],
            adopters=by_id.get(d["adopters"]),
            by_foster_carer=_yes(d["by_foster_carer"]),
        ),
        title="Record the match with adopters",
        done="Match recorded",
        adopters=adopters,
    )


adoption_reverse_view = record_page(
    forms.ReverseForm,
    services.adoption_reverse,
    title="Record that the child should no longer be placed for adoption",
    done="Decision reversed",
    child_of=_child,
)


previous_permanence_view = record_page(
    forms.PreviousPermanenceForm,
    services.previous_permanence_record,
    title="Record previous permanence",
    done="Previous permanence recorded",
    child_of=_child,
)


# --- Prospective adopters ------------------------------------------------------------------


def _must_work_adopters(request: SignedInRequest) -> None:
    if not can_work_adopters(request.user):
        raise PermissionDenied


def adopters_list_view(request: SignedInRequest) -> HttpResponse:
    _must_work_adopters(request)
    rows = selectors.adopters_list(actor=request.user)
    return _render(request, "permanence/adopters.html", {"rows": rows})


def _save_once(request: SignedInRequest, form: Any, save: Callable[[dict[str, Any]], Any]) -> Any:
    """Call the service once for this form's token; None if it refused (errors on the form)."""
    try:
        return submit_once(
            key=form.once_key(request.user),
            answers=[request.path, form.answers()],
            record=lambda: save(form.cleaned_data),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None


@require_http_methods(["GET", "POST"])
def adopters_add_view(request: SignedInRequest) -> HttpResponse:
    _must_work_adopters(request)
    form = forms.AdoptersForm(_data(request))
    if request.method == "POST" and form.is_valid():
        saved = _save_once(
            request,
            form,
            lambda d: services.adopters_create(
                actor=request.user,
                names=d["names"],
                sexes=d["sexes"],
                legal_status=d["legal_status"],
                enquiry_on=d["enquiry_on"],
            ),
        )
        if saved is not None or not form.errors:
            return redirect(reverse("permanence:adopters"))
    return _render(
        request,
        "permanence/adopters_form.html",
        {"form": form, "title": "Add prospective adopters"},
    )


@require_http_methods(["GET", "POST"])
def adopters_detail_view(request: SignedInRequest, adopters_id: int) -> HttpResponse:
    adopters = access_adopters(
        actor=request.user, adopters_id=adopters_id, shown=request.method == "GET"
    )
    form = forms.ApproveForm(_data(request), initial={"version": adopters.version})
    if request.method == "POST" and form.is_valid():
        _save_once(
            request,
            form,
            lambda d: services.adopters_approve(
                actor=request.user,
                adopters=adopters,
                approved_on=d["approved_on"],
                expected_version=d["version"],
            ),
        )
        if not form.errors:
            return redirect(reverse("permanence:adopters-detail", args=[adopters.pk]))
    return _render(
        request,
        "permanence/adopters_detail.html",
        {
            "adopters": adopters,
            "form": form,
            "matches": selectors.adopters_matches(actor=request.user, adopters=adopters),
        },
    )
