"""The performance pages: thin (parse, call one service or selector, render)."""

from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.spreadsheet import spreadsheet_csv
from safehub.core.users import SignedInRequest
from safehub.insight import figures, forms, selectors, services
from safehub.insight.fetchers import access_job
from safehub.insight.models import JobKind
from safehub.insight.report_pdf import quarter_name
from safehub.ui.forms_util import add_service_errors
from safehub.ui.pagination import pagination


def _render(
    request: SignedInRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    forms_in = [v for v in context.values() if hasattr(v, "errors") and hasattr(v, "fields")]
    context.setdefault("has_errors", any(f.errors for f in forms_in))
    context.setdefault("nav_items", nav_for(request))
    context.setdefault("notices", list(messages.get_messages(request)))
    return render(request, template, context, status=status)


def _csv(name: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(spreadsheet_csv(header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def dashboard_view(request: SignedInRequest) -> HttpResponse:
    board = selectors.dashboard(actor=request.user)
    return _render(
        request,
        "insight/dashboard.html",
        {
            "board": board,
            "jobs": selectors.recent_jobs(actor=request.user, kind=JobKind.FIGURES),
            "refresh": forms.RefreshForm(),
        },
    )


def dashboard_csv_view(request: SignedInRequest) -> HttpResponse:
    rows = selectors.dashboard_csv_rows(actor=request.user)
    return _csv("performance-figures.csv", selectors.CSV_HEADER, rows)


@require_POST
def figures_refresh_view(request: SignedInRequest) -> HttpResponse:
    form = forms.RefreshForm(request.POST)
    job = services.job_request(
        actor=request.user,
        kind=JobKind.FIGURES,
        params={"as_of": timezone.localdate().isoformat()},
        once_key=form.once_key(request.user) if form.is_valid() else None,
    )
    return redirect(reverse("insight:job", args=[job.pk]) if job else reverse("insight:dashboard"))


def _figure_month(code: str, month: str) -> tuple[str, date]:
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    if code not in figures.FIGURES:
        raise Http404
    return code, first


def figure_view(request: SignedInRequest, code: str, month: str) -> HttpResponse:
    code, first = _figure_month(code, month)
    met = {"yes": True, "no": False}.get(request.GET.get("met", ""))
    drill = selectors.figure_drill(
        actor=request.user, code=code, month=first, met=met, page=request.GET.get("page")
    )
    kept = {} if met is None else {"met": "yes" if met else "no"}
    pages = pagination(
        request.path, kept, page=drill.page, pages=drill.pages, label="Pages of this list"
    )
    return _render(
        request,
        "insight/figure.html",
        {"drill": drill, "month_key": month, "pagination": pages},
    )


def figure_csv_view(request: SignedInRequest, code: str, month: str) -> HttpResponse:
    code, first = _figure_month(code, month)
    _, rows = selectors.figure_csv_rows(actor=request.user, code=code, month=first)
    return _csv(f"{code}-{month}.csv", selectors.FIGURE_CSV_HEADER, rows)


def _offered(value: object, quarters: list[tuple[str, str]]) -> str:
    """The quarter asked for if it is one offered, else the latest: what was typed into the
    address or posted may be anything, and the form already says it is not a choice."""
    return value if isinstance(value, str) and value in dict(quarters) else quarters[0][0]


@require_http_methods(["GET", "POST"])
def report_view(request: SignedInRequest) -> HttpResponse:
    quarters = forms.ended_quarters(timezone.localdate())
    form = forms.QuarterForm(
        request.POST if request.method == "POST" else None,
        quarters=quarters,
        initial={"quarter": request.GET.get("quarter") or quarters[0][0]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.job_request(
                actor=request.user,
                kind=JobKind.COMMITTEE_REPORT,
                params={"quarter_start": form.cleaned_data["quarter"]},
                once_key=form.once_key(request.user),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect(reverse("insight:job", args=[job.pk]) if job else request.path)
    chosen = date.fromisoformat(_offered(form["quarter"].value(), quarters))
    return _render(
        request,
        "insight/report.html",
        {
            "form": form,
            "jobs": selectors.report_jobs(actor=request.user),
            "commentary": selectors.commentary_for(actor=request.user, quarter=chosen),
            "chosen": chosen,
            "quarter_label": quarter_name(chosen),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def commentary_view(request: SignedInRequest) -> HttpResponse:
    quarters = dict(forms.ended_quarters(timezone.localdate()))
    key = request.GET.get("quarter", "")
    if key not in quarters:
        raise Http404
    quarter = date.fromisoformat(key)
    current = selectors.commentary_for(actor=request.user, quarter=quarter)
    form = (
        forms.CommentaryForm(request.POST)
        if request.method == "POST"
        else forms.CommentaryForm.for_commentary(current)
    )
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.commentary_save(
                actor=request.user,
                quarter=quarter,
                text=form.cleaned_data["text"],
                expected_version=form.cleaned_data["version"],
                once_key=form.once_key(request.user),
            )
        except ConcurrentEditError:
            form.add_error(
                "text",
                "Someone else saved the commentary while you were writing. Copy your words, "
                "reload the page and add them again",
            )
            status = 409
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Commentary saved")
            return redirect(reverse("insight:report") + f"?quarter={key}")
    return _render(
        request,
        "insight/commentary.html",
        {"form": form, "quarter_label": quarters[key], "quarter_key": key},
        status=400 if form.errors and status == 200 else status,
    )


def job_view(request: SignedInRequest, job_id: int) -> HttpResponse:
    job = access_job(actor=request.user, job_id=job_id)
    return _render(request, "insight/job.html", {"job": job})


def job_file_view(request: SignedInRequest, job_id: int) -> HttpResponse:
    job = access_job(actor=request.user, job_id=job_id, download=True)
    response = HttpResponse(bytes(job.file_content or b""), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{job.file_name}"'
    return response
