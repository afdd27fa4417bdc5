"""One job for a user: fetch, decide, audit (as every app's fetchers do)."""

from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import NotFound
from safehub.insight.gate import must_see_performance
from safehub.insight.models import Job, JobStatus
from safehub.organisations.models import User


def access_job(*, actor: User, job_id: int, download: bool = False) -> Job:
    """A job's progress page, or (`download`) the file it made. Jobs hold figures, never a
    child's details, so those who may see the figures may see every job; a download is
    audited as an export. Missing, not finished or not allowed: not found alike."""
    must_see_performance(actor)
    query = Job.objects.select_related("requested_by")
    if not download:
        query = query.defer("file_content")
    job = query.filter(pk=job_id).first()
    if job is None or (download and (job.status != JobStatus.DONE or not job.file_content)):
        raise NotFound()
    if download:
        audit_record(
            actor=actor,
            action=AuditAction.EXPORT,
            object_type="insight.job",
            object_id=str(job.pk),
            detail={"kind": job.kind, "file": job.file_name},
        )
    return job
