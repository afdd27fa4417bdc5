"""Casework in real Chromium: an assessment from referral to a child in need plan; child
protection from strategy discussion to the first review; a child coming into care and
moving placement; a visit recorded from "my work" in at most four interactions; and a
draft that survives a reload and a lost connection. axe-core checks every casework page on
the way."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safehub.casework import services
from safehub.casework.models import CareEpisode, CPPlan, DueItem, Episode, Visit
from tests.journeys.conftest import axe_violations, new_page, screenshot, sign_in_as

pytestmark = pytest.mark.browser

DRAFTS = "() => Object.keys(localStorage).filter((k) => k.startsWith('safehub:draft:'))"


def _accessible(page, name: str) -> None:
    screenshot(page, name)
    violations = axe_violations(page)
    assert not violations, (name, violations)


def _date(page, group: str, value: date) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(str(value.day))
    fields.get_by_label("Month").fill(str(value.month))
    fields.get_by_label("Year").fill(str(value.year))


def _type(box, text: str) -> None:
    """Type at the end of what the box holds, a key at a time, as a person does."""
    box.focus()
    box.press("Control+End")
    box.press_sequentially(text, delay=20)


def _done(page, message: str) -> None:
    """The casework page's success banner after a save."""
    expect(page.locator(".govuk-notification-banner__heading")).to_have_text(message)


def _casework(page, base: str, child) -> None:
    page.goto(f"{base}/children/{child.pk}/casework/")
    expect(page.get_by_role("heading", name=child.full_name, level=1)).to_be_visible()


def _refer(users, child) -> None:
    """The MASH accepts a referral about the child and a manager signs it off, which opens
    the child's episode (the MASH journey does this through the pages)."""
    from safehub.frontdoor import services as frontdoor
    from safehub.frontdoor.tests.factories import public_submission

    contact, _ = frontdoor.contact_submit(actor=None, channel="public", data=public_submission())
    mash = users["mash_worker"]
    frontdoor.contact_link_subject(
        actor=mash, contact=contact, subject=contact.subjects.get(), person=child
    )
    frontdoor.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    frontdoor.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision="assessment",
        reasons="Needs assessment",
        primary_need="N1",
    )
    frontdoor.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=contact.version, approve=True
    )


def test_referral_to_assessment_authorised_and_a_cin_plan(
    transactional_db, live_server, browser, page, users, people
):
    base, child = live_server.url, people["involved"]
    _refer(users, child)
    sign_in_as(page, base, users["social_worker"])
    _casework(page, base, child)
    expect(page.get_by_text("Child in need since the referral")).to_be_visible()
    _accessible(page, "casework-01-referred")

    page.get_by_role("link", name="Start an assessment").click()
    _accessible(page, "casework-02-start-assessment")
    page.get_by_role("button", name="Start the assessment").click()  # today, already filled
    _done(page, "Assessment started")
    expect(
        page.get_by_role("cell", name="Complete the child and family assessment")
    ).to_be_visible()

    page.get_by_role("link", name="Record when the child was seen").click()
    _accessible(page, "casework-02b-child-seen")
    page.get_by_label("The child was seen alone").check()
    page.get_by_role("button", name="Save").click()
    _done(page, "Child seen recorded")

    page.get_by_role("link", name="Complete the assessment").click()
    page.get_by_role("button", name="Complete the assessment").click()  # nothing chosen
    expect(page.get_by_text("There is a problem")).to_be_visible()
    _accessible(page, "casework-03-complete-errors")
    page.get_by_label("Neglect (16A)").check()
    page.get_by_label("Domestic abuse: parent or carer (3B)").check()
    page.get_by_label("Summary of the assessment").fill(
        "Persistent neglect; mother's partner is violent. Needs a child in need plan."
    )
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_text("waiting for a manager to authorise it")).to_be_visible()
    expect(page.get_by_role("link", name="Authorise the assessment")).to_have_count(0)

    manager = new_page(browser)
    sign_in_as(manager, base, users["team_manager"])
    manager.get_by_role("link", name="Team", exact=True).click()
    expect(manager.get_by_role("heading", name="Caseloads")).to_be_visible()
    expect(manager.get_by_role("link", name=f"Allocate {child.full_name}")).to_be_visible()
    _accessible(manager, "casework-03b-team")
    _casework(manager, base, child)
    manager.get_by_role("link", name="Authorise the assessment").click()
    _accessible(manager, "casework-04-authorise")
    manager.get_by_role("button", name="Authorise the assessment").click()
    _done(manager, "Assessment authorised")

    page.reload()
    page.get_by_role("link", name="Start a child in need plan").click()
    _accessible(page, "casework-04b-cin-plan-start")
    page.get_by_role("button", name="Start the plan").click()
    expect(page.get_by_text("Child in need plan since")).to_be_visible()
    expect(page.get_by_role("cell", name="Visit the child (child in need plan)")).to_be_visible()
    _accessible(page, "casework-05-cin-plan")
    assessment = Episode.objects.get(child=child).assessments.get()
    assert assessment.authorised_by == users["team_manager"]
    assert sorted(assessment.factors) == ["16A", "3B"]


