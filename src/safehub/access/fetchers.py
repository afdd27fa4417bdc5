"""The only way views and the API obtain a person: fetch, decide, audit, in one call.

"Missing" and "not allowed" raise the same NotFound, so an id reveals nothing.
"""

import logging
from typing import Any

from safehub.access.policy import Action, Decision, decide
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
            getattr(actor, "pk", None), action, person.pk,
        )
        raise NotFound()
    if action in _AUDITED_READS:
        audit_record(
            actor=actor, action=_AUDITED_READS[action], person_id=person.pk,
            object_type="people.Person", object_id=person.pk,
        )
    return person
