"""The front door in real Chromium: a school refers a child; the MASH triages, matches the
child to their record, asks health and gets an answer, and decides; a manager signs off;
the school sees the outcome. axe-core checks every MASH and partner screen on the way."""

import pytest
from playwright.sync_api import expect

from safehub.notifications.services import outbox_relay
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def test_refer_triage_match_request_decide_sign_off_and_see_outcome(
    transactional_db, live_server, browser, page, users, people, council
):
    from conftest import make_user

    base = live_server.url
    # people["involved"] is Amelia Hart, born 3 April 2015.
    health_visitor = make_user("hv", "partner_practitioner", council["teams"]["trust"])

    # A designated safeguarding lead at the school refers, misspelling the surname.
    sign_in_as(page, base, users["partner_practitioner"])
    page.wait_for_url("**/referrals/")
    _accessible(page, "mash-01-partner-referrals")
    page.get_by_role("button", name="Make a referral").click()
    page.get_by_label("Child: first name").fill("Amelia")
    page.get_by_label("Child: last name").fill("Harte")
    dob = page.get_by_role("group", name="Child: date of birth")
    dob.get_by_label("Day").fill("3")
    dob.get_by_label("Month").fill("4")
    dob.get_by_label("Year").fill("2015")
    page.get_by_label("Neglect", exact=True).check()
    page.get_by_label("What has happened, and why are you worried?").fill(
        "Amelia has come to school hungry every day this week and has a bruise on her arm."
    )
    page.get_by_label("Urgent: today").check()
    page.get_by_role("group", name="Does the family know").get_by_label("Yes").check()
    page.get_by_label("The family consented to this referral").check()
    _accessible(page, "mash-02-referral-form")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url("**/referrals/*/")
    expect(page.get_by_text("The MASH is considering this referral")).to_be_visible()
    reference = page.url.rstrip("/").rsplit("/", 1)[1]
    _accessible(page, "mash-03-referral-sent")

    # The MASH worker finds it at the top of the queue and opens it.
    mash = new_page(browser)
    sign_in_as(mash, base, users["mash_worker"])
    mash.wait_for_url("**/mash/")
    _accessible(mash, "mash-04-queue")
    mash.get_by_role("link", name=reference).click()
    expect(mash.get_by_role("heading", name="Amelia Harte", exact=True)).to_be_visible()
    _accessible(mash, "mash-05-contact")
    mash.get_by_role("tab", name="Triage").click()
    mash.get_by_role("button", name="Assign to me").click()
    expect(mash.get_by_role("alert")).to_contain_text("This contact is assigned to you.")
    mash.get_by_role("group", name="RAG rating").get_by_label("Red").check()
    mash.get_by_label("Level 4: specialist or statutory (children's social care)").check()
    mash.get_by_role("button", name="Save the rating").click()
    expect(mash.get_by_role("alert")).to_contain_text("Rating saved: Red")

    # Matching suggests the existing record, with reasons; the worker links it.
    mash.get_by_role("tab", name="People").click()
    row = mash.locator("tr", has_text="Amelia Hart").first
    expect(row.get_by_text("Date of birth matches")).to_be_visible()
    row.get_by_role("button", name="Link").click()
    expect(mash.get_by_text("Linked to Amelia Hart")).to_be_visible()
    expect(mash.get_by_role("alert")).to_contain_text("Amelia Harte is linked to their record.")
    mash.get_by_role("tab", name="History").click()
    expect(mash.get_by_role("heading", name="Latest chronology for Amelia Hart")).to_be_visible()

    # Ask health; the health visitor answers in their own session.
    mash.get_by_role("tab", name="Partner information").click()
    mash.get_by_label("Agency to ask").select_option(label="Testshire NHS Trust")
    mash.get_by_label("What do you need to know?").fill("Is Amelia known to health visiting?")
    mash.get_by_label("Within 4 hours").check()
    mash.get_by_role("button", name="Send the request").click()
    expect(mash.locator("#requests table").first).to_contain_text("Awaiting answer")
    expect(mash.get_by_role("alert")).to_contain_text("Your request was sent to Testshire")
    outbox_relay()
    health = new_page(browser)
    sign_in_as(health, base, health_visitor)
    health.goto(f"{base}/inbox/")
    _accessible(health, "mash-06-health-inbox")
    health.goto(f"{base}/requests/")
    _accessible(health, "mash-07-health-requests")
    health.get_by_role("link", name="Amelia Harte").click()
    _accessible(health, "mash-08-health-answer")
    health.get_by_label("Your answer").fill("Known. Two missed developmental checks in 2024.")
    health.get_by_role("button", name="Send the answer").click()
    health.wait_for_url("**/requests/")
    expect(health.get_by_role("alert")).to_contain_text("Your answer was sent to the MASH.")
    mash.reload()  # the address names the section, so the same tab opens
    expect(
        mash.get_by_text("Known. Two missed developmental checks in 2024.", exact=True)
    ).to_be_visible()

    # Consent and the decision.
    mash.get_by_role("tab", name="Consent").click()
    mash.get_by_label("Proceed without consent: risk of significant harm").check()
    mash.get_by_label("Reason for the consent decision").fill(
        "Unexplained bruising: we share without waiting."
    )
    mash.get_by_role("button", name="Record the consent decision").click()
    expect(mash.get_by_role("alert")).to_contain_text("Consent decision recorded")
    mash.get_by_role("tab", name="Decision").click()
    mash.get_by_label("Referral to children's social care for assessment").check()
    mash.get_by_label("The child's primary need").select_option("N1")
    mash.get_by_label("Reasons for the decision").fill(
        "Persistent hunger and an unexplained bruise; health confirms missed checks."
    )
    mash.get_by_role("button", name="Record the decision").click()
    expect(mash.get_by_text("Waiting for a manager")).to_be_visible()
    expect(mash.get_by_role("alert")).to_contain_text("waits for a manager to sign it off")
    _accessible(mash, "mash-09-awaiting-sign-off")

    # A manager signs it off; the queue-health page counts it.
    manager = new_page(browser)
    sign_in_as(manager, base, users["team_manager"])
    manager.goto(f"{base}/mash/contacts/{reference}/")
    manager.get_by_role("tab", name="Decision").click()
    manager.get_by_label("Yes, sign it off").check()
    manager.get_by_role("button", name="Confirm").click()
    expect(manager.get_by_text("Decided").first).to_be_visible()
    expect(manager.get_by_role("alert")).to_contain_text("Decision signed off.")
    manager.goto(f"{base}/mash/health/")
    _accessible(manager, "mash-10-queue-health")
    expect(manager.get_by_text("Became referrals to children's social care")).to_be_visible()

    # The school sees the outcome on its referral, and a message in its inbox.
    outbox_relay()
    page.goto(f"{base}/referrals/{reference}/")
    expect(
        page.get_by_text("Outcome: Referral to children's social care for assessment")
    ).to_be_visible()
    _accessible(page, "mash-11-partner-outcome")
    page.goto(f"{base}/inbox/")
    expect(
        page.get_by_role("heading", name=f"Outcome of your referral {reference}")
    ).to_be_visible()
    _accessible(page, "mash-12-partner-inbox")


