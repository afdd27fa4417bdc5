"""Evaluating a parsed rule against one child's facts as known on one day.

Pure: nothing here reads the database. `selectors.load_children` loads the facts for one
child (a live event) or for every child at once (a replay, in a fixed number of queries);
both then come here, so a live alert and a replayed one are decided by the same code.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from safehub.chronology import registry
from safehub.concerns.parsing import MEASURES, STATES, Condition, Definition
from safehub.core.workdays import LONDON

# An alert takes in new facts for the same child and rule, as an update rather than a new
# alert, while it is open and for this many days after it was raised (ADR 0034).
ABSORB_DAYS = 90


@dataclass(frozen=True)
class Fact:
    """One chronology entry about the child, as the rules see it."""

    entry_id: int
    event_type: str
    occurred_at: datetime
    known_at: datetime  # when SafeHub knew of it: a replay as of a day sees only what was known
    summary: str
    agency_id: int | None = None
    referrer: str = ""  # who made it: agency, user or description
    score: int | None = None  # for measured entries (a neglect profile's overall grade)
    significance: int = 1  # as the sender graded it: 1 low, 2 medium, 3 high, 4 critical

    @property
    def day(self) -> date:
        return self.occurred_at.astimezone(LONDON).date()


@dataclass
class Child:
    """Everything the rules read about one child: facts oldest first, and the spans of time
    the council had an episode open or a lead professional allocated."""

    person_id: int
    date_of_birth: date | None = None
    facts: list[Fact] = field(default_factory=list)
    episodes: list[tuple[date, date | None]] = field(default_factory=list)
    allocations: list[tuple[date, date | None, int]] = field(default_factory=list)
    # Links to contexts a MACE panel discussed: linked on, ended on, the day it was discussed.
    mace_links: list[tuple[date, date | None, date]] = field(default_factory=list)

    def lead_professional_on(self, day: date) -> int | None:
        for start, end, worker_id in self.allocations:
            if start <= day and (end is None or end > day):
                return worker_id
        return None

    def episode_open_on(self, day: date) -> bool:
        return any(s <= day and (e is None or e > day) for s, e in self.episodes)

    def mace_link_on(self, day: date) -> tuple[date, date] | None:
        """(linked on, discussed on) of a current link to a context a MACE panel discussed
        in the year before `day`, the latest discussion first; None if there is none."""
        found = [
            (linked, held)
            for linked, ended, held in self.mace_links
            if linked <= day and (ended is None or ended > day) and day - MACE_YEAR < held <= day
        ]
        return max(found, key=lambda pair: pair[1]) if found else None


MACE_YEAR = timedelta(days=365)


@dataclass(frozen=True)
class Finding:
    text: str
    fact_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Firing:
    as_of: datetime
    fact_ids: tuple[int, ...]
    explanation: tuple[Finding, ...]
    updates: int = 0  # times it took in new facts after it was raised

    def absorb(self, later: Firing) -> Firing:
        """This alert with a later firing's new facts taken in: raised when it was, with
        every fact either rested on and the later explanation."""
        return Firing(
            as_of=self.as_of,
            fact_ids=tuple(sorted(set(self.fact_ids) | set(later.fact_ids))),
            explanation=later.explanation,
            updates=self.updates + 1,
        )

    def fingerprint(self, rule_code: str) -> str:
        payload = json.dumps([rule_code, sorted(self.fact_ids)])
        return hashlib.sha256(payload.encode()).hexdigest()

    def as_json(self) -> list[dict[str, Any]]:
        return [{"text": f.text, "facts": list(f.fact_ids)} for f in self.explanation]


def evaluate(definition: Definition, child: Child, as_of: datetime) -> Firing | None:
    """Every alternative that holds for `child` on what was known at `as_of`, with the
    finding behind each of its conditions; None if none holds. All of them, not the first:
    an alternative newly true beside one that held before is a new fact to alert on."""
    known = [f for f in child.facts if f.known_at <= as_of and f.occurred_at <= as_of]
    findings: list[Finding] = []
    for alternative in definition.alternatives:
        held = []
        for condition in alternative:
            finding = _holds(condition, child, known, as_of)
            if finding is None:
                break
            held.append(finding)
        else:
            findings.extend(held)
    if not findings:
        return None
    ids = tuple(sorted({i for f in findings for i in f.fact_ids}))
    return Firing(as_of=as_of, fact_ids=ids, explanation=tuple(findings))


def replay(
    definition: Definition, child: Child, *, until: datetime, since: datetime | None = None
) -> list[Firing]:
    """Every alert the rule would have raised for `child` had it been live from `since` to
    `until`: evaluated as each fact arrived (and as each quiet spell a "none" condition
    waits for ran out), acting only on facts no earlier alert had. New facts within
    ABSORB_DAYS of the last alert update it; later ones raise a new alert. (Live, an alert
    still open absorbs for longer; the replay assumes each is worked within the window.)"""
    firings: list[Firing] = []
    seen: set[int] = set()
    for moment in _moments(definition, child, until=until, since=since):
        firing = evaluate(definition, child, moment)
        if firing is None or set(firing.fact_ids) <= seen:
            continue
        seen.update(firing.fact_ids)
        if firings and absorbs(raised_at=firings[-1].as_of, still_open=False, at=moment):
            firings[-1] = firings[-1].absorb(firing)
        else:
            firings.append(firing)
    return firings


def absorbs(*, raised_at: datetime, still_open: bool, at: datetime) -> bool:
    """Does an alert raised at `raised_at` take in new facts arriving `at`, rather than a
    new alert being raised? While it is open, or for ABSORB_DAYS after it was raised."""
    return still_open or at - raised_at < timedelta(days=ABSORB_DAYS)


def is_new(firing: Firing, earlier_fact_ids: Iterable[Iterable[int]]) -> bool:
    """Does the firing rest on at least one fact no earlier alert of the rule had?"""
    seen = {i for ids in earlier_fact_ids for i in ids}
    return not set(firing.fact_ids) <= seen


def _moments(
    definition: Definition, child: Child, *, until: datetime, since: datetime | None
) -> list[datetime]:
    types = definition.event_types
    moments = {f.known_at for f in child.facts if f.event_type in types}
    # Conditions that come true as time passes, with no event on the day.
    quiet = [
        c.within_days if c.kind == "none" else c.for_days
        for alt in definition.alternatives
        for c in alt
        if c.kind == "none" or (c.kind == "ongoing" and c.for_days)
    ]
    for days in quiet:
        if days is not None:
            moments |= {
                f.occurred_at + timedelta(days=days, seconds=1)
                for f in child.facts
                if f.event_type in types
            }
    # A context the child is linked to being discussed at a MACE panel is not on the
    # child's chronology: the day of the panel is a moment too (live, the daily sweep).
    if any(c.state == "linked_to_mace_context" for alt in definition.alternatives for c in alt):
        moments |= {
            datetime.combine(held, datetime.max.time(), tzinfo=LONDON)
            for _, _, held in child.mace_links
        }
    return sorted(m for m in moments if m <= until and (since is None or m >= since))


def _in_window(facts: list[Fact], condition: Condition, as_of: datetime) -> list[Fact]:
    types = condition.event_set
    start = as_of - timedelta(days=condition.within_days) if condition.within_days else None
    return [
        f
        for f in facts
        if f.event_type in types
        and (start is None or f.occurred_at > start)
        and (not condition.mentions_any or any(w in f.summary for w in condition.mentions_any))
    ]


def _holds(
    condition: Condition, child: Child, known: list[Fact], as_of: datetime
) -> Finding | None:
    if condition.kind == "count":
        return _count(condition, known, as_of)
    if condition.kind == "none":
        return _none(condition, known, as_of)
    if condition.kind == "ongoing":
        return _ongoing(condition, known, as_of)
    if condition.kind == "age":
        return _age(condition, child, as_of)
    if condition.kind == "state":
        return _state(condition, child, as_of)
    if condition.kind == "weight":
        return _weight(condition, known, as_of)
    return _worsened(condition, known, as_of)


def _labels(codes: Iterable[str]) -> str:
    """The kinds' names in a sentence: each once (both vocabularies can name the same kind),
    lower case but for initialisms ("GP concern")."""
    return ", ".join(dict.fromkeys(in_sentence(registry.get(c).label) for c in codes))


def in_sentence(label: str) -> str:
    """A label as it reads mid-sentence: "Persistent absence" → "persistent absence", but
    "GP concern" and "MASH decision" keep their capitals."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


