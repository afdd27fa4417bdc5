"""Reads of partner events that pages and the API share: the MASH's queue (oldest first,
with how long each has waited), the suggested records for one event, and what a sending
agency sees of its own events that came back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, When
from django.utils import timezone

from safehub.access.policy import (
    Action,
    Decision,
    decide_encompass_notice,
    may_resolve_encompass_notice,
)
from safehub.audit.services import audit_list
from safehub.core.paging import page_number
from safehub.organisations.models import User
from safehub.partners.codes import MatchState
from safehub.partners.models import EncompassNotice, NoticeState, PartnerEvent
from safehub.people.matching import Described, MatchCandidate, match_candidates

QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True)
class Waiting:
    event: PartnerEvent
    waited: str
    long_wait: bool  # more than a working day's worth: shown in red


def waited_for(received_at: datetime, now: datetime) -> tuple[str, bool]:
    """How long an event has waited, in words: "35 minutes", "5 hours", "3 days"."""
    gap = max(now - received_at, timedelta(0))
    minutes = int(gap.total_seconds() // 60)
    if minutes < 60:
        text = f"{minutes} minute{'' if minutes == 1 else 's'}"
    elif minutes < 48 * 60:
        hours = minutes // 60
        text = f"{hours} hour{'' if hours == 1 else 's'}"
    else:
        days = minutes // (24 * 60)
        text = f"{days} days"
    return text, gap > timedelta(hours=24)


def partner_queue(
    *, actor: User, page: int | str | None = 1, now: datetime | None = None
) -> tuple[Page, list[Waiting]]:
    """Events waiting for the MASH, oldest first. The caller has checked the actor may work
    the queue. One audit row names the list (the events name no record yet)."""
    now = now or timezone.now()
    waiting = (
        PartnerEvent.objects.filter(state=MatchState.AWAITING)
        .select_related("agency")
        .order_by("received_at", "pk")
    )
    paginator = Paginator(waiting, QUEUE_PAGE_SIZE)
    shown = paginator.page(page_number(page, pages=paginator.num_pages))
    rows = [Waiting(e, *waited_for(e.received_at, now)) for e in shown.object_list]
    audit_list(
        actor=actor,
        listed="partners.queue",
        person_ids=[],
        detail={"events": [e.pk for e in shown.object_list]},
    )
    return shown, rows


def described(event: PartnerEvent) -> Described:
    return Described(
        given_name=event.given_name,
        family_name=event.family_name,
        date_of_birth=event.date_of_birth,
        postcode=event.postcode,
        nhs_number=event.nhs_number,
        upn=event.upn,
    )


def partner_event_candidates(
    *, actor: User, event: PartnerEvent, looking_for: Described | None = None
) -> list[MatchCandidate]:
    """Suggested records for a waiting event (from the one candidate engine), or for what
    the worker typed instead. Suggestions only: nothing is filed until a worker chooses."""
    return match_candidates(
        actor=actor,
        described=looking_for or described(event),
        purpose=f"partner event {event.pk}",
    )


def sent_back_for(*, actor: User, limit: int = 200) -> list[PartnerEvent]:
    """The actor's agency's events that the MASH sent back, newest first; audited as a
    list (they name no record)."""
    events = list(
        PartnerEvent.objects.filter(agency_id=actor.agency_id, state=MatchState.SENT_BACK)
        .select_related("matched_by")
        .order_by("-matched_at", "-pk")[:limit]
    )
    audit_list(
        actor=actor,
        listed="partners.sent_back",
        person_ids=[],
        detail={"events": [e.pk for e in events]},
    )
    return events


def sent_back_summary(event: PartnerEvent) -> dict[str, Any]:
    return {
        "event_id": event.partner_event_id,
        "type": event.type,
        "received_at": event.received_at,
        "sent_back_at": event.matched_at,
        "reason": event.sent_back_reason,
    }


# Restricted events' own words, for the readers the policy's `restricted_entry_scope` lets
# read them on a chronology (ADR 0023): the entry itself carries only a placeholder.
SOURCE_TYPE = "partners.PartnerEvent"


def restricted_event_summaries(source_ids: list[str]) -> dict[str, str]:
    """What the partner said in each restricted event whose chronology entry names it as its
    source (`source_id`), keyed by that id. The caller has already decided the reader may
    read them. One query for a page's worth."""
    ids = [int(i) for i in source_ids if i.isdigit()]
    if not ids:
        return {}
    rows = PartnerEvent.objects.filter(pk__in=ids, restricted=True).values_list(
        "pk", "summary", "reason"
    )
    return {
        str(pk): f"{summary} Reason: {reason}." if reason else summary
        for pk, summary, reason in rows
    }


# --- Operation Encompass ---------------------------------------------------------------


def encompass_notices_for(*, actor: User, limit: int = 200) -> list[EncompassNotice]:
    """The notices a page lists for `actor`: a school's safeguarding lead sees their
    school's, newest first; the MASH sees every notice, those needing it first (no school,
    then past due and unacknowledged). Each shown as the policy decides; one audit row names
    every child listed."""
    rows = EncompassNotice.objects.select_related("child", "school")
    if may_resolve_encompass_notice(actor):
        ordered = rows.order_by(
            Case(
                When(state=NoticeState.NO_SCHOOL, then=0),
                When(state=NoticeState.SENT, then=1),
                default=2,
            ),
            "-incident_at",
            "-pk",
        )
    else:
        ordered = rows.filter(school_id=actor.agency_id).order_by("-incident_at", "-pk")
    shown = [
        n
        for n in ordered[:limit]
        if decide_encompass_notice(actor, n, Action.VIEW) is Decision.ALLOW
    ]
    audit_list(
        actor=actor,
        listed="partners.encompass",
        person_ids=[n.child_id for n in shown],
        detail={"notices": [n.pk for n in shown]},
    )
    return shown
