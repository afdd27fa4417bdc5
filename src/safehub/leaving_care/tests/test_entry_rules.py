"""The care leaver errors stopped at entry: one test (or two) per rule in
`leaving_care.entry_rules.RULES`, each refused in plain English with nothing saved."""

import importlib
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safehub.casework.census_rules import all_rules
from safehub.leaving_care import services
from safehub.leaving_care.entry_rules import RULES
from safehub.leaving_care.models import BirthdayRecord, PathwayPlan, StayingPut
from safehub.leaving_care.tests.conftest import BORN, looked_after
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

IN_WINDOW = date(2026, 9, 1)  # two weeks before the 19th birthday
ANSWERS = {"in_touch": "YES", "accommodation": "U", "suitable": True, "activity": "F5"}


def _refused(field: str, words: str, call: Any) -> None:
    with pytest.raises(ValidationError) as refused:
        call()
    messages = refused.value.message_dict.get(field, []) if field else refused.value.messages
    assert any(words in m for m in messages), refused.value


def _birthday(sw: Any, child: Any, age: int = 19, on: date = IN_WINDOW, **answers: Any) -> Any:
    return services.birthday_record(
        actor=sw, child=child, age=age, contact_date=on, **{**ANSWERS, **answers}
    )


def test_a_birthday_record_is_refused_for_a_young_person_who_does_not_qualify(
    people: Any, sw: Any
) -> None:
    child = people["involved"]
    Person.objects.filter(pk=child.pk).update(date_of_birth=BORN)
    child.refresh_from_db()
    # Six weeks in care at 16: qualifying for advice, but not asked about in the OC3.
    looked_after(child, sw, date(2023, 10, 1), date(2023, 11, 12))
    _refused("age", "not looked after for 13 weeks", lambda: _birthday(sw, child))
    assert not BirthdayRecord.objects.exists()


def test_a_birthday_record_is_for_the_17th_to_21st_birthday_once_each(leaver: Any, sw: Any) -> None:
    _refused("age", "between the 17th and the 21st", lambda: _birthday(sw, leaver, age=22))
    _refused("age", "between the 17th and the 21st", lambda: _birthday(sw, leaver, age=16))
    _birthday(sw, leaver)
    _refused("age", "already recorded", lambda: _birthday(sw, leaver))
    assert BirthdayRecord.objects.count() == 1


def test_in_touch_needs_accommodation_suitability_and_activity(leaver: Any, sw: Any) -> None:
    _refused(
        "suitable",
        "whether the accommodation is suitable",
        lambda: _birthday(sw, leaver, suitable=None),
    )
    _refused("accommodation", "accommodation", lambda: _birthday(sw, leaver, accommodation=""))
    _refused(
        "activity", "what the young person is doing", lambda: _birthday(sw, leaver, activity="")
    )
    assert not BirthdayRecord.objects.exists()
    record = _birthday(sw, leaver, suitable=False)
    assert (record.accommodation, record.suitable, record.activity) == ("U", False, "F5")


def test_not_in_touch_records_no_accommodation_or_activity(leaver: Any, sw: Any) -> None:
    _refused(
        "",
        "Leave the accommodation and activity blank",
        lambda: _birthday(sw, leaver, in_touch="NO"),
    )
    assert not BirthdayRecord.objects.exists()
    record = _birthday(sw, leaver, in_touch="NO", accommodation="", suitable=None, activity="")
    assert (record.in_touch, record.accommodation, record.suitable) == ("NO", "", None)


def test_codes_come_from_the_closed_lists(leaver: Any, sw: Any) -> None:
    _refused(
        "in_touch",
        "whether the council is in touch",
        lambda: _birthday(sw, leaver, in_touch="MAYBE"),
    )
    _refused("accommodation", "accommodation", lambda: _birthday(sw, leaver, accommodation="Q"))
    _refused("activity", "doing", lambda: _birthday(sw, leaver, activity="F9"))
    assert not BirthdayRecord.objects.exists()


def test_a_birthday_record_dated_before_the_window_is_refused(leaver: Any, sw: Any) -> None:
    # The 19th birthday is 15 September 2026: the window opens on 15 June.
    _refused(
        "contact_date",
        "on or after 15 June 2026",
        lambda: _birthday(sw, leaver, on=date(2026, 6, 14)),
    )
    _refused(
        "contact_date", "today or in the past", lambda: _birthday(sw, leaver, on=date(2026, 12, 1))
    )
    assert not BirthdayRecord.objects.exists()
    assert _birthday(sw, leaver, on=date(2026, 6, 15)).contact_date == date(2026, 6, 15)


def test_a_pathway_plan_before_the_16th_birthday_is_refused(leaver: Any, sw: Any) -> None:
    _refused(
        "plan_date",
        "before the young person's 16th birthday (15 September 2023)",
        lambda: services.pathway_plan_record(
            actor=sw, child=leaver, plan_date=date(2023, 9, 14), content="Plan"
        ),
    )
    assert not PathwayPlan.objects.exists()
    services.pathway_plan_record(
        actor=sw, child=leaver, plan_date=date(2023, 9, 15), content="Plan"
    )


def test_a_pathway_plan_is_for_an_eligible_relevant_or_former_relevant_young_person(
    people: Any, sw: Any
) -> None:
    child = people["involved"]
    Person.objects.filter(pk=child.pk).update(date_of_birth=BORN)
    child.refresh_from_db()
    looked_after(child, sw, date(2023, 10, 1), date(2023, 11, 12))  # qualifying only
    _refused(
        "plan_date",
        "not an eligible, relevant or former relevant care leaver",
        lambda: services.pathway_plan_record(
            actor=sw, child=child, plan_date=date(2026, 1, 5), content="Plan"
        ),
    )
    assert not PathwayPlan.objects.exists()


def test_staying_put_starts_at_18_and_one_at_a_time(leaver: Any, sw: Any) -> None:
    _refused(
        "start_date",
        "on or after the 18th birthday (15 September 2025)",
        lambda: services.staying_put_start(
            actor=sw, child=leaver, carer_name="Ms Birch", start_date=date(2025, 9, 14)
        ),
    )
    assert not StayingPut.objects.exists()
    services.staying_put_start(
        actor=sw, child=leaver, carer_name="Ms Birch", start_date=date(2025, 9, 15)
    )
    _refused(
        "",
        "already running",
        lambda: services.staying_put_start(
            actor=sw, child=leaver, carer_name="Mr Oak", start_date=date(2025, 10, 1)
        ),
    )
    assert StayingPut.objects.count() == 1


# --- The list and its tests ---------------------------------------------------------------


def test_every_rule_has_its_test_and_names_its_functions() -> None:
    here = globals()
    for rule in RULES:
        assert rule.tests_in == "leaving_care/tests/test_entry_rules.py"
        for name in rule.tests:
            assert callable(here.get(name)), f"{rule.stops}: no test named {name}"
        for where in rule.where:
            module, name = where.split(":")
            assert callable(getattr(importlib.import_module(module), name)), where


def test_the_census_rules_doc_lists_these_rules_too() -> None:
    assert set(RULES) <= set(all_rules())


@pytest.mark.parametrize("retired", ["F3", "P3"])
def test_the_retired_training_or_employment_codes_are_refused(
    leaver: Any, sw: Any, retired: str
) -> None:
    # The DfE withdrew F3/P3 when apprenticeships got codes of their own (F4/P4); the 903
    # would reject them (rule 132), so they are not taken now.
    _refused(
        "activity",
        "what the young person is doing",
        lambda: _birthday(sw, leaver, activity=retired),
    )
    assert not BirthdayRecord.objects.exists()
