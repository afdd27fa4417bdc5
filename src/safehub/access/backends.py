from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.core.statements import fixed_read

# The second-factor device the session names (its django-otp persistent id), set by
# `access.middleware.SignedInDeviceMiddleware` for the request being served, and the device
# read with the user, which that middleware hands to django-otp instead of reading it again.
session_device_id: ContextVar[str | None] = ContextVar("session_device_id", default=None)
device_read_with_user: ContextVar[TOTPDevice | None] = ContextVar(
    "device_read_with_user", default=None
)
_TOTP = TOTPDevice._meta.label_lower


def _totp_pk(persistent_id: str | None) -> int | None:
    """The TOTP device's key in a persistent id such as "otp_totp.totpdevice/7"."""
    label, _, pk = (persistent_id or "").rpartition("/")
    return int(pk) if label == _TOTP and pk.isdigit() else None


def _device_with_user(pk: int, user_pk: int) -> QuerySet[TOTPDevice]:
    return TOTPDevice.objects.select_related("user").filter(pk=pk, user_id=user_pk)


class StaffBackend(ModelBackend):
    """Password sign-in for staff. Demo accounts work only while DEMO_MODE is on, so they can
    never be used under production settings even if a demo database were deployed."""

    def user_can_authenticate(self, user: Any) -> bool:
        if getattr(user, "is_demo", False) and not settings.DEMO_MODE:
            return False
        return super().user_can_authenticate(user)

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of a request. Where the session names a TOTP device of theirs,
        the device is read in the same query and kept for django-otp (every signed-in
        request reads both: one round trip instead of two). Django still checks the session
        hash, and django-otp the device's owner and confirmation, as before."""
        device_read_with_user.set(None)
        pk = _totp_pk(session_device_id.get())
        if pk is None:
            return super().get_user(user_id)
        # Compiled once (ADR 0063): every signed-in request makes this read.
        found = fixed_read("access.device_with_user", _device_with_user, pk, int(user_id))
        device = found[0] if found else None
        if device is None:
            return super().get_user(user_id)
        device_read_with_user.set(device)
        return device.user if self.user_can_authenticate(device.user) else None
