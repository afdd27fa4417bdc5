from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import can_administer, can_decide_access_grant, can_manage_users
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.users import SignedInRequest
from safehub.organisations import services
from safehub.organisations.forms import NewUserForm, UserForm
from safehub.organisations.models import User
from safehub.organisations.selectors import (
    access_grant_for,
    access_grants_pending,
    user_get,
    user_list,
)
from safehub.ui.forms_util import add_service_errors


def _admin_only(request: SignedInRequest) -> None:
    if not can_manage_users(request.user):
        raise Http404


def _user(user_id: int) -> User:
    user = user_get(user_id)
    if user is None:
        raise Http404
    return user


def _page(request: SignedInRequest, template: str, context: dict) -> HttpResponse:
    form = context.get("form")
    context.update(
        nav_items=nav_for(request),
        has_errors=bool(form and form.errors),
        notices=list(messages.get_messages(request)),
    )
    return render(request, template, context)


def user_list_view(request: SignedInRequest) -> HttpResponse:
    _admin_only(request)
    return _page(
        request,
        "organisations/user_list.html",
        {
            "users": user_list(actor=request.user),
            "grants": access_grants_pending(actor=request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def user_create_view(request: SignedInRequest) -> HttpResponse:
    _admin_only(request)
    form = NewUserForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            user = services.user_create(
                actor=request.user,
                username=data.pop("username"),
                password=data.pop("password"),
                data=data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if access_grant_for(user):
                messages.success(request, f"{user} was added. {WAITING}")
            return redirect("organisations:user-list")
    return _page(request, "organisations/user_form.html", {"form": form, "creating": True})


WAITING = (
    "Their role and team need a second administrator's approval before they give any "
    "access; until then the account cannot sign in to anything new."
)


@require_http_methods(["GET", "POST"])
def user_edit_view(request: SignedInRequest, user_id: int) -> HttpResponse:
    _admin_only(request)
    user = _user(user_id)
    if not can_administer(request.user, user):
        raise PermissionDeniedError(services.NOT_YOURSELF)
    initial = {f: getattr(user, f) for f in services.USER_FIELDS}
    form = UserForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.user_update(actor=request.user, user=user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if grant:
                messages.success(request, f"{user}'s details are saved. {WAITING}")
            return redirect("organisations:user-list")
    grant = access_grant_for(user)
    return _page(
        request,
        "organisations/user_form.html",
        {
            "form": form,
            "creating": False,
            "subject": user,
            "grant": grant,
            "can_decide": grant is not None and can_decide_access_grant(request.user, grant),
        },
    )


@require_POST
def access_grant_decide_view(request: SignedInRequest, grant_id: int) -> HttpResponse:
    """The second administrator approves or refuses a grant of access."""
    _admin_only(request)
    if request.POST.get("decision") == "approve":
        grant = services.access_grant_approve(actor=request.user, grant_id=grant_id)
        messages.success(request, f"{grant.user} now has the role and team asked for.")
    else:
        grant = services.access_grant_refuse(
            actor=request.user, grant_id=grant_id, note=request.POST.get("note", "")
        )
        messages.success(request, f"The change for {grant.user} was refused.")
    return redirect("organisations:user-list")


@require_POST
def user_unlock_view(request: SignedInRequest, user_id: int) -> HttpResponse:
    _admin_only(request)
    services.user_unlock(actor=request.user, user=_user(user_id))
    return redirect("organisations:user-edit", user_id=user_id)


@require_POST
def user_reset_second_factor_view(request: SignedInRequest, user_id: int) -> HttpResponse:
    _admin_only(request)
    services.user_reset_second_factor(actor=request.user, user=_user(user_id))
    return redirect("organisations:user-edit", user_id=user_id)


@require_POST
def user_end_sessions_view(request: SignedInRequest, user_id: int) -> HttpResponse:
    _admin_only(request)
    user = _user(user_id)
    ended = services.user_end_sessions(actor=request.user, user=user)
    messages.success(
        request, f"{user} was signed out of {ended} session{'' if ended == 1 else 's'}."
    )
    return redirect("organisations:user-edit", user_id=user_id)


@require_POST
def sessions_end_all_view(request: SignedInRequest) -> HttpResponse:
    _admin_only(request)
    ended = services.sessions_end_all(actor=request.user, keep=request.session.session_key)
    messages.success(
        request, f"Everyone else was signed out ({ended} session{'' if ended == 1 else 's'})."
    )
    return redirect("organisations:user-list")
