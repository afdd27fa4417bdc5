"""What importing a council's earlier CIN census files leaves behind (ADR 0044): the run
(which file, by its hash, how far it got, what it counted), each child's outcome with every
item that could not be imported and why, the old system's child identifier kept against the
person it was matched to or made for, and a tag on every record the import made."""

from django.db import models


class ImportStatus(models.TextChoices):
    RUNNING = "running", "Running (or stopped before it finished)"
    FINISHED = "finished", "Finished"


class ImportRun(models.Model):
    """One file imported. A file's runs are found by its SHA-256, so the same file sent again
    resumes a run that stopped or says it is already done."""

    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64, db_index=True)
    year = models.CharField(max_length=7)
    la_code = models.CharField(max_length=3)
    started_by = models.ForeignKey("organisations.User", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=ImportStatus.choices)
    children_in_file = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sha256"],
                condition=models.Q(status="running"),
                name="import_run_one_running_per_file",
            )
        ]


class ChildOutcome(models.TextChoices):
    CREATED = "created", "New record made"
    MATCHED = "matched", "Matched to an existing record"
    REFUSED = "refused", "Not imported"


class ImportedChild(models.Model):
    """One child of a run, in file order (`position`): what happened and what was left out."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="children")
    position = models.PositiveIntegerField()
    la_child_id = models.CharField(max_length=50, blank=True, default="")
    line = models.PositiveIntegerField(null=True, blank=True)
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=8, choices=ChildOutcome.choices)
    matched_by = models.CharField(max_length=20, blank=True, default="")
    made = models.JSONField(default=dict, blank=True)  # records made or extended, by kind
    problems = models.JSONField(default=list, blank=True)  # [{"item", "line", "reason"}]

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="imported_child_once")
        ]


class LegacyChildId(models.Model):
    """The LAchildID a council's old system gave a child, kept against the SafeHub record it
    was matched to or made for, so a later file finds the same child by it."""

    la_code = models.CharField(max_length=3)
    la_child_id = models.CharField(max_length=50)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["la_code", "la_child_id"], name="legacy_child_id_once")
        ]


class ImportedRecord(models.Model):
    """A record an import made (`kind` names its model, e.g. "casework.Episode"), so what
    came from which file can always be told from what was recorded in SafeHub."""

    run = models.ForeignKey(ImportRun, on_delete=models.PROTECT, related_name="records")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "object_id"], name="imported_record_idx")]
