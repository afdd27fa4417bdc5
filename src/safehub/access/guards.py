"""The policy applied to writes: a service that changes any person's record asks here
first, for every person it touches."""

from collections.abc import Iterable
from typing import Any

from safehub.access.policy import Action, Decision, decide_many
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_refusal
from safehub.core.exceptions import BreakGlassRequired, NotFound


def check_person_writes(actor: Any, persons: Iterable[Any]) -> None:
    """Refuse unless `actor` may change every one of `persons` (each needs `pk` and
    `is_restricted`): both ends of a relationship, every child a decision opens work for,
    not only the person whose page the change started from. A restricted person must be
    opened (break-glass) first; anyone else the actor may not change is "not found". Each
    refusal is audited against the person refused."""
    for pk, decision in decide_many(actor, persons, Action.EDIT).items():
        if decision is Decision.ALLOW:
            continue
        prompt = decision is Decision.BREAK_GLASS
        audit_refusal(
            actor=actor,
            action=AuditAction.BREAK_GLASS_PROMPT if prompt else AuditAction.REFUSED,
            person_id=pk,
            object_type="people.Person",
            object_id=pk,
            detail={"action": Action.EDIT.value},
        )
        if prompt:
            raise BreakGlassRequired(pk)
        raise NotFound()
