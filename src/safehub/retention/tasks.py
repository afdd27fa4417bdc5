"""What the queue's scheduler runs (`manage.py qcluster`, ADR 0074): a thin entry point
calling the service `manage.py retention_review` calls, as of today."""

import logging

from django.utils import timezone

from safehub.access.services import OPERATOR
from safehub.retention.services import reviews_list_due

log = logging.getLogger(__name__)


def monthly_review() -> int:
    """List every record the retention schedule says is due for review, once each; the
    data protection officer decides each on the retention review page. Returns how many
    were listed."""
    listed = reviews_list_due(actor=OPERATOR, as_of=timezone.localdate())
    log.info("retention: %s listed for review", len(listed))
    return len(listed)
