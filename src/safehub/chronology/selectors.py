from dataclasses import dataclass
from datetime import datetime
from typing import Any

from safehub.chronology import registry
from safehub.chronology.models import ChronologyLink, Significance
from safehub.core.paging import page_number
from safehub.organisations.models import staff_name

PAGE_SIZE = 25


@dataclass(frozen=True)
class TimelineEntry:
    """One chronology entry as a timeline shows it: the entry's own fields and the names of
    its source agency and recorder, read in the same query."""

    id: int
    occurred_at: datetime
    event_type: str
    significance: int
    summary: str
    source_agency_name: str | None
    recorder_name: str | None

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


# What a timeline row shows, read straight from the person's links: the page is a range
# scan of the (person, occurred_at) index joined to 25 entries, and no model objects are
# built for rows that are only displayed.
_TIMELINE_COLUMNS = (
    "entry_id",
    "entry__occurred_at",
    "entry__event_type",
    "entry__significance",
    "entry__summary",
    "entry__source_agency__name",
    "entry__recorded_by__first_name",
    "entry__recorded_by__last_name",
    "entry__recorded_by__username",
)


def chronology_page_for_person(*, person: Any, page: int | str | None = 1) -> ChronologyPage:
    """One page of a person's timeline, newest first; `page` as the address bar gave it,
    past the end the last page, nonsense the first. The caller has already passed the
    access check for `person`. Two queries whatever the timeline's length."""
    total = ChronologyLink.objects.filter(person=person).count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = page_number(page, pages=pages)
    start = (page - 1) * PAGE_SIZE
    rows = (
        ChronologyLink.objects.filter(person=person)
        .order_by("-occurred_at", "-entry")
        .values_list(*_TIMELINE_COLUMNS)[start : start + PAGE_SIZE]
    )
    return ChronologyPage(
        entries=[_timeline_entry(row) for row in rows], page=page, pages=pages, total=total
    )


def _timeline_entry(row: tuple[Any, ...]) -> TimelineEntry:
    (pk, occurred_at, event_type, significance, summary, agency, first, last, username) = row
    # No recorder: SafeHub itself recorded it.
    recorder = staff_name(first, last, username) if username is not None else None
    return TimelineEntry(
        id=pk,
        occurred_at=occurred_at,
        event_type=event_type,
        significance=significance,
        summary=summary,
        source_agency_name=agency,
        recorder_name=recorder,
    )
