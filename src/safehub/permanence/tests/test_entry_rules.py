"""The court and adoption rules stopped at entry: one test (or two) per rule in
`permanence.entry_rules.RULES`, each refused in plain English with nothing saved."""

import importlib
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safehub.casework.census_rules import all_rules
from safehub.people.models import Person
from safehub.permanence import services
from safehub.permanence.entry_rules import RULES
from safehub.permanence.models import (
    Adopters,
    Adoption,
    Extension,
    Hearing,
    LibertyOrder,
    PermanenceBefore,
    Proceedings,
)

pytestmark = pytest.mark.django_db

ISSUED = date(2026, 6, 1)  # a Monday; the 26 weeks end on Sunday 29 November, held to Friday 27th


def _refused(field: str, words: str, call: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    messages = refused.value.message_dict.get(field, []) if field else refused.value.messages
    assert any(words in m for m in messages), refused.value


def _issue(sw: Any, child: Any, application: str = "care", on: date = ISSUED) -> Proceedings:
    return services.proceedings_issue(
        actor=sw, child=child, application=application, issued_on=on, court="Demoshire Family Court"
    )


def _adopters(sw: Any, approved: date | None = date(2026, 3, 1)) -> Adopters:
    adopters = services.adopters_create(
        actor=sw,
        names="Sam and Alex Carter",
        sexes="MF",
        legal_status="L11",
        enquiry_on=date(2025, 9, 1),
    )
    if approved:
        adopters = services.adopters_approve(
            actor=sw, adopters=adopters, approved_on=approved, expected_version=adopters.version
        )
    return adopters


def test_the_letter_comes_before_the_meeting(sw: Any, child: Any) -> None:
    start = date(2026, 3, 2)

    def pre(letter: Any, meeting: Any) -> Any:
        return lambda: services.pre_proceedings_start(
            actor=sw, child=child, started_on=start, letter_sent=letter, meeting_held=meeting
        )

    _refused("letter_sent", "before pre-proceedings began", pre(date(2026, 3, 1), None))
    _refused("meeting_held", "letter before proceedings", pre(None, date(2026, 3, 20)))
    _refused("meeting_held", "before the letter", pre(date(2026, 3, 10), date(2026, 3, 9)))
    assert not Proceedings.objects.exists()
    made = pre(date(2026, 3, 10), date(2026, 3, 24))()
    assert (made.letter_sent, made.meeting_held) == (date(2026, 3, 10), date(2026, 3, 24))


def test_one_set_of_proceedings_at_a_time(sw: Any, child: Any) -> None:
    services.pre_proceedings_start(actor=sw, child=child, started_on=date(2026, 5, 1))
    _refused(
        "",
        "already has pre-proceedings",
        lambda: services.pre_proceedings_start(actor=sw, child=child, started_on=date(2026, 5, 2)),
    )
    _refused(
        "issued_on", "before pre-proceedings began", lambda: _issue(sw, child, on=date(2026, 4, 30))
    )
    proceedings = _issue(sw, child)
    assert proceedings.pre_outcome == "issued"  # the same record, pre-proceedings ended by issue
    _refused("", "already has proceedings issued", lambda: _issue(sw, child))
    assert Proceedings.objects.count() == 1


def test_court_steps_need_the_application_and_come_after_it(sw: Any, child: Any) -> None:
    pre = services.pre_proceedings_start(actor=sw, child=child, started_on=date(2026, 5, 1))
    _refused(
        "",
        "Record the application first",
        lambda: services.hearing_record(
            actor=sw, proceedings=pre, held_on=date(2026, 6, 2), kind="cmh", interim_order="none"
        ),
    )
    proceedings = _issue(sw, child)
    _refused(
        "held_on",
        "before the application was issued",
        lambda: services.hearing_record(
            actor=sw,
            proceedings=proceedings,
            held_on=date(2026, 5, 29),
            kind="cmh",
            interim_order="none",
        ),
    )
    _refused(
        "made_on",
        "before the application was issued",
        lambda: services.final_order_record(
            actor=sw, proceedings=proceedings, made_on=date(2026, 5, 29), order="care"
        ),
    )
    _refused(
        "kind",
        "as the final order",
        lambda: services.hearing_record(
            actor=sw,
            proceedings=proceedings,
            held_on=date(2026, 6, 2),
            kind="final",
            interim_order="none",
        ),
    )
    assert not Hearing.objects.exists()
    services.final_order_record(
        actor=sw, proceedings=proceedings, made_on=date(2026, 11, 2), order="care"
    )
    _refused(
        "",
        "ended with a final order",
        lambda: services.hearing_record(
            actor=sw,
            proceedings=proceedings,
            held_on=date(2026, 11, 3),
            kind="cmh",
            interim_order="none",
        ),
    )


def test_an_extension_is_at_most_eight_weeks_and_has_a_reason(sw: Any, child: Any) -> None:
    proceedings = _issue(sw, child)
    assert proceedings.timetable_ends == date(2026, 11, 27)

    def extend(to: date, reason: str = "Expert report on the mother's capacity is late") -> Any:
        return lambda: services.timetable_extend(
            actor=sw,
            proceedings=proceedings,
            granted_on=date(2026, 11, 2),
            new_end=to,
            reason=reason,
        )

    _refused("new_end", "at most eight weeks", extend(date(2027, 1, 23)))
    _refused("new_end", "must be after the current end", extend(date(2026, 11, 27)))
    _refused("reason", "Enter why", extend(date(2027, 1, 22), reason="  "))
    assert not Extension.objects.exists()
    extend(date(2027, 1, 22))()
    proceedings.refresh_from_db()
    assert proceedings.timetable_ends == date(2027, 1, 22)


def test_a_care_order_needs_an_application_for_one(sw: Any, child: Any) -> None:
    proceedings = _issue(sw, child, application="supervision")
    _refused(
        "interim_order",
        "application for a care order",
        lambda: services.hearing_record(
            actor=sw,
            proceedings=proceedings,
            held_on=date(2026, 6, 3),
            kind="interim",
            interim_order="ico",
        ),
    )
    _refused(
        "order",
        "application for a care order",
        lambda: services.final_order_record(
            actor=sw, proceedings=proceedings, made_on=date(2026, 11, 2), order="care"
        ),
    )
    services.final_order_record(
        actor=sw, proceedings=proceedings, made_on=date(2026, 11, 2), order="supervision"
    )
    epo = _issue(sw, child, application="epo", on=date(2026, 11, 16))
    _refused(
        "order",
        "without a final order",
        lambda: services.final_order_record(
            actor=sw, proceedings=epo, made_on=date(2026, 11, 20), order="no_order"
        ),
    )


def test_deprivation_of_liberty_orders_one_at_a_time_for_children(sw: Any, child: Any) -> None:
    def order(made: date, review: date) -> Any:
        return lambda: services.liberty_order_record(
            actor=sw, child=child, made_on=made, review_by=review, court="High Court"
        )

    _refused("review_by", "after the order was made", order(date(2026, 9, 1), date(2026, 9, 1)))
    Person.objects.filter(pk=child.pk).update(date_of_birth=date(2008, 6, 10))
    child.refresh_from_db()
    _refused("made_on", "was 18 on 10 June 2026", order(date(2026, 9, 1), date(2026, 12, 1)))
    Person.objects.filter(pk=child.pk).update(date_of_birth=date(2012, 6, 10))
    child.refresh_from_db()
    assert not LibertyOrder.objects.exists()
    first = order(date(2026, 9, 1), date(2026, 12, 1))()
    _refused("", "still running", order(date(2026, 10, 1), date(2027, 1, 1)))
    _refused(
        "ended_on",
        "before the order was made",
        lambda: services.liberty_order_end(actor=sw, order=first, ended_on=date(2026, 8, 1)),
    )
    services.liberty_order_end(actor=sw, order=first, ended_on=date(2026, 10, 1))
    _refused("made_on", "before the last one ended", order(date(2026, 9, 30), date(2027, 1, 1)))
    order(date(2026, 10, 1), date(2027, 1, 4))()
    assert LibertyOrder.objects.count() == 2


def test_adopters_legal_status_fits_their_genders(sw: Any) -> None:
    def add(sexes: str, status: str) -> Any:
        return lambda: services.adopters_create(
            actor=sw,
            names="A and B Jones",
            sexes=sexes,
            legal_status=status,
            enquiry_on=date(2026, 1, 5),
        )

    _refused("legal_status", "does not fit", add("MM", "L11"))  # 520
    _refused("legal_status", "does not fit", add("FF", "L3"))  # 517
    _refused("legal_status", "does not fit", add("MF", "L4"))  # 518
    _refused("legal_status", "does not fit", add("MF", "L12"))  # 524
    _refused("legal_status", "for two adopters", add("F1", "L2"))
    _refused("sexes", "Select who the adopters are", add("XX", "L0"))
    assert not Adopters.objects.exists()
    assert add("FF", "L12")().number == 2
    assert add("F1", "L0")().number == 1


def test_adoption_steps_need_the_decision_first(sw: Any, child: Any) -> None:
    _refused(
        "",
        "decision that the child should be placed",
        lambda: services.adoption_placement_order(actor=sw, child=child, made_on=date(2026, 5, 1)),
    )  # 553
    adoption = services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 4, 1))
    _refused(
        "made_on",
        "before the decision",
        lambda: services.adoption_placement_order(actor=sw, child=child, made_on=date(2026, 3, 31)),
    )
    _refused(
        "matched_on",
        "before the decision",
        lambda: services.adoption_match(
            actor=sw,
            child=child,
            matched_on=date(2026, 3, 31),
            adopters=_adopters(sw),
            by_foster_carer=False,
        ),
    )
    _refused(
        "reversed_on",
        "before the decision",
        lambda: services.adoption_reverse(
            actor=sw, child=child, reversed_on=date(2026, 3, 31), reason="RD3"
        ),
    )
    adoption.refresh_from_db()
    assert (adoption.placement_order_on, adoption.matched_on, adoption.reversed_on) == (
        None,
        None,
        None,
    )
    _refused(
        "",
        "already has a decision",
        lambda: services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 4, 2)),
    )


