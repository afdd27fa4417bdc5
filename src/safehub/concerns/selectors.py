"""Reads the concern pages, the API, the replay and the live hook share.

`load_children` turns the chronology (and the casework spans the rules ask about) into the
engine's `Child` values in a fixed number of queries, for one child or for everyone: the
replay is set-based, the live hook the same code with one id.
"""

from __future__ import annotations

import enum
import json
import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, Min, Q, QuerySet

from safehub.access.policy import (
    Action,
    Decision,
    can_oversee_team_alerts,
    can_triage,
    can_work_concern_alerts,
    decide_many,
    restricted_entry_scope,
    visible_persons,
)
from safehub.audit.services import audit_list
from safehub.casework.models import CINPlan, CPPlan
from safehub.casework.sections import MyWorkRead
from safehub.chronology.models import ChronologyLink
from safehub.chronology.selectors import links_without_hidden
from safehub.concerns import sql
from safehub.concerns.engine import Child, Fact, Firing, evaluate, is_new, replay
from safehub.concerns.models import Alert, AlertState, ConcernRule, RuleVersion
from safehub.concerns.parsing import Definition, RuleDefinitionError, parse_definition
from safehub.core.paging import page_number
from safehub.core.workdays import LONDON
from safehub.neglect.models import NeglectProfile
from safehub.organisations.models import User
from safehub.people.models import Person

_NEGLECT = "neglect.NeglectProfile"
log = logging.getLogger("safehub.concerns")


def load_children(
    *,
    event_types: Iterable[str],
    until: datetime,
    person_ids: Iterable[int] | None = None,
    since: datetime | None = None,
) -> dict[int, Child]:
    """Every child with an entry of `event_types` up to `until` (only `person_ids` if given;
    only entries after `since` if given), with those facts oldest first, their date of
    birth, and their episodes, allocations and links to contexts a MACE panel discussed.
    One statement whatever the number (two when a neglect profile's score is among the
    facts), written once in `concerns.sql`: this runs as every entry arrives."""
    rows = sql.facts_and_spans(
        event_types=sorted(set(event_types)),
        until=until,
        person_ids=None if person_ids is None else list(person_ids),
        since=since,
    )
    scores = _neglect_scores(r[11] for r in rows if r[0] == sql.FACT and r[10] == _NEGLECT)
    children: dict[int, Child] = {}
    for row in rows:
        kind, pid = row[0], row[1]
        if kind != sql.FACT:
            _add_span(children[pid], kind, row[14:])
            continue
        eid, etype, occurred, recorded, summary, agency, doer, label, stype, sid, born = row[2:13]
        child = children.get(pid) or children.setdefault(
            pid, Child(person_id=pid, date_of_birth=born)
        )
        child.facts.append(
            Fact(
                entry_id=eid,
                event_type=etype,
                occurred_at=occurred,
                known_at=max(occurred, recorded),
                summary=summary.lower(),
                agency_id=agency,
                referrer=f"{agency or ''}/{doer or ''}/{label}",
                score=scores.get(sid) if stype == _NEGLECT else None,
                significance=row[13],
            )
        )
    for child in children.values():  # spans come in no order; the engine reads them in order
        child.episodes.sort(key=lambda span: span[0])
        child.allocations.sort(key=lambda span: span[0])
    return children


def _neglect_scores(source_ids: Iterable[str]) -> dict[str, int]:
    ids = {int(s) for s in source_ids if s.isdigit()}
    if not ids:
        return {}
    rows = NeglectProfile.objects.filter(pk__in=ids, overall_score__isnull=False)
    return {
        str(pk): score for pk, score in rows.values_list("pk", "overall_score") if score is not None
    }


def _add_span(child: Child, kind: int, span: tuple[Any, ...]) -> None:
    """One span row, (from, to, worker, day discussed), onto the child it is about (every
    span row follows its child's facts: the statement orders by person, facts first)."""
    start, end, worker, held = span
    if kind == sql.EPISODE:
        child.episodes.append((start, end))
    elif kind == sql.ALLOCATION:
        child.allocations.append((start, end, worker))
    else:
        child.mace_links.append((start, end, held))


