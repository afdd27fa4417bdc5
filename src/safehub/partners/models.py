from django.db import models
from django.db.models import Q

from safehub.core.models import VersionedModel
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


# --- Watching the feeds (ADR 0024) -------------------------------------------------------

DEFAULT_QUIET_AFTER = 2  # the shortest limit a feed's usual rate gives it, in working days


class FeedWatch(models.Model):
    """How long one feed (an agency's events of one type) may go without an event, in whole
    working days, before the MASH's managers and the partnership are told it is quiet, as a
    watcher set it. A feed with no row here has the limit its usual rate gives it
    (`feeds.usual_quiet_after`, ADR 0073)."""

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40)
    quiet_after = models.PositiveSmallIntegerField(default=DEFAULT_QUIET_AFTER)
    changed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "type"], name="feed_watch_unique"),
            models.CheckConstraint(
                condition=Q(quiet_after__gte=1, quiet_after__lte=20), name="feed_quiet_after_range"
            ),
        ]


class QuietSpell(models.Model):
    """A time a feed went quiet: noticed (and alerted) once, ended when events resumed."""

    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    type = models.CharField(max_length=40)
    last_event_at = models.DateTimeField()
    noticed_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One open spell per feed: a second run of the watcher cannot alert again.
            models.UniqueConstraint(
                fields=["agency", "type"],
                condition=Q(ended_at__isnull=True),
                name="quiet_spell_one_open",
            ),
        ]


# --- Operation Encompass (ADR 0024) ----------------------------------------------------


class NoticeState(models.TextChoices):
    SENT = "sent", "Sent to the school"
    ACKNOWLEDGED = "acknowledged", "Acknowledged by the school"
    NO_SCHOOL = "no_school", "No known school: the MASH to resolve"


class EncompassNotice(VersionedModel):
    """A police domestic-abuse notification about a child, passed to the safeguarding lead
    of the child's school before the next school day starts (Operation Encompass)."""

    event = models.OneToOneField(PartnerEvent, on_delete=models.PROTECT, related_name="notice")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    incident_at = models.DateTimeField()
    child_present = models.BooleanField()
    state = models.CharField(max_length=12, choices=NoticeState.choices)
    sent_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state="no_school", school__isnull=True)
                | Q(state__in=["sent", "acknowledged"], school__isnull=False, due_at__isnull=False),
                name="encompass_school_when_sent",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "state"], name="encompass_school_idx"),
            models.Index(fields=["state", "due_at"], name="encompass_due_idx"),
        ]
