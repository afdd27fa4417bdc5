"""User administration. Every action is audited (AuditAction.USER_ADMIN) and visible to the
data protection officer. User administration never grants its actor access to case data:
nobody changes their own account, and a change that would let someone see records (or
administer users, or review the audit trail) waits for a second administrator."""

import logging
import re
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.policy import (
    can_administer,
    can_decide_access_grant,
    can_manage_users,
    role_needs_second_administrator,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.organisations.models import AccessGrant, GrantOutcome, Team, User

security_log = logging.getLogger("safehub.security")

# Details, not access: they change at once, with no second administrator.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "job_title",
    "employment_type",
    "swe_registration",
)
ACCESS_FIELDS = ("role", "team", "is_active")
USER_FIELDS = (*PROFILE_FIELDS, *ACCESS_FIELDS)
NOT_YOURSELF = "You cannot change your own account here. Ask another administrator."


SWE_NUMBER = re.compile(r"SW\d{1,8}")


def clean_swe_registration(value: str, *, user: User | None = None) -> str:
    """A Social Work England registration number: "SW" and its digits, as the register
    prints it (spaces and case forgiven), and nobody else's."""
    number = re.sub(r"\s+", "", value or "").upper()
    if not number:
        return ""
    if not SWE_NUMBER.fullmatch(number):
        raise ValidationError(
            {
                "swe_registration": "Enter the Social Work England registration number as SW "
                "followed by its digits, like SW123456"
            }
        )
    taken = User.objects.filter(swe_registration=number)
    if user is not None and user.pk:
        taken = taken.exclude(pk=user.pk)
    if taken.exists():
        raise ValidationError(
            {"swe_registration": "Another user already has that registration number"}
        )
    return number


def _check(actor: User) -> None:
    if not can_manage_users(actor):
        raise PermissionDeniedError()


def _check_other(actor: User, user: User) -> None:
    _check(actor)
    if not can_administer(actor, user):
        raise PermissionDeniedError(NOT_YOURSELF)


def _audit(actor: User, user: User, what: str, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=AuditAction.USER_ADMIN,
        object_type="organisations.User",
        object_id=user.pk,
        detail={"what": what, "username": user.username, **detail},
    )


def _access(role: str, team: Team | None, active: bool) -> dict[str, Any]:
    return {"role": role, "team": team.label if team else None, "active": active}


def _gains_access(user: User, role: str, team: Team | None, active: bool) -> bool:
    """Whether this role, team and status would give `user` access they do not have now
    (a new role or team is new access even if the old one was as wide)."""
    if not active or not role_needs_second_administrator(role):
        return False
    return not user.is_active or user.role != role or user.team_id != (team.pk if team else None)


def _ask_second_administrator(actor: User, user: User, role: str, team: Team) -> AccessGrant:
    AccessGrant.objects.filter(user=user, outcome=GrantOutcome.PENDING).update(
        outcome=GrantOutcome.WITHDRAWN, decided_at=timezone.now()
    )
    grant = AccessGrant.objects.create(user=user, role=role, team=team, requested_by=actor)
    _audit(actor, user, "access_requested", grant=grant.pk, **_access(role, team, True))
    return grant


@transaction.atomic
def user_create(*, actor: User, username: str, password: str, data: dict[str, Any]) -> User:
    """Add a member of staff. If their role needs a second administrator, the account is
    made inactive and waits for that approval."""
    _check(actor)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "That username is already taken"})
    team: Team = data["team"]
    role, wants_active = data["role"], data.get("is_active", True)
    waits = _gains_access(User(is_active=False), role, team, wants_active)
    user = User(
        username=username,
        agency=team.agency,
        **{f: data[f] for f in USER_FIELDS if f in data},
    )
    user.swe_registration = clean_swe_registration(data.get("swe_registration", ""))
    user.is_active = wants_active and not waits
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    _audit(actor, user, "create", **_access(role, team, user.is_active))
    if waits:
        _ask_second_administrator(actor, user, role, team)
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, data: dict[str, Any]) -> AccessGrant | None:
    """Change someone else's details, role, team or status. Details change at once, and so
    does taking access away (disabling ends their sessions at once); giving access waits
    for a second administrator, and the pending grant is returned."""
    _check_other(actor, user)
    before = {f: getattr(user, f) for f in USER_FIELDS}
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    if "swe_registration" in data:
        user.swe_registration = clean_swe_registration(data["swe_registration"], user=user)
    role = data.get("role", user.role)
    team: Team | None = data.get("team", user.team)
    active = data.get("is_active", user.is_active)
    grant = None
    if _gains_access(user, role, team, active):
        if team is None:  # a grant is for a role in a team (the form asks for one)
            raise ValidationError({"team": "Select a team"})
        grant = _ask_second_administrator(actor, user, role, team)
    else:
        user.role, user.team, user.is_active = role, team, active
        user.agency = team.agency if team else user.agency
    user.full_clean()
    user.save()
    changed = [f for f in USER_FIELDS if getattr(user, f) != before[f]]
    if changed:
        _audit(actor, user, "change", fields=changed, **_access(user.role, user.team, active))
    if set(changed) & set(ACCESS_FIELDS):
        # Access was taken away at once: nothing waiting may give it back unseen.
        AccessGrant.objects.filter(user=user, outcome=GrantOutcome.PENDING).update(
            outcome=GrantOutcome.WITHDRAWN, decided_at=timezone.now()
        )
    if before["is_active"] and not user.is_active:
        _audit(actor, user, "disable")
        user_end_sessions(actor=actor, user=user)
    return grant


