"""The weighted accumulation rule (ADR 0047): concerns from more than one agency, each
weighing the significance its sender gave it (double for direct harm), at least 6 in a year
and more in the last 91 days than the 91 before. It fires on the entry that tips it, open
case or not; not for one agency, under the weight, or while the worry is waning; never twice
on the same facts; new facts update the alert or, after 90 days and closed, raise another;
a replay sees only what was known on its day. The `weight` condition's parsing as well."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import make_person

from safehub.chronology.models import Significance
from safehub.concerns.models import AlertState
from safehub.concerns.parsing import RuleDefinitionError, parse_definition
from safehub.concerns.services import alert_dismiss
from safehub.concerns.tests.conftest import at, put, switch_on
from safehub.concerns.tests.test_starter_rules import alerts, reevaluate, replayed, updated

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)
CODE = "concerns-accumulating"
LOW, MEDIUM, HIGH = Significance.LOW, Significance.MEDIUM, Significance.HIGH


def _building_up(child: Any, reporters: dict[str, Any], recorded: date | None = None) -> Any:
    """Three medium concerns from three agencies over 100 days, the third tipping the weight
    to 6 with 4 of it in the last 91 days against 2 before; returns the third."""
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"], significance=MEDIUM)
    put(
        child,
        "PARTNER_WAS_NOT_BROUGHT",
        D + timedelta(days=60),
        reporters["health"],
        significance=MEDIUM,
    )
    return put(
        child,
        "PARTNER_DOMESTIC_ABUSE_CHILD_IN_HOUSEHOLD",
        D + timedelta(days=100),
        reporters["police"],
        significance=MEDIUM,
        recorded=recorded,
    )


def test_fires_on_the_concern_that_tips_the_weight(reporters: dict[str, Any]) -> None:
    switch_on(CODE)
    child = make_person("Ada", "Fenn")
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"], significance=MEDIUM)
    put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(60), reporters["health"], significance=2)
    assert alerts(child, CODE) == []  # weight 4: under 6
    third = put(
        child,
        "PARTNER_DOMESTIC_ABUSE_CHILD_IN_HOUSEHOLD",
        D + timedelta(days=100),
        reporters["police"],
        significance=MEDIUM,
    )
    [alert] = alerts(child, CODE)
    assert third.pk in alert.fact_ids
    assert len(alert.fact_ids) == 3
    texts = [finding["text"] for finding in alert.explanation]
    assert "weighing 6" in texts[0]
    assert "4 of it in the last 91 days against 2 in the 91 days before" in texts[0]
    assert ", 3 different agencies reported " in texts[1]


def test_an_open_case_goes_to_its_lead_professional(
    reporters: dict[str, Any], users: dict[str, Any], people: dict[str, Any]
) -> None:
    """Unlike "nobody leading", this rule is for open cases too: the worker is told."""
    from safehub.casework.services import allocate

    switch_on(CODE)
    child = people["involved"]
    allocate(actor=users["team_manager"], child=child, worker=users["social_worker"])
    day = date(2026, 11, 24)
    put(child, "PARTNER_DSL_WELFARE_CONCERN", day, reporters["school"], significance=HIGH)
    assert alerts(child, CODE) == []  # one agency
    put(child, "PARTNER_WAS_NOT_BROUGHT", day, reporters["health"], significance=HIGH)
    [alert] = alerts(child, CODE)
    assert alert.lead_professional == users["social_worker"]


def test_significance_decides_the_weight(reporters: dict[str, Any]) -> None:
    """Five low concerns from two agencies weigh 5; a sixth tips it. Two high ones weigh 6
    at once; a child present at domestic abuse weighs double."""
    switch_on(CODE)
    quiet = make_person("Bea", "Lowe")
    for n in range(5):
        who = reporters["school"] if n % 2 else reporters["health"]
        put(quiet, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(days=10 * n), who, significance=LOW)
    assert alerts(quiet, CODE) == []
    put(quiet, "PARTNER_EVICTION_NOTICE", D + timedelta(days=50), reporters["housing"])
    assert len(alerts(quiet, CODE)) == 1
    loud = make_person("Cy", "Lowe")
    put(loud, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"], significance=HIGH)
    put(loud, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(1), reporters["health"], significance=HIGH)
    assert len(alerts(loud, CODE)) == 1
    harmed = make_person("Di", "Lowe")
    put(harmed, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"], significance=MEDIUM)
    put(
        harmed,
        "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT",
        D + timedelta(days=1),
        reporters["police"],
        significance=MEDIUM,
    )
    [alert] = alerts(harmed, CODE)
    assert "weighing 6" in alert.explanation[0]["text"]  # 2 + 2 x 2


def test_not_from_one_agency_however_heavy(reporters: dict[str, Any]) -> None:
    switch_on(CODE)
    child = make_person("Eli", "Hart")
    for days in (0, 20, 40, 60):
        put(
            child,
            "PARTNER_DSL_WELFARE_CONCERN",
            D + timedelta(days),
            reporters["school"],
            significance=HIGH,
        )
    assert alerts(child, CODE) == []


def test_not_while_the_worry_is_waning(reporters: dict[str, Any]) -> None:
    """Weight 6 from one agency early, then a light concern from a second months later:
    heavy enough and from two agencies, but less in the last quarter than the one before."""
    switch_on(CODE)
    child = make_person("Fay", "Hart")
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"], significance=HIGH)
    put(child, "PARTNER_SEVERE_ABSENCE", D + timedelta(10), reporters["school"], significance=HIGH)
    put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(150), reporters["health"], significance=LOW)
    assert alerts(child, CODE) == []
    # Nor once a year has passed since the first: the window no longer holds them.
    put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(380), reporters["health"], significance=LOW)
    assert alerts(child, CODE) == []


def test_never_twice_on_the_same_facts_and_new_facts_come_back(
    reporters: dict[str, Any], users: dict[str, Any]
) -> None:
    switch_on(CODE)
    child = make_person("Gus", "Hale")
    _building_up(child, reporters)
    [alert] = alerts(child, CODE)
    reevaluate(child, D + timedelta(days=101))
    reevaluate(child, D + timedelta(days=130))
    assert len(alerts(child, CODE)) == 1
    # New facts within 90 days update the alert.
    fourth = put(
        child, "PARTNER_SEVERE_ABSENCE", D + timedelta(110), reporters["school"], significance=2
    )
    assert updated(child, CODE, fourth).updates == 1
    # Closed, and new facts after 90 days: a new alert.
    [alert] = alerts(child, CODE)
    alert_dismiss(
        actor=users["mash_worker"],
        alert=alert,
        expected_version=alert.version,
        reason="Family support worker already visiting weekly.",
        now=at(D + timedelta(days=120), 12),
    )
    fifth = put(
        child, "PARTNER_MISSING_EPISODE", D + timedelta(200), reporters["police"], significance=2
    )
    first, second = alerts(child, CODE)
    assert first.state == AlertState.DISMISSED
    assert fifth.pk in second.fact_ids
    assert second.state == AlertState.NEW


def test_replay_as_of_sees_only_what_was_known(reporters: dict[str, Any]) -> None:
    child = make_person("Hal", "Hale")
    # The police notification that tips it happened on day 100, reached SafeHub on day 104.
    third = _building_up(child, reporters, recorded=D + timedelta(days=104))
    assert child.pk not in replayed(CODE, D + timedelta(days=102))
    [firing] = replayed(CODE, D + timedelta(days=200))[child.pk]
    assert firing.as_of.date() == D + timedelta(days=104)
    assert third.pk in firing.fact_ids


def _weight(**extra: Any) -> dict[str, Any]:
    condition = {
        "kind": "weight",
        "events": ["PARTNER_WAS_NOT_BROUGHT", "PARTNER_MISSING_EPISODE"],
        "within_days": 365,
        "at_least": 6,
        **extra,
    }
    return {"any_of": [{"all_of": [condition]}]}


def test_a_weight_condition_parses_and_its_mistakes_are_named() -> None:
    parsed = parse_definition(_weight(kind_weights={"PARTNER_MISSING_EPISODE": 2}, rising_days=91))
    [[condition]] = parsed.alternatives
    assert condition.kind_weights == (("PARTNER_MISSING_EPISODE", 2),)
    assert parsed.longest_window == 365
    with pytest.raises(RuleDefinitionError) as refused:
        parse_definition(_weight(kind_weights={"PARTNER_EVICTION_NOTICE": 2}, rising_days=200))
    problems = " ".join(refused.value.problems)
    assert "not among the condition's events: PARTNER_EVICTION_NOTICE" in problems
    assert "rising_days must be at most half of within_days" in problems
    with pytest.raises(RuleDefinitionError, match="must be a whole number from 1 to 10"):
        parse_definition(_weight(kind_weights={"PARTNER_MISSING_EPISODE": 0}))
