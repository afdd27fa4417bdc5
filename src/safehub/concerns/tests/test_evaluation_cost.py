"""What a live evaluation costs in round trips (ADR 0056), and that the replay, reading the
chronology once for every rule, decides exactly what each rule alone and the live hook do."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import make_person
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.chronology.models import Significance
from safehub.concerns import selectors
from safehub.concerns.models import Alert, ConcernRule
from safehub.concerns.services import concern_evaluate
from safehub.concerns.tests.conftest import at, put, switch_on
from safehub.hardtosee.models import Context, ContextPerson, MaceDiscussion, MacePanel

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)
HIGH = Significance.HIGH
# Rules that fire on an entry as it arrives (none waits for a quiet spell, which only the
# daily sweep sees), so the live hook and the replay can be held against each other.
ON_ARRIVAL = (
    "concerns-accumulating",
    "many-agencies-no-plan",
    "not-brought-absent-domestic-abuse",
    "missing-or-exploitation",
    "baby-injury-or-attendances",
)
# Writing one alert for a child with a lead professional: the alert in a savepoint (3), its
# audit row (1), the lead professional (1), their inbox message and e-mail in one insert left
# to the relay (1). The same for every alert, however many rules.
PER_ALERT = 6


def _rules() -> list[Any]:
    return selectors.active_rules()


def test_a_quiet_evaluation_is_one_statement_whatever_the_child_has(
    reporters: dict[str, Any], users: dict[str, Any], people: dict[str, Any]
) -> None:
    """Facts, episodes, allocations and MACE-discussed contexts come in one statement; a
    child with all of them costs what a child with one fact does."""
    from safehub.casework.services import allocate

    switch_on(*ON_ARRIVAL)
    rules = _rules()
    plain = make_person("Amy", "Lee")
    put(plain, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"])
    busy = people["involved"]
    allocate(actor=users["team_manager"], child=busy, worker=users["social_worker"])
    park = Context.objects.create(kind="place", name="Park", created_by=users["social_worker"])
    ContextPerson.objects.create(
        context=park, person=busy, reason="Seen there", linked_on=D, linked_by=users["colleague"]
    )
    panel = MacePanel.objects.create(held_on=D, chair=users["social_worker"])
    MaceDiscussion.objects.create(panel=panel, context=park, risk="low")
    for n in range(30):
        put(busy, "PARTNER_EVICTION_NOTICE", D - timedelta(days=20 * n), reporters["housing"])
    counts = []
    for child in (plain, busy, make_person("Nobody", "Here")):
        with CaptureQueriesContext(connection) as queries:
            assert concern_evaluate(person_id=child.pk, as_of=at(D, 23), rules=rules) == []
        counts.append(len(queries.captured_queries))
    assert counts == [1, 1, 1]
    loaded = selectors.load_children(
        event_types={"PARTNER_EVICTION_NOTICE"}, until=at(D, 23), person_ids=[busy.pk]
    )[busy.pk]
    assert len(loaded.facts) == 30
    assert [worker for _, _, worker in loaded.allocations] == [users["social_worker"].pk]
    assert loaded.mace_links == [(D, None, D)]


def test_live_rules_add_three_round_trips_to_an_entry_that_raises_nothing(
    reporters: dict[str, Any],
) -> None:
    """As an entry is appended the rules are read whether any is on; with rules on, the
    facts and spans come in one statement inside a savepoint (a failed read cannot spoil
    the event's transaction). Earlier alerts are read only when a rule holds."""
    child = make_person("Amy", "Lee")
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"])
    counts = []
    for on in (False, True):
        ConcernRule.objects.update(active=False)
        if on:
            switch_on(*ON_ARRIVAL)
        with CaptureQueriesContext(connection) as queries:
            put(child, "PARTNER_EVICTION_NOTICE", D, reporters["housing"])
        counts.append(len(queries.captured_queries))
    assert not Alert.objects.exists()
    assert counts[1] - counts[0] == 3


def test_raising_alerts_costs_the_same_queries_for_each(
    reporters: dict[str, Any], users: dict[str, Any], people: dict[str, Any]
) -> None:
    """Read the facts, then the earlier alerts once for every rule that holds, then a fixed
    number of writes per alert: bounded by the number of rules, whatever the chronology."""
    from safehub.casework.services import allocate

    child = people["involved"]
    allocate(actor=users["team_manager"], child=child, worker=users["social_worker"])
    day = date(2026, 11, 24)
    for when, code, who in (
        (day - timedelta(days=30), "PARTNER_WAS_NOT_BROUGHT", "health"),
        (day, "PARTNER_WAS_NOT_BROUGHT", "health"),
        (day, "PARTNER_PERSISTENT_ABSENCE", "school"),
        (day, "PARTNER_DOMESTIC_ABUSE_CHILD_IN_HOUSEHOLD", "police"),
    ):
        put(child, code, when, reporters[who], significance=HIGH)  # no rule on yet
    counts = {}
    for codes in (
        ["concerns-accumulating"],
        ["concerns-accumulating", "not-brought-absent-domestic-abuse"],
    ):
        Alert.objects.all().delete()
        ConcernRule.objects.update(active=False)
        switch_on(*codes)
        rules = _rules()
        with CaptureQueriesContext(connection) as queries:
            raised = concern_evaluate(person_id=child.pk, as_of=at(day, 23), rules=rules)
        assert len(raised) == len(codes)
        counts[len(codes)] = len(queries.captured_queries)
    assert counts == {1: 2 + PER_ALERT, 2: 2 + 2 * PER_ALERT}


def _first_alerts(firings: dict[int, list[Any]]) -> dict[int, tuple[Any, tuple[int, ...]]]:
    return {pid: (fs[0].as_of, fs[0].fact_ids) for pid, fs in firings.items() if fs}


def test_replaying_every_rule_at_once_agrees_with_each_alone_and_with_live(
    reporters: dict[str, Any],
) -> None:
    """Children whose entries trip different rules, appended live: the replay of all the rules
    together (one read of the chronology) finds, rule by rule, what the rule replayed alone
    finds, and the first alert of each is the one the live hook raised, at the same moment
    and on the same facts."""
    switch_on(*ON_ARRIVAL)
    neglect = make_person("Rosa", "Lane")
    for days, code, who in (
        (0, "PARTNER_WAS_NOT_BROUGHT", "health"),
        (30, "PARTNER_WAS_NOT_BROUGHT", "health"),
        (60, "PARTNER_PERSISTENT_ABSENCE", "school"),
        (90, "PARTNER_DOMESTIC_ABUSE_CHILD_IN_HOUSEHOLD", "police"),
    ):
        put(neglect, code, D + timedelta(days=days), reporters[who], significance=HIGH)
    missing = make_person("Kai", "Moss", date(2010, 3, 1))
    for days in (0, 20, 40):
        put(missing, "PARTNER_MISSING_EPISODE", D + timedelta(days=days), reporters["police"])
    baby = make_person("Ivy", "Cole", D - timedelta(days=120))
    put(baby, "PARTNER_ED_ATTENDANCE", D, reporters["health"], "Reason: bruising to the cheek.")
    quiet = make_person("Ned", "Hale")
    put(quiet, "PARTNER_EVICTION_NOTICE", D, reporters["housing"])
    until = at(D + timedelta(days=200), 23)
    rules = [(rule.code, definition) for rule, definition in _rules()]
    together = selectors.rules_replay(rules=rules, until=until)
    alerted = set()
    for code, definition in rules:
        alone = selectors.rule_replay(code=code, definition=definition, until=until)
        assert together[code].firings == alone.firings, code
        live = {
            a.person_id: (a.raised_at, tuple(sorted(a.fact_ids)))
            for a in Alert.objects.filter(rule__code=code).order_by("-raised_at")
        }  # the earliest last: each child's first alert
        assert _first_alerts(together[code].firings) == live, code
        alerted |= set(live)
    assert alerted == {neglect.pk, missing.pk, baby.pk}
    # A window the replay starts inside: each rule still reads as far back as it looks.
    since = at(D + timedelta(days=45), 12)
    together = selectors.rules_replay(rules=rules, until=until, since=since)
    for code, definition in rules:
        alone = selectors.rule_replay(code=code, definition=definition, until=until, since=since)
        assert together[code].firings == alone.firings, code
