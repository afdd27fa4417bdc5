"""A child's chronology in real Chromium: a school's referral, the MASH worker's decision and
the manager's sign-off each name who did it, for which agency, at what time, newest first,
with who recorded it apart; on the person page and on the MASH contact page, both checked
with axe-core."""

from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from safehub.core.workdays import LONDON
from safehub.frontdoor import services
from safehub.frontdoor.codes import Channel
from safehub.frontdoor.tests.factories import professional_submission
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser

COUNCIL = "Testshire County Council"


def _on_friday(hour: int, minute: int):
    """Friday 20 November 2026, the working day before the suite's Monday."""
    return time_machine.travel(datetime(2026, 11, 20, hour, minute, tzinfo=LONDON), tick=False)


def _referral_decided_and_signed_off(users, child) -> str:
    mash = users["mash_worker"]
    with _on_friday(9, 30):
        contact, _ = services.contact_submit(
            actor=users["partner_practitioner"],
            channel=Channel.PROFESSIONAL,
            data=professional_submission(),
        )
    with _on_friday(9, 48):
        contact = services.contact_take(actor=mash, contact=contact, expected_version=1)
        contact = services.contact_rate(
            actor=mash,
            contact=contact,
            expected_version=contact.version,
            rag="red",
            level_of_need="4",
        )
        subject = contact.subjects.get(role="child")
        services.contact_link_subject(actor=mash, contact=contact, subject=subject, person=child)
    with _on_friday(10, 15):
        contact = services.contact_decide(
            actor=mash,
            contact=contact,
            expected_version=contact.version,
            decision="assessment",
            reasons="Hungry every day and an unexplained bruise",
            primary_need="N1",
        )
    with _on_friday(14, 5):
        services.contact_sign_off(
            actor=users["team_manager"],
            contact=contact,
            expected_version=contact.version,
            approve=True,
        )
    return contact.reference


def _expect_entry(item, title: str, byline: str, when: str, recorded: str) -> None:
    expect(item.locator(".moj-timeline__title")).to_have_text(title)
    expect(item.locator(".moj-timeline__byline")).to_have_text(f"by {byline}")
    expect(item.locator(".moj-timeline__date")).to_have_text(when)
    expect(item.locator(".moj-timeline__description")).to_contain_text(recorded)


def test_a_referral_decision_and_sign_off_read_in_order_with_times_and_people(
    transactional_db, live_server, browser, page, users, people
):
    child = people["involved"]  # Amelia Hart, the social worker's case
    reference = _referral_decided_and_signed_off(users, child)

    sign_in_as(page, live_server.url, users["social_worker"])
    page.goto(f"{live_server.url}/people/{child.pk}/#chronology")
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    items = page.locator(".moj-timeline__item")
    expect(items).to_have_count(4)
    signed_off = "20 November 2026 at 2:05pm"
    _expect_entry(
        items.nth(0),
        "Episode opened",
        f"Tm Tester, {COUNCIL}",
        signed_off,
        f"Recorded by Tm Tester on {signed_off}",
    )
    _expect_entry(
        items.nth(1),
        "MASH decision signed off",
        f"Tm Tester, {COUNCIL}",
        signed_off,
        f"Recorded by Tm Tester on {signed_off}",
    )
    _expect_entry(
        items.nth(2),
        "MASH decision",
        f"Mash Tester, {COUNCIL}",
        "20 November 2026 at 10:15am",
        "Recorded by Mash Tester on 20 November 2026 at 10:15am",
    )
    # The teacher referred (and typed it in); the MASH worker who filed it is not credited.
    _expect_entry(
        items.nth(3),
        "Contact received at the front door",
        "Dsl Tester, Elm Primary School",
        "20 November 2026 at 9:30am",
        "Recorded by Dsl Tester on 20 November 2026 at 9:30am",
    )
    expect(items.nth(3)).not_to_contain_text("Mash Tester")
    screenshot(page, "chronology-person-page")
    violations = axe_violations(page)
    assert not violations, violations

    # The MASH contact page shows the same timeline through the same macro.
    mash = new_page(browser)
    sign_in_as(mash, live_server.url, users["mash_worker"])
    mash.goto(f"{live_server.url}/mash/contacts/{reference}/")
    contact_items = mash.locator(".moj-timeline__item")
    expect(contact_items).to_have_count(4)
    expect(contact_items.nth(2).locator(".moj-timeline__date")).to_have_text(
        "20 November 2026 at 10:15am"
    )
    expect(contact_items.nth(2).locator(".moj-timeline__byline")).to_have_text(
        f"by Mash Tester, {COUNCIL}"
    )
    screenshot(mash, "chronology-contact-page")
    violations = axe_violations(mash)
    assert not violations, violations
