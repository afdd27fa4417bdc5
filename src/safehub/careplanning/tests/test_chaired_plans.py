"""A conference chair's own list: the open child protection plans whose latest conference
they chaired, with the next review conference due. Whoever chaired the last conference
holds the next; a plan that ends leaves the list."""

from datetime import date

import pytest
from conftest import TEST_TODAY, make_user
from django.urls import reverse

from safehub.access.roles import Role
from safehub.audit.models import AuditEvent
from safehub.careplanning.selectors import chaired_plans
from safehub.casework import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(users, people):
    sw, child = users["social_worker"], people["involved"]
    episode = services.episode_open(
        actor=sw,
        child=child,
        kind="cin",
        referral_date=date(2026, 8, 24),
        referral_source="2A",
        primary_need="N1",
    )
    services.strategy_record(
        actor=sw, episode=episode, held_on=date(2026, 9, 1), participants="Police", outcome="s47"
    )
    enquiry = episode.enquiries.get(end_date__isnull=True)
    services.section47_conclude(
        actor=sw, enquiry=enquiry, end_date=date(2026, 9, 8), outcome="icpc"
    )
    conference = services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=date(2026, 9, 15),
        outcome="plan",
        category="NEG",
    )
    return conference.plan


def test_the_chair_of_the_latest_conference_has_the_plan_and_its_next_review(plan, users, council):
    chair = users["cp_chair_iro"]
    [row] = chaired_plans(actor=chair, today=TEST_TODAY)
    assert row.plan == plan
    assert row.visible
    assert row.last.held_on == date(2026, 9, 15)
    assert [(d.item.label, d.item.due_date) for d in row.due] == [
        ("Hold the first review conference", date(2026, 12, 15))
    ]
    # Another chair holds the review: the plan is theirs now, with the next review.
    other = make_user("chair2", Role.CP_CHAIR_IRO, council["teams"]["Safeguarding Unit"])
    services.conference_review(
        actor=chair, plan=plan, held_on=date(2026, 11, 16), outcome="continue", chair_id=other.pk
    )
    assert chaired_plans(actor=chair, today=TEST_TODAY) == []
    [theirs] = chaired_plans(actor=other, today=TEST_TODAY)
    # Six months on is Sunday 16 May: held by the Friday before.
    assert [(d.item.label, d.item.due_date) for d in theirs.due] == [
        ("Hold the next review conference", date(2027, 5, 14))
    ]
    # The plan ends at a review: off every list.
    services.conference_review(
        actor=chair, plan=plan, held_on=date(2026, 11, 23), outcome="end", chair_id=other.pk
    )
    assert chaired_plans(actor=other, today=TEST_TODAY) == []


def test_my_reviews_shows_the_plans_the_chair_holds_with_one_audit_row(
    plan, users, people, client_for
):
    page = client_for("cp_chair_iro").get(reverse("careplanning:iro-work")).content.decode()
    assert "Child protection plans you chair" in page
    assert people["involved"].full_name in page
    assert "Hold the first review conference, 15 December 2026" in page
    assert "Initial child protection conference" in page
    listed = AuditEvent.objects.filter(object_type="careplanning.chaired_plans")
    assert [e.subject_ids for e in listed] == [f",{people['involved'].pk},"]
