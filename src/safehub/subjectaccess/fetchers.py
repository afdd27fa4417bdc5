"""The only ways to a subject access request and to its subject: fetch, decide, audit.
A request is the data protection officer's; its subject is read through `access_person`
with the policy's subject-access decision, so every read leaves the usual audit row."""

from typing import Any

from safehub.access.policy import Action, can_handle_subject_access, decide_subject_access
from safehub.audit.services import audit_refusal
from safehub.core.exceptions import NotFound
from safehub.organisations.models import User
from safehub.people.fetchers import access_person
from safehub.people.models import Person
from safehub.subjectaccess.models import SubjectAccessRequest


def access_request(*, actor: User, request_id: Any) -> SubjectAccessRequest:
    """The request, for those who handle subject access; anyone else is told "not found"."""
    try:
        pk = int(request_id)
    except (TypeError, ValueError, OverflowError):
        pk = 0
    found = (
        SubjectAccessRequest.objects.select_related("person").filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if found is None or not can_handle_subject_access(actor):
        audit_refusal(
            actor=actor,
            object_type="subjectaccess.Request",
            object_id=str(request_id)[:60],
            detail={"why": "no such request" if found is None else "not allowed"},
        )
        raise NotFound()
    return found


def access_subject(
    *, actor: User, sar: SubjectAccessRequest, action: Action = Action.VIEW
) -> Person:
    """The person a request is about, for compiling (EXPORT) or reading the bundle (VIEW):
    allowed only while the request is open (policy.decide_subject_access), audited."""
    return access_person(
        actor=actor,
        person_id=sar.person_id,
        action=action,
        decide_with=lambda person: decide_subject_access(actor, person, request_open=sar.is_open),
    )


def person_for_new_request(*, actor: User, person_id: Any) -> Person:
    """The person a new request names, checked by the same decision (a request about to be
    opened counts as open)."""
    return access_person(
        actor=actor,
        person_id=person_id,
        decide_with=lambda person: decide_subject_access(actor, person, request_open=True),
    )
