"""Reads of a child's multi-agency chronology that the pages and the export share: the
filtered timeline, the household's interleaved timeline and the court-style chronology.

Every function takes a person (or people) the caller has already fetched through the policy,
and the policy's `RestrictedEntryScope` for them. Each reads a fixed number of queries,
whatever the length of the chronology.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from safehub.access.policy import RestrictedEntryScope
from safehub.chronology import registry
from safehub.chronology.models import Category, ChronologyEntry, ChronologyLink
from safehub.chronology.selectors import (
    PAGE_SIZE,
    ChronologyPage,
    TimelineEntry,
    household_entries,
    links_without_hidden,
    timeline_of_links,
    timeline_page_of_entry_ids,
    timeline_page_of_links,
)
from safehub.core.workdays import LONDON
from safehub.multiagency.models import EntryNote
from safehub.organisations.models import User, staff_name
from safehub.partners.selectors import SOURCE_TYPE, restricted_event_summaries

# The court chronology's period unless the reader chooses another: the two years before the
# as-of date (what pre-proceedings letters usually ask for).
COURT_PERIOD_YEARS = 2


@dataclass(frozen=True)
class ChronologyFilters:
    """What the reader narrowed the chronology to; empty means everything."""

    agency_ids: tuple[int, ...] = ()
    categories: tuple[str, ...] = ()
    significances: tuple[int, ...] = ()
    event_types: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    key_events_only: bool = False

    @property
    def any(self) -> bool:
        return self != ChronologyFilters()


@dataclass(frozen=True)
class Note:
    """One practitioner's reading of an entry."""

    id: int
    author_id: int
    author_name: str
    key_event: bool
    analysis: str
    version: int
    updated_at: datetime


@dataclass(frozen=True)
class Line:
    """One chronology entry as the multi-agency chronology shows it."""

    entry: TimelineEntry
    summary: str  # the restricted event's own words for those allowed, else the entry's
    notes: list[Note] = field(default_factory=list)
    whose: list[str] = field(default_factory=list)  # the household view: whose it is

    @property
    def key_event(self) -> bool:
        return any(n.key_event for n in self.notes)

    @property
    def analyses(self) -> list[Note]:
        return [n for n in self.notes if n.analysis]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass
class MultiAgencyPage:
    lines: list[Line]
    page: int
    pages: int
    total: int
    hidden_restricted: int  # restricted partner entries the reader may not see


def _filtered(filters: ChronologyFilters, prefix: str = "") -> Q:
    q = Q()
    if filters.agency_ids:
        q &= Q(**{f"{prefix}source_agency_id__in": filters.agency_ids})
    if filters.categories:
        q &= Q(**{f"{prefix}category__in": filters.categories})
    if filters.significances:
        q &= Q(**{f"{prefix}significance__in": filters.significances})
    if filters.event_types:
        q &= Q(**{f"{prefix}event_type__in": filters.event_types})
    if filters.date_from:
        q &= Q(**{f"{prefix}occurred_at__gte": _start_of(filters.date_from)})
    if filters.date_to:
        q &= Q(**{f"{prefix}occurred_at__lt": _start_of(filters.date_to + timedelta(days=1))})
    return q


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def person_chronology(
    *,
    person: Any,
    scope: RestrictedEntryScope,
    filters: ChronologyFilters,
    page: int | str | None = 1,
    with_notes: bool,
    size: int = PAGE_SIZE,
) -> MultiAgencyPage:
    """One page of the child's chronology, newest first, narrowed by `filters`, without
    the restricted partner entries `scope` keeps from the reader (counted instead).
    `with_notes`: the reader may read key-event marks and analysis. Fixed queries."""
    links = ChronologyLink.objects.filter(person=person).filter(_filtered(filters, "entry__"))
    if filters.key_events_only:
        links = links.filter(entry_id__in=_key_entry_ids(person))
    links, hidden = links_without_hidden(links, scope=scope, person_id=person.pk)
    found = timeline_page_of_links(links, page=page, size=size)
    return MultiAgencyPage(
        lines=_lines(found, person=person, with_notes=with_notes),
        page=found.page,
        pages=found.pages,
        total=found.total,
        hidden_restricted=hidden,
    )


def _key_entry_ids(person: Any) -> QuerySet[EntryNote, Any]:
    return EntryNote.objects.filter(person=person, key_event=True).values("entry_id")


def chronology_choices(person: Any) -> tuple[list[Option], list[Option]]:
    """The agencies and the types of event on this person's chronology, for the filter.
    One query over the person's index range."""
    rows = (
        ChronologyLink.objects.filter(person=person)
        .values_list("entry__source_agency_id", "entry__source_agency__name", "entry__event_type")
        .order_by()
        .distinct()
    )
    agencies: dict[int, str] = {}
    types: set[str] = set()
    for agency_id, agency_name, event_type in rows:
        if agency_id is not None:
            agencies[agency_id] = agency_name
        types.add(event_type)
    return (
        sorted((Option(str(k), v) for k, v in agencies.items()), key=lambda o: o.label),
        sorted((Option(t, _type_label(t)) for t in types), key=lambda o: o.label),
    )


def _type_label(code: str) -> str:
    try:
        return registry.get(code).label
    except KeyError:
        return code


