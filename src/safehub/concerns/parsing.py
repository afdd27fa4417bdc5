"""A concern rule's definition: JSON as an authorised user writes it, parsed into plain
values, every mistake named by its place in plain English.

A rule fires when any one of its alternatives holds; an alternative holds when all of its
conditions do. Conditions are of five kinds, each over the child's chronology as known on a
day (`as_of`):

    {"kind": "count", "events": [codes], "within_days": 365, "at_least": 3,
     "distinct": "agency" | "referrer" | "day" (optional), "mentions_any": [words] (optional)}
        at least N entries of those types in the window (N different agencies, referrers or
        days if `distinct`; only entries whose summary mentions one of the words if given);
        `within_days` may be left out to look at the whole chronology.
    {"kind": "none", "events": [codes], "within_days": 183}
        no entry of those types in the window (e.g. nobody has seen the child).
    {"kind": "ongoing", "started_by": [codes], "ended_by": [codes], "for_days": 183}
        the latest start comes after the latest end (e.g. registered for home education),
        for at least `for_days` days if given.
    {"kind": "age", "under_days": 365}
        the child is younger than this.
    {"kind": "state", "state": "no_open_episode" | "no_lead_professional"
                                  | "linked_to_mace_context"}
        nothing open at the council for the child; or the child is linked to a context
        (a place, a peer group) that a MACE panel discussed in the year before.
    {"kind": "worsened", "measure": "neglect_overall", "within_days": 730}
        the later of the last two scores is worse than the earlier.
    {"kind": "weight", "events": [codes], "within_days": 365, "at_least": 6,
     "kind_weights": {code: 2} (optional), "rising_days": 91 (optional)}
        the entries in the window weigh at least N together, each weighing the significance
        its sender gave it (low 1, medium 2, high 3, critical 4) times its kind's weight
        (1 unless named); with `rising_days`, more weight came in the last that many days
        than in the same span before them (the worries are coming closer together).

Nothing here reads the database: event codes are checked against the chronology's closed
vocabulary, so a rule that names an unknown event is refused when it is saved, never when
an event arrives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from safehub.chronology import registry

KINDS = ("count", "none", "ongoing", "age", "state", "worsened", "weight")
DISTINCT = ("agency", "referrer", "day")
STATES = {
    "no_open_episode": "no open episode with children's social care",
    "no_lead_professional": "no lead professional allocated",
    "linked_to_mace_context": (
        "a current link to a context of concern discussed at a MACE panel in the year before"
    ),
}
MEASURES = {"neglect_overall": "overall neglect profile grade (1 best, 5 worst)"}
# The chronology entries that carry each measure's score.
MEASURE_EVENTS = {"neglect_overall": ("NEGLECT_PROFILE_COMPLETED",)}
MAX_DAYS = 3660  # ten years: the longest window a rule may look back over
MAX_COUNT = 100
MAX_KIND_WEIGHT = 10


class RuleDefinitionError(ValueError):
    """The definition cannot be evaluated; `problems` says where and why, in plain English."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Condition:
    kind: str
    events: tuple[str, ...] = ()
    ended_by: tuple[str, ...] = ()
    within_days: int | None = None
    at_least: int = 1
    distinct: str = ""
    mentions_any: tuple[str, ...] = ()
    under_days: int = 0
    for_days: int = 0
    state: str = ""
    measure: str = ""
    # A weight condition: each named kind's multiplier (others weigh 1), and the span over
    # which the weight must be rising (0: not asked).
    kind_weights: tuple[tuple[str, int], ...] = ()
    rising_days: int = 0

    # Cached (the dataclass is frozen, so they cannot go stale): a replay asks for them for
    # every child at every moment, and building the sets again was a tenth of its time.
    @cached_property
    def event_types(self) -> frozenset[str]:
        return frozenset(self.events) | frozenset(self.ended_by)

    @cached_property
    def event_set(self) -> frozenset[str]:
        return frozenset(self.events)

    @cached_property
    def ended_by_set(self) -> frozenset[str]:
        return frozenset(self.ended_by)


@dataclass(frozen=True)
class Definition:
    alternatives: tuple[tuple[Condition, ...], ...]
    raw: dict[str, Any] = field(compare=False, hash=False, default_factory=dict)

    @cached_property
    def event_types(self) -> frozenset[str]:
        """Every chronology code the rule reads: only these trigger a live evaluation."""
        return frozenset(code for alt in self.alternatives for c in alt for code in c.event_types)

    @property
    def longest_window(self) -> int | None:
        """How far back the rule looks (None: the whole chronology)."""
        windows = []
        for alt in self.alternatives:
            for c in alt:
                if c.kind in ("count", "none", "worsened", "weight"):
                    if c.within_days is None:
                        return None
                    windows.append(c.within_days)
                elif c.kind == "ongoing":
                    return None
        return max(windows, default=0)


def parse_definition(raw: Any) -> Definition:
    """Parse and check a rule's definition, or raise RuleDefinitionError naming every
    mistake found."""
    problems: list[str] = []
    if not isinstance(raw, dict) or set(raw) != {"any_of"}:
        raise RuleDefinitionError(
            ['The definition must be an object with one key, "any_of": a list of alternatives']
        )
    alternatives_raw = raw["any_of"]
    if not isinstance(alternatives_raw, list) or not alternatives_raw:
        raise RuleDefinitionError(['"any_of" must list at least one alternative'])
    alternatives = []
    for a, alt in enumerate(alternatives_raw, start=1):
        where = f"Alternative {a}"
        if (
            not isinstance(alt, dict)
            or set(alt) != {"all_of"}
            or not isinstance(alt["all_of"], list)
        ):
            problems.append(f'{where} must be an object with one key, "all_of": a list')
            continue
        if not alt["all_of"]:
            problems.append(f"{where} must have at least one condition")
            continue
        conditions = []
        for c, cond in enumerate(alt["all_of"], start=1):
            parsed = _condition(cond, f"{where}, condition {c}", problems)
            if parsed is not None:
                conditions.append(parsed)
        if conditions and all(k.kind in ("age", "state", "none") for k in conditions):
            problems.append(
                f"{where} needs a condition on events (count, ongoing, worsened or weight): a rule "
                "fires on facts in the chronology, never on a state alone"
            )
        alternatives.append(tuple(conditions))
    if problems:
        raise RuleDefinitionError(problems)
    return Definition(alternatives=tuple(alternatives), raw=raw)


_ALLOWED_KEYS = {
    "count": {"kind", "events", "within_days", "at_least", "distinct", "mentions_any"},
    "none": {"kind", "events", "within_days"},
    "ongoing": {"kind", "started_by", "ended_by", "for_days"},
    "age": {"kind", "under_days"},
    "state": {"kind", "state"},
    "worsened": {"kind", "measure", "within_days"},
    "weight": {"kind", "events", "within_days", "at_least", "kind_weights", "rising_days"},
}
_REQUIRED_KEYS = {
    "count": {"events"},
    "none": {"events", "within_days"},
    "ongoing": {"started_by", "ended_by"},
    "age": {"under_days"},
    "state": {"state"},
    "worsened": {"measure", "within_days"},
    "weight": {"events", "within_days", "at_least"},
}


