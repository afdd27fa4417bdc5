"""Nothing the referrer said is lost, in real Chromium with axe-core on every screen:
- a member of the public refers an unborn baby and names the mother;
- a health visitor makes a pre-birth referral; the MASH creates the baby's record from the
  prefilled form and, once the mother is linked, records her as the baby's parent;
- the MASH links a referral's children and creates the mother's record, then confirms the
  address, school and relationships the referrer gave: the child's page shows the mother
  and brother in the family network, the address and the school."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from safehub.frontdoor.models import Contact
from safehub.people.models import Address, Person, PersonAddress
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def _fill_date(group, day: date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _due() -> date:
    return timezone.localdate() + timedelta(weeks=16)


def test_a_member_of_the_public_refers_an_unborn_baby(transactional_db, live_server, page):
    cache.clear()  # rate-limit counts from other tests
    due = _due()
    page.goto(f"{live_server.url}/report/")
    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_role("heading", name="Who is the child?")).to_be_visible()
    _fill_date(page.get_by_role("group", name="when are they due"), due)
    _accessible(page, "prebirth-public-01-child")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Who is the baby’s mother?")).to_be_visible()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _accessible(page, "prebirth-public-02-mother-errors")
    page.get_by_label("First name").fill("Dana")
    page.get_by_label("Last name").fill("Hart")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Where does the baby’s mother live?")).to_be_visible()
    page.get_by_label("Building and street").fill("4 Mill Lane")
    page.get_by_label("Town or city").fill("Testford")
    page.get_by_label("Postcode").fill("te1 4ab")
    _accessible(page, "prebirth-public-03-address")
    page.get_by_role("button", name="Continue").click()

    page.get_by_label("What has happened to make you worried about the child?").fill(
        "Dana is six months pregnant and her partner hit her last night."
    )
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("I am a neighbour, friend or childminder").check()
    page.get_by_label("No, I want to stay anonymous").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Check your answers")).to_be_visible()
    expect(page.get_by_text(f"Not born yet: due {due.day} {due:%B %Y}")).to_be_visible()
    expect(page.get_by_text("Dana Hart")).to_be_visible()
    _accessible(page, "prebirth-public-04-check")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_role("heading", name="Report sent")).to_be_visible()

    contact = Contact.objects.get()
    baby = contact.subjects.get(role="child")
    mother = contact.subjects.get(role="adult")
    assert (baby.expected_date_of_birth, baby.date_of_birth) == (due, None)
    assert (mother.full_name, mother.relationship_to_child) == ("Dana Hart", "mother")


def test_a_pre_birth_referral_becomes_a_record_linked_to_the_mother(
    transactional_db, live_server, browser, page, users, council
):
    from conftest import make_person

    base, due = live_server.url, _due()
    dana = make_person("Dana", "Hart", date(1994, 3, 8), kind="adult")

    sign_in_as(page, base, users["partner_practitioner"])
    page.wait_for_url("**/referrals/")
    page.get_by_role("button", name="Make a referral").click()
    _fill_date(page.get_by_role("group", name="Child: not born yet, due on"), due)
    page.get_by_label("Child: home postcode").fill("TE1 4AB")
    page.get_by_label("Adult 1: first name").fill("Dana")
    page.get_by_label("Adult 1: last name").fill("Hart")
    page.get_by_label("Adult 1: how are they related to the first child?").select_option(
        label="Mother"
    )
    page.get_by_label("Drug misuse: parent or carer").check()
    page.get_by_label("What has happened, and why are you worried?").fill(
        "Dana told me at the 24-week check that she is using heroin again."
    )
    page.get_by_label("Routine").check()
    page.get_by_role("group", name="Does the family know").get_by_label("Yes").check()
    page.get_by_label("The family consented to this referral").check()
    _accessible(page, "prebirth-professional-01-form")
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_url("**/referrals/*/")
    reference = page.url.rstrip("/").rsplit("/", 1)[1]

    mash = new_page(browser)
    sign_in_as(mash, base, users["mash_worker"])
    mash.goto(f"{base}/mash/contacts/{reference}/")
    mash.get_by_role("tab", name="People").click()
    expect(mash.get_by_text("not born yet: due").first).to_be_visible()
    _accessible(mash, "prebirth-professional-02-contact")
    mash.get_by_role("button", name="create a new record for Unborn baby").click()
    expect(mash.get_by_role("heading", name="Record a new person")).to_be_visible()
    expect(mash.get_by_label("Unborn child")).to_be_checked()
    expect(mash.get_by_label("First name")).to_have_value("Unborn")
    expect(mash.get_by_label("Last name")).to_have_value("Hart")
    expect(mash.get_by_label("Postcode")).to_have_value("TE1 4AB")
    _accessible(mash, "prebirth-professional-03-new-record")
    assert not Person.objects.filter(kind="unborn").exists()  # nothing saved yet
    # The referrer gave only the postcode: the worker completes the address.
    mash.get_by_label("Address line 1").fill("4 Mill Lane")
    mash.get_by_label("Town or city").fill("Testford")
    mash.get_by_role("button", name="Save").click()
    expect(mash.get_by_text("Linked to Unborn Hart")).to_be_visible()

    mother_card = mash.locator(".govuk-summary-card", has_text="Adult in the household: Dana")
    mother_card.locator("tr", has_text=f"ID {dana.pk}").get_by_role("button", name="Link").click()
    card = mash.locator("#carry-over")
    expect(card).to_contain_text("Dana Hart is Unborn Hart’s parent")
    _accessible(mash, "prebirth-professional-04-suggestions")
    card.get_by_role("button", name="Confirm: Dana Hart is Unborn Hart’s parent").click()

    unborn = Person.objects.get(kind="unborn")
    assert unborn.expected_date_of_birth == due
    mash.goto(f"{base}/people/{unborn.pk}/")
    expect(mash.locator("table", has_text="Relationships")).to_contain_text("Dana Hart")
    _accessible(mash, "prebirth-professional-05-baby")


def test_linking_carries_address_school_and_relationships_into_the_family_network(
    transactional_db, live_server, page, users, council
):
    from conftest import make_person

    from safehub.frontdoor import services
    from safehub.frontdoor.tests.factories import professional_submission

    base = live_server.url
    amelia = make_person("Amelia", "Hart", date(2015, 4, 3))
    old = Address.objects.create(line_1="1 Old Road", town="Testford", postcode="TE2 2BB")
    PersonAddress.objects.create(person=amelia, address=old, start_date=date(2020, 1, 1))
    oliver = make_person("Oliver", "Hart", date(2012, 9, 1))
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(
            children=[
                {
                    "given_name": "Amelia",
                    "family_name": "Hart",
                    "date_of_birth": "2015-04-03",
                    "address_line_1": "4 Mill Lane",
                    "town": "Testford",
                    "postcode": "TE1 4AB",
                    "school": "Elm Primary School",
                },
                {
                    "given_name": "Oliver",
                    "family_name": "Hart",
                    "date_of_birth": "2012-09-01",
                    "relationship_to_child": "sibling",
                },
            ],
            adults=[
                {
                    "given_name": "Dana",
                    "family_name": "Quartermaine",
                    "relationship_to_child": "mother",
                }
            ],
        ),
    )

    sign_in_as(page, base, users["mash_worker"])
    page.goto(f"{base}/mash/contacts/{contact.reference}/")
    page.get_by_role("tab", name="People").click()
    for child in (amelia, oliver):
        card = page.locator(".govuk-summary-card", has_text=f"Child: {child.full_name}")
        card.locator("tr", has_text=f"ID {child.pk}").get_by_role("button", name="Link").click()
        expect(page.get_by_text(f"Linked to {child.full_name}")).to_be_visible()

    page.get_by_role("button", name="create a new record for Dana Quartermaine").click()
    expect(page.get_by_label("First name")).to_have_value("Dana")
    expect(page.get_by_label("Last name")).to_have_value("Quartermaine")
    expect(page.get_by_label("Female")).to_be_checked()
    expect(page.get_by_label("Adult", exact=True)).to_be_checked()
    _accessible(page, "carry-over-01-new-record-prefilled")
    page.get_by_role("button", name="Save").click()

    card = page.locator("#carry-over")
    expect(card).to_contain_text("Dana Quartermaine is Amelia Hart’s parent")
    expect(card).to_contain_text("Oliver Hart is Amelia Hart’s sibling")
    expect(card).to_contain_text("Amelia Hart lives at 4 Mill Lane, Testford, TE1 4AB")
    expect(card).to_contain_text("Amelia Hart’s school or nursery is Elm Primary School")
    _accessible(page, "carry-over-02-suggestions")
    assert not amelia.relationships.exists()  # nothing is written before the worker confirms
    card.get_by_role("button", name="Confirm all").click()
    expect(page.locator("#carry-over")).to_have_count(0)

    page.get_by_role("link", name="Amelia Hart").first.click()
    # The contact page's heading names Amelia too: wait for her own page before reading it.
    page.wait_for_url(f"**/people/{amelia.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Amelia Hart")
    network = page.locator(".sh-family-network")
    expect(network).to_contain_text("Dana Quartermaine")
    expect(network).to_contain_text("Oliver Hart")
    relationships = page.locator("table", has_text="Relationships")
    expect(relationships).to_contain_text("Dana Quartermaine")
    expect(relationships).to_contain_text("Oliver Hart")
    expect(page.get_by_text("4 Mill Lane").first).to_be_visible()
    school = page.locator(".govuk-summary-list__row", has_text="School or nursery")
    expect(school).to_contain_text("Elm Primary School")
    _accessible(page, "carry-over-03-child-page")
