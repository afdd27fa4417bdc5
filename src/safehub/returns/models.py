"""The nightly check of the live records against the CIN census rules (issue 15, ADR 0043):
each run (`ValidationRun`) and what it found (`ValidationIssue`, one per rule and child,
open until a later run no longer finds it); and what importing a council's earlier CIN
census files leaves behind (ADR 0044): the run, each child's outcome, the old system's child
identifier and a tag on every record the import made."""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel


class RunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    ABANDONED = "abandoned", "Stopped without finishing"


class ValidationRun(TimeStampedModel):
    """One check of the live records. At most one is running at a time (the partial unique
    constraint); `heartbeat_at` is its lease: a run silent for longer than
    `VALIDATION_LEASE_SECONDS` is taken to have died and is marked abandoned by the next."""

    census_year = models.CharField(max_length=7)
    reference_date = models.DateField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.RUNNING)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    step = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=4)
    message = models.CharField(max_length=200, blank=True, default="")
    children = models.PositiveIntegerField(default=0)
    # {"rule code": findings} for every rule that found something, whole-return ones too.
    counts = models.JSONField(default=dict, blank=True)
    opened = models.PositiveIntegerField(default=0)
    resolved = models.PositiveIntegerField(default=0)
    open_total = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "insight.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="running"),
                name="validation_run_one_running",
            )
        ]


class OwnerKind(models.TextChoices):
    WORKER = "worker", "Allocated worker"
    TEAM = "team", "Team"
    MASH = "mash", "MASH"


class ValidationIssue(TimeStampedModel):
    """A census rule a child's live records break, as the runs found it: opened by the first
    run that finds it, `last_seen_run` moved on by each run that still does, resolved by the
    first that does not. Owned by the child's allocated worker (with their allocation's
    team), else the team involved, else the MASH; each run moves it to the current owner."""

    rule = models.CharField(max_length=12)
    child = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    owner_kind = models.CharField(max_length=6, choices=OwnerKind.choices)
    owner_worker = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_team = models.ForeignKey(
        "organisations.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=500, blank=True, default="")
    findings = models.PositiveIntegerField(default=1)
    first_seen_run = models.ForeignKey(ValidationRun, on_delete=models.PROTECT, related_name="+")
    last_seen_run = models.ForeignKey(ValidationRun, on_delete=models.PROTECT, related_name="+")
    first_seen_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_run = models.ForeignKey(
        ValidationRun, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "child"],
                condition=Q(resolved_at__isnull=True),
                name="validation_issue_one_open",
            )
        ]
        indexes = [
            models.Index(
                fields=["owner_worker"],
                condition=Q(resolved_at__isnull=True),
                name="validation_issue_worker_idx",
            ),
            models.Index(
                fields=["owner_team"],
                condition=Q(resolved_at__isnull=True),
                name="validation_issue_team_idx",
            ),
        ]


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
