"""A person's first timeline page, read by one statement compiled once per shape of the
reader's scope (ADR 0065): the same entries, total and hidden count as the general paged
read, for every shape, whichever person and agency it is called with."""

from datetime import UTC, date, datetime
from typing import Any

import pytest
from conftest import make_person

from safehub.access.policy import RestrictedEntryScope
from safehub.chronology.models import Category, ChronologyEntry, ChronologyLink
from safehub.chronology.selectors import (
    _first_page_for_person,
    links_without_hidden,
    timeline_page_of_links,
)
from safehub.organisations.models import Agency, AgencyKind

pytestmark = pytest.mark.django_db


def _entry(day: int, person: Any, *, restricted: bool = False, agency: Any = None) -> int:
    at = datetime(2026, 10, day, 9, tzinfo=UTC)
    made = ChronologyEntry.objects.create(
        occurred_at=at,
        event_type="NOTE",
        category=Category.OTHER,
        summary=f"{person.given_name} on the {day}th",
        restricted=restricted,
        source_agency=agency,
    )
    ChronologyLink.objects.create(entry=made, person=person, occurred_at=at)
    return made.pk


def _general(scope: RestrictedEntryScope, person: Any, size: int) -> tuple[Any, ...]:
    links, hidden = links_without_hidden(
        ChronologyLink.objects.filter(person=person), scope=scope, person_id=person.pk
    )
    page = timeline_page_of_links(links, page=1, size=size)
    return (page.entries, page.total, page.pages, hidden)


def test_every_shape_gives_what_the_general_read_gives_for_each_person_and_agency(
    django_assert_max_num_queries: Any,
) -> None:
    police = Agency.objects.create(name="Police", kind=AgencyKind.POLICE)
    school = Agency.objects.create(name="School", kind=AgencyKind.SCHOOL)
    ada = make_person("Ada", "Hart", date(2015, 1, 1))
    ben = make_person("Ben", "Hart", date(2016, 1, 1))
    only_kept = make_person("Cal", "Hart", date(2017, 1, 1))
    nobody = make_person("Dee", "Hart", date(2018, 1, 1))
    for day in range(1, 8):
        _entry(day, ada)
    _entry(10, ada, restricted=True, agency=police)
    _entry(11, ada, restricted=True, agency=school)
    _entry(12, ben, restricted=True, agency=police)
    _entry(13, ben)
    _entry(14, only_kept, restricted=True, agency=police)
    scopes = [
        RestrictedEntryScope(open_person_ids=frozenset({ada.pk, ben.pk}), agency_id=None),
        RestrictedEntryScope(open_person_ids=frozenset(), agency_id=None),
        RestrictedEntryScope(open_person_ids=frozenset(), agency_id=school.pk),
        RestrictedEntryScope(open_person_ids=frozenset(), agency_id=police.pk),
    ]
    # Each shape is compiled on its first call and reused for the other people and agencies.
    for scope in scopes:
        for person in (ada, ben, only_kept, nobody):
            for size in (3, 25):
                found = _first_page_for_person(scope, person.pk, size)
                assert (found.entries, found.total, found.pages, found.hidden) == _general(
                    scope, person, size
                ), (scope, person.given_name, size)
                assert found.page == 1
    restricted_only = RestrictedEntryScope(open_person_ids=frozenset(), agency_id=school.pk)
    page = _first_page_for_person(restricted_only, ada.pk, 3)
    assert (page.total, page.pages, page.hidden) == (8, 3, 1)  # police's kept back
    assert _first_page_for_person(restricted_only, only_kept.pk, 3).hidden == 1
    with django_assert_max_num_queries(1):
        _first_page_for_person(restricted_only, ben.pk, 3)
