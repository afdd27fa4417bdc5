"""The casework API: every role × every relation × every endpoint, from the tables in
matrix.py (CASEWORK_VIEW for reading casework, EDIT for recording, VIEW for the chronology).
Each person has an open episode of need, so an allowed visit saves; a refused call is "not
found" (break-glass is offered only on the page) and saves nothing."""

import json
from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.casework.models import CaseNote, Episode, MissingEpisode, Visit
from tests.access_matrix.matrix import (
    CASEWORK_API_ENDPOINTS,
    CASEWORK_VIEW,
    EDIT,
    RELATIONS,
    VIEW,
)

TABLES = {"casework": CASEWORK_VIEW, "edit": EDIT, "view": VIEW}
BODIES = {
    "api-v1:child_visit_record_api": {"visited_on": TEST_TODAY.isoformat(), "child_seen": True},
    "api-v1:child_note_record_api": {"text": "Rang the school"},
    "api-v1:child_missing_record_api": {"kind": "M", "start_date": TEST_TODAY.isoformat()},
}


def _token_for(user: Any) -> str:
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="matrix", token_hash=hash_token(secret))
    return secret


def _saved() -> int:
    return Visit.objects.count() + CaseNote.objects.count() + MissingEpisode.objects.count()


@pytest.mark.parametrize(("role", "relation"), [(r, rel) for r in VIEW for rel in RELATIONS])
def test_casework_api_matrix(role: str, relation: str, users: Any, people: Any, client: Any):
    person = people[relation]
    episode = Episode.objects.create(
        child=person,
        kind="cin",
        referral_date=TEST_TODAY - timedelta(days=30),
        opened_by=users["mash_worker"],
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {_token_for(users[role])}"}
    for name, (table, method) in CASEWORK_API_ENDPOINTS.items():
        expected = TABLES[table][role].split()[RELATIONS.index(relation)]
        url = reverse(name, args=[person.pk])
        saved = _saved()
        if method == "post":
            body = json.dumps(BODIES[name])
            response = client.post(url, body, content_type="application/json", **headers)
        else:
            response = client.get(url, **headers)
        case = (role, relation, name, response.status_code, response.content[:200])
        if expected == "A":
            assert response.status_code == (201 if method == "post" else 200), case
            if name == "api-v1:child_episodes_api":
                assert [e["id"] for e in response.json()] == [episode.pk], case
        else:
            assert response.status_code == 404, case
            assert response.json()["message"] == "The record you asked for could not be found."
            assert _saved() == saved, case
