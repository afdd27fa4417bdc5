from collections.abc import Iterable
from typing import Any

from safehub.audit.models import AuditEvent
from safehub.core.context import current_origin


def audit_record(
    *,
    actor: Any,
    action: str,
    person_id: int | None = None,
    subject_ids: Iterable[int] = (),
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one audit row: a single INSERT. Callers are inside the transaction of the
    access they record (ATOMIC_REQUESTS, or the service's own atomic block), so both commit
    or neither does."""
    origin = current_origin.get()
    ids = list(subject_ids)
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "anonymous",
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        person_id=person_id,
        subject_ids=("," + ",".join(str(i) for i in ids) + ",") if ids else "",
        object_type=object_type,
        object_id=str(object_id),
        detail=detail or {},
        reason=reason,
        channel=origin.channel,
        ip_address=origin.ip_address,
        request_id=origin.request_id,
    )
