"""The API's records of a child in care (ADR 0035): what the care planning, health and
review pages record comes back one kind at a time, with its codes labelled, as the
allocated social worker's partner system would read it."""

from datetime import date
from typing import Any

import pytest

from safehub.careplanning import services as planning
from safehub.careplanning.tests.conftest import in_care
from safehub.casework import services
from tests.api.test_api import Api, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def child_in_care(users: Any, people: Any) -> Any:
    child, sw, iro = people["involved"], users["social_worker"], users["cp_chair_iro"]
    period = in_care(sw, child)
    planning.plan_save(
        actor=sw,
        child=child,
        kind="care",
        written_on=date(2025, 3, 10),
        content="Stay with the Patels",
        expected_version=None,
    )
    plan = planning.plan_save(
        actor=sw,
        child=child,
        kind="care",
        written_on=date(2025, 4, 1),
        content="Long-term fostering with the Patels",
        expected_version=1,
    )
    assert plan.version == 2
    planning.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    planning.iro_contact_record(
        actor=iro, child=child, contact_on=date(2025, 3, 20), seen_alone=True, note="Happy"
    )
    planning.delegated_decision_record(
        actor=sw,
        child=child,
        decision="Haircuts",
        delegated_to="Mr and Mrs Patel",
        agreed_on=date(2025, 3, 4),
    )
    services.health_check_record(actor=sw, period=period, kind="initial", held_on=date(2025, 3, 20))
    services.care_review_record(
        actor=iro,
        period=period,
        held_on=date(2025, 3, 28),
        participation="PN1",
        recommendations="Dentist appointment",
        complete_by=date(2025, 4, 30),
    )
    return child


def _read(users: Any, child: Any, what: str) -> Any:
    response = Api(make_token(users["social_worker"])).call("get", f"/children/{child.pk}/{what}")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_care_plan_comes_with_every_version_newest_first(users, child_in_care):
    [plan] = _read(users, child_in_care, "care-plans")
    assert plan["kind"] == {"code": "care", "label": "Care plan"}
    assert plan["version"] == 2
    assert plan["content"] == "Long-term fostering with the Patels"
    assert [(v["version"], v["content"]) for v in plan["versions"]] == [
        (2, "Long-term fostering with the Patels"),
        (1, "Stay with the Patels"),
    ]


def test_the_iro_their_contact_and_the_delegated_decisions(users, child_in_care):
    [iro] = _read(users, child_in_care, "reviewing-officers")
    assert iro["iro"] == str(users["cp_chair_iro"])
    assert iro["end_date"] is None
    [contact] = _read(users, child_in_care, "iro-contacts")
    assert (contact["contact_on"], contact["seen_alone"], contact["note"]) == (
        "2025-03-20",
        True,
        "Happy",
    )
    [decision] = _read(users, child_in_care, "delegated-decisions")
    assert (decision["decision"], decision["delegated_to"]) == ("Haircuts", "Mr and Mrs Patel")


def test_reviews_carry_participation_and_recommendations_and_health_checks_their_kind(
    users, child_in_care
):
    [review] = _read(users, child_in_care, "care-reviews")
    assert review["participation"]["code"] == "PN1"
    assert [(r["text"], r["due_date"], r["done_on"]) for r in review["recommendations"]] == [
        ("Dentist appointment", "2025-04-30", None)
    ]
    [check] = _read(users, child_in_care, "health-checks")
    assert check["kind"]["code"] == "initial"
    assert check["held_on"] == "2025-03-20"
