"""The public "report a worry" form is the one part of SafeHub open to anyone: every
`report:*` route answers signed out, none of them says anything about anybody else's report,
and nothing on them leads past sign-in to a staff page."""

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from safehub.frontdoor import services
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import public_submission

SECRET_STORY = "Someone else's report: the bruises on her arm"


def _report_routes() -> list[str]:
    names = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "report":
            names += [f"report:{p.name}" for p in pattern.url_patterns if isinstance(p, URLPattern)]
    return sorted(names)


REPORT_ROUTES = _report_routes()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in {("a", "href"), ("form", "action")} and value:
                self.targets.append(value)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def someone_elses_report(db: Any) -> Any:
    """A report sent by somebody else: through the service, and through the form in another
    browser, which leaves that browser's session holding its reference."""
    contact, _ = services.contact_submit(
        actor=None,
        channel="public",
        idempotency_key="public:someone-else",
        data=public_submission(concern_summary=SECRET_STORY),
    )
    other = Client()
    for page, data in [
        ("child", {"given_name": "Keziah", "family_name": "Oduya", "age_description": "7"}),
        ("address", {"postcode": "TE2 9ZZ"}),
        ("what-happened", {"concern_summary": SECRET_STORY}),
        ("danger", {"in_danger_now": "no"}),
        ("about-you", {"relationship": "family", "give_name": "no"}),
    ]:
        assert other.post(reverse(f"report:{page}"), data).status_code == 302
    found = re.search(
        r'name="token" value="([^"]+)"', other.get(reverse("report:check")).content.decode()
    )
    assert found is not None, "the check page has no form token"
    token = found.group(1)
    assert other.post(reverse("report:submit"), {"token": token}).status_code == 302
    via_form = Contact.objects.exclude(pk=contact.pk).get()
    return [contact, via_form]


def test_the_matrix_knows_every_public_route() -> None:
    assert (
        sorted(
            [
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
            ]
        )
        == REPORT_ROUTES
    )


@pytest.mark.django_db
@pytest.mark.parametrize("name", REPORT_ROUTES)
def test_every_report_route_answers_signed_out(name: str) -> None:
    client = Client()
    response = client.get(reverse(name))
    assert response.status_code in (200, 302), (name, response.status_code)
    if response.status_code == 302:
        # Only ever on to another page of the form, never to sign-in.
        assert resolve(response["Location"]).namespace == "report", response["Location"]
    response = client.post(reverse(name), {})
    assert response.status_code in (200, 302, 405), (name, response.status_code)
    if response.status_code == 302:
        assert resolve(response["Location"]).namespace == "report", response["Location"]


@pytest.mark.parametrize("name", REPORT_ROUTES)
def test_no_report_route_reveals_another_report(name: str, someone_elses_report: Any) -> None:
    stranger = Client()
    for method in ("get", "post"):
        for query in ("", "?return=check", f"?reference={someone_elses_report[0].reference}"):
            response = getattr(stranger, method)(reverse(name) + query, {}, follow=True)
            content = response.content.decode()
            for contact in someone_elses_report:
                assert contact.reference not in content, (name, method, query)
            assert "bruises" not in content
            assert "Keziah" not in content
            assert "TE2 9ZZ" not in content
    # Nor by guessing at the send address with the other browser's tokens.
    response = stranger.post(
        reverse("report:submit"), {"token": "public:someone-else"}, follow=True
    )
    assert someone_elses_report[0].reference not in response.content.decode()


def _internal_targets(content: str) -> set[str]:
    parser = _Links()
    parser.feed(content)
    return {
        t.split("#")[0]
        for t in parser.targets
        if t.startswith("/") and not t.startswith("//") and t.split("#")[0]
    }


@pytest.mark.django_db
def test_no_staff_page_is_reachable_from_the_public_form(users: Any) -> None:
    """Follow every link and form on every public page, signed out: each lands on the form,
    the sign-in page or the accessibility statement, never on staff data."""
    client = Client()
    seen: set[str] = set()
    queue = [reverse(name) for name in REPORT_ROUTES]
    public_elsewhere = {"ui:sign-in", "ui:accessibility"}
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        match = resolve(path.split("?")[0])
        if match.namespace == "report" or match.view_name in public_elsewhere:
            assert response.status_code in (200, 302), (path, response.status_code)
            if response.status_code == 302:
                queue.append(response["Location"])
            elif match.namespace == "report":
                queue += _internal_targets(response.content.decode())
        else:
            # Anything else must stop at sign-in.
            assert response.status_code == 302, (path, response.status_code)
            assert response["Location"].startswith(reverse("ui:sign-in")), path
    assert reverse("ui:sign-in") in seen  # the start page points professionals there


@pytest.mark.django_db
def test_the_public_pages_header_leads_back_to_the_form_not_to_staff_sign_in(client):
    page = client.get(reverse("report:start")).content.decode()
    assert (
        f'<a href="{reverse("report:start")}" class="govuk-generic-header__homepage-link">' in page
    )
    assert reverse("report:start") in client.get(reverse("ui:sign-in")).content.decode()