def _window(condition: Condition) -> str:
    if condition.within_days is None:
        return "on the chronology"
    return f"in the {condition.within_days} days before"


def _count(condition: Condition, known: list[Fact], as_of: datetime) -> Finding | None:
    matching = _in_window(known, condition, as_of)
    keys: set[object]
    if condition.distinct == "agency":
        keys = {f.agency_id for f in matching if f.agency_id is not None}
        unit = "different agencies"
    elif condition.distinct == "referrer":
        keys = {f.referrer for f in matching if f.referrer}
        unit = "different referrers"
    elif condition.distinct == "day":
        keys = {f.day for f in matching}
        unit = "separate days"
    else:
        keys = {f.entry_id for f in matching}
        unit = "entries"
    if len(keys) < condition.at_least:
        return None
    mentions = (
        f" mentioning {' or '.join(repr(w) for w in condition.mentions_any)}"
        if condition.mentions_any
        else ""
    )
    # Name the kinds that were found, in the rule's order, not every kind the rule counts.
    found = sorted({f.event_type for f in matching}, key=list(condition.events).index)
    if condition.distinct in ("agency", "referrer"):
        # Who reported is what is counted: say so, and what they reported.
        when = (
            f"In the {condition.within_days} days before {_day(as_of)}"
            if condition.within_days
            else "On the chronology"
        )
        text = (
            f"{when}, {len(keys)} {unit} reported {_labels(found)}{mentions}. The rule "
            f"needs at least {condition.at_least}."
        )
    else:
        text = (
            f"{len(keys)} {unit} ({_labels(found)}{mentions}) {_window(condition)} "
            f"{_day(as_of)}; the rule needs at least {condition.at_least}."
        )
    return Finding(text, tuple(f.entry_id for f in matching))


