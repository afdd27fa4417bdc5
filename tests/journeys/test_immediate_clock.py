"""An immediate referral's clock in real Chromium: the school is told the truth (within the
council's two hours, by when), and the MASH finds it at the top of the queue with that
hours-based deadline, above older contacts already past theirs. axe-core checks each page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safehub.frontdoor import services
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission, public_submission
from safehub.ui.jinja2 import govuk_datetime
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def test_an_immediate_referral_is_promised_its_hours_and_tops_the_queue(
    transactional_db, live_server, browser, page, users, people, council
):
    base = live_server.url
    now = timezone.now()
    # Already waiting: a routine report from four days ago (past its clock) and an urgent
    # referral from this morning.
    older, _ = services.contact_submit(
        actor=None,
        channel="public",
        data=public_submission(),
        received_at=now - timedelta(days=4),
    )
    urgent, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(),
        received_at=now - timedelta(minutes=20),
    )

    sign_in_as(page, base, users["partner_practitioner"])
    page.wait_for_url("**/referrals/")
    page.get_by_role("button", name="Make a referral").click()
    expect(
        page.get_by_text("on an immediate referral within 2 hours, day or night")
    ).to_be_visible()
    page.get_by_label("Child: first name").fill("Amelia")
    page.get_by_label("Child: last name").fill("Hart")
    page.get_by_label("Physical abuse: adult on child", exact=True).check()
    page.get_by_label("What has happened, and why are you worried?").fill(
        "Amelia says her stepfather hit her this morning and she is scared to go home tonight."
    )
    page.get_by_label("Immediate: the child may be at risk of significant harm now").check()
    page.get_by_role("group", name="Does the family know").get_by_label("No", exact=True).check()
    page.get_by_label("Consent was not sought").check()
    page.get_by_label("If you did not seek consent, why not?").fill(
        "Telling the family could put Amelia at greater risk."
    )
    _accessible(page, "clock-01-immediate-referral-form")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url("**/referrals/*/")
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    contact = Contact.objects.get(reference=reference)
    # The clock: two hours of real time from receipt, not the end of a working day.
    assert contact.urgency == "immediate"
    assert contact.decision_due_at - contact.received_at == timedelta(hours=2)
    due = timezone.localtime(contact.decision_due_at)
    promise = f"within 2 hours, by {due:%-I:%M%p}".replace("AM", "am").replace("PM", "pm")
    expect(page.get_by_text(promise, exact=False)).to_be_visible()
    expect(page.get_by_text(f"on {due:%A} {due.day} {due:%B %Y}", exact=False)).to_be_visible()
    _accessible(page, "clock-02-referrer-told-the-deadline")

    mash = new_page(browser)
    sign_in_as(mash, base, users["mash_worker"])
    mash.wait_for_url("**/mash/")
    rows = mash.locator("table.govuk-table tbody tr")
    expect(rows).to_have_count(3)
    top = rows.nth(0)
    expect(top).to_contain_text(reference)
    expect(top).to_contain_text(govuk_datetime(contact.decision_due_at))
    expect(top).to_contain_text("1 hour left")
    expect(rows.nth(1)).to_contain_text(urgent.reference)
    expect(rows.nth(2)).to_contain_text(older.reference)
    expect(rows.nth(2).locator(".govuk-tag--red")).to_contain_text("Overdue by")
    _accessible(mash, "clock-03-queue-immediate-on-top")
