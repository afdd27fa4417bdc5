"""Care planning rules: the clocks a period of care and a new placement start (placement
plan in 5 working days, an IRO in time for the first review and their contact before each
review), who may allocate and be an IRO, who records the IRO's contact, plans versioned
and optimistic-locked, and delegated decisions within the placement."""

from datetime import date
from typing import Any

import pytest
from conftest import make_user
from django.core.exceptions import ValidationError

from safehub.access.models import Involvement
from safehub.access.policy import Action, Decision, decide
from safehub.careplanning import services
from safehub.careplanning.models import Plan, PlanVersion, ReviewingOfficer
from safehub.careplanning.tests.conftest import PLACEMENT, in_care
from safehub.casework import services as casework
from safehub.casework.models import DueItem, PeriodOfCare
from safehub.chronology.models import ChronologyEntry
from safehub.core.exceptions import ConcurrentEditError, NotFound, PermissionDeniedError

pytestmark = pytest.mark.django_db


def _due(child: Any, kind: str) -> DueItem:
    return DueItem.objects.get(child=child, kind=kind, done_on__isnull=True)


def _done(child: Any, kind: str) -> list[date | None]:
    return list(
        DueItem.objects.filter(child=child, kind=kind, done_on__isnull=False).values_list(
            "done_on", flat=True
        )
    )


# --- Clocks ---------------------------------------------------------------------------------


def test_coming_into_care_starts_the_placement_plan_and_iro_clocks(period: Any, child: Any):
    # 5 working days from Monday 3 March 2025: Monday 10 March.
    assert _due(child, "placement_plan").due_date == date(2025, 3, 10)
    # The first review is due in 20 working days (31 March): the IRO must be allocated, and
    # have heard the child, by then.
    assert _due(child, "iro_allocation").due_date == date(2025, 3, 31)
    assert _due(child, "iro_contact").due_date == date(2025, 3, 31)


def test_a_new_placement_starts_a_new_placement_plan_clock(period: Any, child: Any, sw: Any):
    services.plan_save(
        actor=sw,
        child=child,
        kind="placement",
        written_on=date(2025, 3, 5),
        content="Settling in with the Patels",
        expected_version=None,
    )
    assert _done(child, "placement_plan") == [date(2025, 3, 5)]
    casework.care_change(
        actor=sw,
        period=period,
        change_date=date(2025, 6, 2),
        placement={**PLACEMENT, "placement_type": "U6", "carer_name": "Ms Okafor"},
        reason_place_change="CARPL",
    )
    # Monday 2 June 2025 + 5 working days: Monday 9 June.
    assert _due(child, "placement_plan").due_date == date(2025, 6, 9)
    # The new placement has no plan yet: the old one stays with the old placement.
    plan = services.plan_save(
        actor=sw,
        child=child,
        kind="placement",
        written_on=date(2025, 6, 4),
        content="With Ms Okafor",
        expected_version=None,
    )
    assert plan.version == 1
    assert Plan.objects.filter(kind="placement").count() == 2
    assert not DueItem.objects.filter(kind="placement_plan", done_on__isnull=True).exists()


def test_a_change_of_legal_status_alone_keeps_the_placement_and_its_plan(
    period: Any, child: Any, sw: Any
):
    first = services.plan_save(
        actor=sw,
        child=child,
        kind="placement",
        written_on=date(2025, 3, 5),
        content="Settling in",
        expected_version=None,
    )
    casework.care_change(
        actor=sw,
        period=period,
        change_date=date(2025, 5, 1),
        placement={**PLACEMENT, "legal_status": "C1"},
    )
    assert not DueItem.objects.filter(kind="placement_plan", done_on__isnull=True).exists()
    again = services.plan_save(
        actor=sw,
        child=child,
        kind="placement",
        written_on=date(2025, 5, 2),
        content="Settling in; interim order now",
        expected_version=first.version,
    )
    assert again.pk == first.pk
    assert again.version == 2


def test_each_review_moves_the_iro_contact_clock_to_the_next_review(
    period: Any, child: Any, sw: Any, iro: Any, users: Any
):
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    services.iro_contact_record(
        actor=iro, child=child, contact_on=date(2025, 3, 20), seen_alone=True
    )
    assert _done(child, "iro_contact") == [date(2025, 3, 20)]
    casework.care_review_record(
        actor=iro, period=period, held_on=date(2025, 3, 28), participation="PN1"
    )
    # The second review is within 3 months of the first: Saturday 28 June, held by Friday 27.
    assert _due(child, "iro_contact").due_date == date(2025, 6, 27)
    # A contact dated before the last review does not meet the next one.
    services.iro_contact_record(
        actor=iro, child=child, contact_on=date(2025, 3, 27), seen_alone=False
    )
    assert _due(child, "iro_contact").due_date == date(2025, 6, 27)
    services.iro_contact_record(
        actor=iro, child=child, contact_on=date(2025, 6, 20), seen_alone=True
    )
    assert not DueItem.objects.filter(kind="iro_contact", done_on__isnull=True).exists()


# --- The IRO ----------------------------------------------------------------------------------


def test_a_manager_allocates_an_iro_who_may_then_open_the_childs_record(
    period: Any, child: Any, users: Any, people: Any
):
    other = people["same_team"]
    iro = users["cp_chair_iro"]
    assert decide(iro, other, Action.VIEW) is Decision.DENY
    # The IRO for a child in care of the manager's team (the colleague's child).
    in_care(users["colleague"], other)
    services.iro_allocate(actor=users["team_manager"], child=other, iro_id=iro.pk)
    assert decide(iro, other, Action.VIEW) is Decision.ALLOW
    assert _done(other, "iro_allocation")
    assert ChronologyEntry.objects.filter(event_type="IRO_ALLOCATED").exists()


def test_only_a_manager_allocates_an_iro(period: Any, child: Any, sw: Any, iro: Any):
    with pytest.raises(PermissionDeniedError):
        services.iro_allocate(actor=sw, child=child, iro_id=iro.pk)
    assert not ReviewingOfficer.objects.exists()


def test_the_iro_is_independent_never_a_social_worker(period: Any, child: Any, users: Any):
    with pytest.raises(ValidationError, match="independent reviewing officer from the list"):
        services.iro_allocate(
            actor=users["team_manager"], child=child, iro_id=users["colleague"].pk
        )
    assert not ReviewingOfficer.objects.exists()


def test_an_iro_is_for_a_child_in_care(child: Any, users: Any, iro: Any):
    with pytest.raises(ValidationError, match="not looked after"):
        services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)


def test_a_new_iro_ends_the_last_ones_allocation_and_access(
    period: Any, child: Any, users: Any, iro: Any
):
    second = make_user("chair2", "cp_chair_iro", iro.team)
    first = services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    with pytest.raises(ValidationError, match="already the child's IRO"):
        services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=second.pk)
    first.refresh_from_db()
    assert first.end_date is not None
    assert Involvement.objects.get(pk=first.involvement_id).end_date is not None
    assert ReviewingOfficer.objects.get(end_date__isnull=True).iro == second


def test_only_the_childs_iro_records_their_contact(
    period: Any, child: Any, users: Any, iro: Any, sw: Any
):
    # The chair has a conference-chair involvement with the child, but is not their IRO yet.
    with pytest.raises(ValidationError, match="Only the child's independent reviewing officer"):
        services.iro_contact_record(
            actor=iro, child=child, contact_on=date(2025, 3, 20), seen_alone=True
        )
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    with pytest.raises(ValidationError, match="Only the child's independent reviewing officer"):
        services.iro_contact_record(
            actor=sw, child=child, contact_on=date(2025, 3, 20), seen_alone=True
        )
    with pytest.raises(ValidationError, match="before the child became looked after"):
        services.iro_contact_record(
            actor=iro, child=child, contact_on=date(2025, 2, 20), seen_alone=True
        )
    services.iro_contact_record(
        actor=iro, child=child, contact_on=date(2025, 3, 20), seen_alone=True
    )


# --- Plans ------------------------------------------------------------------------------------


def test_the_first_care_plan_meets_its_clock_and_each_version_is_kept(
    period: Any, child: Any, sw: Any
):
    plan = services.plan_save(
        actor=sw,
        child=child,
        kind="care",
        written_on=date(2025, 3, 12),
        content="Stay with the Patels while the assessment finishes.",
        expected_version=None,
    )
    assert PeriodOfCare.objects.get(pk=period.pk).care_plan_date == date(2025, 3, 12)
    assert _done(child, "care_plan") == [date(2025, 3, 12)]
    services.plan_save(
        actor=sw,
        child=child,
        kind="care",
        written_on=date(2025, 4, 1),
        content="Long-term fostering with the Patels.",
        expected_version=plan.version,
    )
    versions = list(PlanVersion.objects.order_by("version").values_list("version", "content"))
    assert versions == [
        (1, "Stay with the Patels while the assessment finishes."),
        (2, "Long-term fostering with the Patels."),
    ]
    # The care plan date is when it was first written, not changed.
    assert PeriodOfCare.objects.get(pk=period.pk).care_plan_date == date(2025, 3, 12)