def _pending_grant(actor: User, grant_id: int) -> AccessGrant:
    grant = (
        AccessGrant.objects.select_for_update()
        .select_related("user", "team")
        .filter(pk=grant_id, outcome=GrantOutcome.PENDING)
        .first()
    )
    if grant is None:
        raise NotFound()
    if not can_decide_access_grant(actor, grant):
        raise PermissionDeniedError(
            "A second administrator must decide this: not the one who asked, and not the "
            "person it is for."
        )
    return grant


@transaction.atomic
def access_grant_approve(*, actor: User, grant_id: int) -> AccessGrant:
    """The second administrator approves: the user gets the role and team asked for and
    their account is active."""
    _check(actor)
    grant = _pending_grant(actor, grant_id)
    user = User.objects.select_for_update().get(pk=grant.user_id)
    user.role, user.team, user.agency, user.is_active = (
        grant.role,
        grant.team,
        grant.team.agency,
        True,
    )
    user.full_clean()
    user.save()
    grant.outcome, grant.decided_by, grant.decided_at = GrantOutcome.APPROVED, actor, timezone.now()
    grant.save(update_fields=["outcome", "decided_by", "decided_at", "updated_at"])
    _audit(
        actor,
        user,
        "access_approved",
        grant=grant.pk,
        requested_by=grant.requested_by.username,
        **_access(grant.role, grant.team, True),
    )
    return grant


@transaction.atomic
def access_grant_refuse(*, actor: User, grant_id: int, note: str = "") -> AccessGrant:
    _check(actor)
    grant = _pending_grant(actor, grant_id)
    grant.outcome, grant.decided_by, grant.decided_at = GrantOutcome.REFUSED, actor, timezone.now()
    grant.note = (note or "").strip()[:500]
    grant.save(update_fields=["outcome", "decided_by", "decided_at", "note", "updated_at"])
    _audit(actor, grant.user, "access_refused", grant=grant.pk, note=grant.note)
    return grant


@transaction.atomic
def user_end_sessions(*, actor: User, user: User) -> int:
    """Sign `user` out everywhere at once (a lost laptop, a leaver): their sessions are
    deleted on the server, so the next request from any of their devices asks them to sign
    in. Returns how many were ended. Anyone may do this to themselves."""
    _check(actor)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    if ended:
        security_log.warning("sessions ended: user=%s by=%s count=%s", user.pk, actor.pk, ended)
    _audit(actor, user, "sign_out", sessions=ended)
    return ended


@transaction.atomic
def sessions_end_all(*, actor: User, keep: str | None = None) -> int:
    """Sign everyone out (a suspected compromise): every session is deleted on the server
    but `keep`, the administrator's own, so they can go on responding."""
    _check(actor)
    ended, _ = Session.objects.exclude(session_key=keep or "").delete()
    security_log.warning("all sessions ended: by=%s count=%s", actor.pk, ended)
    _audit(actor, actor, "sign_out_everyone", sessions=ended)
    return ended


@transaction.atomic
def user_unlock(*, actor: User, user: User) -> None:
    _check_other(actor, user)
    axes_reset(username=user.username)
    _audit(actor, user, "unlock")


@transaction.atomic
def user_reset_second_factor(*, actor: User, user: User) -> None:
    """The user sets up a new authenticator app at their next sign-in."""
    _check_other(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    _audit(actor, user, "second_factor_reset")
    user_end_sessions(actor=actor, user=user)
