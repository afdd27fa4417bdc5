"""Register pages: the list of registers, each register (filtered, paged, exported) and the
EHE officer form; contexts and MACE panels. Each view checks the role through the policy,
calls one fetcher, selector or service and renders; selectors and services decide each person
and write the audit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import Action, can_hold_mace_actions, can_open_registers
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.users import SignedInRequest
from safehub.hardtosee import forms, selectors, services
from safehub.hardtosee.export import register_csv
from safehub.hardtosee.fetchers import (
    access_context,
    access_context_link,
    access_mace_action,
    access_panel,
)
from safehub.hardtosee.selectors import Register
from safehub.people.fetchers import access_person
from safehub.people.presenters import occurred_text, recorded_text
from safehub.ui.forms_util import add_service_errors
from safehub.ui.pagination import pagination


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
    days = selectors.DEFAULT_DAYS_WITHOUT_CONTACT
    return _render(
        request,
        "hardtosee/registers.html",
        {"counts": counts, "as_of": as_of, "default_days": days},
    )


def _filter_form(request: SignedInRequest) -> forms.RegisterFilterForm:
    sent = request.GET.get("filtered") is not None
    return forms.RegisterFilterForm(request.GET if sent else None, teams=selectors.council_teams())


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
            "pagination": pagination(
                reverse("hardtosee:register", args=[chosen.value]),
                dict(query.lists()),
                page=shown.page.number,
                pages=shown.page.paginator.num_pages,
                label="Pages of the register",
            ),
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


# --- Contexts ---------------------------------------------------------------------------


def _timeline(chronology: Any) -> list[dict[str, Any]]:
    return [
        {
            "title": entry.type_label,
            "byline": ", ".join(p for p in (entry.doer, entry.source_agency_name) if p) or None,
            "datetime": localtime(entry.occurred_at).isoformat(),
            "date_text": occurred_text(entry),
            "description_html": format_html(
                '<p class="govuk-body">{}</p><p class="govuk-body-s">Significance: {}<br>{}</p>',
                linebreaksbr(entry.summary),
                entry.significance_label,
                recorded_text(entry),
            ),
        }
        for entry in chronology.entries
    ]


def contexts_view(request: SignedInRequest) -> HttpResponse:
    _require_registers(request)
    return _render(request, "hardtosee/contexts.html", {"contexts": selectors.context_list()})


@require_http_methods(["GET", "POST"])
def context_new_view(request: SignedInRequest) -> HttpResponse:
    _require_registers(request)
    form = forms.ContextForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            context = services.context_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{context.name} is recorded.")
            return redirect("hardtosee:context", context_id=context.pk)
    return _render(request, "hardtosee/context_form.html", {"form": form, "context": None})


def _context_page(
    request: SignedInRequest, context: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    page = _render(
        request,
        "hardtosee/context.html",
        {
            "context": context,
            "people": selectors.context_people(actor=request.user, context=context),
            "chronology": (
                chronology := selectors.context_chronology(
                    context=context, page=request.GET.get("page")
                )
            ),
            "timeline_items": _timeline(chronology),
            "note_form": bound.get("note_form") or forms.ContextNoteForm(),
            "link_form": bound.get("link_form") or forms.LinkPersonForm(),
            "conflict": bound.get("conflict", False),
        },
    )
    page.status_code = status
    return page


def context_view(request: SignedInRequest, context_id: int) -> HttpResponse:
    context = access_context(actor=request.user, context_id=context_id)
    return _context_page(request, context)


@require_http_methods(["GET", "POST"])
def context_edit_view(request: SignedInRequest, context_id: int) -> HttpResponse:
    context = access_context(actor=request.user, context_id=context_id)
    initial = {f: getattr(context, f) for f in ("kind", "name", "location", "description")}
    form = forms.ContextForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": context.version},
    )
    conflict = False
    if form.is_bound and form.is_valid():
        try:
            services.context_update(
                actor=request.user,
                context=context,
                expected_version=form.cleaned_data.get("version") or 0,
                data=form.cleaned_data,
            )
        except ConcurrentEditError:
            conflict = True
            context.refresh_from_db()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{context.name} is saved.")
            return redirect("hardtosee:context", context_id=context.pk)
    response = _render(
        request,
        "hardtosee/context_form.html",
        {"form": form, "context": context, "conflict": conflict},
    )
    response.status_code = 409 if conflict else 200
    return response


@require_POST
def context_note_view(request: SignedInRequest, context_id: int) -> HttpResponse:
    context = access_context(actor=request.user, context_id=context_id, audit_view=False)
    form = forms.ContextNoteForm(request.POST)
    if form.is_valid():
        try:
            services.context_note(
                actor=request.user,
                context=context,
                summary=form.cleaned_data["summary"],
                occurred_on=form.cleaned_data["occurred_on"],
                significance=form.cleaned_data["significance"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The information is on the context’s chronology.")
            return redirect("hardtosee:context", context_id=context.pk)
    return _context_page(request, context, note_form=form)


@require_POST
def context_link_view(request: SignedInRequest, context_id: int) -> HttpResponse:
    context = access_context(actor=request.user, context_id=context_id, audit_view=False)
    form = forms.LinkPersonForm(request.POST)
    if form.is_valid():
        person = access_person(
            actor=request.user,
            person_id=form.cleaned_data["person"],
            action=Action.EDIT,
            shown=False,
        )
        try:
            services.context_link_person(
                actor=request.user,
                context=context,
                person=person,
                reason=form.cleaned_data["reason"],
                on=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{person.full_name} is linked to {context.name}.")
            return redirect("hardtosee:context", context_id=context.pk)
    return _context_page(request, context, link_form=form)


@require_POST
def context_unlink_view(request: SignedInRequest, context_id: int, link_id: int) -> HttpResponse:
    context = access_context(actor=request.user, context_id=context_id, audit_view=False)
    link = access_context_link(actor=request.user, context=context, link_id=link_id)
    try:
        services.context_unlink_person(actor=request.user, link=link, on=timezone.localdate())
    except ValidationError:
        pass  # already unlinked: the page shows it so
    else:
        messages.success(request, f"{link.person.full_name} is no longer linked to it.")
    return redirect("hardtosee:context", context_id=context.pk)


# --- MACE panels -------------------------------------------------------------------------


def panels_view(request: SignedInRequest) -> HttpResponse:
    _require_registers(request)
    return _render(request, "hardtosee/panels.html", {"panels": selectors.mace_panels()})


@require_http_methods(["GET", "POST"])
def panel_new_view(request: SignedInRequest) -> HttpResponse:
    _require_registers(request)
    form = forms.MacePanelForm(
        request.POST if request.method == "POST" else None,
        chairs=selectors.ehe_officer_choices(),
        agencies=selectors.agencies(),
    )
    if form.is_bound and form.is_valid():
        try:
            panel = services.mace_panel_create(
                actor=request.user,
                held_on=form.cleaned_data["held_on"],
                chair_id=form.cleaned_data["chair"],
                attendees=form.attendees(),
                notes=form.cleaned_data["notes"],
                today=timezone.localdate(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The panel is recorded. Add what it discussed.")
            return redirect("hardtosee:panel", panel_id=panel.pk)
    return _render(request, "hardtosee/panel_new.html", {"form": form})


def _panel_page(
    request: SignedInRequest, panel: Any, status: int = 200, **bound: Any
) -> HttpResponse:
    as_of = timezone.localdate()
    attendees, discussed, actions = selectors.mace_panel_detail(
        actor=request.user, panel=panel, as_of=as_of
    )
    contexts = selectors.context_list()
    response = _render(
        request,
        "hardtosee/panel.html",
        {
            "panel": panel,
            "attendees": attendees,
            "discussed": discussed,
            "actions": actions,
            "child_form": bound.get("child_form") or forms.DiscussChildForm(),
            "context_form": bound.get("context_form")
            or forms.DiscussContextForm(contexts=contexts),
            "action_form": _with_subjects(
                bound.get("action_form")
                or forms.MaceActionForm(owners=selectors.mace_owner_choices()),
                discussed,
            ),
            "notes_form": bound.get("notes_form")
            or forms.PanelNotesForm(initial={"notes": panel.notes, "version": panel.version}),
            "conflict": bound.get("conflict", False),
        },
    )
    response.status_code = status
    return response


def _with_subjects(form: forms.MaceActionForm, discussed: list[Any]) -> forms.MaceActionForm:
    """The action form offering what the panel discussed, each child named as the page
    names them (the policy decided that when the page read them)."""
    form.fields["about"].choices = [  # type: ignore[attr-defined]
        ("", "The panel's work as a whole"),
        *selectors.discussion_choices(discussed),
    ]
    return form


def panel_view(request: SignedInRequest, panel_id: int) -> HttpResponse:
    panel = access_panel(actor=request.user, panel_id=panel_id)
    return _panel_page(request, panel)


@require_POST
def panel_child_view(request: SignedInRequest, panel_id: int) -> HttpResponse:
    panel = access_panel(actor=request.user, panel_id=panel_id, audit_view=False)
    form = forms.DiscussChildForm(request.POST)
    if form.is_valid():
        person = access_person(
            actor=request.user,
            person_id=form.cleaned_data["person"],
            action=Action.EDIT,
            shown=False,
        )
        services.mace_discuss(
            actor=request.user, panel=panel, person=person, risk=form.cleaned_data["risk"]
        )
        messages.success(request, f"{person.full_name} is recorded as discussed.")
        return redirect("hardtosee:panel", panel_id=panel.pk)
    return _panel_page(request, panel, child_form=form)


@require_POST
def panel_context_view(request: SignedInRequest, panel_id: int) -> HttpResponse:
    panel = access_panel(actor=request.user, panel_id=panel_id, audit_view=False)
    form = forms.DiscussContextForm(request.POST, contexts=selectors.context_list())
    if form.is_valid():
        context = access_context(
            actor=request.user, context_id=form.cleaned_data["context"], audit_view=False
        )
        services.mace_discuss(
            actor=request.user, panel=panel, context=context, risk=form.cleaned_data["risk"]
        )
        messages.success(request, f"{context.name} is recorded as discussed.")
        return redirect("hardtosee:panel", panel_id=panel.pk)
    return _panel_page(request, panel, context_form=form)


@require_POST
def panel_action_view(request: SignedInRequest, panel_id: int) -> HttpResponse:
    panel = access_panel(actor=request.user, panel_id=panel_id, audit_view=False)
    form = forms.MaceActionForm(
        request.POST,
        owners=selectors.mace_owner_choices(),
        about=[(str(pk), "") for pk in panel.discussions.values_list("pk", flat=True)],
    )
    if form.is_valid():
        try:
            services.mace_action_add(
                actor=request.user,
                panel=panel,
                description=form.cleaned_data["description"],
                owner_id=form.cleaned_data["owner"],
                due_on=form.cleaned_data["due_on"],
                about_id=form.cleaned_data["about"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The action is recorded.")
            return redirect("hardtosee:panel", panel_id=panel.pk)
    return _panel_page(request, panel, action_form=form)


@require_POST
def panel_notes_view(request: SignedInRequest, panel_id: int) -> HttpResponse:
    panel = access_panel(actor=request.user, panel_id=panel_id, audit_view=False)
    form = forms.PanelNotesForm(request.POST)
    if form.is_valid():
        try:
            services.mace_panel_update_notes(
                actor=request.user,
                panel=panel,
                expected_version=form.cleaned_data["version"],
                notes=form.cleaned_data["notes"],
            )
        except ConcurrentEditError:
            panel.refresh_from_db()
            return _panel_page(request, panel, status=409, conflict=True)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The notes are saved.")
            return redirect("hardtosee:panel", panel_id=panel.pk)
    return _panel_page(request, panel, notes_form=form)


def my_actions_view(request: SignedInRequest) -> HttpResponse:
    if not can_hold_mace_actions(request.user):
        raise Http404
    rows = selectors.my_mace_actions(actor=request.user, as_of=timezone.localdate())
    return _render(request, "hardtosee/my_actions.html", {"rows": rows})


@require_POST
def action_done_view(request: SignedInRequest, action_id: int) -> HttpResponse:
    action = access_mace_action(actor=request.user, action_id=action_id)
    form = forms.ActionDoneForm(request.POST)
    back = request.POST.get("back") == "panel"
    target = (
        reverse("hardtosee:panel", args=[action.panel_id])
        if back
        else reverse("hardtosee:my-actions")
    )
    if not form.is_valid():
        return redirect(target)
    try:
        services.mace_action_done(
            actor=request.user,
            action=action,
            expected_version=form.cleaned_data["version"],
            on=timezone.localdate(),
        )
    except ConcurrentEditError:
        messages.error(
            request,
            "Someone else changed this action after you opened the page, so it was not "
            "marked done. Check it again.",
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{action.description}” is done.")
    return redirect(target)