def _weight(condition: Condition, known: list[Fact], as_of: datetime) -> Finding | None:
    """The window's entries weighed by significance and kind; with `rising_days`, the latest
    span must weigh more than the one before it."""
    matching = _in_window(known, condition, as_of)
    kinds = dict(condition.kind_weights)

    def weigh(facts: Iterable[Fact]) -> int:
        return sum(f.significance * kinds.get(f.event_type, 1) for f in facts)

    total = weigh(matching)
    if total < condition.at_least:
        return None
    rising = ""
    if condition.rising_days:
        span = timedelta(days=condition.rising_days)
        latest = weigh(f for f in matching if f.occurred_at > as_of - span)
        before = weigh(f for f in matching if as_of - 2 * span < f.occurred_at <= as_of - span)
        if latest <= before:
            return None
        rising = (
            f"; {latest} of it in the last {condition.rising_days} days against {before} in "
            f"the {condition.rising_days} days before"
        )
    found = sorted({f.event_type for f in matching}, key=list(condition.events).index)
    return Finding(
        f"{len(matching)} entries ({_labels(found)}) {_window(condition)} {_day(as_of)} "
        f"weighing {total} by their significance and kind{rising}; the rule needs at least "
        f"{condition.at_least}.",
        tuple(f.entry_id for f in matching),
    )


def _none(condition: Condition, known: list[Fact], as_of: datetime) -> Finding | None:
    if _in_window(known, condition, as_of):
        return None
    earlier = [f for f in known if f.event_type in condition.event_set]
    since = f"; the last was on {_day(earlier[-1].occurred_at)}" if earlier else "; never"
    return Finding(
        f"Nothing of these kinds ({_labels(condition.events)}) {_window(condition)} "
        f"{_day(as_of)}{since}."
    )


def _ongoing(condition: Condition, known: list[Fact], as_of: datetime) -> Finding | None:
    starts = [f for f in known if f.event_type in condition.event_set]
    ends = [f for f in known if f.event_type in condition.ended_by_set]
    if not starts or (ends and ends[-1].occurred_at >= starts[-1].occurred_at):
        return None
    start = starts[-1]
    if start.occurred_at > as_of - timedelta(days=condition.for_days):
        return None
    lasted = f" ({condition.for_days} days or more)" if condition.for_days else ""
    return Finding(
        f"{registry.get(start.event_type).label} on {_day(start.occurred_at)}, and no "
        f"{_labels(condition.ended_by)} since{lasted}.",
        (start.entry_id,),
    )


def _age(condition: Condition, child: Child, as_of: datetime) -> Finding | None:
    if child.date_of_birth is None:
        return None
    age = (as_of.astimezone(LONDON).date() - child.date_of_birth).days
    if not 0 <= age < condition.under_days:
        return None
    return Finding(
        f"Aged {age} days on {_day(as_of)} (born {child.date_of_birth:%-d %B %Y}); the rule "
        f"is for children under {condition.under_days} days old."
    )


def _state(condition: Condition, child: Child, as_of: datetime) -> Finding | None:
    day = as_of.astimezone(LONDON).date()
    if condition.state == "linked_to_mace_context":
        link = child.mace_link_on(day)
        if link is None:
            return None
        return Finding(
            f"On {_day(as_of)} the child was linked (since {link[0]:%-d %B %Y}) to a context "
            f"of concern that a MACE panel discussed on {link[1]:%-d %B %Y}."
        )
    if condition.state == "no_open_episode" and child.episode_open_on(day):
        return None
    if condition.state == "no_lead_professional" and child.lead_professional_on(day):
        return None
    return Finding(f"On {_day(as_of)} there was {STATES[condition.state]}.")


def _worsened(condition: Condition, known: list[Fact], as_of: datetime) -> Finding | None:
    start = as_of - timedelta(days=condition.within_days or 0)
    types = condition.event_set
    scored = [
        f for f in known if f.event_type in types and f.score is not None and f.occurred_at > start
    ]
    if len(scored) < 2:
        return None
    earlier, later = scored[-2], scored[-1]
    if (later.score or 0) <= (earlier.score or 0):
        return None
    return Finding(
        f"The {MEASURES[condition.measure]} went from {earlier.score} on "
        f"{_day(earlier.occurred_at)} to {later.score} on {_day(later.occurred_at)}.",
        (earlier.entry_id, later.entry_id),
    )


def _day(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%-d %B %Y}"
