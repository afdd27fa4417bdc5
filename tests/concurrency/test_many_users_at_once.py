"""Several signed-in users at once, through the whole request (sessions, the request
transaction, access, audit), on SQLite as on PostgreSQL.

Every page read writes an audit row, so every reader is also a writer. On SQLite that once
made most simultaneous page reads fail with 500 "database is locked", and two simultaneous
saves of one record gave a 500 instead of "someone saved first" (409)."""

import json
import sys
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any, TypeVar

import pytest
from conftest import sign_in
from django.core.signals import got_request_exception
from django.db import connections
from django.test import Client
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.audit.models import AuditAction, AuditEvent
from safehub.people import services
from safehub.people.models import Person

# Everyone here may open the child `people["involved"]`.
READERS = ("social_worker", "colleague", "team_manager", "cp_chair_iro", "partner_practitioner")

Response = TypeVar("Response")  # whatever the test client answers with


def all_at_once(requests: Sequence[Callable[[], Response]]) -> tuple[list[Response], list[str]]:
    """Send every request at the same moment, each from its own thread (so its own database
    connection); return the responses and the errors the views raised."""
    start = threading.Barrier(len(requests))
    responses: list[Any] = [None] * len(requests)
    errors: list[str] = []

    def record(**_: Any) -> None:
        errors.append(repr(sys.exc_info()[1]))

    def run(n: int) -> None:
        try:
            start.wait()
            responses[n] = requests[n]()
        finally:
            connections.close_all()

    got_request_exception.connect(record, dispatch_uid="all_at_once", weak=False)
    try:
        threads = [threading.Thread(target=run, args=(n,)) for n in range(len(requests))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        got_request_exception.disconnect(dispatch_uid="all_at_once")
    return responses, errors


def signed_in(users: dict[str, Any], role: str) -> Client:
    # A failed request shows as its status code (a 500 is what the user sees), not as an
    # exception re-raised in whichever thread happened to be listening.
    return sign_in(Client(raise_request_exception=False), users[role])


@pytest.mark.django_db(transaction=True)
def test_forty_people_opening_one_childs_page_at_once_all_see_it(users, people):
    child = people["involved"]
    url = reverse("people:person-detail", args=[child.pk])
    clients = [signed_in(users, READERS[n % len(READERS)]) for n in range(40)]

    responses, errors = all_at_once([partial(client.get, url) for client in clients])

    statuses = Counter(r.status_code for r in responses)
    assert statuses == {200: 40}, f"{statuses}; errors: {set(errors)}"
    assert all("Amelia Hart" in r.content.decode() for r in responses)
    # Each of the forty reads is on the audit trail, once.
    assert AuditEvent.objects.filter(person_id=child.pk, action=AuditAction.VIEW).count() == 40


def _edit_form(person: Person, version: int, language: str) -> dict[str, Any]:
    born = person.date_of_birth
    assert born is not None
    return {
        "kind": "child",
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth-day": born.day,
        "date_of_birth-month": born.month,
        "date_of_birth-year": born.year,
        "sex": "U",
        "gender_current": "0",
        "ethnicity": "NOBT",
        "disabilities": "NONE",
        "upn_unknown": "UN4",
        "first_language": language,
        "nhs_number": person.nhs_number,
        "version": version,
    }


@pytest.mark.django_db(transaction=True)
def test_two_workers_saving_one_childs_details_at_once_one_saves_one_is_told(users, people):
    """Both opened the edit page at the same version and press Save at the same moment, five
    times over: each time one is saved and the other sees "Your changes were not saved"."""
    child = people["involved"]
    url = reverse("people:person-edit", args=[child.pk])
    editors = [signed_in(users, "social_worker"), signed_in(users, "colleague")]
    for version in range(1, 6):
        languages = [f"Polish {version}", f"Urdu {version}"]

        responses, errors = all_at_once(
            [
                partial(editor.post, url, _edit_form(child, version, language))
                for editor, language in zip(editors, languages, strict=True)
            ]
        )

        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [302, 409], f"round {version}: {statuses}; errors: {errors}"
        assert "Your changes were not saved" in responses[statuses.index(409)].content.decode()
        stored = Person.objects.get(pk=child.pk)
        assert stored.version == version + 1
        assert stored.first_language == languages[statuses.index(302)]


@pytest.mark.django_db(transaction=True)
def test_two_partner_systems_updating_one_person_at_once_one_gets_409(users, people):
    child = people["involved"]
    url = f"/api/v1/persons/{child.pk}"
    clients = []
    for role in ("social_worker", "colleague"):
        secret = ApiToken.new_secret()
        ApiToken.objects.create(user=users[role], name="partner", token_hash=hash_token(secret))
        clients.append(
            Client(raise_request_exception=False, headers={"Authorization": f"Bearer {secret}"})
        )
    body = {f: getattr(child, f) for f in services.PERSON_FIELDS}
    body["date_of_birth"] = child.date_of_birth.isoformat()
    for version in range(1, 6):
        languages = [f"Polish {version}", f"Urdu {version}"]

        responses, _ = all_at_once(
            [
                partial(
                    client.put,
                    url,
                    json.dumps({**body, "first_language": language, "version": version}),
                    content_type="application/json",
                )
                for client, language in zip(clients, languages, strict=True)
            ]
        )

        statuses = [r.status_code for r in responses]
        assert sorted(statuses) == [200, 409], f"round {version}: {statuses}"
        assert responses[statuses.index(409)].json()["errors"] == {
            "version": [f"The record is now at version {version + 1}"]
        }
        stored = Person.objects.get(pk=child.pk)
        assert stored.version == version + 1
        assert stored.first_language == languages[statuses.index(200)]
