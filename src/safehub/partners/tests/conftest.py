"""Partner agencies of every kind, each with a practitioner who may send events, and
helpers to send them."""

import json
from typing import Any

import pytest
from conftest import make_user
from django.test import Client
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.access.roles import Role
from safehub.organisations.models import Agency, AgencyKind, Team, User


@pytest.fixture
def senders(council: dict[str, Any], users: dict[str, User]) -> dict[str, User]:
    """A partner practitioner at a school (conftest's DSL), the health trust, the police,
    housing and adult services."""
    found = {"school": users["partner_practitioner"]}
    found["health"] = make_user("nurse", Role.PARTNER_PRACTITIONER, council["teams"]["trust"])
    for key, name, kind in (
        ("police", "Testshire Police", AgencyKind.POLICE),
        ("housing", "Testshire Homes", AgencyKind.HOUSING),
        ("adult", "Testshire Recovery Service", AgencyKind.ADULT_SERVICES),
        ("voluntary", "Testshire Family Support", AgencyKind.VOLUNTARY),
    ):
        team = Team.objects.create(agency=Agency.objects.create(name=name, kind=kind), name="Team")
        found[key] = make_user(f"{key}-sender", Role.PARTNER_PRACTITIONER, team)
    return found


def bearer(user: User) -> dict[str, Any]:  # WSGI environ extras
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="feed", token_hash=hash_token(secret))
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def send(user: User, events: list[Any], headers: dict[str, Any] | None = None) -> Any:
    return Client().post(
        reverse("api-v1:partner_events_submit_api"),
        json.dumps({"events": events}),
        content_type="application/json",
        **(headers or bearer(user)),
    )


def event(**fields: Any) -> dict[str, Any]:
    """A school's welfare concern about Amelia Hart (conftest's `involved` child) by her NHS
    number, unless told otherwise."""
    data: dict[str, Any] = {
        "event_id": "E1",
        "type": "dsl_welfare_concern",
        "occurred_at": "2026-11-20",
        "nhs_number": "943 476 5919",
        "summary": "Came to school hungry three days running; said there was no food at home.",
        "significance": "medium",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}
