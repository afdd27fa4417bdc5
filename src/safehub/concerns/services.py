"""Changing the concern rules, raising alerts as events arrive, and working an alert.

Live evaluation runs inside the transaction that appends the chronology entry, in a
savepoint: a rule that fails is logged and rolled back on its own, and the event it was
evaluating is saved all the same. A rule whose definition cannot be evaluated never gets
this far: `concern_rule_save` refuses it.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from safehub.access.policy import (
    Action,
    Decision,
    can_manage_concern_rules,
    decide_concern_alert,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.models import ChronologyEntry
from safehub.concerns import selectors
from safehub.concerns.engine import Child, Firing, absorbs, evaluate, is_new
from safehub.concerns.models import ActionTaken, Alert, AlertState, ConcernRule, RuleVersion
from safehub.concerns.parsing import Definition, RuleDefinitionError, parse_definition
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.core.workdays import LONDON, due_by_end_of_working_day
from safehub.notifications.services import notify_team
from safehub.organisations.models import User

log = logging.getLogger("safehub.concerns")

# The MASH decides on an alert within one working day, as on a contact; a lead professional
# has five working days to say what they did.
MASH_WORKING_DAYS = 1
LEAD_WORKING_DAYS = 5
NOTE_MAX = 2000
REPLAY_YEARS = (1900, 2100)


# --- Rules ------------------------------------------------------------------------------


def concern_rule_check(*, name: str, rationale: str, definition: Any) -> Definition:
    """Check a rule as it would be saved; ValidationError names every problem."""
    problems = []
    if not name.strip():
        problems.append("Enter the rule's name")
    if not rationale.strip():
        problems.append("Enter the rationale: why these facts together are a concern")
    parsed = None
    try:
        parsed = parse_definition(definition)
    except RuleDefinitionError as error:
        problems.extend(error.problems)
    if problems or parsed is None:
        raise ValidationError(problems)
    return parsed


@transaction.atomic
def concern_rule_save(
    *,
    actor: User,
    rule: ConcernRule | None,
    expected_version: int | None,
    code: str,
    name: str,
    rationale: str,
    definition: Any,
    active: bool,
    now: datetime,
) -> ConcernRule:
    """Create a rule or save a new version of one. Only a role that manages the rules may;
    the definition is parsed first and refused with every problem named if it cannot be
    evaluated; the back-test over the council's history is stored with the version; the
    change is audited. A rule changed by someone else meanwhile is refused (409)."""
    if not can_manage_concern_rules(actor):
        raise PermissionDeniedError("Only a manager changes the concern rules.")
    parsed = concern_rule_check(name=name, rationale=rationale, definition=definition)
    backtest = selectors.backtest(code=code, definition=parsed, until=now)
    data = {
        "name": name.strip(),
        "rationale": rationale.strip(),
        "definition": definition,
        "active": active,
        "changed_by": actor,
    }
    if rule is None:
        if ConcernRule.objects.filter(code=code).exists():
            raise ValidationError(f"There is already a rule with the code {code}")
        rule = ConcernRule.objects.create(code=code, **data)
        action = AuditAction.CREATE
    else:
        rule = versioned_update(instance=rule, expected_version=expected_version or 0, data=data)
        action = AuditAction.CHANGE
    RuleVersion.objects.create(
        rule=rule,
        number=rule.version,
        changed_at=now,
        backtest=backtest,
        **data,
    )
    audit_record(
        actor=actor,
        action=action,
        object_type="concerns.ConcernRule",
        object_id=rule.pk,
        detail={"code": rule.code, "version": rule.version, "active": active},
    )
    return rule


# --- Live evaluation ----------------------------------------------------------------------


def _fired(
    rules: list[tuple[ConcernRule, Definition]], child: Child, as_of: datetime
) -> list[tuple[ConcernRule, Firing]]:
    """The rules that hold for the child. Each rule is evaluated on its own: one that fails
    is logged and skipped, and the others still raise their alerts."""
    firings = []
    for rule, definition in rules:
        try:
            firing = evaluate(definition, child, as_of)
        except Exception:
            log.exception("concerns: rule %s failed for person %s", rule.pk, child.person_id)
            continue
        if firing is not None:
            firings.append((rule, firing))
    return firings


def evaluate_after_append(appended: list[tuple[ChronologyEntry, list[int]]]) -> None:
    """The chronology's listener: evaluate the live rules that read the kinds of entry just
    appended for each person they concern, as of when SafeHub learnt of the latest of them.
    A batch of entries (a partner's batch of events) is evaluated once per person with one
    read of everyone's facts, not once per entry. Never raises."""
    try:
        rules = selectors.active_rules()
    except Exception:  # a broken rule table must not lose the event
        log.exception("concerns: could not read the rules for %s entries", len(appended))
        return
    if not rules:
        return
    wanted: dict[int, tuple[datetime, set[int]]] = {}  # person -> (as of, rules that read it)
    for entry, person_ids in appended:
        reading = {n for n, (_, d) in enumerate(rules) if entry.event_type in d.event_types}
        if not reading:
            continue
        known = max(entry.occurred_at, entry.recorded_at)
        for person_id in person_ids:
            as_of, indexes = wanted.get(person_id, (known, set()))
            wanted[person_id] = (max(as_of, known), indexes | reading)
    if not wanted:
        return
    try:
        with transaction.atomic():  # a failed read must not spoil the event's transaction
            children = _load_for(rules, wanted)
    except Exception:
        log.exception("concerns: could not read the facts for %s people", len(wanted))
        return
    # Decide first (pure), then read earlier alerts only for the rules that held: most
    # entries raise nothing and cost no read of alerts (ADR 0056).
    held: list[tuple[Child, list[tuple[ConcernRule, Firing]]]] = []
    for person_id, (as_of, indexes) in wanted.items():
        child = children.get(person_id)
        if child is None:
            continue
        firings = _fired([rules[n] for n in sorted(indexes)], child, as_of)
        if firings:
            held.append((child, firings))
    if not held:
        return
    try:
        with transaction.atomic():
            earlier = selectors.earlier_alerts_for(
                rule_ids=sorted({rule.pk for _, firings in held for rule, _ in firings}),
                person_ids=[child.person_id for child, _ in held],
            )
    except Exception:
        log.exception("concerns: could not read earlier alerts for %s people", len(held))
        return
    for child, firings in held:
        try:
            _act_on_child(child, firings, earlier)
        except Exception:
            log.exception("concerns: evaluating person %s failed", child.person_id)


def _load_for(
    rules: list[tuple[ConcernRule, Definition]], wanted: dict[int, tuple[datetime, set[int]]]
) -> dict[int, Child]:
    """Everyone's facts in one statement, whatever the number of people. Facts are read up
    to the latest as-of; `evaluate` keeps each person to their own."""
    indexes = set().union(*(i for _, i in wanted.values()))
    types = {t for n in indexes for t in rules[n][1].event_types}
    until = max(as_of for as_of, _ in wanted.values())
    return selectors.load_children(event_types=types, until=until, person_ids=list(wanted))


def _act_on_child(
    child: Child,
    firings: list[tuple[ConcernRule, Firing]],
    earlier: dict[tuple[int, int], list[Alert]],
) -> None:
    """As `concern_evaluate` does for one child, with everyone's earlier alerts read once:
    new facts update the open or recent alert of the rule, or raise one."""
    for rule, firing in firings:
        known = earlier.setdefault((rule.pk, child.person_id), [])
        with transaction.atomic():  # an alert, its audit row and message whole, or none
            alert = _act_on(rule, child, firing, known)
        if alert is None:
            continue
        if known and known[-1].pk == alert.pk:
            known[-1] = alert  # absorbed: the alert now rests on the new facts too
        else:
            known.append(alert)


def concern_evaluate(
    *,
    person_id: int,
    as_of: datetime,
    rules: list[tuple[ConcernRule, Definition]] | None = None,
) -> list[Alert]:
    """Evaluate the live rules (or `rules`) for one child as of `as_of`. A rule that holds
    on a fact no earlier alert of it had either updates the child's open or recent alert
    of that rule (`engine.absorbs`) or raises a new one; returns the alerts raised or
    updated. Three queries when nothing fires (rules aside)."""
    rules = selectors.active_rules() if rules is None else rules
    if not rules:
        return []
    types = {t for _, d in rules for t in d.event_types}
    child = selectors.load_children(event_types=types, until=as_of, person_ids=[person_id]).get(
        person_id
    )
    if child is None:
        return []
    held = [(rule, f) for rule, d in rules if (f := evaluate(d, child, as_of)) is not None]
    if not held:
        return []
    earlier = selectors.earlier_alerts(person_id=person_id, rule_ids=[r.pk for r, _ in held])
    return [
        alert
        for rule, firing in held
        if (alert := _act_on(rule, child, firing, earlier.get(rule.pk, []))) is not None
    ]


def _act_on(rule: ConcernRule, child: Child, firing: Firing, earlier: list[Alert]) -> Alert | None:
    """Nothing if no fact is new; else update the open or recent alert, or raise one."""
    if not is_new(firing, [a.fact_ids for a in earlier]):
        return None
    latest = earlier[-1] if earlier else None
    if latest is not None and absorbs(
        raised_at=latest.raised_at, still_open=latest.open, at=firing.as_of
    ):
        return _absorb(rule, latest.pk, child, firing)
    return _raise(rule, child, firing)


def _absorb(rule: ConcernRule, alert_pk: int, child: Child, firing: Firing) -> Alert:
    """Take new facts into an alert already raised: its facts and explanation grow, its
    version moves on (someone working it from the old one is told), and one closed in the
    last ABSORB_DAYS is opened again on a fresh clock, so nobody misses the new facts."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert_pk)
        was = alert.state
        alert.fact_ids = sorted(set(alert.fact_ids) | set(firing.fact_ids))
        alert.explanation = firing.as_json()
        alert.updates += 1
        alert.updated_with_facts_at = firing.as_of
        alert.version += 1
        fields = ["fact_ids", "explanation", "updates", "updated_with_facts_at", "version"]
        if not alert.open:
            lead = child.lead_professional_on(firing.as_of.astimezone(LONDON).date())
            alert.state = AlertState.NEW
            alert.lead_professional_id = lead
            alert.due_at = due_by_end_of_working_day(
                firing.as_of, LEAD_WORKING_DAYS if lead else MASH_WORKING_DAYS
            )
            alert.acknowledged_by = alert.closed_by = None
            alert.acknowledged_at = alert.closed_at = None
            alert.action_taken = alert.note = ""
            fields += [
                "state",
                "lead_professional",
                "due_at",
                "acknowledged_by",
                "acknowledged_at",
                "closed_by",
                "closed_at",
                "action_taken",
                "note",
            ]
        alert.save(update_fields=[*fields, "updated_at"])
    audit_record(
        actor=None,
        action=AuditAction.CHANGE,
        person_id=child.person_id,
        object_type="concerns.Alert",
        object_id=alert.pk,
        detail={
            "rule": rule.code,
            "new_facts": sorted(set(firing.fact_ids)),
            "reopened_from": was if was != alert.state else None,
        },
    )
    if was != alert.state:
        _tell_lead(rule, alert, child.person_id, reopened=True)
    return alert


def _raise(rule: ConcernRule, child: Child, firing: Firing) -> Alert | None:
    lead = child.lead_professional_on(firing.as_of.astimezone(LONDON).date())
    days = LEAD_WORKING_DAYS if lead else MASH_WORKING_DAYS
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                rule=rule,
                rule_version=rule.version,
                person_id=child.person_id,
                raised_at=firing.as_of,
                fact_ids=list(firing.fact_ids),
                explanation=firing.as_json(),
                fingerprint=firing.fingerprint(rule.code),
                lead_professional_id=lead,
                due_at=due_by_end_of_working_day(firing.as_of, days),
            )
    except IntegrityError:
        return None  # the same facts raised it already, in a request running alongside
    audit_record(
        actor=None,
        action=AuditAction.CREATE,
        person_id=child.person_id,
        object_type="concerns.Alert",
        object_id=alert.pk,
        detail={"rule": rule.code, "version": rule.version, "facts": list(firing.fact_ids)},
    )
    _tell_lead(rule, alert, child.person_id, reopened=False)
    return alert


def _tell_lead(rule: ConcernRule, alert: Alert, person_id: int, *, reopened: bool) -> None:
    """Notify the lead professional (the MASH reads its queue instead). The relay's next pass
    delivers it: an alert is due in working days, and a partner's call that fires a rule
    must not wait on an e-mail being sent (ADR 0008, amended 7 December)."""
    if alert.lead_professional is None:
        return
    again = f":reopened:{alert.updates}" if reopened else ""
    what = "fired again on new facts" if reopened else "fired"
    notify_team(
        users=[alert.lead_professional],
        key=f"concern-alert:{alert.pk}{again}",
        subject=f"Concern alert for a child you hold (SafeHub ID {person_id})",
        body=(
            f"The rule “{rule.name}” {what} for the child with SafeHub ID {person_id}. "
            "Open the alert to see why and say what you did."
        ),
        link=reverse("concerns:alert-detail", args=[alert.pk]),
    )


# --- Working an alert ----------------------------------------------------------------------


def _require(actor: User, alert: Alert) -> None:
    if decide_concern_alert(actor, alert, Action.EDIT) is not Decision.ALLOW:
        raise PermissionDeniedError("This alert is not yours to work.")


def _close(
    *, actor: User, alert: Alert, expected_version: int, now: datetime, data: dict[str, Any]
) -> Alert:
    _require(actor, alert)
    if not alert.open:
        raise ValidationError("This alert has already been closed")
    alert = versioned_update(instance=alert, expected_version=expected_version, data=data)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=alert.person_id,
        object_type="concerns.Alert",
        object_id=alert.pk,
        detail={"state": alert.state, "action_taken": alert.action_taken},
    )
    return alert


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, expected_version: int, now: datetime) -> Alert:
    """Say the alert has been seen and is being looked into."""
    if alert.state != AlertState.NEW:
        raise ValidationError("This alert has already been acknowledged")
    return _close(
        actor=actor,
        alert=alert,
        expected_version=expected_version,
        now=now,
        data={"state": AlertState.ACKNOWLEDGED, "acknowledged_by": actor, "acknowledged_at": now},
    )


@transaction.atomic
def alert_act(
    *, actor: User, alert: Alert, expected_version: int, action_taken: str, note: str, now: datetime
) -> Alert:
    """Record what was done about the alert (e.g. a contact started with the MASH)."""
    problems = []
    if action_taken not in ActionTaken.values:
        problems.append("Select what you did about the alert")
    if len(note) > NOTE_MAX:
        problems.append(f"What you did must be {NOTE_MAX:,} characters or fewer")
    if problems:
        raise ValidationError(problems)
    return _close(
        actor=actor,
        alert=alert,
        expected_version=expected_version,
        now=now,
        data={
            "state": AlertState.ACTED,
            "action_taken": action_taken,
            "note": note.strip(),
            "closed_by": actor,
            "closed_at": now,
        },
    )


@transaction.atomic
def alert_dismiss(
    *, actor: User, alert: Alert, expected_version: int, reason: str, now: datetime
) -> Alert:
    """Dismiss the alert, saying why: the reason is kept with the rule's record."""
    if not reason.strip():
        raise ValidationError("Enter why you are dismissing the alert")
    if len(reason) > NOTE_MAX:
        raise ValidationError(f"The reason must be {NOTE_MAX:,} characters or fewer")
    return _close(
        actor=actor,
        alert=alert,
        expected_version=expected_version,
        now=now,
        data={
            "state": AlertState.DISMISSED,
            "note": reason.strip(),
            "closed_by": actor,
            "closed_at": now,
        },
    )


# --- Replay -------------------------------------------------------------------------------


def concerns_sweep(*, as_of: datetime) -> list[Alert]:
    """Evaluate every live rule for every child as of `as_of` and raise what is new. Run
    daily: a rule that waits for a quiet spell (nobody has seen a home-educated child for six
    months) comes true with no event to trigger it."""
    rules = selectors.active_rules()
    types = {t for _, d in rules for t in d.event_types}
    children = selectors.load_children(event_types=types, until=as_of)
    earlier = selectors.earlier_alerts_by_rule_and_person()
    raised = []
    for child in children.values():
        for rule, definition in rules:
            firing = evaluate(definition, child, as_of)
            if firing is None:
                continue
            with transaction.atomic():
                alert = _act_on(rule, child, firing, earlier.get((rule.pk, child.person_id), []))
            if alert is not None:
                raised.append(alert)
    return raised


def concerns_replay(
    *, actor: Any, until: datetime, since: datetime | None = None
) -> list[dict[str, Any]]:
    """Every live rule replayed over all people and all chronology up to `until`: how many
    alerts it would have raised and for how many children, when it first fired, and how
    many of those children then started a plan, how many days after their first alert (the
    median). No names: the counts an analyst or manager needs to measure a rule's lead
    time."""
    for moment in (until, since):
        if moment is not None and not REPLAY_YEARS[0] <= moment.year <= REPLAY_YEARS[1]:
            raise ValidationError(
                f"Replay dates must fall between {REPLAY_YEARS[0]} and {REPLAY_YEARS[1]}"
            )
    rules = selectors.active_rules()
    replayed = selectors.rules_replay(
        rules=[(rule.code, definition) for rule, definition in rules], until=until, since=since
    )
    results = []
    for rule, _ in rules:
        result = replayed[rule.code]
        first = result.first_alert()
        results.append(
            {
                "rule": rule.code,
                "version": rule.version,
                "alerts": result.alerts,
                "children": len(first),
                "first_alert": min(first.values()).isoformat() if first else None,
                "updates": result.updates,
                **selectors.plans_ahead(first),
            }
        )
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="concerns.replay",
        detail={"until": until.isoformat(), "rules": len(results)},
    )
    return results
