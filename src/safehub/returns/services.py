"""The census check of the live records (ADR 0043): the current census year's CIN census is
written from the records in memory, validated by the same rules as any census file, and
what it finds is kept as issues, each owned by whoever holds the child's case; a later run
that no longer finds one resolves it. Runs nightly (django-q2's scheduler) and on demand
(a `Job` on the insight queue, with its progress); two never run at once."""

from __future__ import annotations

import io
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import census_check_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.casework.models import Allocation
from safehub.core.replica import report_reads
from safehub.insight.models import Job, JobKind
from safehub.insight.services import job_request, job_run
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.returns.cin.export import census_children, census_header
from safehub.returns.cin.importer import ImportReport, Progress, import_cin
from safehub.returns.cin.spec import CensusYear, live_year
from safehub.returns.cin.validate import validate_live
from safehub.returns.cin.writer import write_census
from safehub.returns.models import OwnerKind, RunStatus, ValidationIssue, ValidationRun
from safehub.returns.report import Finding
from safehub.returns.safexml import MAX_BYTES
from safehub.returns.ssda903.importer import import_903
from safehub.returns.ssda903.tables import files_in_zip

log = logging.getLogger(__name__)
Say = Callable[[int, int, str], None]
STEPS = 4
DETAIL_MAX = 500


class ValidationBusy(Exception):
    """Another census check is running (it holds the lease)."""


@dataclass(frozen=True)
class Owner:
    kind: str
    worker_id: int | None
    team_id: int | None


# --- Asking for a run --------------------------------------------------------------------


def validation_request(*, actor: User, once_key: str | None = None) -> Job | None:
    """Ask for a census check now, on the insight job queue (its page shows the progress).
    Who may ask is whoever sees the performance figures (the queue's own gate)."""
    return job_request(
        actor=actor,
        kind=JobKind.CIN_VALIDATION,
        params={"back": "returns:validation", "back_text": "See the census check"},
        once_key=once_key,
    )


def validation_nightly() -> str:
    """What the schedule runs each night on the worker: a job row (so the run shows beside
    those asked for, with its progress) run at once, in this process."""
    job = Job.objects.create(
        kind=JobKind.CIN_VALIDATION,
        params={"back": "returns:validation", "back_text": "See the census check"},
    )
    return job_run(job_id=job.pk)


def run_validation_job(job: Job, say: Say) -> tuple[str, bytes | None]:
    """The insight queue's runner for a census check (registered in ReturnsConfig.ready)."""
    run = validation_run(as_of=timezone.localdate(), job=job, say=say)
    if run is None:
        raise ValidationBusy("Another census check was running; this one did not start.")
    return "", None


# --- A run -------------------------------------------------------------------------------


def validation_run(
    *, as_of: date, job: Job | None = None, say: Say | None = None
) -> ValidationRun | None:
    """Check the live records as they stand on `as_of` against the census year it falls in.
    Returns the finished run, or None if another run holds the lease."""
    census = live_year(as_of)
    run = _start(f"{census.start.year}-{(census.start.year + 1) % 100:02d}", as_of, job)
    if run is None:
        return None
    tell = _teller(run, say)
    try:
        tell(1, "Writing the census from the live records")
        content = _census_bytes(census)
        tell(2, "Checking the census against the rules")
        report = validate_live(content, census=census, filename=f"live-{as_of}.xml")
        tell(3, "Recording what was found")
        _record(run, report.findings, children=report.children)
    except Exception as error:
        ValidationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            error=f"{type(error).__name__}: {error}"[:2000],
            message="Failed",
        )
        raise
    run.refresh_from_db()
    return run


