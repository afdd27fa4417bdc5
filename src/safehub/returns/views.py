"""The returns pages for the returns team: the CIN census (choose a year or a period within
one, download the XML) and the SSDA903 (the same, a zip of CSV files), and their
validators (upload a census file or a zip of 903 files, read the report on the page or
download it as CSV or JSON). Views parse, call a selector and render; the policy
and the audit are the selectors'."""

import tempfile
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import can_import_history, can_produce_returns
from safehub.casework.sections import MyWorkRead, Section
from safehub.core.users import SignedInRequest
from safehub.insight.forms import RefreshForm
from safehub.organisations.models import User
from safehub.returns import forms, selectors, services
from safehub.returns.annexa.spec import LISTS
from safehub.returns.cin.rules import CIN_RULES
from safehub.returns.cin.spec import YEARS
from safehub.returns.report import Report
from safehub.returns.ssda903.rules import S903_RULES
from safehub.returns.ssda903.spec import YEARS as YEARS_903
from safehub.ui.pagination import pagination


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("notices", list(messages.get_messages(request)))
    return render(request, template, context, status=status)


def _must_produce_returns(request: SignedInRequest) -> None:
    if not can_produce_returns(request.user):
        raise Http404


def _census_page(
    request: SignedInRequest, form: forms.CensusForm, status: int = 200
) -> HttpResponse:
    rules = {y: len(CIN_RULES.for_year(y)) for y in YEARS}
    return _render(request, "returns/cin.html", {"form": form, "rules": rules}, status=status)


@require_GET
def cin_view(request: SignedInRequest) -> HttpResponse:
    """Choose the census year (or a period within it) to produce."""
    _must_produce_returns(request)
    year = selectors.census_year_for(timezone.localdate()).name
    return _census_page(request, forms.CensusForm(initial={"year": year}))


@require_GET
def cin_census_view(request: SignedInRequest) -> HttpResponseBase:
    """The census file for the year or period chosen, as a download. It is written to a
    temporary file as it is read (a county's census is tens of megabytes)."""
    _must_produce_returns(request)
    form = forms.CensusForm(request.GET)
    if not form.is_valid():
        return _census_page(request, form, status=400)
    data = form.cleaned_data
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        made = selectors.cin_census_write(
            actor=request.user,
            out=out,
            year=data["year"],
            now=timezone.now(),
            start=data.get("start"),
            end=data.get("end"),
        )
    except ValueError as problem:
        out.close()
        form.add_error("end", str(problem))
        return _census_page(request, form, status=400)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=made.filename, content_type="application/xml"
    )


def _annex_a_page(
    request: SignedInRequest, form: forms.AnnexAForm, status: int = 200
) -> HttpResponse:
    return _render(request, "returns/annex_a.html", {"form": form, "lists": LISTS}, status=status)


@require_GET
def annex_a_view(request: SignedInRequest) -> HttpResponse:
    """Choose the last day of Ofsted's Annex A lists to produce."""
    _must_produce_returns(request)
    return _annex_a_page(request, forms.AnnexAForm(initial={"end": timezone.localdate()}))


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def annex_a_workbook_view(request: SignedInRequest) -> HttpResponseBase:
    """The Annex A workbook for the period chosen, as a download (written to a temporary
    file as it is produced)."""
    _must_produce_returns(request)
    form = forms.AnnexAForm(request.GET)
    if not form.is_valid():
        return _annex_a_page(request, form, status=400)
    end = form.cleaned_data["end"]
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    selectors.annex_a_write(actor=request.user, out=out, end=end)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=f"annex-a-{end:%Y%m%d}.xlsx", content_type=XLSX
    )


@require_http_methods(["GET", "POST"])
def cin_validate_view(request: SignedInRequest) -> HttpResponse:
    """Upload a census file; its report on the page, or as a CSV or JSON download."""
    _must_produce_returns(request)
    posted = request.method == "POST"
    form = forms.ValidateForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"report": "html"},
    )
    report = None
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        report = selectors.cin_file_validate(
            actor=request.user, filename=file.name, content=file.read()
        )
        download = _report_download(report, file.name, form.cleaned_data["report"], "census")
        if download is not None:
            return download
    return _render(
        request,
        "returns/cin_validate.html",
        {"form": form, "report": report},
        status=400 if posted and not form.is_valid() else 200,
    )


def _903_page(
    request: SignedInRequest, form: forms.Return903Form, status: int = 200
) -> HttpResponse:
    rules = {y: len(S903_RULES.for_year(y)) for y in YEARS_903}
    return _render(request, "returns/s903.html", {"form": form, "rules": rules}, status=status)


@require_GET
def s903_view(request: SignedInRequest) -> HttpResponse:
    """Choose the 903 collection year (or a period within it) to produce."""
    _must_produce_returns(request)
    year = selectors.collection_year_for(timezone.localdate()).name
    return _903_page(request, forms.Return903Form(initial={"year": year}))


@require_GET
def s903_files_view(request: SignedInRequest) -> HttpResponseBase:
    """The 903 files for the year or period chosen, as one zip download."""
    _must_produce_returns(request)
    form = forms.Return903Form(request.GET)
    if not form.is_valid():
        return _903_page(request, form, status=400)
    data = form.cleaned_data
    out = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    try:
        made = selectors.s903_write(
            actor=request.user,
            out=out,
            year=data["year"],
            start=data.get("start"),
            end=data.get("end"),
        )
    except ValueError as problem:
        out.close()
        form.add_error("end", str(problem))
        return _903_page(request, form, status=400)
    out.seek(0)
    return FileResponse(
        out, as_attachment=True, filename=made.filename, content_type="application/zip"
    )


