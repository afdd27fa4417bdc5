"""The engine's edges: an event is never lost because a rule failed; a definition that cannot
be evaluated is refused whatever JSON it is; the replay command and API; the daily sweep."""

import json
from datetime import date, timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.access.models import ApiToken, hash_token
from safehub.chronology.models import ChronologyLink
from safehub.concerns.models import Alert, ConcernRule
from safehub.concerns.parsing import RuleDefinitionError, parse_definition
from safehub.concerns.tests.conftest import install, put
from safehub.partners.models import PartnerEvent
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


def test_a_broken_rule_never_loses_the_event_nor_stops_the_other_rules(
    users: dict[str, Any], people: dict[str, Any]
) -> None:
    # A definition changed behind the service's back, so it no longer parses.
    ConcernRule.objects.create(
        code="broken", name="Broken", rationale="-", definition={"any_of": "x"}, active=True
    )
    install("missing-or-exploitation")
    police = users["partner_practitioner"]  # the school's sender cannot send police events
    [outcome] = partner_events_receive(actor=police, events=[event(event_id="E9")])
    assert outcome.outcome == "accepted"
    assert PartnerEvent.objects.count() == 1
    assert ChronologyLink.objects.filter(person=people["involved"]).exists()
    put(people["involved"], "PARTNER_EXPLOITATION_INTELLIGENCE", date(2026, 11, 20), police)
    assert Alert.objects.filter(rule__code="missing-or-exploitation").count() == 1


def test_a_rule_that_fails_as_it_is_evaluated_does_not_stop_the_others(
    users: dict[str, Any], people: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from safehub.concerns import services

    first = install("missing-or-exploitation")
    ConcernRule.objects.create(
        code="copy", name="Copy", rationale="-", definition=first.definition, active=True
    )
    real = services.evaluate
    calls: list[object] = []

    def first_one_fails(definition: Any, child: Any, as_of: Any) -> Any:
        calls.append(definition)
        if len(calls) == 1:
            raise RuntimeError("a rule that cannot be evaluated")
        return real(definition, child, as_of)

    monkeypatch.setattr(services, "evaluate", first_one_fails)
    police = users["partner_practitioner"]
    put(people["involved"], "PARTNER_EXPLOITATION_INTELLIGENCE", date(2026, 11, 20), police)
    assert len(calls) == 2
    assert Alert.objects.filter(person=people["involved"]).count() == 1


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
KINDS = st.sampled_from(["count", "none", "ongoing", "age", "state", "worsened", "other"])


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        JSON,
        st.builds(
            lambda kind, extra: {"any_of": [{"all_of": [{"kind": kind, **extra}]}]},
            KINDS,
            st.dictionaries(
                st.sampled_from(
                    [
                        "events",
                        "within_days",
                        "at_least",
                        "distinct",
                        "mentions_any",
                        "state",
                        "measure",
                        "under_days",
                        "started_by",
                        "ended_by",
                        "for_days",
                        "x",
                    ]
                ),
                JSON,
                max_size=5,
            ),
        ),
    )
)
def test_any_json_parses_or_is_refused_in_words(raw: Any) -> None:
    problems: list[str] = []
    try:
        parse_definition(raw)
    except RuleDefinitionError as error:
        problems = error.problems or ["(refused without saying why)"]
        refused_in_words = all(isinstance(p, str) and p for p in error.problems)
        problems = problems if refused_in_words else ["(a problem that is not words)"]
    assert all(not p.startswith("(") for p in problems), problems


