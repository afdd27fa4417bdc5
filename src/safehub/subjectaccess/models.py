"""Subject access requests (UK GDPR Art. 15): the request, the bundle compiled for it (a
copy of what SafeHub held on the day, item by item) and the redactions decided on it."""

from datetime import date

from django.db import models

from safehub.core.models import TimeStampedModel, VersionedModel


class RequesterKind(models.TextChoices):
    SUBJECT = "subject", "The person themselves"
    PARENT = "parent", "A parent or carer for a child"
    REPRESENTATIVE = "representative", "A solicitor or other representative"


class Stage(models.TextChoices):
    RECEIVED = "received", "Received"
    IN_REVIEW = "in_review", "In review"
    SENT = "sent", "Sent"


class SubjectAccessRequest(VersionedModel):
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    requester_name = models.CharField(max_length=120)
    requester_kind = models.CharField(max_length=16, choices=RequesterKind.choices)
    identity_checked = models.BooleanField(default=False)
    identity_evidence = models.CharField(max_length=200, blank=True, default="")
    received_on = models.DateField()
    # One month from receipt (Art. 12(3)); `extended_to` up to two further months.
    due_on = models.DateField()
    extended_to = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True, default="")
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.RECEIVED)
    compiled_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["stage", "due_on"], name="sar_stage_due_idx")]

    @property
    def deadline(self) -> date:
        return self.extended_to or self.due_on

    @property
    def is_open(self) -> bool:
        return self.stage != Stage.SENT


class Section(models.TextChoices):
    PERSON = "person", "Person record"
    NAMES = "names", "Names"
    ADDRESSES = "addresses", "Addresses"
    RELATIONSHIPS = "relationships", "Relationships"
    CHRONOLOGY = "chronology", "Chronology"
    CONTACTS = "contacts", "Contacts and referrals"
    CASEWORK = "casework", "Casework records"
    NOTES = "notes", "Case notes and visits"
    NEGLECT = "neglect", "Neglect profiles"
    SHARING = "sharing", "Information-sharing log"
    AUDIT = "audit", "Who viewed the record"


class BundleItem(TimeStampedModel):
    """One thing SafeHub held, as text, copied when the bundle was compiled."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="items"
    )
    section = models.CharField(max_length=16, choices=Section.choices)
    position = models.PositiveIntegerField()
    occurred_on = models.DateField(null=True, blank=True)
    heading = models.CharField(max_length=200)
    text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["request", "position"], name="sar_item_position"),
        ]


class RedactionState(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    ACCEPTED = "accepted", "Redact"
    REJECTED = "rejected", "Keep"


class Redaction(TimeStampedModel):
    """Words to remove from every item of the bundle: another person's name or details.
    The system suggests; a person accepts or rejects each suggestion, or adds their own."""

    request = models.ForeignKey(
        SubjectAccessRequest, on_delete=models.CASCADE, related_name="redactions"
    )
    term = models.CharField(max_length=200)
    why = models.CharField(max_length=200)
    suggested = models.BooleanField(default=True)  # False: added by a person
    state = models.CharField(
        max_length=10, choices=RedactionState.choices, default=RedactionState.SUGGESTED
    )
    decided_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "term"], name="sar_redaction_term"),
        ]
