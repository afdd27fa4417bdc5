"""What the queue's scheduler runs (`manage.py qcluster`): a thin entry point calling one
service (ADR 0027, ADR 0043)."""

import logging

from django.utils import timezone

from safehub.concerns.services import concerns_sweep

log = logging.getLogger(__name__)


def nightly_sweep() -> int:
    """Every live rule evaluated for every child as of now: raises what time alone made
    true (a home-educated child nobody has seen for six months; an episode closed on a child
    agencies keep worrying about), which no arriving event would. Returns alerts raised."""
    raised = concerns_sweep(as_of=timezone.now())
    log.info("concerns: the nightly sweep raised or updated %s alert(s)", len(raised))
    return len(raised)