def _lines(
    found: ChronologyPage,
    *,
    person: Any,
    with_notes: bool,
    whose: dict[int, list[str]] | None = None,
) -> list[Line]:
    entries = found.entries
    summaries = _restricted_summaries(entries)
    notes = _notes(person, [e.id for e in entries]) if with_notes else {}
    return [
        Line(
            entry=e,
            summary=summaries.get(e.source_id, e.summary) if e.restricted else e.summary,
            notes=notes.get(e.id, []),
            whose=(whose or {}).get(e.id, []),
        )
        for e in entries
    ]


def _restricted_summaries(entries: list[TimelineEntry]) -> dict[str, str]:
    """The restricted entries shown are ones the reader may read whole: their own words.
    One query, only when there are any."""
    ids = [e.source_id for e in entries if e.restricted and e.source_type == SOURCE_TYPE]
    return restricted_event_summaries(ids) if ids else {}


def _notes(person: Any, entry_ids: list[int]) -> dict[int, list[Note]]:
    """Every practitioner's notes on these entries of this person's chronology. One query."""
    rows = (
        EntryNote.objects.filter(person=person, entry_id__in=entry_ids)
        .order_by("updated_at", "pk")
        .values_list(
            "pk",
            "entry_id",
            "author_id",
            "author__first_name",
            "author__last_name",
            "author__username",
            "key_event",
            "analysis",
            "version",
            "updated_at",
        )
    )
    found: dict[int, list[Note]] = defaultdict(list)
    for pk, entry_id, author_id, first, last, username, key, analysis, version, at in rows:
        found[entry_id].append(
            Note(pk, author_id, staff_name(first, last, username), key, analysis, version, at)
        )
    return found


def entry_line(*, person: Any, entry: ChronologyEntry, scope: RestrictedEntryScope) -> Line:
    """One entry as the note form shows it (the caller has checked the reader may see it
    whole). Two queries."""
    link = ChronologyLink.objects.filter(person=person, entry=entry)
    found = timeline_page_of_links(link, page=1, size=1)
    return _lines(found, person=person, with_notes=False)[0]


def note_of(*, person: Any, entry_id: int, author: User) -> EntryNote | None:
    """The author's own note on this entry of the child's chronology, if they wrote one."""
    return EntryNote.objects.filter(person=person, entry_id=entry_id, author=author).first()


# --- The household view ---------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A member of the child's household as the page shows them: by name if the reader may
    see them, else as "a person you cannot see" (`person_id` None)."""

    person_id: int | None
    name: str
    is_subject: bool


@dataclass
class HouseholdPage:
    lines: list[Line]
    page: int
    pages: int
    total: int
    hidden_people_entries: int  # entries of members the reader may not see
    hidden_restricted: int


def household_chronology(
    *,
    person: Any,
    shown: dict[int, str],
    withheld: list[int],
    scope: RestrictedEntryScope,
    page: int | str | None = 1,
    with_notes: bool,
    size: int = PAGE_SIZE,
) -> HouseholdPage:
    """The chronologies of the household's members the reader may see (`shown`: id to name,
    the child included), interleaved newest first, each entry once, saying whose it is.
    Entries only of members the reader may not see (`withheld`) are counted, never read;
    restricted partner entries `scope` keeps from the reader likewise. Fixed queries."""
    ids = list(shown)
    household = household_entries(scope=scope, person_ids=ids)
    hidden_people = 0
    if withheld:
        hidden_people = (
            ChronologyLink.objects.filter(person_id__in=withheld)
            .exclude(
                entry_id__in=ChronologyLink.objects.filter(person_id__in=ids).values("entry_id")
            )
            .values("entry_id")
            .distinct()
            .count()
        )
    found = timeline_page_of_entry_ids(household.ordered, page=page, size=size)
    whose = {e.id: [shown[pk] for pk in household.whose[e.id]] for e in found.entries}
    return HouseholdPage(
        lines=_lines(found, person=person, with_notes=with_notes, whose=whose),
        page=found.page,
        pages=found.pages,
        total=found.total,
        hidden_people_entries=hidden_people,
        hidden_restricted=household.hidden,
    )


# --- The court-style chronology ---------------------------------------------------------


@dataclass
class CourtChronology:
    person: Any
    date_from: date
    date_to: date
    lines: list[Line]
    hidden_restricted: int
    as_of: date


def court_period(as_of: date) -> tuple[date, date]:
    """The default period: the two years up to and including `as_of`."""
    try:
        start = as_of.replace(year=as_of.year - COURT_PERIOD_YEARS)
    except ValueError:  # 29 February
        start = as_of.replace(year=as_of.year - COURT_PERIOD_YEARS, day=28)
    return start, as_of


def court_chronology(
    *,
    person: Any,
    scope: RestrictedEntryScope,
    date_from: date,
    date_to: date,
    as_of: date,
    with_notes: bool,
) -> CourtChronology:
    """Every entry of the child's chronology in the period, oldest first (as a court reads
    it), with key events and analysis; restricted entries the reader may not see are
    counted, never listed. Fixed queries, however long the period."""
    links = ChronologyLink.objects.filter(person=person).filter(
        _filtered(ChronologyFilters(date_from=date_from, date_to=date_to), "entry__")
    )
    links, hidden = links_without_hidden(links, scope=scope, person_id=person.pk)
    entries = timeline_of_links(links, oldest_first=True)
    found = ChronologyPage(entries=entries, page=1, pages=1, total=len(entries))
    return CourtChronology(
        person=person,
        date_from=date_from,
        date_to=date_to,
        lines=_lines(found, person=person, with_notes=with_notes),
        hidden_restricted=hidden,
        as_of=as_of,
    )


CATEGORY_CHOICES = [(c.value, c.label) for c in Category]
