"""Sign-in: password, then a TOTP second factor (set up on first sign-in). Repeated failures
lock the account by username (django-axes); the message never says whether it exists."""

import base64
import time
from typing import Any

import segno
from django.contrib import auth
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.forms import CodeForm, SignInForm
from safehub.access.middleware import SIGNED_IN_AT
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.users import SignedInRequest

SIGN_IN_ERROR = "Enter a correct username and password"
LOCKED_MESSAGE = (
    "There have been too many attempts to sign in to this account. "
    "Wait 30 minutes and try again, or ask your system administrator to unlock it."
)


def locked_out(
    request: HttpRequest, credentials: Any = None, *args: Any, **kw: Any
) -> HttpResponse:
    form = SignInForm(request.POST if request.method == "POST" else None)
    form.is_valid()
    form.add_error(None, LOCKED_MESSAGE)
    return render(request, "access/sign_in.html", {"form": form, "has_errors": True}, status=429)


@login_not_required
def sign_in(request: HttpRequest) -> HttpResponse:
    form = SignInForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = auth.authenticate(
            request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if getattr(request, "axes_locked_out", False):
            return locked_out(request)
        if user is None:
            audit_record(
                actor=None,
                action=AuditAction.SIGN_IN_FAILED,
                detail={"username": form.cleaned_data["username"][:150]},
            )
            form.add_error(None, SIGN_IN_ERROR)
        else:
            auth.login(request, user)
            request.session[SIGNED_IN_AT] = time.time()
            has_device = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
            return redirect("ui:sign-in-verify" if has_device else "ui:sign-in-setup")
    return render(request, "access/sign_in.html", {"form": form, "has_errors": bool(form.errors)})


def _finish(request: SignedInRequest, device: TOTPDevice) -> HttpResponse:
    otp_login(request, device)
    # Fully signed in now: a new session id, so one seen between the two steps is useless.
    request.session.cycle_key()
    audit_record(actor=request.user, action=AuditAction.SIGN_IN)
    next_url = request.session.pop("next_after_sign_in", None)
    return redirect(next_url or "ui:home")  # each role starts where its work is


def sign_in_verify(request: SignedInRequest) -> HttpResponse:
    devices = TOTPDevice.objects.filter(user=request.user, confirmed=True)
    if not devices.exists():
        return redirect("ui:sign-in-setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for device in devices:
            if device.verify_token(form.cleaned_data["code"]):
                return _finish(request, device)
        audit_record(
            actor=request.user, action=AuditAction.SIGN_IN_FAILED, detail={"step": "second factor"}
        )
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
