"""Helpers for the concern tests: agencies that report, a way to put an entry on a child's
chronology on a given day (through `chronology_append`, so the live hook runs), and the
starter rules switched on."""

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from conftest import make_user

from safehub.access.roles import Role
from safehub.chronology.models import ChronologyEntry
from safehub.chronology.services import chronology_append
from safehub.concerns.models import Alert, ConcernRule
from safehub.core.workdays import LONDON
from safehub.organisations.models import Agency, AgencyKind, Team, User


@pytest.fixture
def reporters(council: dict[str, Any], users: dict[str, User]) -> dict[str, User]:
    """Someone at the school, the health trust, the police and housing."""
    found = {"school": users["partner_practitioner"]}
    found["health"] = make_user("nurse", Role.PARTNER_PRACTITIONER, council["teams"]["trust"])
    for key, name, kind in (
        ("police", "Testshire Police", AgencyKind.POLICE),
        ("housing", "Testshire Homes", AgencyKind.HOUSING),
    ):
        team = Team.objects.create(agency=Agency.objects.create(name=name, kind=kind), name="Team")
        found[key] = make_user(f"{key}-user", Role.PARTNER_PRACTITIONER, team)
    return found


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


def put(
    person: Any,
    code: str,
    day: date,
    by: User,
    summary: str = "Reported.",
    *,
    recorded: date | None = None,
    **extra: Any,
) -> ChronologyEntry:
    """An entry on `person`'s chronology that happened on `day` and was recorded then (or
    on `recorded`), as the live system would append it."""
    return chronology_append(
        actor=by,
        persons=[person],
        event_type=code,
        summary=summary,
        occurred_at=at(day),
        recorded_at=at(recorded or day, 11),
        **extra,
    )


def switch_on(*codes: str) -> None:
    ConcernRule.objects.filter(code__in=codes).update(active=True)


def install(code: str) -> ConcernRule:
    """A starter rule, switched on, whether or not the migration's copy survived (a
    transactional test empties the tables)."""
    from safehub.concerns.starter_rules import STARTER_RULES

    spec = next(s for s in STARTER_RULES if s["code"] == code)
    rule, _ = ConcernRule.objects.update_or_create(code=code, defaults={**spec, "active": True})
    return rule


ALERT_DAY = date(2026, 6, 1)


@pytest.fixture
def mash_alert(reporters: dict[str, Any], people: dict[str, Any]) -> Alert:
    """Three agencies' concerns about the involved child (no casework allocation: the
    alert goes to the MASH)."""
    switch_on("many-agencies-no-plan")
    child = people["involved"]
    put(child, "PARTNER_DSL_WELFARE_CONCERN", ALERT_DAY, reporters["school"], "Hungry at school.")
    put(
        child,
        "PARTNER_WAS_NOT_BROUGHT",
        ALERT_DAY + timedelta(days=10),
        reporters["health"],
        "Missed.",
    )
    put(
        child,
        "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT",
        ALERT_DAY + timedelta(days=20),
        reporters["police"],
    )
    return Alert.objects.get()
