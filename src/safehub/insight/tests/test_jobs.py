"""The job queue for real: `manage.py qcluster` runs as its own process against the test
database and builds a committee report asked for through the service; a worker killed
while it holds a job leaves the job to the next worker, which finishes it; a job is never
run twice at once, nor again once done (the lease in `insight.services`)."""

import io
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_q.models import OrmQ
from pypdf import PdfReader

from safehub.insight.models import Job, JobKind, JobStatus
from safehub.insight.services import job_request, job_run

ROOT = Path(settings.PROJECT_ROOT)


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return f"sqlite:///{db['NAME']}"


def _worker(retry: int = 5) -> subprocess.Popen[bytes]:
    """A real worker on the test database, in its own process group (killed whole)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safehub.config.settings.test",
        "DATABASE_URL": _database_url(),
        "JOB_RETRY_SECONDS": str(retry),
        "JOB_TIMEOUT_SECONDS": "60",
        "JOB_LEASE_SECONDS": "2",
        "JOB_POLL_SECONDS": "0.2",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "qcluster"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _stop(worker: subprocess.Popen[bytes], sig: int = signal.SIGTERM) -> None:
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def _wait(check: Any, seconds: float = 90) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the worker")


def _report(users: dict[str, Any]) -> Job:
    job = job_request(
        actor=users["performance_analyst"],
        kind=JobKind.COMMITTEE_REPORT,
        params={"quarter_start": "2026-07-01"},
    )
    assert job is not None
    return job


def _done(job: Job) -> bool:
    job.refresh_from_db()
    return job.status == JobStatus.DONE


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_report_it_is_given(users):
    job = _report(users)
    worker = _worker()
    try:
        _wait(lambda: _done(job))
        _wait(lambda: not OrmQ.objects.exists(), 30)  # acknowledged
    finally:
        _stop(worker)
    assert job.attempts == 1
    assert job.percent == 100
    text = PdfReader(io.BytesIO(bytes(job.file_content or b""))).pages[0].extract_text()
    assert "July to September 2026" in text


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_job_survives_its_worker_being_killed(users):
    """The first worker takes the job off the queue and is killed while it works (held on
    the job's row, which this test keeps locked); a second worker gets the job once the
    queue's retry time has passed and finishes it."""
    if connection.vendor != "postgresql":
        pytest.skip("holding one row locked while the worker writes others needs PostgreSQL")
    import psycopg

    job = _report(users)
    db = connection.settings_dict
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]
    ) as holder:
        holder.execute("SELECT id FROM insight_job WHERE id = %s FOR UPDATE", [job.pk])
        first = _worker()
        try:
            # Taken off the queue: the message is locked until now + the retry time.
            _wait(lambda: OrmQ.objects.filter(lock__gt=timezone.now()).exists(), 60)
            time.sleep(0.5)  # in the job now, waiting for its row
        finally:
            _stop(first, signal.SIGKILL)
        holder.rollback()
    job.refresh_from_db()
    assert job.status != JobStatus.DONE
    second = _worker()
    try:
        _wait(lambda: _done(job))
        _wait(lambda: not OrmQ.objects.exists(), 30)  # acknowledged
    finally:
        _stop(second)
    assert job.file_name == "committee-report-2026-07.pdf"


@pytest.mark.django_db
def test_a_job_is_claimed_once(users, settings):
    """Two deliveries of one job: the first runs it, the second finds it done and leaves
    it; a job another worker is running (said so within the lease) is left alone; one whose
    worker fell silent for longer than the lease is taken up again."""
    settings.JOB_LEASE_SECONDS = 60
    job = _report(users)
    assert job_run(job_id=job.pk) == "done"
    assert job_run(job_id=job.pk).startswith("not run")
    job.refresh_from_db()
    assert job.attempts == 1

    running = _report(users)
    Job.objects.filter(pk=running.pk).update(
        status=JobStatus.RUNNING, heartbeat_at=timezone.now(), attempts=1
    )
    assert job_run(job_id=running.pk).startswith("not run")
    Job.objects.filter(pk=running.pk).update(heartbeat_at=timezone.now() - timedelta(minutes=5))
    assert job_run(job_id=running.pk) == "done"
    running.refresh_from_db()
    assert running.attempts == 2
    assert running.status == JobStatus.DONE


@pytest.mark.django_db
def test_asking_for_a_job_queues_it_with_the_job(users):
    job = _report(users)
    message = OrmQ.objects.get()
    assert message.task["args"] == (job.pk,)
    assert message.task["func"] == "safehub.insight.tasks.run_job"


@pytest.mark.django_db
def test_a_failing_job_says_so(users, monkeypatch):
    from safehub.insight import services

    def broken(job: Job, say: Any) -> tuple[str, bytes | None]:
        raise RuntimeError("the disk is full")

    monkeypatch.setitem(services.RUNNERS, JobKind.COMMITTEE_REPORT, broken)
    job = _report(users)
    assert job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "disk is full" in job.error


def test_the_figures_are_worked_out_nightly_on_the_job_queue(users):
    from django_q.models import Schedule

    from safehub.insight.models import MonthlyFigure
    from safehub.insight.tasks import nightly_figures

    schedule = Schedule.objects.get(func="safehub.insight.tasks.nightly_figures")
    assert schedule.schedule_type == Schedule.DAILY
    assert (schedule.next_run.hour, schedule.next_run.minute) == (0, 30)
    assert nightly_figures() == "done"
    job = Job.objects.get(kind=JobKind.FIGURES)
    assert job.requested_by is None
    assert job.status == JobStatus.DONE
    assert MonthlyFigure.objects.exists()
