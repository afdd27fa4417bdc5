"""The CIN census in real Chromium: the performance analyst produces the 2025-26 census from
the live records and downloads it, uploads that file to the validator and reads its report,
then uploads a file that is not a census and is told why. Each page is checked with axe."""

from datetime import date
from pathlib import Path

import pytest
from lxml import etree
from playwright.sync_api import expect

from safehub.casework.models import Episode
from safehub.returns.tests.cin_builder import texts
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_the_analyst_produces_the_census_and_checks_it(
    transactional_db, live_server, browser, page, users, people, tmp_path: Path
):
    for person in people.values():
        Episode.objects.create(
            kind="cin",
            child=person,
            referral_date=date(2025, 6, 2),
            referral_source="2A",
            primary_need="N1",
            opened_by=users["team_manager"],
        )
    base = live_server.url
    sign_in_as(page, base, users["performance_analyst"])
    page.get_by_role("link", name="CIN census").first.click()
    expect(page.get_by_role("heading", name="CIN census", level=1)).to_be_visible()
    assert axe_violations(page) == []

    # A period that ends outside its census year is named, and nothing is downloaded.
    page.get_by_label("Census year").select_option("2025-26")
    page.locator("#id_end").get_by_label("Day").fill("30")
    page.locator("#id_end").get_by_label("Month").fill("4")
    page.locator("#id_end").get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Download the census file (XML)").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="The period must end within the 2025-26")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "cin-census")

    page.locator("#id_end").get_by_label("Day").fill("")
    page.locator("#id_end").get_by_label("Month").fill("")
    page.locator("#id_end").get_by_label("Year").fill("")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the census file (XML)").click()
    census = tmp_path / download.value.suggested_filename
    download.value.save_as(census)
    assert census.name == "cin-census-2025-26-20250401-20260331.xml"
    children = texts(etree.parse(str(census)).getroot(), "//ChildIdentifiers/LAchildID/text()")
    assert sorted(children) == sorted(str(p.pk) for p in people.values())

    page.goto(f"{base}/returns/cin/")
    page.get_by_role("link", name="check it against the census format").click()
    expect(page.get_by_role("heading", name="Check a CIN census file")).to_be_visible()
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("link", name="Select a CIN census file")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_label("Upload a CIN census file").set_input_files(str(census))
    page.get_by_label("Show the report on this page").check()
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name=f"Report on {census.name}")).to_be_visible()
    expect(page.locator("#errors")).to_have_text("0")
    expect(page.get_by_role("heading", name="No errors")).to_be_visible()
    expect(page.locator("#summary")).to_contain_text("2025-26")
    assert axe_violations(page) == []
    screenshot(page, "cin-validate-report")

    nonsense = tmp_path / "census.xml"
    nonsense.write_text("LAchildID,UPN\n1,A1\n")
    page.get_by_label("Upload a CIN census file").set_input_files(str(nonsense))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("#unreadable")).to_contain_text("The file is not XML")
    assert axe_violations(page) == []
