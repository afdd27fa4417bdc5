"""Ofsted's Annex A in real Chromium: the performance analyst opens the page from the
navigation, leaves the last day blank and is told so, then downloads the workbook for a day
and finds every child in need on list 6. Each page is checked with axe."""

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from safehub.casework.models import Episode
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_the_analyst_downloads_annex_a(
    transactional_db, live_server, browser, page, users, people, tmp_path: Path
):
    for person in people.values():
        Episode.objects.create(
            kind="cin",
            child=person,
            referral_date=date(2026, 6, 2),
            referral_source="2A",
            primary_need="N1",
            opened_by=users["team_manager"],
        )
    sign_in_as(page, live_server.url, users["performance_analyst"])
    page.get_by_role("link", name="Ofsted Annex A").first.click()
    expect(page.get_by_role("heading", name="Ofsted Annex A", level=1)).to_be_visible()
    assert axe_violations(page) == []

    end = page.locator("#id_end")
    for box in ("Day", "Month", "Year"):
        end.get_by_label(box).fill("")
    page.get_by_role("button", name="Download the Annex A workbook (Excel)").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "annex-a")

    end.get_by_label("Day").fill("31")
    end.get_by_label("Month").fill("10")
    end.get_by_label("Year").fill("2026")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the Annex A workbook (Excel)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "annex-a-20261031.xlsx"
    sheet = load_workbook(saved, read_only=True)["List 6"]
    named = {str(row[0]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert named == {str(p.pk) for p in people.values()}
