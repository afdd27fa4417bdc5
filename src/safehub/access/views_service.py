"""The pages every member of staff starts from: home (each role sent to where its work
starts), their account and what their role lets them do, help for each role, and the
accessibility statement."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from safehub.access.navigation import nav_for
from safehub.access.policy import (
    RULES,
    can_manage_users,
    can_refer,
    can_review_audit,
    can_search_people,
    can_see_front_door_figures,
    can_work_mash_queue,
    holds_cases,
    leads_a_casework_team,
    reviews_children_in_care,
    rules_for,
)
from safehub.access.roles import Role
from safehub.core.users import SignedInRequest


def home_view(request: SignedInRequest) -> HttpResponse:
    """Send each role to where its work starts."""
    user = request.user
    if leads_a_casework_team(user):
        return redirect("casework:team-work")
    if can_work_mash_queue(user):
        return redirect("frontdoor:contact-queue")
    if can_refer(user):
        return redirect("frontdoor:referral-list")
    if holds_cases(user):
        return redirect("casework:my-work")
    if reviews_children_in_care(user):
        return redirect("careplanning:iro-work")
    if can_search_people(user):
        return redirect("people:person-search")
    if can_review_audit(user):
        return redirect("audit:audit-home")
    if can_manage_users(user):
        return redirect("organisations:user-list")
    if can_see_front_door_figures(user):
        return redirect("frontdoor:queue-health")
    return redirect("ui:account")


def account_view(request: SignedInRequest) -> HttpResponse:
    """Who you are signed in as and what your role lets you do."""
    rules = rules_for(request.user)
    return render(
        request,
        "ui/account.html",
        {
            "nav_items": nav_for(request),
            "rules": rules,
            "known_role": request.user.role in RULES,
        },
    )


@require_GET
@login_not_required
def accessibility_view(request: HttpRequest) -> HttpResponse:
    return render(request, "ui/accessibility.html", {"nav_items": nav_for(request)})


def help_view(request: SignedInRequest, role: str = "") -> HttpResponse:
    """A short guide for each role: the signed-in user's own first (or the one asked for),
    then links to the others, so anyone can see how colleagues in other roles use SafeHub."""
    own = request.user.role
    shown = role or own
    if shown not in Role.values:
        raise Http404
    return render(
        request,
        "help/help.html",
        {
            "nav_items": nav_for(request),
            "shown": Role(shown),
            "own": own,
            "others": [r for r in Role if r != shown],
        },
    )
