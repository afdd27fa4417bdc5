"""Changing a concern rule in real Chromium: a team manager opens a rule, reads what it
looks for in plain English, changes its window, sees the back-test of the change over the
council's history and the changed rule read out, and saves it switched on as version 2.
Each page checked with axe-core."""

from datetime import date

import pytest
from playwright.sync_api import expect

from safehub.concerns.models import ConcernRule
from safehub.concerns.tests.conftest import install, put
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_a_rule_is_read_back_tested_and_changed(transactional_db, live_server, page, users, people):
    rule = install("missing-or-exploitation")
    ConcernRule.objects.filter(pk=rule.pk).update(active=False)
    for day in (date(2026, 3, 2), date(2026, 4, 20), date(2026, 6, 1)):
        put(people["involved"], "PARTNER_MISSING_EPISODE", day, users["partner_practitioner"])

    sign_in_as(page, live_server.url, users["team_manager"])
    page.get_by_role("link", name="Concern rules").click()
    page.get_by_role("link", name="Repeatedly missing, or intelligence about exploitation").click()
    described = page.locator("#rule-described")
    expect(described).to_contain_text("any one of these 3 patterns")
    expect(described).to_contain_text(
        "Entries of these kinds on at least 3 separate days in the last 90 days."
    )
    expect(page.get_by_text('"any_of"')).not_to_be_visible()  # the JSON is folded away
    assert axe_violations(page) == []
    screenshot(page, "concern-rule")

    page.get_by_role("link", name="Change the rule").click()
    page.get_by_text("How to write the definition").click()
    expect(page.locator("#guide-events")).to_contain_text("PARTNER_MISSING_EPISODE")
    assert axe_violations(page) == []
    definition = page.get_by_label("Definition (JSON)")
    definition.fill(definition.input_value().replace('"within_days": 90', '"within_days": 120'))
    page.get_by_role("button", name="Back-test the changes").click()
    backtest = page.locator("#backtest")
    expect(backtest).to_contain_text("would have flagged 1 child (1 alert")
    expect(page.locator("#rule-described")).to_contain_text(
        "on at least 3 separate days in the last 120 days."
    )
    assert axe_violations(page) == []

    page.get_by_label("Switch the rule on").check()
    page.get_by_role("button", name="Save version 2").click()
    expect(page.get_by_text("Version 2 of the rule is saved.")).to_be_visible()
    expect(page.locator("#rule-described")).to_contain_text("in the last 120 days.")
    assert axe_violations(page) == []
    rule.refresh_from_db()
    assert (rule.version, rule.active) == (2, True)
