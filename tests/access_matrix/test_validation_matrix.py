"""The census check (ADR 0043) as every role: the run and drill-down pages (allowed, or
"not found" with nothing queued), each child behind a count listed as FIGURE_LISTING says,
and each open issue in "my work" as VALIDATION_MY_WORK says, by relation."""

from typing import Any

import pytest
from conftest import TEST_TODAY
from django.urls import reverse

from safehub.access.models import Involvement, InvolvementKind
from safehub.casework.models import Allocation, Episode
from safehub.core.identifiers import UPN_LETTERS, upn_check_letter
from safehub.insight.models import Job
from safehub.returns.services import validation_run
from tests.access_matrix.matrix import (
    EVERY_SIGNED_IN_ROLE,
    FIGURE_LISTING,
    PERFORMANCE_ROLES,
    RELATIONS,
    VALIDATION_MY_WORK,
)

pytestmark = pytest.mark.django_db
BODY = "201145001001"
GOOD = upn_check_letter(BODY) + BODY
BAD_UPN = UPN_LETTERS[(UPN_LETTERS.index(GOOD[0]) + 1) % len(UPN_LETTERS)] + BODY


@pytest.fixture
def found(users: Any, people: Any) -> dict[str, Any]:
    """Every test person a child in need this year with a mistyped UPN, the case held (an
    Allocation) by the worker their involvement names; one run of the check."""
    from datetime import date

    for person in people.values():
        person.upn, person.upn_unknown, person.sex = BAD_UPN, "", "F"
        person.save(update_fields=["upn", "upn_unknown", "sex"])
        held = Involvement.objects.filter(
            person=person, kind=InvolvementKind.ALLOCATED_WORKER
        ).first()
        assert held is not None
        assert held.user is not None
        assert held.user.team is not None
        Episode.objects.create(
            kind="cin",
            child=person,
            referral_date=date(2026, 6, 1),
            referral_source="1A",
            primary_need="N1",
            opened_by=held.user,
        )
        Allocation.objects.create(
            child=person,
            worker=held.user,
            team=held.user.team,
            start_date=date(2026, 6, 2),
            reason="NEW",
            involvement=held,
            allocated_by=held.user,
        )
    run = validation_run(as_of=TEST_TODAY)
    assert run is not None
    return people


NAMES = ["returns:validation-run", "returns:validation-drill"]


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", NAMES)
def test_census_check_pages_matrix(role, name, found, client_for):
    client = client_for(role)
    jobs = Job.objects.count()
    if name == "returns:validation-run":
        response = client.post(reverse(name))
    else:
        response = client.get(reverse(name, args=["rule", "1510"]))
    if role in PERFORMANCE_ROLES:
        assert response.status_code in (200, 302), (role, name, response.status_code)
    else:
        assert response.status_code == 404, (role, name, response.status_code)
        assert Job.objects.count() == jobs


@pytest.mark.parametrize("role", sorted(FIGURE_LISTING))
@pytest.mark.parametrize("by", ["rule", "team", "worker"])
def test_children_behind_a_count_are_listed_as_the_policy_says(role, by, found, users, client_for):
    client = client_for(role)
    pages = []
    if by == "rule":
        pages.append(client.get(reverse("returns:validation-drill", args=["rule", "1510"])))
    elif by == "team":
        for team in ("North", "South"):
            team_id = (
                users["social_worker"].team_id if team == "North" else users["south_worker"].team_id
            )
            pages.append(client.get(reverse("returns:validation-drill", args=["team", team_id])))
    else:
        for worker in ("social_worker", "colleague", "south_worker"):
            pages.append(
                client.get(reverse("returns:validation-drill", args=["worker", users[worker].pk]))
            )
    assert all(p.status_code == 200 for p in pages)
    text = "".join(p.content.decode() for p in pages)
    for relation, expected in zip(RELATIONS, FIGURE_LISTING[role].split(), strict=True):
        person = found[relation]
        got = (
            "N" if person.full_name in text else "I" if f"SafeHub ID {person.pk}<" in text else "C"
        )
        assert got == expected, (role, by, relation, got)


@pytest.mark.parametrize("role", sorted(VALIDATION_MY_WORK))
def test_each_issue_in_my_work_as_the_matrix_says(role, found, client_for):
    response = client_for(role).get(reverse("casework:my-work"))
    page = response.content.decode() if response.status_code == 200 else ""
    section = page.split('id="census-issues"', 1)[1] if 'id="census-issues"' in page else ""
    for relation, expected in zip(RELATIONS, VALIDATION_MY_WORK[role].split(), strict=True):
        person = found[relation]
        fix = reverse("people:person-edit", args=[person.pk])
        named = person.full_name in section and fix in section
        hidden = f"Restricted record (SafeHub ID {person.pk})" in section
        got = "N" if named else "R" if hidden else "-"
        assert got == expected, (role, relation, got)
        if got == "R":
            assert person.full_name not in section
            assert fix not in section
