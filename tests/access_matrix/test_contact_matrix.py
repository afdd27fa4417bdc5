"""Front-door contacts: every role × every contact page and endpoint × every relation of a
contact to the test users, allowed and refused, from the hand-written tables in matrix.py."""

import json
from typing import Any

import pytest
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.audit.models import AuditEvent
from safehub.frontdoor import services
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission, public_submission
from safehub.organisations.models import User
from tests.access_matrix.matrix import (
    CONTACT_EDIT_ENDPOINTS,
    CONTACT_RELATIONS,
    CONTACT_VIEW,
    CONTACT_VIEW_ENDPOINTS,
    EVERY_SIGNED_IN_ROLE,
    REQUEST_VIEW,
)

SECRET_STORY = "Only-for-the-MASH story text"


def _public(**kw: Any) -> Contact:
    contact, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(concern_summary=SECRET_STORY, **kw)
    )
    return contact


@pytest.fixture
def contacts(users: dict[str, User], people: Any, council: Any) -> dict[str, Contact]:
    from conftest import make_user

    health_visitor = make_user("hv", "partner_practitioner", council["teams"]["trust"])
    own, _ = services.contact_submit(
        actor=users["partner_practitioner"],
        channel="professional",
        data=professional_submission(concern_summary=SECRET_STORY),
    )
    other, _ = services.contact_submit(
        actor=health_visitor,
        channel="professional",
        data=professional_submission(referral_source="3B", concern_summary=SECRET_STORY),
    )
    found = {"own_agency": own, "other_agency": other, "public": _public()}
    for relation, person in (
        ("linked_involved", people["involved"]),
        ("linked_unrelated", people["unrelated"]),
    ):
        contact = _public()
        services.contact_link_subject(
            actor=users["mash_worker"],
            contact=contact,
            subject=contact.subjects.get(),
            person=person,
        )
        found[relation] = contact
    return found


def _token(user: User) -> str:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="matrix", token_hash=hash_token(secret))
    return secret


VIEW_CASES = [
    (role, relation, name)
    for role in CONTACT_VIEW
    for relation in CONTACT_RELATIONS
    for name in CONTACT_VIEW_ENDPOINTS
]


@pytest.mark.parametrize(("role", "relation", "name"), VIEW_CASES)
def test_contact_view_matrix(
    role: str, relation: str, name: str, users: Any, contacts: Any, client_for: Any
) -> None:
    contact = contacts[relation]
    expected = CONTACT_VIEW[role].split()[CONTACT_RELATIONS.index(relation)]
    if expected == "A":
        expected = CONTACT_VIEW_ENDPOINTS[name].get(role, "A")
    url = reverse(name, args=[contact.reference])
    client = client_for(role)
    if name.startswith("api-v1:"):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {_token(users[role])}")
        assert response.status_code == (200 if expected == "A" else 404), (role, relation)
        assert SECRET_STORY.encode() not in response.content  # the API gives status only
        return
    response = client.get(url)
    if expected == "A":
        assert response.status_code == 200, (role, relation, name)
        assert contact.reference.encode() in response.content
    elif expected == "R":
        assert response["Location"] == reverse(
            "frontdoor:referral-detail", args=[contact.reference]
        )
    elif expected == "M":
        assert response["Location"] == reverse("frontdoor:contact-detail", args=[contact.reference])
    else:
        assert response.status_code == 404, (role, relation, name, response.status_code)
        assert SECRET_STORY.encode() not in response.content


EDIT_CASES = [
    (role, name) for role in sorted(EVERY_SIGNED_IN_ROLE) for name in CONTACT_EDIT_ENDPOINTS
]


def _edit_url(name: str, contact: Contact) -> str:
    if name in (
        "frontdoor:contact-link",
        "frontdoor:contact-unlink",
        "frontdoor:contact-new-person",
    ):
        subject = contact.subjects.first()
        assert subject is not None
        return reverse(name, args=[contact.reference, subject.pk])
    return reverse(name, args=[contact.reference])


@pytest.mark.parametrize(("role", "name"), EDIT_CASES)
def test_contact_edit_matrix(
    role: str, name: str, users: Any, people: Any, contacts: Any, client_for: Any
) -> None:
    contact = contacts["public"]
    if name == "frontdoor:contact-sign-off":
        contact = services.contact_rate(
            actor=users["mash_worker"],
            contact=contact,
            expected_version=contact.version,
            rag="green",
            level_of_need="1",
        )
        services.contact_decide(
            actor=users["mash_worker"],
            contact=contact,
            expected_version=contact.version,
            decision="advice",
            reasons="Signposted to parenting support",
            primary_need="N1",
        )
    data = {
        "version": contact.version,
        "rag": "amber",
        "level_of_need": "2",
        "person": people["same_team"].pk,
        "decision": "given",
        "reason": "Agreed",
        "approve": "yes",
        "due": "next",
        "question": "Known?",
    }
    response = client_for(role).post(_edit_url(name, contact), data)
    if role in CONTACT_EDIT_ENDPOINTS[name]:
        assert response.status_code in (200, 302), (role, name, response.status_code)
    else:
        assert response.status_code == 404, (role, name, response.status_code)
        assert SECRET_STORY.encode() not in response.content


@pytest.mark.parametrize("role", sorted(REQUEST_VIEW))
def test_information_request_matrix(
    role: str, users: Any, contacts: Any, council: Any, client_for: Any
) -> None:
    mash = users["mash_worker"]
    requests = [
        services.information_request_send(
            actor=mash,
            contact=contacts["public"],
            agency=council[agency],
            question="Known?",
            due="next",
        )
        for agency in ("school", "trust")
    ]
    for outcome, request in zip(REQUEST_VIEW[role].split(), requests, strict=True):
        response = client_for(role).get(reverse("frontdoor:request-answer", args=[request.pk]))
        assert response.status_code == (200 if outcome == "A" else 404), (role, outcome)


def test_every_contact_view_leaves_one_audit_row(
    users: Any, contacts: Any, client_for: Any
) -> None:
    contact = contacts["linked_involved"]
    before = AuditEvent.objects.filter(action="view", object_id=contact.reference).count()
    client_for("social_worker").get(reverse("frontdoor:contact-detail", args=[contact.reference]))
    rows = AuditEvent.objects.filter(action="view", object_id=contact.reference)
    assert rows.count() == before + 1
    last = rows.last()
    assert last is not None
    assert last.person_id == contact.subjects.get().person_id


def test_a_partner_cannot_refer_without_the_api_shape(users: Any, client_for: Any) -> None:
    response = client_for("partner_practitioner").post(
        reverse("api-v1:contact_submit_api"),
        json.dumps({"children": []}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {_token(users['partner_practitioner'])}",
    )
    assert response.status_code == 422
