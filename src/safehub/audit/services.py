"""Writing the audit trail: one row per access, in the transaction of the access it
records; refusals are written after the request's own transaction has ended, because a
refused request rolls back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Required, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.bulk import insert_rows
from safehub.core.context import current_origin

if TYPE_CHECKING:
    from safehub.core.users import User

# Refusals waiting to be written when the request ends (None outside a request).
_deferred: ContextVar[list[AuditEvent] | None] = ContextVar("audit_deferred", default=None)


class ServerOperator:
    """Whoever runs manage.py on the server (access's `OPERATOR`): not a user, recorded by
    that name."""

    pk = None
    username = "manage.py"
    role = ""


class AuditFields(TypedDict, total=False):
    """What a row records besides its action. `actor` is None when nobody is signed in: a
    member of the public on the report form, a sign-in that failed."""

    actor: Required[User | ServerOperator | None]
    person_id: int | None
    subject_ids: Iterable[int]  # the people a search or list showed
    object_type: str
    object_id: str | int
    detail: dict[str, Any] | None
    reason: str


def _event(
    *,
    actor: User | ServerOperator | None,
    action: str,
    person_id: int | None = None,
    subject_ids: Iterable[int] = (),
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    return AuditEvent(
        **_values(
            actor=actor,
            action=action,
            person_id=person_id,
            subject_ids=subject_ids,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
            reason=reason,
        )
    )


def _values(
    *,
    actor: User | ServerOperator | None,
    action: str,
    person_id: int | None = None,
    subject_ids: Iterable[int] = (),
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> dict[str, Any]:
    """An audit row's columns (all but its time) for who did what, from where."""
    origin = current_origin.get()
    ids = list(subject_ids)
    user = None if isinstance(actor, ServerOperator) else actor
    return {
        "actor_id": user.pk if user is not None and user.pk else None,
        "actor_username": (actor.username if actor is not None else "") or "anonymous",
        "actor_role": actor.role if actor is not None else "",
        "action": action,
        "person_id": person_id,
        "subject_ids": ("," + ",".join(str(i) for i in ids) + ",") if ids else "",
        "object_type": object_type,
        "object_id": str(object_id),
        "detail": detail or {},
        "reason": reason,
        "channel": origin.channel,
        "ip_address": origin.ip_address,
        "request_id": origin.request_id,
    }


def audit_record(*, action: str, **fields: Unpack[AuditFields]) -> AuditEvent:
    """Append one audit row: a single INSERT. Callers are inside the transaction of the
    access they record (ATOMIC_REQUESTS, or the service's own atomic block), so both commit
    or neither does."""
    event = _event(action=action, **fields)
    event.save()
    return event


def audit_record_many(rows: Iterable[AuditFields], *, action: str) -> list[int]:
    """Append many rows of one action in one statement (a batch of partner events), in the
    caller's transaction as `audit_record` is; returns their ids. Written from plain values
    (COPY on PostgreSQL): a model instance a row cost more than the rest of writing it."""
    at = timezone.now()
    values = [_values(action=action, **fields) for fields in rows]
    if not values:
        return []
    columns = ("at", *values[0])
    return insert_rows(AuditEvent, columns, [(at, *v.values()) for v in values])


def audit_list(
    *, actor: User, listed: str, person_ids: Iterable[int], detail: dict[str, Any] | None = None
) -> AuditEvent:
    """One row for a list or export that named people: which list (`listed`, e.g.
    "casework.my_work") and every person it showed (`person_ids`), so the data protection
    officer can find who saw a child in a list as well as who opened them."""
    ids = sorted(set(person_ids))
    return audit_record(
        actor=actor,
        action=AuditAction.LIST,
        subject_ids=ids,
        object_type=listed,
        detail={"shown": len(ids), **(detail or {})},
    )


def audit_refusal(*, action: str = AuditAction.REFUSED, **fields: Unpack[AuditFields]) -> None:
    """Record that an access was refused (a hidden record answered "not found", a
    restricted record asked for a reason). Inside a request the row is written when the
    request ends, outside its transaction, so the refusal survives the rollback that a
    refused request causes; elsewhere it is written at once. The id refused is often what
    was posted or typed, so any NUL in it (which PostgreSQL's text columns refuse) is
    replaced."""
    if isinstance(fields.get("object_id"), str):
        fields["object_id"] = str(fields["object_id"]).replace("\x00", "\ufffd")
    event = _event(action=action, **fields)
    pending = _deferred.get()
    if pending is None:
        event.save()
    else:
        pending.append(event)


@contextmanager
def refusals_written_after() -> Iterator[None]:
    """Hold `audit_refusal` rows until the block ends, then write them in their own
    transaction. A failure to write them fails the request."""
    token = _deferred.set([])
    try:
        yield
    finally:
        pending = _deferred.get() or []
        _deferred.reset(token)
        if pending:
            with transaction.atomic():
                AuditEvent.objects.bulk_create(pending)
