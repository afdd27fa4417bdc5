"""Who may see the figures at all, as the pages' and jobs' "not found": the one check
services, selectors and fetchers share (the rule itself is `policy.can_see_performance`)."""

from safehub.access.policy import can_see_performance
from safehub.core.exceptions import NotFound
from safehub.organisations.models import User


def must_see_performance(actor: User) -> None:
    """Anyone the policy does not let see the figures is answered "not found", as every page
    does for what it will not show."""
    if not can_see_performance(actor):
        raise NotFound()
