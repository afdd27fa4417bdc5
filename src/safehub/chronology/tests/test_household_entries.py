"""A household's merged timeline: each entry once, newest first, and restricted partner
entries kept back exactly as the reader's scope says."""

from datetime import UTC, date, datetime

import pytest
from conftest import make_person

from safehub.access.policy import RestrictedEntryScope
from safehub.chronology.models import Category, ChronologyEntry, ChronologyLink
from safehub.chronology.selectors import household_entries, timeline_page_of_entry_ids
from safehub.organisations.models import Agency, AgencyKind

pytestmark = pytest.mark.django_db


def entry(day: int, people, *, restricted=False, agency=None) -> int:
    at = datetime(2026, 11, day, 10, tzinfo=UTC)
    made = ChronologyEntry.objects.create(
        occurred_at=at,
        event_type="NOTE",
        category=Category.OTHER,
        summary=f"on the {day}th",
        restricted=restricted,
        source_agency=agency,
    )
    for person in people:
        ChronologyLink.objects.create(entry=made, person=person, occurred_at=at)
    return made.pk


def test_each_entry_once_newest_first_and_restricted_ones_kept_back_by_the_scope():
    child = make_person("Ada", "Hart", date(2015, 1, 1))
    mum = make_person("Grace", "Hart", date(1990, 1, 1), kind="adult")
    lodger = make_person("Victor", "Crane", date(1985, 1, 1), kind="adult")
    police = Agency.objects.create(name="Police", kind=AgencyKind.POLICE)
    school = Agency.objects.create(name="School", kind=AgencyKind.SCHOOL)
    shared = entry(1, [child, mum])
    on_open = entry(2, [lodger, mum], restricted=True, agency=police)
    own_agency = entry(3, [lodger], restricted=True, agency=school)
    kept_back = entry(4, [lodger], restricted=True, agency=police)
    newest = entry(5, [child])
    scope = RestrictedEntryScope(open_person_ids=frozenset({mum.pk}), agency_id=school.pk)

    found = household_entries(scope=scope, person_ids=[child.pk, mum.pk, lodger.pk])

    assert found.ordered == [newest, own_agency, on_open, shared]
    assert found.hidden == 1
    assert kept_back not in found.ordered
    assert sorted(found.whose[shared]) == sorted([child.pk, mum.pk])
    page = timeline_page_of_entry_ids(found.ordered, page=2, size=3)
    assert (page.total, page.pages, page.page) == (4, 2, 2)
    assert [e.id for e in page.entries] == [shared]


def test_a_reader_who_sees_everyone_whole_keeps_nothing_back():
    child = make_person("Ada", "Hart", date(2015, 1, 1))
    police = Agency.objects.create(name="Police", kind=AgencyKind.POLICE)
    restricted = entry(1, [child], restricted=True, agency=police)
    scope = RestrictedEntryScope(open_person_ids=frozenset({child.pk}), agency_id=None)

    found = household_entries(scope=scope, person_ids=[child.pk])

    assert (found.ordered, found.hidden) == ([restricted], 0)
