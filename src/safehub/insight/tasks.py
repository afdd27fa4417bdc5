"""What the queue's worker runs (`manage.py qcluster`): thin entry points taking ids, each
calling one service, safe to deliver twice (ADR 0038)."""

from safehub.insight.services import figures_nightly, job_run


def run_job(job_id: int) -> str:
    return job_run(job_id=job_id)


def nightly_figures() -> str:
    """The schedule's nightly figures (ADR 0074)."""
    return figures_nightly()
