"""Care planning records, each hung on a period of care (`casework.PeriodOfCare`) so that
"while looked after" is a fact of the data; placement plans and delegated decisions hang on
the 903 episode in which the placement began."""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel


class ReviewingOfficer(TimeStampedModel):
    """The independent reviewing officer allocated to a child's period of care. The IRO's
    involvement (a conference chair / IRO involvement) is what lets them open the record;
    a new IRO ends the last one's."""

    period = models.ForeignKey("casework.PeriodOfCare", on_delete=models.PROTECT, related_name="+")
    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    iro = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    involvement = models.ForeignKey(
        "access.Involvement", on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    allocated_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period"], condition=Q(end_date__isnull=True), name="iro_one_per_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["iro"], name="iro_open_allocation_idx", condition=Q(end_date__isnull=True)
            )
        ]


class ReviewingOfficerContact(TimeStampedModel):
    """The IRO's own contact with the child between reviews (their wishes and feelings
    heard before each review)."""

    period = models.ForeignKey("casework.PeriodOfCare", on_delete=models.PROTECT, related_name="+")
    iro = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    contact_on = models.DateField()
    seen_alone = models.BooleanField()
    note = models.TextField(blank=True, default="")


class PlanKind(models.TextChoices):
    CARE = "care", "Care plan"
    PLACEMENT = "placement", "Placement plan"
    PERMANENCE = "permanence", "Permanence plan"


class Plan(VersionedModel):
    """A plan's current text: one care plan and one permanence plan a period of care, one
    placement plan a placement. Edits name the version they started from; each save keeps
    the text it replaced as a `PlanVersion`."""

    kind = models.CharField(max_length=10, choices=PlanKind.choices)
    period = models.ForeignKey("casework.PeriodOfCare", on_delete=models.PROTECT, related_name="+")
    # Placement plans only: the 903 episode in which the placement began.
    placement = models.ForeignKey(
        "casework.CareEpisode", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_on = models.DateField()  # the date of this version of the plan
    content = models.TextField()
    updated_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["period", "kind"],
                condition=Q(placement__isnull=True),
                name="plan_one_of_a_kind_per_period",
            ),
            models.UniqueConstraint(
                fields=["placement", "kind"],
                condition=Q(placement__isnull=False),
                name="plan_one_per_placement",
            ),
            models.CheckConstraint(
                condition=Q(kind="placement", placement__isnull=False)
                | (~Q(kind="placement") & Q(placement__isnull=True)),
                name="plan_placement_only_for_placement_plans",
            ),
        ]


class PlanVersion(TimeStampedModel):
    """Every saved version of a plan, the current one included, so the plan as it stood at
    any review can be read back."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    written_on = models.DateField()
    content = models.TextField()
    saved_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="plan_version_once"),
        ]


class DelegatedDecision(TimeStampedModel):
    """A decision about the child's day-to-day life the carers of a placement may take
    themselves (delegated authority), agreed on a date; withdrawn when no longer theirs."""

    period = models.ForeignKey("casework.PeriodOfCare", on_delete=models.PROTECT, related_name="+")
    placement = models.ForeignKey(
        "casework.CareEpisode", on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(max_length=200)
    delegated_to = models.CharField(max_length=120)
    agreed_on = models.DateField()
    withdrawn_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )
