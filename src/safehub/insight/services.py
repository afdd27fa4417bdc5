"""Writes: asking for a job and running it (claim, progress, finish), the monthly figures a
job works out ahead of the dashboard, the committee report a job builds, and the director's
commentary. The queue (django-q2, ADR 0038) only delivers `insight.tasks.run_job(job_id)`;
whether a delivery runs is decided here, so a job never runs twice at once and one whose
worker died is taken up again by the next delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django_q.tasks import async_task

from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.bulk import insert_rows
from safehub.core.models import versioned_update
from safehub.core.once import submit_once
from safehub.core.replica import report_reads
from safehub.insight import figures as f
from safehub.insight.gate import must_see_performance
from safehub.insight.models import (
    Commentary,
    FigureItem,
    Job,
    JobKind,
    JobStatus,
    MonthlyFigure,
)
from safehub.insight.report_pdf import committee_pdf
from safehub.organisations.models import User

log = logging.getLogger(__name__)
Progress = Callable[[int, int, str], None]
COMMENTARY_MAX = 6000


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def job_request(
    *, actor: User, kind: str, params: dict[str, Any], once_key: str | None = None
) -> Job | None:
    """Ask for a job. The job's row and the queue's message commit together (the queue
    lives in this database), so a job asked for is never lost and never queued unasked. The
    same form sent twice (`once_key`) queues one job: the repeat returns None."""
    must_see_performance(actor)
    if kind == JobKind.COMMITTEE_REPORT:
        start = date.fromisoformat(params["quarter_start"])
        if start != quarter_start(start):
            raise ValidationError({"quarter": "Choose a quarter from the list"})

    def record() -> Job:
        job = Job.objects.create(kind=kind, params=params, requested_by=actor)
        async_task("safehub.insight.tasks.run_job", job.pk, task_name=f"insight-job-{job.pk}")
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            object_type="insight.job",
            object_id=str(job.pk),
            detail={"kind": kind, **params},
        )
        return job

    with transaction.atomic():
        job, _ = submit_once(key=once_key, answers={"kind": kind, **params}, record=record)
    return job


def figures_nightly() -> str:
    """What the schedule runs each night on the worker (ADR 0074): a figures job row, shown
    beside those asked for with its progress, run at once in this process, as of today."""
    job = Job.objects.create(
        kind=JobKind.FIGURES, params={"as_of": timezone.localdate().isoformat()}
    )
    return job_run(job_id=job.pk)


def _claim(job_id: int) -> Job | None:
    """Take the job if nobody is running it: queued, or running but silent for longer than
    the lease (its worker died). One conditional UPDATE, so of two deliveries at once
    exactly one wins; a job already done or failed is never run again."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    won = Job.objects.filter(
        Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, heartbeat_at__lt=stale),
        pk=job_id,
    ).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        attempts=F("attempts") + 1,
        step=0,
        message="Started",
    )
    return Job.objects.get(pk=job_id) if won else None


def _progress(job: Job) -> Progress:
    def say(step: int, steps: int, message: str) -> None:
        Job.objects.filter(pk=job.pk).update(
            step=step, steps=steps, message=message[:200], heartbeat_at=timezone.now()
        )

    return say


def job_run(*, job_id: int) -> str:
    """Run the job if this delivery wins it; say what happened (for the queue's log)."""
    job = _claim(job_id)
    if job is None:
        return "not run: done, or running elsewhere"
    say = _progress(job)
    try:
        name, content = RUNNERS[job.kind](job, say)
    except Exception as error:
        log.exception("job %s failed", job.pk)
        Job.objects.filter(pk=job.pk).update(
            status=JobStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
            message="Failed",
        )
        return "failed"
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        step=F("steps"),
        message="Done",
        file_name=name,
        file_content=content,
    )
    return "done"


# --- The monthly figures -----------------------------------------------------------------


@report_reads()
def figures_compute(
    *, as_of: date, months: int = 24, say: Progress | None = None
) -> dict[str, dict[date, f.Month]]:
    """Every figure for the `months` calendar months to the one before `as_of`."""
    span = f.months_to(as_of.replace(day=1) - timedelta(days=1), months)
    out = {}
    for i, (code, figure) in enumerate(f.FIGURES.items()):
        if say:
            say(i, len(f.FIGURES) + 1, f"Working out: {figure.label}")
        out[code] = figure.compute(span)
    return out


ITEM_BATCH = 20_000
ITEM_COLUMNS = ("figure_id", "child_id", "position", "on", "met", "fact")


def figures_store(*, as_of: date, computed: dict[str, dict[date, f.Month]]) -> int:
    """Replace the stored monthly figures with `computed`, each with the items behind it,
    in one transaction: a drill-down then lists exactly what the dashboard's number counted,
    and a reader never meets the old figures with the new items (ADR 0054)."""
    now = timezone.now()
    rows = [
        MonthlyFigure(
            code=code,
            month=m,
            numerator=month.numerator,
            denominator=month.denominator if f.FIGURES[code].kind != f.COUNT else None,
            computed_at=now,
            as_of=as_of,
            item_count=len(month.items),
        )
        for code, by_month in computed.items()
        for m, month in by_month.items()
    ]
    with transaction.atomic():
        # The items first, in one DELETE; left to the cascade, Django would delete them
        # in batches of figure ids.
        FigureItem.objects.all().delete()
        MonthlyFigure.objects.all().delete()
        MonthlyFigure.objects.bulk_create(rows, batch_size=500)
        ids = {
            (code, m): pk
            for pk, code, m in MonthlyFigure.objects.values_list("pk", "code", "month")
        }
        items = (
            (ids[code, m], item.child_id, position, item.on, item.met, item.fact)
            for code, by_month in computed.items()
            for m, month in by_month.items()
            for position, item in enumerate(f.in_listing_order(month.items))
        )
        # Plain tuples in batches (COPY on PostgreSQL): at `large` there are millions of
        # items, and a model instance for each cost more than writing it.
        while batch := list(islice(items, ITEM_BATCH)):
            insert_rows(FigureItem, ITEM_COLUMNS, batch, batch_size=1000)
    return len(rows)


def figures_refresh(*, as_of: date, say: Progress | None = None) -> int:
    computed = figures_compute(as_of=as_of, say=say)
    if say:
        say(len(f.FIGURES), len(f.FIGURES) + 1, "Saving the figures")
    return figures_store(as_of=as_of, computed=computed)


def _run_figures(job: Job, say: Progress) -> tuple[str, bytes | None]:
    as_of = date.fromisoformat(job.params.get("as_of") or timezone.localdate().isoformat())
    figures_refresh(as_of=as_of, say=say)
    return "", None


# --- The committee report ----------------------------------------------------------------


@report_reads()
def _run_committee_report(job: Job, say: Progress) -> tuple[str, bytes | None]:
    start = date.fromisoformat(job.params["quarter_start"])
    end = f.month_end(f.add_months(start, 2))
    computed = figures_compute(as_of=end + timedelta(days=1), say=say)
    commentary = Commentary.objects.filter(quarter_start=start).first()
    say(len(f.FIGURES), len(f.FIGURES) + 1, "Drawing the report")
    content = committee_pdf(
        quarter_start=start,
        computed=computed,
        commentary=commentary.text if commentary else "",
        made_on=timezone.localdate(),
    )
    return f"committee-report-{start:%Y-%m}.pdf", content


Runner = Callable[[Job, Progress], tuple[str, bytes | None]]
RUNNERS: dict[str, Runner] = {
    JobKind.FIGURES: _run_figures,
    JobKind.COMMITTEE_REPORT: _run_committee_report,
}


def register_runner(kind: str, runner: Runner) -> None:
    """An app above this one runs its own kind of job on the same queue (the returns' census
    check): it registers the runner in its AppConfig.ready(), as casework's sections do."""
    RUNNERS[kind] = runner


def commentary_save(
    *,
    actor: User,
    quarter: date,
    text: str,
    expected_version: int | None,
    once_key: str | None = None,
) -> Commentary | None:
    """Save the director's commentary for a quarter; two people editing it at once cannot
    overwrite each other (the second is told, ConcurrentEditError)."""
    must_see_performance(actor)
    if quarter != quarter_start(quarter):
        raise ValidationError({"quarter": "Choose a quarter from the list"})
    text = text.strip()
    if len(text) > COMMENTARY_MAX:
        raise ValidationError(
            {"text": f"Commentary must be {COMMENTARY_MAX:,} characters or fewer"}
        )

    def record() -> Commentary:
        current = Commentary.objects.filter(quarter_start=quarter).first()
        if current is None:
            saved = Commentary.objects.create(quarter_start=quarter, text=text, updated_by=actor)
        else:
            saved = versioned_update(
                instance=current,
                expected_version=expected_version or 0,
                data={"text": text, "updated_by": actor},
            )
        audit_record(
            actor=actor,
            action=AuditAction.CHANGE,
            object_type="insight.commentary",
            object_id=str(saved.pk),
            detail={"quarter": quarter.isoformat()},
        )
        return saved

    with transaction.atomic():
        saved, _ = submit_once(key=once_key, answers={"q": str(quarter), "t": text}, record=record)
    return saved
