"""An administrator moves an analyst into the MASH; the change waits for a second
administrator, who approves it; the data protection officer sees both steps. Every page on
the way is checked with axe-core."""

import pytest
from conftest import make_user
from playwright.sync_api import expect

from safehub.access.roles import Role
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_access_to_records_waits_for_a_second_administrator(
    transactional_db,
    live_server,
    browser,
    page,
    users,
    council,
):
    analyst = users["performance_analyst"]
    second = make_user("admin2", Role.SYSTEM_ADMINISTRATOR, council["teams"]["IT"])
    sign_in_as(page, live_server.url, users["system_administrator"])
    page.goto(f"{live_server.url}/users/{analyst.pk}/")
    page.get_by_label("Role").select_option(Role.MASH_WORKER)
    page.get_by_label("Team").select_option(str(council["teams"]["MASH"].pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("need a second administrator's approval")).to_be_visible()
    expect(page.get_by_role("heading", name="Waiting for a second administrator")).to_be_visible()
    assert not axe_violations(page), "users page with a change waiting"
    screenshot(page, "admin-access-waiting")
    page.goto(f"{live_server.url}/users/{analyst.pk}/")
    expect(page.get_by_text("Another administrator must approve it")).to_be_visible()
    assert page.get_by_role("button", name="Approve this access").count() == 0

    other = new_page(browser)
    sign_in_as(other, live_server.url, second)
    other.goto(f"{live_server.url}/users/{analyst.pk}/")
    assert not axe_violations(other), "user page for the second administrator"
    screenshot(other, "admin-access-approve")
    other.get_by_role("button", name="Approve this access").click()
    expect(other.get_by_text("now has the role and team asked for")).to_be_visible()
    analyst.refresh_from_db()
    assert analyst.role == Role.MASH_WORKER

    dpo = new_page(browser)
    sign_in_as(dpo, live_server.url, users["data_protection_officer"])
    dpo.goto(f"{live_server.url}/audit/user-administration/")
    expect(dpo.get_by_role("cell", name="Access requested")).to_be_visible()
    expect(dpo.get_by_role("cell", name="Access approved", exact=False)).to_be_visible()
    assert not axe_violations(dpo), "the DPO's user administration page"
    screenshot(dpo, "dpo-user-administration")
