"""Demoshire's last weeks, as the live paths made them. The concern rules: switched on four
weeks before the demo's day by the team manager, each with its back-test stored, as a
council would; the alerts since raised by the live path (the chronology's listener and the
nightly sweep), so every child the rules' replay finds over those weeks has an alert; the
older alerts worked by someone the policy lets work them. And the last fortnight's
Operation Encompass notices."""

import io
from datetime import datetime, time, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core.management import call_command
from django.db import transaction

from safehub.access.policy import Action, Decision, decide_concern_alert
from safehub.concerns.models import Alert, AlertState, ConcernRule, RuleVersion
from safehub.concerns.parsing import parse_definition
from safehub.concerns.selectors import rules_replay
from safehub.concerns.starter_rules import STARTER_RULES
from safehub.core.workdays import LONDON
from safehub.demo.generator.concern_alerts import (
    DISMISSED_BECAUSE,
    LIVE_FOR_DAYS,
    WORKED_AFTER_DAYS,
)

PERSONS = 2000
SWITCHED_ON = datetime.combine(TEST_TODAY - timedelta(days=LIVE_FOR_DAYS), time(9), tzinfo=LONDON)


@pytest.fixture(scope="module")
def seeded(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        out = io.StringIO()
        call_command("seed_demo", "--persons", str(PERSONS), "--as-of", str(TEST_TODAY), stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_every_starter_rule_was_back_tested_and_switched_on_by_the_manager(seeded: str) -> None:
    assert f"Concern rules: {len(STARTER_RULES)} switched on four weeks ago" in seeded
    for rule in ConcernRule.objects.all():
        assert (rule.active, rule.version) == (True, 2)
        version = RuleVersion.objects.get(rule=rule, number=2)
        assert version.changed_by is not None
        assert version.changed_by.username == "team.manager"
        assert version.changed_at == SWITCHED_ON
        assert version.backtest["until"] == SWITCHED_ON.date().isoformat()
        # Installed with SafeHub before the manager switched it on, not after.
        installed = RuleVersion.objects.get(rule=rule, number=1)
        assert installed.changed_at < SWITCHED_ON


@pytest.mark.django_db
def test_the_alerts_are_what_the_live_rules_raised_since(seeded: str) -> None:
    alerts = list(Alert.objects.select_related("rule"))
    assert len({a.rule.code for a in alerts}) >= 4
    end = datetime.combine(TEST_TODAY, time.max, tzinfo=LONDON)
    assert all(SWITCHED_ON < a.raised_at <= end for a in alerts)
    assert all(a.rule_version == 2 for a in alerts)
    alerted: dict[str, set[int]] = {}
    for alert in alerts:
        alerted.setdefault(alert.rule.code, set()).add(alert.person_id)
    # Every child the engine's replay of those weeks flags, the live path alerted (it also
    # alerted children the first night's sweep found already matching).
    replayed = rules_replay(
        rules=[(r.code, parse_definition(r.definition)) for r in ConcernRule.objects.all()],
        until=end,
        since=SWITCHED_ON,
    )
    for code, result in replayed.items():
        assert set(result.firings) <= alerted.get(code, set()), code


@pytest.mark.django_db
def test_the_older_alerts_were_worked_by_those_allowed_to(seeded: str) -> None:
    cutoff = datetime.combine(
        TEST_TODAY - timedelta(days=WORKED_AFTER_DAYS), time(0), tzinfo=LONDON
    )
    recent = Alert.objects.filter(raised_at__gte=cutoff)
    assert not recent.exclude(state=AlertState.NEW).exists()
    older = Alert.objects.filter(raised_at__lt=cutoff)
    states = set(older.values_list("state", flat=True))
    assert {AlertState.ACKNOWLEDGED, AlertState.ACTED, AlertState.DISMISSED} <= states
    for alert in older.exclude(state=AlertState.NEW).select_related(
        "closed_by", "acknowledged_by", "person"
    ):
        worker = alert.closed_by or alert.acknowledged_by
        assert worker is not None
        assert decide_concern_alert(worker, alert, Action.EDIT) is Decision.ALLOW
        if alert.state == AlertState.DISMISSED:
            assert alert.note in DISMISSED_BECAUSE


@pytest.mark.django_db
def test_the_police_notifications_of_the_last_fortnight_made_encompass_notices(
    seeded: str,
) -> None:
    """As filing makes them, at the moment each arrived; the schools have read those due
    more than two days ago."""
    from safehub.partners.models import EncompassNotice, NoticeState, PartnerEvent

    since = datetime.combine(TEST_TODAY - timedelta(days=14), time.min, tzinfo=LONDON)
    filed = PartnerEvent.objects.filter(
        type__in=["domestic_abuse_child_present", "domestic_abuse_child_in_household"],
        person__isnull=False,
        received_at__gte=since,
    )
    notices = EncompassNotice.objects.filter(event__in=filed)
    assert notices.count() == filed.count() > 0
    assert f"Operation Encompass: {EncompassNotice.objects.count()} notices" in seeded
    read_by = datetime.combine(TEST_TODAY - timedelta(days=2), time.min, tzinfo=LONDON)
    for notice in notices.exclude(state=NoticeState.NO_SCHOOL):
        assert notice.sent_at is not None
        assert notice.due_at is not None
        if notice.due_at < read_by:
            assert notice.state == NoticeState.ACKNOWLEDGED
            assert notice.acknowledged_at is not None
            assert notice.sent_at < notice.acknowledged_at <= notice.due_at
