"""Every role × every person endpoint × every relation, allowed and refused; every role ×
every role-level endpoint; and a meta-test that fails if a route is missing from the
matrix."""

import json

import pytest
from conftest import without_random_tokens
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from safehub.access.models import ApiToken, hash_token
from safehub.audit.models import AuditEvent
from safehub.organisations.models import User
from safehub.people.models import Relationship
from tests.access_matrix.matrix import (
    ALERT_ENDPOINTS,
    CASEWORK_API_ENDPOINTS,
    CONCERN_RULE_ENDPOINTS,
    CONTACT_EDIT_ENDPOINTS,
    CONTACT_VIEW_ENDPOINTS,
    EDIT,
    EVERY_SIGNED_IN_ROLE,
    NOT_IN_MATRIX,
    PARTNER_EVENT_ENDPOINTS,
    PARTNER_UPLOAD_ENDPOINTS,
    PERMANENCE_ENDPOINTS,
    PERSON_ENDPOINTS,
    RELATIONS,
    ROLE_ENDPOINTS,
    VIEW,
)

CASES = [
    (role, relation, name, kind, method)
    for role in VIEW
    for relation in RELATIONS
    for name, kind, method in PERSON_ENDPOINTS
]


def _expected(role: str, relation: str, kind: str) -> str:
    table = VIEW if kind == "view" else EDIT
    return table[role].split()[RELATIONS.index(relation)]


def _token_for(user) -> str:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="matrix", token_hash=hash_token(secret))
    return secret


def _url(name: str, person) -> str:
    if name == "people:relationship-end":
        rel = Relationship.objects.filter(subject=person).first()
        assert rel is not None
        return reverse(name, args=[person.pk, rel.pk])
    return reverse(name, args=[person.pk])


@pytest.mark.parametrize(("role", "relation", "name", "kind", "method"), CASES)
def test_person_endpoint_matrix(
    role,
    relation,
    name,
    kind,
    method,
    users,
    people,
    client_for,
):
    person = people[relation]
    expected = _expected(role, relation, kind)
    url = _url(name, person)
    if name.startswith("api-v1:"):
        client = client_for(role)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {_token_for(users[role])}"}
        if method == "put":
            body = {
                "kind": "child",
                "given_name": person.given_name,
                "family_name": person.family_name,
                "date_of_birth": str(person.date_of_birth),
                "version": person.version,
                "first_language": "English",
            }
            response = client.put(url, json.dumps(body), content_type="application/json", **headers)
        else:
            response = client.get(url, **headers)
        wanted = {"A": 200, "D": 404, "B": 404}[expected]
        assert response.status_code == wanted, (role, relation, name, response.content[:300])
        return
    response = client_for(role).get(url)
    if expected == "A":
        assert response.status_code == 200, (role, relation, name)
        assert person.given_name.encode() in response.content
    elif expected == "B":
        assert response.status_code == 302, (role, relation, name)
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation, name)
        shown = without_random_tokens(response.content)
        assert person.given_name.encode() not in shown
        assert person.family_name.encode() not in shown


def _role_endpoint_request(client, name, user):
    if name.startswith("api-v1:"):
        headers = {"HTTP_AUTHORIZATION": f"Bearer {_token_for(user)}"}
        if name in ("api-v1:partner_events_sent_back_api", "api-v1:concern_alerts_api"):
            return client.get(reverse(name), **headers)
        if name == "api-v1:partner_events_submit_api":
            from safehub.partners.tests.conftest import event

            body = {"events": [event()]}
            return client.post(
                reverse(name), json.dumps(body), content_type="application/json", **headers
            )
        if name == "api-v1:contact_submit_api":
            from safehub.frontdoor.tests.factories import professional_submission

            body = professional_submission()
            body.pop("referrer")
            return client.post(
                reverse(name), json.dumps(body), content_type="application/json", **headers
            )
        if name == "api-v1:person_search_api":
            return client.post(
                reverse(name),
                json.dumps({"name": "Hart"}),
                content_type="application/json",
                **headers,
            )
        return client.post(
            reverse(name),
            json.dumps({"kind": "adult", "given_name": "Kim", "family_name": "Lee"}),
            content_type="application/json",
            **headers,
        )
    if name == "organisations:user-edit":
        # Someone else's account: nobody administers their own.
        other = User.objects.exclude(pk=user.pk).order_by("pk").first()
        assert other is not None
        return client.get(reverse(name, args=[other.pk]))
    return client.get(reverse(name))


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", sorted(ROLE_ENDPOINTS))
def test_role_endpoint_matrix(role, name, users, people, client_for):
    response = _role_endpoint_request(client_for(role), name, users[role])
    if role in ROLE_ENDPOINTS[name]:
        assert response.status_code in (200, 201), (role, name, response.status_code)
    else:
        assert response.status_code in (403, 404), (role, name, response.status_code)


def _route_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or ""
            yield from _route_names(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else f"{namespace}<unnamed>"


def test_every_route_is_in_the_matrix_or_explained():
    covered = (
        {n for n, _, _ in PERSON_ENDPOINTS}
        | set(ROLE_ENDPOINTS)
        | set(NOT_IN_MATRIX)
        | set(CONTACT_VIEW_ENDPOINTS)
        | set(CONTACT_EDIT_ENDPOINTS)
        | set(PARTNER_EVENT_ENDPOINTS)
        | set(PARTNER_UPLOAD_ENDPOINTS)
        | set(CASEWORK_API_ENDPOINTS)
        | set(ALERT_ENDPOINTS)
        | set(CONCERN_RULE_ENDPOINTS)
        | set(PERMANENCE_ENDPOINTS)
    )
    routes = set(_route_names())
    missing = routes - covered
    assert not missing, f"Routes missing from tests/access_matrix/matrix.py: {missing}"
    stale = covered - routes
    assert not stale, f"Matrix names routes that no longer exist: {stale}"


def test_refusals_leave_no_view_audit_rows(users, people, client_for):
    client_for("south_worker").get(reverse("people:person-detail", args=[people["involved"].pk]))
    assert not AuditEvent.objects.filter(action="view", person_id=people["involved"].pk)
