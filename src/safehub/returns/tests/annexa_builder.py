"""A small council built by hand for Annex A: each child is on the lists it should be for a
period ending 31 October 2026 (six months from 1 May, twelve from 1 November 2025), with a
record just outside each list's reach beside it."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from safehub.access.models import Involvement, InvolvementKind
from safehub.casework.models import (
    Allocation,
    Assessment,
    CareEpisode,
    CareReview,
    Conference,
    CPPlan,
    Episode,
    HealthCheck,
    MissingEpisode,
    PeriodOfCare,
    Section47,
    StrategyDiscussion,
    Visit,
)
from safehub.frontdoor.models import Contact, ContactSubject
from safehub.permanence.models import Adopters, Adoption

END = date(2026, 10, 31)
LONDON = ZoneInfo("Europe/London")
_refs = iter(range(1000, 99999))


def contact(child: Any, day: date, source: str = "2A") -> Contact:
    received = datetime(day.year, day.month, day.day, 10, tzinfo=LONDON)
    made = Contact.objects.create(
        reference=f"A{next(_refs)}",
        channel="professional",
        referral_source=source,
        received_at=received,
        decision_due_at=received,
        concern_summary="Worried",
        urgency="standard",
        urgency_rank=3,
    )
    ContactSubject.objects.create(contact=made, role="child", person=child)
    return made


def episode(child: Any, by: Any, referred: date, **fields: Any) -> Episode:
    fields.setdefault("kind", "cin")
    fields.setdefault("primary_need", "N1" if fields["kind"] == "cin" else "")
    return Episode.objects.create(child=child, referral_date=referred, opened_by=by, **fields)


def assessment(ep: Episode, start: date, **fields: Any) -> Assessment:
    return Assessment.objects.create(episode=ep, start_date=start, due_date=start, **fields)


def enquiry(ep: Episode, by: Any, start: date, **fields: Any) -> Section47:
    strategy = StrategyDiscussion.objects.create(
        episode=ep, held_on=start, participants="Police, school", outcome="s47", recorded_by=by
    )
    return Section47.objects.create(
        episode=ep, strategy=strategy, start_date=start, icpc_target=start, **fields
    )


def conference(ep: Episode, by: Any, kind: str, held: date, **fields: Any) -> Conference:
    return Conference.objects.create(episode=ep, kind=kind, held_on=held, recorded_by=by, **fields)


def cp_plan(ep: Episode, start: date, **fields: Any) -> CPPlan:
    fields.setdefault("initial_category", "NEG")
    fields.setdefault("latest_category", "NEG")
    return CPPlan.objects.create(episode=ep, child=ep.child, start_date=start, **fields)


def visit(ep: Episode, by: Any, kind: str, on: date, alone: bool = False) -> Visit:
    return Visit.objects.create(
        child=ep.child,
        episode=ep,
        kind=kind,
        visited_on=on,
        child_seen=True,
        child_seen_alone=alone,
        recorded_by=by,
    )


def care(
    child: Any,
    by: Any,
    rows: list[tuple[date, str, str, str]],
    ended: date | None = None,
    reason: str = "",
    ep: Episode | None = None,
) -> PeriodOfCare:
    """A period of care from (start, reason for new episode, legal status, placement type)."""
    if ep is None:
        closed = {"closure_date": ended, "closure_reason": "RC7"} if ended else {}
        ep = episode(child, by, rows[0][0], **closed)
    period = PeriodOfCare.objects.create(
        child=child, episode=ep, start_date=rows[0][0], end_date=ended, reason_ceased=reason
    )
    for i, (on, why, legal, placed) in enumerate(rows):
        last = i + 1 == len(rows)
        CareEpisode.objects.create(
            period=period,
            start_date=on,
            end_date=ended if last else rows[i + 1][0],
            reason_new_episode=why,
            legal_status=legal,
            placement_type=placed,
            provider="PR1",
            placement_postcode="AB1 2CD",
            urn="SC123456",
            reason_ceased=(reason if last else "X1") if (ended or not last) else "",
        )
    return period


def allocation(child: Any, worker: Any, start: date) -> Allocation:
    involvement = Involvement.objects.create(
        person=child, kind=InvolvementKind.ALLOCATED_WORKER, user=worker, team=worker.team
    )
    return Allocation.objects.create(
        involvement=involvement,
        child=child,
        worker=worker,
        team=worker.team,
        start_date=start,
        reason="NEW",
        allocated_by=worker,
    )


def missing(child: Any, by: Any, kind: str, on: date, **fields: Any) -> MissingEpisode:
    return MissingEpisode.objects.create(
        child=child, kind=kind, start_date=on, recorded_by=by, **fields
    )


def review(period: PeriodOfCare, by: Any, on: date) -> CareReview:
    return CareReview.objects.create(period=period, held_on=on, recorded_by=by)


def health(period: PeriodOfCare, by: Any, kind: str, on: date) -> HealthCheck:
    return HealthCheck.objects.create(period=period, kind=kind, held_on=on, recorded_by=by)


def adopters(by: Any, reference: str, sexes: str, enquiry: date, **fields: Any) -> Adopters:
    fields.setdefault("legal_status", "L0")
    return Adopters.objects.create(
        reference=reference,
        names="The adopters",
        sexes=sexes,
        enquiry_on=enquiry,
        recorded_by=by,
        **fields,
    )


def adoption(child: Any, by: Any, decided: date, **fields: Any) -> Adoption:
    return Adoption.objects.create(child=child, decided_on=decided, recorded_by=by, **fields)