# --- Replay and back-test ---------------------------------------------------------------


@dataclass(frozen=True)
class ReplayResult:
    """What one rule would have done from `since` to `until`: its alerts child by child."""

    rule_code: str
    since: datetime | None
    until: datetime
    firings: dict[int, list[Firing]]
    # With `holding=True`: the rule evaluated as of `until` for each child it holds for,
    # what the nightly sweep after switching it on would act on.
    holding: dict[int, Firing] = field(default_factory=dict)

    @property
    def alerts(self) -> int:
        return sum(len(f) for f in self.firings.values())

    @property
    def updates(self) -> int:
        """New facts taken in by an alert already raised, rather than raising another."""
        return sum(f.updates for fs in self.firings.values() for f in fs)

    def first_alert(self) -> dict[int, date]:
        return {
            pid: fs[0].as_of.astimezone(LONDON).date() for pid, fs in self.firings.items() if fs
        }


def rule_replay(
    *,
    code: str,
    definition: Definition,
    until: datetime,
    since: datetime | None = None,
    holding: bool = False,
) -> ReplayResult:
    """Replay one rule over every child's chronology up to `until`."""
    return rules_replay(rules=[(code, definition)], until=until, since=since, holding=holding)[code]


def rules_replay(
    *,
    rules: Sequence[tuple[str, Definition]],
    until: datetime,
    since: datetime | None = None,
    holding: bool = False,
) -> dict[str, ReplayResult]:
    """Replay several rules (code, definition) over every child's chronology up to `until`,
    reading the chronology once for all of them: most rules read the same partner events,
    and reading them was most of a replay (ADR 0056). Each rule sees exactly what it would
    alone: its own kinds of entry, from as far back as its longest window."""
    if not rules:
        return {}
    load_since = {code: _load_since(definition, since) for code, definition in rules}
    starts = [start for start in load_since.values() if start is not None]
    # One rule reading the whole chronology means reading it all for every rule.
    earliest = min(starts) if len(starts) == len(load_since) else None
    types = {t for _, definition in rules for t in definition.event_types}
    children = load_children(event_types=types, until=until, since=earliest)
    results = {}
    for code, definition in rules:
        firings, now = {}, {}
        for pid, child in children.items():
            own = _facts_for(child, definition.event_types, load_since[code])
            if own is None:
                continue  # loaded alone, the rule would not have read this child
            found = replay(definition, own, until=until, since=since)
            if found:
                firings[pid] = found
            # Not only the last firing: a rule can come to hold with no fact arriving (an
            # episode closing, a lead professional leaving).
            if holding and (firing := evaluate(definition, own, until)) is not None:
                now[pid] = firing
        results[code] = ReplayResult(
            rule_code=code, since=since, until=until, firings=firings, holding=now
        )
    return results


def _load_since(definition: Definition, since: datetime | None) -> datetime | None:
    window = definition.longest_window
    return None if since is None or window is None else since - timedelta(days=window)


def _facts_for(child: Child, types: frozenset[str], since: datetime | None) -> Child | None:
    """The child as loading only `types` after `since` would have given it; None if that
    leaves no facts."""
    facts = [
        f for f in child.facts if f.event_type in types and (since is None or f.occurred_at > since)
    ]
    if not facts:
        return None
    if len(facts) == len(child.facts):
        return child
    return replace(child, facts=facts)


def backtest(
    *, code: str, definition: Definition, until: datetime, years: int = 3
) -> dict[str, Any]:
    """The rule replayed over the council's own history (the last `years` years to `until`):
    how many children it would have flagged, how many later started a child protection or
    child in need plan, and how many days ahead of the plan the first alert came."""
    since = until - timedelta(days=365 * years)
    result = rule_replay(code=code, definition=definition, until=until, since=since, holding=True)
    first = result.first_alert()
    return {
        # Switched on, the next nightly sweep raises (or updates) an alert for each child the
        # rule holds for now on a fact no alert of the rule has had: the first night's load.
        "alert_tonight": _new_to_the_rule(code, result.holding),
        "since": since.astimezone(LONDON).date().isoformat(),
        "until": until.astimezone(LONDON).date().isoformat(),
        "children_flagged": len(first),
        "alerts": result.alerts,
        # What switching it on would ask of the people the alerts go to.
        "alerts_a_month": round(result.alerts / (12 * years), 1),
        "updates": result.updates,
        **plans_ahead(first),
    }