def test_the_replay_command_and_the_api_count_what_would_have_fired(
    reporters: dict[str, Any], users: dict[str, Any], people: dict[str, Any]
) -> None:
    install("missing-or-exploitation")
    put(people["unrelated"], "PARTNER_EXPLOITATION_INTELLIGENCE", D, reporters["police"])
    out = StringIO()
    call_command("concerns_replay", as_of=(D - timedelta(days=1)).isoformat(), stdout=out)
    [before] = json.loads(out.getvalue())
    assert before["alerts"] == 0
    out = StringIO()
    call_command("concerns_replay", as_of=D.isoformat(), stdout=out)
    [after] = json.loads(out.getvalue())
    assert (after["rule"], after["alerts"], after["children"]) == ("missing-or-exploitation", 1, 1)
    assert after["first_alert"] == D.isoformat()
    assert (after["later_on_a_plan"], after["median_days_ahead_of_plan"]) == (0, None)
    # Replayed as of a past day, a plan that came after it measures the rule's lead time.
    _plan(people["unrelated"], D + timedelta(days=45), users["team_manager"])
    out = StringIO()
    call_command("concerns_replay", as_of=D.isoformat(), stdout=out)
    [after] = json.loads(out.getvalue())
    assert (after["later_on_a_plan"], after["median_days_ahead_of_plan"]) == (1, 45)
    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=users["team_manager"], name="t", token_hash=hash_token(secret))
    response = Client().get(
        reverse("api-v1:concerns_replay_api"),
        {"as_of": D.isoformat()},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200
    assert response.json()[0]["alerts"] == 1
    assert response.json()[0]["median_days_ahead_of_plan"] == 45
    bad = Client().get(
        reverse("api-v1:concerns_replay_api"),
        {"as_of": "31/12/2026"},
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert bad.status_code == 422


def _plan(child: Any, start: date, manager: Any) -> None:
    from safehub.casework.models import CPPlan, Episode

    episode = Episode.objects.create(
        kind="cin", child=child, referral_date=start, opened_by=manager
    )
    CPPlan.objects.create(episode=episode, child=child, start_date=start)


def test_the_daily_sweep_raises_what_time_alone_made_true(reporters: dict[str, Any]) -> None:
    from conftest import make_person

    install("home-educated-unseen")
    child = make_person("Eli", "Park", date(2014, 1, 1))
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D - timedelta(days=300), reporters["school"])
    put(child, "PARTNER_EHE_REGISTERED", D, reporters["school"])
    out = StringIO()
    call_command(
        "concerns_replay",
        as_of=(D + timedelta(days=100)).isoformat(),
        raise_alerts=True,
        stdout=out,
    )
    assert Alert.objects.count() == 0
    call_command(
        "concerns_replay",
        as_of=(D + timedelta(days=200)).isoformat(),
        raise_alerts=True,
        stdout=out,
    )
    call_command(
        "concerns_replay",
        as_of=(D + timedelta(days=201)).isoformat(),
        raise_alerts=True,
        stdout=out,
    )
    assert Alert.objects.filter(person=child).count() == 1
    assert "Raised 0 new alert(s)" in out.getvalue().splitlines()[-1]


def test_the_sweep_is_scheduled_nightly_and_raises_what_time_made_true(
    reporters: dict[str, Any],
) -> None:
    from conftest import make_person
    from django_q.models import Schedule

    from safehub.concerns.tasks import nightly_sweep

    schedule = Schedule.objects.get(func="safehub.concerns.tasks.nightly_sweep")
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.repeats == -1
    install("home-educated-unseen")
    child = make_person("Eli", "Park", date(2014, 1, 1))
    # Registered for home education seven months before the suite's day, and not seen since:
    # no event arrives to trigger the rule, the sweep does.
    today = timezone.localdate()
    put(child, "PARTNER_DSL_WELFARE_CONCERN", today - timedelta(days=500), reporters["school"])
    put(child, "PARTNER_EHE_REGISTERED", today - timedelta(days=210), reporters["school"])
    assert Alert.objects.filter(person=child).count() == 0
    assert nightly_sweep() == 1
    assert Alert.objects.filter(person=child).count() == 1
    assert nightly_sweep() == 0  # never twice on the same facts


def test_the_back_test_says_how_many_children_tonights_sweep_would_alert(
    reporters: dict[str, Any], people: dict[str, Any], users: dict[str, Any]
) -> None:
    """Switched on, a rule alerts that night on every child it holds for now with facts no
    alert of it has had, including a child it came to hold for with no fact arriving."""
    from safehub.casework.models import Episode
    from safehub.concerns.selectors import backtest
    from safehub.concerns.services import concerns_sweep

    rule = install("many-agencies-no-plan")
    definition = parse_definition(rule.definition)
    child = people["involved"]
    today = timezone.localdate()
    episode = Episode.objects.create(
        kind="cin",
        child=child,
        referral_date=today - timedelta(days=60),
        opened_by=users["social_worker"],
    )
    for days, sender in ((40, "school"), (30, "health"), (20, "police")):
        put(child, "PARTNER_DSL_WELFARE_CONCERN", today - timedelta(days=days), reporters[sender])
    now = timezone.now()
    assert Alert.objects.count() == 0  # an episode was open as each concern arrived
    assert backtest(code=rule.code, definition=definition, until=now)["alert_tonight"] == 0
    # The episode closes: no fact arrives, but the rule now holds.
    Episode.objects.filter(pk=episode.pk).update(
        closure_date=today - timedelta(days=1), closure_reason="RC8"
    )
    tested = backtest(code=rule.code, definition=definition, until=now)
    assert tested["children_flagged"] == 0  # the replay, evaluated as facts arrived, saw none
    assert tested["alert_tonight"] == 1
    assert len(concerns_sweep(as_of=now)) == 1
    assert backtest(code=rule.code, definition=definition, until=now)["alert_tonight"] == 0
