"""The working pages use the full width of a wide screen, and the contact page is split into
sections (GOV.UK tabs) that an action's redirect and an error re-render reopen, without
costing a query."""

import re
from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.casework import services as casework
from safehub.frontdoor import services
from safehub.frontdoor.tests.factories import public_submission

pytestmark = pytest.mark.django_db

SECTIONS = ["submitted", "people", "history", "triage", "requests", "consent", "decision"]


def _wide(html: str) -> bool:
    body = re.search(r"<body class=\"([^\"]*)\"", html)
    assert body is not None
    return "sh-wide-layout" in body.group(1).split()


@pytest.fixture
def contact(users: Any) -> Any:
    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    return contact


def test_the_working_pages_use_the_wide_layout_and_others_do_not(
    users: Any, people: Any, contact: Any, client_for: Any
) -> None:
    child = people["involved"]
    casework.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=TEST_TODAY - timedelta(days=10),
        primary_need="N1",
    )
    wide = {
        "mash_worker": [
            reverse("frontdoor:contact-queue"),
            reverse("frontdoor:contact-detail", args=[contact.reference]),
        ],
        "social_worker": [
            reverse("casework:my-work"),
            reverse("casework:child-casework", args=[child.pk]),
        ],
        "team_manager": [reverse("casework:team-work")],
    }
    for role, urls in wide.items():
        client = client_for(role)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert _wide(response.content.decode()), url
    narrow = client_for("social_worker")
    for url in (reverse("people:person-search"), reverse("ui:account"), reverse("ui:help")):
        assert not _wide(narrow.get(url).content.decode()), url


def test_the_contact_page_is_in_sections(users: Any, contact: Any, client_for: Any) -> None:
    html = (
        client_for("mash_worker")
        .get(reverse("frontdoor:contact-detail", args=[contact.reference]))
        .content.decode()
    )
    tabs = html.split('data-module="govuk-tabs"', 1)[1]
    listed = re.findall(r'class="govuk-tabs__tab" href="#([a-z]+)"', tabs)
    assert listed == SECTIONS
    panels = re.findall(
        r'<div class="govuk-tabs__panel( govuk-tabs__panel--hidden)?" id="([a-z]+)"', tabs
    )
    assert [name for _, name in panels] == SECTIONS
    assert [hidden for hidden, _ in panels] == [""] + [" govuk-tabs__panel--hidden"] * 6
    # Each action's form names its section, so an error re-render opens that tab again.
    for view, section in [
        ("rate", "triage"),
        ("request", "requests"),
        ("consent", "consent"),
        ("decide", "decision"),
    ]:
        action = reverse(f"frontdoor:contact-{view}", args=[contact.reference])
        assert f'action="{action}#{section}"' in html


def test_an_action_returns_to_its_section(users: Any, contact: Any, client_for: Any) -> None:
    response = client_for("mash_worker").post(
        reverse("frontdoor:contact-take", args=[contact.reference]), {"version": 1}
    )
    assert response["Location"].endswith("#triage")


def test_the_banner_and_the_sections_cost_the_contact_page_no_query(
    users: Any, people: Any, contact: Any, client_for: Any
) -> None:
    mash = client_for("mash_worker")
    url = reverse("frontdoor:contact-detail", args=[contact.reference])
    subject = contact.subjects.get()
    mash.post(
        reverse("frontdoor:contact-link", args=[contact.reference, subject.pk]),
        {"person": people["involved"].pk},
    )

    def count() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as queries:
            response = mash.get(url)
        return len(queries), response.content.decode()

    with_banner, html = count()
    assert "is linked to their record" in html
    without, html = count()
    assert "is linked to their record" not in html
    assert with_banner == without


def test_a_long_queue_links_to_every_nearby_page_keeping_the_filter(
    users: Any, client_for: Any, monkeypatch: Any
) -> None:
    from safehub.frontdoor import selectors

    monkeypatch.setattr(selectors, "QUEUE_PAGE_SIZE", 2)
    for _ in range(7):  # four pages
        services.contact_submit(actor=None, channel="public", data=public_submission())
    queue = reverse("frontdoor:contact-queue")
    html = client_for("mash_worker").get(queue, {"page": 2, "channel": "public"}).content.decode()
    assert 'aria-label="Pages of contacts"' in html
    for number in (1, 2, 3, 4):
        assert f'href="{queue}?channel=public&amp;page={number}"' in html