def test_mash_form_errors_are_accessible(
    transactional_db,
    live_server,
    page,
    users,
    people,
):
    from safehub.frontdoor import services
    from safehub.frontdoor.tests.factories import public_submission

    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    sign_in_as(page, live_server.url, users["mash_worker"])
    page.goto(f"{live_server.url}/mash/contacts/{contact.reference}/")
    page.get_by_role("tab", name="Decision").click()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    # The page comes back on the section whose form has the errors.
    expect(page.get_by_role("tab", name="Decision")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("group", name="Decision", exact=True)).to_be_visible()
    _accessible(page, "mash-13-decision-errors")
    page.goto(f"{live_server.url}/mash/?rag=none&overdue=on")
    _accessible(page, "mash-14-queue-filtered")


def test_the_mash_records_a_telephone_contact(transactional_db, live_server, page, users, people):
    """A housing officer rings the MASH; the worker types the call in from the queue and
    lands on the new contact, ready to triage."""
    sign_in_as(page, live_server.url, users["mash_worker"])
    page.wait_for_url("**/mash/")
    page.get_by_role("button", name="Record a telephone contact").click()
    page.get_by_label("Who is the caller?").select_option(label="Housing")
    page.get_by_label("Caller's name").fill("Jo Patel")
    page.get_by_label("Caller's role or how they know the child").fill(
        "Housing officer, Testshire Council"
    )
    page.get_by_label("Caller's phone number").fill("01632 960555")
    page.get_by_label("The caller would like to hear what happens next").check()
    page.get_by_label("Child: first name").fill("Ruby")
    page.get_by_label("Child: last name").fill("Marsh")
    page.get_by_label("Neglect", exact=True).check()
    page.get_by_label("What has happened, and why is the caller worried?").fill(
        "On a visit today the flat had no heating and no food for the two children."
    )
    page.get_by_label("Urgent: today").check()
    page.get_by_role("group", name="Does the family know").get_by_label("No", exact=True).check()
    page.get_by_label("Consent was not sought").check()
    page.get_by_label("If the caller did not seek consent, why not?").fill(
        "The caller fears the children would be moved before anyone could visit."
    )
    _accessible(page, "mash-phone-01-form")
    page.get_by_role("button", name="Record the contact").click()
    page.wait_for_url("**/mash/contacts/*/")
    expect(page.get_by_text("Telephone (recorded by the MASH)")).to_be_visible()
    expect(page.get_by_text("Call taken by")).to_be_visible()
    _accessible(page, "mash-phone-02-contact")
