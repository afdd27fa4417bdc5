"""Addresses of pages that take no arguments, worked out once per process.

Every signed-in page draws the service navigation and the session-timeout dialog, a dozen or
more links to pages without arguments. Django's `reverse` works each one out from the URL
patterns every time; the answer only changes with the URL configuration and the script
prefix (the path the application is mounted under), so it is kept for each of those."""

from collections.abc import Callable
from functools import lru_cache

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse


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


# Pages of one record ("/people/<id>/casework/") are linked from every row of a list, and
# each `reverse` walks the URL patterns again. For keys that are whole numbers the address
# is the same text with the number in its place, so it is worked out once with stand-in
# numbers and the keys written in. A second, short set checks that the route takes any
# length of number and writes a key as the number itself (a route that pads, encodes or
# limits its keys is left to `reverse`).
_STAND_INS = ((987_650_001, 987_650_002, 987_650_003), (3, 5, 7))


def reverse_keys(name: str, keys: tuple[int, ...]) -> str:
    """`reverse(name, args=keys)` for whole-number keys (at most three)."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    parts = _parts(name, len(keys), urlconf, get_script_prefix())
    if parts is None:
        return reverse(name, args=keys, urlconf=urlconf)
    text, order = parts
    out = [text[0]]
    for index, literal in zip(order, text[1:], strict=True):
        out += (str(keys[index]), literal)
    return "".join(out)


@lru_cache(maxsize=1024)
def _parts(
    name: str, count: int, urlconf: str, prefix: str
) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    """The address's text between the keys, and which key goes in each gap; None if the
    route does not write its keys as plain numbers, or takes more than three."""
    if not 0 < count <= len(_STAND_INS[0]):
        return None
    first, second = _STAND_INS[0][:count], _STAND_INS[1][:count]
    try:
        found = reverse(name, args=first, urlconf=urlconf)
        expected = reverse(name, args=second, urlconf=urlconf)
    except NoReverseMatch:
        return None
    text, order = [found], []
    for _ in first:
        where = [(text[-1].find(str(s)), i) for i, s in enumerate(first) if str(s) in text[-1]]
        if not where:
            return None
        at, index = min(where)
        rest = text.pop()
        text += [rest[:at], rest[at + len(str(first[index])) :]]
        order.append(index)
    if sorted(order) != list(range(count)):
        return None
    built = text[0] + "".join(str(second[i]) + t for i, t in zip(order, text[1:], strict=True))
    if built != expected:
        return None
    return tuple(text), tuple(order)
