"""How views obtain one partner event for a user: fetch, decide, audit. Missing and not
allowed are the same NotFound, and a refusal is audited."""

from typing import Any

from safehub.access.policy import (
    Action,
    Decision,
    decide_encompass_notice,
    decide_partner_event,
    decide_partner_upload,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import NotFound
from safehub.core.identifiers import record_pk
from safehub.organisations.models import User
from safehub.partners.models import EncompassNotice, PartnerEvent, PartnerUpload


def access_partner_event(
    *, actor: User, event_id: Any, action: Action = Action.VIEW
) -> PartnerEvent:
    """The partner event with this id if `actor` may do `action` to it. A VIEW is audited
    here (naming the person it is filed on, if any); changes by the service that makes them."""
    event = (
        PartnerEvent.objects.select_related("agency", "sent_by", "person", "matched_by")
        .filter(pk=record_pk(event_id))
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


def access_partner_upload(*, actor: User, upload_id: Any) -> PartnerUpload:
    """A CSV upload, for its own agency's senders only; every look at it is audited."""
    upload = PartnerUpload.objects.filter(pk=record_pk(upload_id)).first()
    if upload is None or decide_partner_upload(actor, upload) is not Decision.ALLOW:
        audit_refusal(
            actor=actor,
            object_type="partners.PartnerUpload",
            object_id=str(upload_id)[:60],
            detail={"action": Action.VIEW.value},
        )
        raise NotFound()
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="partners.PartnerUpload",
        object_id=upload.pk,
    )
    return upload


def access_encompass_notice(
    *, actor: User, notice_id: Any, action: Action = Action.VIEW
) -> EncompassNotice:
    """An Operation Encompass notice, for its school's safeguarding leads and the MASH
    (`policy.decide_encompass_notice`); missing and not allowed are the same NotFound. A
    VIEW is audited here, naming the child."""
    notice = (
        EncompassNotice.objects.select_related("child", "school", "event", "event__agency")
        .filter(pk=record_pk(notice_id))
        .first()
    )
    if notice is None or decide_encompass_notice(actor, notice, action) is not Decision.ALLOW:
        audit_refusal(
            actor=actor,
            object_type="partners.EncompassNotice",
            object_id=str(notice_id)[:60],
            detail={"action": action.value},
        )
        raise NotFound()
    if action is Action.VIEW:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=notice.child_id,
            object_type="partners.EncompassNotice",
            object_id=notice.pk,
        )
    return notice
