import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

# Routes a signed-in user may reach before completing the second factor.
HALF_SIGNED_IN_ROUTES = {"ui:sign-in-verify", "ui:sign-in-setup", "ui:sign-out"}
SIGNED_IN_AT = "signed_in_at"


class SessionLimitsMiddleware:
    """Ends a session past its absolute lifetime (idle expiry is the session cookie age,
    renewed on each request)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            started = request.session.get(SIGNED_IN_AT)
            if started is None or time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A password alone reaches nothing: until the TOTP code is verified, a signed-in user is
    sent to set up or enter their code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not user.is_verified():  # type: ignore[union-attr]
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            public = getattr(match.func, "login_required", True) is False
            if match.view_name not in HALF_SIGNED_IN_ROUTES and not public:
                return redirect("ui:sign-in-verify")
        return self.get_response(request)
