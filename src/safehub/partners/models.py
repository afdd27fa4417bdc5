from django.db import models
from django.db.models import Q

from safehub.partners.codes import Channel, MatchState, Significance

SUMMARY_MAX = 500
REASON_MAX = 200
EVENT_ID_MAX = 64
SEND_BACK_REASON_MAX = 500


class PartnerEvent(models.Model):
    """One event a partner agency sent, as sent: who it is about in the partner's own terms
    (an NHS number, a UPN, or a name with date of birth and postcode), and what became of it
    here: filed on a person's record, waiting for the MASH, or sent back with a reason.

    Nothing here is ever deleted; an event the MASH cannot place is sent back, not dropped.
    """

    agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, related_name="partner_events"
    )
    # The partner's own id for the event: sending it again is recognised, not duplicated.
    partner_event_id = models.CharField(max_length=EVENT_ID_MAX)
    type = models.CharField(max_length=40)
    occurred_at = models.DateTimeField()
    # False when the partner gave a date alone (held at midday London time, ADR 0014).
    time_known = models.BooleanField(default=True)
    # Who it is about, as the partner gave it.
    nhs_number = models.CharField(max_length=10, blank=True, default="")
    upn = models.CharField(max_length=13, blank=True, default="")
    given_name = models.CharField(max_length=100, blank=True, default="")
    family_name = models.CharField(max_length=100, blank=True, default="")
    date_of_birth = models.DateField(null=True, blank=True)
    postcode = models.CharField(max_length=8, blank=True, default="")
    summary = models.CharField(max_length=SUMMARY_MAX)
    significance = models.CharField(max_length=6, choices=Significance.choices)
    # Shared on condition it goes no further than the council: the timeline says that
    # restricted information was received, and only the MASH reads the summary.
    restricted = models.BooleanField(default=False)
    # What some types carry besides (codes.Needs).
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    attendance_percent = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    reason = models.CharField(max_length=REASON_MAX, blank=True, default="")
    # SHA-256 of the event as cleaned: the same id with other content is a conflict.
    content_hash = models.CharField(max_length=64)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=MatchState.choices)
    matched_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    matched_at = models.DateTimeField(null=True, blank=True)
    sent_back_reason = models.CharField(max_length=SEND_BACK_REASON_MAX, blank=True, default="")
    channel = models.CharField(max_length=3, choices=Channel.choices)
    received_at = models.DateTimeField()
    # The partner's user (a person, or the account their system's token belongs to).
    sent_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "partner_event_id"], name="partner_event_id_unique_per_agency"
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=True, state__in=["awaiting", "sent_back"])
                | Q(person__isnull=False, state__in=["identifier", "worker"]),
                name="partner_event_person_matches_state",
            ),
            models.CheckConstraint(
                condition=~Q(state="sent_back") | ~Q(sent_back_reason=""),
                name="partner_event_sent_back_has_reason",
            ),
        ]
        indexes = [
            models.Index(
                fields=["received_at"],
                name="partner_event_waiting_idx",
                condition=Q(state="awaiting"),
            ),
            models.Index(fields=["agency", "state"], name="partner_event_agency_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}:{self.partner_event_id}"


class PartnerUpload(models.Model):
    """A CSV file a partner uploaded, kept from its preview until they confirm it (once)."""

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )
    filename = models.CharField(max_length=200)
    content = models.BinaryField()
    uploaded_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # What confirming did, event by event (the same outcomes the API answers with).
    outcomes = models.JSONField(default=list, blank=True)
