"""The census check in Chromium (ADR 0043): a social worker finds a census task in "my
work" (a UPN keyed with the wrong check letter), follows its link to the child's record and
puts it right; the team manager checks the records again from the census check page, the
run on the job queue (a real worker process) with its progress shown; the task has gone
from the worker's "my work". Every page checked with axe-core."""

from datetime import date

import pytest
from conftest import make_person

from safehub.casework.models import Episode
from safehub.core.identifiers import UPN_LETTERS, upn_check_letter
from safehub.insight.tests.conftest import allocation
from safehub.insight.tests.test_jobs import _stop, _worker
from safehub.returns.models import ValidationIssue
from safehub.returns.services import validation_run
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser
BODY = "201145001001"
GOOD_UPN = upn_check_letter(BODY) + BODY
BAD_UPN = UPN_LETTERS[(UPN_LETTERS.index(GOOD_UPN[0]) + 1) % len(UPN_LETTERS)] + BODY


def _no_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, violations


def test_a_worker_puts_a_census_task_right_and_the_next_check_clears_it(
    transactional_db, live_server, browser, page, users
):
    from conftest import TEST_TODAY

    worker_user = users["social_worker"]
    child = make_person("Leo", "Ward", date(2016, 5, 4), upn=BAD_UPN, sex="M")
    Episode.objects.create(
        kind="cin",
        child=child,
        referral_date=date(2026, 6, 1),
        referral_source="1A",
        primary_need="N1",
        opened_by=worker_user,
    )
    allocation(child, worker_user, date(2026, 6, 2))
    validation_run(as_of=TEST_TODAY)
    base = live_server.url

    sign_in_as(page, base, worker_user)
    page.goto(f"{base}/my-work/")
    tasks = page.locator("#census-issues-table")
    assert "right check letter" in tasks.inner_text()
    assert "Leo Ward" in tasks.inner_text()
    _no_violations(page)
    screenshot(page, "census-task-in-my-work")
    tasks.get_by_role("link", name="Put right rule 1510").click()
    page.get_by_label("Unique pupil number (UPN)").fill(GOOD_UPN)
    _no_violations(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/people/{child.pk}/")

    manager = new_page(browser)
    sign_in_as(manager, base, users["team_manager"])
    manager.goto(f"{base}/returns/validation/")
    assert manager.locator("h1").inner_text() == "Census check"
    assert manager.locator("#by-rule").count() == 1
    assert manager.locator("#trend-table").count() == 1
    _no_violations(manager)
    screenshot(manager, "census-check-page")
    worker = _worker()
    try:
        manager.get_by_role("button", name="Check the records now").click()
        assert "CIN census rules" in manager.locator("h1").inner_text()
        _no_violations(manager)
        manager.locator("#job-done").wait_for(timeout=120_000)  # the page refreshes itself
        assert manager.locator("#job-status").inner_text() == "Done"
    finally:
        _stop(worker)
    manager.locator("#job-done").click()
    assert manager.locator("#no-issues").count() == 1 or "1510" not in manager.content()
    _no_violations(manager)

    page.goto(f"{base}/my-work/")
    assert page.locator("#census-issues-table").count() == 0
    assert not ValidationIssue.objects.filter(rule="1510", resolved_at__isnull=True).exists()