def _start(year: str, reference_date: date, job: Job | None) -> ValidationRun | None:
    """Take the lease: mark a run silent for longer than the lease abandoned (its worker
    died), then insert this one as running. The database allows one running run (a partial
    unique index), so of two starting at once exactly one gets in."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.JOB_LEASE_SECONDS)
    ValidationRun.objects.filter(status=RunStatus.RUNNING, heartbeat_at__lt=stale).update(
        status=RunStatus.ABANDONED, finished_at=now, message="Stopped without finishing"
    )
    try:
        with transaction.atomic():
            return ValidationRun.objects.create(
                census_year=year,
                reference_date=reference_date,
                started_at=now,
                heartbeat_at=now,
                steps=STEPS,
                message="Started",
                job=job,
            )
    except IntegrityError:
        return None


def _teller(run: ValidationRun, say: Say | None) -> Callable[[int, str], None]:
    def tell(step: int, message: str) -> None:
        ValidationRun.objects.filter(pk=run.pk).update(
            step=step, message=message, heartbeat_at=timezone.now()
        )
        if say:
            say(step, STEPS, message)

    return tell


@report_reads()
def _census_bytes(census: CensusYear) -> bytes:
    children = census_check_persons(Person.objects.all())
    out = io.BytesIO()
    header = census_header(census, census.end, timezone.now())
    write_census(out, header, census_children(children, census.start, census.end))
    return out.getvalue()


# --- Keeping the issues ------------------------------------------------------------------


def _record(run: ValidationRun, findings: list[Finding], *, children: int) -> None:
    """Open, refresh and resolve the issues for what `run` found, and finish the run, in one
    transaction: a page never sees half a run."""
    now = timezone.now()
    found = _by_issue(findings)
    child_ids = {child for _, child in found if child is not None}
    existing_people = set(Person.objects.filter(pk__in=child_ids).values_list("pk", flat=True))
    found = {key: fs for key, fs in found.items() if key[1] is None or key[1] in existing_people}
    owners = owners_of(existing_people)
    with transaction.atomic():
        open_issues = {
            (i.rule, i.child_id): i
            for i in ValidationIssue.objects.filter(resolved_at__isnull=True)
        }
        fresh, kept = [], []
        for (rule, child), rows in found.items():
            owner = owners.get(child, MASH) if child is not None else MASH
            issue = open_issues.pop((rule, child), None)
            if issue is None:
                issue = ValidationIssue(
                    rule=rule, child_id=child, first_seen_run=run, first_seen_at=now
                )
                fresh.append(issue)
            else:
                kept.append(issue)
            _fill(issue, run, now, owner, rows)
        ValidationIssue.objects.bulk_create(fresh, batch_size=500)
        ValidationIssue.objects.bulk_update(
            kept,
            ["owner_kind", "owner_worker", "owner_team", "detail", "findings",
             "last_seen_run", "last_seen_at"],
            batch_size=500,
        )  # fmt: skip
        gone = [i.pk for i in open_issues.values()]
        ValidationIssue.objects.filter(pk__in=gone).update(resolved_at=now, resolved_run=run)
        counts = Counter(f.code for f in findings)
        ValidationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE,
            finished_at=now,
            heartbeat_at=now,
            step=STEPS,
            message="Done",
            children=children,
            counts=dict(sorted(counts.items())),
            opened=len(fresh),
            resolved=len(gone),
            open_total=len(fresh) + len(kept),
        )
        audit_record(
            actor=run.job.requested_by if run.job else None,
            action=AuditAction.CREATE,
            object_type="returns.validation_run",
            object_id=str(run.pk),
            detail={"opened": len(fresh), "resolved": len(gone), "open": len(fresh) + len(kept)},
        )


def _by_issue(findings: list[Finding]) -> dict[tuple[str, int | None], list[Finding]]:
    """A child's findings of one rule are one issue (a rule may find several of its rows)."""
    grouped: dict[tuple[str, int | None], list[Finding]] = {}
    for f in findings:
        child = int(f.child) if f.child.isdigit() else None
        grouped.setdefault((f.code, child), []).append(f)
    return grouped


def _fill(
    issue: ValidationIssue, run: ValidationRun, now: datetime, owner: Owner, rows: list[Finding]
) -> None:
    issue.owner_kind = owner.kind
    issue.owner_worker_id = owner.worker_id
    issue.owner_team_id = owner.team_id
    issue.findings = len(rows)
    issue.detail = "; ".join(r.values for r in rows[:3] if r.values)[:DETAIL_MAX]
    issue.last_seen_run = run
    issue.last_seen_at = now


MASH = Owner(OwnerKind.MASH, None, None)


def owners_of(child_ids: set[int]) -> dict[int, Owner]:
    """Who owns each child's issues: the allocated worker (and their allocation's team),
    else the team with an open involvement, else (absent from the answer) the MASH."""
    owners: dict[int, Owner] = {}
    for child, team in (
        Involvement.objects.filter(
            person_id__in=child_ids, kind=InvolvementKind.TEAM, end_date__isnull=True
        )
        .order_by("start_date", "pk")
        .values_list("person_id", "team_id")
    ):
        owners[child] = Owner(OwnerKind.TEAM, None, team)
    for child, worker, team in Allocation.objects.filter(
        child_id__in=child_ids, end_date__isnull=True
    ).values_list("child_id", "worker_id", "team_id"):
        owners[child] = Owner(OwnerKind.WORKER, worker, team)
    return owners


def cin_history_import(
    *,
    actor: User,
    content: bytes,
    filename: str,
    now: datetime,
    dry_run: bool = False,
    year: str | None = None,
    max_bytes: int = MAX_BYTES,
    progress: Progress | None = None,
) -> ImportReport:
    """Import the census file `content` (or, as a dry run, report what importing it would
    do and keep nothing). Refused files, refused children and every item left out are in
    the report; nothing here raises on bad input."""
    return import_cin(
        actor=actor,
        content=content,
        filename=filename,
        now=now,
        dry_run=dry_run,
        year=year,
        max_bytes=max_bytes,
        progress=progress,
    )


def s903_history_import(
    *,
    actor: User,
    files: dict[str, bytes] | bytes,
    filename: str,
    year: str,
    now: datetime,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import an earlier system's SSDA903 files (`files` by name, or a zip's bytes) for
    `year` as history, or as a dry run report what importing them would do. Like the CIN
    import: refused files, refused children and every item left out are in the report."""
    if isinstance(files, bytes):
        try:
            files = files_in_zip(files)
        except ValueError as problem:
            return ImportReport(filename[:200], dry_run=dry_run, year=year, refused=str(problem))
    return import_903(
        actor=actor,
        files=files,
        filename=filename,
        year=year,
        now=now,
        dry_run=dry_run,
        progress=progress,
    )
