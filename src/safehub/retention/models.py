"""Retention reviews (what the schedule says is due, and the decision on it) and legal
holds (a record kept past its date, for a reason, until the hold is lifted)."""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel


class ReviewState(models.TextChoices):
    DUE = "due", "Due for review"
    DISPOSED = "disposed", "Disposed"
    HELD = "held", "Held"


class RetentionReview(VersionedModel):
    """One child's record found due by the monthly job, and what the reviewer decided."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    record_class = models.CharField(max_length=40)
    rule = models.TextField()  # the schedule's citation, copied: the rule as it was applied
    schedule_version = models.PositiveIntegerField()
    due_on = models.DateField()
    listed_on = models.DateField()
    state = models.CharField(max_length=10, choices=ReviewState.choices, default=ReviewState.DUE)
    reason = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # What disposal removed, by kind of record (counts only).
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(state="due"), name="retention_one_due_review"
            ),
        ]


class LegalHold(TimeStampedModel):
    """Keep a record whatever the schedule says (litigation, an inquiry, a complaint)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    placed_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["person", "lifted_at"], name="legalhold_person_idx")]
