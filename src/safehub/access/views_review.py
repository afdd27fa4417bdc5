"""The data protection officer's pages: who accessed what (the audit trail), the
break-glass review queue and user administration."""

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.forms import AuditFilterForm, ReviewForm
from safehub.access.navigation import nav_for
from safehub.access.policy import can_review_audit
from safehub.access.roles import Role
from safehub.access.selectors import (
    audit_events_for_person,
    audit_events_for_user,
    break_glass_queue,
    staff_by_username,
    user_admin_events,
)
from safehub.access.services import break_glass_review
from safehub.core.users import SignedInRequest


def _require_dpo(request: SignedInRequest) -> None:
    if not can_review_audit(request.user):
        raise Http404


@require_http_methods(["GET"])
def audit_home_view(request: SignedInRequest) -> HttpResponse:
    """Filter by person or by member of staff and a date range. GET keeps the filter
    bookmarkable; it carries ids and usernames, never a person's details."""
    _require_dpo(request)
    form = AuditFilterForm(request.GET or None)
    result, subject = None, None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        page = request.GET.get("page")
        if data["person_id"]:
            subject = f"SafeHub ID {data['person_id']}"
            result = audit_events_for_person(
                actor=request.user,
                person_id=data["person_id"],
                date_from=data["date_from"],
                date_to=data["date_to"],
                page=page,
            )
        else:
            user = staff_by_username(data["username"])
            if user is None:
                form.add_error("username", "No member of staff has that username")
            else:
                subject = f"{user} ({user.username})"
                result = audit_events_for_user(
                    actor=request.user,
                    user_id=user.pk,
                    date_from=data["date_from"],
                    date_to=data["date_to"],
                    page=page,
                )
    return render(
        request,
        "audit/home.html",
        {
            "form": form,
            "result": result,
            "subject": subject,
            "nav_items": nav_for(request),
            "has_errors": bool(form.errors),
            "query": request.GET.urlencode(),
            "list_names": LIST_NAMES,
        },
    )


# The lists that name people, as the audit page names them.
LIST_NAMES = {
    "casework.my_work": "My work",
    "casework.team_work": "Team page",
    "frontdoor.mash_queue": "MASH queue",
    "frontdoor.referrals_made": "Referrals made",
    "frontdoor.information_requests": "Information requests",
}


def break_glass_queue_view(request: SignedInRequest) -> HttpResponse:
    _require_dpo(request)
    return render(
        request,
        "audit/break_glass_queue.html",
        {
            "grants": break_glass_queue(actor=request.user),
            "form": ReviewForm(),
            "nav_items": nav_for(request),
        },
    )


@require_POST
def break_glass_review_view(request: SignedInRequest, grant_id: int) -> HttpResponse:
    _require_dpo(request)
    form = ReviewForm(request.POST)
    form.is_valid()
    break_glass_review(
        actor=request.user, grant_id=grant_id, note=form.cleaned_data.get("note", "")
    )
    return redirect("audit:break-glass-queue")


def user_admin_log_view(request: SignedInRequest) -> HttpResponse:
    _require_dpo(request)
    return render(
        request,
        "audit/user_admin.html",
        {
            "result": user_admin_events(actor=request.user, page=request.GET.get("page")),
            "role_labels": dict(Role.choices),
            "nav_items": nav_for(request),
        },
    )
