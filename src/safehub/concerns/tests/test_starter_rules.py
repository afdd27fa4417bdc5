"""Every starter rule: it fires on its facts, not on a near miss, never twice on the same
facts; new facts update the open or recent alert (ADR 0034) or, later, raise a new one; and
a replay as of an earlier day sees only what was known then.
Facts arrive through `chronology_append`, so the live hook is what raises the alerts."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import make_person

from safehub.concerns import selectors
from safehub.concerns.models import Alert, ConcernRule
from safehub.concerns.parsing import parse_definition
from safehub.concerns.services import concern_evaluate
from safehub.concerns.tests.conftest import at, put, switch_on
from safehub.neglect.models import NeglectProfile

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


def alerts(person: Any, code: str) -> list[Alert]:
    return list(Alert.objects.filter(person=person, rule__code=code).order_by("pk"))


def replayed(code: str, until: date) -> dict[int, Any]:
    rule = ConcernRule.objects.get(code=code)
    result = selectors.rule_replay(
        code=code, definition=parse_definition(rule.definition), until=at(until, 23)
    )
    return result.firings


def reevaluate(person: Any, day: date) -> None:
    concern_evaluate(person_id=person.pk, as_of=at(day, 23))


def updated(person: Any, code: str, new_fact: Any = None) -> Alert:
    """The child's one alert of the rule, having taken in new facts rather than raising a
    second alert."""
    [alert] = alerts(person, code)
    assert alert.updates >= 1
    if new_fact is not None:
        assert new_fact.pk in alert.fact_ids
    return alert


# --- Three or more agencies, nobody leading ------------------------------------------------


def test_many_agencies_fires_on_the_third_agency(reporters: dict[str, Any]) -> None:
    switch_on("many-agencies-no-plan")
    child = make_person("Lily", "Reed")
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"])
    put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(days=40), reporters["health"])
    assert alerts(child, "many-agencies-no-plan") == []
    third = put(
        child, "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT", D + timedelta(days=90), reporters["police"]
    )
    [alert] = alerts(child, "many-agencies-no-plan")
    assert third.pk in alert.fact_ids
    assert len(alert.fact_ids) == 3
    assert alert.lead_professional is None  # to the MASH, on its own clock
    texts = [finding["text"] for finding in alert.explanation]
    # The kinds found, not every kind the rule counts.
    assert texts[0].startswith(
        "In the 365 days before 30 August 2026, 3 different agencies reported welfare concern "
        "from the designated safeguarding lead, domestic abuse incident: child present, was "
        "not brought to a health appointment. The rule needs at least 3."
    )
    assert "eviction" not in texts[0]
    assert ", 2 different agencies reported" in texts[1]  # closer together: two in 90 days
    assert "no open episode" in texts[2]
    assert "no lead professional" in texts[3]
    # Re-evaluated later on the same facts: nothing new.
    reevaluate(child, D + timedelta(days=100))
    assert len(alerts(child, "many-agencies-no-plan")) == 1
    # New facts: a fourth agency reports, within 90 days of the alert: it is updated.
    fourth = put(child, "PARTNER_EVICTION_NOTICE", D + timedelta(days=120), reporters["housing"])
    assert len(updated(child, "many-agencies-no-plan", fourth).fact_ids) == 4


def test_many_agencies_not_for_one_agency_many_times_nor_spread_over_years(
    reporters: dict[str, Any],
) -> None:
    switch_on("many-agencies-no-plan")
    child = make_person("Lily", "Reed")
    for days in (0, 30, 60, 90):
        put(child, "PARTNER_DSL_WELFARE_CONCERN", D + timedelta(days=days), reporters["school"])
    spread = make_person("Max", "Reed")
    put(spread, "PARTNER_DSL_WELFARE_CONCERN", D - timedelta(days=800), reporters["school"])
    put(spread, "PARTNER_WAS_NOT_BROUGHT", D - timedelta(days=400), reporters["health"])
    put(spread, "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT", D, reporters["police"])
    assert Alert.objects.count() == 0


def test_many_agencies_not_while_a_lead_professional_holds_the_case(
    reporters: dict[str, Any], users: dict[str, Any], people: dict[str, Any]
) -> None:
    from safehub.casework.services import allocate

    switch_on("many-agencies-no-plan")
    child = people["involved"]
    allocate(actor=users["team_manager"], child=child, worker=users["social_worker"])
    day = date(2026, 11, 24)
    for key, code in (
        ("school", "PARTNER_DSL_WELFARE_CONCERN"),
        ("health", "PARTNER_WAS_NOT_BROUGHT"),
        ("police", "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT"),
    ):
        put(child, code, day, reporters[key])
    assert alerts(child, "many-agencies-no-plan") == []


def test_many_agencies_replay_as_of(reporters: dict[str, Any]) -> None:
    child = make_person("Lily", "Reed")
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D, reporters["school"])
    put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(days=40), reporters["health"])
    # The police notification happened on day 90 but reached SafeHub on day 95.
    put(
        child,
        "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT",
        D + timedelta(days=90),
        reporters["police"],
        recorded=D + timedelta(days=95),
    )
    assert child.pk not in replayed("many-agencies-no-plan", D + timedelta(days=92))
    [firing] = replayed("many-agencies-no-plan", D + timedelta(days=200))[child.pk]
    assert firing.as_of.date() == D + timedelta(days=95)


# --- A baby under one ----------------------------------------------------------------------


def test_baby_with_an_injury_fires_and_an_older_child_does_not(reporters: dict[str, Any]) -> None:
    switch_on("baby-injury-or-attendances")
    baby = make_person("Ivy", "Cole", D - timedelta(days=120))
    toddler = make_person("Finn", "Cole", D - timedelta(days=500))
    for child in (baby, toddler):
        put(
            child,
            "PARTNER_ED_ATTENDANCE",
            D,
            reporters["health"],
            "Brought in by mother. Reason: bruising to the left cheek.",
        )
    [alert] = alerts(baby, "baby-injury-or-attendances")
    assert "Aged 120 days" in alert.explanation[0]["text"]
    assert alerts(toddler, "baby-injury-or-attendances") == []


def test_baby_attendance_without_injury_needs_a_second(reporters: dict[str, Any]) -> None:
    switch_on("baby-injury-or-attendances")
    baby = make_person("Ivy", "Cole", D - timedelta(days=60))
    put(baby, "PARTNER_UNSCHEDULED_ATTENDANCE", D, reporters["health"], "Reason: high temperature.")
    assert alerts(baby, "baby-injury-or-attendances") == []
    reevaluate(baby, D + timedelta(days=3))
    assert alerts(baby, "baby-injury-or-attendances") == []
    put(baby, "PARTNER_ED_ATTENDANCE", D + timedelta(days=20), reporters["health"], "Reason: rash.")
    assert len(alerts(baby, "baby-injury-or-attendances")) == 1
    reevaluate(baby, D + timedelta(days=25))
    assert len(alerts(baby, "baby-injury-or-attendances")) == 1
    third = put(
        baby, "PARTNER_ED_ATTENDANCE", D + timedelta(days=50), reporters["health"], "Reason: cough."
    )
    updated(baby, "baby-injury-or-attendances", third)
    firings = replayed("baby-injury-or-attendances", D + timedelta(days=30))[baby.pk]
    assert [f.as_of.date() for f in firings] == [D + timedelta(days=20)]


# --- Not brought, absent, domestic abuse ---------------------------------------------------


def test_not_brought_absent_and_domestic_abuse(reporters: dict[str, Any]) -> None:
    code = "not-brought-absent-domestic-abuse"
    switch_on(code)
    child = make_person("Rosa", "Lane")
    put(child, "PARTNER_WAS_NOT_BROUGHT", D, reporters["health"])
    put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(days=30), reporters["health"])
    put(child, "PARTNER_PERSISTENT_ABSENCE", D + timedelta(days=60), reporters["school"])
    assert alerts(child, code) == []  # no domestic abuse yet: a near miss
    put(
        child,
        "PARTNER_DOMESTIC_ABUSE_CHILD_IN_HOUSEHOLD",
        D + timedelta(days=90),
        reporters["police"],
    )
    [alert] = alerts(child, code)
    assert len(alert.fact_ids) == 4
    reevaluate(child, D + timedelta(days=91))
    assert len(alerts(child, code)) == 1
    again = put(child, "PARTNER_WAS_NOT_BROUGHT", D + timedelta(days=100), reporters["health"])
    updated(child, code, again)
    assert child.pk not in replayed(code, D + timedelta(days=89))
    [firing] = replayed(code, D + timedelta(days=150))[child.pk]
    assert firing.updates == 1
    assert again.pk in firing.fact_ids


def test_not_brought_once_is_not_repeated(reporters: dict[str, Any]) -> None:
    code = "not-brought-absent-domestic-abuse"
    switch_on(code)
    child = make_person("Rosa", "Lane")
    put(child, "PARTNER_WAS_NOT_BROUGHT", D, reporters["health"])
    put(child, "PARTNER_PERSISTENT_ABSENCE", D, reporters["school"])
    put(child, "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT", D, reporters["police"])
    assert alerts(child, code) == []


# --- Repeat contacts -----------------------------------------------------------------------


def test_three_no_further_action_decisions_in_a_year(users: dict[str, Any]) -> None:
    code = "repeat-contacts"
    switch_on(code)
    child = make_person("Theo", "Ward")
    mash = users["mash_worker"]
    decision = "MASH decision on contact C-{}: No further action"
    put(child, "CONTACT_DECISION", D, mash, decision.format(1))
    put(child, "CONTACT_DECISION", D + timedelta(days=100), mash, decision.format(2))
    put(child, "CONTACT_DECISION", D + timedelta(days=150), mash, "MASH decision: Early help")
    assert alerts(child, code) == []
    put(child, "CONTACT_DECISION", D + timedelta(days=200), mash, decision.format(3))
    [alert] = alerts(child, code)
    assert len(alert.fact_ids) == 3
    reevaluate(child, D + timedelta(days=210))
    assert len(alerts(child, code)) == 1
    fourth = put(child, "CONTACT_DECISION", D + timedelta(days=250), mash, decision.format(4))
    updated(child, code, fourth)
    assert child.pk not in replayed(code, D + timedelta(days=199))


def test_contacts_from_two_referrers_within_six_months(
    reporters: dict[str, Any], users: dict[str, Any]
) -> None:
    code = "repeat-contacts"
    switch_on(code)
    child = make_person("Theo", "Ward")
    put(child, "CONTACT_RECEIVED", D, reporters["school"], "Contact from a school")
    put(child, "CONTACT_RECEIVED", D + timedelta(days=30), reporters["school"], "Again")
    assert alerts(child, code) == []  # the same referrer twice
    put(
        child,
        "CONTACT_RECEIVED",
        D + timedelta(days=60),
        users["mash_worker"],
        "Contact from a neighbour",
        done_by=None,
        done_by_label="A neighbour",
    )
    [alert] = alerts(child, code)
    assert "2 different referrers" in alert.explanation[0]["text"]
    later = make_person("Zara", "Ward")
    put(later, "CONTACT_RECEIVED", D, reporters["school"])
    put(later, "CONTACT_RECEIVED", D + timedelta(days=200), reporters["health"])
    assert alerts(later, code) == []  # more than six months apart


# --- Missing and exploitation --------------------------------------------------------------


def test_missing_three_times_in_ninety_days(reporters: dict[str, Any]) -> None:
    code = "missing-or-exploitation"
    switch_on(code)
    child = make_person("Kai", "Moss", date(2010, 3, 1))
    police = reporters["police"]
    put(child, "PARTNER_MISSING_EPISODE", D, police)
    put(child, "PARTNER_MISSING_EPISODE", D + timedelta(days=50), police)
    put(child, "PARTNER_MISSING_EPISODE", D + timedelta(days=50), police)  # the same night
    assert alerts(child, code) == []
    put(child, "PARTNER_MISSING_EPISODE", D + timedelta(days=85), police)
    assert len(alerts(child, code)) == 1
    reevaluate(child, D + timedelta(days=86))
    assert len(alerts(child, code)) == 1
    intelligence = put(child, "PARTNER_EXPLOITATION_INTELLIGENCE", D + timedelta(days=120), police)
    updated(child, code, intelligence)
    spread = make_person("Ben", "Moss", date(2010, 3, 1))
    for days in (0, 60, 120):
        put(spread, "PARTNER_MISSING_EPISODE", D + timedelta(days=days), police)
    assert alerts(spread, code) == []
    assert [f.as_of.date() for f in replayed(code, D + timedelta(days=100))[child.pk]] == [
        D + timedelta(days=85)
    ]


# --- Home-educated, unseen ------------------------------------------------------------------


def test_home_educated_child_unseen_for_six_months(reporters: dict[str, Any]) -> None:
    code = "home-educated-unseen"
    switch_on(code)
    child = make_person("Eli", "Park", date(2014, 1, 1))
    put(child, "PARTNER_DSL_WELFARE_CONCERN", D - timedelta(days=300), reporters["school"])
    put(child, "PARTNER_EHE_REGISTERED", D, reporters["school"])
    assert alerts(child, code) == []
    reevaluate(child, D + timedelta(days=150))
    assert alerts(child, code) == []  # not six months yet
    reevaluate(child, D + timedelta(days=190))
    [alert] = alerts(child, code)
    assert "Registered for elective home education" in alert.explanation[0]["text"]
    reevaluate(child, D + timedelta(days=250))
    assert len(alerts(child, code)) == 1
    # The replay finds the day the six months ran out, with no event on it.
    [firing] = replayed(code, D + timedelta(days=250))[child.pk]
    assert firing.as_of.date() == D + timedelta(days=183)
    # A child seen by the health visitor, or with no earlier concern, is not flagged.
    seen = make_person("Ada", "Park", date(2014, 1, 1))
    put(seen, "PARTNER_DSL_WELFARE_CONCERN", D - timedelta(days=300), reporters["school"])
    put(seen, "PARTNER_EHE_REGISTERED", D, reporters["school"])
    put(seen, "PARTNER_HEALTH_VISITOR_CONTACT", D + timedelta(days=100), reporters["health"])
    quiet = make_person("Bo", "Park", date(2014, 1, 1))
    put(quiet, "PARTNER_EHE_REGISTERED", D, reporters["school"])
    for other in (seen, quiet):
        reevaluate(other, D + timedelta(days=190))
        assert alerts(other, code) == []
    # A new registration after a return to school is a new fact.
    put(child, "PARTNER_EHE_ENDED", D + timedelta(days=260), reporters["school"])
    put(child, "PARTNER_EHE_REGISTERED", D + timedelta(days=300), reporters["school"])
    reevaluate(child, D + timedelta(days=490))
    updated(child, code)  # the first alert is still open: it takes the new facts in


# --- Neglect getting worse ------------------------------------------------------------------


def _profile_completed(child: Any, score: int, day: date, by: Any) -> None:
    from safehub.neglect.models import ProfileTemplate

    template = ProfileTemplate.objects.first()
    if template is None:
        template = ProfileTemplate.objects.create(
            name="Test",
            version="1",
            licence_note="-",
            area_roll_up="mean",
            overall_roll_up="mean",
            digest="x",
        )
    profile = NeglectProfile.objects.create(
        child=child,
        template=template,
        started_by=by,
        status="completed",
        overall_score=score,
        completed_by=by,
        completed_on=day,
    )
    put(child, "NEGLECT_PROFILE_COMPLETED", day, by, f"Overall grade {score}", source=profile)


def test_neglect_profile_worse_than_the_one_before(users: dict[str, Any]) -> None:
    code = "neglect-worsening"
    switch_on(code)
    child = make_person("Mia", "Holt")
    worker = users["social_worker"]
    _profile_completed(child, 2, D, worker)
    _profile_completed(child, 2, D + timedelta(days=90), worker)
    assert alerts(child, code) == []  # the same grade is not worse
    _profile_completed(child, 3, D + timedelta(days=180), worker)
    [alert] = alerts(child, code)
    assert "went from 2" in alert.explanation[0]["text"]
    assert "to 3" in alert.explanation[0]["text"]
    reevaluate(child, D + timedelta(days=200))
    assert len(alerts(child, code)) == 1
    _profile_completed(child, 4, D + timedelta(days=270), worker)
    assert updated(child, code).updates == 1  # still open: the worse grade is added to it
    _profile_completed(child, 2, D + timedelta(days=360), worker)
    assert updated(child, code).updates == 1  # better is not worse
    assert child.pk not in replayed(code, D + timedelta(days=179))
    # The replay assumes each alert is worked within 90 days: the second worsening, 90 days
    # after the first alert, raises a new one.
    assert len(replayed(code, D + timedelta(days=400))[child.pk]) == 2


def test_a_second_alternative_coming_true_is_new(users: dict[str, Any], reporters) -> None:
    """Three no-further-action decisions raised an alert; a contact from a second referrer
    later makes the rule's other alternative true as well: that is new, and explained."""
    code = "repeat-contacts"
    switch_on(code)
    child = make_person("Theo", "Ward")
    decision = "MASH decision on contact C-{}: No further action"
    for n, days in enumerate((0, 100, 200)):
        put(
            child,
            "CONTACT_DECISION",
            D + timedelta(days=days),
            users["mash_worker"],
            decision.format(n),
        )
    assert len(alerts(child, code)) == 1
    put(child, "CONTACT_RECEIVED", D + timedelta(days=210), reporters["school"])
    assert len(alerts(child, code)) == 1  # one referrer: the second alternative is not true
    put(child, "CONTACT_RECEIVED", D + timedelta(days=220), reporters["health"])
    second = updated(child, code)
    texts = [f["text"] for f in second.explanation]
    assert texts[0].startswith("3 entries")
    assert texts[1].endswith(
        "2 different referrers reported contact received at the front door. The rule needs "
        "at least 2."
    )
