"""The only way views and the API obtain a person: fetch, decide, audit, in one call.

"Missing" and "not allowed" raise the same NotFound, so an id reveals nothing.
"""

import logging
from typing import Any

from safehub.access.policy import (
    Action,
    Decision,
    decide,
    decide_contact,
    decide_information_request,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import BreakGlassRequired, NotFound

security_log = logging.getLogger("safehub.security")

_AUDITED_READS = {Action.VIEW: AuditAction.VIEW, Action.EXPORT: AuditAction.EXPORT}


def access_person(*, actor: Any, person_id: Any, action: Action = Action.VIEW) -> Any:
    """Return the person if `actor` may do `action` to them.

    A VIEW or EXPORT is audited here; an EDIT is audited by the service that saves it (one
    row per event).
    """
    from safehub.people.models import Person

    try:
        pk = int(person_id)
        if not 0 < pk < 2**63:
            raise NotFound()
        person = Person.objects.get(pk=pk)
    except (Person.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound() from None
    decision = decide(actor, person, action)
    if decision is Decision.BREAK_GLASS:
        raise BreakGlassRequired(person.pk)
    if decision is Decision.DENY:
        security_log.warning(
            "access refused: user=%s action=%s person=%s",
            getattr(actor, "pk", None),
            action,
            person.pk,
        )
        raise NotFound()
    if action in _AUDITED_READS:
        audit_record(
            actor=actor,
            action=_AUDITED_READS[action],
            person_id=person.pk,
            object_type="people.Person",
            object_id=person.pk,
        )
    return person


def _linked_person_id(contact: Any) -> int | None:
    return next((s.person_id for s in contact.subjects.all() if s.person_id), None)


def access_contact(*, actor: Any, reference: Any, action: Action = Action.VIEW) -> Any:
    """Return the front-door contact with this reference if `actor` may do `action` to it.
    A VIEW is audited here (against the linked child, once there is one); changes are
    audited by the service that makes them."""
    from django.db.models import Prefetch

    from safehub.frontdoor.models import Contact, ContactSubject

    if not isinstance(reference, str) or not reference.isalnum() or len(reference) > 12:
        raise NotFound()
    contact = (
        Contact.objects.filter(reference=reference.upper())
        .select_related(
            "referrer_agency",
            "referrer_user",
            "assigned_to",
            "recorded_by",
            "decided_by",
            "signed_off_by",
        )
        .prefetch_related(
            Prefetch("subjects", queryset=ContactSubject.objects.select_related("person"))
        )
        .first()
    )
    if contact is None:
        raise NotFound()
    if decide_contact(actor, contact, action) is not Decision.ALLOW:
        security_log.warning(
            "access refused: user=%s action=%s contact=%s",
            getattr(actor, "pk", None),
            action,
            contact.pk,
        )
        raise NotFound()
    if action is Action.VIEW:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=_linked_person_id(contact),
            subject_ids=[s.person_id for s in contact.subjects.all() if s.person_id],
            object_type="frontdoor.Contact",
            object_id=contact.reference,
        )
    return contact


def access_information_request(*, actor: Any, request_id: Any, action: Action = Action.VIEW) -> Any:
    from safehub.frontdoor.models import InformationRequest

    try:
        pk = int(request_id)
        if not 0 < pk < 2**63:
            raise NotFound()
        request = InformationRequest.objects.select_related(
            "contact", "agency", "requested_by"
        ).get(pk=pk)
    except (InformationRequest.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound() from None
    if decide_information_request(actor, request, action) is not Decision.ALLOW:
        raise NotFound()
    if action is Action.VIEW:
        subjects = list(request.contact.subjects.all())
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            person_id=next((s.person_id for s in subjects if s.person_id), None),
            object_type="frontdoor.InformationRequest",
            object_id=request.pk,
        )
    return request
