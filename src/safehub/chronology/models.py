from django.db import models
from django.utils import timezone


class Category(models.TextChoices):
    RECORD = "record", "Record"
    FAMILY = "family", "Family and household"
    EDUCATION = "education", "Education"
    HEALTH = "health", "Health"
    POLICE = "police", "Police"
    HOUSING = "housing", "Housing"
    SOCIAL_CARE = "social_care", "Social care"
    OTHER = "other", "Other"


class Significance(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"
    CRITICAL = 4, "Critical"


class ChronologyEntry(models.Model):
    """Something that happened to one or more people: who did it and for which agency, who
    entered it in SafeHub and when, and a link back to the record it came from."""

    occurred_at = models.DateTimeField()
    # False for an event known only by its date (a visit, a conference): it sits at midday
    # London time so it never slips a day, and is shown with its date alone.
    time_known = models.BooleanField(default=True)
    # Who did it: a SafeHub user, or else a description of someone who is not one (a caller,
    # a member of the public), written so that it never names a private individual.
    done_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    done_by_label = models.CharField(max_length=200, blank=True, default="")
    # The agency of whoever did it (the school that referred, the council that decided).
    source_agency = models.ForeignKey(
        "organisations.Agency", on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Who entered it in SafeHub and when (None: nobody signed in, e.g. the public form).
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )
    event_type = models.CharField(max_length=60)
    category = models.CharField(max_length=20, choices=Category.choices)
    significance = models.PositiveSmallIntegerField(
        choices=Significance.choices, default=Significance.LOW
    )
    summary = models.TextField()
    # The record this entry came from, e.g. ("people.Person", "123") or a partner's ref.
    source_type = models.CharField(max_length=60, blank=True, default="")
    source_id = models.CharField(max_length=60, blank=True, default="")
    # A partner shared it on condition it goes no further (ADR 0020): who reads it whole is
    # the policy's `restricted_entry_scope` (ADR 0023); the summary here stays a placeholder.
    restricted = models.BooleanField(default=False)

    class Meta:
        verbose_name_plural = "chronology entries"
        # Registers find everyone with an event of a type (registered for home education,
        # missing education) from the entries, not by reading every person's timeline.
        indexes = [
            models.Index(fields=["event_type", "occurred_at"], name="chronology_type_time_idx"),
        ]


class ChronologyLink(models.Model):
    """One row per person an entry concerns. `occurred_at` is copied so a person's timeline
    is a single index range scan however long it grows."""

    entry = models.ForeignKey(ChronologyEntry, on_delete=models.CASCADE, related_name="links")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    occurred_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "entry"], name="chronology_link_unique"),
        ]
        indexes = [
            models.Index(
                fields=["person", "-occurred_at", "-entry"], name="chronology_person_time_idx"
            ),
        ]
