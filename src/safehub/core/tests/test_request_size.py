"""A request body over DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 and the limit in
plain English: a page for the browser (signed in or the public form), the API's problem
shape for /api/v1/. Never a server error, and nothing is saved."""

import json
from typing import Any

from django.core.cache import cache
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.casework.models import CaseNote
from safehub.people.models import Person


def _too_big(settings) -> str:
    return "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)


def _limit(settings) -> str:
    return filesizeformat(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def _bearer(user) -> dict[str, Any]:  # WSGI environ extras
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="size test", token_hash=hash_token(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_an_oversized_casework_form_gets_413_with_the_limit_and_saves_nothing(
    people,
    client_for,
    settings,
):
    response = client_for("social_worker").post(
        reverse("casework:note-record", args=[people["involved"].pk]),
        {"text": _too_big(settings)},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Too much to send at once" in page
    assert _limit(settings) in page
    assert "Nothing was saved" in page
    assert not CaseNote.objects.exists()


def test_an_oversized_public_report_gets_413_with_the_limit(db, settings):
    cache.clear()
    client = Client()
    response = client.post(reverse("report:what-happened"), {"concern_summary": _too_big(settings)})
    assert response.status_code == 413
    assert _limit(settings) in response.content.decode()
    assert "call 999" in response.content.decode()
    assert "public_report" not in client.session


def test_an_oversized_api_call_gets_413_in_the_problem_shape(users, settings):
    response = Client().post(
        reverse("api-v1:person_create_api"),
        json.dumps({"kind": "adult", "given_name": "Kim", "family_name": _too_big(settings)}),
        content_type="application/json",
        **_bearer(users["mash_worker"]),
    )
    assert response.status_code == 413
    problem = response.json()
    assert set(problem) == {"message", "errors"}
    assert _limit(settings) in problem["message"]
    assert not Person.objects.filter(given_name="Kim").exists()


def test_the_message_states_the_configured_limit(people, client_for, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024
    response = client_for("social_worker").post(
        reverse("casework:note-record", args=[people["involved"].pk]), {"text": "x" * 30_000}
    )
    assert response.status_code == 413
    assert "20.0\xa0KB" in response.content.decode()


def test_a_body_just_within_the_limit_is_served(users, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    body = json.dumps({"name": "Hart", "postcode": ""}).ljust(1024)
    response = Client().post(
        reverse("api-v1:person_search_api"),
        body,
        content_type="application/json",
        **_bearer(users["mash_worker"]),
    )
    assert response.status_code == 200
