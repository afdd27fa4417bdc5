"""Error pages and the CSRF failure page, in the service's own layout, and the health
check."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


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


@require_GET
@login_not_required
def healthz_view(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:
        database = "unavailable"
    healthy = database == "ok"
    return JsonResponse(
        {
            "status": "ok" if healthy else "error",
            "database": database,
            "database_vendor": connection.vendor,
        },
        status=200 if healthy else 503,
    )
