"""The performance dashboard and the committee report in Chromium: a team manager opens the
dashboard, drills into the children on a child protection plan (their team's named, the
rest counted), writes the director's commentary, builds the quarter's report on the job
queue (a real worker process) and downloads the PDF, read back with pypdf. Every page
checked with axe-core."""

from datetime import date

import pytest
from conftest import TEST_TODAY
from pypdf import PdfReader

from safehub.insight.services import figures_refresh
from safehub.insight.tests.conftest import plan
from safehub.insight.tests.test_jobs import _stop, _worker
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _no_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, violations


def test_a_manager_drills_into_a_figure_and_builds_the_committee_report(
    transactional_db, live_server, browser, page, users, people, settings
):
    settings.CHILD_POPULATION = 10_000
    for relation in ("involved", "unrelated"):
        plan(people[relation], users["team_manager"], date(2026, 6, 1))
    figures_refresh(as_of=TEST_TODAY)
    base = live_server.url
    sign_in_as(page, base, users["team_manager"])

    page.goto(f"{base}/performance/")
    assert page.locator("h1").inner_text() == "Performance"
    assert page.locator("#table-cp_plans").count() == 1
    _no_violations(page)
    screenshot(page, "performance-dashboard")

    page.locator("#figure-cp_plans a.govuk-link").first.click()
    assert page.locator("h1").inner_text() == "Children on a child protection plan"
    assert page.locator("#children").inner_text().count(people["involved"].full_name) == 1
    assert people["unrelated"].full_name not in page.content()
    assert "1 more on this page not listed" in page.locator("#counted-only").inner_text()
    _no_violations(page)
    screenshot(page, "performance-drill-down")

    worker = _worker()
    try:
        page.goto(f"{base}/performance/committee-report/?quarter=2026-07-01")
        _no_violations(page)
        page.get_by_role("link", name="Write the commentary").click()
        page.get_by_label("The director's commentary").fill("Plans are steady; visits on time.")
        _no_violations(page)
        page.get_by_role("button", name="Save the commentary").click()
        assert "Plans are steady" in page.locator("#commentary").inner_text()
        page.get_by_role("button", name="Build the report for July to September 2026").click()
        assert page.locator("h1").inner_text() == "Build the committee report"
        _no_violations(page)
        page.locator("#job-file").wait_for(timeout=90_000)  # the page refreshes itself
        assert page.locator("#job-status").inner_text() == "Done"
        screenshot(page, "performance-report-built")
        with page.expect_download() as download_info:
            page.locator("#job-file").click()
        download = download_info.value
    finally:
        _stop(worker)
    assert download.suggested_filename == "committee-report-2026-07.pdf"
    with open(download.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in PdfReader(handle).pages)
    assert "Plans are steady; visits on time." in text
    assert "Quarter: July to September 2026" in text
    assert "Children on a child protection plan" in text
