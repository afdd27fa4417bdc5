"""What the queue's scheduler runs (`manage.py qcluster`, ADR 0074): thin entry points, each
calling the service its management command calls, as of now."""

import logging

from django.utils import timezone

from safehub.partners.encompass import encompass_chase
from safehub.partners.feeds import feeds_watch

log = logging.getLogger(__name__)


def watch_feeds() -> int:
    """Tell the watchers of each feed newly quiet; end the spells of feeds sending again.
    Returns the feeds newly quiet."""
    result = feeds_watch(as_of=timezone.now())
    log.info("feeds: %s newly quiet, %s resumed", len(result.opened), result.closed)
    return len(result.opened)


def chase_encompass() -> int:
    """Chase the Operation Encompass notices not acknowledged by their due time. Returns
    how many were chased."""
    chased = encompass_chase(as_of=timezone.now())
    log.info("encompass: %s chased", chased)
    return chased
