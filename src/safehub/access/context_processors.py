"""What every signed-in page needs to warn before the session ends (layouts/base.html)."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django_otp.middleware import is_verified

from safehub.access.middleware import seconds_left


def session_timeout(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    # A user who never passed OTPMiddleware (a page drawn outside a request) has no device.
    signed_in = user is not None and user.is_authenticated and hasattr(user, "otp_device")
    if not signed_in or not is_verified(user):
        return {"session_timeout": None}
    return {
        "session_timeout": {
            "seconds_left": seconds_left(request),
            "warning_seconds": settings.SESSION_WARNING_SECONDS,
            "idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        }
    }
