"""Sign-in: password, then a TOTP second factor (set up on first sign-in). Repeated wrong
passwords and codes lock the account by username (django-axes, see access.services); the
message never says whether it exists."""

import base64
import time
from typing import Any

import segno
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.forms import CodeForm, SignInForm
from safehub.access.middleware import (
    NEXT_AFTER_SIGN_IN,
    RESTORE_DRAFT,
    SIGNED_IN_AT,
    SIGNED_OUT_BECAUSE,
    not_activity,
    seconds_left,
    session_extend,
)
from safehub.access.services import (
    form_draft_waiting,
    second_factor_check,
    sign_in_complete,
    sign_in_password,
)
from safehub.core.users import SignedInRequest

SIGN_IN_ERROR = "Enter a correct username and password"


def locked_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        "This account is locked after too many attempts to sign in with a wrong password "
        "or security code. Ask your system administrator to unlock it, or wait "
        f"{minutes} minutes and try again."
    )


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kw: Any
) -> HttpResponse:
    """The lockout page (AXES_LOCKOUT_CALLABLE) for a wrong password or code: the sign-in
    page saying the account is locked. A session this request had is over."""
    if request.user.is_authenticated:
        auth.logout(request)
    form = SignInForm(request.POST if request.method == "POST" else None)
    form.is_valid()
    form.add_error(None, locked_message())
    return render(request, "access/sign_in.html", {"form": form, "has_errors": True}, status=429)


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = sign_in_password(
            request=request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            form.add_error(None, SIGN_IN_ERROR)
        else:
            auth.login(request, user)
            request.session[SIGNED_IN_AT] = time.time()
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            return redirect("ui:sign-in-verify" if has_device else "ui:sign-in-setup")
    return render(
        request,
        "access/sign_in.html",
        {
            "form": form,
            "has_errors": bool(form.errors),
            "signed_out_because": request.session.get(SIGNED_OUT_BECAUSE, ""),
            "draft_kept": RESTORE_DRAFT in request.session,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
            "absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        },
    )


def _finish(request: SignedInRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    # Fully signed in now: a new session id, so one seen between the two steps is useless.
    request.session.cycle_key()
    sign_in_complete(user=request.user)
    session = request.session
    session.pop(SIGNED_OUT_BECAUSE, None)
    next_url = session.pop(NEXT_AFTER_SIGN_IN, None)
    if RESTORE_DRAFT not in session and (draft := form_draft_waiting(user=request.user)):
        # A form kept when a session ended, here or on another device: back to it.
        next_url, session[RESTORE_DRAFT] = draft.page, draft.pk
    return redirect(next_url or "ui:home")  # each role starts where its work is


def sign_in_verify(request: SignedInRequest) -> HttpResponse:
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return redirect("ui:sign-in-setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        device = second_factor_check(
            request=request, user=request.user, code=form.cleaned_data["code"], step="second factor"
        )
        if device is not None:
            return _finish(request, device)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        form.add_error("code", "The security code is not correct or has expired")
    return render(request, "access/verify.html", {"form": form, "has_errors": bool(form.errors)})


def sign_in_setup(request: SignedInRequest) -> HttpResponse:
    """First sign-in: show a QR code and key for an authenticator app, then confirm a code."""
    if TOTPDevice.objects.filter(user=request.user, confirmed=True).exists():
        return redirect("ui:sign-in-verify")
    device, _ = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            return _finish(request, device)
        form.add_error(
            "code",
            "The security code is not correct. Check the time on your "
            "phone is right and try the newest code",
        )
    secret = base64.b32encode(device.bin_key).decode()
    qr_svg = segno.make(device.config_url, error="m").svg_data_uri(scale=5)
    return render(
        request,
        "access/setup.html",
        {
            "form": form,
            "has_errors": bool(form.errors),
            "secret": secret,
            "qr_svg": qr_svg,
        },
    )


@require_POST
@login_not_required
def sign_out(request: HttpRequest) -> HttpResponse:
    auth.logout(request)
    return redirect("ui:sign-in")


@not_activity
@require_GET
def session_status(request: SignedInRequest) -> JsonResponse:
    """How long this session has left. Asking is not activity: the timeout warning asks
    before it shows, in case another tab or an autosave has kept the session alive."""
    return JsonResponse({"seconds_left": seconds_left(request)})


@require_POST
def session_extend_view(request: SignedInRequest) -> HttpResponse:
    """ "Stay signed in": the idle clock starts again. The warning's script gets JSON; a
    plain form post goes back to the page it came from."""
    session_extend(request)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"seconds_left": seconds_left(request)})
    back = request.headers.get("Referer", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("ui:home")
