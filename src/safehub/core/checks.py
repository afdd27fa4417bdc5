"""SafeHub's own deployment checks, run by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

# Caches that each process keeps to itself, or that cannot count atomically: a limit
# counted in one of them is a limit per app server (or no limit at all).
_NOT_SHARED = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.db.DatabaseCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The public form's rate limits count in the cache, so production needs one cache
    that every app server shares and that counts atomically (Redis or memcached)."""
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    if backend not in _NOT_SHARED:
        return []
    return [
        Error(
            f"The cache ({backend}) is not shared between app servers, so rate limits on the "
            "public form would count per process.",
            hint="Set CACHE_URL to a shared cache, for example redis://cache.internal:6379/0.",
            id="safehub.E001",
        )
    ]


@register(Tags.security, deploy=True)
def audit_seal_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The audit seals' HMAC key (ADR 0011) must be long and not the SECRET_KEY itself."""
    key = str(getattr(settings, "AUDIT_SEAL_KEY", ""))
    if len(key) >= 32 and key != settings.SECRET_KEY:
        return []
    return [
        Error(
            "AUDIT_SEAL_KEY is shorter than 32 characters or is the SECRET_KEY, so the audit "
            "trail's seals could be forged or would break when SECRET_KEY is rotated.",
            hint="Set AUDIT_SEAL_KEY to a random value of at least 32 characters, kept "
            "apart from SECRET_KEY (see docs/how-to/production-database.md).",
            id="safehub.E002",
        )
    ]
