"""The demo council holds together whatever day it is built for: seeded as of a day long
past and a day far ahead (with the clock moved there too, as `make run` would meet it), its
casework obeys every service rule and agrees with itself, its showcase cases are what the
printed sign-ins promise, and nothing in it lies after that day."""

import io
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from safehub.access.models import RestrictedAccess
from safehub.access.policy import Action, Decision, decide
from safehub.casework import selectors
from safehub.casework.models import DueItem, Visit
from safehub.chronology.models import ChronologyEntry
from safehub.demo.tests.test_casework_records import (
    consistency_violations,
    proportions,
    rule_violations,
)
from safehub.organisations.models import User
from safehub.people.models import Person

DAYS = [
    date(2011, 2, 28),  # before the GOV.UK bank-holiday list begins
    date(2047, 7, 1),  # long after it ends
]


@pytest.fixture(params=DAYS, ids=str)
def seeded_on(request: Any, db: Any) -> Any:
    as_of = request.param
    with time_machine.travel(datetime.combine(as_of, time(9, 30), ZoneInfo("Europe/London"))):
        call_command("seed_demo", "--scale", "small", "--as-of", str(as_of), stdout=io.StringIO())
        yield as_of


def test_the_demo_holds_together_on_any_day(seeded_on: date) -> None:
    as_of = seeded_on
    assert rule_violations(as_of) == []
    assert consistency_violations(as_of) == []
    assert not ChronologyEntry.objects.filter(occurred_at__date__gt=as_of).exists()
    assert not Visit.objects.filter(visited_on__gt=as_of).exists()
    shares = proportions(as_of)
    assert shares["children_in_need"] >= 100
    assert shares["cp_plans_open"]
    assert 0 < shares["due_items_overdue"] < shares["due_items_open"]
    assert DueItem.objects.filter(done_on__isnull=True, due_date__gt=as_of).exists()


def test_the_showcase_cases_are_there_on_any_day(seeded_on: date) -> None:
    worker = User.objects.get(username="social.worker")
    work = selectors.my_work(actor=worker, today=seeded_on)
    assert 22 <= len(work.rows) <= 28
    assert work.overdue_count >= 1
    restricted = Person.objects.filter(is_restricted=True)
    allowed = restricted.get(restricted_access__user=worker)
    assert decide(worker, allowed, Action.VIEW) is Decision.ALLOW
    north = restricted.filter(
        involvements__team=worker.team, involvements__end_date__isnull=True
    ).exclude(pk__in=RestrictedAccess.objects.filter(user=worker).values("person"))
    assert north.exists()
    assert all(decide(worker, p, Action.VIEW) is Decision.BREAK_GLASS for p in north)
