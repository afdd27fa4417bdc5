"""Care leavers: the young person's leaving-care record (personal adviser, support to 25
on request), pathway plans and their reviews, staying put, and the 903 OC3 birthday
records. The category (eligible, relevant, former relevant, qualifying) is never stored:
it is worked out from the periods of care (`eligibility`)."""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel
from safehub.leaving_care.codes import Accommodation, Activity, InTouch


class CareLeaver(VersionedModel):
    """One per young person, made by the first leaving-care record about them."""

    child = models.OneToOneField("people.Person", on_delete=models.PROTECT, related_name="+")
    personal_adviser = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The adviser's involvement: what lets them open the young person's record.
    adviser_involvement = models.ForeignKey(
        "access.Involvement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    adviser_since = models.DateField(null=True, blank=True)
    # The young person asked for support after 21 (to 25): birthday records continue.
    support_to_25 = models.BooleanField(default=False)

    class Meta:
        indexes = [
            models.Index(
                fields=["personal_adviser"],
                name="care_leaver_adviser_idx",
                condition=Q(personal_adviser__isnull=False),
            )
        ]


class PathwayPlan(TimeStampedModel):
    """A pathway plan, first written or reviewed: each review is a new row, and the latest
    sets the next review's due date (at most six months)."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="plans")
    plan_date = models.DateField()
    content = models.TextField()
    review_due = models.DateField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )


class StayingPut(TimeStampedModel):
    """Staying on with former foster carers after 18."""

    care_leaver = models.ForeignKey(
        CareLeaver, on_delete=models.PROTECT, related_name="staying_put"
    )
    carer_name = models.CharField(max_length=120)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["care_leaver"],
                condition=Q(end_date__isnull=True),
                name="staying_put_one_open",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="staying_put_ends_after_start",
            ),
        ]


class BirthdayRecord(TimeStampedModel):
    """What the 903 OC3 asks at the 17th to 21st birthday (and to 25 on request): whether
    the council is in touch, and if so the accommodation, whether it suits, and the
    activity. One per birthday."""

    care_leaver = models.ForeignKey(CareLeaver, on_delete=models.PROTECT, related_name="birthdays")
    age = models.PositiveSmallIntegerField()
    birthday = models.DateField()
    contact_date = models.DateField()  # when the council last heard, within the window
    in_touch = models.CharField(max_length=4, choices=InTouch.choices)
    accommodation = models.CharField(
        max_length=1, choices=Accommodation.choices, blank=True, default=""
    )
    suitable = models.BooleanField(null=True, blank=True)
    activity = models.CharField(max_length=2, choices=Activity.choices, blank=True, default="")
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["care_leaver", "age"], name="birthday_one_per_age"),
        ]
        indexes = [models.Index(fields=["birthday"], name="birthday_record_day_idx")]
