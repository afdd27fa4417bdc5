"""How views obtain one partner event for a user: fetch, decide, audit. Missing and not
allowed are the same NotFound, and a refusal is audited."""

from typing import Any

from safehub.access.policy import Action, Decision, decide_partner_event
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import NotFound
from safehub.organisations.models import User
from safehub.partners.models import PartnerEvent


def access_partner_event(
    *, actor: User, event_id: Any, action: Action = Action.VIEW
) -> PartnerEvent:
    """The partner event with this id if `actor` may do `action` to it. A VIEW is audited
    here (naming the person it is filed on, if any); changes by the service that makes them."""
    event = None
    try:
        pk = int(event_id)
    except (TypeError, ValueError, OverflowError):
        pk = 0
    if 0 < pk < 2**63:
        event = (
            PartnerEvent.objects.select_related("agency", "sent_by", "person", "matched_by")
            .filter(pk=pk)
            .first()
        )
    if event is None or decide_partner_event(actor, event, action) is not Decision.ALLOW:
        audit_refusal(
            actor=actor,
            object_type="partners.PartnerEvent",
            object_id=str(event_id)[:60],
            detail={"action": action.value},
        )
        raise NotFound()
    if action is Action.VIEW:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=event.person_id,
            object_type="partners.PartnerEvent",
            object_id=event.pk,
        )
    return event
