"""Leaving care in real Chromium: a personal adviser finds a care leaver's 19th birthday
record due in "my work", opens the young person's casework page, tries to save the record
without saying whether the accommodation is suitable (refused, nothing saved), then saves
it. axe-core checks every page on the way."""

from datetime import date

import pytest
from playwright.sync_api import expect

from safehub.leaving_care import services
from safehub.leaving_care.models import BirthdayRecord
from safehub.leaving_care.tests.conftest import looked_after
from safehub.people.models import Person
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser

BORN = date(2007, 11, 10)  # 19 on 10 November 2026, a fortnight before the suite's day


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def test_a_care_leavers_19th_birthday_is_recorded(
    transactional_db, live_server, page, users, people
):
    base, child, adviser = live_server.url, people["involved"], users["colleague"]
    Person.objects.filter(pk=child.pk).update(date_of_birth=BORN)
    child.refresh_from_db()
    looked_after(child, users["social_worker"], date(2021, 3, 1), date(2024, 1, 10))
    services.adviser_allocate(
        actor=users["team_manager"],
        child=child,
        adviser=adviser,
        support_to_25=False,
        expected_version=None,
    )

    sign_in_as(page, base, adviser)
    page.goto(f"{base}/my-work/")
    table = page.locator("#care-leavers-table")
    expect(table.get_by_role("cell", name="Record the 19th birthday")).to_be_visible()
    expect(table.get_by_role("cell", name="10 December 2026")).to_be_visible()
    _accessible(page, "leaving-care-01-my-work")

    table.get_by_role("link", name=child.full_name).first.click()
    expect(page.get_by_role("heading", name="Leaving care")).to_be_visible()
    expect(page.get_by_text("Former relevant")).to_be_visible()
    _accessible(page, "leaving-care-02-casework")

    page.get_by_role("link", name="Record a birthday").click()
    _accessible(page, "leaving-care-03-form")
    page.get_by_label("Which birthday?").select_option(label="19th birthday")
    contact = page.get_by_role("group", name="Date of the latest contact")
    contact.get_by_label("Day").fill("12")
    contact.get_by_label("Month").fill("11")
    contact.get_by_label("Year").fill("2026")
    page.get_by_label("In touch (YES)").check()
    page.get_by_label("Where are they living?").select_option(
        label="Independent living, for example a flat or tenancy (U)"
    )
    page.get_by_label("What are they doing?").select_option(
        label="Full-time training or employment other than an apprenticeship (F5)"
    )
    page.get_by_role("button", name="Save the birthday record").click()  # suitability missing
    expect(page.get_by_text("There is a problem")).to_be_visible()
    expect(
        page.locator(".govuk-error-summary").get_by_text(
            "Select whether the accommodation is suitable"
        )
    ).to_be_visible()
    assert not BirthdayRecord.objects.exists()
    _accessible(page, "leaving-care-04-refused")

    page.get_by_label("Suitable", exact=True).check()
    page.get_by_role("button", name="Save the birthday record").click()
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(
        "Birthday record saved"
    )
    row = page.get_by_role("row").filter(has_text="19 (10 November 2026)")
    expect(row).to_contain_text("In touch (YES)")
    expect(row).to_contain_text("suitable (U1)")
    expect(row).to_contain_text(
        "Full-time training or employment other than an apprenticeship (F5)"
    )
    _accessible(page, "leaving-care-05-saved")
    record = BirthdayRecord.objects.get()
    assert (record.age, record.accommodation, record.suitable, record.activity) == (
        19,
        "U",
        True,
        "F5",
    )
