"""Neglect profile pages: the templates page, training records (list, add, CSV import),
and a child's profiles (start, fill in area by area with autosaved drafts, plan, complete,
sign off, print). Each view fetches through a fetcher, binds a form, calls one service, and
redirects with a success banner or shows the GOV.UK error summary."""

import csv
import io
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import (
    Action,
    SignOff,
    can_load_neglect_templates,
    can_record_neglect_training,
    can_see_neglect_use,
    may_read_neglect_profiles,
    may_sign_off,
    may_start_neglect_profiles,
)
from safehub.core.exceptions import ConcurrentEditError, NotFound, PermissionDeniedError
from safehub.core.users import SignedInRequest
from safehub.neglect import forms, selectors, services, use
from safehub.neglect.fetchers import access_profile, access_profile_child
from safehub.neglect.models import NeglectProfile, ProfileStatus
from safehub.neglect.pdf import profile_pdf
from safehub.ui.forms_util import add_service_errors


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("notices", list(messages.get_messages(request)))
    return render(request, template, context, status=status)


# --- Templates -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def templates_view(request: SignedInRequest) -> HttpResponse:
    """Every template loaded, and (POST) a template file to load: the same checks as the
    command; a file with mistakes names each and changes nothing."""
    if not can_load_neglect_templates(request.user):
        raise Http404
    posted = request.method == "POST"
    form = forms.TemplateUploadForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    problems: list[str] = []
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        try:
            template, new = services.template_upload(
                actor=request.user, filename=file.name, content=file.read()
            )
        except services.TemplateFileError as error:
            problems = error.problems
            form.add_error("file", "The template was not loaded: correct the file and try again")
        else:
            done = "loaded" if new else "already loaded; nothing changed"
            messages.success(request, f"{template} {done}.")
            return redirect("neglect:templates")
    return _render(
        request,
        "neglect/templates.html",
        {"form": form, "problems": problems, "templates": selectors.template_list()},
        status=400 if problems else 200,
    )


# --- Training --------------------------------------------------------------------------------


def _must_record_training(request: SignedInRequest) -> None:
    if not can_record_neglect_training(request.user):
        raise Http404


def training_list_view(request: SignedInRequest) -> HttpResponse:
    _must_record_training(request)
    agencies, names = selectors.training_filters()
    form = forms.TrainingFilterForm(request.GET or None, agencies=agencies, names=names)
    agency_id, name = None, None
    if form.is_bound and form.is_valid():
        agency_id = form.cleaned_data["agency"] or None
        name = form.cleaned_data["template"] or None
    records = selectors.training_list(agency_id=agency_id, template_name=name)
    return _render(
        request,
        "neglect/training_list.html",
        {"form": form, "records": records, "today": timezone.localdate()},
    )


@require_http_methods(["GET", "POST"])
def training_add_view(request: SignedInRequest) -> HttpResponse:
    _must_record_training(request)
    names = sorted({t.name for t in selectors.current_templates()})
    form = forms.TrainingRecordForm(request.POST or None, names=names)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            record = services.training_record(
                actor=request.user,
                practitioner=services.practitioner_by_login(d["practitioner"]),
                template_name=d["template"],
                course=d["course"],
                provider=d["provider"],
                completed_on=d["completed_on"],
                expires_on=d["expires_on"],
            )
        except ValidationError as error:
            add_service_errors(form, _renamed(error, {"template_name": "template"}))
        else:
            who = record.practitioner.get_full_name() or record.practitioner.username
            messages.success(request, f"Training recorded for {who}.")
            return redirect("neglect:training-list")
    return _render(request, "neglect/training_add.html", {"form": form})


