from django.db.models import Exists, OuterRef, QuerySet

from safehub.access.policy import can_manage_users
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import AccessGrant, GrantOutcome, User


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def user_list(*, actor: User) -> QuerySet[User]:
    if not can_manage_users(actor):
        raise PermissionDeniedError()
    pending = AccessGrant.objects.filter(user=OuterRef("pk"), outcome=GrantOutcome.PENDING)
    return (
        User.objects.select_related("agency", "team")
        .annotate(awaiting_approval=Exists(pending))
        .order_by("last_name", "first_name")
    )


def access_grants_pending(*, actor: User) -> list[AccessGrant]:
    """Grants of access waiting for a second administrator, oldest first."""
    if not can_manage_users(actor):
        raise PermissionDeniedError()
    return list(
        AccessGrant.objects.filter(outcome=GrantOutcome.PENDING)
        .select_related("user", "team", "team__agency", "requested_by")
        .order_by("created_at")
    )


def access_grant_for(user: User) -> AccessGrant | None:
    return (
        AccessGrant.objects.filter(user=user, outcome=GrantOutcome.PENDING)
        .select_related("team", "team__agency", "requested_by")
        .first()
    )


def user_get(user_id: int) -> User | None:
    return User.objects.select_related("team", "agency").filter(pk=user_id).first()
