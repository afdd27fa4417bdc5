from typing import Any

from django.db.models import QuerySet

from safehub.access.policy import can_manage_users
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import Team, User


def user_by_username(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def user_list(*, actor: Any) -> QuerySet[User]:
    if not can_manage_users(actor):
        raise PermissionDeniedError()
    return User.objects.select_related("agency", "team").order_by("last_name", "first_name")


def team_choices() -> list[tuple[int, str]]:
    return [
        (t.pk, f"{t.name} ({t.agency.name})")
        for t in Team.objects.select_related("agency").order_by("agency__name", "name")
    ]


def user_get(user_id: int) -> User | None:
    return User.objects.select_related("team", "agency").filter(pk=user_id).first()
