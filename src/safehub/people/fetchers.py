"""The only way views, the API and other apps' services obtain a person for a user: fetch,
decide, audit, in one call. "Missing" and "not allowed" raise the same NotFound, so an id
reveals nothing; every refusal is audited too."""

import logging
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from safehub.access.policy import Action, Decision, decide
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import BreakGlassRequired, NotFound
from safehub.core.statements import fixed_read
from safehub.organisations.models import User
from safehub.people.models import Person

security_log = logging.getLogger("safehub.security")

_AUDITED_AS = {Action.VIEW: AuditAction.VIEW, Action.EXPORT: AuditAction.EXPORT}


def _person_or_none(person_id: Any) -> Person | None:
    try:
        pk = int(person_id)
    except (TypeError, ValueError, OverflowError):
        return None
    if not 0 < pk < 2**63:
        return None
    # Every page about a person reads it: compiled once (ADR 0063).
    found = fixed_read("people.person", _person_with_school, pk)
    return found[0] if found else None


def _person_with_school(pk: int) -> QuerySet[Person]:
    # The school's agency comes with the record: the person page shows its URN.
    return Person.objects.filter(pk=pk).select_related("school_agency")


def access_person(
    *,
    actor: User,
    person_id: Any,
    action: Action = Action.VIEW,
    shown: bool = True,
    decide_with: Callable[[Person], Decision] | None = None,
) -> Person:
    """Return the person if `actor` may do `action` to them, and audit it.

    A VIEW or EXPORT is audited as such. An EDIT fetch is audited as a view when the page
    shows the record (`shown`: the edit forms do; an autosave does not); the change itself
    is audited by the service that saves it. `decide_with` asks another of the policy's
    person decisions instead of `decide` (allocation, for one).
    """
    person = _person_or_none(person_id)
    if person is None:
        audit_refusal(
            actor=actor,
            object_type="people.Person",
            object_id=str(person_id)[:60],
            detail={"action": action.value, "why": "no such record"},
        )
        raise NotFound()
    decision = decide_with(person) if decide_with else decide(actor, person, action)
    if decision is Decision.BREAK_GLASS:
        audit_refusal(
            actor=actor,
            action=AuditAction.BREAK_GLASS_PROMPT,
            person_id=person.pk,
            object_type="people.Person",
            object_id=person.pk,
        )
        raise BreakGlassRequired(person.pk)
    if decision is Decision.DENY:
        security_log.warning(
            "access refused: user=%s action=%s person=%s",
            getattr(actor, "pk", None),
            action,
            person.pk,
        )
        audit_refusal(
            actor=actor,
            person_id=person.pk,
            object_type="people.Person",
            object_id=person.pk,
            detail={"action": action.value},
        )
        raise NotFound()
    audited_as = _AUDITED_AS.get(action, AuditAction.VIEW if shown else None)
    if audited_as:
        audit_record(
            actor=actor,
            action=audited_as,
            person_id=person.pk,
            object_type="people.Person",
            object_id=person.pk,
        )
    return person


def person_for_break_glass(*, actor: User, person_id: Any) -> Person | None:
    """The restricted person `actor` is about to open by giving a reason, if the policy
    offers them break-glass for this person; None if the record is already open to them
    (allow-list, or an earlier break-glass); anyone else is told "not found"."""
    person = _person_or_none(person_id)
    decision = decide(actor, person, Action.VIEW) if person else Decision.DENY
    if decision is Decision.ALLOW:
        return None
    if decision is Decision.DENY:
        audit_refusal(
            actor=actor,
            person_id=person.pk if person else None,
            object_type="people.Person",
            object_id=str(person_id)[:60],
            detail={"action": "break_glass"},
        )
        raise NotFound()
    return person