def test_strategy_to_section_47_to_conference_plan_and_first_review(
    transactional_db, live_server, browser, page, users, people
):
    base, child = live_server.url, people["involved"]
    today = timezone.localdate()
    services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=today - timedelta(days=30),
        primary_need="N1",
    )
    sign_in_as(page, base, users["social_worker"])
    _casework(page, base, child)

    page.get_by_role("link", name="Record a strategy discussion").click()
    _date(page, "Date of the strategy discussion", today - timedelta(days=20))
    page.get_by_label("Who took part?").fill("DS Reed (police), Dr Shah (GP), Ms Oak (school)")
    page.get_by_label("Start a section 47 enquiry").check()
    _accessible(page, "casework-06-strategy")
    page.get_by_role("button", name="Save the strategy discussion").click()
    expect(page.get_by_text("Section 47 enquiry open since")).to_be_visible()
    expect(
        page.get_by_role("cell", name="Hold the initial child protection conference")
    ).to_be_visible()

    page.get_by_role("link", name="Conclude the section 47 enquiry").click()
    _accessible(page, "casework-06b-conclude-s47")
    _date(page, "Date the enquiry concluded", today - timedelta(days=12))
    page.get_by_label("Concerns substantiated: hold an initial child protection conference").check()
    page.get_by_role("button", name="Save the outcome").click()
    _done(page, "Section 47 enquiry concluded")

    chair = new_page(browser)
    sign_in_as(chair, base, users["cp_chair_iro"])
    _casework(chair, base, child)
    _accessible(chair, "casework-07-chair-view")
    chair.get_by_role("link", name="Record the initial child protection conference").click()
    _date(chair, "Date of the conference", today - timedelta(days=10))
    chair.get_by_label("Yes: child protection plan").check()
    chair.get_by_label("Neglect", exact=True).check()
    _accessible(chair, "casework-08-icpc")
    chair.get_by_role("button", name="Save the conference").click()
    expect(chair.get_by_text("Child protection plan since")).to_be_visible()

    chair.get_by_role("link", name="Record a review conference").click()
    _accessible(chair, "casework-08b-review-conference")
    chair.get_by_label("Yes: continue the plan").check()
    chair.get_by_role("button", name="Save the review").click()  # today
    _done(chair, "Review conference recorded")
    _accessible(chair, "casework-09-after-review")
    plan = CPPlan.objects.get(child=child)
    assert plan.start_date == today - timedelta(days=10)
    assert plan.conferences.filter(kind="review").count() == 1

    page.reload()
    page.get_by_role("link", name="Record a core group meeting").click()
    _accessible(page, "casework-09b-core-group")
    page.get_by_role("button", name="Save the meeting").click()
    _done(page, "Core group meeting recorded")
    expect(page.get_by_role("cell", name="Hold the first core group")).to_have_count(0)


def test_a_child_comes_into_care_moves_placement_and_has_a_review(
    transactional_db, live_server, page, users, people
):
    base, child = live_server.url, people["involved"]
    today = timezone.localdate()
    services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=today - timedelta(days=40),
        primary_need="N1",
    )
    sign_in_as(page, base, users["social_worker"])
    _casework(page, base, child)

    page.get_by_role("link", name="Record that the child became looked after").click()
    _date(page, "Date the child became looked after", today - timedelta(days=14))
    page.get_by_label("Legal status").select_option(label="Interim care order (C1)")
    page.get_by_label("Placement type").select_option(label="Foster carer: other (U6)")
    page.get_by_label("Who provides the placement?").select_option(
        label="Own local authority (PR1)"
    )
    page.get_by_label("Carer or home (optional)").fill("Mr and Mrs Oak")
    page.get_by_label("Placement postcode (optional)").fill("te2 9zz")
    _accessible(page, "casework-10-care-start")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Looked after since")).to_be_visible()
    expect(page.get_by_role("cell", name="Hold the first looked-after review")).to_be_visible()

    page.get_by_role("link", name="Change the placement or legal status").click()
    expect(page.get_by_label("Carer or home (optional)")).to_have_value("Mr and Mrs Oak")
    page.get_by_label("Carer or home (optional)").fill("Ms Birch")
    page.get_by_role("button", name="Save the change").click()  # no reason yet
    expect(page.get_by_text("Select why the placement changed").first).to_be_visible()
    _accessible(page, "casework-11-care-change-errors")
    page.get_by_label("Why did the placement change?").select_option(
        label="Carer asked: other reasons"
    )
    page.get_by_role("button", name="Save the change").click()
    _done(page, "Placement or legal status changed")
    expect(page.get_by_role("cell", name="Visit the child in their new placement")).to_be_visible()

    page.get_by_role("link", name="Record a looked-after review").click()
    _accessible(page, "casework-11b-care-review")
    page.get_by_role("button", name="Save the review").click()  # how she took part: unsaid
    expect(page.get_by_text("Select how the child took part in the review").first).to_be_visible()
    page.get_by_label("Child attended and spoke for themselves (PN1)").check()
    page.get_by_role("button", name="Save the review").click()
    _done(page, "Looked-after review recorded")
    _accessible(page, "casework-12-in-care")
    placements = list(CareEpisode.objects.filter(period__child=child).order_by("start_date"))
    assert [p.carer_name for p in placements] == ["Mr and Mrs Oak", "Ms Birch"]
    assert placements[1].reason_new_episode == "P"
    assert placements[0].reason_place_change == "CREQO"


