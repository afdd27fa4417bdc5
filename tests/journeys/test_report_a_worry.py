"""A member of the public reports a worry about a child in real Chromium, with no account:
every page of the form (start, each question, the call-999 page, check answers and the
confirmation) is checked with axe-core and photographed into test-artifacts/. A second
journey does the same with JavaScript switched off."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from safehub.frontdoor.models import Contact
from safehub.notifications.models import OutboxMessage
from tests.journeys.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def _group(page, name: str):
    return page.get_by_role("group", name=name)


def test_a_member_of_the_public_reports_a_worry_and_gets_a_reference(
    transactional_db, live_server, page
):
    cache.clear()  # rate-limit counts from other tests
    page.goto(f"{live_server.url}/report/")
    expect(page.get_by_role("heading", name="Report a worry about a child")).to_be_visible()
    expect(page.get_by_text("If a child is in danger right now, call 999.").first).to_be_visible()
    _accessible(page, "report-01-start")
    page.get_by_role("button", name="Start now").click()

    # Who is the child? Continue with nothing: the error summary, then the answers.
    expect(page.get_by_role("heading", name="Who is the child?")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(page).to_have_title("Error: Who is the child? – Report a worry about a child – SafeHub")
    _accessible(page, "report-02-child-errors")
    page.get_by_role(
        "link", name="Enter the child's name, or if you do not know it", exact=False
    ).click()
    expect(page.get_by_label("First name")).to_be_focused()
    page.get_by_label("First name").fill("Amelia")
    page.get_by_label("Last name").fill("Hart")
    born = _group(page, "Date of birth")
    born.get_by_label("Day").fill("3")
    born.get_by_label("Month").fill("4")
    born.get_by_label("Year").fill("2015")
    _accessible(page, "report-03-child")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Where does the child live?")).to_be_visible()
    page.get_by_label("Building and street").fill("4 Mill Lane")
    page.get_by_label("Town or city").fill("Testford")
    page.get_by_label("Postcode").fill("te1 4ab")
    _accessible(page, "report-04-address")
    page.get_by_role("button", name="Continue").click()

    story = page.get_by_label("What has happened to make you worried about the child?")
    expect(story).to_be_visible()
    story.fill(
        "I heard shouting and a child crying late every night this week.\n"
        "On Tuesday she told me she was scared to go home."
    )
    _accessible(page, "report-05-what-happened")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Is the child in danger right now?")).to_be_visible()
    expect(page.locator(".govuk-warning-text")).to_contain_text("01632 960 999")
    _accessible(page, "report-06-danger")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Call 999 now")).to_be_visible()
    _accessible(page, "report-07-call-999")
    page.get_by_role("button", name="Continue the report").click()

    expect(page.get_by_role("heading", name="About you")).to_be_visible()
    page.get_by_label("I am a neighbour, friend or childminder").check()
    _group(page, "Do you want to tell us your name?").get_by_label("Yes", exact=True).check()
    _accessible(page, "report-08-about-you")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("What is your name?").fill("Pat Neighbour")
    _accessible(page, "report-09-your-name")
    page.get_by_role("button", name="Continue").click()

    contact = _group(page, "Do you want us to contact you about this report?")
    expect(contact).to_be_visible()
    _accessible(page, "report-10-contact")
    contact.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="How can we contact you?")).to_be_visible()
    page.get_by_label("Email address").fill("pat@@example")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _accessible(page, "report-11-contact-details-errors")
    page.get_by_label("Email address").fill("pat@example.com")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("TE1 4AB")).to_be_visible()
    expect(page.get_by_text("3 April 2015")).to_be_visible()
    _accessible(page, "report-12-check-answers")
    # Change the town and come straight back.
    page.get_by_role("link", name="Change where the child lives").click()
    page.get_by_label("Town or city").fill("Newtown")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("Newtown")).to_be_visible()

    page.get_by_role("button", name="Send report").dblclick()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    reference = page.locator(".sh-reference").inner_text().strip()
    # A child in danger now: the MASH decides within the council's hours, and says when.
    expect(page.get_by_text("keep the child safe within 2 hours, by")).to_be_visible()
    _accessible(page, "report-13-sent")

    sent = Contact.objects.get()  # a double click sends one report
    assert sent.reference == reference
    assert (sent.channel, sent.referral_source, sent.urgency) == ("public", "1B", "immediate")
    assert sent.subjects.get().town == "Newtown"
    assert OutboxMessage.objects.get().recipient_email == "pat@example.com"


def test_the_form_works_without_javascript(transactional_db, live_server, browser):
    cache.clear()
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/report/child/")
    page.get_by_label("First name").fill("Noor")
    page.get_by_label("If you do not know their date of birth").fill("About 6")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # the address is optional
    page.get_by_label("What has happened").fill("Left alone in the flat for two days.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I am a parent, relative or carer").check()
    page.get_by_label("No, I want to stay anonymous").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text("You chose to stay anonymous")).to_be_visible()
    screenshot(page, "report-14-check-answers-no-javascript-mobile")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()
    screenshot(page, "report-15-sent-no-javascript-mobile")
    sent = Contact.objects.get()
    assert (sent.referral_source, sent.referrer_name) == ("9", "")
    context.close()
