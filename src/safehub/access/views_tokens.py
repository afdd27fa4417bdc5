"""API tokens under /users/: system administrators see every token (whose, what for, when
made, when it expires, when last used, whether revoked) and revoke one with a button."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from safehub.access.navigation import nav_for
from safehub.access.policy import can_manage_users
from safehub.access.services import api_token_list, api_token_revoke
from safehub.core.users import SignedInRequest


def _admin_only(request: SignedInRequest) -> None:
    if not can_manage_users(request.user):
        raise Http404


@require_GET
def api_token_list_view(request: SignedInRequest) -> HttpResponse:
    _admin_only(request)
    return render(
        request,
        "access/api_tokens.html",
        {
            "tokens": api_token_list(actor=request.user),
            "notices": list(messages.get_messages(request)),
            "nav_items": nav_for(request),
        },
    )


@require_POST
def api_token_revoke_view(request: SignedInRequest, token_id: int) -> HttpResponse:
    _admin_only(request)
    token = api_token_revoke(actor=request.user, token_id=token_id)
    messages.success(
        request, f"The token “{token.name}” for {token.user} was revoked. It no longer works."
    )
    return redirect("api-tokens:token-list")
