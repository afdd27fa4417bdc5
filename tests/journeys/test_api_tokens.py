"""A system administrator finds the API tokens from the users page, sees when each was last
used and revokes a leaked one; the partner system is refused at once. axe-core checks each
page on the way."""

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from safehub.access.models import ApiToken, hash_token
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _search(secret: str) -> int:
    return (
        Client()
        .post(
            "/api/v1/persons/search",
            json.dumps({"name": "Hart"}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {secret}",
        )
        .status_code
    )


def test_an_administrator_revokes_a_leaked_token(transactional_db, live_server, page, users):
    secret = ApiToken.new_secret()
    ApiToken.objects.create(
        user=users["mash_worker"],
        name="School MIS feed",
        token_hash=hash_token(secret),
        expires_at=timezone.now() + timedelta(days=90),
    )
    ApiToken.objects.create(
        user=users["social_worker"],
        name="Old diary sync",
        token_hash=hash_token(ApiToken.new_secret()),
        revoked_at=timezone.now() - timedelta(days=3),
    )
    assert _search(secret) == 200  # the partner system has used it

    sign_in_as(page, live_server.url, users["system_administrator"])
    page.goto(f"{live_server.url}/users/")
    page.get_by_role("link", name="API tokens").click()
    expect(page.get_by_role("heading", name="API tokens", level=1)).to_be_visible()
    row = page.get_by_role("row").filter(has_text="School MIS feed")
    expect(row).not_to_contain_text("Not used yet")
    expect(page.get_by_role("row").filter(has_text="Old diary sync")).to_contain_text("Revoked")
    screenshot(page, "api-tokens")
    violations = axe_violations(page)
    assert not violations, violations

    row.get_by_role("button", name="Revoke").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("was revoked")
    expect(page.get_by_role("row").filter(has_text="School MIS feed")).to_contain_text("Revoked")
    violations = axe_violations(page)
    assert not violations, violations
    assert _search(secret) == 401
