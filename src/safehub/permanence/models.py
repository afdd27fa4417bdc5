"""Care proceedings (pre-proceedings under the Public Law Outline, the application, hearings,
extensions of the 26 weeks, the final order), deprivation of liberty orders, adoption and
prospective adopters, and a child's previous permanence."""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel
from safehub.permanence.codes import (
    AdopterLegalStatus,
    AdopterSexes,
    Application,
    FinalOrder,
    HearingKind,
    InterimOrder,
    PreProceedingsOutcome,
    PreviousPermanence,
    ReversalReason,
)


class Proceedings(VersionedModel):
    """One run of court work about a child: pre-proceedings (which may end without court),
    then the application, its hearings and the final order. One open at a time per child."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    # Pre-proceedings (PLO): the legal gateway decision, the letter, the meeting.
    pre_start = models.DateField(null=True, blank=True)
    letter_sent = models.DateField(null=True, blank=True)
    meeting_held = models.DateField(null=True, blank=True)
    pre_outcome = models.CharField(
        max_length=14, choices=PreProceedingsOutcome.choices, blank=True, default=""
    )
    pre_ended = models.DateField(null=True, blank=True)
    # The application: its issue starts the 26-week clock.
    application = models.CharField(max_length=12, choices=Application.choices, blank=True)
    issued_on = models.DateField(null=True, blank=True)
    court = models.CharField(max_length=120, blank=True, default="")
    case_number = models.CharField(max_length=30, blank=True, default="")
    guardian = models.CharField(max_length=120, blank=True, default="")
    timetable_ends = models.DateField(null=True, blank=True)  # 26 weeks, plus extensions
    final_order = models.CharField(max_length=14, choices=FinalOrder.choices, blank=True)
    final_order_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(final_order_on__isnull=True, pre_ended__isnull=True),
                name="proceedings_one_open",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.final_order_on is None and self.pre_ended is None


class Hearing(TimeStampedModel):
    proceedings = models.ForeignKey(Proceedings, on_delete=models.PROTECT, related_name="hearings")
    held_on = models.DateField()
    kind = models.CharField(max_length=8, choices=HearingKind.choices)
    interim_order = models.CharField(max_length=5, choices=InterimOrder.choices)
    next_hearing = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class Extension(TimeStampedModel):
    """The court extended the timetable (at most eight weeks at a time), for a reason."""

    proceedings = models.ForeignKey(
        Proceedings, on_delete=models.PROTECT, related_name="extensions"
    )
    granted_on = models.DateField()
    previous_end = models.DateField()
    new_end = models.DateField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class LibertyOrder(TimeStampedModel):
    """A deprivation of liberty order under the High Court's inherent jurisdiction (the 903
    DoLO file: DOLO_START, DOLO_END), with the review date the court set."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    made_on = models.DateField()
    review_by = models.DateField()
    court = models.CharField(max_length=120)
    ended_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(ended_on__isnull=True), name="liberty_one_open"
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("made_on")),
                name="liberty_ends_after_start",
            ),
        ]


class Adopters(VersionedModel):
    """A prospective adoptive household the adoption agency works with (Annex A list 11):
    never a person record, so adopters are not found by search and birth relatives' workers
    never meet them by accident."""

    reference = models.CharField(max_length=12, unique=True)  # the family ID
    names = models.CharField(max_length=160)
    sexes = models.CharField(max_length=2, choices=AdopterSexes.choices)
    legal_status = models.CharField(max_length=3, choices=AdopterLegalStatus.choices)
    enquiry_on = models.DateField()
    approved_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    @property
    def number(self) -> int:  # 903 NB_ADOPTR
        return 1 if self.sexes in ("M1", "F1") else 2


class Adoption(VersionedModel):
    """A child's adoption plan from the agency decision maker's decision that they should
    be placed for adoption (903 DATE_INT and the should-be-placed DATE_PLACED) to the
    adoption order, or to the decision's reversal (DATE_PLACED_CEASED, its reason)."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField()
    placement_order_on = models.DateField(null=True, blank=True)
    adopters = models.ForeignKey(
        Adopters, on_delete=models.PROTECT, null=True, blank=True, related_name="matches"
    )
    matched_on = models.DateField(null=True, blank=True)
    by_foster_carer = models.BooleanField(null=True, blank=True)  # 903 FOSTER_CARE
    placed_on = models.DateField(null=True, blank=True)
    order_on = models.DateField(null=True, blank=True)
    reversed_on = models.DateField(null=True, blank=True)
    reversal_reason = models.CharField(
        max_length=3, choices=ReversalReason.choices, blank=True, default=""
    )
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(order_on__isnull=True, reversed_on__isnull=True),
                name="adoption_one_open",
            )
        ]

    @property
    def is_open(self) -> bool:
        return self.order_on is None and self.reversed_on is None


class PermanenceBefore(TimeStampedModel):
    """The 903 PrevPerm row: how a child who comes into care left care (or was made
    permanent) before, where and when, if known."""

    child = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=2, choices=PreviousPermanence.choices)
    local_authority = models.CharField(max_length=60, blank=True, default="")
    on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )
