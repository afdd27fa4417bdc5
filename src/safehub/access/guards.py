"""The policy applied inside services: a service that changes any person's record asks
here first, for every person it touches; a refusal is audited and raised."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError

from safehub.access.policy import (
    Action,
    Decision,
    SignOff,
    decide_many,
    may_sign_off,
    neglect_profile_decisions,
    rules_for,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_refusal
from safehub.core.exceptions import BreakGlassRequired, NotFound, PermissionDeniedError

if TYPE_CHECKING:
    from safehub.core.users import User


def require(actor: User, person_id: int, decision: Decision, action: Action) -> None:
    """Go on only if the policy's `decision` about this person allows `action`. A restricted
    person must be opened (break-glass) first; anyone else is "not found". Each refusal is
    audited against the person refused."""
    if decision is Decision.ALLOW:
        return
    prompt = decision is Decision.BREAK_GLASS
    audit_refusal(
        actor=actor,
        action=AuditAction.BREAK_GLASS_PROMPT if prompt else AuditAction.REFUSED,
        person_id=person_id,
        object_type="people.Person",
        object_id=person_id,
        detail={"action": action.value},
    )
    if prompt:
        raise BreakGlassRequired(person_id)
    raise NotFound()


def check_persons(actor: User, persons: Iterable[Any], action: Action) -> None:
    """Refuse unless `actor` may do `action` to every one of `persons` (each needs `pk` and
    `is_restricted`)."""
    for pk, decision in decide_many(actor, persons, action).items():
        require(actor, pk, decision, action)


def check_person_writes(actor: User, persons: Iterable[Any]) -> None:
    """Refuse unless `actor` may change every person a change touches: both ends of a
    relationship, every child a decision opens work for, not only the person whose page the
    change started from."""
    check_persons(actor, persons, Action.EDIT)


def check_neglect_profile(actor: User, persons: Iterable[Any], action: Action) -> None:
    """Refuse unless `actor` may read (VIEW) or work on (EDIT) a neglect profile about every
    one of `persons`: the child and each sibling the profile covers."""
    for pk, decision in neglect_profile_decisions(actor, persons, action).items():
        require(actor, pk, decision, action)


def check_sign_off(actor: User, work: SignOff, *, done_by_id: int | None, field: str) -> None:
    """Refuse a sign-off the policy does not allow: without the role's capability, "not
    permitted"; by the person who did the work, a plain-English error on `field`."""
    if may_sign_off(actor, work, done_by_id=done_by_id):
        return
    if not getattr(rules_for(actor), work.value):
        raise PermissionDeniedError("Only a manager can sign this off.")
    raise ValidationError({field: "Someone other than the person who did this must sign it off"})
