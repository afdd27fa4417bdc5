"""Every role against the registers of hard-to-see children: who opens each register and its
export, which of the test people (every one put on every register) each row shows, and who
may name a child's EHE officer."""

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from safehub.chronology.services import chronology_append
from safehub.hardtosee.models import EheOfficer
from safehub.hardtosee.selectors import Register, _partner
from tests.access_matrix.matrix import (
    EHE_OFFICER,
    EVERY_SIGNED_IN_ROLE,
    REGISTER_ROLES,
    REGISTER_ROWS,
    RELATIONS,
)
from tests.access_matrix.test_matrix import _without_random_tokens

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_every_register(users: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """The test people, each home educated and missing education (one relation each way)
    and none seen by a professional; each is known to a service already."""
    for relation, person in people.items():
        code = "ehe_registered" if relation != "unrelated" else "child_missing_education"
        chronology_append(
            actor=users["mash_worker"],
            persons=[person],
            event_type=_partner(code),
            summary="On the register",
            occurred_on=date(2026, 1, 10),
        )
    return people


def _url(name: str, register: Register) -> str:
    if name == "hardtosee:registers":
        return reverse(name)
    return reverse(name, args=[register.value])


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", ["hardtosee:registers", "hardtosee:register", "hardtosee:export"])
@pytest.mark.parametrize("register", list(Register))
def test_register_pages(role, name, register, on_every_register, client_for):
    if name == "hardtosee:registers" and register is not Register.EHE:
        pytest.skip("one page for every register")
    response = client_for(role).get(_url(name, register))
    content = _without_random_tokens(response.content)
    if role not in REGISTER_ROLES:
        assert response.status_code == 404, (role, name)
        for person in on_every_register.values():
            assert person.family_name.encode() not in content
        return
    assert response.status_code == 200, (role, name)
    if name == "hardtosee:registers":
        return
    expected = REGISTER_ROWS[role].split()
    for relation, outcome in zip(RELATIONS, expected, strict=True):
        person = on_every_register[relation]
        on_this_register = {
            Register.EHE: relation != "unrelated",
            Register.CME: relation == "unrelated",
            Register.UNDER_ONES: False,  # the test people are all older than one
            Register.NO_CONTACT: True,  # all known to a service, none seen
        }[register]
        shown = f"{person.given_name} {person.family_name}".encode() in content
        assert shown == (outcome == "A" and on_this_register), (role, name, register, relation)


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("relation", RELATIONS)
def test_ehe_officer(role, relation, on_every_register, users, client_for):
    person = on_every_register[relation]
    url = reverse("hardtosee:ehe-officer", args=[person.pk])
    client = client_for(role)
    response = client.post(url, {"officer": users["colleague"].pk})
    expected = EHE_OFFICER.get(role, "D D D D D").split()[RELATIONS.index(relation)]
    if expected == "A":
        assert response.status_code == 302, (role, relation)
        assert response["Location"] == reverse("hardtosee:register", args=[Register.EHE.value])
        assert EheOfficer.objects.filter(person=person).exists()
        return
    if expected == "B":
        assert response.status_code == 302, (role, relation)
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation)
        assert person.family_name.encode() not in _without_random_tokens(response.content)
    assert not EheOfficer.objects.exists()
