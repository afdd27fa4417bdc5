"""The multi-agency chronology's pages. Each view: fetch through the fetchers (policy and
audit), read through the selectors, render; the note form calls one service."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from safehub.access.navigation import nav_for
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.users import SignedInRequest
from safehub.multiagency import forms, selectors, services
from safehub.multiagency.export import court_csv, court_pdf
from safehub.multiagency.fetchers import (
    access_chronology,
    access_court_chronology,
    access_entry,
    access_household,
)
from safehub.multiagency.presenters import hidden_text, timeline_items
from safehub.ui.forms_util import add_service_errors
from safehub.ui.pagination import pagination

# The filter's fields as they appear in the address (the date boxes are three each).
_FILTER_KEYS = ("agency", "category", "significance", "event_type", "key_events")


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("nav_items", nav_for(request))
    return render(request, template, context, status=status)


def _filter_query(params: QueryDict) -> dict[str, list[str]]:
    """The filter as sent, to keep in the pagination links."""
    return {k: params.getlist(k) for k in params if k != "page" and params.getlist(k) != [""]}


@require_GET
def chronology_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    found = access_chronology(actor=request.user, person_id=person_id)
    person = found.person
    agencies, event_types = selectors.chronology_choices(person)
    sent = any(k in request.GET for k in _FILTER_KEYS) or any(
        k.startswith(("date_from", "date_to")) for k in request.GET
    )
    form = forms.ChronologyFilterForm(
        request.GET if sent else None,
        agencies=agencies,
        event_types=event_types,
        with_notes=found.with_notes,
    )
    filters = form.filters() if sent else selectors.ChronologyFilters()
    chronology = selectors.person_chronology(
        person=person,
        scope=found.scope,
        filters=filters,
        page=request.GET.get("page"),
        with_notes=found.with_notes,
    )
    here = request.get_full_path()
    query = _filter_query(request.GET)
    return _render(
        request,
        "multiagency/chronology.html",
        {
            "person": person,
            "form": form,
            "filters": filters,
            "chronology": chronology,
            "with_notes": found.with_notes,
            "items": timeline_items(
                chronology.lines, person_id=person.pk, with_notes=found.with_notes, return_to=here
            ),
            "pagination": pagination(
                reverse("multiagency:chronology", args=[person.pk]),
                query,
                page=chronology.page,
                pages=chronology.pages,
                label="Chronology pages",
            ),
            "hidden": hidden_text(
                chronology.hidden_restricted,
                "restricted information from a partner agency that you are not allowed to see",
            )
            if chronology.hidden_restricted
            else "",
        },
    )


@require_GET
def household_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    household = access_household(actor=request.user, person_id=person_id)
    found = household.access
    person = found.person
    page = selectors.household_chronology(
        person=person,
        shown=household.shown,
        withheld=household.withheld,
        scope=found.scope,
        page=request.GET.get("page"),
        with_notes=found.with_notes,
    )
    hidden = []
    if page.hidden_people_entries:
        hidden.append(
            hidden_text(page.hidden_people_entries, "they are about people you cannot see")
        )
    if page.hidden_restricted:
        hidden.append(
            hidden_text(
                page.hidden_restricted,
                "restricted information from a partner agency that you are not allowed to see",
            )
        )
    return _render(
        request,
        "multiagency/household.html",
        {
            "person": person,
            "members": household.members,
            "with_notes": found.with_notes,
            "chronology": page,
            "items": timeline_items(
                page.lines,
                person_id=person.pk,
                with_notes=False,
            ),
            "pagination": pagination(
                reverse("multiagency:household", args=[person.pk]),
                {},
                page=page.page,
                pages=page.pages,
                label="Household chronology pages",
            ),
            "hidden": hidden,
        },
    )


@require_GET
def court_export_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    """The period form; with a file type chosen, the court-style chronology as that file
    (audited as an export)."""
    sent = "format" in request.GET
    form = forms.CourtExportForm(request.GET if sent else None, initial={"format": "pdf"})
    as_of = timezone.localdate()
    if sent and form.is_valid():
        found = access_court_chronology(actor=request.user, person_id=person_id, export=True)
        start, end = selectors.court_period(as_of)
        court = selectors.court_chronology(
            person=found.person,
            scope=found.scope,
            date_from=form.cleaned_data.get("date_from") or start,
            date_to=form.cleaned_data.get("date_to") or end,
            as_of=as_of,
            with_notes=found.with_notes,
        )
        name = f"safehub-chronology-{found.person.pk}-{court.date_from}-to-{court.date_to}"
        if form.cleaned_data["format"] == "csv":
            response = HttpResponse(court_csv(court), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        else:
            response = HttpResponse(court_pdf(court), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    found = access_court_chronology(actor=request.user, person_id=person_id, export=False)
    start, end = selectors.court_period(as_of)
    return _render(
        request,
        "multiagency/court_export.html",
        {"person": found.person, "form": form, "default_from": start, "default_to": end},
        status=400 if sent else 200,
    )


@require_http_methods(["GET", "POST"])
def entry_note_view(request: SignedInRequest, person_id: int, entry_id: int) -> HttpResponse:
    found, entry = access_entry(
        actor=request.user,
        person_id=person_id,
        entry_id=entry_id,
        shown=request.method == "GET",
    )
    person = found.person
    mine = selectors.note_of(person=person, entry_id=entry.pk, author=request.user)
    initial = (
        {"key_event": mine.key_event, "analysis": mine.analysis, "version": mine.version}
        if mine
        else {}
    )
    back = _safe_next(request, reverse("multiagency:chronology", args=[person.pk]))
    form = forms.EntryNoteForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.entry_note_save(
                actor=request.user,
                person=person,
                entry=entry,
                key_event=form.cleaned_data["key_event"],
                analysis=form.cleaned_data["analysis"],
                expected_version=form.cleaned_data["version"],
            )
        except ConcurrentEditError as conflict:
            return _render(
                request,
                "multiagency/note_conflict.html",
                {"person": person, "entry": entry, "current": conflict.current, "form": form},
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(back)
    return _render(
        request,
        "multiagency/note_form.html",
        {
            "person": person,
            "entry": entry,
            "line": selectors.entry_line(person=person, entry=entry, scope=found.scope),
            "form": form,
            "back": back,
            "has_errors": bool(form.errors),
        },
    )


def _safe_next(request: SignedInRequest, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok and target.startswith("/") else default