def test_a_plan_changed_by_someone_else_meanwhile_is_not_overwritten(
    period: Any, child: Any, sw: Any, users: Any
):
    plan = services.plan_save(
        actor=sw,
        child=child,
        kind="permanence",
        written_on=date(2025, 4, 1),
        content="Return home",
        expected_version=None,
    )
    services.plan_save(
        actor=users["colleague"],
        child=child,
        kind="permanence",
        written_on=date(2025, 4, 2),
        content="Special guardianship with grandmother",
        expected_version=plan.version,
    )
    with pytest.raises(ConcurrentEditError):
        services.plan_save(
            actor=sw,
            child=child,
            kind="permanence",
            written_on=date(2025, 4, 3),
            content="Adoption",
            expected_version=plan.version,
        )
    # Opened as a new plan while someone wrote the first one: refused too.
    with pytest.raises(ConcurrentEditError):
        services.plan_save(
            actor=sw,
            child=child,
            kind="permanence",
            written_on=date(2025, 4, 3),
            content="Adoption",
            expected_version=None,
        )
    assert Plan.objects.get().content == "Special guardianship with grandmother"


def test_plan_dates_are_checked(period: Any, child: Any, sw: Any):
    with pytest.raises(ValidationError, match="before the child became looked after"):
        services.plan_save(
            actor=sw,
            child=child,
            kind="permanence",
            written_on=date(2025, 3, 1),
            content="Return home",
            expected_version=None,
        )
    with pytest.raises(ValidationError, match="before the referral"):
        services.plan_save(
            actor=sw,
            child=child,
            kind="care",
            written_on=date(2025, 2, 1),
            content="Plan",
            expected_version=None,
        )
    plan = services.plan_save(
        actor=sw,
        child=child,
        kind="care",
        written_on=date(2025, 3, 10),
        content="Plan",
        expected_version=None,
    )
    with pytest.raises(ValidationError, match="before the one it replaces"):
        services.plan_save(
            actor=sw,
            child=child,
            kind="care",
            written_on=date(2025, 3, 5),
            content="Plan 2",
            expected_version=plan.version,
        )
    with pytest.raises(ValidationError, match="Enter what the plan says"):
        services.plan_save(
            actor=sw,
            child=child,
            kind="care",
            written_on=date(2025, 3, 12),
            content="  ",
            expected_version=plan.version,
        )
    assert Plan.objects.get().version == 1


def test_plans_need_a_child_in_care_and_a_worker_who_may_change_the_record(
    child: Any, sw: Any, iro: Any, people: Any
):
    with pytest.raises(ValidationError, match="not looked after"):
        services.plan_save(
            actor=sw,
            child=child,
            kind="care",
            written_on=date(2025, 3, 10),
            content="Plan",
            expected_version=None,
        )
    in_care(sw, child)

    with pytest.raises(NotFound):  # the chair sees the child but changes no records
        services.plan_save(
            actor=iro,
            child=child,
            kind="care",
            written_on=date(2025, 3, 10),
            content="Plan",
            expected_version=None,
        )
    assert not Plan.objects.exists()


# --- Delegated authority ------------------------------------------------------------------------


def test_decisions_are_delegated_within_the_placement_and_withdrawn_later(
    period: Any, child: Any, sw: Any
):
    with pytest.raises(ValidationError, match="before the placement began"):
        services.delegated_decision_record(
            actor=sw,
            child=child,
            decision="Haircuts",
            delegated_to="Mr and Mrs Patel",
            agreed_on=date(2025, 3, 1),
        )
    record = services.delegated_decision_record(
        actor=sw,
        child=child,
        decision="Overnight stays with friends",
        delegated_to="Mr and Mrs Patel",
        agreed_on=date(2025, 3, 4),
    )
    with pytest.raises(ValidationError, match="before it was agreed"):
        services.delegated_decision_withdraw(
            actor=sw, child=child, record=record, withdrawn_on=date(2025, 3, 3)
        )
    services.delegated_decision_withdraw(
        actor=sw, child=child, record=record, withdrawn_on=date(2025, 5, 1)
    )
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.delegated_decision_withdraw(
            actor=sw, child=child, record=record, withdrawn_on=date(2025, 5, 2)
        )
    assert ChronologyEntry.objects.filter(event_type="DELEGATED_AUTHORITY").count() == 2
