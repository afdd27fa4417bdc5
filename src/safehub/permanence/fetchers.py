"""How permanence pages obtain what they show: the child through the person fetcher with
the policy's permanence decision (audited there), and a prospective adopters' record,
read only by the roles `policy.can_work_adopters` names and audited as a view."""

from typing import Any

from safehub.access.policy import Action, can_work_adopters, decide_permanence
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import NotFound
from safehub.core.identifiers import record_pk
from safehub.organisations.models import User
from safehub.people.fetchers import access_person
from safehub.people.models import Person
from safehub.permanence.models import Adopters


def access_child_permanence(
    *, actor: User, person_id: Any, action: Action = Action.VIEW, shown: bool = True
) -> Person:
    """The child, if `actor` may read (VIEW) or record (EDIT) their court and adoption work."""
    return access_person(
        actor=actor,
        person_id=person_id,
        action=action,
        shown=shown,
        decide_with=lambda child: decide_permanence(actor, child, action),
    )


def access_adopters(*, actor: User, adopters_id: Any, shown: bool = True) -> Adopters:
    """One prospective adopters' record: the same "not found" whether missing or refused."""
    pk = record_pk(adopters_id)
    adopters = Adopters.objects.filter(pk=pk).first()
    if adopters is None or not can_work_adopters(actor):
        audit_refusal(
            actor=actor,
            object_type=Adopters._meta.label,
            object_id=str(adopters_id)[:60],
            detail={"why": "no such record" if adopters is None else "not allowed"},
        )
        raise NotFound()
    if shown:
        audit_record(
            actor=actor,
            action=AuditAction.VIEW,
            object_type=Adopters._meta.label,
            object_id=adopters.pk,
        )
    return adopters
