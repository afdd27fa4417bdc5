"""Court work and adoption in real Chromium, axe-core on every page: a child taken through
pre-proceedings (letter, meeting) into care proceedings, an interim care order and a final
order within the 26 weeks, a final order dated before the application refused on the way;
and a child through the adoption decision, placement order, match with approved adopters
and placement, a placement dated before the match refused."""

from datetime import date

import pytest
from playwright.sync_api import expect

from safehub.permanence.models import Adopters, Adoption, Proceedings
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def _date(page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _banner(page, text: str) -> None:
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(text)


def test_pre_proceedings_into_proceedings_and_a_final_order_within_26_weeks(
    transactional_db, live_server, page, users, people
):
    base, child = live_server.url, people["involved"]
    sign_in_as(page, base, users["social_worker"])
    page.goto(f"{base}/children/{child.pk}/casework/")
    expect(page.get_by_role("heading", name="Court and adoption")).to_be_visible()
    _accessible(page, "court-01-casework")

    page.get_by_role("link", name="Start pre-proceedings").click()
    _date(page, "Date of the legal gateway decision to start pre-proceedings", date(2026, 3, 2))
    _date(page, "Date the letter before proceedings was sent", date(2026, 3, 10))
    _date(page, "Date of the pre-proceedings meeting", date(2026, 3, 24))
    _accessible(page, "court-02-pre-proceedings")
    page.get_by_role("button", name="Save").click()
    _banner(page, "Pre-proceedings recorded")
    expect(
        page.locator(".govuk-summary-list__row").filter(has_text="Letter before proceedings")
    ).to_contain_text("10 March 2026")

    page.get_by_role("link", name="Record the application to court").click()
    page.get_by_label("Care order (Children Act 1989 section 31)").check()
    _date(page, "Date the application was issued", date(2026, 6, 1))
    page.get_by_label("Court", exact=True).fill("Demoshire Family Court")
    page.get_by_label("Children's guardian").fill("R. Patel (Cafcass)")
    _accessible(page, "court-03-application")
    page.get_by_role("button", name="Save").click()
    _banner(page, "Application recorded: the 26 weeks have begun")
    expect(page.get_by_text("Week 26; ends 27 November 2026")).to_be_visible()
    expect(page.get_by_text("Conclude care proceedings (26 weeks)").first).to_be_visible()

    page.get_by_role("link", name="Record a hearing").click()
    _date(page, "Date of the hearing", date(2026, 6, 3))
    page.get_by_label("Interim hearing").check()
    page.get_by_label("Interim care order").check()
    _date(page, "Date of the next hearing", date(2026, 7, 14))
    page.get_by_role("button", name="Save").click()
    _banner(page, "Hearing recorded")
    expect(page.get_by_role("row").filter(has_text="3 June 2026")).to_contain_text(
        "Interim care order"
    )

    page.get_by_role("link", name="Record the final order").click()
    _date(page, "Date of the final order", date(2026, 5, 29))
    page.get_by_label("Care order", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(
        page.locator(".govuk-error-summary").get_by_text("cannot be before the application")
    ).to_be_visible()
    _accessible(page, "court-04-refused")
    assert Proceedings.objects.get().final_order_on is None
    _date(page, "Date of the final order", date(2026, 11, 20))
    page.get_by_role("button", name="Save").click()
    _banner(page, "Final order recorded")
    expect(
        page.get_by_text("Care order, 20 November 2026 (903 legal status C2); within 26 weeks")
    ).to_be_visible()
    expect(page.get_by_text("Conclude care proceedings (26 weeks)")).to_have_count(0)
    _accessible(page, "court-05-final-order")


def test_the_adoption_decision_match_and_placement(
    transactional_db, live_server, page, users, people
):
    base, child, sw = live_server.url, people["involved"], users["social_worker"]
    sign_in_as(page, base, sw)
    page.get_by_role("link", name="Adopters").click()
    page.get_by_role("button", name="Add prospective adopters").click()
    page.get_by_label("Names").fill("Jo and Kim Reyes")
    page.get_by_label("Two female adopters (FF)").check()
    page.get_by_label("Married couple of different genders (L11)").check()
    _date(page, "Date of their first enquiry", date(2025, 9, 1))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary").get_by_text("does not fit")).to_be_visible()
    _accessible(page, "adoption-00-adopters-refused")
    page.get_by_label("Married couple or civil partners of the same gender (L12)").check()
    page.get_by_role("button", name="Save").click()
    adopters = Adopters.objects.get()
    page.get_by_role("link", name=adopters.reference).click()
    _date(page, "Date the agency decision maker approved them", date(2026, 2, 2))
    page.get_by_role("button", name="Save approval").click()
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Approved")).to_contain_text(
        "2 February 2026"
    )
    _accessible(page, "adoption-00-adopters-approved")
    page.goto(f"{base}/children/{child.pk}/casework/")
    page.get_by_role(
        "link", name="Record the decision that the child should be placed for adoption"
    ).click()
    _date(page, "Date of the agency decision maker's decision", date(2026, 1, 12))
    _accessible(page, "adoption-01-decision")
    page.get_by_role("button", name="Save").click()
    _banner(page, "Adoption recorded")

    page.get_by_role("link", name="Record the placement order").click()
    _date(page, "Date of the placement order", date(2026, 3, 2))
    page.get_by_role("button", name="Save").click()
    _banner(page, "Adoption recorded")

    page.get_by_role("link", name="Record the match with adopters").click()
    _date(page, "Date of the match", date(2026, 5, 1))
    page.get_by_label("Prospective adopters").select_option(
        label=f"Jo and Kim Reyes ({adopters.reference})"
    )
    page.get_by_label("No").check()
    _accessible(page, "adoption-02-match")
    page.get_by_role("button", name="Save").click()
    _banner(page, "Match recorded")

    page.get_by_role("link", name="Record that the child was placed for adoption").click()
    _date(page, "Date the child moved in", date(2026, 4, 30))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary").get_by_text("before the match")).to_be_visible()
    _accessible(page, "adoption-03-refused")
    assert Adoption.objects.get().placed_on is None
    _date(page, "Date the child moved in", date(2026, 5, 18))
    page.get_by_role("button", name="Save").click()
    _banner(page, "Adoption recorded")
    expect(page.get_by_text("1 May 2026, with Jo and Kim Reyes")).to_be_visible()
    expect(page.get_by_text("60 days")).to_be_visible()  # placement order to match (A2)
    _accessible(page, "adoption-04-placed")
    assert Adoption.objects.get().placed_on == date(2026, 5, 18)
