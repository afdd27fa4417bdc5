"""Writes on a child's multi-agency chronology: a practitioner's own key-event mark and
analysis of one entry."""

from typing import Any

from django.db import IntegrityError, transaction

from safehub.access.guards import check_persons
from safehub.access.policy import Action, can_annotate_chronology
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.models import ChronologyEntry
from safehub.core.exceptions import ConcurrentEditError, PermissionDeniedError
from safehub.core.models import versioned_update
from safehub.core.text import clean_text
from safehub.multiagency.models import ANALYSIS_MAX, EntryNote
from safehub.organisations.models import User


def entry_note_save(
    *,
    actor: User,
    person: Any,
    entry: ChronologyEntry,
    key_event: bool,
    analysis: str,
    expected_version: int | None,
) -> EntryNote:
    """Save `actor`'s own reading of `entry` on `person`'s chronology: whether it is a key
    event, and their analysis (plain text, may be empty). `expected_version` is the version
    of their note they started from (None: they had none); if it has moved on since (the
    same worker in another tab), nothing is saved and ConcurrentEditError says so.
    Audited as a create or a change, in the same transaction."""
    if not can_annotate_chronology(actor):
        raise PermissionDeniedError("Only council practitioners can mark and analyse entries.")
    check_persons(actor, [person], Action.VIEW)
    text = clean_text(
        analysis,
        label="your analysis",
        max_length=ANALYSIS_MAX,
        multiline=True,
        required=False,
    )
    with transaction.atomic():
        note = (
            EntryNote.objects.select_for_update()
            .filter(person=person, entry=entry, author=actor)
            .first()
        )
        if note is None and expected_version is None:
            note = _create(person, entry, actor, key_event=key_event, analysis=text)
            action = AuditAction.CREATE
        elif note is None or expected_version is None:
            # Saved from a page that did not know of the other's row (or of its deletion).
            raise ConcurrentEditError(current=note)
        else:
            note = versioned_update(
                instance=note,
                expected_version=expected_version,
                data={"key_event": key_event, "analysis": text},
            )
            action = AuditAction.CHANGE
        audit_record(
            actor=actor,
            action=action,
            person_id=person.pk,
            object_type="multiagency.EntryNote",
            object_id=note.pk,
            detail={"entry": entry.pk, "key_event": key_event, "analysis": bool(text)},
        )
    return note


def _create(person: Any, entry: ChronologyEntry, actor: User, **data: Any) -> EntryNote:
    """The author's first note on the entry; of two first saves at once (two tabs), the
    second is told the first won, as an edit would be."""
    try:
        with transaction.atomic():
            return EntryNote.objects.create(person=person, entry=entry, author=actor, **data)
    except IntegrityError:
        current = EntryNote.objects.filter(person=person, entry=entry, author=actor).first()
        raise ConcurrentEditError(current=current) from None
