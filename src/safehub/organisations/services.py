import logging
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.policy import can_manage_users
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import Team, User

security_log = logging.getLogger("safehub.security")

USER_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "role",
    "team",
    "job_title",
    "employment_type",
    "is_active",
)


def _check(actor: Any) -> None:
    if not can_manage_users(actor):
        raise PermissionDeniedError()


@transaction.atomic
def user_create(*, actor: Any, username: str, password: str, data: dict[str, Any]) -> User:
    _check(actor)
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "That username is already taken"})
    team: Team = data["team"]
    user = User(
        username=username, agency=team.agency, **{f: data[f] for f in USER_FIELDS if f in data}
    )
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def user_update(*, actor: Any, user: User, data: dict[str, Any]) -> User:
    """Change a user's role, team or status. Deactivating ends their sessions at once."""
    _check(actor)
    for field in USER_FIELDS:
        if field in data:
            setattr(user, field, data[field])
    user.agency = user.team.agency if user.team else user.agency
    user.full_clean()
    user.save()
    if not user.is_active:
        user_end_sessions(actor=actor, user=user)
    return user


def user_end_sessions(*, actor: Any, user: User) -> int:
    """Sign `user` out everywhere at once (a lost laptop, a leaver): their sessions are
    deleted on the server, so the next request from any of their devices asks them to sign
    in. Returns how many were ended."""
    _check(actor)
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    if ended:
        security_log.warning("sessions ended: user=%s by=%s count=%s", user.pk, actor.pk, ended)
    return ended


def sessions_end_all(*, actor: Any, keep: str | None = None) -> int:
    """Sign everyone out (a suspected compromise): every session is deleted on the server
    but `keep`, the administrator's own, so they can go on responding."""
    _check(actor)
    ended, _ = Session.objects.exclude(session_key=keep or "").delete()
    security_log.warning("all sessions ended: by=%s count=%s", actor.pk, ended)
    return ended


def user_unlock(*, actor: Any, user: User) -> None:
    _check(actor)
    axes_reset(username=user.username)


@transaction.atomic
def user_reset_second_factor(*, actor: Any, user: User) -> None:
    """The user sets up a new authenticator app at their next sign-in."""
    _check(actor)
    TOTPDevice.objects.filter(user=user).delete()
    user_end_sessions(actor=actor, user=user)
