from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel


class EheOfficer(TimeStampedModel):
    """The council's officer for a child educated at home: who the family and the register
    name as the child's contact. One current assignment per child; a new one ends the last."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    officer = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(ended_on__isnull=True),
                name="ehe_officer_one_current",
            ),
        ]
