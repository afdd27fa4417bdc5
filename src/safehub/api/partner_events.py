"""/api/v1/partner-events: partner agencies' systems send their events in batches and read
what the MASH sent back. Registered on the one API (`api.api`), in its error shape."""

from collections import Counter
from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest, HttpResponse
from ninja import Field, Schema

from safehub.access.policy import can_send_partner_events
from safehub.api.api import _problem, api
from safehub.api.common import Problem
from safehub.api.common import responses as _responses
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.users import SignedInRequest
from safehub.partners import selectors, services
from safehub.partners.codes import EVENT_TYPES, SECTOR_LABELS
from safehub.partners.parsing import FIELDS

_TYPES = "; ".join(
    f"{label}: " + ", ".join(t.code for t in EVENT_TYPES if t.sector == sector)
    for sector, label in SECTOR_LABELS.items()
)


class PartnerEventBatchIn(Schema):
    events: list[Any] = Field(
        ...,
        description=(
            f"Up to {services.MAX_BATCH:,} events (more is refused whole, 413). Each is an "
            f"object with the fields {', '.join(FIELDS)}. Required: event_id (your own "
            "reference, unique in your agency), type, occurred_at (a date, 2026-11-23, or a "
            "date and time, 2026-11-23T14:30:00Z), summary (up to 500 characters), "
            "significance (low, medium or high); and who it is about: nhs_number, or upn, "
            "or given_name, family_name, date_of_birth and postcode. restricted: true keeps "
            "the summary with the MASH. Attendance and absence types need period_start, "
            "period_end and attendance_percent; emergency and unscheduled attendances need "
            f"reason. Types, by the kind of agency that sends them: {_TYPES}."
        ),
    )


class PartnerEventResultOut(Schema):
    index: int = Field(description="The event's position in the batch, from 0")
    event_id: str
    outcome: Literal["accepted", "already_received", "conflict", "rejected"]
    match: Literal["matched", "received", "sent_back"] | None = Field(
        None,
        description="For an accepted event: matched (filed on a record you may see; "
        "person_id is its SafeHub ID), received (held by SafeHub, which makes sure it "
        "reaches the right record), or sent_back (the MASH could not place it; see reasons)",
    )
    person_id: int | None = None
    reasons: list[str] = Field(description="Why it was refused or sent back, in plain English")


class PartnerEventBatchOut(Schema):
    accepted: int
    already_received: int
    conflicts: int
    rejected: int
    results: list[PartnerEventResultOut]


class SentBackOut(Schema):
    event_id: str
    type: str
    received_at: datetime
    sent_back_at: datetime | None
    reason: str


@api.exception_handler(services.BatchTooLarge)
def _too_many(request: HttpRequest, exc: services.BatchTooLarge) -> HttpResponse:
    return _problem(request, 413, exc.message)


@api.post(
    "/partner-events",
    response=_responses(s200=PartnerEventBatchOut, s403=Problem),
    summary="Send partner events",
    description="Each event is judged and saved on its own: the answer says, event by "
    "event, whether it was accepted (and what became of it), was already received (the "
    "same event id with the same content: nothing changes), conflicts (the same event id "
    "with different content: nothing changes) or was rejected, and why.",
)
def partner_events_submit_api(request: SignedInRequest, payload: PartnerEventBatchIn) -> Any:
    outcomes = services.partner_events_receive(actor=request.user, events=payload.events)
    counts = Counter(o.outcome for o in outcomes)
    return {
        "accepted": counts[services.Outcome.ACCEPTED],
        "already_received": counts[services.Outcome.ALREADY_RECEIVED],
        "conflicts": counts[services.Outcome.CONFLICT],
        "rejected": counts[services.Outcome.REJECTED],
        "results": [o.as_dict() for o in outcomes],
    }


@api.get(
    "/partner-events/sent-back",
    response=_responses(s200=list[SentBackOut], s403=Problem),
    summary="Partner events the MASH sent back",
    description="Your agency's events that the MASH could not place, newest first, each "
    "with the reason. Correct and send them again under a new event id.",
)
def partner_events_sent_back_api(request: SignedInRequest) -> Any:
    if not can_send_partner_events(request.user):
        raise PermissionDeniedError()
    return [selectors.sent_back_summary(e) for e in selectors.sent_back_for(actor=request.user)]
