"""Neglect profiles in real Chromium, every page checked with axe-core: an administrator
loads a good template file, then a malformed one; an untrained practitioner is refused and
told who to contact; a trained one fills a profile (a draft survives a reload), completes
it, and a supervisor signs it off; a repeat profile shows its movement as a chart with its
table; a manager reads the use-and-effect page and the children behind a figure."""

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from safehub.neglect.models import (
    Item,
    NeglectProfile,
    ProfileDraft,
    ProfileStatus,
    ProfileTemplate,
)
from safehub.neglect.services import profile_complete, profile_start, template_load
from safehub.neglect.tests.conftest import template_data, train
from safehub.neglect.tests.test_profiles import fill
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser

LONDON = ZoneInfo("Europe/London")


def _upload(page, base: str, content: bytes) -> None:
    page.goto(f"{base}/neglect/templates/")
    page.get_by_label("Upload a template file").set_input_files(
        {"name": "template.json", "mimeType": "application/json", "buffer": content}
    )
    page.get_by_role("button", name="Upload and load").click()
    page.wait_for_load_state()


def test_an_administrator_loads_a_good_template_then_a_malformed_one(
    transactional_db, live_server, page, users
):
    base = live_server.url
    sign_in_as(page, base, users["system_administrator"])
    page.goto(f"{base}/neglect/templates/")
    expect(page.get_by_role("heading", name="Neglect profile templates")).to_be_visible()
    assert axe_violations(page) == []

    _upload(page, base, json.dumps(template_data()).encode())
    expect(page.get_by_text("Test profile (version 1) loaded.")).to_be_visible()
    expect(page.get_by_role("cell", name="Test profile")).to_be_visible()
    assert axe_violations(page) == []

    broken = template_data(version="2")
    broken["areas"][1]["sub_areas"][0]["items"][0]["descriptors"][4] = " "
    del broken["licence"]
    _upload(page, base, json.dumps(broken).encode())
    expect(page.get_by_role("heading", name="What is wrong with the file")).to_be_visible()
    expect(page.get_by_text("the template: needs a licence note (some text)")).to_be_visible()
    expect(
        page.get_by_text("area 2, sub-area 1, item 1: the descriptor for grade 5 is empty")
    ).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "neglect-template-malformed")
    assert list(ProfileTemplate.objects.values_list("version", flat=True)) == ["1"]


def _wait_for_draft(profile: NeglectProfile, box: str, text: str) -> None:
    """Until the autosave has reached SafeHub (ten seconds at most)."""
    for _ in range(100):
        if ProfileDraft.objects.filter(profile=profile, box=box, text=text).exists():
            return
        time.sleep(0.1)
    raise AssertionError(f"no draft {box}={text} saved")


def _fill_area(page, items: list[Item], grades: list[str]) -> None:
    for item, grade in zip(items, grades, strict=True):
        page.locator(f'input[name="item-{item.pk}-grade"][value="{grade}"]').check()
        page.get_by_label(f"Evidence for {item.title}").fill(f"Seen at the visit: {item.title}")
    page.get_by_role("button", name="Save this area").click()
    page.wait_for_load_state()


