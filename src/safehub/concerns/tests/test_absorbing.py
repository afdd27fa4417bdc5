"""New facts for the same child and rule update the open or recent alert rather than raising
another (ADR 0034); the exploitation rule's MACE clause; what a live evaluation costs in
queries."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import make_person
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.concerns.engine import ABSORB_DAYS
from safehub.concerns.models import Alert, AlertState
from safehub.concerns.services import alert_dismiss, concern_evaluate, concerns_sweep
from safehub.concerns.tests.conftest import at, put, switch_on
from safehub.concerns.tests.test_starter_rules import alerts, replayed
from safehub.hardtosee.models import Context, ContextPerson, MaceDiscussion, MacePanel

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)
CODE = "missing-or-exploitation"


def _missing_three_times(child: Any, police: Any, start: date) -> None:
    for days in (0, 20, 40):
        put(child, "PARTNER_MISSING_EPISODE", start + timedelta(days=days), police)


def test_an_open_alert_takes_in_new_facts_however_old_it_is(reporters: dict[str, Any]) -> None:
    switch_on(CODE)
    police = reporters["police"]
    child = make_person("Kai", "Moss", date(2010, 3, 1))
    _missing_three_times(child, police, D)
    [alert] = alerts(child, CODE)
    later = put(child, "PARTNER_EXPLOITATION_INTELLIGENCE", D + timedelta(days=200), police)
    [same] = alerts(child, CODE)
    assert same.pk == alert.pk
    assert same.updates == 1
    assert later.pk in same.fact_ids
    assert same.version == alert.version + 1  # someone working from the old one is told
    assert "exploitation" in " ".join(f["text"] for f in same.explanation).lower()


def test_a_closed_alert_is_reopened_by_new_facts_within_the_window(
    reporters: dict[str, Any], users: dict[str, Any]
) -> None:
    switch_on(CODE)
    police = reporters["police"]
    child = make_person("Kai", "Moss", date(2010, 3, 1))
    _missing_three_times(child, police, D)
    [alert] = alerts(child, CODE)
    alert_dismiss(
        actor=users["mash_worker"],
        alert=alert,
        expected_version=alert.version,
        reason="Known: returned each time within hours.",
        now=at(D + timedelta(days=41), 12),
    )
    put(child, "PARTNER_EXPLOITATION_INTELLIGENCE", D + timedelta(days=60), police)
    [reopened] = alerts(child, CODE)
    assert reopened.state == AlertState.NEW
    assert reopened.note == ""
    assert reopened.updates == 1
    assert reopened.due_at > at(D + timedelta(days=60))


def test_after_the_window_a_closed_alert_gives_way_to_a_new_one(
    reporters: dict[str, Any], users: dict[str, Any]
) -> None:
    switch_on(CODE)
    police = reporters["police"]
    child = make_person("Kai", "Moss", date(2010, 3, 1))
    _missing_three_times(child, police, D)
    [alert] = alerts(child, CODE)
    alert_dismiss(
        actor=users["mash_worker"],
        alert=alert,
        expected_version=alert.version,
        reason="Known: returned each time within hours.",
        now=at(D + timedelta(days=41), 12),
    )
    put(child, "PARTNER_EXPLOITATION_INTELLIGENCE", D + timedelta(days=40 + ABSORB_DAYS), police)
    first, second = alerts(child, CODE)
    assert first.state == AlertState.DISMISSED
    assert second.state == AlertState.NEW
    # The replay counts the same: one alert, then a new one after the window.
    assert len(replayed(CODE, D + timedelta(days=200))[child.pk]) == 2


def test_a_live_evaluation_costs_the_same_few_queries_for_a_long_chronology(
    reporters: dict[str, Any],
) -> None:
    """One child with a long chronology and one with a short: the same number of queries,
    nothing per rule: the rules, then the facts and spans in one statement (ADR 0056)."""
    switch_on("many-agencies-no-plan", "not-brought-absent-domestic-abuse", "repeat-contacts")
    short = make_person("Amy", "Lee")
    put(short, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"])
    long = make_person("Ben", "Lee")
    for n in range(40):
        put(long, "PARTNER_EVICTION_NOTICE", D - timedelta(days=10 * n), reporters["housing"])
    counts = []
    for child in (short, long):
        with CaptureQueriesContext(connection) as queries:
            concern_evaluate(person_id=child.pk, as_of=at(D, 23))
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] == 2


def test_a_child_linked_to_a_context_a_mace_panel_discussed(
    reporters: dict[str, Any], users: dict[str, Any]
) -> None:
    switch_on(CODE)
    worker = users["social_worker"]
    child = make_person("Jay", "Ross", date(2010, 3, 1))
    park = Context.objects.create(kind="place", name="Riverside skate park", created_by=worker)
    ContextPerson.objects.create(
        context=park, person=child, reason="Seen there late", linked_on=D, linked_by=worker
    )
    put(child, "CONTEXT_LINKED", D, worker, "Linked to Riverside skate park")
    assert alerts(child, CODE) == []  # a context nobody has taken to MACE: no alert
    panel = MacePanel.objects.create(held_on=D + timedelta(days=30), chair=worker)
    MaceDiscussion.objects.create(panel=panel, context=park, risk="high")
    # The panel is not on the child's chronology: the daily sweep raises it.
    concerns_sweep(as_of=at(D + timedelta(days=31), 6))
    [alert] = alerts(child, CODE)
    texts = " ".join(f["text"] for f in alert.explanation)
    assert "MACE panel discussed on 1 July 2026" in texts
    [firing] = replayed(CODE, D + timedelta(days=60))[child.pk]
    assert firing.as_of.date() == D + timedelta(days=30)
    # Unlinked before the panel: nothing.
    other = make_person("Ella", "Ross", date(2010, 3, 1))
    ContextPerson.objects.create(
        context=park,
        person=other,
        reason="Seen there once",
        linked_on=D,
        linked_by=worker,
        ended_on=D + timedelta(days=10),
    )
    put(other, "CONTEXT_LINKED", D, worker, "Linked to Riverside skate park")
    concerns_sweep(as_of=at(D + timedelta(days=31), 6))
    assert not Alert.objects.filter(person=other).exists()
