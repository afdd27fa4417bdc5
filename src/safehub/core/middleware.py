import uuid
from collections.abc import Callable
from typing import cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import get_resolver

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


class SecurityHeadersMiddleware:
    """Sets where the request came from for the audit trail (the client's address, through
    any trusted proxies: `core.client_ip`), a request id, a strict content
    security policy, and no-store on every signed-in page so case data is never cached."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = str(uuid.uuid4())
        token = current_origin.set(
            RequestOrigin(
                ip_address=client_ip(request) or None,
                request_id=request_id,
                channel="web",
            )
        )
        try:
            response = self.get_response(request)
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


def _error_page(status: int) -> Callable[[HttpRequest, Exception], HttpResponse]:
    """The project's handler404 or handler403. django-stubs types every error handler as
    taking the request alone, which only handler500 does; these two take the exception."""
    return cast(
        Callable[[HttpRequest, Exception], HttpResponse],
        get_resolver().resolve_error_handler(status),
    )
