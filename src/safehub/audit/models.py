from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    EXPORT = "export", "Exported"
    BREAK_GLASS = "break_glass", "Opened a restricted record"
    AUDIT_VIEW = "audit_view", "Viewed the audit trail"
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed sign-in"
    SIGN_IN_LOCKED_OUT = "sign_in_locked_out", "Sign-in refused: account locked"
    LIST = "list", "Listed"
    REFUSED = "refused", "Refused"
    BREAK_GLASS_PROMPT = "break_glass_prompt", "Asked for a reason to open a restricted record"
    USER_ADMIN = "user_admin", "User administration"
    DISPOSE = "dispose", "Disposed under the retention schedule"


class AppendOnlyError(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    noun = "Audit events"

    def update(self, **kwargs):
        raise AppendOnlyError(f"{self.noun} cannot be changed.")

    def delete(self):
        raise AppendOnlyError(f"{self.noun} cannot be deleted.")


class AuditEvent(models.Model):
    """Who did what to which person's record, when, from where, and why if they said.

    `person` is a plain id (no foreign-key constraint) so the trail outlives any record.
    A search names the people it returned in `subject_ids` (",12,57,") so the data protection
    officer can see who found a person, not only who opened them.
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        "organisations.User",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        db_constraint=False,
    )
    actor_username = models.CharField(max_length=150)
    actor_role = models.CharField(max_length=32, blank=True, default="")
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    person_id = models.BigIntegerField(null=True, blank=True)
    subject_ids = models.TextField(blank=True, default="")
    object_type = models.CharField(max_length=60, blank=True, default="")
    object_id = models.CharField(max_length=60, blank=True, default="")
    # What was asked or changed (search terms, names of changed fields); never field values.
    detail = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True, default="")
    channel = models.CharField(max_length=10, default="web")  # web | api | system
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=36, blank=True, default="")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["person_id", "at"], name="audit_person_at_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_at_idx"),
        ]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")


class AuditSealQuerySet(AuditEventQuerySet):
    noun = "Audit seals"


class AuditSeal(models.Model):
    """One sealed batch of audit rows: every row with an id from `first_event_id` to
    `last_event_id`, in id order, digested with a keyed HMAC (ADR 0011).

    `rows_digest` covers the rows (every field named in `fields`); `digest` covers this
    seal's own numbers, `rows_digest` and `previous_digest`, so each seal is chained to the
    one before it and a seal cannot be altered, removed or re-ordered unnoticed. Seals are
    numbered 1, 2, 3… without gaps, and each range starts one after the previous seal's
    `last_event_id`, so a row inserted later into a sealed range is found too.
    Written only by `audit.sealing.audit_seal`; append-only like the events.
    """

    number = models.PositiveBigIntegerField(unique=True)
    first_event_id = models.BigIntegerField(unique=True)
    last_event_id = models.BigIntegerField(unique=True)
    row_count = models.PositiveIntegerField()
    # The AuditEvent fields the digest covers, in order, comma-separated: a field added to
    # AuditEvent later leaves the seals made before it verifiable.
    fields = models.TextField()
    rows_digest = models.CharField(max_length=64)
    previous_digest = models.CharField(max_length=64, blank=True, default="")
    digest = models.CharField(max_length=64, unique=True)
    sealed_at = models.DateTimeField()

    objects = AuditSealQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_event_id__gte=models.F("first_event_id")),
                name="audit_seal_range_in_order",
            ),
            models.CheckConstraint(
                condition=models.Q(row_count__gte=1), name="audit_seal_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"seal {self.number} (audit rows {self.first_event_id} to {self.last_event_id})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit seals cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit seals cannot be deleted.")
