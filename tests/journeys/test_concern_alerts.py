"""A concern alert in real Chromium: three agencies send partner events about a child
nobody leads on; the rule fires as the third arrives; a MASH worker finds the alert in
their queue, opens it, reads why it fired and the facts behind it, and records that they
started a contact. Each page checked with axe-core."""

import pytest
from conftest import make_user
from playwright.sync_api import expect

from safehub.access.roles import Role
from safehub.concerns.models import Alert, AlertState
from safehub.concerns.tests.conftest import install
from safehub.organisations.models import Agency, AgencyKind, Team
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_an_alert_arrives_is_opened_with_its_explanation_and_acted_on(
    transactional_db, live_server, page, users, people, council
):
    install("many-agencies-no-plan")
    nurse = make_user("nurse", Role.PARTNER_PRACTITIONER, council["teams"]["trust"])
    police = Agency.objects.create(name="Testshire Police", kind=AgencyKind.POLICE)
    officer = make_user("pc", Role.PARTNER_PRACTITIONER, Team.objects.create(agency=police))
    for sender, kind, day, summary in (
        (users["partner_practitioner"], "dsl_welfare_concern", "2026-10-01", "Hungry again."),
        (nurse, "was_not_brought", "2026-10-20", "Not brought to the eye clinic."),
        (officer, "domestic_abuse_child_present", "2026-11-18", "Called to the home at night."),
    ):
        partner_events_receive(
            actor=sender,
            events=[event(event_id=f"{kind}-1", type=kind, occurred_at=day, summary=summary)],
        )
    alert = Alert.objects.get()
    assert alert.lead_professional is None

    base = live_server.url
    sign_in_as(page, base, users["mash_worker"])
    page.get_by_role("link", name="Concern alerts").click()
    expect(page.get_by_role("heading", name="Concern alerts for the MASH")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Amelia Hart").click()
    expect(
        page.get_by_role("heading", name="Concerns from three or more agencies and nobody leading")
    ).to_be_visible()
    findings = page.locator("#findings")
    expect(findings).to_contain_text("3 different agencies")
    expect(findings).to_contain_text("Called to the home at night.")
    expect(findings).to_contain_text("Testshire Police")
    expect(findings).to_contain_text("no lead professional")
    expect(page.get_by_text("each agency saw a part, nobody saw the whole")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "concern-alert")

    # Each fact opens the child's chronology at its day.
    findings.get_by_role("link", name="18 November 2026 on the chronology").first.click()
    expect(page.locator("#entries")).to_contain_text("1 entry matches the filter")
    expect(page.get_by_text("Called to the home at night.")).to_be_visible()
    expect(page.get_by_text("Hungry again.")).to_have_count(0)
    assert axe_violations(page) == []
    page.go_back()

    page.get_by_role("button", name="Record what you did").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select what you did")
    assert axe_violations(page) == []
    page.get_by_label("Started a contact with the MASH").check()
    page.get_by_label("Anything to add (optional)").fill("Contact opened for a fresh look.")
    page.get_by_role("button", name="Record what you did").click()
    expect(page.get_by_text("You have recorded what you did.")).to_be_visible()
    assert axe_violations(page) == []
    alert.refresh_from_db()
    assert alert.state == AlertState.ACTED
    assert alert.action_taken == "contact"


def test_a_manager_finds_an_alert_a_worker_of_theirs_leads_on(
    transactional_db, live_server, page, users, people, council
):
    from safehub.casework.services import allocate

    install("missing-or-exploitation")
    child = people["involved"]
    allocate(actor=users["team_manager"], child=child, worker=users["colleague"])
    police = Agency.objects.create(name="Testshire Police", kind=AgencyKind.POLICE)
    officer = make_user("pc", Role.PARTNER_PRACTITIONER, Team.objects.create(agency=police))
    partner_events_receive(
        actor=officer,
        events=[
            event(
                event_id="intel-1",
                type="exploitation_intelligence",
                occurred_at="2026-11-20",
                summary="Seen getting into cars with older men.",
            )
        ],
    )
    alert = Alert.objects.get()
    assert alert.lead_professional == users["colleague"]

    # The manager starts on their team page, which counts the team's open alerts.
    sign_in_as(page, live_server.url, users["team_manager"])
    expect(page.locator("#concern-alerts + p")).to_contain_text("1 open concern alert")
    assert axe_violations(page) == []
    page.get_by_role("link", name="See your team's concern alerts").click()
    expect(page.get_by_role("heading", name="Concern alerts for your team")).to_be_visible()
    page.get_by_role("link", name="Concern alerts", exact=True).click()
    page.get_by_role("link", name="Alerts for your team").click()
    expect(page.get_by_role("heading", name="Concern alerts for your team")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Amelia Hart")
    expect(row).to_contain_text("Sw2 Tester")  # the worker who leads on the child
    assert axe_violations(page) == []

    row.get_by_role("link", name="Amelia Hart").click()
    expect(page.locator("#findings")).to_contain_text("Seen getting into cars")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_text("You have acknowledged the alert.")).to_be_visible()
    alert.refresh_from_db()
    assert alert.state == AlertState.ACKNOWLEDGED
    assert alert.acknowledged_by == users["team_manager"]
