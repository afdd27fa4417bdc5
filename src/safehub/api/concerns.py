"""/api/v1/concerns/…: the concern rules replayed as of any past day, for those who read the
rules and their record. Counts only, no names: what measuring a rule's lead time needs."""

from datetime import date, datetime, time
from typing import Any

from ninja import Query, Router, Schema

from safehub.access.policy import can_see_concern_rules
from safehub.api.common import Problem, responses
from safehub.concerns.services import concerns_replay
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.users import SignedInRequest
from safehub.core.workdays import LONDON

router = Router(tags=["Concern rules"])


class ReplayIn(Schema):
    as_of: date
    since: date | None = None


class RuleReplayOut(Schema):
    rule: str
    version: int
    alerts: int
    children: int
    first_alert: date | None
    updates: int
    later_on_a_plan: int
    median_days_ahead_of_plan: int | None


def _end_of(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=LONDON)


@router.get(
    "/concerns/replay",
    response=responses(s200=list[RuleReplayOut], s403=Problem),
    summary="Replay the live concern rules as of a day",
    description="Every live rule replayed over all chronology up to the end of `as_of` "
    "(alerts counted from `since` if given): how many alerts it would have raised, for how "
    "many children, the day of the first, how many times an alert took in new facts "
    "instead of a second being raised (`updates`), and its lead time: how many of those "
    "children then started a child protection or child in need plan, at any time up to "
    "today, and the median days from a child's first alert to that plan. A full replay can "
    "take minutes on a large council.",
)
def concerns_replay_api(request: SignedInRequest, query: Query[ReplayIn]) -> Any:
    if not can_see_concern_rules(request.user):
        raise PermissionDeniedError()
    since = _end_of(query.since) if query.since else None
    return concerns_replay(actor=request.user, until=_end_of(query.as_of), since=since)
