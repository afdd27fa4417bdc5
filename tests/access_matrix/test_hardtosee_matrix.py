"""Every role against the registers of hard-to-see children: who opens each register and its
export, which of the test people (every one put on every register) each row shows, and who
may name a child's EHE officer."""

from datetime import date
from typing import Any

import pytest
from conftest import shows, without_random_tokens
from django.urls import reverse

from safehub.chronology.services import chronology_append
from safehub.hardtosee.models import (
    ContextEntry,
    ContextPerson,
    EheOfficer,
    MaceAction,
    MaceDiscussion,
    MacePanel,
)
from safehub.hardtosee.selectors import Register, partner_code
from safehub.hardtosee.services import (
    context_create,
    context_link_person,
    mace_action_add,
    mace_discuss,
    mace_panel_create,
)
from tests.access_matrix.matrix import (
    CONTEXT_ENDPOINTS,
    EHE_OFFICER,
    EVERY_SIGNED_IN_ROLE,
    MACE_ACTION_HOLDERS,
    REGISTER_ROLES,
    REGISTER_ROWS,
    RELATIONS,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def on_every_register(users: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:
    """The test people, each home educated and missing education (one relation each way)
    and none seen by a professional; each is known to a service already."""
    for relation, person in people.items():
        code = "ehe_registered" if relation != "unrelated" else "child_missing_education"
        chronology_append(
            actor=users["mash_worker"],
            persons=[person],
            event_type=partner_code(code),
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
    content = without_random_tokens(response.content)
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
        assert not shows(person.family_name, response.content)
    assert not EheOfficer.objects.exists()


# --- Contexts and MACE panels ------------------------------------------------------------


@pytest.fixture
def work(users: dict[str, Any], people: dict[str, Any], council: dict[str, Any]) -> Any:
    """A context with the involved child linked, and a panel that discussed them and gave
    the social worker an action."""
    mash = users["mash_worker"]
    park = context_create(actor=mash, data={"kind": "place", "name": "Riverside Park"})
    link = context_link_person(
        actor=mash, context=park, person=people["involved"], reason="Seen there", on=TODAY
    )
    panel = mace_panel_create(
        actor=mash,
        held_on=TODAY,
        chair_id=users["team_manager"].pk,
        attendees=[(council["la"].pk, "Priya Shah")],
        notes="",
        today=TODAY,
    )
    mace_discuss(actor=mash, panel=panel, person=people["involved"], risk="high")
    action = mace_action_add(
        actor=mash,
        panel=panel,
        description="Disruption visit",
        owner_id=users["social_worker"].pk,
        due_on=TODAY,
    )
    return {"park": park, "link": link, "panel": panel, "action": action}


def _context_request(client, name: str, work: Any, people: dict[str, Any]) -> Any:
    park, panel = work["park"], work["panel"]
    args = {
        "hardtosee:contexts": [],
        "hardtosee:context-new": [],
        "hardtosee:panels": [],
        "hardtosee:panel-new": [],
        "hardtosee:context-unlink": [park.pk, work["link"].pk],
    }.get(name, [panel.pk] if ":panel" in name else [park.pk])
    url = reverse(name, args=args)
    if CONTEXT_ENDPOINTS[name] == "get":
        return client.get(url)
    data = {
        "hardtosee:context-note": {
            "occurred_on-day": "1",
            "occurred_on-month": "11",
            "occurred_on-year": "2026",
            "summary": "Seen gathering",
            "significance": "2",
        },
        "hardtosee:context-link": {"person": people["same_team"].pk, "reason": "Seen there"},
        "hardtosee:panel-child": {"person": people["same_team"].pk, "risk": "low"},
        "hardtosee:panel-context": {"context": park.pk, "risk": "low"},
        "hardtosee:panel-action": {
            "description": "Another",
            "owner": work["action"].owner_id,
            "due_on-day": "30",
            "due_on-month": "11",
            "due_on-year": "2026",
        },
        "hardtosee:panel-notes": {"notes": "Notes", "version": panel.version},
    }.get(name, {})
    return client.post(url, data)


def _changed(work: Any) -> bool:
    """Did anything the POST pages write reach the database?"""
    return (
        ContextEntry.objects.filter(context=work["park"]).count() != 1
        or ContextPerson.objects.filter(ended_on__isnull=False).exists()
        or MaceDiscussion.objects.count() != 1
        or MaceAction.objects.count() != 1
        or MacePanel.objects.get().notes != ""
    )


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", sorted(CONTEXT_ENDPOINTS))
def test_context_and_panel_pages(role, name, work, people, client_for):
    response = _context_request(client_for(role), name, work, people)
    content = without_random_tokens(response.content)
    if role in REGISTER_ROLES:
        assert response.status_code in (200, 302), (role, name, response.status_code)
        if CONTEXT_ENDPOINTS[name] == "post":
            assert response.status_code == 302, (role, name)
            assert _changed(work), (role, name)
        return
    assert response.status_code == 404, (role, name, response.status_code)
    assert b"Amelia" not in content
    assert b"Riverside Park" not in content
    assert not _changed(work)


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_my_mace_actions(role, work, client_for):
    response = client_for(role).get(reverse("hardtosee:my-actions"))
    if role in MACE_ACTION_HOLDERS:
        assert response.status_code == 200, role
        assert (b"Disruption visit" in response.content) == (role == "social_worker")
    else:
        assert response.status_code == 404, role


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_marking_an_action_done(role, work, client_for):
    action = work["action"]
    response = client_for(role).post(
        reverse("hardtosee:action-done", args=[action.pk]), {"version": action.version}
    )
    action.refresh_from_db()
    if role == "social_worker" or role in REGISTER_ROLES:
        assert response.status_code == 302, role
        assert action.done_on == TODAY
    else:
        assert response.status_code == 404, role
        assert action.done_on is None
