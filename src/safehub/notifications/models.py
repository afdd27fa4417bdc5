"""The transactional outbox and the in-app inbox.

A service that must tell someone something writes an `OutboxMessage` in the same transaction
as the change it reports, so the message exists exactly when the change does. The relay
(`outbox_relay`) delivers it afterwards, at least once; delivery is idempotent on the
recipient's side (one inbox row per message, one e-mail Message-ID per message), so a retry
after a crash never shows the recipient the same thing twice.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    INBOX = "inbox", "SafeHub inbox"


class OutboxMessage(models.Model):
    created_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # One business event enqueues one message per recipient and channel; the key says which.
    dedupe_key = models.CharField(max_length=120, unique=True)
    recipient_user = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recipient_agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recipient_email = models.EmailField(blank=True, default="")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=200, blank=True, default="")
    # Delivery state, owned by the relay.
    available_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["available_at"],
                name="outbox_pending_idx",
                condition=Q(sent_at__isnull=True, dead_at__isnull=True),
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient_user__isnull=False)
                | Q(recipient_agency__isnull=False)
                | ~Q(recipient_email=""),
                name="outbox_has_recipient",
            ),
        ]

    @property
    def message_id(self) -> str:
        """The e-mail Message-ID: the same on every retry, so mail clients show one copy."""
        return f"<outbox-{self.pk}@safehub.invalid>"


class Notification(models.Model):
    """A message in a user's (or their agency's) SafeHub inbox."""

    message = models.OneToOneField(
        OutboxMessage, on_delete=models.PROTECT, related_name="notification"
    )
    user = models.ForeignKey(
        "organisations.User", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    agency = models.ForeignKey(
        "organisations.Agency",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    link = models.CharField(max_length=200, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "created_at"], name="notification_user_idx"),
            models.Index(fields=["agency", "created_at"], name="notification_agency_idx"),
        ]
