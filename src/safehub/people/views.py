"""People pages. Each view: fetch through access/, bind a form, call one service, redirect
or re-render with the GOV.UK error summary."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from safehub.access.forms import BreakGlassForm
from safehub.access.navigation import nav_for
from safehub.access.policy import (
    Action,
    can_create_person,
    can_edit_viewable_person,
    can_read_casework,
    can_search_people,
    may_read_neglect_profiles,
)
from safehub.access.services import break_glass_open, second_factor_check
from safehub.chronology.selectors import chronology_page_for_person
from safehub.core.exceptions import BreakGlassRequired, ConcurrentEditError, NotFound
from safehub.core.users import SignedInRequest
from safehub.people import forms, services
from safehub.people.export import person_export_document
from safehub.people.fetchers import access_person, person_for_break_glass
from safehub.people.network import BOX_H, BOX_W, build_network
from safehub.people.presenters import person_page_context
from safehub.people.selectors import (
    MAX_RESULTS,
    SearchCriteria,
    person_age,
    person_profile,
    person_search,
)
from safehub.ui.forms_util import add_service_errors


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    return render(request, template, context, status=status)


def _person(request: SignedInRequest, person_id: int, action: Action = Action.VIEW) -> Any:
    """The person, fetched through the policy. A change form shows the record when it is
    first opened (audited as a view then); the post that saves is audited as the change."""
    return access_person(
        actor=request.user,
        person_id=person_id,
        action=action,
        shown=request.method == "GET",
    )


@require_http_methods(["GET", "POST"])
def person_search_view(request: SignedInRequest) -> HttpResponse:
    """Search uses POST so names and dates of birth never appear in URLs or server logs."""
    if not can_search_people(request.user):
        raise Http404
    form = forms.PersonSearchForm(request.POST if request.method == "POST" else None)
    results = None
    if request.method == "POST" and form.is_valid():
        results = person_search(
            actor=request.user,
            criteria=SearchCriteria(
                **{k: v for k, v in form.cleaned_data.items() if v is not None and v != ""}
            ),
        )
    return _render(
        request,
        "people/search.html",
        {
            "form": form,
            "results": results,
            "can_create": can_create_person(request.user),
            "max_results": MAX_RESULTS,
        },
    )


def person_detail_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id)
    profile = person_profile(actor=request.user, person=person)
    chronology = chronology_page_for_person(
        actor=request.user,
        person=person,
        page=request.GET.get("page"),
        scope=profile.restricted_entries,
    )
    network = build_network(person, profile.relationships)
    return _render(
        request,
        "people/detail.html",
        {
            **person_page_context(person, chronology),
            "person": person,
            "profile": profile,
            "age": person_age(person),
            "chronology": chronology,
            "network": network,
            "box_w": BOX_W,
            "box_h": BOX_H,
            "can_edit": can_edit_viewable_person(request.user),
            "can_read_casework": can_read_casework(request.user),
            "can_read_neglect_profiles": may_read_neglect_profiles(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def person_break_glass_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    """A restricted record: record a reason and re-enter a security code to open it."""
    person = person_for_break_glass(actor=request.user, person_id=person_id)
    if person is None:  # already open to this user (allow-list or an earlier break-glass)
        return redirect("people:person-detail", person_id=person_id)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if not second_factor_check(
            request=request, user=request.user, code=form.cleaned_data["code"], step="break-glass"
        ):
            # A wrong code counts towards locking the account; once it is locked,
            # AxesMiddleware answers with the lockout page instead of this one.
            form.add_error("code", "The security code is not correct or has expired")
        else:
            try:
                break_glass_open(
                    actor=request.user, person=person, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("people:person-detail", person_id=person.pk)
    return _render(
        request,
        "people/break_glass.html",
        {"form": form, "person_id": person.pk},
        status=403 if request.method == "GET" else 200,
    )


def _person_data(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in cleaned.items() if k not in ("version",)}


@require_http_methods(["GET", "POST"])
def person_create_view(request: SignedInRequest) -> HttpResponse:
    if not can_create_person(request.user):
        raise Http404
    form = forms.PersonForm(request.POST if request.method == "POST" else None, prefix=None)
    address = forms.AddressForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and address.is_valid():
        try:
            person = services.person_create(
                actor=request.user,
                data=_person_data(form.cleaned_data),
                address=address.cleaned_data,
            )
        except ValidationError as error:
            _split_errors(error, form, address)
        else:
            return redirect("people:person-detail", person_id=person.pk)
    return _render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "address": address,
            "creating": True,
            "has_errors": bool(form.errors or address.errors),
        },
    )


def _split_errors(error: ValidationError, form: Any, address: Any) -> None:
    person_part = {k: v for k, v in error.message_dict.items() if k not in address.fields}
    address_part = {k: v for k, v in error.message_dict.items() if k in address.fields}
    if person_part:
        add_service_errors(form, ValidationError(person_part))
    if address_part:
        add_service_errors(address, ValidationError(address_part))


@require_http_methods(["GET", "POST"])
def person_edit_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    person = _person(request, person_id, Action.EDIT)
    current_name = person.names.filter(kind="current").first()
    initial = {f: getattr(person, f) for f in services.PERSON_FIELDS}
    initial.update(
        middle_names=current_name.middle_names if current_name else "",
        version=person.version,
        school_agency=person.school_agency_id or "",
        # A school on SafeHub is chosen from the list; the box is for any other.
        school="" if person.school_agency_id else person.school,
    )
    form = forms.PersonEditForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                person=person,
                expected_version=form.cleaned_data["version"],
                data=_person_data(form.cleaned_data),
            )
        except ConcurrentEditError as conflict:
            return _conflict(request, person, form, conflict.current)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("people:person-detail", person_id=person.pk)
    return _render(
        request,
        "people/person_form.html",
        {
            "form": form,
            "person": person,
            "creating": False,
        },
    )


def _conflict(request: SignedInRequest, person: Any, form: Any, current: Any) -> HttpResponse:
    """The second of two simultaneous saves: nothing saved; show what the record now says
    beside what this user typed, so they can redo their change on top."""
    rows = []
    for field in services.PERSON_FIELDS:
        theirs, yours = getattr(current, field), form.cleaned_data.get(field)
        if field == "disabilities":
            theirs, yours = ", ".join(theirs or []), ", ".join(yours or [])
        if field == "school_agency":  # the school chosen, as the list names it
            names = dict(form.fields["school_agency"].choices)
            theirs = names.get(str(current.school_agency_id or ""), "")
            yours = names.get(str(yours or ""), "")
        if (theirs or "") != (yours or ""):
            rows.append({"label": services.FIELD_LABELS[field], "saved": theirs, "yours": yours})
    return _render(
        request,
        "people/conflict.html",
        {
            "person": current,
            "rows": rows,
            "updated_by": current.updated_by,
        },
        status=409,
    )


def _satellite_form(
    request: SignedInRequest, person_id: int, form_class: type, template: str, save: Any
) -> HttpResponse:
    """A small form that changes part of a person's record (a name, an address, a
    relationship): same shape every time."""
    person = _person(request, person_id, Action.EDIT)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            save(person, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("people:person-detail", args=[person.pk]))
    return _render(request, template, {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def person_name_add_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    return _satellite_form(
        request,
        person_id,
        forms.NameForm,
        "people/name_form.html",
        lambda person, data: services.person_name_add(actor=request.user, person=person, **data),
    )


@require_http_methods(["GET", "POST"])
def person_move_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    def save(person: Any, data: dict[str, Any]) -> None:
        start = data.pop("start_date")
        services.person_move(actor=request.user, person=person, address=data, start_date=start)

    return _satellite_form(request, person_id, forms.MoveForm, "people/move_form.html", save)


@require_http_methods(["GET", "POST"])
def relationship_add_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    def save(person: Any, data: dict[str, Any]) -> None:
        try:
            other = access_person(actor=request.user, person_id=data["other"])
        except (NotFound, BreakGlassRequired):
            raise ValidationError({"other": "No person you can see has that SafeHub ID"}) from None
        services.relationship_create(
            actor=request.user,
            subject=person,
            other=other,
            type=data["type"],
            start_date=data["start_date"],
            has_parental_responsibility=data["has_parental_responsibility"],
        )

    return _satellite_form(
        request, person_id, forms.RelationshipForm, "people/relationship_form.html", save
    )


@require_http_methods(["GET", "POST"])
def relationship_end_view(
    request: SignedInRequest, person_id: int, relationship_id: int
) -> HttpResponse:
    return _satellite_form(
        request,
        person_id,
        forms.EndRelationshipForm,
        "people/relationship_end_form.html",
        lambda person, data: services.relationship_end(
            actor=request.user,
            person=person,
            relationship_id=relationship_id,
            end_date=data["end_date"],
        ),
    )


def person_export_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    """Download the record as JSON (for a subject access request or a transfer); audited as
    an export, not a view."""
    person = _person(request, person_id, Action.EXPORT)
    document = person_export_document(actor=request.user, person=person)
    response = HttpResponse(
        json.dumps(document, indent=2, default=str), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="safehub-person-{person.pk}.json"'
    return response
