import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django_otp.middleware import is_verified

# Routes a signed-in user may reach before completing the second factor.
HALF_SIGNED_IN_ROUTES = {"ui:sign-in-verify", "ui:sign-in-setup", "ui:sign-out"}
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"


class SessionLimitsMiddleware:
    """Ends a session idle for longer than SESSION_COOKIE_AGE or older than its absolute
    lifetime, both checked here on every request. The last-seen time is written back at
    most once every SESSION_RENEW_SECONDS (a save also moves the stored session's expiry
    on), so reading a page does not write the session row each time."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session, now = request.session, time.time()
            started = session.get(SIGNED_IN_AT)
            seen = session.get(LAST_SEEN, started)
            if (
                started is None
                or now - started > settings.SESSION_ABSOLUTE_SECONDS
                or now - seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
                return redirect(settings.LOGIN_URL)
            if now - seen >= settings.SESSION_RENEW_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)


class SecondFactorRequiredMiddleware:
    """A password alone reaches nothing: until the TOTP code is verified, a signed-in user is
    sent to set up or enter their code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not is_verified(user):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return self.get_response(request)
            public = getattr(match.func, "login_required", True) is False
            if match.view_name not in HALF_SIGNED_IN_ROUTES and not public:
                return redirect("ui:sign-in-verify")
        return self.get_response(request)
