"""Enqueue in the business transaction; deliver afterwards, at least once, idempotently."""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from safehub.notifications.models import Channel, Notification, OutboxMessage

log = logging.getLogger("safehub.outbox")

MAX_ATTEMPTS = 8


def outbox_enqueue(
    *,
    channel: str,
    dedupe_key: str,
    subject: str,
    body: str,
    link: str = "",
    user: Any = None,
    agency: Any = None,
    email: str = "",
) -> OutboxMessage:
    """Write a message to the outbox. Call inside the transaction of the change it reports.

    After commit the message is offered to the relay at once (best effort, in this
    process); if that fails or the process dies, the relay picks it up on its next pass.
    """
    message, _ = OutboxMessage.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "channel": channel,
            "subject": subject[:200],
            "body": body,
            "link": link,
            "recipient_user": user,
            "recipient_agency": agency,
            "recipient_email": email,
        },
    )
    transaction.on_commit(lambda: _deliver_soon(message.pk))
    return message


def notify_staff(*, user: Any, key: str, subject: str, body: str, link: str) -> None:
    """Tell a member of staff something: a message in their SafeHub inbox linking to the
    page it is about, and an e-mail saying where to find it (if they have an address).
    Call inside the transaction of the change it reports; `key` names the event."""
    for message in _staff_messages(user, key, subject, body, link):
        outbox_enqueue(**message)


def notify_team(*, users: Iterable[Any], key: str, subject: str, body: str, link: str) -> None:
    """Tell each of a team (the MASH on duty, a school's safeguarding leads, everyone
    watching the feeds) the same thing: what `notify_staff` writes for each, under `key`
    and their id, written in one statement and left to the relay's next pass. One by one,
    and delivered in the request, a team of 127 kept a police force's call to the
    partner-events API waiting more than a second (ADR 0008, amended 6 December)."""
    rows = [
        OutboxMessage(
            channel=message["channel"],
            dedupe_key=message["dedupe_key"],
            subject=message["subject"][:200],
            body=message["body"],
            link=message.get("link", ""),
            recipient_user=user,
        )
        for user in users
        for message in _staff_messages(user, f"{key}:{user.pk}", subject, body, link)
    ]
    # The same event told twice is one message each, as `outbox_enqueue` keeps it.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)


def _staff_messages(
    user: Any, key: str, subject: str, body: str, link: str
) -> list[dict[str, Any]]:
    """What telling one member of staff writes: the inbox message, and the e-mail if they
    have an address."""
    found: list[dict[str, Any]] = [
        {
            "channel": Channel.INBOX,
            "dedupe_key": f"{key}:inbox",
            "subject": subject,
            "body": body,
            "link": link,
            "user": user,
        }
    ]
    if user.email:
        found.append(
            {
                "channel": Channel.EMAIL,
                "dedupe_key": f"{key}:email",
                "subject": subject,
                "body": f"{body}\n\n{_where_to_look(link)}",
                "user": user,
            }
        )
    return found


def _where_to_look(link: str) -> str:
    # The e-mail carries the address of the page (which asks for sign-in), never more of
    # the record than the message itself says.
    if settings.SITE_URL:
        return f"Open it in SafeHub: {settings.SITE_URL.rstrip('/')}{link}"
    return "Sign in to SafeHub and open Messages to find it."


def _deliver_soon(message_id: int) -> None:
    try:
        outbox_relay(only_ids=[message_id])
    except Exception:  # the relay will retry; never fail the request that committed
        log.exception("outbox: immediate delivery of %s failed; left for the relay", message_id)


def outbox_relay(*, batch: int = 100, only_ids: list[int] | None = None) -> int:
    """Deliver pending messages, each in its own short transaction; returns how many sent.

    Rows are claimed with SELECT ... FOR UPDATE SKIP LOCKED (PostgreSQL), so several relays
    can run side by side without sending one message twice at the same time.
    """
    sent = 0
    pending = OutboxMessage.objects.filter(
        sent_at__isnull=True, dead_at__isnull=True, available_at__lte=timezone.now()
    )
    if only_ids is not None:
        pending = pending.filter(pk__in=only_ids)
    ids = list(pending.order_by("available_at", "pk").values_list("pk", flat=True)[:batch])
    for message_id in ids:
        with transaction.atomic():
            message = (
                OutboxMessage.objects.select_for_update(skip_locked=True)
                .filter(pk=message_id, sent_at__isnull=True, dead_at__isnull=True)
                .first()
            )
            if message is None:
                continue  # another relay has it, or it went out meanwhile
            try:
                deliver(message)
            except Exception as error:
                _record_failure(message, error)
                continue
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["sent_at", "attempts"])
            sent += 1
    return sent


def deliver(message: OutboxMessage) -> None:
    """Hand one message to its channel. Safe to repeat: the inbox keeps one row per message
    and an e-mail keeps one Message-ID however often it is sent."""
    if message.channel == Channel.INBOX:
        Notification.objects.get_or_create(
            message=message,
            defaults={
                "user": message.recipient_user,
                "agency": message.recipient_agency,
                "subject": message.subject,
                "body": message.body,
                "link": message.link,
            },
        )
        return
    to = message.recipient_email or getattr(message.recipient_user, "email", "")
    if not to:
        raise ValueError("No e-mail address for this recipient")
    EmailMessage(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Message-ID": message.message_id},
    ).send()


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        message.dead_at = timezone.now()  # dead letter: shown to administrators, not retried
        log.error("outbox: message %s gave up after %s attempts", message.pk, message.attempts)
    else:
        message.available_at = timezone.now() + timedelta(minutes=2**message.attempts)
    message.save(update_fields=["attempts", "last_error", "dead_at", "available_at"])