def test_untrained_refused_trained_completes_and_a_supervisor_signs_off(
    transactional_db, live_server, browser, page, users, people
):
    base = live_server.url
    template, _ = template_load(data=template_data())
    child = people["involved"]
    # Not trained: told why and who to contact, before filling anything in.
    sign_in_as(page, base, users["colleague"])
    page.goto(f"{base}/children/{child.pk}/neglect-profiles/new/")
    expect(
        page.get_by_role("heading", name="You cannot start a neglect profile yet")
    ).to_be_visible()
    expect(page.get_by_text("To arrange training, contact")).to_be_visible()
    assert axe_violations(page) == []

    train(users["social_worker"], template)
    worker = new_page(browser)
    sign_in_as(worker, base, users["social_worker"])
    worker.goto(f"{base}/people/{child.pk}/")
    worker.get_by_role("link", name="Neglect profiles for Amelia").click()
    worker.get_by_role("button", name="Start a neglect profile").click()
    assert axe_violations(worker) == []
    worker.get_by_role("button", name="Start the profile").click()
    expect(worker.get_by_role("heading", name="Neglect profile: Amelia Hart")).to_be_visible()
    assert axe_violations(worker) == []
    profile = NeglectProfile.objects.get()
    items = list(
        Item.objects.filter(area__template=template).order_by("area__position", "position")
    )

    # Area 1: the descriptors are the hints; evidence typed is kept as a draft over a reload.
    worker.get_by_role("link", name="1. Physical care").click()
    expect(worker.get_by_text("Food: grade 4")).to_be_visible()
    assert axe_violations(worker) == []
    worker.get_by_label("Evidence for Food").press_sequentially("Cupboards bare on Monday")
    expect(worker.get_by_text("Draft saved.")).to_be_visible(timeout=10_000)
    # A grade chosen is kept too, by SafeHub (not only this browser), as soon as it is chosen.
    food_grade = worker.locator(f'input[name="item-{items[0].pk}-grade"][value="4"]')
    food_grade.check()
    _wait_for_draft(profile, f"grade-{items[0].pk}", "4")
    worker.evaluate("window.localStorage.clear()")
    worker.reload()
    expect(worker.get_by_label("Evidence for Food")).to_have_value("Cupboards bare on Monday")
    expect(food_grade).to_be_checked()
    _fill_area(worker, items[:2], ["3", "2"])
    expect(worker.get_by_text("Physical care saved.")).to_be_visible()
    worker.get_by_role("link", name="2. Safety").click()
    _fill_area(worker, items[2:], ["4"])

    worker.get_by_role("link", name="Record the family's views and the plan").click()
    worker.get_by_label("The family's views").fill("Mum says the new flat is cold.")
    worker.get_by_label("Action 1: what is to be done").fill("Apply for the warm home grant")
    worker.get_by_label("Who owns action 1").fill("Jo Smith")
    due = worker.get_by_role("group", name="When action 1 is due")
    due.get_by_label("Day").fill("10")
    due.get_by_label("Month").fill("1")
    due.get_by_label("Year").fill("2027")
    review = worker.get_by_role("group", name="Review date")
    review.get_by_label("Day").fill("23")
    review.get_by_label("Month").fill("2")
    review.get_by_label("Year").fill("2027")
    assert axe_violations(worker) == []
    worker.get_by_role("button", name="Save the views and plan").click()
    worker.get_by_role("button", name="Complete the profile").click()
    expect(worker.get_by_text("Profile completed. A supervisor now signs it off.")).to_be_visible()
    expect(worker.get_by_role("button", name="Sign off the profile")).to_have_count(0)

    manager = new_page(browser)
    sign_in_as(manager, base, users["team_manager"])
    # The manager finds it on their list of profiles waiting for sign-off.
    manager.get_by_role("link", name="Neglect profiles").click()
    waiting = manager.get_by_role("table", name="Completed profiles waiting for your sign-off")
    assert axe_violations(manager) == []
    waiting.get_by_role("link", name="Amelia Hart").click()
    expect(manager).to_have_url(f"{base}/neglect-profiles/{profile.pk}/")
    assert axe_violations(manager) == []
    manager.get_by_role("button", name="Sign off the profile").click()
    expect(manager.get_by_text("Profile signed off.")).to_be_visible()
    assert axe_violations(manager) == []
    screenshot(manager, "neglect-profile-signed-off")
    profile.refresh_from_db()
    # Physical care (3 + 2) / 2 rounds up to 3, safety 4; overall (3 + 4) / 2 rounds up to 4.
    assert (profile.status, profile.overall_score) == (ProfileStatus.SIGNED_OFF, 4)


def test_a_repeat_profile_shows_movement_and_a_manager_reads_use_and_effect(
    transactional_db, live_server, page, users, people
):
    base = live_server.url
    template, _ = template_load(data=template_data())
    sw, child = users["social_worker"], people["involved"]
    train(sw, template)
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=LONDON)):
        first = profile_start(actor=sw, child=child, template=template)
        fill(sw, first, [4, 4, 5])
        profile_complete(actor=sw, profile=first, expected_version=first.version)
    repeat = profile_start(actor=sw, child=child, template=template)
    fill(sw, repeat, [2, 3, 5])
    profile_complete(actor=sw, profile=repeat, expected_version=repeat.version)

    sign_in_as(page, base, users["team_manager"])
    page.goto(f"{base}/neglect-profiles/{repeat.pk}/")
    expect(page.get_by_role("heading", name="Movement since the previous profile")).to_be_visible()
    expect(
        page.get_by_role("img", name="Grades by area: the previous profile beside this one")
    ).to_be_visible()
    table = page.locator("#movement-table")
    expect(table.get_by_role("row", name="Physical care 4 3 Better by 1")).to_be_visible()
    expect(table.get_by_role("row", name="Safety 5 5 No change")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "neglect-profile-movement")

    page.goto(f"{base}/neglect/use/")
    expect(page.get_by_role("heading", name="Neglect profile: use and effect")).to_be_visible()
    expect(page.get_by_role("img")).to_have_count(2)
    assert axe_violations(page) == []
    page.locator("#totals").get_by_role("link").first.click()
    expect(page.get_by_role("link", name="Amelia Hart")).to_be_visible()
    assert axe_violations(page) == []
