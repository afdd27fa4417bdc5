from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safehub.access.models import ApiToken, BreakGlass, hash_token
from safehub.access.policy import Action, Decision, can_review_audit, decide
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import NotFound, PermissionDeniedError

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


def second_factor_check(*, user: Any, code: str) -> bool:
    """Step-up: does `code` match the user's authenticator now? (Each code works once.)"""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return any(
        device.verify_token(code) for device in TOTPDevice.objects.filter(user=user, confirmed=True)
    )


def api_token_create(*, actor: User, user: Any, name: str, days: int = 90) -> str:
    """Issue a token for a machine client acting as `user`; returns the secret once."""
    if actor.pk != user.pk and not getattr(actor, "role", "") == "system_administrator":
        raise PermissionDeniedError()
    secret = ApiToken.new_secret()
    ApiToken.objects.create(
        user=user,
        name=name,
        token_hash=hash_token(secret),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return secret


def api_token_user(raw: str) -> Any | None:
    """The active user a bearer token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=hash_token(raw or ""), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.expires_at and token.expires_at <= timezone.now():
        return None
    return token.user
