"""Cumulative-concern rules, their versions, and the alerts they raise.

A rule is data: a JSON definition (`concerns.parsing`), a plain-English rationale, a version
number and an active flag. Every change makes a new `RuleVersion` carrying the back-test it
was saved with, so what a rule said on any day, and who changed it, is never lost.
"""

from django.db import models
from django.db.models import Q

from safehub.core.models import VersionedModel


class ConcernRule(VersionedModel):
    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    rationale = models.TextField()
    definition = models.JSONField()
    active = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self) -> str:
        return self.name


class RuleVersion(models.Model):
    """The rule as one change left it, with the back-test run before it was saved."""

    rule = models.ForeignKey(ConcernRule, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=200)
    rationale = models.TextField()
    definition = models.JSONField()
    active = models.BooleanField()
    changed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField()
    backtest = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="concern_rule_version_unique")
        ]


class AlertState(models.TextChoices):
    NEW = "new", "New"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACTED = "acted", "Acted on"
    DISMISSED = "dismissed", "Dismissed"


class ActionTaken(models.TextChoices):
    CONTACT = "contact", "Started a contact with the MASH"
    DISCUSSED = "discussed", "Discussed in supervision"
    PLAN_UPDATED = "plan_updated", "Added to the child's plan"
    PARTNERS_ASKED = "partners_asked", "Asked partner agencies for information"


class Alert(VersionedModel):
    """One firing of one rule for one child, on the facts that fired it. It goes to the
    child's lead professional, or when there is none to the MASH on its own clock."""

    rule = models.ForeignKey(ConcernRule, on_delete=models.PROTECT, related_name="alerts")
    rule_version = models.PositiveIntegerField()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField()
    # The chronology entries that fired it, and the explanation of every condition as
    # evaluated then (shown as it was, even after the rule changes).
    fact_ids = models.JSONField()
    explanation = models.JSONField()
    # Hash of the rule and its facts: the same facts never raise a second alert.
    fingerprint = models.CharField(max_length=64)
    lead_professional = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    due_at = models.DateTimeField()  # the MASH's clock, or the lead professional's
    state = models.CharField(max_length=12, choices=AlertState.choices, default=AlertState.NEW)
    acknowledged_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    action_taken = models.CharField(
        max_length=20, choices=ActionTaken.choices, blank=True, default=""
    )
    note = models.TextField(blank=True, default="")  # what was done, or why dismissed
    # New facts taken in after it was raised (ADR 0034): how often, and the last time.
    updates = models.PositiveIntegerField(default=0)
    updated_with_facts_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "person", "fingerprint"], name="concern_alert_once_per_facts"
            ),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(note=""),
                name="concern_alert_dismissed_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "rule"], name="concern_alert_person_idx"),
            models.Index(fields=["lead_professional", "state"], name="concern_alert_lead_idx"),
            models.Index(
                fields=["due_at"],
                name="concern_alert_mash_idx",
                condition=Q(lead_professional__isnull=True),
            ),
        ]

    @property
    def to_mash(self) -> bool:
        return self.lead_professional_id is None

    @property
    def open(self) -> bool:
        return self.state in (AlertState.NEW, AlertState.ACKNOWLEDGED)