def _condition(cond: Any, where: str, problems: list[str]) -> Condition | None:
    if not isinstance(cond, dict) or cond.get("kind") not in KINDS:
        problems.append(f'{where} must have a "kind": one of {", ".join(KINDS)}')
        return None
    kind = cond["kind"]
    unknown = set(cond) - _ALLOWED_KEYS[kind]
    missing = _REQUIRED_KEYS[kind] - set(cond)
    before = len(problems)
    if unknown:
        problems.append(f"{where} ({kind}) does not take {', '.join(sorted(unknown))}")
    if missing:
        problems.append(f"{where} ({kind}) needs {', '.join(sorted(missing))}")
    if len(problems) > before:
        return None
    values: dict[str, Any] = {"kind": kind}
    if "events" in cond:
        values["events"] = _codes(cond["events"], f"{where}: events", problems)
    if "started_by" in cond:
        values["events"] = _codes(cond["started_by"], f"{where}: started_by", problems)
    if "ended_by" in cond:
        values["ended_by"] = _codes(cond["ended_by"], f"{where}: ended_by", problems)
    if "within_days" in cond:
        values["within_days"] = _number(
            cond["within_days"], f"{where}: within_days", 1, MAX_DAYS, problems
        )
    if "at_least" in cond:
        values["at_least"] = _number(cond["at_least"], f"{where}: at_least", 1, MAX_COUNT, problems)
    if "for_days" in cond:
        values["for_days"] = _number(cond["for_days"], f"{where}: for_days", 1, MAX_DAYS, problems)
    if "rising_days" in cond:
        values["rising_days"] = _number(
            cond["rising_days"], f"{where}: rising_days", 1, MAX_DAYS, problems
        )
        if values["rising_days"] * 2 > values.get("within_days", MAX_DAYS):
            problems.append(
                f"{where}: rising_days must be at most half of within_days (it compares the "
                "latest span with the one before it, both inside the window)"
            )
    if "kind_weights" in cond:
        values["kind_weights"] = _kind_weights(
            cond["kind_weights"], values.get("events", ()), f"{where}: kind_weights", problems
        )
    if "under_days" in cond:
        values["under_days"] = _number(
            cond["under_days"], f"{where}: under_days", 1, 18 * 366, problems
        )
    if "distinct" in cond:
        if not isinstance(cond["distinct"], str) or cond["distinct"] not in DISTINCT:
            problems.append(f"{where}: distinct must be one of {', '.join(DISTINCT)}")
        values["distinct"] = cond["distinct"]
    if "mentions_any" in cond:
        words = cond["mentions_any"]
        if (
            not isinstance(words, list)
            or not words
            or not all(isinstance(w, str) and w.strip() for w in words)
        ):
            problems.append(f"{where}: mentions_any must be a list of words")
        else:
            values["mentions_any"] = tuple(w.strip().lower() for w in words)
    if "state" in cond:
        if not isinstance(cond["state"], str) or cond["state"] not in STATES:
            problems.append(f"{where}: state must be one of {', '.join(STATES)}")
        values["state"] = cond["state"]
    if "measure" in cond:
        if not isinstance(cond["measure"], str) or cond["measure"] not in MEASURES:
            problems.append(f"{where}: measure must be one of {', '.join(MEASURES)}")
        else:
            values["measure"] = cond["measure"]
            values["events"] = MEASURE_EVENTS.get(cond["measure"], ())
    if len(problems) > before:
        return None
    return Condition(**values)


def _codes(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        problems.append(f"{where} must be a list of chronology event codes")
        return ()
    known = {t.code for t in registry.all_types()}
    unknown = [v for v in value if v not in known]
    if unknown:
        problems.append(f"{where}: no such chronology event: {', '.join(unknown)}")
    return tuple(dict.fromkeys(value))


def _kind_weights(
    value: Any, events: tuple[str, ...], where: str, problems: list[str]
) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict) or not value:
        problems.append(f"{where} must map event codes to whole numbers")
        return ()
    outside = [code for code in value if code not in events]
    if outside:
        problems.append(f"{where}: not among the condition's events: {', '.join(outside)}")
    found = []
    for code, weight in value.items():
        found.append((code, _number(weight, f"{where}: {code}", 1, MAX_KIND_WEIGHT, problems)))
    return tuple(found)


def _number(value: Any, where: str, low: int, high: int, problems: list[str]) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(f"{where} must be a whole number from {low} to {high:,}")
        return low
    return value
