import logging
import time
import uuid
from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import get_resolver, reverse

from safehub.core.client_ip import client_ip
from safehub.core.context import RequestOrigin, current_origin
from safehub.core.exceptions import BreakGlassRequired, NotFound, PermissionDeniedError

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
# One line per request when LOG_REQUESTS is on: the path without its query string (a search
# for a child's name must not reach the logs), the status and the time taken.
request_logger = logging.getLogger("safehub.request")


class SecurityHeadersMiddleware:
    """Sets where the request came from for the audit trail (the client's address, through
    any trusted proxies: `core.client_ip`), a request id (logged with each request:
    `core.logging`), a strict content
    security policy, and no-store on every signed-in page so case data is never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        request.request_id = request_id  # type: ignore[attr-defined]  # for core.logging
        token = current_origin.set(
            RequestOrigin(
                ip_address=client_ip(request) or None,
                request_id=request_id,
                channel="web",
            )
        )
        started = time.monotonic()
        try:
            response = self.get_response(request)
            request_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        finally:
            current_origin.reset(token)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers["X-Request-ID"] = request_id
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response


class DomainErrorMiddleware:
    """The one place the errors services and fetchers raise become pages: "not found"
    (missing or not allowed, one answer for both) is the 404 page, "not permitted" the 403
    page, and a restricted record the user may open only by breaking the glass sends them
    to the break-glass page, whichever view it was. Views let these errors through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BreakGlassRequired):
            return redirect("people:person-break-glass", person_id=exception.person_id)
        if isinstance(exception, NotFound):
            return _error_page(404)(request, Http404(exception.message))
        if isinstance(exception, PermissionDeniedError):
            return _error_page(403)(request, PermissionDenied(exception.message))
        return None


class RequestSizeLimitMiddleware:
    """The one place a request body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused: 413, with
    the configured limit in plain English, as the API's problem shape under /api/v1/ and as a
    page everywhere else (signed-in forms and the public report form alike). Nothing after
    it runs, so nothing is saved.

    Django's own check decides (the declared length first, then what actually arrives), run
    here by reading the body before anything else does; otherwise it would surface wherever
    the body was first read (the CSRF check, the API's parser) as a 400 or a 500."""

    BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in self.BODY_METHODS:
            try:
                request.body  # noqa: B018 - read here so the size check happens here
            except RequestDataTooBig:
                return request_too_large(request)
            except UnreadablePostError:
                pass  # the client went away; Django treats the body as empty, as before
        return self.get_response(request)


def request_too_large(request: HttpRequest) -> HttpResponse:
    limit = filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    if request.path_info.startswith(reverse("api-v1:api-root")):
        message = (
            f"The request body is larger than {limit}, the most this service accepts in one "
            "request. Nothing was saved; send less at once."
        )
        return JsonResponse({"message": message, "errors": {}}, status=413)
    return render(request, "errors/413.html", {"limit": limit}, status=413)


def _error_page(status: int) -> Callable[[HttpRequest, Exception], HttpResponse]:
    """The project's handler404 or handler403. django-stubs types every error handler as
    taking the request alone, which only handler500 does; these two take the exception."""
    return cast(
        Callable[[HttpRequest, Exception], HttpResponse],
        get_resolver().resolve_error_handler(status),
    )