def _new_to_the_rule(code: str, holding: dict[int, Firing]) -> int:
    """How many of the children `holding` have a fact no alert of the rule has had."""
    earlier: dict[int, list[list[int]]] = defaultdict(list)
    alerts = Alert.objects.filter(rule__code=code, person__pk__in_ids=list(holding))
    for person_id, fact_ids in alerts.values_list("person_id", "fact_ids"):
        earlier[person_id].append(fact_ids)
    return sum(1 for pid, firing in holding.items() if is_new(firing, earlier[pid]))


def plans_ahead(first_alert: dict[int, date]) -> dict[str, Any]:
    """A rule's lead time: of the children it alerted, how many then started a child
    protection or child in need plan (at any time since, so a replay as of a past day
    counts the plans that came after it), and the median days from first alert to plan."""
    plans = _first_plan_after(first_alert)
    leads = sorted((plans[pid] - day).days for pid, day in first_alert.items() if pid in plans)
    return {
        "later_on_a_plan": len(leads),
        "median_days_ahead_of_plan": leads[len(leads) // 2] if leads else None,
    }


def _first_plan_after(first_alert: dict[int, date]) -> dict[int, date]:
    """For each child, the start of their first CP or CIN plan on or after their alert."""
    found: dict[int, date] = {}
    ids = list(first_alert)
    for model in (CPPlan, CINPlan):
        for pid, start in model.objects.filter(child_id__in=ids).values_list(
            "child_id", "start_date"
        ):
            if start >= first_alert[pid] and (pid not in found or start < found[pid]):
                found[pid] = start
    return found


# --- Rules and their record ---------------------------------------------------------------


@dataclass(frozen=True)
class RuleRecord:
    rule: ConcernRule
    raised: int
    acted: int
    dismissed: int
    still_open: int
    confirmed_by_plan: int


def rule_records() -> list[RuleRecord]:
    """Every rule with its live record: alerts raised, acted on, dismissed, still open, and
    how many of the children alerted later started a plan. Two queries plus one per kind
    of plan, whatever the number of alerts."""
    tallies = Alert.objects.values("rule_id").annotate(
        raised=Count("pk"),
        acted=Count("pk", filter=Q(state=AlertState.ACTED)),
        dismissed=Count("pk", filter=Q(state=AlertState.DISMISSED)),
        still_open=Count("pk", filter=Q(state__in=[AlertState.NEW, AlertState.ACKNOWLEDGED])),
    )
    counts: dict[int, dict[str, int]] = {
        row["rule_id"]: {k: int(row[k]) for k in ("raised", "acted", "dismissed", "still_open")}
        for row in tallies
    }
    firsts = Alert.objects.values("rule_id", "person_id").annotate(first=Min("raised_at"))
    confirmed: dict[int, int] = defaultdict(int)
    by_person: dict[int, list[tuple[int, date]]] = defaultdict(list)
    for first in firsts:
        day = first["first"].astimezone(LONDON).date()
        by_person[first["person_id"]].append((first["rule_id"], day))
    planned: dict[int, list[date]] = defaultdict(list)
    for model in (CPPlan, CINPlan):
        for pid, start in model.objects.filter(child_id__in=list(by_person)).values_list(
            "child_id", "start_date"
        ):
            planned[pid].append(start)
    for pid, pairs in by_person.items():
        for rule_id, day in pairs:
            if any(start >= day for start in planned[pid]):
                confirmed[rule_id] += 1
    records = []
    for rule in ConcernRule.objects.order_by("name"):
        row = counts.get(rule.pk, {})
        records.append(
            RuleRecord(
                rule=rule,
                raised=row.get("raised", 0),
                acted=row.get("acted", 0),
                dismissed=row.get("dismissed", 0),
                still_open=row.get("still_open", 0),
                confirmed_by_plan=confirmed[rule.pk],
            )
        )
    return records


def rule_versions(rule: ConcernRule) -> list[RuleVersion]:
    return list(rule.versions.select_related("changed_by").order_by("-number"))


# Parsed definitions by their JSON: parsing checks every code against the vocabulary, which
# is most of a live evaluation's Python time; a definition's text decides its parse.
_PARSED: dict[str, Definition] = {}


def _parsed(definition: Any) -> Definition:
    key = json.dumps(definition, sort_keys=True)
    found = _PARSED.get(key)
    if found is None:
        found = _PARSED[key] = parse_definition(definition)
    return found


def active_rules() -> list[tuple[ConcernRule, Definition]]:
    """The live rules, parsed. Every definition was checked when it was saved; one changed
    behind the service's back that no longer parses is logged and left out, so it cannot
    stop the others."""
    parsed = []
    for rule in ConcernRule.objects.filter(active=True).order_by("pk"):
        try:
            parsed.append((rule, _parsed(rule.definition)))
        except RuleDefinitionError:
            log.exception("concerns: rule %s no longer parses; left out", rule.code)
    return parsed


# --- Alerts ------------------------------------------------------------------------------


ALERTS_PAGE = 50
OPEN_STATES = (AlertState.NEW, AlertState.ACKNOWLEDGED)
MY_WORK_ALERTS = 20


def open_alerts_of(actor: User) -> QuerySet[Alert]:
    """The open alerts about children `actor` leads on ("my work"'s probe asks this)."""
    return Alert.objects.filter(lead_professional=actor, state__in=OPEN_STATES)


def my_work_alerts(*, actor: User, read: MyWorkRead) -> tuple[list[Alert], int]:
    """The soonest due of `actor`'s open alerts for "my work", about children they may see
    (the page has asked the policy of the children allocated to them), and how many open
    alerts they have in all. "My work" names the children shown in its one audit row."""
    rows = list(
        open_alerts_of(actor)
        .select_related("rule", "person")
        .order_by("due_at", "pk")[:MY_WORK_ALERTS]
    )
    visible = read.visible(actor, {a.person_id for a in rows})
    total = len(rows) if len(rows) < MY_WORK_ALERTS else open_alerts_of(actor).count()
    return [a for a in rows if a.person_id in visible], total


class AlertQueue(enum.StrEnum):
    """Whose open alerts a list shows."""

    MINE = "mine"  # about children the reader leads on
    MASH = "mash"  # about children with no lead professional (the MASH's queue)
    TEAM = "team"  # about children the reader's team's workers lead on (their manager's)


def alert_queues(user: User) -> list[AlertQueue]:
    """The alert lists `user` may open (pages and API alike), in the order offered."""
    if not can_work_concern_alerts(user):
        return []
    found = [AlertQueue.MINE]
    if can_oversee_team_alerts(user):
        found.append(AlertQueue.TEAM)
    if can_triage(user):
        found.append(AlertQueue.MASH)
    return found


LISTED_AS = {
    AlertQueue.MINE: "concerns.my_alerts",
    AlertQueue.MASH: "concerns.mash_alerts",
    AlertQueue.TEAM: "concerns.team_alerts",
}


@dataclass(frozen=True)
class AlertPage:
    alerts: list[Alert]
    page: int
    pages: int
    total: int


def _in_queue(actor: User, queue: AlertQueue, states: Sequence[str]) -> QuerySet[Alert]:
    """The alerts in `queue` in `states` about children the policy lets `actor` see."""
    alerts: QuerySet[Alert] = Alert.objects.filter(state__in=states)
    if queue is AlertQueue.MASH:
        alerts = alerts.filter(lead_professional__isnull=True)
    elif queue is AlertQueue.TEAM:
        # A manager with no team has no team's alerts.
        team_id = actor.team_id
        alerts = (
            alerts.none() if team_id is None else alerts.filter(lead_professional__team_id=team_id)
        )
    else:
        alerts = alerts.filter(lead_professional=actor)
    return alerts.filter(person__in=visible_persons(actor, Person.objects.all()))


def alerts_for(
    *,
    actor: User,
    queue: AlertQueue,
    states: Sequence[str],
    page: Any = 1,
    size: int = ALERTS_PAGE,
) -> AlertPage:
    """One page of the alerts in `queue` (`actor`'s own, the MASH's or their team's), each
    only where the policy lets `actor` see the child; soonest due first. Past the end, the
    last page. Who may open which queue is the caller's check."""
    alerts = (
        _in_queue(actor, queue, states)
        .select_related("rule", "person", "lead_professional")
        .order_by("due_at", "pk")
    )
    total = alerts.count()
    pages = max(1, -(-total // size))
    number = page_number(page, pages=pages)
    rows = list(alerts[(number - 1) * size : number * size])
    decisions = decide_many(actor, [a.person for a in rows], Action.VIEW)
    shown = [a for a in rows if decisions.get(a.person_id) is Decision.ALLOW]
    audit_list(
        actor=actor,
        listed=LISTED_AS[queue],
        person_ids=[a.person_id for a in shown],
    )
    return AlertPage(alerts=shown, page=number, pages=pages, total=total)


@dataclass(frozen=True)
class AlertCounts:
    open: int
    overdue: int


def team_alert_counts(*, actor: User, now: datetime) -> AlertCounts:
    """How many open alerts the team's list would show `actor`, and how many are overdue:
    counts for the team page, which names nobody."""
    counts = _in_queue(actor, AlertQueue.TEAM, OPEN_STATES).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lt=now))
    )
    return AlertCounts(open=counts["open"], overdue=counts["overdue"])


