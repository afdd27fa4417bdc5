"""Addresses of pages that take no arguments, worked out once per process.

Every signed-in page draws the service navigation and the session-timeout dialog, a dozen or
more links to pages without arguments. Django's `reverse` works each one out from the URL
patterns every time; the answer only changes with the URL configuration and the script
prefix (the path the application is mounted under), so it is kept for each of those."""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse


def reverse_plain(name: str) -> str:
    """`reverse(name)` for a page that takes no arguments."""
    return plain_reverser()(name)


def plain_reverser() -> Callable[[str], str]:
    """`reverse_plain` for many names at once: the URL configuration and the prefix (read
    from the request's context, which is slow to ask) are looked up once."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    prefix = get_script_prefix()
    return lambda name: _reverse_under(name, urlconf, prefix)


@lru_cache(maxsize=1024)
def _reverse_under(name: str, urlconf: str, prefix: str) -> str:
    # The prefix is only part of the key: reverse reads it itself.
    return reverse(name, urlconf=urlconf)
