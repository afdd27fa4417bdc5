"""Contacts (every worry that reaches the front door), the people named in them, the
information the MASH asks partners for, and consent decisions.

A contact keeps what was submitted exactly as submitted (`submission`); triage and the
decision are recorded beside it, never over it.
"""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel
from safehub.frontdoor.codes import (
    OPEN_STATUSES,
    Channel,
    Consent,
    ConsentDecision,
    Decision,
    Described,
    FamilyAware,
    LevelOfNeed,
    Rag,
    ReferralSource,
    RequestStatus,
    Status,
    SubjectRole,
    Urgency,
)


class Contact(VersionedModel):
    reference = models.CharField(max_length=12, unique=True)
    channel = models.CharField(max_length=12, choices=Channel.choices)
    referral_source = models.CharField(max_length=2, choices=ReferralSource.choices)
    received_at = models.DateTimeField()
    decision_due_at = models.DateTimeField()
    # Retries of one submission (double click, browser or API retry) carry the same key.
    idempotency_key = models.CharField(max_length=80, unique=True, null=True, blank=True)
    payload_hash = models.CharField(max_length=64, blank=True, default="")
    submission = models.JSONField(default=dict)

    # Who told us.
    referrer_user = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referrer_agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    referrer_name = models.CharField(max_length=120, blank=True, default="")
    referrer_relationship = models.CharField(max_length=120, blank=True, default="")
    referrer_email = models.EmailField(blank=True, default="")
    referrer_phone = models.CharField(max_length=30, blank=True, default="")
    wants_contact = models.BooleanField(default=False)
    # The MASH worker who took a telephone contact (the caller is the referrer above).
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # What they told us.
    concern_summary = models.TextField()
    in_danger_now = models.BooleanField(default=False)
    concern_factors = models.JSONField(default=list, blank=True)
    what_tried = models.TextField(blank=True, default="")
    family_aware = models.CharField(
        max_length=8, choices=FamilyAware.choices, blank=True, default=""
    )
    consent = models.CharField(max_length=10, choices=Consent.choices, blank=True, default="")
    consent_not_sought_reason = models.TextField(blank=True, default="")
    urgency = models.CharField(max_length=10, choices=Urgency.choices)
    urgency_rank = models.PositiveSmallIntegerField()

    # What the MASH did.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rag = models.CharField(max_length=5, choices=Rag.choices, blank=True, default="")
    level_of_need = models.CharField(
        max_length=1, choices=LevelOfNeed.choices, blank=True, default=""
    )
    decision = models.CharField(max_length=12, choices=Decision.choices, blank=True, default="")
    decision_reasons = models.TextField(blank=True, default="")
    # The child's primary need (CIN census code), required when the referral is accepted.
    primary_need = models.CharField(max_length=2, blank=True, default="")
    # What the MASH wants the referrer to hear, sent with the outcome (reasons stay inside).
    referrer_feedback = models.TextField(blank=True, default="")
    decided_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # When the decision became final (signed off, or decided where no sign-off is needed).
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["urgency_rank", "decision_due_at"],
                name="contact_queue_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(fields=["referrer_agency", "received_at"], name="contact_referrer_idx"),
            models.Index(fields=["closed_at"], name="contact_closed_idx"),
            models.Index(fields=["received_at"], name="contact_received_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=Status.DECIDED, decision__gt="", closed_at__isnull=False)
                | (~Q(status=Status.DECIDED) & Q(closed_at__isnull=True)),
                name="contact_decided_has_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_referral(self) -> bool:
        from safehub.frontdoor.codes import REFERRAL_DECISIONS

        return self.status == Status.DECIDED and self.decision in REFERRAL_DECISIONS


class ContactSubject(TimeStampedModel):
    """A child or adult named in a contact, as the referrer described them, and the person
    record a MASH worker linked them to (never linked automatically)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="subjects")
    role = models.CharField(max_length=5, choices=SubjectRole.choices)
    position = models.PositiveSmallIntegerField(default=0)
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    date_of_birth = models.DateField(null=True, blank=True)
    # A pre-birth referral: the baby is due on this date and has no date of birth yet.
    expected_date_of_birth = models.DateField(null=True, blank=True)
    age_description = models.CharField(max_length=60, blank=True, default="")
    # How they relate to the first child named: the referrer's words, and the closed code
    # the forms ask for (blank where the referrer gave only words, as older API clients do).
    relationship = models.CharField(max_length=80, blank=True, default="")
    relationship_to_child = models.CharField(
        max_length=20, choices=Described.choices, blank=True, default=""
    )
    address_line_1 = models.CharField(max_length=120, blank=True, default="")
    town = models.CharField(max_length=80, blank=True, default="")
    postcode = models.CharField(max_length=8, blank=True, default="")
    school = models.CharField(max_length=120, blank=True, default="")
    nhs_number = models.CharField(max_length=10, blank=True, default="")
    upn = models.CharField(max_length=13, blank=True, default="")
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contact_subjects",
    )
    linked_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    linked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["person"], name="contact_subject_person_idx")]

    @property
    def full_name(self) -> str:
        if not (self.given_name or self.family_name) and self.is_unborn:
            return "Unborn baby"
        return f"{self.given_name} {self.family_name}".strip() or "Name not known"

    @property
    def is_unborn(self) -> bool:
        return self.expected_date_of_birth is not None


class InformationRequest(VersionedModel):
    """The MASH asking a partner agency what it knows about the people in a contact."""

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="information_requests"
    )
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    question = models.TextField()
    due_at = models.DateTimeField()
    requested_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    answer = models.TextField(blank=True, default="")
    answered_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="inforequest_agency_idx"),
        ]


class ConsentRecord(TimeStampedModel):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="consents")
    decision = models.CharField(max_length=10, choices=ConsentDecision.choices)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )
