"""A concern rule's definition read out in plain English, for the people who decide whether
to switch it on and the people who receive its alerts: what it looks for, condition by
condition, with the kinds of chronology entry it counts by their names, not their codes.

Pure: works on the parsed definition (`parsing.parse_definition`), so what it says is what
the engine evaluates.
"""

from __future__ import annotations

from dataclasses import dataclass

from safehub.chronology import registry
from safehub.concerns.engine import in_sentence
from safehub.concerns.parsing import MEASURES, STATES, Condition, Definition

SIGNIFICANCE_WEIGHTS = "low 1, medium 2, high 3, critical 4"


@dataclass(frozen=True)
class Clause:
    """One condition: a sentence, and the kinds of entry it reads (shown as a list)."""

    text: str
    kinds: tuple[str, ...] = ()


def describe(definition: Definition) -> list[list[Clause]]:
    """One list of clauses per alternative: the rule fires when every clause of any one
    alternative holds on the day."""
    return [[_clause(c) for c in alternative] for alternative in definition.alternatives]


def label(code: str) -> str:
    return registry.get(code).label


def _clause(condition: Condition) -> Clause:
    # Both vocabularies can name the same kind ("Emergency department attendance"): once.
    kinds = tuple(dict.fromkeys(label(code) for code in condition.events))
    if condition.kind == "count":
        return Clause(_count(condition), kinds)
    if condition.kind == "weight":
        return Clause(_weight(condition), kinds)
    if condition.kind == "none":
        return Clause(f"No entry of these kinds {_window(condition)}.", kinds)
    if condition.kind == "ongoing":
        return Clause(_ongoing(condition))
    if condition.kind == "age":
        return Clause(f"The child is younger than {_days(condition.under_days)}.")
    if condition.kind == "state":
        return Clause(f"On the day, there is {STATES[condition.state]}.")
    return Clause(
        f"Of the last two scores {_window(condition)} for the {MEASURES[condition.measure]}, "
        "the later is worse than the earlier."
    )


def _count(condition: Condition) -> str:
    n = condition.at_least
    if condition.distinct == "agency":
        agencies = _n(n, "different agency", "different agencies")
        text = f"Entries of these kinds from at least {agencies}"
    elif condition.distinct == "referrer":
        text = f"Entries of these kinds from at least {_n(n, 'referrer', 'different referrers')}"
    elif condition.distinct == "day":
        text = f"Entries of these kinds on at least {_n(n, 'day', 'separate days')}"
    else:
        text = f"At least {_n(n, 'entry', 'entries')} of these kinds"
    text += f" {_window(condition)}"
    if condition.mentions_any:
        words = " or ".join(f"“{w}”" for w in condition.mentions_any)
        text += f", counting only entries whose summary mentions {words}"
    return text + "."


def _weight(condition: Condition) -> str:
    text = (
        f"Entries of these kinds {_window(condition)} weighing at least {condition.at_least} "
        f"together. Each weighs the significance its sender gave it ({SIGNIFICANCE_WEIGHTS})"
    )
    heavier = [
        f"{in_sentence(label(code))} {times} times" for code, times in condition.kind_weights
    ]
    if heavier:
        text += f", and some kinds count more: {', '.join(heavier)}"
    text += "."
    if condition.rising_days:
        span = _days(condition.rising_days)
        text += (
            f" More of the weight came in the last {span} than in the {span} before them: "
            "the concerns are coming closer together."
        )
    return text


def _ongoing(condition: Condition) -> str:
    started = " or ".join(f"“{label(code)}”" for code in condition.events)
    ended = " or ".join(f"“{label(code)}”" for code in condition.ended_by)
    text = f"An entry {started}, with no {ended} after it"
    if condition.for_days:
        text += f", made at least {_days(condition.for_days)} ago"
    return text + "."


def _window(condition: Condition) -> str:
    if condition.within_days is None:
        return "at any time on the chronology"
    return f"in the last {_days(condition.within_days)}"


def _days(days: int) -> str:
    return _n(days, "day", "days")


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"
