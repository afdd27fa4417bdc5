"""Records built by hand for the figures: each test knows exactly which children a figure
must count in October 2026, and which it must not."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from safehub.access.models import Involvement, InvolvementKind
from safehub.casework.models import (
    Allocation,
    Assessment,
    CareEpisode,
    Conference,
    CPPlan,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    Visit,
)
from safehub.frontdoor.models import Contact, ContactSubject

LONDON = ZoneInfo("Europe/London")
OCT = date(2026, 10, 1)


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=LONDON)


def episode(child: Any, by: Any, referred: date, closed: date | None = None) -> Episode:
    return Episode.objects.create(
        kind="cin",
        child=child,
        referral_date=referred,
        opened_by=by,
        closure_date=closed,
        closure_reason="RC1" if closed else "",
    )


_refs = iter(range(1000, 9999))


def contact(child: Any, received: datetime, closed: datetime | None, decision: str = "") -> Contact:
    c = Contact.objects.create(
        reference=f"C{next(_refs)}",
        channel="professional",
        referral_source="1A",
        received_at=received,
        decision_due_at=received,
        concern_summary="Worried",
        urgency="standard",
        urgency_rank=3,
        status="decided" if closed else "new",
        decision=decision,
        decided_at=closed,
        closed_at=closed,
    )
    ContactSubject.objects.create(contact=c, role="child", person=child)
    return c


def plan(child: Any, by: Any, start: date, end: date | None = None, **kw: Any) -> CPPlan:
    ep = episode(child, by, start, end)
    return CPPlan.objects.create(
        episode=ep,
        child=child,
        start_date=start,
        end_date=end,
        initial_category="NEG",
        latest_category="NEG",
        **kw,
    )


def review(p: CPPlan, by: Any, held: date) -> Conference:
    return Conference.objects.create(
        episode=p.episode, kind="review", plan=p, held_on=held, outcome="continue", recorded_by=by
    )


def cp_visit(p: CPPlan, by: Any, on: date) -> Visit:
    return Visit.objects.create(
        child=p.child, episode=p.episode, kind="cp", visited_on=on, child_seen=True, recorded_by=by
    )


def care(
    child: Any,
    by: Any,
    start: date,
    moves: tuple[tuple[date, str], ...] = (),
    postcodes: tuple[str, str] = ("", ""),
) -> PeriodOfCare:
    ep = episode(child, by, start)
    period = PeriodOfCare.objects.create(child=child, episode=ep, start_date=start)
    starts = [(start, "S"), *moves]
    for i, (on, reason) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else None
        CareEpisode.objects.create(
            period=period,
            start_date=on,
            end_date=end,
            reason_new_episode=reason,
            legal_status="C2",
            placement_type="U6",
            provider="PR1",
            home_postcode=postcodes[0],
            placement_postcode=postcodes[1],
            reason_ceased="X1" if end else "",
        )
    return period


def went_missing(child: Any, by: Any, on: date) -> MissingEpisode:
    return MissingEpisode.objects.create(child=child, kind="M", start_date=on, recorded_by=by)


def allocation(child: Any, worker: Any, start: date) -> Allocation:
    inv = Involvement.objects.create(
        person=child, kind=InvolvementKind.ALLOCATED_WORKER, user=worker, team=worker.team
    )
    return Allocation.objects.create(
        child=child,
        worker=worker,
        team=worker.team,
        start_date=start,
        reason="NEW",
        involvement=inv,
        allocated_by=worker,
    )


@pytest.fixture
def by(users: dict[str, Any]) -> Any:
    return users["team_manager"]


__all__ = ["OCT", "Assessment", "at"]
