"""In real Chromium with axe-core: the contact page's sections (GOV.UK tabs) on a wide
screen, each checked for accessibility; the working pages use the screen's width; and the
/help/ guides, reached from the footer, for the reader's role and another."""

import pytest
from playwright.sync_api import expect

from safehub.access.roles import Role
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser

WIDE = {"width": 1800, "height": 1000}
SECTIONS = [
    "What we were told",
    "People",
    "History",
    "Triage",
    "Partner information",
    "Consent",
    "Decision",
]


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def _main_width(page) -> float:
    return page.evaluate("() => document.querySelector('main').getBoundingClientRect().width")


def test_the_contact_page_in_sections_on_a_wide_screen(
    transactional_db, live_server, browser, users, people
):
    from safehub.frontdoor import services
    from safehub.frontdoor.tests.factories import public_submission

    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    context = browser.new_context(bypass_csp=True, viewport=WIDE)
    page = context.new_page()
    base = live_server.url
    sign_in_as(page, base, users["mash_worker"])
    page.goto(f"{base}/mash/")
    assert _main_width(page) > 1500  # the queue uses the width, not 960 pixels
    _accessible(page, "wide-01-queue")
    page.goto(f"{base}/mash/contacts/{contact.reference}/")
    assert _main_width(page) > 1500
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(SECTIONS)
    # One section at a time: the page is a screen high, not five thousand pixels.
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 2500, height
    for number, name in enumerate(SECTIONS, start=1):
        page.get_by_role("tab", name=name).click()
        expect(page.get_by_role("tab", name=name)).to_have_attribute("aria-selected", "true")
        visible = page.locator(".govuk-tabs__panel:not(.govuk-tabs__panel--hidden)")
        expect(visible).to_have_count(1)
        _accessible(page, f"wide-02-contact-{number}")
    # The keyboard moves between tabs as GOV.UK Tabs promise.
    page.get_by_role("tab", name="What we were told").click()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("tab", name="People")).to_be_focused()
    expect(page.get_by_role("tab", name="People")).to_have_attribute("aria-selected", "true")
    # A save comes back to its own section, with the banner saying what was saved.
    page.get_by_role("tab", name="Triage").click()
    page.get_by_role("group", name="RAG rating").get_by_label("Amber").check()
    page.get_by_label("Level 3: targeted multi-agency early help").check()
    page.get_by_role("button", name="Save the rating").click()
    expect(page.get_by_role("alert")).to_contain_text("Rating saved: Amber")
    expect(page.get_by_role("tab", name="Triage")).to_have_attribute("aria-selected", "true")
    _accessible(page, "wide-03-contact-saved")
    context.close()


def test_the_casework_pages_use_a_wide_screen(
    transactional_db, live_server, browser, users, people
):
    context = browser.new_context(bypass_csp=True, viewport=WIDE)
    page = context.new_page()
    base = live_server.url
    sign_in_as(page, base, users["team_manager"])
    for path in ("/my-work/", "/team/", f"/children/{people['involved'].pk}/casework/"):
        page.goto(base + path)
        assert _main_width(page) > 1500, path
    screenshot(page, "wide-04-child-casework")
    page.goto(f"{base}/account/")
    assert _main_width(page) < 1100  # a reading page keeps GOV.UK's width
    context.close()


def test_help_for_my_role_and_for_others(transactional_db, live_server, page, users):
    base = live_server.url
    sign_in_as(page, base, users["social_worker"])
    page.get_by_role("contentinfo").get_by_role("link", name="Help").click()
    page.wait_for_url("**/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Social worker")
    expect(page.get_by_text("How to use SafeHub in your role")).to_be_visible()
    _accessible(page, "help-01-social-worker")
    others = page.get_by_role("navigation", name="Guides for other roles")
    expect(others.get_by_role("link")).to_have_count(len(Role) - 1)  # every role but one's own
    others.get_by_role("link", name="MASH worker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("MASH worker")
    _accessible(page, "help-02-mash-worker")
    page.get_by_role("link", name="Read the guide for your own role").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Social worker")
    page.get_by_role("main").get_by_role("link", name="My work").first.click()
    page.wait_for_url("**/my-work/")
