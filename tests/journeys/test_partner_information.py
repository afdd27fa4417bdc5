"""Partner information in real Chromium: a school uploads a CSV with bad rows, sees every
problem, fixes its file and confirms; a MASH worker matches a queued event to a child and it
appears on the child's chronology. Each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from safehub.partners.codes import MatchState
from safehub.partners.models import PartnerEvent
from safehub.partners.parsing import FIELDS
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser

HEADER = ",".join(FIELDS)


def _row(**values: str) -> str:
    return ",".join(values.get(f, "") for f in FIELDS)


def _file(*rows: str) -> bytes:
    return ("\r\n".join([HEADER, *rows]) + "\r\n").encode()


# Amelia Hart (conftest's `involved` child) by name, date of birth and postcode: no
# identifier, so it waits for the MASH.
BY_NAME = _row(
    event_id="DSL-1",
    type="dsl_welfare_concern",
    occurred_at="2026-11-19",
    given_name="Amelia",
    family_name="Hart",
    date_of_birth="2015-04-03",
    postcode="TE1 4AB",
    summary="Arrived hungry and in the same clothes all week.",
    significance="medium",
)
BAD_NHS = _row(
    event_id="ATT-1",
    type="attendance",
    occurred_at="2026-11-20",
    nhs_number="943 476 5918",
    summary="Attendance this half term.",
    significance="low",
    period_start="2026-11-02",
    period_end="2026-11-20",
    attendance_percent="81.5",
)
NOT_OURS = _row(
    event_id="POL-1",
    type="household_adult_arrested",
    occurred_at="2026-11-20",
    nhs_number="9434765919",
    summary="Father arrested.",
    significance="high",
)


def _upload(page, base: str, content: bytes) -> None:
    page.goto(f"{base}/partner-information/")
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": "events.csv", "mimeType": "text/csv", "buffer": content}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_a_school_uploads_fixes_and_confirms_and_the_mash_matches_to_the_chronology(
    transactional_db, live_server, browser, page, users, people
):
    base = live_server.url
    sign_in_as(page, base, users["partner_practitioner"])
    page.goto(f"{base}/partner-information/")
    expect(page.get_by_role("heading", name="Send partner information")).to_be_visible()
    assert axe_violations(page) == []

    # A file with two bad rows: every problem is named, nothing is sent yet.
    _upload(page, base, _file(BY_NAME, BAD_NHS, NOT_OURS))
    expect(page.get_by_role("heading", name="Check your file")).to_be_visible()
    expect(page.get_by_text("1 ready to send")).to_be_visible()
    problems = page.get_by_role("table", name="Rows with problems")
    expect(problems).to_contain_text("Enter a valid 10-digit NHS number")
    expect(problems).to_contain_text("only police agencies send it")
    assert axe_violations(page) == []
    screenshot(page, "partner-upload-preview")
    assert not PartnerEvent.objects.exists()

    # Fixed: the NHS number corrected and the police row taken out.
    _upload(page, base, _file(BY_NAME, BAD_NHS.replace("943 476 5918", "943 476 5919")))
    expect(page.get_by_text("2 ready to send")).to_be_visible()
    page.get_by_role("button", name="Send 2 events").click()
    expect(page.get_by_role("heading", name="Events sent")).to_be_visible()
    table = page.get_by_role("table", name="What became of each row")
    expect(table).to_contain_text("filed on the record of SafeHub ID")
    assert axe_violations(page) == []
    assert PartnerEvent.objects.count() == 2

    # The MASH: the welfare concern waits, matched to Amelia by a worker.
    mash = new_page(browser)
    sign_in_as(mash, base, users["mash_worker"])
    mash.get_by_role("link", name="Partner information").first.click()
    expect(mash.get_by_role("heading", name="Partner information to match")).to_be_visible()
    assert axe_violations(mash) == []
    screenshot(mash, "partner-queue")
    mash.get_by_role("link", name="Welfare concern from the designated safeguarding lead").click()
    expect(mash.get_by_role("heading", name="Suggested records")).to_be_visible()
    assert axe_violations(mash) == []
    screenshot(mash, "partner-event")
    child = people["involved"]
    mash.get_by_role("button", name=f"Amelia Hart, SafeHub ID {child.pk}").click()
    expect(mash.get_by_text("is now on Amelia Hart’s chronology")).to_be_visible()
    expect(mash.get_by_text("Nothing is waiting to be matched.")).to_be_visible()
    assert PartnerEvent.objects.get(partner_event_id="DSL-1").state == MatchState.MATCHED_BY_WORKER

    # On her chronology: what happened, who sent it and for which agency.
    mash.goto(f"{base}/people/{child.pk}/#chronology")
    timeline = mash.locator(".moj-timeline")
    expect(timeline).to_contain_text("Arrived hungry and in the same clothes all week.")
    expect(timeline).to_contain_text("Welfare concern from the designated safeguarding lead")
    expect(timeline).to_contain_text("Elm Primary School")
    expect(timeline).to_contain_text("Attendance 81.5% from 2 November 2026 to 20 November 2026.")
    assert axe_violations(mash) == []