def test_a_visit_is_recorded_from_my_work_in_four_interactions(
    transactional_db, live_server, page, users, people
):
    base, child, worker = live_server.url, people["involved"], users["social_worker"]
    today = timezone.localdate()
    episode = services.episode_open(
        actor=worker,
        child=child,
        kind="cin",
        referral_date=today - timedelta(days=60),
        primary_need="N1",
    )
    services.allocate(actor=users["team_manager"], child=child, worker=worker)
    services.cin_plan_start(actor=worker, episode=episode, start_date=today - timedelta(days=40))
    sign_in_as(page, base, worker)
    page.wait_for_url("**/my-work/")  # the social worker's start page
    expect(
        page.get_by_role("cell", name="Visit the child (child in need plan)", exact=True)
    ).to_be_visible()
    _accessible(page, "casework-13-my-work")
    page.get_by_role("link", name=child.full_name).first.click()  # opening the child
    page.wait_for_url(f"**/children/{child.pk}/casework/")

    interactions = 0

    def act(locator, action: str = "click") -> None:
        nonlocal interactions
        interactions += 1
        getattr(locator, action)()

    act(page.get_by_role("button", name="Record a visit"))
    expect(page.get_by_text("recorded as a child in need visit")).to_be_visible()
    day = page.get_by_role("group", name="Date of the visit").get_by_label("Day")
    expect(day).to_have_value(str(today.day))  # today, already filled in
    _accessible(page, "casework-14-visit-form")
    act(page.get_by_label("Yes, and seen alone"), "check")
    act(page.get_by_label("I saw the child's bedroom"), "check")
    act(page.get_by_role("button", name="Save visit"))
    _done(page, "Visit recorded")
    assert interactions <= 4, interactions

    visit = Visit.objects.get(child=child)
    assert (visit.visited_on, visit.kind, visit.child_seen_alone, visit.bedroom_seen) == (
        today,
        "cin",
        True,
        True,
    )
    assert DueItem.objects.get(child=child, kind="cin_visit", done_on__isnull=True).due_date > today
    _accessible(page, "casework-15-visit-recorded")


def test_a_draft_survives_a_reload_and_a_lost_connection(
    transactional_db, live_server, page, users, people
):
    base, child = live_server.url, people["involved"]
    sign_in_as(page, base, users["social_worker"])
    _casework(page, base, child)
    page.get_by_role("button", name="Add a case note").click()
    box = page.get_by_label("Case note")
    _type(box, "Spoke to Amelia's teacher about")
    expect(page.get_by_text("Draft saved")).to_be_visible()
    page.reload()
    expect(box).to_have_value("Spoke to Amelia's teacher about")
    expect(page.get_by_text("Draft restored")).to_be_visible()
    _accessible(page, "casework-16-draft-restored")

    # The connection drops: what is typed stays on this device and comes back.
    page.route("**/casework/draft/", lambda route: route.abort())
    _type(box, " her attendance.")
    expect(page.get_by_text("could not save your draft")).to_be_visible()
    page.reload()
    expect(box).to_have_value("Spoke to Amelia's teacher about her attendance.")
    expect(page.get_by_text("Draft restored")).to_be_visible()
    assert page.evaluate(DRAFTS)  # kept locally until SafeHub has it

    # Back online: SafeHub gets it and the local copy goes.
    page.unroute("**/casework/draft/")
    _type(box, " Better this week.")
    expect(page.get_by_text("Draft saved")).to_be_visible()
    page.wait_for_function(f"({DRAFTS})().length === 0")
    page.get_by_label("Significant: add it to the child's chronology").check()
    page.get_by_role("button", name="Save the note").click()
    _done(page, "Case note saved")
    _accessible(page, "casework-17-note-saved")
    # In the case notes (and, being significant, in the chronology below them too).
    expect(page.locator(".sh-case-note").get_by_text("Better this week.")).to_be_visible()
    expect(page.locator(".moj-timeline").get_by_text("Better this week.")).to_be_visible()

    # A fresh form starts empty: the saved note's draft is gone everywhere.
    page.get_by_role("button", name="Add a case note").click()
    expect(box).to_have_value("")
    expect(page.get_by_text("Draft restored")).to_have_count(0)

    # Signing out clears anything left on the device.
    page.route("**/casework/draft/", lambda route: route.abort())
    _type(box, "Unsent words")
    expect(page.get_by_text("could not save your draft")).to_be_visible()
    assert page.evaluate(DRAFTS)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/sign-in/**")
    assert page.evaluate(DRAFTS) == []
