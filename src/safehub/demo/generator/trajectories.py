"""Cumulative concern in Demoshire: children whose partner events built up over months before
they came onto a child protection plan, and decoys with the same kinds of event, single and
spread out, who never did. The concern rules are measured against these (bench/concerns.py).

Nothing here knows the rules. A trajectory is what the literature on serious case reviews
describes: worries from more and more agencies, closer and closer together, in the year or so
before the crisis (here, the referral that led to the child's plan). A decoy has one to four of
the same kinds of event, each months from the next, from whoever happens to report them.

Events are real partner events (built through the parser, as `partner_events` builds them)
filed on the children's chronologies. Deterministic: the same council, seed and day give the
same events; dates are offsets from `today`.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from safehub.casework.models import CPPlan
from safehub.core.workdays import LONDON
from safehub.demo.generator.partner_events import (
    _event,
    _file_on_chronologies,
    _people,
    _senders,
)
from safehub.partners.codes import BY_CODE, MatchState, Sector
from safehub.partners.models import PartnerEvent

# The kinds of event a trajectory and a decoy are made of, by the child's age: under five
# (health and police), school age (education too). Early in a trajectory come the quieter
# signs; later the louder ones.
QUIET = {
    "young": ["was_not_brought", "health_visitor_contact", "eviction_notice", "overcrowding"],
    "school": ["persistent_absence", "was_not_brought", "dsl_welfare_concern", "eviction_notice"],
}
LOUD = {
    "young": [
        "domestic_abuse_child_in_household",
        "domestic_abuse_child_present",
        "ed_attendance",
        "unscheduled_attendance",
        "was_not_brought",
    ],
    "school": [
        "domestic_abuse_child_present",
        "domestic_abuse_child_in_household",
        "dsl_welfare_concern",
        "severe_absence",
        "missing_episode",
        "ed_attendance",
    ],
}
DECOYS_PER_TRAJECTORY = 4
NUMBER_BASE = 800_000  # event ids apart from `partner_events`' own


def seed_trajectories(*, seed: int, today: date) -> dict[str, int]:
    """Plant trajectories before the child protection plans of the last three years, and
    decoys on children who never had one; returns how many of each and how many events."""
    rng = random.Random(f"demoshire-trajectories-{seed}")
    senders = _senders()
    if not senders:
        return {"trajectories": 0, "decoys": 0, "trajectory_events": 0}
    children = {row[0]: row for row in _people(today)[0]}
    plans = (
        CPPlan.objects.filter(start_date__gt=today - timedelta(days=3 * 365), start_date__lte=today)
        .order_by("child_id", "start_date")
        .values_list("child_id", "episode__referral_date")
    )
    crises: dict[int, date] = {}
    for child_id, referred in plans:
        if child_id in children and child_id not in crises:
            crises[child_id] = referred
    ever_planned = set(CPPlan.objects.values_list("child_id", flat=True))
    others = [pk for pk in children if pk not in ever_planned]
    rng.shuffle(others)
    now = datetime.combine(today, time(9), tzinfo=LONDON)
    events: list[PartnerEvent] = []
    planted = 0
    for child_id, referred in crises.items():
        built = _trajectory(rng, senders, children[child_id], referred, today, now, len(events))
        if built:
            planted += 1
            events.extend(built)
    trajectory_events = len(events)
    decoys = others[: planted * DECOYS_PER_TRAJECTORY]
    for child_id in decoys:
        events.extend(_decoy(rng, senders, children[child_id], today, now, len(events)))
    PartnerEvent.objects.bulk_create(events, batch_size=2_000)
    _file_on_chronologies(events)
    return {
        "trajectories": planted,
        "decoys": len(decoys),
        "trajectory_events": trajectory_events,
        "decoy_events": len(events) - trajectory_events,
    }


def _age_group(born: date, on: date) -> str:
    return "school" if (on - born).days >= 5 * 365 else "young"


def _trajectory(
    rng: random.Random,
    senders: dict[str, list[Any]],
    person: tuple[Any, ...],
    referred: date,
    today: date,
    now: datetime,
    numbered: int,
) -> list[PartnerEvent]:
    """Five to nine events over the four to fifteen months before the referral, closer
    together towards it, quiet signs first and louder ones later."""
    born = person[6]
    span = rng.randint(120, 450)
    start = max(born + timedelta(days=30), referred - timedelta(days=span))
    if (referred - start).days < 60:
        return []
    count = rng.randint(5, 9)
    built: list[PartnerEvent] = []
    for i in range(count):
        # Squared spacing: the gaps shrink as the crisis nears.
        fraction = 1 - (1 - (i + rng.random() * 0.8) / count) ** 2
        day = start + timedelta(days=int(fraction * ((referred - start).days - 7)))
        pool = QUIET if i < count // 3 else LOUD
        code = rng.choice(pool[_age_group(born, day)])
        event = _one(rng, senders, code, person, day, today, now, numbered + len(built))
        if event is not None:
            built.append(event)
    return built


def _decoy(
    rng: random.Random,
    senders: dict[str, list[Any]],
    person: tuple[Any, ...],
    today: date,
    now: datetime,
    numbered: int,
) -> list[PartnerEvent]:
    """One to four of the same kinds of event over the last three years, months apart."""
    born = person[6]
    day = max(born + timedelta(days=30), today - timedelta(days=rng.randint(500, 1_000)))
    built: list[PartnerEvent] = []
    for _ in range(rng.randint(1, 4)):
        if day >= today - timedelta(days=2):
            break
        pool = QUIET if rng.random() < 0.5 else LOUD
        code = rng.choice(pool[_age_group(born, day)])
        event = _one(rng, senders, code, person, day, today, now, numbered + len(built))
        if event is not None:
            built.append(event)
        day += timedelta(days=rng.randint(120, 330))
    return built


def _one(
    rng: random.Random,
    senders: dict[str, list[Any]],
    code: str,
    person: tuple[Any, ...],
    day: date,
    today: date,
    now: datetime,
    number: int,
) -> PartnerEvent | None:
    event_type = BY_CODE[code]
    agency, sender = rng.choice(senders[Sector(event_type.sector)])
    return _event(
        rng,
        NUMBER_BASE + number,
        event_type,
        agency,
        sender,
        person,
        MatchState.MATCHED_BY_IDENTIFIER,
        today,
        now,
        on=day,
    )
