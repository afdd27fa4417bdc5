from django.db import models
from django.db.models import Q

from safehub.sharing.codes import Article6, Article9, Direction, Outcome, Schedule8, Source

PURPOSE_MAX = 500
WHAT_MAX = 1000
REASON_MAX = 1000


class SharingRecord(models.Model):
    """One disclosure of a person's information, either way between the council and a
    partner agency, or one decision not to share. Written once, never changed: a correction
    is a new entry."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    direction = models.CharField(max_length=12, choices=Direction.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    purpose = models.CharField(max_length=PURPOSE_MAX)
    # What was shared, in a line (never the information itself).
    what = models.CharField(max_length=WHAT_MAX, blank=True, default="")
    article6 = models.CharField(max_length=6, choices=Article6.choices, blank=True, default="")
    article9 = models.CharField(max_length=6, choices=Article9.choices, blank=True, default="")
    schedule8 = models.CharField(max_length=6, choices=Schedule8.choices, blank=True, default="")
    reason_not_shared = models.CharField(max_length=REASON_MAX, blank=True, default="")
    decided_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()
    source = models.CharField(max_length=24, choices=Source.choices)
    # The record in SafeHub the sharing belongs to (an information request, a notice).
    source_id = models.CharField(max_length=40, blank=True, default="")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="shared", reason_not_shared="") & ~Q(article6="")
                | Q(outcome="not_shared") & ~Q(reason_not_shared=""),
                name="sharing_basis_or_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "decided_at"], name="sharing_person_idx"),
        ]
