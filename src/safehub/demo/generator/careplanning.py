"""Demoshire's care planning for the children looked after on `today`, after their casework
and court work are loaded (ADR 0035's records, as `careplanning.services` would have left
them): the independent reviewing officer (the chair the casework planner already involved),
their contact with the child before each review, the IRO's recommendations at each review
(most done, the recent ones on the worker's list), the care plan (version 1 when it was
written, version 2 after the second review), the permanence plan by the second review, the
current placement's plan and the decisions delegated to its carers.

Set-based: every table is written with `bulk_create` a few thousand periods at a time, so
the large scale stays fast. Proportions we could not find published are estimates, marked
as such. Deterministic: one generator, drawn from in the order the periods were loaded."""

import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Q

from safehub.access.models import Involvement, InvolvementKind
from safehub.careplanning import events
from safehub.careplanning.models import (
    DelegatedDecision,
    Plan,
    PlanKind,
    PlanVersion,
    ReviewingOfficer,
    ReviewingOfficerContact,
)
from safehub.casework import events as casework_events
from safehub.casework import timescales as due
from safehub.casework.models import (
    Allocation,
    CareEpisode,
    CareReview,
    DueItem,
    PeriodOfCare,
    ReviewRecommendation,
)
from safehub.casework.services.care import (
    IRO_CONTACT_DUE,
    IRO_DUE,
    PLACEMENT_PLAN_DUE,
    RECOMMENDATION_DUE,
)
from safehub.demo.generator.permanence import Chronicle
from safehub.organisations.models import User

BATCH = 2_000  # periods of care a round of inserts
# Estimates (no published national figure found): the IRO sees the child before nine
# reviews in ten; two reviews in three make a recommendation.
IRO_CONTACT_SHARE = 0.9
RECOMMENDING_SHARE = 0.66
# The demo's printed IRO sign-in took over about one child in four since the last review.
PRINTED_IRO = "cp.chair"
PRINTED_IRO_SHARE = 0.25
RECOMMENDATIONS = [
    "Arrange contact with the child's brother at least monthly",
    "Refer to CAMHS for an assessment of the child's sleep and anxiety",
    "Complete the life story work begun by the previous social worker",
    "Confirm the school transport arrangements with the virtual school",
    "Book the overdue dental check",
    "Share the updated care plan with the child's mother before the next review",
    "Explore a long-term fostering match with the current carers",
    "Apply for the child's passport so they can go on the school trip",
]
DELEGATED = [
    "Haircuts and hair styles",
    "Overnight stays with friends' families",
    "School trips in the United Kingdom",
    "Routine medical and dental appointments",
    "Photographs in school publications",
    "Joining clubs and after-school activities",
    "Day-to-day contact with friends on social media",
]
CARE_PLAN = (
    "Why the child is looked after and what must change for them to return home.\n"
    "Where they live and why this placement meets their needs.\n"
    "Health: assessments, dental checks and immunisations as the health plan sets out.\n"
    "Education: the personal education plan and the virtual school's support.\n"
    "Family time: contact with parents, brothers and sisters, and wider family."
)
CARE_PLAN_REVIEWED = CARE_PLAN + "\nChanged after the second review: the IRO's recommendations."
PERMANENCE_PLAN = (
    "The plan for permanence agreed at the second review, with the parallel plan and the "
    "timescale for each."
)
PLACEMENT_PLAN = (
    "How the carers will meet the child's needs day to day: routines, school, health, "
    "family time and what the child has said they want."
)


@dataclass
class _Period:
    pk: int
    child_id: int
    start: date
    care_plan_date: date | None
    born: date | None
    reviews: list[tuple[int, date, int]] = field(default_factory=list)  # pk, held, by
    placement: tuple[int, date, str, str] | None = None  # episode pk, start, type, carer
    next_review: date | None = None  # the open review clock
    worker_id: int | None = None  # the allocated social worker
    chair: Involvement | None = None  # the chair's (IRO's) involvement with the child


