from django.db.models import Q, QuerySet

from safehub.notifications.models import Notification
from safehub.organisations.models import User


def notifications_for(*, actor: User, limit: int = 50) -> QuerySet[Notification]:
    """The actor's inbox: messages to them, and to their agency."""
    return Notification.objects.filter(Q(user=actor) | Q(agency_id=actor.agency_id)).order_by(
        "-created_at"
    )[:limit]
