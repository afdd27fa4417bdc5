"""Every role against every concern alert page, by whom the alert is for, and every role
against one rule's pages and the replay API: allowed, or "not found" (404) / refused (403)
and nothing changed, the child's name never shown."""

import json
from datetime import date
from typing import Any

import pytest
from conftest import shows
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.concerns.models import Alert, AlertState, ConcernRule
from safehub.concerns.tests.conftest import at
from tests.access_matrix.matrix import (
    ALERT_ACCESS,
    ALERT_ENDPOINTS,
    ALERT_RELATIONS,
    CONCERN_RULE_ENDPOINTS,
    EVERY_SIGNED_IN_ROLE,
)

pytestmark = pytest.mark.django_db


def _alert(relation: str, users: dict[str, Any], people: dict[str, Any]) -> Alert:
    child, lead = {
        "mash": (people["involved"], None),
        "lead": (people["involved"], users["social_worker"]),
        "unrelated": (people["unrelated"], users["south_worker"]),
    }[relation]
    return Alert.objects.create(
        rule=ConcernRule.objects.get(code="many-agencies-no-plan"),
        rule_version=1,
        person=child,
        raised_at=at(date(2026, 11, 20)),
        fact_ids=[],
        explanation=[{"text": "Three agencies reported concerns.", "facts": []}],
        fingerprint=relation,
        lead_professional=lead,
        due_at=at(date(2026, 11, 21), 23),
    )


def _post(name: str, alert: Alert) -> dict[str, Any]:
    if name in ("concerns:alert-act", "api-v1:concern_alert_act_api"):
        return {"version": alert.version, "action_taken": "discussed", "note": ""}
    if name == "api-v1:concern_alert_acknowledge_api":
        return {"version": alert.version}
    return {"version": alert.version, "reason": "Already known to us"}


def _api(name: str, url: str, alert: Alert, user: Any, client: Any) -> Any:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="alerts", token_hash=hash_token(secret))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if ALERT_ENDPOINTS[name] == "get":
        return client.get(url, **headers)
    body = json.dumps(_post(name, alert))
    return client.post(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("relation", ALERT_RELATIONS)
@pytest.mark.parametrize("name", sorted(ALERT_ENDPOINTS))
def test_alert_matrix(role, relation, name, users, people, client_for):
    alert = _alert(relation, users, people)
    url = reverse(name, args=[alert.pk])
    client = client_for(role)
    if name.startswith("api-v1:"):
        response = _api(name, url, alert, users[role], client)
    elif ALERT_ENDPOINTS[name] == "post":
        response = client.post(url, _post(name, alert))
    else:
        response = client.get(url)
    alert.refresh_from_db()
    expected = ALERT_ACCESS[role].split()[ALERT_RELATIONS.index(relation)]
    if expected == "A":
        assert response.status_code in (200, 302), (role, relation, name)
        if ALERT_ENDPOINTS[name] == "post":
            assert alert.state != AlertState.NEW
    else:
        assert response.status_code == 404, (role, relation, name, response.status_code)
        assert alert.state == AlertState.NEW
        assert not shows(alert.person.family_name, response.content)


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", sorted(CONCERN_RULE_ENDPOINTS))
def test_concern_rule_matrix(role, name, users, client_for):
    rule = ConcernRule.objects.get(code="many-agencies-no-plan")
    if name.startswith("api-v1:"):
        secret = ApiToken.new_secret()
        ApiToken.objects.create(user=users[role], name="feed", token_hash=hash_token(secret))
        response = client_for(role).get(
            reverse(name), {"as_of": "2026-11-01"}, HTTP_AUTHORIZATION=f"Bearer {secret}"
        )
    else:
        response = client_for(role).get(reverse(name, args=[rule.pk]))
    if role in CONCERN_RULE_ENDPOINTS[name]:
        assert response.status_code == 200, (role, name, response.status_code)
    else:
        assert response.status_code in (403, 404), (role, name, response.status_code)
