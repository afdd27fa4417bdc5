import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from safehub.core.client_ip import client_ip
from safehub.core.context import RequestOrigin, current_origin

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


class RestrictedRecordMiddleware:
    """Any page that reaches a restricted record the user may open only by breaking the
    glass is sent to the break-glass page, whichever view it was."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import redirect

        from safehub.core.exceptions import BreakGlassRequired

        if isinstance(exception, BreakGlassRequired):
            return redirect("people:person-break-glass", person_id=exception.person_id)
        return None
