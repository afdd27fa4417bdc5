"""Care planning pages (ADR 0035) for every role × every relation, each person a child in
care with a delegated decision on record:

- the plans and delegated decisions follow EDIT (as the casework forms do);
- recording the IRO's contact follows EDIT, and for the conference chair / IRO role VIEW
  (a chair records for the children they review on the strength of seeing them), yet only
  the child's own IRO saves one;
- allocating an IRO is for team managers (403 for everyone else), then EDIT.
A refused POST saves nothing; an allowed one saves."""

from datetime import date
from typing import Any

import pytest
from conftest import shows
from django.urls import reverse

from safehub.careplanning import services
from safehub.careplanning.models import DelegatedDecision, Plan, ReviewingOfficerContact
from safehub.leaving_care.tests.conftest import looked_after
from tests.access_matrix.matrix import EDIT, RELATIONS, VIEW

START = date(2025, 3, 3)
EDIT_PAGES = ["care-plan", "placement-plan", "permanence-plan", "delegated"]


@pytest.fixture
def in_care(people: Any, users: Any) -> dict[str, DelegatedDecision]:
    """Every test person looked after since March 2025, with one delegated decision."""
    decisions = {}
    for relation, person in people.items():
        period = looked_after(person, users["colleague"], START, None)
        decisions[relation] = DelegatedDecision.objects.create(
            period=period,
            placement=period.episodes.get(),
            decision="Haircuts",
            delegated_to="The foster carers",
            agreed_on=START,
            recorded_by=users["colleague"],
        )
    return decisions


def _check(response: Any, expected: str, person: Any, case: Any) -> None:
    if expected == "A":
        assert response.status_code == 200, case
        assert person.given_name.encode() in response.content, case
    elif expected == "B":
        assert response.status_code == 302, case
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, case
        assert not shows(person.family_name, response.content), case


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(VIEW))
def test_care_planning_pages(role, relation, people, in_care, client_for):
    person = people[relation]
    client = client_for(role)
    edit = EDIT[role].split()[RELATIONS.index(relation)]
    for page in EDIT_PAGES:
        response = client.get(reverse(f"careplanning:{page}", args=[person.pk]))
        _check(response, edit, person, (role, relation, page))
    withdraw = reverse("careplanning:delegated-withdraw", args=[person.pk, in_care[relation].pk])
    _check(client.get(withdraw), edit, person, (role, relation, "withdraw"))
    contact = (VIEW if role == "cp_chair_iro" else EDIT)[role].split()[RELATIONS.index(relation)]
    response = client.get(reverse("careplanning:iro-contact", args=[person.pk]))
    _check(response, contact, person, (role, relation, "iro-contact"))
    response = client.get(reverse("careplanning:iro", args=[person.pk]))
    if role != "team_manager":
        assert response.status_code == 403, (role, relation)
        assert not shows(person.family_name, response.content)
    else:
        _check(response, edit, person, (role, relation, "iro"))


@pytest.mark.parametrize("role", list(VIEW))
def test_a_plan_is_saved_only_by_those_who_may_change_the_record(role, people, in_care, client_for):
    child = people["involved"]
    body = {
        "written_on-day": "10",
        "written_on-month": "3",
        "written_on-year": "2025",
        "content": "Long-term fostering",
    }
    response = client_for(role).post(reverse("careplanning:care-plan", args=[child.pk]), body)
    allowed = EDIT[role].split()[RELATIONS.index("involved")] == "A"
    assert response.status_code == (302 if allowed else 404), role
    assert Plan.objects.exists() is allowed


@pytest.mark.parametrize("role", list(VIEW))
def test_only_the_childs_own_iro_records_their_contact(role, people, users, in_care, client_for):
    child = people["involved"]
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=users["cp_chair_iro"].pk)
    body = {
        "contact_on-day": "20",
        "contact_on-month": "3",
        "contact_on-year": "2025",
        "seen_alone": "yes",
        "note": "",
    }
    response = client_for(role).post(reverse("careplanning:iro-contact", args=[child.pk]), body)
    saved = ReviewingOfficerContact.objects.exists()
    if role == "cp_chair_iro":
        assert response.status_code == 302
        assert saved
    else:
        assert not saved, role
        reaches = EDIT[role].split()[RELATIONS.index("involved")] == "A"
        assert response.status_code == (200 if reaches else 404), role
        if reaches:
            assert b"Only the child&#39;s independent reviewing officer" in response.content