def _renamed(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """The service's error keyed by the form's field names."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.message_dict.items()})


def training_csv_view(request: SignedInRequest) -> HttpResponse:
    _must_record_training(request)
    response = HttpResponse(services.training_csv_template(), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="neglect-training-template.csv"'
    return response


@require_http_methods(["GET", "POST"])
def training_import_view(request: SignedInRequest) -> HttpResponse:
    """Upload a CSV file and see each row with its problems (nothing recorded); then
    confirm, and every row is recorded or none."""
    _must_record_training(request)
    posted = request.method == "POST"
    form = forms.TrainingImportForm(
        request.POST if posted else None, request.FILES if posted else None
    )
    if posted and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8-sig")
        except UnicodeDecodeError:
            form.add_error("file", "The file is not saved as UTF-8: save it as 'CSV UTF-8'")
        else:
            try:
                rows = services.training_import_preview(actor=request.user, csv_text=text)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                confirm = forms.TrainingConfirmForm(initial={"csv_text": text})
                return _render(
                    request,
                    "neglect/training_preview.html",
                    {"rows": rows, "bad": [r for r in rows if r.problems], "confirm": confirm},
                )
    return _render(request, "neglect/training_import.html", {"form": form})


@require_POST
def training_confirm_view(request: SignedInRequest) -> HttpResponse:
    _must_record_training(request)
    form = forms.TrainingConfirmForm(request.POST)
    if not form.is_valid():
        return redirect("neglect:training-import")
    try:
        records = services.training_import_confirm(
            actor=request.user, csv_text=form.cleaned_data["csv_text"]
        )
    except ValidationError:
        messages.error(request, "Nothing was recorded: the file has rows with problems.")
        return redirect("neglect:training-import")
    count = len(records)
    messages.success(request, f"{count} training record{'' if count == 1 else 's'} added.")
    return redirect("neglect:training-list")


# --- A reader's profiles and a child's --------------------------------------------------------


@require_GET
def work_view(request: SignedInRequest) -> HttpResponse:
    """The profiles waiting for the reader: theirs to sign off, theirs to finish, theirs
    completed and waiting for a supervisor."""
    if not may_read_neglect_profiles(request.user):
        raise Http404
    work = selectors.profile_work(actor=request.user)
    return _render(
        request,
        "neglect/work.html",
        {
            "work": work,
            "today": timezone.localdate(),
            "can_start": may_start_neglect_profiles(request.user),
            "can_supervise": may_sign_off(request.user, SignOff.NEGLECT_PROFILE, done_by_id=None),
        },
    )


def child_profiles_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    child = access_profile_child(actor=request.user, person_id=person_id)
    return _render(
        request,
        "neglect/child_profiles.html",
        {
            "child": child,
            "profiles": selectors.profiles_for_child(child),
            "can_start": may_start_neglect_profiles(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def profile_start_view(request: SignedInRequest, person_id: int) -> HttpResponse:
    """Start a profile. Someone without current training is told so, and who to contact,
    before they fill anything in."""
    actor = request.user
    child = access_profile_child(
        actor=actor, person_id=person_id, action=Action.EDIT, shown=request.method == "GET"
    )
    templates = selectors.current_templates()
    siblings = selectors.sibling_choices(actor=actor, child=child)
    form = forms.ProfileStartForm(
        request.POST or None,
        templates=[(t.pk, str(t)) for t in templates],
        siblings=[(s.pk, s.full_name) for s in siblings],
        initial={"template": templates[0].pk} if len(templates) == 1 else {},
    )
    refusal = services.training_refusal(user=actor, templates=templates, on=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        template = next(t for t in templates if t.pk == form.cleaned_data["template"])
        chosen = [s for s in siblings if s.pk in form.cleaned_data["siblings"]]
        try:
            profile = services.profile_start(
                actor=actor, child=child, template=template, siblings=chosen
            )
        except PermissionDeniedError as error:
            refusal = error.message
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Profile started. Grade each area, then the plan.")
            return redirect("neglect:profile-detail", profile_id=profile.pk)
    return _render(
        request,
        "neglect/start.html",
        {"child": child, "form": form, "refusal": refusal, "templates": templates},
        status=403 if refusal else 200,
    )


def _profile_context(request: SignedInRequest, profile: NeglectProfile) -> dict[str, Any]:
    actor = request.user
    previous = selectors.previous_profile(profile)
    done = profile.status != ProfileStatus.IN_PROGRESS
    movement = selectors.area_movement(profile, previous) if previous and done else []
    return {
        "profile": profile,
        "child": profile.child,
        "covered": [profile.child, *profile.siblings.all()],
        "sheet": selectors.profile_sheet(profile),
        "actions": selectors.profile_actions(profile),
        "previous": previous,
        "movement": movement,
        "can_work": profile.status == ProfileStatus.IN_PROGRESS
        and may_start_neglect_profiles(actor),
        "can_sign_off": profile.status == ProfileStatus.COMPLETED
        and may_sign_off(actor, SignOff.NEGLECT_PROFILE, done_by_id=profile.completed_by_id),
        "version_form": forms.VersionForm(initial={"version": profile.version}),
    }


def profile_detail_view(request: SignedInRequest, profile_id: int) -> HttpResponse:
    profile = access_profile(actor=request.user, profile_id=profile_id)
    return _render(request, "neglect/profile.html", _profile_context(request, profile))


def _draft_attrs(profile: NeglectProfile, request: SignedInRequest, box: str) -> dict[str, str]:
    """What frontend/js/drafts.js needs on a box: where to save, and a key unique to this
    practitioner, profile and box."""
    return {
        "data-draft-key": f"u{request.user.pk}:np{profile.pk}:{box}",
        "data-draft-url": reverse("neglect:profile-draft", args=[profile.pk]),
        "data-draft-kind": box,
    }


@require_http_methods(["GET", "POST"])
def profile_area_view(request: SignedInRequest, profile_id: int, position: int) -> HttpResponse:
    """One area's items: a grade with the template's descriptors as hints, and the evidence
    (kept as a draft while it is typed). Saved against the version the page was opened on:
    if someone else saved first, nothing is written and the page says so."""
    actor = request.user
    profile = access_profile(
        actor=actor, profile_id=profile_id, action=Action.EDIT, shown=request.method == "GET"
    )
    sheet = next((a for a in selectors.profile_sheet(profile) if a.area.position == position), None)
    if sheet is None:
        raise Http404
    items = [g.item for g in sheet.grades]
    drafts = (
        selectors.profile_drafts(actor=actor, profile=profile) if request.method == "GET" else {}
    )
    initial: dict[str, Any] = {"version": profile.version}
    for g in sheet.grades:
        # A grade chosen and autosaved but not yet saved with the area comes back chosen.
        grade = drafts.get(f"grade-{g.item_id}")
        saved_grade = str(g.grade) if g.grade else None
        initial[f"item-{g.item_id}-grade"] = (grade.text or None) if grade else saved_grade
        draft = drafts.get(f"item-{g.item_id}")
        initial[f"item-{g.item_id}-evidence"] = draft.text if draft else g.evidence
    form = forms.ProfileAreaForm(request.POST or None, items=items, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_record_grades(
                actor=actor,
                profile=profile,
                expected_version=form.cleaned_data["version"],
                grades=form.grades(),
            )
        except ConcurrentEditError as error:
            conflict = error.current
            sheet = next(
                a for a in selectors.profile_sheet(conflict) if a.area.position == position
            )
            form = forms.ProfileAreaForm(_with_version(request.POST, conflict.version), items=items)
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = [
                _draft_attrs(profile, request, f"{box}-{i.pk}")["data-draft-key"]
                for i in items
                for box in ("item", "grade")
            ]
            messages.success(request, f"{sheet.area.title} saved.", extra_tags=" ".join(saved))
            return redirect(reverse("neglect:profile-detail", args=[profile.pk]) + "#areas")
    return _render(
        request,
        "neglect/area.html",
        {
            "profile": profile,
            "child": profile.child,
            "sheet": sheet,
            "form": form,
            "drafts": drafts,
            "conflict": conflict,
            "draft_attrs": lambda box: _draft_attrs(profile, request, box),
            "area_count": profile.template.areas.count(),
        },
        status=409 if conflict else 200,
    )


def _with_version(data: Any, version: int) -> Any:
    """The answers as sent, on the version now saved: sending them again is a choice made
    having seen the other person's answers."""
    copy = data.copy()
    copy["version"] = str(version)
    return copy


@require_http_methods(["GET", "POST"])
def profile_plan_view(request: SignedInRequest, profile_id: int) -> HttpResponse:
    actor = request.user
    profile = access_profile(
        actor=actor, profile_id=profile_id, action=Action.EDIT, shown=request.method == "GET"
    )
    drafts = (
        selectors.profile_drafts(actor=actor, profile=profile) if request.method == "GET" else {}
    )
    initial: dict[str, Any] = {
        "version": profile.version,
        "family_views": drafts["family_views"].text
        if "family_views" in drafts
        else profile.family_views,
        "review_date": profile.review_date,
    }
    for action in selectors.profile_actions(profile):
        n = action.position
        initial |= {
            f"actions-{n}-action": action.action,
            f"actions-{n}-owner_name": action.owner_name,
            f"actions-{n}-due_date": action.due_date,
        }
    form = forms.ProfilePlanForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_record_plan(
                actor=actor,
                profile=profile,
                expected_version=form.cleaned_data["version"],
                family_views=form.cleaned_data["family_views"],
                actions=form.actions(),
                review_date=form.cleaned_data["review_date"],
            )
        except ConcurrentEditError as error:
            conflict = error.current
            form = forms.ProfilePlanForm(_with_version(request.POST, conflict.version))
            form.is_valid()
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            saved = _draft_attrs(profile, request, "family_views")["data-draft-key"]
            messages.success(
                request, "The family's views and the plan are saved.", extra_tags=saved
            )
            return redirect(reverse("neglect:profile-detail", args=[profile.pk]) + "#plan")
    return _render(
        request,
        "neglect/plan.html",
        {
            "profile": profile,
            "child": profile.child,
            "form": form,
            "drafts": drafts,
            "conflict": conflict,
            "draft_attrs": lambda box: _draft_attrs(profile, request, box),
            "rows": forms.PLAN_ROWS,
        },
        status=409 if conflict else 200,
    )


def _profile_action(request: SignedInRequest, profile_id: int, action: Action, save: Any) -> Any:
    """Complete or sign off: against the version shown; the errors on the profile page."""
    profile = access_profile(actor=request.user, profile_id=profile_id, action=action, shown=False)
    form = forms.VersionForm(request.POST)
    error_text = "Something went wrong with this page. Open it again and try once more"
    if form.is_valid():
        try:
            save(profile, form.cleaned_data["version"])
        except ConcurrentEditError:
            error_text = (
                "Someone else changed this profile after you opened it. Check it below, "
                "then try again."
            )
        except PermissionDeniedError as error:
            error_text = error.message
        except ValidationError as error:
            error_text = " ".join(error.messages)
        else:
            return None
    profile = access_profile(actor=request.user, profile_id=profile_id)
    context = _profile_context(request, profile)
    context["action_error"] = error_text
    return _render(request, "neglect/profile.html", context, status=400)


@require_POST
def profile_complete_view(request: SignedInRequest, profile_id: int) -> HttpResponse:
    def save(profile: NeglectProfile, version: int) -> None:
        services.profile_complete(actor=request.user, profile=profile, expected_version=version)

    failed = _profile_action(request, profile_id, Action.EDIT, save)
    if failed is not None:
        return failed
    messages.success(request, "Profile completed. A supervisor now signs it off.")
    return redirect("neglect:profile-detail", profile_id=profile_id)


@require_POST
def profile_sign_off_view(request: SignedInRequest, profile_id: int) -> HttpResponse:
    def save(profile: NeglectProfile, version: int) -> None:
        services.profile_sign_off(actor=request.user, profile=profile, expected_version=version)

    failed = _profile_action(request, profile_id, Action.VIEW, save)
    if failed is not None:
        return failed
    messages.success(request, "Profile signed off.")
    return redirect("neglect:profile-detail", profile_id=profile_id)


def profile_pdf_view(request: SignedInRequest, profile_id: int) -> HttpResponse:
    """The completed profile to print or keep, read (and audited) as an export."""
    profile = access_profile(actor=request.user, profile_id=profile_id, action=Action.EXPORT)
    if profile.status == ProfileStatus.IN_PROGRESS:
        raise Http404
    context = _profile_context(request, profile)
    content = profile_pdf(
        profile=profile,
        covered=context["covered"],
        sheet=context["sheet"],
        actions=context["actions"],
        movement=context["movement"],
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="neglect-profile-{profile.pk}.pdf"'
    return response


@require_POST
def profile_draft_view(request: SignedInRequest, profile_id: int) -> JsonResponse:
    """The draft script's autosave: JSON in, JSON out; never a page."""
    try:
        profile = access_profile(
            actor=request.user, profile_id=profile_id, action=Action.EDIT, shown=False
        )
    except NotFound:
        return JsonResponse({"saved": False}, status=404)
    form = forms.ProfileDraftForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"saved": False}, status=400)
    try:
        draft = services.profile_draft_save(
            actor=request.user,
            profile=profile,
            box=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
    except (ValidationError, PermissionDeniedError):
        return JsonResponse({"saved": False}, status=400)
    return JsonResponse({"saved": True, "saved_at": draft.updated_at.isoformat()})


# --- Use and effect ----------------------------------------------------------------------------


def _period(request: SignedInRequest) -> tuple[forms.UsePeriodForm, date, date]:
    """The period asked for, or the year up to today."""
    today = timezone.localdate()
    start, end = today - timedelta(days=365), today
    form = forms.UsePeriodForm(request.GET if "start-year" in request.GET else None)
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    elif not form.is_bound:
        form = forms.UsePeriodForm(initial={"start": start, "end": end})
    return form, start, end


def _must_see_use(request: SignedInRequest) -> None:
    if not can_see_neglect_use(request.user):
        raise Http404


# More digits than any id has; Python refuses to read a number of over 4,300 digits.
_ID_DIGITS = 18


def _chosen(request: SignedInRequest, name: str) -> int | None:
    """An id from the query string, or None: "²" is a digit to `isdigit`, not to `int`, and
    a number longer than any id is no id."""
    value = request.GET.get(name, "")
    if value.isascii() and value.isdigit() and len(value) <= _ID_DIGITS:
        return int(value)
    return None


def use_view(request: SignedInRequest) -> HttpResponse:
    """The partnership's figures by kind of agency and by agency; with `agency`, that
    agency's teams (a county has hundreds of teams: one page of them all was 1.5 MB)."""
    _must_see_use(request)
    form, start, end = _period(request)
    report = use.use_and_effect(start=start, end=end)
    agency_id = _chosen(request, "agency")
    agency = report.agency(agency_id) if agency_id is not None else None
    query = urlencode(
        {
            f"{k}-{p}": getattr(v, p)
            for k, v in (("start", start), ("end", end))
            for p in ("day", "month", "year")
        }
    )
    return _render(
        request,
        "neglect/use.html",
        {
            "form": form,
            "report": report,
            "agency": agency,
            "agency_id": agency_id,
            "query": query,
            # Each figure's link worked out once: a page can have hundreds of rows.
            "children_url": {
                key: reverse("neglect:use-children", args=[key]) + "?" + query
                for key in use.FIGURES
            },
            "figures": use.FIGURES,
        },
        status=400 if form.errors else 200,
    )


def use_csv_view(request: SignedInRequest) -> HttpResponse:
    _must_see_use(request)
    _, start, end = _period(request)
    report = use.use_and_effect(start=start, end=end)
    out = io.StringIO()
    writer = csv.writer(out)
    for row in use.csv_rows(report):
        writer.writerow([use.csv_cell(v) for v in row])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="neglect-profile-use-{start}-to-{end}.csv"'
    )
    return response


def use_children_view(request: SignedInRequest, figure: str) -> HttpResponse:
    """The children behind one figure: named where the policy lets the reader see them (the
    list is audited), the rest counted."""
    _must_see_use(request)
    if figure not in use.FIGURES:
        raise Http404
    _, start, end = _period(request)
    report = use.use_and_effect(start=start, end=end)
    row = use.report_row(report, _chosen(request, "team"), _chosen(request, "agency"))
    if row is None:
        raise Http404
    children = use.figure_children(
        actor=request.user, child_ids=row.children[figure], listed=f"neglect.use.{figure}"
    )
    return _render(
        request,
        "neglect/use_children.html",
        {
            "figure": use.FIGURES[figure],
            "row": row,
            "children": children,
            "start": start,
            "end": end,
            "back": reverse("neglect:use") + "?" + request.GET.urlencode(),
        },
    )
