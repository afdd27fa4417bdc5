"""Demoshire's care leavers, proceedings and adoptions: as many care leavers as the national
proportion asks (about six for every ten children looked after), their categories worked
out by `leaving_care.eligibility` from the care histories (relevant and former relevant
both there, eligible from the children looked after at 16 and 17), and every record one the
services would have accepted."""

import io
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from safehub.casework.models import DueItem, PeriodOfCare
from safehub.leaving_care.codes import Category
from safehub.leaving_care.eligibility import age_on, category_on, has_birthday_record_at
from safehub.leaving_care.models import BirthdayRecord, CareLeaver
from safehub.leaving_care.services import care_history
from safehub.people.models import Person
from safehub.permanence.models import Adoption, Proceedings
from safehub.permanence.timescales import timetable_end

AS_OF = date(2026, 10, 14)


@pytest.fixture
def seeded(db: Any) -> date:
    with time_machine.travel(datetime.combine(AS_OF, time(9, 30), ZoneInfo("Europe/London"))):
        call_command("seed_demo", "--scale", "small", "--as-of", str(AS_OF), stdout=io.StringIO())
    return AS_OF


def _categories(today: date) -> dict[Category, int]:
    found: dict[Category, int] = {}
    ids = set(PeriodOfCare.objects.values_list("child_id", flat=True))
    for person in Person.objects.filter(pk__in=ids, date_of_birth__isnull=False):
        born = person.date_of_birth
        assert born is not None
        if age_on(born, today) < 16:
            continue
        category = category_on(born, care_history(person), today)
        if category:
            found[category] = found.get(category, 0) + 1
    return found


def test_the_demo_has_care_leavers_in_national_proportion(seeded: date) -> None:
    looked_after = PeriodOfCare.objects.filter(end_date__isnull=True).count()
    found = _categories(seeded)
    leavers = found.get(Category.RELEVANT, 0) + found.get(Category.FORMER_RELEVANT, 0)
    assert looked_after >= 20
    assert leavers >= 0.4 * looked_after, (found, looked_after)
    assert found.get(Category.FORMER_RELEVANT), found
    assert found.get(Category.RELEVANT), found
    assert CareLeaver.objects.filter(personal_adviser__isnull=False).count() >= leavers * 0.9


def test_the_demo_records_are_ones_the_services_accept(seeded: date) -> None:
    records = list(BirthdayRecord.objects.select_related("care_leaver__child"))
    assert records
    for record in records:
        child = record.care_leaver.child
        assert child.date_of_birth is not None
        assert has_birthday_record_at(child.date_of_birth, care_history(child), record.age)
        assert (record.in_touch == "YES") is bool(record.activity)
    issued = list(Proceedings.objects.filter(issued_on__isnull=False))
    assert issued
    for p in issued:
        assert p.issued_on is not None
        assert p.timetable_ends is not None
        assert p.timetable_ends >= timetable_end(p.issued_on)
        assert p.final_order_on is None or p.final_order_on >= p.issued_on
    assert Proceedings.objects.filter(pre_start__isnull=False, issued_on__isnull=True).exists()
    for a in Adoption.objects.select_related("adopters"):
        assert a.placement_order_on is None or a.placement_order_on >= a.decided_on
        if a.matched_on:
            assert a.adopters is not None
            assert a.adopters.approved_on is not None
            assert a.adopters.approved_on <= a.matched_on
    assert not Proceedings.objects.filter(issued_on__gt=seeded).exists()


def test_the_demo_clocks_are_the_ones_the_services_keep(seeded: date) -> None:
    """Each care leaver's open pathway review is their latest plan's; each open set of
    proceedings has its 26 weeks open, and ended ones none."""
    for leaver in CareLeaver.objects.prefetch_related("plans"):
        latest = max(leaver.plans.all(), key=lambda p: p.plan_date, default=None)
        open_items = DueItem.objects.filter(
            source_type="leaving_care.CareLeaver",
            source_id=str(leaver.pk),
            kind="pathway_review",
            done_on__isnull=True,
        )
        assert [i.due_date for i in open_items] == ([latest.review_due] if latest else [])
    for p in Proceedings.objects.filter(issued_on__isnull=False):
        items = DueItem.objects.filter(
            source_type="permanence.Proceedings", source_id=str(p.pk), done_on__isnull=True
        )
        expected = [] if p.final_order_on else [p.timetable_ends]
        assert [i.due_date for i in items] == expected, p.pk
