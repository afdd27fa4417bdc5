from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from django.db.models import Func, IntegerField, Q, QuerySet, Subquery, Value

from safehub.access.policy import RestrictedEntryScope, restricted_entry_scope
from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.core.paging import page_number, requested_page
from safehub.core.statements import fixed_rows
from safehub.organisations.models import staff_name

PAGE_SIZE = 25


@dataclass(frozen=True)
class TimelineEntry:
    """One chronology entry as a timeline shows it: what happened and when, who did it and
    for which agency, and who recorded it and when, read in the same query. Staff are named;
    anyone else only as the entry describes them (`done_by_label`)."""

    id: int
    occurred_at: datetime
    time_known: bool
    event_type: str
    significance: int
    summary: str
    source_agency_name: str | None
    done_by_name: str | None
    done_by_label: str
    recorder_name: str | None
    recorded_at: datetime
    # A partner's restricted entry (ADR 0020, 0023), and the record it came from.
    restricted: bool = False
    source_type: str = ""
    source_id: str = ""

    @property
    def doer(self) -> str | None:
        """Who did it: the member of staff, else how the entry describes them."""
        return self.done_by_name or self.done_by_label or None

    @property
    def type_label(self) -> str:
        return registry.get(self.event_type).label

    @property
    def significance_label(self) -> str:
        return Significance(self.significance).label


@dataclass(frozen=True)
class ChronologyPage:
    entries: list[TimelineEntry]
    page: int
    pages: int
    total: int
    # Restricted partner entries kept from the reader: counted ("2 entries hidden"), never
    # read, so not even their type or agency shows (ADR 0023, 0033).
    hidden: int = 0


# --- Restricted partner entries: the one rule every timeline applies --------------------


def restricted_visible(scope: RestrictedEntryScope, person_id: int, prefix: str = "") -> Q | None:
    """The entries of one person's timeline the reader may see, as a filter on entries
    (`prefix` "entry__" for links); None when they see them all."""
    if scope.sees_all_of(person_id):
        return None
    return _visible_entries(prefix, scope.agency_id)


def _visible_entries(prefix: str, agency_id: int | None) -> Q:
    """Unrestricted entries, and the restricted ones the reader's own agency sent."""
    visible = Q(**{f"{prefix}restricted": False})
    if agency_id is not None:
        visible |= Q(**{f"{prefix}source_agency_id": agency_id})
    return visible


def links_without_hidden(
    links: QuerySet[ChronologyLink], *, scope: RestrictedEntryScope, person_id: int
) -> tuple[QuerySet[ChronologyLink], int]:
    """One person's `links` less the restricted entries `scope` keeps from the reader, and
    how many those are (one count query, none when nothing is kept)."""
    visible = restricted_visible(scope, person_id, "entry__")
    if visible is None:
        return links, 0
    hidden = links.filter(entry__restricted=True).exclude(visible).count()
    return links.filter(visible), hidden


@dataclass(frozen=True)
class HouseholdEntries:
    """Several people's timelines merged (a household's): the entries the reader may see,
    newest first and each once, whose timeline each is on, and how many were kept back."""

    ordered: list[int]
    whose: dict[int, list[int]]
    hidden: int


def household_entries(*, scope: RestrictedEntryScope, person_ids: list[int]) -> HouseholdEntries:
    """The entries on the timelines of `person_ids`, less the restricted ones `scope` keeps
    from the reader: an entry is seen whole if it is on the timeline of someone whose
    restricted entries the reader reads, or their own agency sent it. The ids come from the
    links' own index, newest first, so a household of ten thousand entries is one index read
    and the page is then taken by key: nothing carries the ids back to the database. Two
    queries (one when the reader sees every member's restricted entries)."""
    ordered: list[int] = []
    whose: dict[int, list[int]] = {}
    for entry_id, person_id in (
        ChronologyLink.objects.filter(person_id__in=person_ids)
        .order_by(*_NEWEST_FIRST)
        .values_list("entry_id", "person_id")
    ):
        if entry_id not in whose:
            ordered.append(entry_id)
            whose[entry_id] = []
        whose[entry_id].append(person_id)
    if all(scope.sees_all_of(pk) for pk in person_ids):
        return HouseholdEntries(ordered, whose, 0)
    restricted = (
        ChronologyLink.objects.filter(person_id__in=person_ids, entry__restricted=True)
        .values_list("entry_id", "entry__source_agency_id")
        .distinct()
    )
    hidden = {
        entry_id
        for entry_id, agency_id in restricted
        if not (agency_id is not None and agency_id == scope.agency_id)
        and not any(scope.sees_all_of(pk) for pk in whose[entry_id])
    }
    return HouseholdEntries([e for e in ordered if e not in hidden], whose, len(hidden))


