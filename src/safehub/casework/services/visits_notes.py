"""Missing episodes, statutory visits, case notes and their autosaved drafts."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import EpisodeKind, MissingKind, VisitKind
from safehub.casework.models import (
    CaseNote,
    CINPlan,
    CPPlan,
    Episode,
    MissingEpisode,
    NoteDraft,
    PeriodOfCare,
    Visit,
)
from safehub.casework.services.shared import (
    _complete,
    _date,
    _may_record,
    _not_before,
    _record,
    _register,
    _text,
)
from safehub.chronology.models import Significance
from safehub.chronology.services import chronology_append
from safehub.core.queries import unique_or_none
from safehub.organisations.models import User


@transaction.atomic
def missing_record(
    *,
    actor: User,
    child: Any,
    kind: str,
    start_date: Any,
    end_date: Any = None,
    interview_offered: bool | None = None,
    interview_accepted: bool | None = None,
) -> MissingEpisode:
    _may_record(actor, child)
    if kind not in MissingKind.values:
        raise ValidationError({"kind": "Select missing or away without authorisation"})
    start_date = _date(start_date, "start_date", "the date they went missing", child=child)
    if end_date is not None:
        end_date = _date(end_date, "end_date", "the date they returned")
        _not_before(end_date, start_date, "end_date", "they went missing")
    overlapping = MissingEpisode.objects.filter(
        child=child, start_date__lte=end_date or timezone.localdate()
    )
    if overlapping.exclude(end_date__lt=start_date).exists():  # 903 rule 574
        raise ValidationError("This overlaps a missing episode already recorded")
    episode = MissingEpisode.objects.create(
        child=child,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        return_interview_offered=interview_offered,
        return_interview_accepted=interview_accepted,
        recorded_by=actor,
    )
    _record(
        actor,
        child,
        events.MISSING_EPISODE,
        f"{MissingKind(kind).label} from {start_date:%-d %B %Y}",
        episode,
        Significance.HIGH,
        start_date,
    )
    return episode


VISIT_DUE_KIND: dict[str, str] = {
    VisitKind.CP: "cp_visit",
    VisitKind.CIN: "cin_visit",
    VisitKind.CLA: "cla_visit",
}


def visit_kind_for(child: Any) -> tuple[str, Any, Any]:
    """Which statutory visit is due for the child now, and the record it belongs to:
    a child protection plan first, then care, then a child-in-need plan. A child has at most
    one of each open (the models' unique constraints), read with its episode."""
    plan = unique_or_none(
        CPPlan.objects.filter(child=child, end_date__isnull=True).select_related("episode")
    )
    if plan:
        return VisitKind.CP, plan, plan.episode
    period = unique_or_none(
        PeriodOfCare.objects.filter(child=child, end_date__isnull=True).select_related("episode")
    )
    if period:
        return VisitKind.CLA, period, period.episode
    cin = unique_or_none(
        CINPlan.objects.filter(child=child, end_date__isnull=True).select_related("episode")
    )
    if cin:
        return VisitKind.CIN, cin, cin.episode
    episode = unique_or_none(
        Episode.objects.filter(child=child, closure_date__isnull=True, kind=EpisodeKind.CIN)
    )
    return VisitKind.CIN, None, episode


@transaction.atomic
def visit_record(
    *,
    actor: User,
    child: Any,
    visited_on: Any,
    child_seen: bool,
    seen_alone: bool = False,
    bedroom_seen: bool = False,
    note: Any = "",
) -> Visit:
    """Record a statutory visit; the next one falls due by the council's standard."""
    _may_record(actor, child)
    kind, source, episode = visit_kind_for(child)
    if episode is None:
        raise ValidationError("This child has no open episode to record a visit against")
    visited_on = _date(visited_on, "visited_on", "the date of the visit", child=child)
    if seen_alone and not child_seen:
        raise ValidationError({"seen_alone": "A child not seen cannot be seen alone"})
    visit = Visit.objects.create(
        child=child,
        episode=episode,
        kind=kind,
        visited_on=visited_on,
        child_seen=child_seen,
        child_seen_alone=seen_alone,
        bedroom_seen=bedroom_seen,
        note=_text(note, "note", "what happened", required=False),
        recorded_by=actor,
    )
    if source is not None and child_seen:
        due_kind = VISIT_DUE_KIND[kind]
        _complete(source, due_kind, visited_on)
        if kind == VisitKind.CP:
            next_due = due.cp_visit_due(visited_on)
        elif kind == VisitKind.CLA:
            began = source.placement_began()
            assert began is not None  # a period of care starts with its first episode
            next_due = due.care_visit_due(visited_on, began)
        else:
            next_due = due.cin_visit_due(visited_on)
        _register(
            child, due_kind, f"Visit the child ({VisitKind(kind).label.lower()})", next_due, source
        )
    NoteDraft.objects.filter(author=actor, child=child, kind="visit").delete()
    seen = ("seen alone" if seen_alone else "seen") if child_seen else "not seen"
    _record(
        actor,
        child,
        events.VISIT,
        f"{VisitKind(kind).label}: child {seen}" + ("; bedroom seen" if bedroom_seen else ""),
        visit,
        when=visited_on,
    )
    return visit


@transaction.atomic
def note_record(*, actor: User, child: Any, text: Any, significant: bool = False) -> CaseNote:
    """A case note; a significant one goes into the child's chronology."""
    _may_record(actor, child)
    note = CaseNote.objects.create(
        child=child,
        author=actor,
        occurred_at=timezone.now(),
        text=_text(text, "text", "the note"),
        significant=bool(significant),
    )
    NoteDraft.objects.filter(author=actor, child=child, kind="note").delete()
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=child.pk,
        object_type="casework.CaseNote",
        object_id=note.pk,
    )
    if significant:
        chronology_append(
            actor=actor,
            persons=[child],
            event_type=events.CASE_NOTE,
            summary=note.text[:500],
            source=note,
            significance=Significance.HIGH,
        )
    return note


def draft_save(*, actor: User, child: Any, kind: str, text: str) -> NoteDraft:
    """Keep what the worker is typing. Not audited as a change: a draft is the worker's own
    unfinished text and is deleted when the note or visit is saved."""
    _may_record(actor, child)
    if kind not in ("note", "visit"):
        raise ValidationError("Unknown draft")
    # One statement (INSERT … ON CONFLICT DO UPDATE on the draft's unique key) rather than
    # update_or_create's locking read, savepoints and then a write: a worker's page saves
    # their draft every few seconds as they type (ADR 0061). The returned draft's
    # `created_at` is this save's time when an earlier draft was updated; its first save's
    # stays in the row.
    draft = NoteDraft(
        author=actor, child=child, kind=kind, text=str(text)[:20000], updated_at=timezone.now()
    )
    NoteDraft.objects.bulk_create(
        [draft],
        update_conflicts=True,
        unique_fields=["author", "child", "kind"],
        update_fields=["text", "updated_at"],
    )
    return draft
