from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from safehub.audit.services import refusals_written_after


class RefusalAuditMiddleware:
    """Writes the refusals a request met (see `audit_refusal`) once the request's own
    transaction, which a refusal rolls back, is over."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with refusals_written_after():
            return self.get_response(request)
