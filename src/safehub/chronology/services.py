from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from enum import Enum
from typing import Any

from django.db import transaction
from django.utils import timezone

from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.core.bulk import insert_objects, insert_rows
from safehub.core.workdays import LONDON
from safehub.organisations.models import User


class _Default(Enum):
    ACTOR = "the actor"


# "Whoever is calling": the default for who did it and who recorded it.
ACTOR = _Default.ACTOR

# Called with the entries just appended, each with the ids of the people it concerns, inside
# the transaction that appends them: one entry from `chronology_append`, a batch's from
# `chronology_append_many`. Apps above the chronology (the concern rules) register here, so
# the chronology never imports them.
AppendListener = Callable[[list[tuple[ChronologyEntry, list[int]]]], None]
_listeners: list[AppendListener] = []


def on_append(listener: AppendListener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def chronology_append(
    *,
    actor: User,
    persons: Sequence[Any],
    event_type: str,
    summary: str,
    occurred_at: datetime | None = None,
    occurred_on: date | None = None,
    significance: int = Significance.LOW,
    done_by: User | None | _Default = ACTOR,
    done_by_label: str = "",
    source_agency: Any = None,
    recorded_by: User | None | _Default = ACTOR,
    recorded_at: datetime | None = None,
    source: Any = None,
    source_ref: tuple[str, str] | None = None,
    restricted: bool = False,
) -> ChronologyEntry:
    """Append one entry concerning `persons`. Call it inside the service's transaction so the
    entry commits with the change it describes.

    The entry credits who did it (`done_by`, a user, or `done_by_label` for someone who is
    not one) and their agency (`source_agency`, by default the doer's own), and separately
    who recorded it in SafeHub and when. Both default to `actor`, now. An event known only
    by its date gives `occurred_on` instead of `occurred_at`. `restricted`: a partner shared
    it on condition it goes no further (only the policy's restricted-entry readers see it)."""
    entry = new_entry(
        actor=actor,
        event_type=event_type,
        summary=summary,
        occurred_at=occurred_at,
        occurred_on=occurred_on,
        significance=significance,
        done_by=done_by,
        done_by_label=done_by_label,
        source_agency=source_agency,
        recorded_by=recorded_by,
        recorded_at=recorded_at,
        source=source,
        source_ref=source_ref,
        restricted=restricted,
    )
    return chronology_append_many([(entry, persons)])[0]


def new_entry(
    *,
    actor: User,
    event_type: str,
    summary: str,
    occurred_at: datetime | None = None,
    occurred_on: date | None = None,
    significance: int = Significance.LOW,
    done_by: User | None | _Default = ACTOR,
    done_by_label: str = "",
    source_agency: Any = None,
    recorded_by: User | None | _Default = ACTOR,
    recorded_at: datetime | None = None,
    source: Any = None,
    source_ref: tuple[str, str] | None = None,
    restricted: bool = False,
) -> ChronologyEntry:
    """An entry as `chronology_append` would write it, not yet saved: for
    `chronology_append_many`, which writes many at once."""
    declared = registry.get(event_type)  # KeyError for an undeclared code, on purpose
    if source is not None:
        source_ref = (source._meta.label, str(source.pk))
    source_type, source_id = source_ref or ("", "")
    doer = _user(actor) if done_by is ACTOR and not done_by_label else _user(done_by)
    if source_agency is None and doer is not None and doer.agency_id:
        source_agency = doer.agency
    recorder = _user(actor if recorded_by is ACTOR else recorded_by)
    when, time_known = _occurred(occurred_at, occurred_on)
    return ChronologyEntry(
        occurred_at=when,
        time_known=time_known,
        done_by=doer,
        done_by_label=done_by_label,
        source_agency=source_agency,
        recorded_by=recorder,
        recorded_at=recorded_at or timezone.now(),
        event_type=event_type,
        category=declared.category,
        significance=significance,
        summary=summary,
        source_type=source_type,
        source_id=source_id,
        restricted=restricted,
    )


def chronology_append_many(
    entries: Sequence[tuple[ChronologyEntry, Sequence[Any]]],
) -> list[ChronologyEntry]:
    """Write entries made by `new_entry`, each with the people it concerns: one INSERT for
    the entries and one for their links however many there are, then the listeners once
    for them all. Call it inside the service's transaction, like `chronology_append`."""
    if not entries:
        return []
    # Inside a caller's transaction no savepoint is needed (an error undoes the caller's
    # whole change), which saves two round trips.
    with transaction.atomic(savepoint=False):
        saved = insert_objects([entry for entry, _ in entries])
        appended = [
            (entry, list({p.pk: p for p in persons}))
            for entry, (_, persons) in zip(saved, entries, strict=True)
        ]
        insert_rows(
            ChronologyLink,
            ("entry_id", "person_id", "occurred_at"),
            [(entry.pk, pk, entry.occurred_at) for entry, pks in appended for pk in pks],
        )
        for listener in _listeners:
            listener(appended)
    return saved


def _user(user: User | None | _Default) -> User | None:
    # The system actor of a background task is not a saved user: nobody is credited.
    if isinstance(user, _Default) or user is None or not user.pk:
        return None
    return user


def _occurred(occurred_at: datetime | None, occurred_on: date | None) -> tuple[datetime, bool]:
    if occurred_at is not None and occurred_on is not None:
        raise ValueError("Give when it happened as a time or as a date, not both")
    if occurred_on is not None:
        # A date-only event sits at midday London time, so it never slips a day either way.
        return datetime.combine(occurred_on, time(12), tzinfo=LONDON), False
    return occurred_at or timezone.now(), True
