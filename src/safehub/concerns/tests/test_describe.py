"""A rule read out in plain English says what the engine evaluates: each kind of condition
in its own words, its numbers and windows as written, its kinds of entry by name."""

from typing import Any

import pytest

from safehub.concerns.describe import describe
from safehub.concerns.parsing import parse_definition
from safehub.concerns.starter_rules import STARTER_RULES


def _one(condition: dict[str, Any], *others: dict[str, Any]) -> list[str]:
    """The sentences of a one-alternative rule (with a count beside a lone state)."""
    [alternative] = describe(parse_definition({"any_of": [{"all_of": [condition, *others]}]}))
    return [clause.text for clause in alternative]


DA = ["PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT"]
COUNT = {"kind": "count", "events": DA, "at_least": 1}


def test_a_count_by_entries_agencies_referrers_and_days() -> None:
    assert _one({"kind": "count", "events": DA, "within_days": 90, "at_least": 3}) == [
        "At least 3 entries of these kinds in the last 90 days."
    ]
    assert _one({**COUNT, "at_least": 2, "within_days": 365, "distinct": "agency"}) == [
        "Entries of these kinds from at least 2 different agencies in the last 365 days."
    ]
    assert _one({**COUNT, "at_least": 2, "within_days": 183, "distinct": "referrer"}) == [
        "Entries of these kinds from at least 2 different referrers in the last 183 days."
    ]
    assert _one({**COUNT, "at_least": 3, "within_days": 90, "distinct": "day"}) == [
        "Entries of these kinds on at least 3 separate days in the last 90 days."
    ]
    assert _one(COUNT) == ["At least 1 entry of these kinds at any time on the chronology."]


def test_a_count_of_entries_that_mention_words() -> None:
    condition = {**COUNT, "within_days": 1, "mentions_any": ["fractur", "burn"]}
    assert _one(condition) == [
        "At least 1 entry of these kinds in the last 1 day, counting only entries whose "
        "summary mentions “fractur” or “burn”."
    ]


def test_a_weight_with_heavier_kinds_and_a_rising_span() -> None:
    condition = {
        "kind": "weight",
        "events": [*DA, "PARTNER_WAS_NOT_BROUGHT"],
        "within_days": 365,
        "at_least": 6,
        "kind_weights": {DA[0]: 2},
        "rising_days": 91,
    }
    [text] = _one(condition)
    assert text.startswith("Entries of these kinds in the last 365 days weighing at least 6 ")
    assert "(low 1, medium 2, high 3, critical 4)" in text
    assert "some kinds count more: domestic abuse incident: child present 2 times." in text
    assert "More of the weight came in the last 91 days than in the 91 days before them" in text
    plain = {k: v for k, v in condition.items() if k not in ("kind_weights", "rising_days")}
    assert "count more" not in _one(plain)[0]
    assert "More of the weight" not in _one(plain)[0]


def test_states_age_quiet_spells_ongoing_and_worsening() -> None:
    assert _one(COUNT, {"kind": "state", "state": "no_lead_professional"})[1] == (
        "On the day, there is no lead professional allocated."
    )
    assert _one(COUNT, {"kind": "age", "under_days": 365})[1] == (
        "The child is younger than 365 days."
    )
    quiet = {"kind": "none", "events": ["VISIT"], "within_days": 183}
    assert _one(COUNT, quiet)[1] == "No entry of these kinds in the last 183 days."
    ongoing = {
        "kind": "ongoing",
        "started_by": ["PARTNER_EHE_REGISTERED"],
        "ended_by": ["PARTNER_EHE_ENDED"],
        "for_days": 183,
    }
    [text] = _one(ongoing)
    assert text.startswith("An entry “")
    assert ", made at least 183 days ago." in text
    worse = {"kind": "worsened", "measure": "neglect_overall", "within_days": 730}
    assert _one(worse) == [
        "Of the last two scores in the last 730 days for the overall neglect profile grade "
        "(1 best, 5 worst), the later is worse than the earlier."
    ]


def test_kinds_are_named_once_each_in_the_rules_order() -> None:
    both_vocabularies = ["PARTNER_ED_ATTENDANCE", "EMERGENCY_DEPARTMENT_ATTENDANCE"]
    [[clause]] = describe(
        parse_definition({"any_of": [{"all_of": [{**COUNT, "events": both_vocabularies}]}]})
    )
    assert clause.kinds == ("Emergency department attendance",)
    [[clause]] = describe(
        parse_definition({"any_of": [{"all_of": [{**COUNT, "events": ["VISIT", *DA]}]}]})
    )
    assert clause.kinds == ("Statutory visit", "Domestic abuse incident: child present")


@pytest.mark.parametrize("rule", STARTER_RULES, ids=lambda r: r["code"])
def test_every_starter_rule_reads_out_every_condition(rule: dict[str, Any]) -> None:
    described = describe(parse_definition(rule["definition"]))
    alternatives = rule["definition"]["any_of"]
    assert [len(a) for a in described] == [len(a["all_of"]) for a in alternatives]
    for alternative in described:
        for clause in alternative:
            assert clause.text.endswith(".")
            assert "_" not in clause.text  # no codes, only names


def test_labels_read_mid_sentence_keep_initialisms() -> None:
    from safehub.concerns.engine import in_sentence

    assert in_sentence("Persistent absence") == "persistent absence"
    assert in_sentence("GP concern") == "GP concern"
    assert in_sentence("MASH decision") == "MASH decision"
    assert in_sentence("") == ""


def test_a_finding_names_each_kind_once() -> None:
    from datetime import datetime

    from safehub.concerns.engine import Child, evaluate
    from safehub.core.workdays import LONDON

    seen = ["PARTNER_HEALTH_VISITOR_CONTACT", "HEALTH_VISITOR_CONTACT", "GP_CONCERN"]
    definition = parse_definition(
        {
            "any_of": [
                {
                    "all_of": [
                        {
                            "kind": "ongoing",
                            "started_by": ["PARTNER_EHE_REGISTERED"],
                            "ended_by": ["PARTNER_EHE_ENDED"],
                        },
                        {"kind": "none", "events": seen, "within_days": 30},
                    ]
                }
            ]
        }
    )
    from safehub.concerns.engine import Fact

    registered = Fact(
        entry_id=1,
        event_type="PARTNER_EHE_REGISTERED",
        occurred_at=datetime(2026, 1, 5, tzinfo=LONDON),
        known_at=datetime(2026, 1, 5, tzinfo=LONDON),
        summary="",
    )
    firing = evaluate(
        definition, Child(person_id=1, facts=[registered]), datetime(2026, 6, 1, tzinfo=LONDON)
    )
    assert firing is not None
    quiet = firing.explanation[1].text
    assert "(health visitor contact, GP concern)" in quiet
