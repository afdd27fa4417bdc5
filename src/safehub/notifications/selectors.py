from datetime import datetime

from django.conf import settings
from django.db.models import Min, Q, QuerySet

from safehub.notifications.models import Notification, OutboxMessage
from safehub.organisations.models import User
from safehub.ui.health import CheckResult


def notifications_for(*, actor: User, limit: int = 50) -> QuerySet[Notification]:
    """The actor's inbox: messages to them, and to their agency."""
    return Notification.objects.filter(Q(user=actor) | Q(agency_id=actor.agency_id)).order_by(
        "-created_at"
    )[:limit]


def outbox_backlog(*, now: datetime) -> tuple[int, datetime | None]:
    """Messages due for delivery now (not waiting out a retry's back-off), and the time the
    longest-waiting of them became due. A relay that keeps up leaves none for long."""
    due = OutboxMessage.objects.filter(
        sent_at__isnull=True, dead_at__isnull=True, available_at__lte=now
    )
    return due.count(), due.aggregate(oldest=Min("available_at"))["oldest"]


def outbox_readiness(now: datetime) -> CheckResult:
    """Readiness check (ui.health): the relay is running and keeping up, judged by how long
    the oldest due message has waited. Failing deliveries back off, so they do not count
    until they fall due again."""
    due, oldest = outbox_backlog(now=now)
    age = int((now - oldest).total_seconds()) if oldest else 0
    return CheckResult(
        ok=age <= settings.OUTBOX_READY_MAX_AGE_SECONDS,
        detail={
            "due_messages": due,
            "oldest_due_seconds": age,
            "limit_seconds": settings.OUTBOX_READY_MAX_AGE_SECONDS,
        },
    )
