"""Partner agencies of every kind, each with a practitioner who may send events, and
helpers to send them."""

import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from conftest import make_user
from django.test import Client
from django.urls import reverse

from safehub.access.models import ApiToken, hash_token
from safehub.access.roles import Role
from safehub.core.workdays import LONDON, is_working_day
from safehub.organisations.models import Agency, AgencyKind, Team, User
from safehub.partners.services import partner_events_receive


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


def history(
    sender: User, first: date, last: date, type_: str, a_day: int = 3, every: int = 1
) -> None:
    """A feed's usual pattern: `a_day` events on every `every`th working day from `first`
    to `last`, each sent on its day."""
    day, n = first, 0
    while day <= last:
        if is_working_day(day):
            if n % every == 0:
                send_day(sender, day, type_, a_day)
            n += 1
        day += timedelta(days=1)


def send_day(sender: User, day: date, type_: str, count: int) -> None:
    with time_machine.travel(datetime(day.year, day.month, day.day, 11, tzinfo=LONDON), tick=False):
        outcomes = partner_events_receive(
            actor=sender,
            events=[
                event(event_id=f"H{type_}{day}-{n}", type=type_, occurred_at=day.isoformat())
                for n in range(count)
            ],
        )
    assert {o.outcome for o in outcomes} == {"accepted"}, [o.reasons for o in outcomes]