@dataclass(frozen=True)
class AlertFacts:
    """The chronology entries an alert rests on that the reader may read, by id, and how
    many restricted partner entries among them are kept from the reader (counted only)."""

    entries: dict[int, Any]
    hidden: int


def alert_facts(alert: Alert, *, actor: User) -> AlertFacts:
    """The chronology entries an alert rests on, for its explanation's links, as the
    chronology's one rule for restricted partner entries lets `actor` read them."""
    links, hidden = links_without_hidden(
        ChronologyLink.objects.filter(person_id=alert.person_id, entry_id__in=alert.fact_ids),
        scope=restricted_entry_scope(actor, [alert.person]),
        person_id=alert.person_id,
    )
    found = links.select_related("entry", "entry__source_agency")
    return AlertFacts(entries={link.entry_id: link.entry for link in found}, hidden=hidden)


def earlier_alerts(*, person_id: int, rule_ids: Iterable[int]) -> dict[int, list[Alert]]:
    """Each rule's alerts for one child, oldest first: one query for every rule."""
    found: dict[int, list[Alert]] = defaultdict(list)
    rows = Alert.objects.filter(person_id=person_id, rule_id__in=list(rule_ids)).only(
        "pk", "rule_id", "raised_at", "state", "fact_ids", "version"
    )
    for alert in rows.order_by("raised_at", "pk"):
        found[alert.rule_id].append(alert)
    return found


def earlier_alerts_by_rule_and_person() -> dict[tuple[int, int], list[Alert]]:
    """Every alert by rule and child, oldest first (the daily sweep's one read of them)."""
    found: dict[tuple[int, int], list[Alert]] = defaultdict(list)
    rows = Alert.objects.only("pk", "rule_id", "person_id", "raised_at", "state", "fact_ids")
    for alert in rows.order_by("raised_at", "pk"):
        found[(alert.rule_id, alert.person_id)].append(alert)
    return found


def earlier_alerts_for(
    *, rule_ids: Iterable[int], person_ids: Iterable[int]
) -> dict[tuple[int, int], list[Alert]]:
    """Each earlier alert of these rules by (rule, person), oldest first: one query, for a
    batch of entries about many people."""
    found: dict[tuple[int, int], list[Alert]] = defaultdict(list)
    rows = Alert.objects.filter(rule_id__in=list(rule_ids), person_id__in=list(person_ids)).only(
        "pk", "rule_id", "person_id", "raised_at", "state", "fact_ids", "version"
    )
    for alert in rows.order_by("raised_at", "pk"):
        found[(alert.rule_id, alert.person_id)].append(alert)
    return found