# What a timeline row shows, read straight from the person's links: the page is a range
# scan of the (person, occurred_at) index joined to 25 entries, and no model objects are
# built for rows that are only displayed.
_TIMELINE_COLUMNS = (
    "entry_id",
    "entry__occurred_at",
    "entry__time_known",
    "entry__event_type",
    "entry__significance",
    "entry__summary",
    "entry__source_agency__name",
    "entry__done_by__first_name",
    "entry__done_by__last_name",
    "entry__done_by__username",
    "entry__done_by_label",
    "entry__recorded_by__first_name",
    "entry__recorded_by__last_name",
    "entry__recorded_by__username",
    "entry__recorded_at",
    "entry__restricted",
    "entry__source_type",
    "entry__source_id",
)
# The same columns read from the entries themselves (a household's interleaved timeline,
# where one entry may concern several of the people read).
_ENTRY_COLUMNS = ("id", *(c.removeprefix("entry__") for c in _TIMELINE_COLUMNS[1:]))
# Newest first by when it happened; of two at the same moment, the one recorded later.
_NEWEST_FIRST = ("-occurred_at", "-entry")


def chronology_page_for_person(
    *,
    actor: Any,
    person: Any,
    page: int | str | None = 1,
    size: int = PAGE_SIZE,
    scope: RestrictedEntryScope | None = None,
) -> ChronologyPage:
    """One page of a person's timeline as `actor` may read it, newest first; `page` as the
    address bar gave it, past the end the last page, nonsense the first. Restricted partner
    entries the policy keeps from `actor` are left out and counted (`hidden`). The caller
    has already passed the access check for `person`. At most four queries whatever the
    timeline's length (the scope, the hidden count, the count and the page); the first page
    is one statement with both counts (ADR 0065). A caller that has the policy's scope for
    `person` already (the person page) passes it."""
    scope = restricted_entry_scope(actor, [person]) if scope is None else scope
    if requested_page(page) == 1:
        return _first_page_for_person(scope, person.pk, size)
    links, hidden = links_without_hidden(
        ChronologyLink.objects.filter(person=person), scope=scope, person_id=person.pk
    )
    found = timeline_page_of_links(links, page=page, size=size)
    return ChronologyPage(
        entries=found.entries, page=found.page, pages=found.pages, total=found.total, hidden=hidden
    )