@dataclass
class _Writes:
    """One batch's rows, written table by table."""

    involvements: list[Involvement] = field(default_factory=list)
    ended_involvements: list[Involvement] = field(default_factory=list)
    allocations: list[ReviewingOfficer] = field(default_factory=list)
    contacts: list[ReviewingOfficerContact] = field(default_factory=list)
    recommendations: list[tuple[ReviewRecommendation, int]] = field(default_factory=list)
    plans: list[tuple[Plan, list[tuple[date, str]]]] = field(default_factory=list)
    delegated: list[DelegatedDecision] = field(default_factory=list)
    due: list[DueItem] = field(default_factory=list)


def seed_care_planning(*, seed: int, today: date) -> dict[str, int]:
    users = {u.pk: u for u in User.objects.filter(is_active=True)}
    managers = sorted(pk for pk, u in users.items() if u.role == "team_manager")
    if not managers:
        return {}
    printed_iro = next((u for u in users.values() if u.username == PRINTED_IRO), None)
    made: dict[str, int] = defaultdict(int)
    ids = list(
        PeriodOfCare.objects.filter(end_date__isnull=True, start_date__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    # One generator drawn from in the periods' order (primary keys differ from load to
    # load on PostgreSQL; their order does not), so every load is the same.
    rng = random.Random(f"demoshire-careplanning-{seed}")
    for start in range(0, len(ids), BATCH):
        chronicle = Chronicle(today, [])
        writes = _Writes()
        for period in _periods(ids[start : start + BATCH]):
            _plan_period(rng, period, today, users, managers, printed_iro, writes, chronicle)
        _write(writes, made)
        made["care_planning_chronology"] += chronicle.write()
    return dict(made)


def _periods(ids: list[int]) -> Iterator[_Period]:
    """The periods with their reviews and the episode their current placement began in."""
    periods = {
        pk: _Period(pk, child, start, plan_date, born)
        for pk, child, start, plan_date, born in PeriodOfCare.objects.filter(pk__in=ids)
        .order_by("pk")
        .values_list("pk", "child_id", "start_date", "care_plan_date", "child__date_of_birth")
    }
    for pk, period_id, held, by in (
        CareReview.objects.filter(period_id__in=ids)
        .order_by("held_on", "pk")
        .values_list("pk", "period_id", "held_on", "recorded_by_id")
    ):
        periods[period_id].reviews.append((pk, held, by))
    for pk, period_id, began, kind, carer, rne in (
        CareEpisode.objects.filter(period_id__in=ids)
        .order_by("start_date", "pk")
        .values_list(
            "pk", "period_id", "start_date", "placement_type", "carer_name", "reason_new_episode"
        )
    ):
        if rne != "L":  # a change of legal status alone is not a new placement
            periods[period_id].placement = (pk, began, kind, carer)
    for source_id, due_on in DueItem.objects.filter(
        source_type=PeriodOfCare._meta.label,
        source_id__in=[str(pk) for pk in ids],
        kind="care_review",
        done_on__isnull=True,
    ).values_list("source_id", "due_date"):
        periods[int(source_id)].next_review = due_on
    by_child = {p.child_id: p for p in periods.values()}
    for child_id, worker_id in Allocation.objects.filter(
        child_id__in=list(by_child), end_date__isnull=True
    ).values_list("child_id", "worker_id"):
        by_child[child_id].worker_id = worker_id
    for involvement in Involvement.objects.filter(
        Q(end_date__isnull=True),
        person_id__in=list(by_child),
        kind=InvolvementKind.CONFERENCE_CHAIR,
    ).order_by("start_date", "pk"):
        by_child[involvement.person_id].chair = involvement
    yield from periods.values()


def _plan_period(
    rng: random.Random,
    period: _Period,
    today: date,
    users: dict[int, User],
    managers: list[int],
    printed_iro: User | None,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    iro = _allocate_iro(rng, period, today, users, managers, writes, chronicle)
    worker = _worker_of(period, users, managers)
    if iro is not None:
        current = _hand_over(rng, period, today, printed_iro, writes, chronicle) or iro
        _contacts_and_recommendations(rng, period, today, (iro, current), worker, writes, chronicle)
    _plans(rng, period, today, worker, writes, chronicle)
    _delegated(rng, period, today, worker, writes, chronicle)


def _allocate_iro(
    rng: random.Random,
    period: _Period,
    today: date,
    users: dict[int, User],
    managers: list[int],
    writes: _Writes,
    chronicle: Chronicle,
) -> User | None:
    """The chair already involved with the child is their IRO, allocated by a manager in
    time for the first review."""
    involvement = period.chair
    first_review = due.care_review_due(period.start, number=1)
    if involvement is None or involvement.user_id not in users:
        # None yet: the clocks `care_start` opened are still running.
        writes.due.append(
            _open(period, IRO_DUE, "Allocate an independent reviewing officer", first_review)
        )
        writes.due.append(
            _open(period, IRO_CONTACT_DUE, _CONTACT_LABEL, period.next_review or first_review)
        )
        return None
    latest = min(first_review, today - timedelta(days=1))
    allocated = period.start + timedelta(days=rng.randint(0, max(0, (latest - period.start).days)))
    iro, manager = users[involvement.user_id], users[rng.choice(managers)]
    allocation = ReviewingOfficer(
        period_id=period.pk,
        child_id=period.child_id,
        iro=iro,
        involvement=involvement,
        start_date=allocated,
        allocated_by=manager,
    )
    writes.allocations.append(allocation)
    writes.due.append(
        _done(period, IRO_DUE, "Allocate an independent reviewing officer", first_review, allocated)
    )
    chronicle.add(
        period.child_id,
        allocated,
        events.IRO_ALLOCATED,
        f"Independent reviewing officer: {iro.get_full_name()}",
        allocation,
        manager,
    )
    return iro


def _hand_over(
    rng: random.Random,
    period: _Period,
    today: date,
    printed: User | None,
    writes: _Writes,
    chronicle: Chronicle,
) -> User | None:
    """For some children the printed IRO took over since the last review (as
    `iro_allocate` does: the last IRO's allocation and involvement end, theirs begins), so
    the demo's IRO sign-in has children on "My reviews"."""
    old = writes.allocations[-1] if writes.allocations else None
    if (
        printed is None
        or old is None
        or old.period_id != period.pk
        or old.iro_id == printed.pk
        or not period.reviews
        or rng.random() >= PRINTED_IRO_SHARE
    ):
        return None
    last = period.reviews[-1][1]
    if (today - last).days < 3 or last < old.start_date:
        return None
    handover = last + timedelta(days=rng.randint(1, min(30, (today - last).days - 1)))
    old.end_date = handover
    assert old.involvement is not None
    old.involvement.end_date = handover
    writes.ended_involvements.append(old.involvement)
    involvement = Involvement(
        person_id=period.child_id,
        kind=InvolvementKind.CONFERENCE_CHAIR,
        user=printed,
        team=None,
        start_date=handover,
    )
    writes.involvements.append(involvement)
    allocation = ReviewingOfficer(
        period_id=period.pk,
        child_id=period.child_id,
        iro=printed,
        involvement=involvement,
        start_date=handover,
        allocated_by=old.allocated_by,
    )
    writes.allocations.append(allocation)
    chronicle.add(
        period.child_id,
        handover,
        events.IRO_ALLOCATED,
        f"Independent reviewing officer: {printed.get_full_name()}",
        allocation,
        old.allocated_by,
    )
    return printed


def _worker_of(period: _Period, users: dict[int, User], managers: list[int]) -> User:
    """The allocated social worker, else whoever recorded the last review."""
    for pk in (period.worker_id, period.reviews[-1][2] if period.reviews else None):
        if pk in users:
            return users[pk]
    return users[managers[0]]


def _contacts_and_recommendations(
    rng: random.Random,
    period: _Period,
    today: date,
    iros: tuple[User, User],
    worker: User,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    """The IRO (`iros`: the one who chaired the reviews, the one allocated now) hears the
    child before each review (the clock then moves to the next), and
    records what they recommend at it."""
    earliest = period.start
    for review_pk, held, _ in period.reviews:
        if rng.random() < IRO_CONTACT_SHARE and held > earliest:
            day = held - timedelta(days=rng.randint(1, min(15, (held - earliest).days)))
            _contact(rng, period, iros[0], day, writes, chronicle)
            writes.due.append(_done(period, IRO_CONTACT_DUE, _CONTACT_LABEL, held, day))
        earliest = held
        if rng.random() < RECOMMENDING_SHARE:
            _recommend(rng, period, review_pk, held, today, worker, writes, chronicle)
    next_review = period.next_review
    if next_review is None:
        return
    # Shortly before the next review the IRO has often seen the child already.
    if next_review - today < timedelta(days=14) and today > earliest + timedelta(days=2):
        day = today - timedelta(days=rng.randint(1, min(10, (today - earliest).days - 1)))
        _contact(rng, period, iros[1], day, writes, chronicle)
        writes.due.append(_done(period, IRO_CONTACT_DUE, _CONTACT_LABEL, next_review, day))
    else:
        writes.due.append(_open(period, IRO_CONTACT_DUE, _CONTACT_LABEL, next_review))


_CONTACT_LABEL = "The independent reviewing officer speaks with the child before the review"


def _contact(
    rng: random.Random,
    period: _Period,
    iro: User,
    day: date,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    young = period.born is not None and (day - period.born).days < 4 * 365
    alone = not young and rng.random() < 0.6
    contact = ReviewingOfficerContact(
        period_id=period.pk, iro=iro, contact_on=day, seen_alone=alone, note=""
    )
    writes.contacts.append(contact)
    chronicle.add(
        period.child_id,
        day,
        events.IRO_CONTACT,
        "Independent reviewing officer saw the child" + (" alone" if alone else ""),
        contact,
        iro,
    )


def _recommend(
    rng: random.Random,
    period: _Period,
    review_pk: int,
    held: date,
    today: date,
    worker: User,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    complete_by = held + timedelta(days=rng.choice([20, 28, 42, 56]))
    for text in rng.sample(RECOMMENDATIONS, rng.randint(1, 3)):
        done = complete_by - timedelta(days=rng.randint(0, (complete_by - held).days - 1))
        if rng.random() < 0.1:
            done = complete_by + timedelta(days=rng.randint(1, 30))  # done late
        finished = done < today and rng.random() < 0.95
        recommendation = ReviewRecommendation(
            review_id=review_pk,
            text=text,
            due_date=complete_by,
            done_on=done if finished else None,
            done_by=worker if finished else None,
        )
        writes.recommendations.append((recommendation, period.child_id))
        if finished:
            chronicle.add(
                period.child_id,
                done,
                casework_events.RECOMMENDATION_DONE,
                f"Review recommendation done: {text}",
                recommendation,
                worker,
            )


def _plans(
    rng: random.Random,
    period: _Period,
    today: date,
    worker: User,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    """The care plan as written (changed after the second review), the permanence plan by
    the second review, and the current placement's plan within its five working days."""
    if period.care_plan_date is not None:
        versions = [(period.care_plan_date, CARE_PLAN)]
        if len(period.reviews) >= 2:
            versions.append((period.reviews[1][1], CARE_PLAN_REVIEWED))
        _plan(period, PlanKind.CARE, None, versions, worker, writes, chronicle)
    if len(period.reviews) >= 2:
        second = period.reviews[1][1]
        written = max(period.start, second - timedelta(days=rng.randint(0, 10)))
        _plan(
            period,
            PlanKind.PERMANENCE,
            None,
            [(written, PERMANENCE_PLAN)],
            worker,
            writes,
            chronicle,
        )
    if period.placement is not None:
        episode, began, _, _ = period.placement
        deadline = due.placement_plan_due(began)
        written = began + timedelta(days=rng.randint(0, max(0, (deadline - began).days)))
        if written < today:
            _plan(
                period,
                PlanKind.PLACEMENT,
                episode,
                [(written, PLACEMENT_PLAN)],
                worker,
                writes,
                chronicle,
            )
            writes.due.append(
                _done(period, PLACEMENT_PLAN_DUE, "Write the placement plan", deadline, written)
            )
        else:  # placed in the last few days: the plan is still to write
            writes.due.append(
                _open(period, PLACEMENT_PLAN_DUE, "Write the placement plan", deadline)
            )


def _plan(
    period: _Period,
    kind: str,
    placement: int | None,
    versions: list[tuple[date, str]],
    by: User,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    written, text = versions[-1]
    plan = Plan(
        kind=kind,
        period_id=period.pk,
        placement_id=placement,
        written_on=written,
        content=text,
        updated_by=by,
        version=len(versions),
    )
    writes.plans.append((plan, versions))
    label = PlanKind(kind).label
    for number, (day, _) in enumerate(versions, start=1):
        summary = f"{label} written" if number == 1 else f"{label} changed (version {number})"
        chronicle.add(period.child_id, day, events.PLAN_SAVED, summary, plan, by)


def _delegated(
    rng: random.Random,
    period: _Period,
    today: date,
    worker: User,
    writes: _Writes,
    chronicle: Chronicle,
) -> None:
    """Decisions the carers of the current placement may take (not for a child placed with
    their parents, who hold parental responsibility already)."""
    if period.placement is None:
        return
    episode, began, kind, carer = period.placement
    if kind == "P1" or began >= today:
        return
    who = carer or "The carers"
    for decision in rng.sample(DELEGATED, rng.randint(2, 4)):
        agreed = began + timedelta(days=rng.randint(0, min(20, (today - began).days - 1)))
        withdrawn = None
        if rng.random() < 0.05 and agreed + timedelta(days=30) < today:
            withdrawn = agreed + timedelta(days=rng.randint(30, (today - agreed).days))
        record = DelegatedDecision(
            period_id=period.pk,
            placement_id=episode,
            decision=decision,
            delegated_to=who[:120],
            agreed_on=agreed,
            withdrawn_on=withdrawn,
            recorded_by=worker,
        )
        writes.delegated.append(record)
        chronicle.add(
            period.child_id,
            agreed,
            events.DELEGATED_AUTHORITY,
            f"Delegated to {who}: {decision}"[:200],
            record,
            worker,
        )
        if withdrawn is not None:
            chronicle.add(
                period.child_id,
                withdrawn,
                events.DELEGATED_AUTHORITY,
                f"No longer delegated to {who}: {decision}"[:200],
                record,
                worker,
            )


def _open(period: _Period, kind: str, label: str, due_on: date) -> DueItem:
    return DueItem(
        child_id=period.child_id,
        source_type=PeriodOfCare._meta.label,
        source_id=str(period.pk),
        kind=kind,
        label=label,
        due_date=due_on,
    )


def _done(period: _Period, kind: str, label: str, due_on: date, done: date) -> DueItem:
    return DueItem(
        child_id=period.child_id,
        source_type=PeriodOfCare._meta.label,
        source_id=str(period.pk),
        kind=kind,
        label=label,
        due_date=due_on,
        done_on=done,
    )


def _write(writes: _Writes, made: dict[str, int]) -> None:
    Involvement.objects.bulk_create(writes.involvements, batch_size=BATCH)
    Involvement.objects.bulk_update(writes.ended_involvements, ["end_date"], batch_size=BATCH)
    ReviewingOfficer.objects.bulk_create(writes.allocations, batch_size=BATCH)
    ReviewingOfficerContact.objects.bulk_create(writes.contacts, batch_size=BATCH)
    ReviewRecommendation.objects.bulk_create(
        [r for r, _ in writes.recommendations], batch_size=BATCH
    )
    DelegatedDecision.objects.bulk_create(writes.delegated, batch_size=BATCH)
    Plan.objects.bulk_create([p for p, _ in writes.plans], batch_size=BATCH)
    PlanVersion.objects.bulk_create(
        [
            PlanVersion(
                plan=plan, version=number, written_on=day, content=text, saved_by=plan.updated_by
            )
            for plan, versions in writes.plans
            for number, (day, text) in enumerate(versions, start=1)
        ],
        batch_size=BATCH,
    )
    writes.due.extend(
        DueItem(
            child_id=child_id,
            source_type=ReviewRecommendation._meta.label,
            source_id=str(r.pk),
            kind=RECOMMENDATION_DUE,
            label=f"Review recommendation: {r.text}"[:120],
            due_date=r.due_date,
        )
        for r, child_id in writes.recommendations
        if r.done_on is None
    )
    DueItem.objects.bulk_create(writes.due, batch_size=BATCH)
    made["iro_allocations"] += len(writes.allocations)
    made["iro_contacts"] += len(writes.contacts)
    made["review_recommendations"] += len(writes.recommendations)
    made["care_plans"] += len(writes.plans)
    made["delegated_decisions"] += len(writes.delegated)
