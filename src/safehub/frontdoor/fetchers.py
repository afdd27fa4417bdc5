"""How views and the API obtain a front-door contact or a partner information request for a
user: fetch, decide, audit. Missing and not allowed are the same NotFound; refusals are
audited too."""

import logging
from typing import Any

from django.db.models import QuerySet

from safehub.access.policy import (
    Action,
    Decision,
    decide_contact,
    decide_information_request,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import NotFound
from safehub.core.statements import as_prefetched, fixed_read
from safehub.frontdoor.models import Contact, ContactSubject, InformationRequest
from safehub.organisations.models import User

security_log = logging.getLogger("safehub.security")


def _refused(actor: User, object_type: str, object_id: Any, action: Action) -> NotFound:
    security_log.warning(
        "access refused: user=%s action=%s %s=%s",
        getattr(actor, "pk", None),
        action,
        object_type,
        object_id,
    )
    audit_refusal(
        actor=actor,
        object_type=object_type,
        object_id=str(object_id)[:60],
        detail={"action": action.value},
    )
    return NotFound()


def _contact(reference: str) -> QuerySet[Contact]:
    return Contact.objects.filter(reference=reference).select_related(
        "referrer_agency",
        "referrer_user",
        "assigned_to",
        "recorded_by",
        "decided_by",
        "signed_off_by",
    )


def _subjects(contact_pk: int) -> QuerySet[ContactSubject]:
    return ContactSubject.objects.filter(contact_id=contact_pk).select_related("person")


def access_contact(*, actor: User, reference: Any, action: Action = Action.VIEW) -> Contact:
    """Return the front-door contact with this reference if `actor` may do `action` to it.
    A VIEW is audited here, naming every linked person; changes are audited by the service
    that makes them."""
    contact = None
    if isinstance(reference, str) and reference.isalnum() and len(reference) <= 12:
        # Compiled once (ADR 0063): the MASH opens contacts all day.
        found = fixed_read("frontdoor.contact", _contact, str(reference.upper()))
        contact = found[0] if found else None
    if contact is not None:
        subjects = fixed_read("frontdoor.contact_subjects", _subjects, contact.pk)
        as_prefetched(contact, "subjects", subjects)
    if contact is None:
        raise _refused(actor, "frontdoor.Contact", reference, action)
    if decide_contact(actor, contact, action) is not Decision.ALLOW:
        raise _refused(actor, "frontdoor.Contact", contact.reference, action)
    if action is Action.VIEW:
        linked = [s.person_id for s in contact.subjects.all() if s.person_id]
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=linked[0] if linked else None,
            subject_ids=linked,
            object_type="frontdoor.Contact",
            object_id=contact.reference,
        )
    return contact


def access_information_request(
    *, actor: User, request_id: Any, action: Action = Action.VIEW
) -> InformationRequest:
    request = None
    try:
        pk = int(request_id)
    except (TypeError, ValueError, OverflowError):
        pk = 0
    if 0 < pk < 2**63:
        request = (
            InformationRequest.objects.select_related("contact", "agency", "requested_by")
            .filter(pk=pk)
            .first()
        )
    if request is None:
        raise _refused(actor, "frontdoor.InformationRequest", request_id, action)
    if decide_information_request(actor, request, action) is not Decision.ALLOW:
        raise _refused(actor, "frontdoor.InformationRequest", request.pk, action)
    if action is Action.VIEW:
        linked = [s.person_id for s in request.contact.subjects.all() if s.person_id]
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=linked[0] if linked else None,
            subject_ids=linked,
            object_type="frontdoor.InformationRequest",
            object_id=request.pk,
        )
    return request
