"""Profile templates (data, loaded from a JSON file), training records, and the profiles
completed with them. Fields and constraints only: the rules live in `services`."""

from django.db import models
from django.utils import timezone

from safehub.core.models import TimeStampedModel, VersionedModel


class RollUp(models.TextChoices):
    """How grades roll up into a score: the closed set a template file may name."""

    MEAN = "mean", "Rounded mean (halves round up)"
    MAX = "max", "Highest grade"


class ProfileTemplate(models.Model):
    """One version of a profile tool. A name and version identify it; `digest` (of the file's
    content) tells a reload of the same file from a different file under the same stamp."""

    name = models.CharField(max_length=200)
    version = models.CharField(max_length=40)
    licence_note = models.TextField()
    description = models.TextField(blank=True, default="")
    area_roll_up = models.CharField(max_length=10, choices=RollUp.choices)
    overall_roll_up = models.CharField(max_length=10, choices=RollUp.choices)
    digest = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="neglect_template_stamp")
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version})"


class Area(models.Model):
    template = models.ForeignKey(ProfileTemplate, on_delete=models.CASCADE, related_name="areas")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="neglect_area_position")
        ]


class SubArea(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="sub_areas")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["position"]


class Item(models.Model):
    """One thing graded. `descriptors` holds the five grade descriptors, grade 1 first."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="items")
    sub_area = models.ForeignKey(
        SubArea, on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    position = models.PositiveSmallIntegerField()  # order within the area, sub-areas in turn
    title = models.CharField(max_length=200)
    descriptors = models.JSONField()

    class Meta:
        ordering = ["area__position", "position"]


class TrainingRecord(TimeStampedModel):
    """A practitioner's training in a profile tool. It qualifies them for every version of
    the template named, from the day they completed it to its expiry date, inclusive."""

    practitioner = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, related_name="neglect_training"
    )
    agency = models.ForeignKey("organisations.Agency", on_delete=models.PROTECT, related_name="+")
    template_name = models.CharField(max_length=200)
    course = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    completed_on = models.DateField()
    expires_on = models.DateField()
    recorded_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["practitioner", "template_name", "expires_on"])]


class ProfileStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    SIGNED_OFF = "signed_off", "Signed off"


class NeglectProfile(VersionedModel):
    """A profile of one child (and any siblings it covers), on the template version it was
    started with; that version stays with it for good."""

    child = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    siblings = models.ManyToManyField("people.Person", blank=True, related_name="+")
    template = models.ForeignKey(ProfileTemplate, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.IN_PROGRESS
    )
    started_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    family_views = models.TextField(blank=True, default="")
    review_date = models.DateField(null=True, blank=True)
    # Worked out by the service on completion: {"<area id>": score}, and the overall score.
    area_scores = models.JSONField(default=dict, blank=True)
    overall_score = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    completed_on = models.DateField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_off_on = models.DateField(null=True, blank=True)


class ItemGrade(models.Model):
    profile = models.ForeignKey(NeglectProfile, on_delete=models.CASCADE, related_name="grades")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "item"], name="neglect_grade_item"),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=5),
                name="neglect_grade_1_to_5",
            ),
        ]


class PlannedAction(models.Model):
    profile = models.ForeignKey(NeglectProfile, on_delete=models.CASCADE, related_name="actions")
    position = models.PositiveSmallIntegerField()
    action = models.TextField()
    owner_name = models.CharField(max_length=200)
    due_date = models.DateField()

    class Meta:
        ordering = ["position"]


class ProfileDraft(TimeStampedModel):
    """What one practitioner is typing into a profile's box (an item's evidence, the family's
    views), saved as they type so a reload or a lost connection loses nothing. Kept apart
    from the profile so an autosave never bumps its version under another editor."""

    author = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    profile = models.ForeignKey(NeglectProfile, on_delete=models.CASCADE, related_name="+")
    box = models.CharField(max_length=40)  # "item-<id>", "grade-<id>" or "family_views"
    text = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["author", "profile", "box"], name="neglect_draft_unique"
            )
        ]
