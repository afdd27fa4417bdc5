"""Court work and adoption: every form page for every role x every relation (from
PERMANENCE_EDIT in matrix.py), each child given open proceedings, a running deprivation of
liberty order and an open adoption decision so every page has something to work on; the
casework page's section for every role; a refused POST saves nothing; and the prospective
adopters' record for every role, with a matched child named only to those who may see them."""

from datetime import date
from typing import Any

import pytest
from conftest import shows
from django.urls import reverse

from safehub.permanence import services
from safehub.permanence.models import Adopters, Adoption, Proceedings
from tests.access_matrix.matrix import (
    ADOPTER_ROLES,
    CASEWORK_VIEW,
    PERMANENCE_EDIT,
    PERMANENCE_ENDPOINTS,
    PERMANENCE_READERS,
    RELATIONS,
)


def _history(child: Any, users: Any) -> None:
    """Recorded by someone who may (the child's team's manager, or the social worker)."""
    by = users["south_worker"] if child.family_name == "Brown" else users["team_manager"]
    services.proceedings_issue(
        actor=by, child=child, application="care", issued_on=date(2026, 9, 1), court="Family Court"
    )
    services.liberty_order_record(
        actor=by,
        child=child,
        made_on=date(2026, 10, 1),
        review_by=date(2027, 1, 5),
        court="High Court",
    )
    services.adoption_decide(actor=by, child=child, decided_on=date(2026, 10, 5))


@pytest.fixture
def histories(people: Any, users: Any) -> None:
    from safehub.access.models import RestrictedAccess

    for relation in RELATIONS:
        child = people[relation]
        if child.is_restricted:
            RestrictedAccess.objects.get_or_create(person=child, user=users["team_manager"])
        if relation == "unrelated":
            continue  # South's child: recorded below by South's worker
        _history(child, users)
    _history(people["unrelated"], users)
    RestrictedAccess.objects.filter(user=users["team_manager"]).delete()


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(PERMANENCE_EDIT))
def test_every_court_and_adoption_page(role, relation, people, histories, client_for):
    child = people[relation]
    client = client_for(role)
    expected = PERMANENCE_EDIT[role].split()[RELATIONS.index(relation)]
    for name, extra in PERMANENCE_ENDPOINTS.items():
        response = client.get(reverse(name, args=[child.pk, *extra]))
        if name == "permanence:adoption-match" and role not in ADOPTER_ROLES:
            assert response.status_code == 403, (name, role, relation)
        elif expected == "A":
            assert response.status_code == 200, (name, role, relation, response.status_code)
            assert child.given_name.encode() in response.content
        elif expected == "B":
            assert response.status_code == 302, (name, role, relation)
            assert response["Location"] == reverse("people:person-break-glass", args=[child.pk])
        else:
            assert response.status_code == 404, (name, role, relation, response.status_code)
        if expected != "A":
            assert not shows(child.family_name, response.content)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(CASEWORK_VIEW))
def test_the_casework_page_shows_court_work_to_its_readers(
    role, relation, people, histories, client_for
):
    child = people[relation]
    response = client_for(role).get(reverse("casework:child-casework", args=[child.pk]))
    if CASEWORK_VIEW[role].split()[RELATIONS.index(relation)] != "A":
        assert b"Court and adoption" not in response.content
        return
    assert response.status_code == 200
    assert (b"Court and adoption" in response.content) is (role in PERMANENCE_READERS), role
    if role in PERMANENCE_READERS:
        assert b"Family Court" in response.content


@pytest.mark.parametrize("role", list(PERMANENCE_EDIT))
def test_a_refused_application_saves_nothing(role, people, client_for):
    child = people["involved"]
    body = {
        "application": "care",
        "issued_on-day": "2",
        "issued_on-month": "11",
        "issued_on-year": "2026",
        "court": "Family Court",
    }
    response = client_for(role).post(reverse("permanence:issue", args=[child.pk]), body)
    allowed = PERMANENCE_EDIT[role].split()[RELATIONS.index("involved")] == "A"
    assert response.status_code == (302 if allowed else 404), role
    assert Proceedings.objects.filter(child=child).exists() is allowed


@pytest.mark.parametrize("role", [*list(PERMANENCE_EDIT), "south_worker"])
def test_prospective_adopters_for_every_role(role, people, users, client_for):
    tm = users["team_manager"]
    adopters = services.adopters_create(
        actor=tm,
        names="Robin and Lee Okafor",
        sexes="MF",
        legal_status="L3",
        enquiry_on=date(2025, 1, 6),
    )
    adopters = services.adopters_approve(
        actor=tm, adopters=adopters, approved_on=date(2025, 6, 2), expected_version=adopters.version
    )
    child = people["involved"]
    services.adoption_decide(actor=tm, child=child, decided_on=date(2026, 2, 2))
    services.adoption_match(
        actor=tm, child=child, matched_on=date(2026, 5, 5), adopters=adopters, by_foster_carer=False
    )
    response = client_for(role).get(reverse("permanence:adopters-detail", args=[adopters.pk]))
    if role not in ADOPTER_ROLES and role != "south_worker":
        assert response.status_code == 404, role
        assert b"Okafor" not in response.content
        return
    assert response.status_code == 200
    assert b"Okafor" in response.content
    # South's worker works with adopters but may not see North's child: counted, not named.
    assert (b"Amelia" in response.content) is (role != "south_worker"), role
    assert Adopters.objects.count() == 1
    assert Adoption.objects.count() == 1
