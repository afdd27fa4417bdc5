"""Care planning in real Chromium (ADR 0035): a manager allocates the child's independent
reviewing officer; the social worker writes the care plan (after one mistake the page
explains), changes it, loses a race to a colleague without losing the colleague's words,
and delegates a decision to the carers; the IRO finds the child on "My reviews" and records
their contact before the review. axe-core checks each page on the way."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from safehub.careplanning.models import Plan, ReviewingOfficerContact
from safehub.casework import services
from safehub.casework.models import DueItem
from safehub.core.workdays import LONDON
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

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


def _banner(page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(text)


def test_iro_care_plan_delegated_authority_and_the_iros_contact(
    transactional_db, live_server, page, browser, users, people
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
        start_date=today - timedelta(days=3),
        placement={
            "legal_status": "C1",
            "placement_type": "U6",
            "provider": "PR1",
            "carer_name": "Ms Okafor",
        },
    )
    casework = f"{base}/children/{child.pk}/casework/"

    # The manager allocates the IRO.
    sign_in_as(page, base, users["team_manager"])
    page.goto(casework)
    section = page.locator("#care-planning")
    expect(section).to_be_visible()
    expect(page.get_by_text("Allocate an independent reviewing officer: due")).to_be_visible()
    _accessible(page, "care-planning-01-section")
    page.get_by_role("link", name="Allocate independent reviewing officer").click()
    page.get_by_label("Independent reviewing officer").select_option(
        label=str(users["cp_chair_iro"])
    )
    _accessible(page, "care-planning-02-allocate-iro")
    page.get_by_role("button", name="Save").click()
    _banner(page, "Independent reviewing officer allocated")
    row = page.locator(".govuk-summary-list__row", has_text="Independent reviewing officer")
    expect(row.first).to_contain_text(str(users["cp_chair_iro"]))

    # The social worker writes the care plan, after one mistake, then changes it.
    sw_page = new_page(browser)
    sign_in_as(sw_page, base, sw)
    sw_page.goto(casework)
    sw_page.get_by_role("link", name="Write care plan").click()
    sw_page.get_by_role("button", name="Save the plan").click()
    expect(sw_page.get_by_text("There is a problem")).to_be_visible()
    expect(sw_page.get_by_role("link", name="Enter what the plan says")).to_be_visible()
    _accessible(sw_page, "care-planning-03-plan-errors")
    sw_page.get_by_label("What the plan says").fill("Stay with Ms Okafor while we assess.")
    sw_page.get_by_role("button", name="Save the plan").click()
    _banner(sw_page, "Care plan saved")
    care_row = sw_page.locator(".govuk-summary-list__row", has_text="Care plan")
    expect(care_row.first).to_contain_text("Version 1")
    assert not DueItem.objects.filter(kind="care_plan", done_on__isnull=True).exists()

    # Two people change it at once: the second is told, and nothing is overwritten.
    sw_page.get_by_role("link", name="Change care plan").click()
    # The manager, still signed in from allocating the IRO (signing in again within the
    # same half-minute would reuse a spent security code, which is refused).
    colleague = page
    colleague.goto(sw_page.url)
    colleague.get_by_label("What the plan says").fill("Long-term fostering with Ms Okafor.")
    colleague.get_by_role("button", name="Save the plan").click()
    _banner(colleague, "Care plan saved")
    sw_page.get_by_label("What the plan says").fill("Return home.")
    sw_page.get_by_role("button", name="Save the plan").click()
    expect(sw_page.get_by_text("Someone else changed this record")).to_be_visible()
    _accessible(sw_page, "care-planning-04-someone-else-saved")
    plan = Plan.objects.get(kind="care")
    assert (plan.version, plan.content) == (2, "Long-term fostering with Ms Okafor.")

    # Delegated authority for the placement.
    sw_page.goto(casework)
    sw_page.get_by_role("link", name="Delegate a decision to the carers").click()
    sw_page.get_by_label("The decision the carers may take").fill("Overnight stays with friends")
    sw_page.get_by_label("Who may take it").fill("Ms Okafor")
    _accessible(sw_page, "care-planning-05-delegate")
    sw_page.get_by_role("button", name="Save").click()
    _banner(sw_page, "Delegated decision recorded")
    expect(
        sw_page.get_by_role("cell", name="Overnight stays with friends", exact=True)
    ).to_be_visible()

    # The IRO finds the child on their list and records their contact.
    iro_page = new_page(browser)
    sign_in_as(iro_page, base, users["cp_chair_iro"])
    iro_page.get_by_role("link", name="My reviews").click()
    expect(iro_page.get_by_role("link", name=child.full_name)).to_be_visible()
    expect(iro_page.get_by_text("speaks with the child before the review")).to_be_visible()
    _accessible(iro_page, "care-planning-06-my-reviews")
    iro_page.get_by_role("link", name=child.full_name).click()
    iro_page.get_by_role("link", name="Record your contact with the child").click()
    iro_page.get_by_label("Yes").check()
    iro_page.get_by_label("What the child said about their plan (optional)").fill(
        "Likes living with Ms Okafor."
    )
    _accessible(iro_page, "care-planning-07-iro-contact")
    iro_page.get_by_role("button", name="Save").click()
    _banner(iro_page, "Contact with the child recorded")
    contact_row = iro_page.locator(".govuk-summary-list__row", has_text="last contact")
    expect(contact_row).to_contain_text("seen alone")
    assert ReviewingOfficerContact.objects.get().seen_alone is True
    assert not DueItem.objects.filter(kind="iro_contact", done_on__isnull=True).exists()
