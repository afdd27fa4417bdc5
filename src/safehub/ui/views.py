"""Error pages and the CSRF failure page, in the service's own layout, and the health
and readiness checks."""

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safehub.ui import health


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    # `reason` is for developers; the user gets plain English and what to do next.
    return render(request, "errors/csrf.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: the failure may be the database itself, or a broken
    # transaction, and the layout would otherwise load the signed-in user to show their name.
    return render(None, "errors/500.html", status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Malformed requests (too many fields, say) end here; a body over the size limit is
    # refused earlier, with 413 (core.middleware.RequestSizeLimitMiddleware).
    return render(request, "errors/400.html", status=400)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    """django-ratelimit's refusal: plain English, and the 429 status clients expect."""
    return render(request, "errors/429.html", status=429)


def _health_response(report: tuple[bool, dict[str, Any]]) -> JsonResponse:
    healthy, body = report
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


# Not in the request's transaction: with the database down, opening one would fail before
# the view could say so.
@require_GET
@login_not_required
@transaction.non_atomic_requests
def healthz_view(request: HttpRequest) -> JsonResponse:
    """Liveness for the proxy and load balancer: this app server and its database."""
    return _health_response(health.health(now=timezone.now()))


@require_GET
@login_not_required
@transaction.non_atomic_requests
def readyz_view(request: HttpRequest) -> JsonResponse:
    """Readiness: the database, the shared cache and the outbox relay's backlog."""
    return _health_response(health.readiness(now=timezone.now()))
