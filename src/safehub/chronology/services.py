from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.organisations.models import User


def chronology_append(
    *,
    actor: User,
    persons: Sequence[Any],
    event_type: str,
    summary: str,
    occurred_at: datetime | None = None,
    significance: int = Significance.LOW,
    source_agency: Any = None,
    source: Any = None,
    source_ref: tuple[str, str] | None = None,
) -> ChronologyEntry:
    """Append one entry concerning `persons`. Call it inside the service's transaction so the
    entry commits with the change it describes."""
    declared = registry.get(event_type)  # KeyError for an undeclared code, on purpose
    if source is not None:
        source_ref = (source._meta.label, str(source.pk))
    source_type, source_id = source_ref or ("", "")
    if source_agency is None and getattr(actor, "agency_id", None):
        source_agency = actor.agency
    when = occurred_at or timezone.now()
    with transaction.atomic():
        entry = ChronologyEntry.objects.create(
            occurred_at=when,
            recorded_by=actor if getattr(actor, "pk", None) else None,
            source_agency=source_agency,
            event_type=event_type,
            category=declared.category,
            significance=significance,
            summary=summary,
            source_type=source_type,
            source_id=source_id,
        )
        ChronologyLink.objects.bulk_create(
            ChronologyLink(entry=entry, person=p, occurred_at=when)
            for p in {p.pk: p for p in persons}.values()
        )
    return entry
