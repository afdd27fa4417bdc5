import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.functional import LazyObject, empty
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware, is_verified

from safehub.access.backends import device_read_with_user, session_device_id
from safehub.access.services import form_draft_keep, form_draft_take
from safehub.ui.forms_util import restored_form

# Routes a signed-in user may reach before completing the second factor.
HALF_SIGNED_IN_ROUTES = {"ui:sign-in-verify", "ui:sign-in-setup", "ui:sign-out"}
SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# Kept in the session that follows one that ended: why it ended, where to go back to after
# signing in again, and the draft to put back there.
SIGNED_OUT_BECAUSE = "signed_out_because"
NEXT_AFTER_SIGN_IN = "next_after_sign_in"
RESTORE_DRAFT = "restore_draft"
# Sent by the timeout warning's script with the form open on the page when the time runs
# out: keep it as a draft even if the server's clock is a moment behind the browser's.
TIMED_OUT_FIELD = "session_timed_out"


def not_activity(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view whose requests do not count as activity: the timeout warning asking how
    long is left must not itself keep the session alive."""
    view.renews_session = False  # type: ignore[attr-defined]
    return view


def seconds_left(request: HttpRequest) -> int:
    """How long the signed-in session has before it ends, idle or at its absolute limit."""
    session, now = request.session, time.time()
    started = session.get(SIGNED_IN_AT) or 0
    seen = session.get(LAST_SEEN, started)
    return max(
        0,
        int(
            min(
                settings.SESSION_IDLE_SECONDS - (now - seen),
                settings.SESSION_ABSOLUTE_SECONDS - (now - started),
            )
        ),
    )


def session_extend(request: HttpRequest) -> None:
    """The user asked for more time: the idle clock starts again now."""
    request.session[LAST_SEEN] = time.time()


class SignedInDeviceMiddleware(OTPMiddleware):
    """django-otp's middleware, given the device the session names to read with the user
    (`access.backends.StaffBackend.get_user`) rather than in a query of its own."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        token = session_device_id.set(session.get(DEVICE_ID_SESSION_KEY) if session else None)
        try:
            return super().__call__(request)
        finally:
            session_device_id.reset(token)
            device_read_with_user.set(None)

    def _device_from_persistent_id(self, persistent_id: str) -> Any:
        device = device_read_with_user.get()
        if device is not None and device.persistent_id == self._normalize_persistent_id(
            persistent_id
        ):
            return device
        return super()._device_from_persistent_id(persistent_id)


class ResolvedUserMiddleware:
    """Puts the signed-in user on the request as the user itself. Django's authentication
    and django-otp each wrap `request.user` in a lazy proxy, so every attribute read (the
    policy reads the role several times a page, the navigation dozens) passed through two
    proxies. Every request reads the user anyway (the session limits below, the sign-in
    requirement), so nothing is loaded that would not have been."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = request.user
        while isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        request.user = user
        return self.get_response(request)


class SessionLimitsMiddleware:
    """Ends a session idle for longer than SESSION_IDLE_SECONDS or older than its absolute
    lifetime, both checked here on every request. The last-seen time is written back at
    most once every SESSION_RENEW_SECONDS, so reading a page does not write the session row
    each time.

    Nothing typed is lost when a session ends: a form sent after the end is kept as a draft
    (access.services.form_draft_keep), and once its author has signed in again they are
    brought back to its page with the form filled in as they sent it (ADR 0018)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            reason = self._ended(request)
            if reason and _wants_json(request):
                # A script asking (the timeout warning, a draft's autosave) is told, and the
                # session is left for the page's own next request, which may carry a form.
                return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
            if reason:
                return self._end(request, reason)
            restoring = self._restore(request)
            if restoring is not None:
                try:
                    return self.get_response(request)
                finally:
                    restored_form.reset(restoring)
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> None:
        """Count the request as activity, unless its view says it is not."""
        if not request.user.is_authenticated or not getattr(view, "renews_session", True):
            return
        session, now = request.session, time.time()
        if now - session.get(LAST_SEEN, session.get(SIGNED_IN_AT) or 0) >= (
            settings.SESSION_RENEW_SECONDS
        ):
            session[LAST_SEEN] = now

    def _ended(self, request: HttpRequest) -> str:
        session, now = request.session, time.time()
        started = session.get(SIGNED_IN_AT)
        if started is None or now - started > settings.SESSION_ABSOLUTE_SECONDS:
            return "absolute"
        if now - session.get(LAST_SEEN, started) > settings.SESSION_IDLE_SECONDS:
            return "idle"
        if request.method == "POST" and request.POST.get(TIMED_OUT_FIELD):
            return "idle"
        return ""

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        user = request.user
        draft = None
        if request.method == "POST" and _csrf_passes(request) and not _wants_json(request):
            draft = form_draft_keep(
                user=user,  # type: ignore[arg-type]
                page=_form_page(request),
                action=request.get_full_path(),
                data=request.POST,
            )
        logout(request)
        session = request.session
        session[SIGNED_OUT_BECAUSE] = reason
        if draft is not None:
            session[NEXT_AFTER_SIGN_IN] = draft.page
            session[RESTORE_DRAFT] = draft.pk
        elif request.method == "GET" and not _wants_json(request):
            session[NEXT_AFTER_SIGN_IN] = request.get_full_path()
        return redirect(settings.LOGIN_URL)

    def _restore(self, request: HttpRequest) -> Any:
        """Once fully signed in again, the first visit to the kept form's page gets it back."""
        if RESTORE_DRAFT not in request.session or not is_verified(request.user):
            return None
        draft_id = request.session.pop(RESTORE_DRAFT)
        if request.method != "GET":
            return None
        draft = form_draft_take(
            user=request.user,  # type: ignore[arg-type]
            draft_id=draft_id,
            page=request.get_full_path(),
        )
        if draft is None:
            return None
        data = QueryDict(mutable=True)
        for name, values in draft.fields.items():
            data.setlist(name, values)
        return restored_form.set(data)


def _csrf_passes(request: HttpRequest) -> bool:
    """A form is kept only if it is the user's own, sent from a SafeHub page (the CSRF
    check runs later for the view, which an ended session never reaches)."""
    refusal = CsrfViewMiddleware(lambda r: HttpResponse()).process_view(
        request, lambda r: HttpResponse(), (), {}
    )
    return refusal is None


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _form_page(request: HttpRequest) -> str:
    """The page the form was on: where it came from, if that was a SafeHub page, else the
    address it was sent to (a form page sends to itself)."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.get_full_path()


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
