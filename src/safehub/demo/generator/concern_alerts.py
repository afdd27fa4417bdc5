"""The demo council's concern rules, switched on as a council would switch them on, so that
the alert queues, the alerts and the rules' records have something in them.

Four weeks before the demo's day, Demoshire's team manager back-tested each starter rule on
the council's history and switched it on (`concern_rule_save`: a new version, its back-test
stored, audited). The rules then met the partner events of those four weeks through the live
path, `evaluate_after_append`, one entry at a time in the order SafeHub learnt of them, as
the chronology's listener would have run them; and the nightly sweep ran on each of those
nights. The alerts raised more than a week ago have been worked: acknowledged, acted on or
dismissed with a reason, by the lead professional or a MASH worker.

Only at the demo's own size (the `small` scale): the bench's councils keep every rule off,
so what it measures is not changed by the demo's choices.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from safehub.access.policy import Action, Decision, decide_concern_alert
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.concerns.models import ActionTaken, Alert, AlertState, ConcernRule, RuleVersion
from safehub.concerns.parsing import parse_definition
from safehub.concerns.services import (
    alert_acknowledge,
    alert_act,
    alert_dismiss,
    concern_rule_save,
    concerns_sweep,
    evaluate_after_append,
)
from safehub.core.workdays import LONDON
from safehub.organisations.models import User

LIVE_FOR_DAYS = 28
INSTALLED_DAYS_BEFORE = 14  # SafeHub installed a fortnight before the rules went on
MAX_PERSONS = 20_000  # the demo's own councils; the bench's larger ones keep the rules off
MANAGER = "team.manager"
MASH_WORKER = "mash.worker"
WORKED_AFTER_DAYS = 7
DISMISSED_BECAUSE = [
    "Known to early help: the family is engaging with the plan.",
    "The concerns were looked at together at the last contact; nothing new since.",
    "The school and health visitor have spoken to the family; needs are being met.",
]
ACTED_NOTES = {
    ActionTaken.CONTACT: "Contact opened so the MASH can look at the whole picture.",
    ActionTaken.PARTNERS_ASKED: "Asked school, health and police for what they know.",
    ActionTaken.DISCUSSED: "Talked through in supervision; next steps agreed.",
}


def seed_concern_alerts(*, seed: int, today: date, persons: int) -> dict[str, int]:
    """Switch the starter rules on four weeks before `today`, raise what they raised since,
    and work the older alerts. Returns how many rules were switched on and alerts raised."""
    manager = User.objects.filter(username=MANAGER).first()
    if persons > MAX_PERSONS or manager is None:
        return {"rules_switched_on": 0, "alerts": 0}
    switched_on = datetime.combine(today - timedelta(days=LIVE_FOR_DAYS), time(9), tzinfo=LONDON)
    # The rules came with SafeHub, which the demo council installed before it switched them
    # on; the migration stamped them with the moment the demo was loaded.
    RuleVersion.objects.filter(number=1, changed_by=None, changed_at__gt=switched_on).update(
        changed_at=switched_on - timedelta(days=INSTALLED_DAYS_BEFORE)
    )
    switched = switch_rules_on(manager=manager, at=switched_on)
    _run_live(since=switched_on, today=today)
    _work(random.Random(f"demoshire-alerts-{seed}"), today)
    return {"rules_switched_on": switched, "alerts": Alert.objects.count()}


def switch_rules_on(*, manager: User, at: datetime) -> int:
    """Every rule that is off, back-tested and saved switched on by `manager` at `at`, as a
    council's manager does on the rule's page (`concern_rule_save`). Returns how many."""
    rules = list(ConcernRule.objects.filter(active=False).order_by("pk"))
    for rule in rules:
        concern_rule_save(
            actor=manager,
            rule=rule,
            expected_version=rule.version,
            code=rule.code,
            name=rule.name,
            rationale=rule.rationale,
            definition=rule.definition,
            active=True,
            now=at,
        )
    return len(rules)


def _run_live(*, since: datetime, today: date) -> None:
    """Each entry the rules read, given to the chronology's listener in the order SafeHub
    learnt of it, with the nightly sweep at 01:30 between days."""
    types = {t for rule in ConcernRule.objects.filter(active=True) for t in _types(rule)}
    entries = ChronologyEntry.objects.filter(event_type__in=types, recorded_at__gt=since)
    persons: dict[int, list[int]] = defaultdict(list)
    for entry_id, person_id in ChronologyLink.objects.filter(entry__in=entries).values_list(
        "entry_id", "person_id"
    ):
        persons[entry_id].append(person_id)
    arriving = sorted(entries, key=lambda e: (max(e.occurred_at, e.recorded_at), e.pk))
    nights = [
        datetime.combine(since.date() + timedelta(days=n), time(1, 30), tzinfo=LONDON)
        for n in range(1, (today - since.date()).days + 1)
    ]
    for entry in arriving:
        known = max(entry.occurred_at, entry.recorded_at)
        while nights and nights[0] <= known:
            concerns_sweep(as_of=nights.pop(0))
        evaluate_after_append([(entry, persons[entry.pk])])
    for night in nights:
        concerns_sweep(as_of=night)


def _types(rule: ConcernRule) -> frozenset[str]:
    return parse_definition(rule.definition).event_types


def _work(rng: random.Random, today: date) -> None:
    """Alerts raised more than a week before `today`: a few left new, the rest
    acknowledged, acted on or dismissed two days after they were raised."""
    mash_worker = User.objects.filter(username=MASH_WORKER).first()
    cutoff = datetime.combine(today - timedelta(days=WORKED_AFTER_DAYS), time(0), tzinfo=LONDON)
    for alert in Alert.objects.filter(raised_at__lt=cutoff, state=AlertState.NEW).order_by("pk"):
        actor = alert.lead_professional or mash_worker
        if actor is None or decide_concern_alert(actor, alert, Action.EDIT) is not Decision.ALLOW:
            continue  # e.g. a restricted child the demo's MASH worker may not see: left new
        when = alert.raised_at + timedelta(days=2)
        draw = rng.random()
        if draw < 0.15:
            continue
        if draw < 0.3:
            alert_acknowledge(actor=actor, alert=alert, expected_version=alert.version, now=when)
        elif draw < 0.75:
            action = rng.choice(list(ACTED_NOTES))
            alert_act(
                actor=actor,
                alert=alert,
                expected_version=alert.version,
                action_taken=action,
                note=ACTED_NOTES[action],
                now=when,
            )
        else:
            alert_dismiss(
                actor=actor,
                alert=alert,
                expected_version=alert.version,
                reason=rng.choice(DISMISSED_BECAUSE),
                now=when,
            )
