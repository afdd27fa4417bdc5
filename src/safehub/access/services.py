from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import auth
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.models import ApiToken, BreakGlass, FormDraft, hash_token
from safehub.access.policy import Action, Decision, can_manage_users, can_review_audit, decide
from safehub.audit.models import AuditAction
from safehub.audit.services import ServerOperator, audit_record
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.core.statements import fixed_read

if TYPE_CHECKING:
    from safehub.core.users import User

BREAK_GLASS_REASON_MIN = 10


def break_glass_open(*, actor: User, person: Any, reason: str) -> BreakGlass:
    """Open a restricted record for a limited time on a recorded reason. The grant lands in
    the data protection officer's review queue in the same transaction."""
    reason = (reason or "").strip()
    if len(reason) < BREAK_GLASS_REASON_MIN:
        raise ValidationError(
            {"reason": "Explain why you need to open this record (at least 10 characters)"}
        )
    with transaction.atomic():
        if decide(actor, person, Action.VIEW) is not Decision.BREAK_GLASS:
            raise NotFound()
        grant = BreakGlass.objects.create(
            person_id=person.pk,
            user=actor,
            reason=reason,
            expires_at=timezone.now() + timedelta(hours=settings.BREAK_GLASS_HOURS),
        )
        audit_record(
            actor=actor,
            action=AuditAction.BREAK_GLASS,
            person_id=person.pk,
            object_type="access.BreakGlass",
            object_id=grant.pk,
            reason=reason,
        )
    return grant


def break_glass_review(*, actor: User, grant_id: int, note: str) -> BreakGlass:
    if not can_review_audit(actor):
        raise PermissionDeniedError()
    with transaction.atomic():
        grant = BreakGlass.objects.select_for_update().filter(pk=grant_id).first()
        if grant is None:
            raise NotFound()
        if grant.reviewed_at is None:
            grant.reviewed_at = timezone.now()
            grant.reviewed_by = actor
            grant.review_note = (note or "").strip()[:2000]
            grant.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    return grant


# --- Sign-in and the second factor ---------------------------------------------------------
# Wrong passwords and wrong security codes lock an account together: django-axes counts both
# against the username, in the database, so neither a new session nor another address starts
# the count again. Only a right code clears it (AXES_RESET_ON_SUCCESS is off: a right password
# alone must not, or the codes could be guessed a few at a time between passwords). While
# locked nothing is checked; the request is marked `axes_locked_out`, which AxesMiddleware
# answers with the lockout page (`views_auth.locked_out`); an administrator's unlock
# (organisations.services.user_unlock) or the cool-off ends it.


def sign_in_password(*, request: HttpRequest, username: str, password: str) -> User | None:
    """The first step: the active user with this username and password, or None. A refusal
    is audited, as a lockout if the account is (or has just become) locked."""
    credentials = {"username": username}
    already_locked = AxesProxyHandler.is_locked(request, credentials)
    user = auth.authenticate(request, username=username, password=password)
    if user is None:
        detail = {"username": username[:150], "step": "password"}
        if not already_locked:
            audit_record(actor=None, action=AuditAction.SIGN_IN_FAILED, detail=detail)
        if getattr(request, "axes_locked_out", False):
            audit_record(actor=None, action=AuditAction.SIGN_IN_LOCKED_OUT, detail=detail)
    return user


def second_factor_check(
    *, request: HttpRequest, user: User, code: str, step: str = "step-up"
) -> TOTPDevice | None:
    """The authenticator whose current code `code` is, or None. Used at sign-in (step
    "second factor") and to step up before breaking the glass. Each code works once. A wrong
    code counts towards the lockout and is audited; so is the lockout it causes, and any code
    tried on a locked account, which is refused without being checked."""
    credentials = {"username": user.get_username()}
    detail = {"step": step}
    if AxesProxyHandler.is_locked(request, credentials):
        # django-axes' own flag on the request (AxesMiddleware answers it), which
        # HttpRequest does not declare.
        request.axes_locked_out = True  # type: ignore[attr-defined]
        audit_record(actor=user, action=AuditAction.SIGN_IN_LOCKED_OUT, detail=detail)
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            AxesProxyHandler.reset_attempts(username=user.get_username())
            return device
    # Counted exactly as a wrong password is: the signal django-axes listens for.
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    audit_record(actor=user, action=AuditAction.SIGN_IN_FAILED, detail=detail)
    if getattr(request, "axes_locked_out", False):
        audit_record(actor=user, action=AuditAction.SIGN_IN_LOCKED_OUT, detail=detail)
    return None


def sign_in_complete(*, user: User) -> None:
    """Both factors accepted."""
    audit_record(actor=user, action=AuditAction.SIGN_IN)


@transaction.atomic
def api_token_create(*, actor: User, user: User, name: str, days: int = 90) -> str:
    """Issue a token for a machine client acting as `user`; returns the secret once. A token
    acts with its user's access, so only that user may be issued one (the server operator's
    `manage.py create_api_token` acts as them): an administrator issuing a token for someone
    else would be giving themselves that person's access to records."""
    if actor is None or actor.pk != user.pk:
        raise PermissionDeniedError("An API token can be issued only to the person it acts as.")
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=actor,
        action=AuditAction.USER_ADMIN,
        object_type="access.ApiToken",
        object_id=token.pk,
        detail={"what": "api_token_issued", "username": user.username, "name": name},
    )
    return secret