@require_http_methods(["GET", "POST"])
def s903_validate_view(request: SignedInRequest) -> HttpResponse:
    """Upload a zip of 903 files; the report on the page, or as a CSV or JSON download."""
    _must_produce_returns(request)
    posted = request.method == "POST"
    year = selectors.collection_year_for(timezone.localdate()).name
    form = forms.Validate903Form(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial={"report": "html", "year": year},
    )
    report = None
    if posted and form.is_valid():
        file = form.cleaned_data["file"]
        report = selectors.s903_files_validate(
            actor=request.user,
            filename=file.name,
            content=file.read(),
            year=form.cleaned_data["year"],
        )
        download = _report_download(report, file.name, form.cleaned_data["report"], "ssda903")
        if download is not None:
            return download
    return _render(
        request,
        "returns/s903_validate.html",
        {"form": form, "report": report},
        status=400 if posted and not form.is_valid() else 200,
    )


def _import_page(
    request: SignedInRequest,
    form_class: type[forms.UploadForm],
    template: str,
    run: Callable[[Any, dict[str, Any]], Any],
) -> HttpResponse:
    """An earlier system's files uploaded to import as history, the report below: `run`
    takes the uploaded file and the form's other answers and returns the report."""
    if not can_import_history(request.user):
        raise Http404
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None)
    report = (
        run(form.cleaned_data["file"], form.cleaned_data) if posted and form.is_valid() else None
    )
    status = 400 if posted and not form.is_valid() else 200
    return _render(request, template, {"form": form, "report": report}, status=status)


@transaction.non_atomic_requests  # each batch of children commits, so a stopped import resumes
@require_http_methods(["GET", "POST"])
def cin_import_view(request: SignedInRequest) -> HttpResponse:
    """Upload an earlier system's census file to import as history; the report below."""
    return _import_page(
        request,
        forms.ImportForm,
        "returns/cin_import.html",
        lambda file, answers: services.cin_history_import(
            actor=request.user,
            content=file.read(),
            filename=file.name,
            now=timezone.now(),
            dry_run=answers["dry_run"],
        ),
    )


@transaction.non_atomic_requests  # each batch of children commits, so a stopped import resumes
@require_http_methods(["GET", "POST"])
def s903_import_view(request: SignedInRequest) -> HttpResponse:
    """Upload an earlier system's 903 files (a zip) to import as history; the report below."""
    return _import_page(
        request,
        forms.Import903Form,
        "returns/s903_import.html",
        lambda file, answers: services.s903_history_import(
            actor=request.user,
            files=file.read(),
            filename=file.name,
            year=answers["year"],
            now=timezone.now(),
            dry_run=answers["dry_run"],
        ),
    )


def _report_download(
    report: Report, filename: str, kind: str, fallback: str
) -> HttpResponse | None:
    """A validation report as the CSV or JSON download asked for, named after the file
    checked; None when it is to be shown on the page."""
    stem = filename.rsplit(".", 1)[0][:60] or fallback
    if kind == "csv":
        return _download(report.to_csv(), f"{stem}-report.csv", "text/csv; charset=utf-8")
    if kind == "json":
        return _download(report.to_json(), f"{stem}-report.json", "application/json")
    return None


def _download(text: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(text, content_type=content_type)
    safe = "".join(c for c in filename if c.isalnum() or c in "-_.") or "report"
    response["Content-Disposition"] = f'attachment; filename="{safe}"'
    return response


# --- The census check of the live records (ADR 0043) -------------------------------------


@require_GET
def validation_view(request: SignedInRequest) -> HttpResponse:
    """Open issues by rule, team and worker, the trend over runs, and a run on demand."""
    overview = selectors.validation_overview(actor=request.user)
    return _render(
        request, "returns/validation.html", {"overview": overview, "form": RefreshForm()}
    )


@require_POST
def validation_run_view(request: SignedInRequest) -> HttpResponse:
    form = RefreshForm(request.POST)
    job = services.validation_request(
        actor=request.user, once_key=form.once_key(request.user) if form.is_valid() else None
    )
    return redirect(reverse("insight:job", args=[job.pk]) if job else reverse("returns:validation"))


@require_GET
def validation_drill_view(request: SignedInRequest, by: str, key: str) -> HttpResponse:
    drill = selectors.validation_drill(
        actor=request.user, by=by, key=key, page=request.GET.get("page")
    )
    pages = pagination(
        request.path, {}, page=drill.page, pages=drill.pages, label="Pages of this list"
    )
    return _render(request, "returns/validation_drill.html", {"drill": drill, "pagination": pages})


def my_work_section(actor: User, today: date, read: MyWorkRead) -> Section | None:
    """The census issues in "my work" (casework.sections): the worker's own, and a
    manager's team's; the children named are in the page's audit row."""
    tasks = selectors.validation_tasks(actor=actor, read=read)
    if not tasks:
        return None
    return Section(
        template="returns/_my_work.html",
        context={"tasks": tasks},
        listed="returns.validation_tasks",
        shown=tuple(t.issue.child_id for t in tasks if t.visible and t.issue.child_id),
    )
