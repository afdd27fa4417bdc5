"""Addresses worked out once (core.reversing): the same text as Django's `reverse` for every
route of the URL configuration that takes whole-number keys, and a route that writes its
key as something other than the number left to `reverse`."""

from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, path, reverse

from safehub.core.reversing import _parts, reverse_keys


def _named_routes(patterns: Any, namespace: str = "") -> list[tuple[str, int]]:
    """(name, number of arguments) of every named route."""
    found = []
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            found += _named_routes(p.url_patterns, inner)
        elif isinstance(p, URLPattern) and p.name:
            found.append((f"{namespace}{p.name}", len(p.pattern.converters)))
    return found


def _int_routes() -> list[tuple[str, int]]:
    routes = []
    for name, count in _named_routes(get_resolver().url_patterns):
        try:
            reverse(name, args=[5] * count)
        except NoReverseMatch:  # a route whose keys are not numbers
            pass
        else:
            routes.append((name, count))
    return routes


@pytest.mark.parametrize("keys", [(1,), (42, 7), (123456, 3, 99)])
def test_every_numbered_route_reads_as_reverse_does(keys: tuple[int, ...]) -> None:
    routes = [(n, c) for n, c in _int_routes() if c]
    assert len(routes) > 100  # the check looked at the real URL configuration
    for name, count in routes:
        args = (keys * 3)[:count]
        assert reverse_keys(name, args) == reverse(name, args=args), name


def _page(request: Any, **keys: Any) -> HttpResponse:
    return HttpResponse()


class PaddedConverter:
    regex = "[0-9]{8}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{value:08d}"


def test_a_route_that_does_not_write_the_plain_number_is_left_to_reverse(
    settings: Any,
) -> None:
    from django.urls import register_converter

    register_converter(PaddedConverter, "padded_test")

    class Padded:
        urlpatterns = [
            path("padded/<padded_test:key>/", _page, name="padded"),
            path("twice/<int:a>/and/<int:b>/", _page, name="twice"),
        ]

    settings.ROOT_URLCONF = Padded
    _parts.cache_clear()
    assert reverse_keys("padded", (12,)) == "/padded/00000012/"
    assert _parts("padded", 1, Padded, "/") is None
    assert reverse_keys("twice", (3, 4)) == "/twice/3/and/4/"
    _parts.cache_clear()
