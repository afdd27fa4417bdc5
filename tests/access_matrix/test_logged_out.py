"""A logged-out sweep: every route except the public allow-list needs sign-in, and a
password without the second factor reaches nothing either."""

import re

import pytest
from conftest import PASSWORD
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "ui:sign-in",
    "ui:accessibility",
    "healthz",
    "readyz",
    "api-v1:openapi-json",
    "api-v1:api-root",
    "ui:sign-out",
}
# The public "report a worry" form (tests/access_matrix/test_public_report.py).
PUBLIC |= {
    "report:start",
    "report:child",
    "report:mother",
    "report:address",
    "report:what-happened",
    "report:danger",
    "report:call-999",
    "report:about-you",
    "report:your-name",
    "report:contact",
    "report:contact-details",
    "report:check",
    "report:submit",
    "report:sent",
}
HALF_SIGNED_IN_ALLOWED = {"ui:sign-in-verify", "ui:sign-in-setup"}


def _routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _routes(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}", _example_path(resolver, pattern)


def _example_path(resolver, pattern) -> str:
    prefix = ""
    route = str(pattern.pattern)
    full = prefix + route
    return re.sub(r"<[^>]+>|\{[^}]+\}", "1", full)


def _all_paths():
    from django.urls import reverse

    out = []
    for name, _ in _routes():
        args: list[int] = []
        for _attempt in range(4):
            try:
                path = reverse(name, args=args)
                break
            except Exception:
                args.append(1)
        else:
            raise AssertionError(f"cannot build a URL for {name}")
        out.append((name, path))
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "path"), _all_paths())
def test_logged_out_request_is_refused(name, path):
    client = Client()
    for method in ("get", "post"):
        response = getattr(client, method)(path)
        if name in PUBLIC:
            continue
        if name.startswith("api-v1:"):
            assert response.status_code in (401, 405), (name, method)
        else:
            assert response.status_code in (302, 405), (name, method, response.status_code)
            if response.status_code == 302:
                assert response["Location"].startswith("/sign-in/"), (name, method)


@pytest.mark.parametrize(("name", "path"), _all_paths())
def test_password_alone_reaches_nothing(name, path, users):
    client = Client()
    response = client.post("/sign-in/", {"username": "mash", "password": PASSWORD})
    assert response.status_code == 302
    response = client.get(path)
    if name in PUBLIC | HALF_SIGNED_IN_ALLOWED or name.startswith("api-v1:"):
        return
    assert response.status_code in (302, 405), (name, response.status_code)
    if response.status_code == 302:
        assert response["Location"] == "/sign-in/code/", name
