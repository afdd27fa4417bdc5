"""A social worker reads a child's multi-agency chronology in real Chromium: partner events
sent through POST /api/v1/partner-events, filtered to the police's, a key event marked with
analysis, the household's chronology, and the court chronology downloaded as a PDF and read
back with pypdf. Every page checked with axe-core."""

import io
from datetime import date

import pytest
from conftest import allocate, make_person
from playwright.sync_api import expect
from pypdf import PdfReader

from safehub.partners.tests.conftest import event, send, senders  # noqa: F401 - a fixture
from safehub.people.models import Address, Household, PersonAddress
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _no_violations(page) -> None:
    violations = axe_violations(page)
    assert not violations, violations


def _sent_through_the_api(senders, child) -> None:  # noqa: F811
    for sender, body in (
        (senders["school"], event(event_id="S1", occurred_at="2026-11-20")),
        (
            senders["police"],
            event(
                event_id="P1",
                type="domestic_abuse_child_present",
                occurred_at="2026-10-02T23:10:00+01:00",
                summary="Officers attended a domestic incident; Amelia was in the house.",
                significance="high",
            ),
        ),
        (
            senders["health"],
            event(
                event_id="H1",
                type="ed_attendance",
                occurred_at="2026-09-14",
                summary="Attended the emergency department with a cut hand.",
                reason="Cut hand",
            ),
        ),
    ):
        assert send(sender, [body]).json()["results"][0]["outcome"] == "accepted"


def test_a_social_worker_filters_marks_reads_the_household_and_exports_for_court(
    transactional_db,
    live_server,
    browser,
    page,
    users,
    people,
    senders,  # noqa: F811
):
    child = people["involved"]  # Amelia Hart, the social worker's case
    _sent_through_the_api(senders, child)
    home = Household.objects.create(
        address=Address.objects.create(line_1="1 Elm Row", town="Testford", postcode="TE1 1AA")
    )
    brother = make_person("Leo", "Hart", date(2017, 7, 7))
    allocate(brother, users["social_worker"])
    lodger = make_person("Victor", "Crane", date(1985, 3, 3), kind="adult")  # nobody's case
    for person in (child, brother, lodger):
        PersonAddress.objects.create(person=person, address=home.address, household=home)

    sign_in_as(page, live_server.url, users["social_worker"])
    page.goto(f"{live_server.url}/people/{child.pk}/")
    page.get_by_role("link", name="Open the multi-agency chronology").click()
    expect(page.get_by_role("heading", name="Multi-agency chronology")).to_be_visible()
    expect(page.get_by_role("heading", name="3 entries, newest first")).to_be_visible()
    _no_violations(page)

    # Filter to the police's information.
    page.get_by_label("Police", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(
        page.get_by_role("heading", name="1 entry matches the filter, newest first")
    ).to_be_visible()
    items = page.locator(".moj-timeline__item")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Officers attended a domestic incident")
    screenshot(page, "multiagency-chronology-filtered")
    _no_violations(page)

    # Mark it a key event with analysis; back on the same filtered page.
    items.first.get_by_role("link", name="Mark as key event or add analysis").click()
    expect(page.get_by_role("heading", name="Key event and analysis")).to_be_visible()
    _no_violations(page)
    page.get_by_label("This is a key event").check()
    page.get_by_label("Your analysis (optional)").fill(
        "Second call-out this year; Amelia saw it happen."
    )
    page.get_by_role("button", name="Save").click()
    expect(
        page.get_by_role("heading", name="1 entry matches the filter, newest first")
    ).to_be_visible()
    first = page.locator(".moj-timeline__item").first
    expect(first.locator(".moj-timeline__title")).to_have_text(
        "Key event: Domestic abuse incident: child present"
    )
    expect(first).to_contain_text("Analysis by Sw Tester")
    expect(first).to_contain_text("Second call-out this year; Amelia saw it happen.")

    # The household: Amelia's and her brother's chronologies together.
    page.get_by_role("link", name="Household").click()
    expect(page.get_by_role("heading", name="Household chronology")).to_be_visible()
    expect(page.locator("#household-members")).to_contain_text("Leo Hart")
    expect(page.locator("#household-members")).to_contain_text("A person you cannot see")
    expect(page.locator("#household-members")).not_to_contain_text("Victor")
    expect(page.locator(".moj-timeline__item")).to_have_count(3)
    expect(page.locator(".moj-timeline__item").first).to_contain_text("Concerns: Amelia Hart")
    screenshot(page, "multiagency-household")
    _no_violations(page)

    # The court chronology of the last two years, as a PDF.
    page.get_by_role("link", name="Court chronology").click()
    expect(page.get_by_role("heading", name="Court chronology")).to_be_visible()
    _no_violations(page)
    page.get_by_label("PDF").check()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download court chronology").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-2024-11-23-to-2026-11-23.pdf")
    with open(download.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Chronology of Amelia Hart" in text
    assert "23 November 2024 to 23 November 2026" in text
    assert "Domestic abuse incident: child present" in text
    assert "Testshire Police" in text
    assert "Elm Primary School" in text
    assert "Second call-out this year; Amelia saw it happen." in text
