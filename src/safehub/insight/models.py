"""Jobs on the queue, the monthly figures a job works out ahead of the dashboard, and the
director's commentary for a quarter's committee report."""

from django.db import models
from django.db.models import Q

from safehub.core.models import TimeStampedModel, VersionedModel


class JobKind(models.TextChoices):
    FIGURES = "figures", "Work out the dashboard's monthly figures"
    COMMITTEE_REPORT = "committee_report", "Build the committee report"
    CIN_VALIDATION = "cin_validation", "Check the live records against the CIN census rules"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(TimeStampedModel):
    """One piece of long work asked for by someone, run by the queue's worker. The queue
    delivers it; this row says how far it has got and holds what it made. `heartbeat_at` is
    the lease: a worker claims the job only while nobody else has said within the lease that
    they are running it, so it never runs twice at once (insight.services.job_run)."""

    kind = models.CharField(max_length=20, choices=JobKind.choices)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    step = models.PositiveIntegerField(default=0)
    steps = models.PositiveIntegerField(default=1)
    message = models.CharField(max_length=200, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    file_name = models.CharField(max_length=120, blank=True, default="")
    file_content = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["kind", "-created_at"], name="job_kind_recent_idx")]

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.step / self.steps)) if self.steps else 0

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class MonthlyFigure(models.Model):
    """A figure for one calendar month, as the figures job last worked it out: the count
    behind it (`numerator`), what it is out of (`denominator`, where it is a share or a
    rate) and when it was worked out. The dashboard reads these rows; a drill-down reads the
    items stored with the row (`FigureItem`, ADR 0054), so it lists what the number counted.
    `item_count` is how many were stored; None for a row stored before items were kept."""

    code = models.CharField(max_length=40)
    month = models.DateField()  # the first of the month
    numerator = models.IntegerField()
    denominator = models.IntegerField(null=True, blank=True)
    computed_at = models.DateTimeField()
    as_of = models.DateField()
    item_count = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["code", "month"], name="monthly_figure_unique")
        ]


class FigureItem(models.Model):
    """One item behind a stored monthly figure (`figures.Item`): the child, whether it met
    the measure, the line saying what it was and its date, at `position` in the order the
    drill-down lists them. Written with the figure by the figures job and replaced with it
    (ADR 0054). Kept narrow, since at `large` there are millions: the child is a bare id, not
    a foreign key, because the list is what the figure counted when it was worked out and
    the reader's access is decided on the child's record as it is when the list is read."""

    # The eight-byte columns come first in the table (see the migration): no padding.
    figure = models.ForeignKey(
        MonthlyFigure, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    child_id = models.BigIntegerField(null=True, blank=True)
    position = models.IntegerField()
    on = models.DateField()
    met = models.BooleanField()
    fact = models.CharField(max_length=120)

    class Meta:
        # One index serves every page: a range of positions (with met in (false, true), two
        # short index ranges), or one value of met in position order.
        indexes = [models.Index(fields=["figure", "met", "position"], name="figure_item_page_idx")]


class Commentary(VersionedModel):
    """The director's commentary for one quarter's committee report (entered on a page by
    whoever prepares the report on the director's behalf; who saved it last is kept)."""

    quarter_start = models.DateField(unique=True)
    text = models.TextField(blank=True, default="")
    updated_by = models.ForeignKey(
        "organisations.User", on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quarter_start__day=1), name="commentary_quarter_first_day"
            )
        ]
