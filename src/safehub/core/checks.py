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