def _first_page_for_person(
    scope: RestrictedEntryScope, person_id: int, size: int
) -> ChronologyPage:
    """The first page of one person's timeline (the person page, the casework page's latest
    entries, a contact's family) with how many entries there are and how many are hidden, in
    one statement compiled once per shape of the reader's scope (core.statements, ADR 0065):
    they see every entry; unrestricted ones only; or those and their own agency's. The page
    size is part of the statement (its LIMIT): the API's sizes are bounded (MAX_PAGE_SIZE),
    so a process keeps at most a few hundred of these."""
    keys: tuple[int, ...]
    if scope.sees_all_of(person_id):
        shape, keys = "all", (person_id,)
    elif scope.agency_id is None:
        shape, keys = "unrestricted", (person_id,)
    else:
        shape, keys = "own_agency", (person_id, scope.agency_id)
    rows = fixed_rows(
        f"chronology.first_page.{shape}.{size}", partial(_first_page_read, shape, size), *keys
    )
    if rows:
        total, hidden = rows[0][-2], rows[0][-1]
    else:  # nothing to show: what may be hidden is counted on its own
        total = 0
        hidden = links_without_hidden(
            ChronologyLink.objects.filter(person_id=person_id), scope=scope, person_id=person_id
        )[1]
    return ChronologyPage(
        entries=[_timeline_entry(row[:-2]) for row in rows],
        page=1,
        pages=max(1, -(-total // size)),
        total=total,
        hidden=hidden,
    )


def _first_page_read(
    shape: str, size: int, person_id: int, agency_id: int | None = None
) -> QuerySet[ChronologyLink]:
    """`_first_page_for_person`'s read: the counts are subqueries that refer to nothing of
    the outer row, so the database works each out once (ADR 0058)."""
    links = ChronologyLink.objects.filter(person_id=person_id)
    count = Func(template="COUNT(*)", output_field=IntegerField())
    if shape == "all":
        hidden: Any = Value(0, output_field=IntegerField())
    else:
        visible = _visible_entries("entry__", agency_id)
        kept = links.filter(entry__restricted=True).exclude(visible)
        hidden = Subquery(kept.order_by().annotate(n=count).values("n"))
        links = links.filter(visible)
    total = Subquery(links.order_by().annotate(n=count).values("n"))
    return (
        links.order_by(*_NEWEST_FIRST)
        .annotate(_total=total, _hidden=hidden)
        .values_list(*_TIMELINE_COLUMNS, "_total", "_hidden")[:size]
    )


def timeline_page_of_links(
    links: QuerySet[ChronologyLink], *, page: int | str | None = 1, size: int = PAGE_SIZE
) -> ChronologyPage:
    """One page of `links` (one person's, narrowed as the caller chose), newest first, as
    `chronology_page_for_person` pages them. Two queries; one for the first page."""
    return _paged(links, _TIMELINE_COLUMNS, _NEWEST_FIRST, page=page, size=size)


def timeline_page_of_entry_ids(
    ordered: list[int], *, page: int | str | None = 1, size: int = PAGE_SIZE
) -> ChronologyPage:
    """One page of entries already put in order (`household_entries`), read by key. One
    query."""
    total = len(ordered)
    pages = max(1, -(-total // size))
    page = page_number(page, pages=pages)
    wanted = ordered[(page - 1) * size : page * size]
    rows = {
        row[0]: row
        for row in ChronologyEntry.objects.filter(pk__in=wanted).values_list(*_ENTRY_COLUMNS)
    }
    entries = [_timeline_entry(rows[pk]) for pk in wanted if pk in rows]
    return ChronologyPage(entries=entries, page=page, pages=pages, total=total)


def timeline_of_links(
    links: QuerySet[ChronologyLink], *, oldest_first: bool
) -> list[TimelineEntry]:
    """Every entry of `links`, for an export. One query."""
    order = ("occurred_at", "entry") if oldest_first else _NEWEST_FIRST
    return [_timeline_entry(row) for row in links.order_by(*order).values_list(*_TIMELINE_COLUMNS)]


def _paged(
    rows: QuerySet[Any], columns: tuple[str, ...], order: tuple[str, ...], *, page: Any, size: int
) -> ChronologyPage:
    if requested_page(page) == 1:
        return _first_page(rows, columns, order, size=size)
    total = rows.count()
    pages = max(1, -(-total // size))
    page = page_number(page, pages=pages)
    start = (page - 1) * size
    found = rows.order_by(*order).values_list(*columns)[start : start + size]
    return ChronologyPage(
        entries=[_timeline_entry(row) for row in found], page=page, pages=pages, total=total
    )


def _first_page(
    rows: QuerySet[Any], columns: tuple[str, ...], order: tuple[str, ...], *, size: int
) -> ChronologyPage:
    """The first page (the casework page's latest entries, a timeline opened at its start)
    with the count of every row in the same statement (ADR 0058): a subquery that refers to
    nothing of the outer row, so the database counts once, as `count()` would have. An
    empty first page means there are none."""
    count = Func(template="COUNT(*)", output_field=IntegerField())
    total_of_all = Subquery(rows.order_by().annotate(n=count).values("n"))
    found = list(
        rows.order_by(*order).annotate(_total=total_of_all).values_list(*columns, "_total")[:size]
    )
    total = found[0][-1] if found else 0
    return ChronologyPage(
        entries=[_timeline_entry(row[:-1]) for row in found],
        page=1,
        pages=max(1, -(-total // size)),
        total=total,
    )


def chronology_page_for(
    links: Any, *, page: int | str | None = 1, size: int = PAGE_SIZE
) -> ChronologyPage:
    """One page of any other timeline kept as links to entries (a model with `entry` and
    `occurred_at`, indexed by its subject and time: a context's chronology), newest first.
    The caller has checked access to the subject. Two queries whatever its length."""
    total = links.count()
    pages = max(1, -(-total // size))
    page = page_number(page, pages=pages)
    start = (page - 1) * size
    rows = links.order_by(*_NEWEST_FIRST).values_list(*_TIMELINE_COLUMNS)[start : start + size]
    return ChronologyPage(
        entries=[_timeline_entry(row) for row in rows], page=page, pages=pages, total=total
    )


def chronology_all_for_person(
    *, actor: Any, person: Any, scope: RestrictedEntryScope | None = None
) -> ChronologyPage:
    """The person's whole timeline as `actor` may read it, in the page's order, for the
    record export: restricted partner entries kept from them counted, not listed. The caller
    has already passed the access check (for export) for `person`. A caller the policy gives
    a scope of its own (a subject access request's) passes it. Fixed queries."""
    links, hidden = links_without_hidden(
        ChronologyLink.objects.filter(person=person),
        scope=restricted_entry_scope(actor, [person]) if scope is None else scope,
        person_id=person.pk,
    )
    entries = timeline_of_links(links, oldest_first=False)
    return ChronologyPage(entries=entries, page=1, pages=1, total=len(entries), hidden=hidden)


def _timeline_entry(row: tuple[Any, ...]) -> TimelineEntry:
    (pk, occurred_at, time_known, event_type, significance, summary, agency) = row[:7]
    (doer_first, doer_last, doer_username, doer_label) = row[7:11]
    (first, last, username, recorded_at, restricted, source_type, source_id) = row[11:]
    return TimelineEntry(
        id=pk,
        occurred_at=occurred_at,
        time_known=time_known,
        event_type=event_type,
        significance=significance,
        summary=summary,
        source_agency_name=agency,
        done_by_name=_name(doer_first, doer_last, doer_username),
        done_by_label=doer_label,
        # No recorder: nobody signed in entered it (the public form, a partner feed).
        recorder_name=_name(first, last, username),
        recorded_at=recorded_at,
        restricted=restricted,
        source_type=source_type,
        source_id=source_id,
    )


def _name(first: str | None, last: str | None, username: str | None) -> str | None:
    return staff_name(first or "", last or "", username) if username is not None else None
