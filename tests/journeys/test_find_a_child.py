"""A worker signs in with a TOTP code, searches with a typo, opens a child and sees the
family network and chronology. Every page on the way is checked with axe-core."""

import uuid
from datetime import date

import pytest
from conftest import PASSWORD, allocate, current_code, make_person
from playwright.sync_api import expect

from safehub.chronology.services import chronology_append
from safehub.people.models import Relationship
from tests.journeys.conftest import axe_violations, screenshot

pytestmark = pytest.mark.browser


def _sign_in(page, base: str, user) -> None:
    page.goto(f"{base}/sign-in/")
    assert not axe_violations(page), "sign-in page"
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/sign-in/code/")
    assert not axe_violations(page), "code page"
    page.get_by_label("Security code").fill(current_code(user))
    page.get_by_role("button", name="Sign in").click()


def test_sign_in_search_with_a_typo_and_open_a_child(
    transactional_db,
    live_server,
    page,
    users,
    people,
):
    child = people["involved"]
    worker = users["social_worker"]
    # Amelia's sister is the worker's case too; a half-brother is South's, so the worker
    # sees that he is there but not who he is.
    sister = Relationship.objects.get(subject=child).other
    allocate(sister, worker)
    brother = make_person("Kai", "Stroud", date(2011, 2, 2))
    allocate(brother, users["south_worker"])
    pair = uuid.uuid4()
    Relationship.objects.create(subject=child, other=brother, type="half_sibling", pair_key=pair)
    Relationship.objects.create(subject=brother, other=child, type="half_sibling", pair_key=pair)
    for n in range(30):
        chronology_append(
            actor=worker,
            persons=[child],
            event_type="SCHOOL_ATTENDANCE_CONCERN",
            summary=f"Attendance 78% this half-term (note {n})",
        )
    _sign_in(page, live_server.url, worker)
    page.wait_for_url("**/my-work/")  # a social worker starts on their own work
    page.get_by_role("link", name="Find a person").click()
    expect(page.get_by_role("heading", name="Find a person")).to_be_visible()

    page.get_by_label("Name").fill("Amelya Hart")
    page.get_by_role("button", name="Search").click()
    result = page.get_by_role("link", name="Amelia Hart")
    expect(result).to_be_visible()
    expect(page.locator(".sh-match-reasons__item").first).to_be_visible()
    assert not axe_violations(page), "search results"
    screenshot(page, "journey-search-results")

    result.click()
    page.wait_for_url(f"**/people/{child.pk}/")
    expect(page.get_by_role("heading", name="Family network")).to_be_visible()
    expect(page.locator(".sh-family-network svg")).to_be_visible()
    expect(page.locator(".sh-family-network a")).to_have_count(2)  # Amelia and her sister
    expect(page.locator(".sh-family-network__node--withheld")).to_have_count(1)
    expect(page.get_by_text("A person you cannot see").first).to_be_visible()
    assert "Kai Stroud" not in page.content()
    expect(page.get_by_role("heading", name="Chronology")).to_be_visible()
    expect(page.locator(".moj-timeline__item")).to_have_count(25)
    expect(page.get_by_text("Attendance 78% this half-term (note 29)")).to_be_visible()
    violations = axe_violations(page)
    screenshot(page, "journey-person-page")
    assert not violations, violations

    page.get_by_role("link", name="Next").click()
    expect(page.locator(".moj-timeline__item")).to_have_count(5)  # 30 entries in all


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("social_worker", "/people/new/"),
        ("data_protection_officer", "/audit/?person_id=1"),
        ("data_protection_officer", "/audit/break-glass/"),
        ("system_administrator", "/users/"),
        ("system_administrator", "/users/new/"),
        ("performance_analyst", "/account/"),
        ("performance_analyst", "/accessibility/"),
    ],
)
def test_other_pages_have_no_serious_accessibility_violations(
    role,
    path,
    transactional_db,
    live_server,
    page,
    users,
    people,
):
    _sign_in(page, live_server.url, users[role])
    page.wait_for_load_state()
    page.goto(f"{live_server.url}{path}")
    violations = axe_violations(page)
    assert not violations, (path, violations)


def test_form_errors_and_break_glass_pages_are_accessible(
    transactional_db,
    live_server,
    page,
    users,
    people,
):
    _sign_in(page, live_server.url, users["mash_worker"])
    page.wait_for_url("**/mash/")
    page.goto(f"{live_server.url}/people/new/")
    page.get_by_label("NHS number").fill("123")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    violations = axe_violations(page)
    screenshot(page, "journey-create-errors")
    assert not violations, violations
    page.goto(f"{live_server.url}/people/{people['restricted'].pk}/")
    page.wait_for_url("**/restricted/")
    expect(page.get_by_role("heading", name="This record is restricted")).to_be_visible()
    assert not axe_violations(page)


def test_an_administrator_signs_a_user_out_of_every_device(
    transactional_db,
    live_server,
    page,
    users,
):
    worker = users["social_worker"]
    _sign_in(page, live_server.url, users["system_administrator"])
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/users/{worker.pk}/")
    assert not axe_violations(page)
    page.get_by_role("button", name="Sign out of every device").click()
    expect(page.get_by_text("signed out of 0 sessions")).to_be_visible()
    screenshot(page, "admin-user-signed-out")
    assert not axe_violations(page)
