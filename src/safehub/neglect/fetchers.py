"""How pages and other callers obtain a neglect profile for a user: fetch, decide (the
policy, for every child the profile covers), audit, in one call. Missing and hidden are the
same NotFound."""

from typing import Any

from safehub.access.guards import check_neglect_profile
from safehub.access.policy import Action, neglect_profile_decisions
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record, audit_refusal
from safehub.core.exceptions import NotFound
from safehub.neglect.models import NeglectProfile
from safehub.organisations.models import User
from safehub.people.fetchers import access_person
from safehub.people.models import Person


def access_profile(
    *, actor: User, profile_id: Any, action: Action = Action.VIEW, shown: bool = True
) -> NeglectProfile:
    """The profile, if `actor` may read it (VIEW, EXPORT) or work on it (EDIT); a page that
    shows it (`shown`) is audited as a view (an export as an export) against the child,
    naming every child it covers. A save or an autosave is audited by its service."""
    try:
        pk = int(profile_id)
    except (TypeError, ValueError, OverflowError):
        pk = 0
    profile = (
        NeglectProfile.objects.select_related("child", "template").filter(pk=pk).first()
        if 0 < pk < 2**63
        else None
    )
    if profile is None:
        audit_refusal(
            actor=actor,
            object_type="neglect.NeglectProfile",
            object_id=str(profile_id)[:60],
            detail={"action": action.value, "why": "no such record"},
        )
        raise NotFound()
    covered = [profile.child, *profile.siblings.all()]
    check_neglect_profile(actor, covered, action)
    if not shown:
        return profile
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT if action is Action.EXPORT else AuditAction.VIEW,
        person_id=profile.child_id,
        subject_ids=[p.pk for p in covered],
        object_type="neglect.NeglectProfile",
        object_id=profile.pk,
    )
    return profile


def access_profile_child(
    *, actor: User, person_id: Any, action: Action = Action.VIEW, shown: bool = True
) -> Person:
    """The child whose profiles the page is about, if `actor` may read (VIEW) or start
    (EDIT) a profile of them: the policy's neglect-profile decision, audited as the person
    fetchers audit."""
    return access_person(
        actor=actor,
        person_id=person_id,
        action=action,
        shown=shown,
        decide_with=lambda person: neglect_profile_decisions(actor, [person], action)[person.pk],
    )
