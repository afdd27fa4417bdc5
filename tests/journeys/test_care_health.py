"""A child in care's health in real Chromium: the social worker sees the initial health
assessment due, records it (after one mistake the page explains), and the casework page
shows when the next one is due. axe-core checks each page on the way."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from safehub.casework import services
from safehub.casework.models import DueItem, HealthCheck
from safehub.casework.timescales import review_health_assessment_due
from safehub.core.workdays import LONDON
from safehub.ui.jinja2 import govuk_date
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser

# The day the journey happens on, pinned (a Tuesday, no bank holiday), so no test process
# reads the real clock; the live server runs in this process and sees the same day.
TODAY = date(2026, 11, 17)


@pytest.fixture(autouse=True)
def _pinned_day():
    with time_machine.travel(datetime(TODAY.year, TODAY.month, TODAY.day, 10, tzinfo=LONDON)):
        yield


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def test_a_health_assessment_recorded_and_the_next_one_due_shown(
    transactional_db, live_server, page, users, people
):
    base, child, sw = live_server.url, people["involved"], users["social_worker"]
    today = TODAY
    episode = services.episode_open(
        actor=sw,
        child=child,
        kind="cin",
        referral_date=today - timedelta(days=20),
        primary_need="N1",
    )
    services.care_start(
        actor=sw,
        episode=episode,
        start_date=today - timedelta(days=14),
        placement={"legal_status": "C1", "placement_type": "U6", "provider": "PR1"},
    )
    sign_in_as(page, base, sw)
    page.goto(f"{base}/children/{child.pk}/casework/")
    expect(page.get_by_role("cell", name="Hold the initial health assessment")).to_be_visible()
    _accessible(page, "care-health-01-due")

    page.get_by_role("link", name="Record a health assessment or check").click()
    page.get_by_role("button", name="Save").click()  # nothing chosen
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Select what was done")).to_be_visible()
    _accessible(page, "care-health-02-errors")
    page.get_by_label("Initial health assessment").check()
    page.get_by_label("Note (optional)").fill("Seen by the looked-after children's nurse.")
    page.get_by_role("button", name="Save").click()  # today, already filled

    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(
        "Health assessment or check recorded"
    )
    next_due = review_health_assessment_due(today, born=child.date_of_birth)
    row = page.locator(".govuk-summary-list__row", has_text="Next health assessment due")
    expect(row).to_contain_text(govuk_date(next_due))
    expect(page.get_by_role("cell", name="Hold the review health assessment")).to_be_visible()
    expect(page.get_by_role("cell", name="Hold the initial health assessment")).to_have_count(0)
    _accessible(page, "care-health-03-next-due")
    assert HealthCheck.objects.get(kind="initial").held_on == today
    assert DueItem.objects.get(kind="health_assessment", done_on__isnull=True).due_date == next_due

    page.get_by_role("link", name="Record a strengths and difficulties questionnaire").click()
    page.get_by_label("Total difficulties score (optional)").fill("45")
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("link", name="The score must be a whole number from 0 to 40")
    ).to_be_visible()
    _accessible(page, "care-health-04-sdq-errors")