def test_adoption_is_for_children_under_18(sw: Any, child: Any) -> None:
    Person.objects.filter(pk=child.pk).update(date_of_birth=date(2008, 6, 10))
    child.refresh_from_db()
    _refused(
        "decided_on",
        "was 18 on 10 June 2026",
        lambda: services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 7, 1)),
    )  # 386
    services.adoption_decide(actor=sw, child=child, decided_on=date(2025, 7, 1))
    services.adoption_placement_order(actor=sw, child=child, made_on=date(2025, 8, 1))
    services.adoption_match(
        actor=sw,
        child=child,
        matched_on=date(2025, 10, 1),
        adopters=_adopters(sw, date(2025, 9, 20)),
        by_foster_carer=True,
    )
    services.adoption_place(actor=sw, child=child, placed_on=date(2025, 11, 1))
    _refused(
        "made_on",
        "was 18 on 10 June 2026",
        lambda: services.adoption_order(actor=sw, child=child, made_on=date(2026, 7, 1)),
    )
    assert Adoption.objects.get().order_on is None


def test_a_match_is_with_approved_adopters(sw: Any, child: Any) -> None:
    services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 4, 1))
    waiting = _adopters(sw, approved=None)
    later = _adopters(sw, approved=date(2026, 7, 1))

    def match(adopters: Any) -> Any:
        return lambda: services.adoption_match(
            actor=sw,
            child=child,
            matched_on=date(2026, 6, 1),
            adopters=adopters,
            by_foster_carer=False,
        )

    _refused("adopters", "were not approved as adopters on 1 June 2026", match(waiting))
    _refused("adopters", "were not approved as adopters on 1 June 2026", match(later))
    assert Adoption.objects.get().matched_on is None
    _refused(
        "",
        "Record the match",
        lambda: services.adoption_place(actor=sw, child=child, placed_on=date(2026, 6, 2)),
    )
    services.adoption_match(
        actor=sw, child=child, matched_on=date(2026, 7, 2), adopters=later, by_foster_carer=False
    )
    _refused(
        "placed_on",
        "before the match",
        lambda: services.adoption_place(actor=sw, child=child, placed_on=date(2026, 7, 1)),
    )


