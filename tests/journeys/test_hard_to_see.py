"""Hard-to-see children in real Chromium: a MASH worker opens every register, filters it
and exports it; records a context of concern with a child linked to it; and records a MACE
panel with a child and the context discussed and an action, which its owner marks done from
"Your MACE actions". Each page is checked with axe-core."""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from safehub.chronology.services import chronology_append
from safehub.hardtosee.models import MaceAction, MacePanel
from safehub.hardtosee.selectors import Register, partner_code
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _on_registers(users, people) -> None:
    """Amelia (involved) home educated; Oliver (same team) missing education."""
    for person, code in (
        (people["involved"], "ehe_registered"),
        (people["same_team"], "child_missing_education"),
    ):
        chronology_append(
            actor=users["mash_worker"],
            persons=[person],
            event_type=partner_code(code),
            summary="From the school",
            occurred_on=date(2026, 10, 5),
        )


def test_each_register_is_opened_filtered_and_exported(
    transactional_db, live_server, browser, page, users, people
):
    _on_registers(users, people)
    base = live_server.url
    sign_in_as(page, base, users["mash_worker"])
    page.get_by_role("link", name="Registers").first.click()
    expect(page.get_by_role("heading", name="Registers of hard-to-see children")).to_be_visible()
    assert axe_violations(page) == []
    expected = {
        Register.EHE: "Amelia Hart",
        Register.CME: "Oliver Hart",
        Register.UNDER_ONES: None,
        Register.NO_CONTACT: "Isla Brown",
    }
    for register, name in expected.items():
        page.goto(f"{base}/registers/")
        page.get_by_role("link", name=register.heading, exact=True).click()
        expect(page.get_by_role("heading", name=register.heading, level=1)).to_be_visible()
        if name:
            expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
        assert axe_violations(page) == [], register

        # A filter that cannot be read is named; a good one narrows the register.
        page.get_by_label("Postcode district").fill("1AB")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
        assert axe_violations(page) == [], register
        page.get_by_label("Postcode district").fill("")
        page.get_by_label("Age").select_option("16-17")
        page.get_by_role("button", name="Apply filters").click()
        expect(page.get_by_text("Age: 16-17")).to_be_visible()
        expect(
            page.get_by_text("No children you may see are on this register with these filters")
        ).to_be_visible()
        assert axe_violations(page) == [], register
        page.get_by_role("link", name="Clear filters").click()

        with page.expect_download() as download:
            page.get_by_role("link", name="Export as CSV").click()
        text = Path(download.value.path()).read_text()
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0][:2] == ["SafeHub ID", "Name"], register
        names = {row[1] for row in rows[1:]}
        if name:
            assert name in names, register
    screenshot(page, "registers")


def test_a_context_and_a_mace_panel_are_recorded_with_actions(
    transactional_db, live_server, browser, page, users, people
):
    base = live_server.url
    child = people["involved"]
    sign_in_as(page, base, users["mash_worker"])

    # A context of concern, with the child linked to it and something on its chronology.
    page.get_by_role("link", name="Contexts").first.click()
    page.get_by_role("button", name="Record a context").click()
    assert axe_violations(page) == []
    page.get_by_label("A place").check()
    page.get_by_label("Name").fill("Riverside skate park")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Riverside skate park")).to_be_visible()
    page.get_by_label("SafeHub ID of the child or adult").fill(str(child.pk))
    page.get_by_label("Why are they linked to it?").fill("Seen there late with older youths")
    page.get_by_role("button", name="Link").click()
    expect(page.get_by_role("link", name="Amelia Hart", exact=True)).to_be_visible()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("What happened").fill("Police saw a car collecting children here.")
    page.get_by_label("High").check()
    page.get_by_role("button", name="Add to the chronology").click()
    expect(page.get_by_text("Police saw a car collecting children here.")).to_be_visible()
    assert axe_violations(page) == []

    # The panel: who attended, then what it discussed and the actions.
    page.get_by_role("link", name="MACE panels").first.click()
    page.get_by_role("button", name="Record a panel").click()
    page.get_by_role("button", name="Record the panel").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Chair").select_option(label="Tm Tester")
    page.get_by_label("Attendee 1: agency").select_option(label="Testshire County Council")
    page.get_by_label("Attendee 1: name").fill("Priya Shah")
    page.get_by_label("Attendee 2: agency").select_option(label="Elm Primary School")
    page.get_by_label("Attendee 2: name").fill("Tom Reed")
    page.get_by_role("button", name="Record the panel").click()
    expect(page.get_by_text("Priya Shah (Testshire County Council)")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("SafeHub ID of the child").fill(str(child.pk))
    page.locator("input[name=risk][value=very_high]").first.check()
    page.get_by_role("button", name="Add the child").click()
    expect(page.get_by_role("link", name="Amelia Hart", exact=True)).to_be_visible()
    page.get_by_label("Context").select_option(label="Riverside skate park")
    page.locator("form[action$='/contexts/'] input[name=risk][value=high]").check()
    page.get_by_role("button", name="Add the context").click()
    expect(page.get_by_role("link", name="Riverside skate park")).to_be_visible()

    page.get_by_label("Action").fill("Disruption visit with the police")
    page.get_by_label("About", exact=True).select_option(label="Riverside skate park (a place)")
    page.get_by_label("Owner").select_option(label="Sw Tester (Testshire County Council)")
    page.locator("#id_due_on-day").fill("30")
    page.locator("#id_due_on-month").fill("11")
    page.locator("#id_due_on-year").fill("2026")
    page.get_by_role("button", name="Add the action").click()
    expect(
        page.get_by_role("cell", name="Disruption visit with the police", exact=True)
    ).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "mace-panel")
    panel = MacePanel.objects.get()
    assert panel.discussions.count() == 2

    # The owner sees it in their own list and marks it done.
    worker = new_page(browser)
    sign_in_as(worker, base, users["social_worker"])
    worker.get_by_role("link", name="MACE actions").click()
    expect(worker.get_by_role("heading", name="Your MACE actions")).to_be_visible()
    expect(
        worker.get_by_role("cell", name="Disruption visit with the police", exact=True)
    ).to_be_visible()
    expect(worker.get_by_role("cell", name="Riverside skate park (a place)")).to_be_visible()
    assert axe_violations(worker) == []
    worker.get_by_role("button", name="Mark done").click()
    expect(worker.get_by_text("You have no open MACE actions.")).to_be_visible()
    assert MaceAction.objects.get().done_on is not None
