"""Allocation (the worker's involvement) and management oversight."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from safehub.access.guards import require
from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Action, decide_allocation, holds_cases
from safehub.casework import events
from safehub.casework.codes import AllocationReason, EpisodeKind
from safehub.casework.models import Allocation, Episode, Oversight
from safehub.casework.services.shared import (
    _date,
    _lock_child,
    _may_record,
    _must_manage,
    _record,
    _text,
)
from safehub.notifications.services import notify_staff
from safehub.organisations.models import User


@transaction.atomic
def allocate(*, actor: User, child: Any, worker: Any, reason: str = "") -> Allocation:
    """Give the case to a worker (and their team). Reallocation needs a reason; the old
    worker's involvement ends, so their access by allocation ends with it."""
    _must_manage(actor)
    if worker is None or not holds_cases(worker) or not worker.team_id:
        raise ValidationError({"worker": "Select a social worker"})
    _lock_child(child)
    current = (
        Allocation.objects.select_for_update().filter(child=child, end_date__isnull=True).first()
    )
    waiting = (
        current is None
        and Episode.objects.filter(
            child=child, kind=EpisodeKind.CIN, closure_date__isnull=True
        ).exists()
    )
    require(actor, child.pk, decide_allocation(actor, child, waiting=waiting), Action.EDIT)
    today = timezone.localdate()
    if current:
        if current.worker_id == worker.pk:
            raise ValidationError({"worker": "The case is already allocated to this worker"})
        if reason not in AllocationReason.values or reason == AllocationReason.NEW:
            raise ValidationError({"reason": "Select why the case is being reallocated"})
        current.end_date = today
        current.save(update_fields=["end_date", "updated_at"])
        Involvement.objects.filter(pk=current.involvement_id).update(end_date=today)
    involvement = Involvement.objects.create(
        person=child, kind=InvolvementKind.ALLOCATED_WORKER, user=worker, team=worker.team
    )
    allocation = Allocation.objects.create(
        child=child,
        worker=worker,
        team=worker.team,
        start_date=today,
        reason=reason if current else AllocationReason.NEW,
        involvement=involvement,
        allocated_by=actor,
    )
    _record(
        actor,
        child,
        events.ALLOCATED,
        f"Allocated to {worker.get_full_name()} ({worker.team.name})"
        + (f": {AllocationReason(reason).label}" if current else ""),
        allocation,
    )
    if worker.pk != actor.pk:
        _tell_worker(actor, allocation)
    return allocation


def _tell_worker(actor: User, allocation: Allocation) -> None:
    """The worker hears at once, in SafeHub and by e-mail, that the child is theirs. The
    message names the child by SafeHub ID only: the link opens the child's page, where the
    policy decides, and an e-mail never carries a name."""
    child_id = allocation.child_id
    reason = (
        f" ({AllocationReason(allocation.reason).label})"
        if allocation.reason != AllocationReason.NEW
        else ""
    )
    notify_staff(
        user=allocation.worker,
        key=f"allocation:{allocation.pk}",
        subject=f"A child has been allocated to you (SafeHub ID {child_id})",
        body=(
            f"{actor.get_full_name() or actor.username} allocated the child with SafeHub ID "
            f"{child_id} to you on {allocation.start_date:%-d %B %Y}{reason}. The child's "
            "casework page shows what is due."
        ),
        link=reverse("casework:child-casework", args=[child_id]),
    )


@transaction.atomic
def oversight_record(
    *, actor: User, child: Any, kind: str, held_on: Any, discussion: Any, actions: Any = ""
) -> Oversight:
    _must_manage(actor)
    _may_record(actor, child)
    if kind not in ("supervision", "oversight"):
        raise ValidationError({"kind": "Select supervision or management oversight"})
    record = Oversight.objects.create(
        child=child,
        kind=kind,
        manager=actor,
        held_on=_date(held_on, "held_on", "the date"),
        discussion=_text(discussion, "discussion", "what was discussed"),
        actions=_text(actions, "actions", "the actions", required=False),
    )
    _record(
        actor,
        child,
        events.OVERSIGHT,
        f"{record.get_kind_display()} recorded",
        record,
        when=record.held_on,
    )
    return record