def test_an_adoption_order_comes_after_the_placement(sw: Any, child: Any) -> None:
    services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 1, 5))
    services.adoption_match(
        actor=sw,
        child=child,
        matched_on=date(2026, 4, 1),
        adopters=_adopters(sw),
        by_foster_carer=False,
    )
    _refused(
        "made_on",
        "after the child is placed for adoption",
        lambda: services.adoption_order(actor=sw, child=child, made_on=date(2026, 5, 1)),
    )
    services.adoption_place(actor=sw, child=child, placed_on=date(2026, 5, 4))
    _refused(
        "made_on",
        "before the child was placed",
        lambda: services.adoption_order(actor=sw, child=child, made_on=date(2026, 5, 1)),
    )
    assert services.adoption_order(actor=sw, child=child, made_on=date(2026, 11, 2)).order_on


def test_a_reversal_has_its_reason(sw: Any, child: Any) -> None:
    services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 1, 5))
    _refused(
        "reason",
        "Select why",
        lambda: services.adoption_reverse(
            actor=sw, child=child, reversed_on=date(2026, 6, 1), reason="RD9"
        ),
    )
    assert Adoption.objects.get().reversed_on is None
    services.adoption_reverse(actor=sw, child=child, reversed_on=date(2026, 6, 1), reason="RD2")
    # Reversed, the decision is spent: a new one may be made.
    services.adoption_decide(actor=sw, child=child, decided_on=date(2026, 7, 1))
    assert Adoption.objects.count() == 2


def test_previous_permanence_needs_its_date_unless_not_known(sw: Any, child: Any) -> None:
    def record(kind: str, on: Any) -> Any:
        return lambda: services.previous_permanence_record(actor=sw, child=child, kind=kind, on=on)

    _refused("kind", "Select the previous permanence", record("P9", date(2020, 1, 1)))
    _refused("on", "Enter the date of the order", record("P2", None))
    _refused("on", "before the child was born", record("P2", date(2015, 1, 1)))
    assert not PermanenceBefore.objects.exists()
    assert record("Z1", None)().on is None
    assert record("P2", date(2019, 5, 1))().kind == "P2"
    assert PermanenceBefore.objects.count() == 1


# --- The list and its tests ---------------------------------------------------------------


def test_every_rule_has_its_test() -> None:
    here = globals()
    for rule in RULES:
        for name in rule.tests:
            assert callable(here.get(name)), f"{rule.stops}: no test named {name}"


def test_every_rule_names_the_functions_that_enforce_it() -> None:
    for rule in RULES:
        for where in rule.where:
            module, name = where.split(":")
            assert callable(getattr(importlib.import_module(module), name)), where


def test_the_rules_are_in_the_census_rules_doc() -> None:
    assert set(RULES) <= set(all_rules())
