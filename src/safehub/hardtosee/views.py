"""Register pages: the list of registers, each register (filtered, paged, exported) and the
EHE officer form. Each view checks the role through the policy, calls one selector or
service and renders; the selectors decide each row and write the audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from safehub.access.navigation import nav_for
from safehub.access.policy import Action, can_open_registers
from safehub.core.users import SignedInRequest
from safehub.hardtosee import forms, selectors, services
from safehub.hardtosee.export import register_csv
from safehub.hardtosee.selectors import Register
from safehub.people.fetchers import access_person
from safehub.ui.forms_util import add_service_errors


def _require_registers(request: SignedInRequest) -> None:
    if not can_open_registers(request.user):
        raise Http404


def _register(slug: str) -> Register:
    try:
        return Register(slug)
    except ValueError:
        raise Http404 from None


def _render(request: SignedInRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("notices", list(messages.get_messages(request)))
    return render(request, template, context)


def registers_view(request: SignedInRequest) -> HttpResponse:
    _require_registers(request)
    as_of = timezone.localdate()
    counts = selectors.register_counts(actor=request.user, as_of=as_of)
    return _render(
        request, "hardtosee/registers.html", {"counts": counts, "as_of": as_of}
    )


def _filter_form(request: SignedInRequest) -> forms.RegisterFilterForm:
    sent = request.GET.get("filtered") is not None
    return forms.RegisterFilterForm(
        request.GET if sent else None, teams=selectors.council_teams()
    )


def register_view(request: SignedInRequest, register: str) -> HttpResponse:
    _require_registers(request)
    chosen = _register(register)
    form = _filter_form(request)
    filters = form.filters() if form.is_bound else selectors.RegisterFilters()
    as_of = timezone.localdate()
    shown = selectors.register_page(
        actor=request.user,
        register=chosen,
        as_of=as_of,
        filters=filters,
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "hardtosee/register.html",
        {
            "register": chosen,
            "form": form,
            "filters": filters,
            "shown": shown,
            "as_of": as_of,
            "query": query.urlencode(),
            "default_days": selectors.DEFAULT_DAYS_WITHOUT_CONTACT,
        },
    )


def register_export_view(request: SignedInRequest, register: str) -> HttpResponse:
    _require_registers(request)
    chosen = _register(register)
    form = _filter_form(request)
    filters = form.filters() if form.is_bound else selectors.RegisterFilters()
    as_of = timezone.localdate()
    rows = selectors.register_export(
        actor=request.user, register=chosen, as_of=as_of, filters=filters
    )
    response = HttpResponse(register_csv(chosen, rows), content_type="text/csv; charset=utf-8")
    filename = f"{chosen.value}-{as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "POST"])
def ehe_officer_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    _require_registers(request)
    person = access_person(actor=request.user, person_id=person_id, action=Action.EDIT)
    officers = selectors.ehe_officer_choices()
    posted = request.POST if request.method == "POST" else None
    form = forms.EheOfficerForm(posted, officers=officers)
    if posted is not None and form.is_valid():
        try:
            assignment = services.ehe_officer_assign(
                actor=request.user,
                person=person,
                officer_id=form.cleaned_data["officer"],
                on=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{assignment.officer.get_full_name()} is now {person.full_name}’s elective "
                "home education officer.",
            )
            return redirect("hardtosee:register", register=Register.EHE.value)
    back = reverse("hardtosee:register", args=[Register.EHE.value])
    return _render(
        request, "hardtosee/ehe_officer.html", {"form": form, "person": person, "back": back}
    )
