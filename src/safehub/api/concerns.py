"""/api/v1/concerns/…: the concern rules replayed as of any past day, for those who read the
rules and their record (counts only, no names: what measuring a rule's lead time needs); and
the alerts the rules raised, for those who work them, as the alert pages show and work them:
the same selectors, fetcher and services, so the same policy and audit rows."""

from datetime import date, datetime, time
from typing import Any, Literal

from django.utils import timezone
from ninja import Field, Query, Router, Schema

from safehub.access.policy import Action, can_see_concern_rules
from safehub.api.common import Page, Problem, Text, responses
from safehub.concerns import selectors, services
from safehub.concerns.fetchers import access_alert
from safehub.concerns.models import ActionTaken, Alert
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


# --- Alerts --------------------------------------------------------------------------------

ALERT = {**responses(s200=None), 404: Problem, 409: Problem}


class AlertsIn(Schema):
    queue: Literal["mine", "mash", "team"] = Field(
        "mine",
        description="`mine`: alerts about children you lead on; `mash`: the MASH's queue, "
        "alerts about children with no lead professional (for those who triage); `team`: "
        "alerts about children your team's workers lead on (for their managers)",
    )
    page: int = Field(1, ge=1, le=2**31, description="From 1; past the end, the last page")


class AlertSummaryOut(Schema):
    id: int
    rule: str = Field(..., description="The rule's code")
    rule_name: str
    rule_version: int = Field(..., description="The version of the rule that raised it")
    person_id: int
    raised_at: datetime
    due_at: datetime
    overdue: bool = Field(..., description="Open and past its due time")
    state: Literal["new", "acknowledged", "acted", "dismissed"]
    for_mash: bool = Field(..., description="No lead professional: the MASH's to work")
    lead_professional_id: int | None = Field(
        ..., description="The user who leads on the child and was told; none for the MASH's"
    )
    updates: int = Field(..., description="Times it took in new facts after it was raised")


class FindingOut(Schema):
    text: str
    facts: list[int] = Field(..., description="Ids of the chronology entries it rests on")


class FactOut(Schema):
    entry_id: int
    occurred_at: datetime
    event_type: str
    summary: str
    agency: str | None


class AlertOut(AlertSummaryOut):
    version: int = Field(..., description="Send it back to acknowledge, act or dismiss")
    rationale: str
    explanation: list[FindingOut]
    facts: list[FactOut] = Field(..., description="The entries it rests on you may read")
    hidden_facts: int = Field(
        ..., description="Restricted partner entries it rests on that you may not read"
    )
    action_taken: str
    note: str


class VersionIn(Schema):
    version: int


class ActIn(VersionIn):
    action_taken: str = Field(..., max_length=40, description="One of the codes below")
    note: Text = Field("", max_length=2_000)


class DismissIn(VersionIn):
    reason: Text = Field(..., max_length=2_000)


def _summary(alert: Alert, now: datetime) -> dict[str, Any]:
    return {
        "id": alert.pk,
        "rule": alert.rule.code,
        "rule_name": alert.rule.name,
        "rule_version": alert.rule_version,
        "person_id": alert.person_id,
        "raised_at": alert.raised_at,
        "due_at": alert.due_at,
        "overdue": alert.open and alert.due_at < now,
        "state": alert.state,
        "for_mash": alert.to_mash,
        "lead_professional_id": alert.lead_professional_id,
        "updates": alert.updates,
    }


def _alert_out(alert: Alert, request: SignedInRequest) -> dict[str, Any]:
    facts = selectors.alert_facts(alert, actor=request.user)
    entries = sorted(facts.entries.values(), key=lambda e: (e.occurred_at, e.pk))
    return {
        **_summary(alert, timezone.now()),
        "version": alert.version,
        "rationale": alert.rule.rationale,
        "explanation": alert.explanation,
        "facts": [
            {
                "entry_id": e.pk,
                "occurred_at": e.occurred_at,
                "event_type": e.event_type,
                "summary": e.summary,
                "agency": e.source_agency.name if e.source_agency else None,
            }
            for e in entries
        ],
        "hidden_facts": facts.hidden,
        "action_taken": alert.action_taken,
        "note": alert.note,
    }


@router.get(
    "/concerns/alerts",
    response=responses(s200=Page[AlertSummaryOut], s403=Problem),
    summary="Open concern alerts: yours, your team's or the MASH's queue, soonest due first",
    description="The open (new or acknowledged) alerts about children you lead on, or with "
    "`queue=mash` those about children with no lead professional, 50 a page, each only "
    "where you may see the child. Listing is audited, naming each child.",
)
def concern_alerts_api(request: SignedInRequest, query: Query[AlertsIn]) -> Any:
    queue = selectors.AlertQueue(query.queue)
    if queue not in selectors.alert_queues(request.user):
        raise PermissionDeniedError()
    found = selectors.alerts_for(
        actor=request.user, queue=queue, states=selectors.OPEN_STATES, page=query.page
    )
    now = timezone.now()
    return {
        "items": [_summary(a, now) for a in found.alerts],
        "page": found.page,
        "pages": found.pages,
        "total": found.total,
    }


@router.get(
    "/concerns/alerts/{alert_id}",
    response={**ALERT, 200: AlertOut},
    summary="One concern alert with its explanation: the rule, its rationale and the facts",
)
def concern_alert_api(request: SignedInRequest, alert_id: int) -> Any:
    return _alert_out(access_alert(actor=request.user, alert_id=alert_id), request)


@router.post(
    "/concerns/alerts/{alert_id}/acknowledge",
    response={**ALERT, 200: AlertOut},
    summary="Say an alert has been seen and is being looked into",
)
def concern_alert_acknowledge_api(request: SignedInRequest, alert_id: int, body: VersionIn) -> Any:
    alert = access_alert(actor=request.user, alert_id=alert_id, action=Action.EDIT)
    done = services.alert_acknowledge(
        actor=request.user, alert=alert, expected_version=body.version, now=timezone.now()
    )
    return _alert_out(done, request)


@router.post(
    "/concerns/alerts/{alert_id}/act",
    response={**ALERT, 200: AlertOut},
    summary="Record what was done about an alert (e.g. a contact started with the MASH)",
    description="`action_taken`: "
    + "; ".join(f"`{value}` {label.lower()}" for value, label in ActionTaken.choices),
)
def concern_alert_act_api(request: SignedInRequest, alert_id: int, body: ActIn) -> Any:
    alert = access_alert(actor=request.user, alert_id=alert_id, action=Action.EDIT)
    done = services.alert_act(
        actor=request.user,
        alert=alert,
        expected_version=body.version,
        action_taken=body.action_taken,
        note=body.note,
        now=timezone.now(),
    )
    return _alert_out(done, request)


@router.post(
    "/concerns/alerts/{alert_id}/dismiss",
    response={**ALERT, 200: AlertOut},
    summary="Dismiss an alert, saying why (the reason stays with the rule's record)",
)
def concern_alert_dismiss_api(request: SignedInRequest, alert_id: int, body: DismissIn) -> Any:
    alert = access_alert(actor=request.user, alert_id=alert_id, action=Action.EDIT)
    done = services.alert_dismiss(
        actor=request.user,
        alert=alert,
        expected_version=body.version,
        reason=body.reason,
        now=timezone.now(),
    )
    return _alert_out(done, request)
