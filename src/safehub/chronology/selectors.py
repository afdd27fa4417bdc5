from dataclasses import dataclass
from typing import Any

from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink

PAGE_SIZE = 25


@dataclass(frozen=True)
class ChronologyPage:
    entries: list[ChronologyEntry]
    page: int
    pages: int
    total: int


def chronology_page_for_person(*, person: Any, page: int = 1) -> ChronologyPage:
    """One page of a person's timeline, newest first. The caller has already passed the
    access check for `person`. Two queries whatever the timeline's length."""
    total = ChronologyLink.objects.filter(person=person).count()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    entries = list(
        ChronologyEntry.objects.filter(links__person=person)
        .select_related("source_agency", "recorded_by")
        .order_by("-links__occurred_at", "-links__entry")[start : start + PAGE_SIZE]
    )
    for entry in entries:
        entry.type_label = registry.get(entry.event_type).label  # type: ignore[attr-defined]
    return ChronologyPage(entries=entries, page=page, pages=pages, total=total)