# When a token was last used is written at most this often, not on every call.
LAST_USED_EVERY = timedelta(minutes=1)


def _live_token(token_hash: str) -> QuerySet[ApiToken]:
    return ApiToken.objects.select_related("user__agency").filter(
        token_hash=token_hash, revoked_at__isnull=True
    )


def api_token_user(raw: str) -> Any | None:
    """The active user a bearer token belongs to, or None. Looked up on every call, so a
    revoked token is refused at once. Records when the token was last used, at most once a
    minute (a conditional UPDATE, so simultaneous calls write it once)."""
    # The user's agency with them: the partner feeds (most API calls) are answered by it.
    # Compiled once (ADR 0063): every API call makes this read.
    found = fixed_read("access.api_token", _live_token, hash_token(raw or ""))
    token = found[0] if found else None
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_EVERY),
            pk=token.pk,
        ).update(last_used_at=now)
    return token.user


# Whoever runs manage.py on the server (list_api_tokens, revoke_api_token): may list and
# revoke any token; audited by that name, on the "system" channel.
OPERATOR = ServerOperator()


def _may_manage_tokens_of(actor: User | ServerOperator, user_id: int | None) -> bool:
    """System administrators (and the server's operator) any token; anyone their own."""
    return (
        isinstance(actor, ServerOperator)
        or can_manage_users(actor)
        or (user_id is not None and actor.pk == user_id)
    )


def api_token_list(*, actor: User | ServerOperator, user: User | None = None) -> list[ApiToken]:
    """Tokens with their user, newest first: every token (or `user`'s) for a system
    administrator, the actor's own for anyone else. Audited."""
    if user is not None and not _may_manage_tokens_of(actor, user.pk):
        raise PermissionDeniedError()
    tokens = ApiToken.objects.select_related("user").order_by("-created_at", "-pk")
    if user is not None:
        tokens = tokens.filter(user=user)
    elif not isinstance(actor, ServerOperator) and not can_manage_users(actor):
        tokens = tokens.filter(user=actor)  # their own: what _may_manage_tokens_of allows
    listed = list(tokens)
    # A look at the tokens, not a change to an account: audited as a list, so it is not on
    # the user administration log among the changes.
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="access.ApiToken",
        detail={"what": "api_tokens_listed", "count": len(listed)},
    )
    return listed


@transaction.atomic
def api_token_revoke(*, actor: User | ServerOperator, token_id: int) -> ApiToken:
    """Revoke a token at once (its next call gets 401). Not found, whether missing or not
    the actor's to revoke. Revoking a revoked token keeps the first time. Audited."""
    token = ApiToken.objects.select_for_update().select_related("user").filter(pk=token_id).first()
    if token is None or not _may_manage_tokens_of(actor, token.user_id):
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action=AuditAction.USER_ADMIN,
        object_type="access.ApiToken",
        object_id=token.pk,
        detail={"what": "api_token_revoked", "username": token.user.username, "name": token.name},
    )
    return token


# --- Forms sent after the session ended (ADR 0018) -----------------------------------------
# A form that arrives after its author's session has ended is kept, tied to them and to the
# page it came from, and put back in that page once they have signed in again (both factors).

# Never kept: what proves who someone is or that a form is fresh.
SECRET_FIELD_WORDS = ("password", "token", "csrf")
SECRET_FIELDS = {"code", "idempotency_key", "session_timed_out"}


def _keepable(name: str) -> bool:
    lowered = name.lower()
    return lowered not in SECRET_FIELDS and not any(w in lowered for w in SECRET_FIELD_WORDS)


def form_draft_keep(*, user: User, page: str, action: str, data: Any) -> FormDraft | None:
    """Keep what `user` sent to `action` from `page` (a QueryDict), less its secrets; None
    when nothing typed is left to keep. Drafts past their time are removed on the way."""
    fields = {
        name: [str(v) for v in data.getlist(name)]
        for name in data
        if _keepable(name) and any(str(v).strip() for v in data.getlist(name))
    }
    now = timezone.now()
    FormDraft.objects.filter(expires_at__lte=now).delete()
    if not fields:
        return None
    FormDraft.objects.filter(user=user, page=page).delete()  # the newest replaces it
    return FormDraft.objects.create(
        user=user,
        page=page[:2000],
        action=action[:2000],
        fields=fields,
        expires_at=now + timedelta(hours=settings.EXPIRED_FORM_KEEP_HOURS),
    )


def form_draft_take(*, user: User, draft_id: int, page: str) -> FormDraft | None:
    """The user's unexpired draft for this page, removed as it is handed back: it is put
    back once, in its page, and never shown to anyone else."""
    draft = FormDraft.objects.filter(
        pk=draft_id, user=user, page=page, expires_at__gt=timezone.now()
    ).first()
    if draft is not None:
        FormDraft.objects.filter(pk=draft.pk).delete()
    return draft


def form_draft_waiting(*, user: User) -> FormDraft | None:
    """The user's newest unexpired draft, whose page they go back to after signing in."""
    return (
        FormDraft.objects.filter(user=user, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
