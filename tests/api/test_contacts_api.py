"""Referrals through the API: idempotent on the Idempotency-Key header, status and outcome
readable by the referrer, the one Problem shape for refusals."""

import json
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.core.workdays import LONDON
from safehub.frontdoor import services
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission
from safehub.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _headers(user: Any, key: str = "") -> dict[str, Any]:  # WSGI environ extras
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="school MIS", token_hash=hash_token(secret))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    if key:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return headers


def _body(**overrides: Any) -> str:
    body = professional_submission(**overrides)
    body.pop("referrer")
    return json.dumps(body)


def test_one_hundred_retries_with_one_key_make_one_contact_and_one_acknowledgement(
    users: Any,
) -> None:
    client, headers = Client(), _headers(users["partner_practitioner"], key="mis-42")
    statuses = [
        client.post(
            reverse("api-v1:contact_submit_api"),
            _body(),
            content_type="application/json",
            **headers,
        ).status_code
        for _ in range(100)
    ]
    assert statuses[0] == 201
    assert set(statuses[1:]) == {200}
    assert Contact.objects.count() == 1
    contact = Contact.objects.get()
    assert (
        OutboxMessage.objects.filter(dedupe_key__startswith=f"contact:{contact.pk}:ack").count()
        == 2
    )  # one inbox message, one e-mail


def test_the_same_key_with_different_content_is_refused(users: Any) -> None:
    client, headers = Client(), _headers(users["partner_practitioner"], key="mis-43")
    client.post(
        reverse("api-v1:contact_submit_api"), _body(), content_type="application/json", **headers
    )
    response = client.post(
        reverse("api-v1:contact_submit_api"),
        _body(concern_summary="A different worry entirely"),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert Contact.objects.count() == 1


def test_keys_are_per_client_so_two_agencies_cannot_collide(users: Any, council: Any) -> None:
    from conftest import make_user

    other = make_user("hv", "partner_practitioner", council["teams"]["trust"])
    for user in (users["partner_practitioner"], other):
        Client().post(
            reverse("api-v1:contact_submit_api"),
            _body(),
            content_type="application/json",
            **_headers(user, key="same"),
        )
    assert Contact.objects.count() == 2


def test_hostile_text_gets_the_problem_shape_and_saves_nothing(users: Any) -> None:
    response = Client().post(
        reverse("api-v1:contact_submit_api"),
        _body(concern_summary="<img src=x onerror=alert(1)>"),
        content_type="application/json",
        **_headers(users["partner_practitioner"]),
    )
    assert response.status_code == 422
    assert "web code" in response.json()["errors"]["concern_summary"][0]
    assert not Contact.objects.exists()


def test_the_referrer_reads_status_then_outcome(users: Any, people: Any) -> None:
    headers = _headers(users["partner_practitioner"])
    created = (
        Client()
        .post(
            reverse("api-v1:contact_submit_api"),
            _body(),
            content_type="application/json",
            **headers,
        )
        .json()
    )
    url = reverse("api-v1:contact_read_api", args=[created["reference"]])
    assert Client().get(url, **headers).json()["outcome"] is None
    contact = Contact.objects.get(reference=created["reference"])
    mash = users["mash_worker"]
    services.contact_rate(
        actor=mash, contact=contact, expected_version=1, rag="amber", level_of_need="2"
    )
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision="early_help",
        reasons="Family accepts early help",
        primary_need="N1",
    )
    services.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=contact.version, approve=True
    )
    read = Client().get(url, **headers).json()
    assert read["status"] == "decided"
    assert read["outcome"] == "early_help"


def test_the_api_reports_the_clock_urgency_sets(users: Any) -> None:
    client, headers = Client(), _headers(users["partner_practitioner"])
    answers: dict[str, Any] = {}
    for urgency in ("immediate", "urgent", "routine"):
        response = client.post(
            reverse("api-v1:contact_submit_api"),
            _body(urgency=urgency),
            content_type="application/json",
            **headers,
        )
        assert response.status_code == 201
        answers[urgency] = response.json()
    # Monday 23 November 2026 (the test clock): two hours; the end of today; the end of
    # Tuesday, the next working day.
    immediate = answers["immediate"]
    assert datetime.fromisoformat(immediate["decision_due_at"]) - datetime.fromisoformat(
        immediate["received_at"]
    ) == timedelta(hours=2)
    assert datetime.fromisoformat(answers["urgent"]["decision_due_at"]) == datetime(
        2026, 11, 23, 23, 59, 59, tzinfo=LONDON
    )
    assert datetime.fromisoformat(answers["routine"]["decision_due_at"]) == datetime(
        2026, 11, 24, 23, 59, 59, tzinfo=LONDON
    )
