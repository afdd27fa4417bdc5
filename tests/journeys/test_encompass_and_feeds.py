"""Operation Encompass and feed watching in real Chromium: the police report a domestic
abuse incident with a child present; the school's safeguarding lead finds the notice in
SafeHub and acknowledges it; the MASH manager sees a police feed gone quiet and the message
telling them so. Each page checked with axe-core."""

from datetime import date, datetime

import pytest
from conftest import make_user
from playwright.sync_api import expect

from safehub.access.roles import Role
from safehub.core.workdays import LONDON
from safehub.notifications.services import outbox_relay
from safehub.organisations.models import Agency, AgencyKind, Team
from safehub.partners.feeds import feeds_watch
from safehub.partners.models import EncompassNotice, NoticeState
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event, history
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_the_lead_acknowledges_a_notice_and_the_manager_sees_a_quiet_feed(
    transactional_db, live_server, browser, page, users, people
):
    base = live_server.url
    police_agency = Agency.objects.create(name="Testshire Police", kind=AgencyKind.POLICE)
    police = make_user("pc", Role.PARTNER_PRACTITIONER, Team.objects.create(agency=police_agency))
    child = people["involved"]
    child.school = "Elm Primary School"
    child.school_agency = Agency.objects.get(urn="123456")
    child.save(update_fields=["school", "school_agency"])
    # Missing-person reports came several a working day until Wednesday 18 November: by
    # Monday two whole working days have passed without one, which at that rate is news.
    history(police, date(2026, 10, 12), date(2026, 11, 18), "missing_episode")
    partner_events_receive(
        actor=police,
        events=[
            event(
                event_id="DA-1",
                type="domestic_abuse_child_present",
                occurred_at="2026-11-22T21:15:00Z",
                summary="Mother assaulted by partner; child hid upstairs.",
                significance="high",
            )
        ],
    )
    feeds_watch(as_of=datetime(2026, 11, 23, 9, 30, tzinfo=LONDON))
    outbox_relay()
    notice = EncompassNotice.objects.get()

    # The school's safeguarding lead: a message in the inbox, the notice, acknowledged.
    sign_in_as(page, base, users["partner_practitioner"])
    page.goto(f"{base}/inbox/")
    expect(page.get_by_text("Operation Encompass notice for a pupil").first).to_be_visible()
    page.get_by_role("link", name="Encompass notices").click()
    expect(page.get_by_role("heading", name="Operation Encompass notices")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Amelia Hart").click()
    expect(page.get_by_role("heading", name="Amelia Hart")).to_be_visible()
    expect(page.get_by_text("A domestic abuse incident the child was present at")).to_be_visible()
    expect(page.get_by_text("child hid upstairs")).to_have_count(0)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Acknowledge notice").click()
    expect(page.get_by_text("Notice acknowledged")).to_be_visible()
    expect(page.get_by_text("Acknowledged by the school")).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "encompass-acknowledged")
    notice.refresh_from_db()
    assert notice.state == NoticeState.ACKNOWLEDGED
    assert notice.acknowledged_by == users["partner_practitioner"]

    # The MASH manager: told the feed is quiet, and sees it on the feeds page.
    manager = new_page(browser)
    sign_in_as(manager, base, users["mash_manager"])
    manager.goto(f"{base}/inbox/")
    expect(manager.get_by_text("Partner feed quiet: Reported missing").first).to_be_visible()
    manager.get_by_role("link", name="Partner feeds").click()
    expect(manager.get_by_role("heading", name="Partner feeds")).to_be_visible()
    row = manager.get_by_role("row").filter(has_text="Reported missing")
    expect(row.get_by_text("Quiet for 2 working days")).to_be_visible()
    expect(manager.get_by_text("1 feed quiet")).to_be_visible()
    assert axe_violations(manager) == []
    screenshot(manager, "partner-feeds-quiet")
