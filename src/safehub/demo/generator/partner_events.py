"""Demoshire's partner events: every type in the vocabulary but the education registers'
(`hardtosee` writes those), each from an agency of the kind that sends it, about people
already loaded. Most were filed by their NHS number or UPN and are on the person's
chronology, a few a MASH worker matched, some wait in the MASH's queue (described by name,
date of birth and postcode only) and a couple were sent back.

Deterministic: the same council, seed and day give the same events. Every event is built as
a partner would send it and passed through the real parser, so the demo holds only events the
API would accept. Dates are offsets from `today`; nothing reads the clock.
"""

import random
import zlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery

from safehub.access.roles import Role
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.workdays import LONDON
from safehub.demo.generator.loader import Writer
from safehub.organisations.models import Agency, User
from safehub.partners.codes import (
    BY_CODE,
    CHRONOLOGY_SIGNIFICANCE,
    EVENT_TYPES,
    SECTOR_OF_KIND,
    Channel,
    MatchState,
    Needs,
    Sector,
    Significance,
)
from safehub.partners.models import PartnerEvent
from safehub.partners.parsing import parse_event
from safehub.partners.services import chronology_summary
from safehub.people.models import Person, PersonAddress

SUMMARIES = {
    "attendance": "Attendance for the half term, sent with the termly return.",
    "persistent_absence": "Attendance has fallen below 90% this term despite letters home.",
    "severe_absence": "Has missed more than half of all sessions this term.",
    "suspension": "Suspended for two days after a fight in the playground.",
    "permanent_exclusion": "Permanently excluded following repeated serious incidents.",
    "ehe_registered": "Parent has written to say they will educate at home.",
    "ehe_ended": "Home education has ended; a school place has been offered.",
    "child_missing_education": "Not on any school roll since moving into the area.",
    "dsl_welfare_concern": "Came to school hungry and tired several days running.",
    "domestic_abuse_child_present": "Officers attended a domestic incident; the child was present.",
    "domestic_abuse_child_in_household": "Domestic incident at the address overnight.",
    "missing_episode": "Reported missing by carers after not returning home.",
    "return_from_missing": "Found and returned home by officers; return interview offered.",
    "exploitation_intelligence": "Seen with older youths linked to drug supply.",
    "household_adult_arrested": "An adult at the address was arrested.",
    "household_adult_released": "An adult at the address was released on bail.",
    "ed_attendance": "Attended the emergency department and was seen and discharged.",
    "was_not_brought": "Not brought to a booked paediatric appointment.",
    "health_visitor_contact": "Routine health visitor contact at home.",
    "pre_birth_concern": "Midwife concerned about support at home before the birth.",
    "unscheduled_attendance": "Seen at the urgent treatment centre in the evening.",
    "eviction_notice": "Notice seeking possession served for rent arrears.",
    "temporary_accommodation": "Family placed in temporary accommodation.",
    "overcrowding": "Household assessed as statutorily overcrowded.",
    "substance_misuse": "Started community treatment for alcohol use.",
    "mental_health_crisis": "Seen by the crisis team and supported at home.",
    "probation": "Under probation supervision following a court order.",
}
REASONS = {
    "ed_attendance": "Cut to the hand",
    "unscheduled_attendance": "High temperature",
}
SENT_BACK_REASONS = (
    "No child with these details is known in Demoshire; please check the date of birth",
    "This family moved out of the county before the date given",
)


# What puts a child on (or takes them off) the education registers is written only by
# `hardtosee`, after every school's other events, so a child a school no longer teaches
# hears nothing more from it; drawn at random here, a child could be registered home
# educated and still have termly absence returns after.
REGISTER_TYPES = frozenset({"ehe_registered", "ehe_ended", "child_missing_education"})
FEED_TYPES = [t for t in EVENT_TYPES if t.code not in REGISTER_TYPES]


def seed_partner_events(*, seed: int, today: date, persons: int) -> int:
    """Write the events and their chronology entries; returns how many events."""
    rng = random.Random(f"demoshire-partner-events-{seed}")
    senders = _senders()
    mash = list(User.objects.filter(role=Role.MASH_WORKER, is_demo=True).order_by("pk")[:5])
    if not senders or not mash:
        return 0
    children, adults = _people(today)
    if not children or not adults:
        return 0
    total = max(len(FEED_TYPES) * 2, persons // 40)
    now = datetime.combine(today, time(9), tzinfo=LONDON)
    events: list[PartnerEvent] = []
    for number in range(total):
        event_type = FEED_TYPES[number % len(FEED_TYPES)]
        agency, sender = rng.choice(senders[event_type.sector])
        adult = event_type.sector == Sector.ADULT_SERVICES
        person = rng.choice(adults if adult else children)
        roll = rng.random()
        state = (
            MatchState.MATCHED_BY_IDENTIFIER
            if roll < 0.7
            else MatchState.MATCHED_BY_WORKER
            if roll < 0.82
            else MatchState.SENT_BACK
            if roll < 0.85
            else MatchState.AWAITING
        )
        built = _event(rng, number, event_type, agency, sender, person, state, today, now)
        if built is not None:
            if state in (MatchState.MATCHED_BY_WORKER, MatchState.SENT_BACK):
                built.matched_by = rng.choice(mash)
                built.matched_at = built.received_at + timedelta(hours=rng.randint(1, 20))
            if state == MatchState.SENT_BACK:
                built.sent_back_reason = rng.choice(SENT_BACK_REASONS)
            events.append(built)
    PartnerEvent.objects.bulk_create(events, batch_size=2_000)
    _file_on_chronologies([e for e in events if e.person_id])
    return len(events)


def _senders() -> dict[str, list[tuple[Agency, User]]]:
    """Each sector's agencies, each with a partner practitioner who sends for it."""
    found: dict[str, list[tuple[Agency, User]]] = defaultdict(list)
    seen: set[int] = set()
    for user in (
        User.objects.filter(role=Role.PARTNER_PRACTITIONER, is_demo=True)
        .select_related("agency")
        .order_by("pk")
    ):
        sector = SECTOR_OF_KIND.get(user.agency.kind)
        if sector and user.agency_id not in seen:
            seen.add(user.agency_id)
            found[sector].append((user.agency, user))
    return found if len(found) == len(Sector) else {}


def _people(today: date) -> tuple[list[Any], list[Any]]:
    """Children and adults with an NHS number, a date of birth and a current postcode."""
    postcode = PersonAddress.objects.filter(person=OuterRef("pk"), end_date__isnull=True).values(
        "address__postcode"
    )[:1]
    rows = list(
        Person.objects.filter(
            date_of_birth__isnull=False,
            date_of_birth__lt=today - timedelta(days=400),
            date_of_death__isnull=True,
            is_restricted=False,
        )
        .exclude(nhs_number="")
        .annotate(postcode=Subquery(postcode))
        .filter(postcode__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "nhs_number",
            "upn",
            "given_name",
            "family_name",
            "date_of_birth",
            "postcode",
        )
    )
    return [r for r in rows if r[1] == "child"], [r for r in rows if r[1] == "adult"]


def _event(
    rng: random.Random,
    number: int,
    event_type: Any,
    agency: Agency,
    sender: User,
    person: tuple[Any, ...],
    state: str,
    today: date,
    now: datetime,
    on: date | None = None,
) -> PartnerEvent | None:
    """One event as a partner would send it; on a random day of the last two years, or `on`."""
    pk, _, nhs, upn, given, family, born, postcode = person
    waiting = state in (MatchState.AWAITING, MatchState.SENT_BACK)
    earliest = max(born, today - timedelta(days=700))
    span = (today - timedelta(days=2) - earliest).days
    if on is not None:
        occurred = on
    elif span < 1:
        return None
    elif waiting:  # received in the last fortnight, so the queue shows real waits
        occurred = today - timedelta(days=rng.randint(2, 14))
        if occurred < born:
            return None
    else:
        occurred = earliest + timedelta(days=rng.randint(0, span))
    raw: dict[str, Any] = {
        "event_id": f"{agency.pk}-{number:06d}",
        "type": event_type.code,
        "occurred_at": occurred.isoformat(),
        "summary": SUMMARIES[event_type.code],
        "significance": rng.choices(["low", "medium", "high"], weights=[6, 3, 1])[0],
        "restricted": event_type.code == "exploitation_intelligence",
    }
    if waiting:
        raw |= {
            "given_name": given,
            "family_name": family,
            "date_of_birth": born.isoformat(),
            "postcode": postcode,
        }
    elif upn and event_type.sector == Sector.EDUCATION:
        raw["upn"] = upn
    else:
        raw["nhs_number"] = nhs
    if event_type.code in REASONS:
        raw["reason"] = REASONS[event_type.code]
    if event_type.needs & Needs.PERIOD:
        start = max(born, occurred - timedelta(days=rng.randint(40, 90)))
        ceiling = event_type.attendance_at_most or 99
        raw |= {
            "period_start": start.isoformat(),
            "period_end": occurred.isoformat(),
            "attendance_percent": str(round(rng.uniform(ceiling - 30, ceiling), 1)),
        }
    parsed = parse_event(raw, agency_kind=agency.kind, now=now)
    if parsed.event is None:
        raise ValueError(f"The demo made an event the API would refuse: {parsed.problems}")
    clean = parsed.event
    received = datetime.combine(
        min(occurred + timedelta(days=rng.randint(0, 3)), today - timedelta(days=1)),
        time(rng.randint(7, 18), rng.randint(0, 59)),
        tzinfo=LONDON,
    )
    return PartnerEvent(
        agency=agency,
        **clean.model_fields(),
        content_hash=clean.content_hash(),
        person_id=None if waiting else pk,
        state=state,
        matched_at=received if state == MatchState.MATCHED_BY_IDENTIFIER else None,
        channel=Channel.API if number % 3 else Channel.CSV,
        received_at=received,
        sent_by=sender,
    )


def _file_on_chronologies(events: list[PartnerEvent], writer: Writer | None = None) -> None:
    """One chronology entry per filed event, as `partners.services` files it: credited to the
    partner who sent it, entered by them (an identifier matched) or the MASH worker. With
    `writer`, the rows go through the loader's writer (COPY on PostgreSQL)."""
    if writer is not None:
        entry_ids = writer.insert(ChronologyEntry, ENTRY_COLUMNS, [_entry_row(e) for e in events])
        writer.insert(
            ChronologyLink,
            ("entry_id", "person_id", "occurred_at"),
            [(i, e.person_id, e.occurred_at) for i, e in zip(entry_ids, events, strict=True)],
        )
        return
    entries = [
        ChronologyEntry(
            occurred_at=e.occurred_at,
            time_known=e.time_known,
            done_by=e.sent_by,
            source_agency=e.agency,
            recorded_by=e.matched_by or e.sent_by,
            recorded_at=e.matched_at or e.received_at,
            event_type=BY_CODE[e.type].chronology_code,
            category=BY_CODE[e.type].category,
            significance=CHRONOLOGY_SIGNIFICANCE[Significance(e.significance)],
            summary=chronology_summary(e),
            source_type="partners.PartnerEvent",
            source_id=str(e.pk),
            restricted=e.restricted,
        )
        for e in events
    ]
    ChronologyEntry.objects.bulk_create(entries, batch_size=2_000)
    ChronologyLink.objects.bulk_create(
        [
            ChronologyLink(entry=entry, person_id=e.person_id or 0, occurred_at=e.occurred_at)
            for entry, e in zip(entries, events, strict=True)
        ],
        batch_size=2_000,
    )


ENTRY_COLUMNS = (
    "occurred_at",
    "time_known",
    "done_by_id",
    "done_by_label",
    "source_agency_id",
    "recorded_by_id",
    "recorded_at",
    "event_type",
    "category",
    "significance",
    "summary",
    "source_type",
    "source_id",
    "restricted",
)


def _entry_row(e: PartnerEvent) -> tuple[Any, ...]:
    event_type = BY_CODE[e.type]
    return (
        e.occurred_at,
        e.time_known,
        e.sent_by_id,
        "",
        e.agency_id,
        e.matched_by_id or e.sent_by_id,
        e.matched_at or e.received_at,
        event_type.chronology_code,
        event_type.category,
        CHRONOLOGY_SIGNIFICANCE[Significance(e.significance)],
        chronology_summary(e),
        "partners.PartnerEvent",
        str(e.pk),
        e.restricted,
    )


# --- Five years of feeds at volume -------------------------------------------------------

# Events a partner sends over five years, per person known to the council: about three
# million at `large` (a million people), 150,000 at `county`, 6,000 at `small`.
VOLUME_PER_PERSON = 3
VOLUME_YEARS = 5
VOLUME_CHUNK = 20_000  # events a transaction
VOLUME_FIRST_NUMBER = 10_000_000  # event ids after the ordinary events' (per agency)

# Share of the events by kind of agency, shaped on the national sources of referrals to
# children's social care (police the largest referrer, then schools, then health; housing
# and adult services small), with schools raised for their termly attendance returns.
SECTOR_SHARE = {
    Sector.EDUCATION: 36,
    Sector.POLICE: 27,
    Sector.HEALTH: 22,
    Sector.HOUSING: 7,
    Sector.ADULT_SERVICES: 8,
}
# Within a kind of agency, how common each type is (types not named: 1).
TYPE_WEIGHT = {
    "attendance": 30,
    "persistent_absence": 8,
    "severe_absence": 2,
    "suspension": 5,
    "permanent_exclusion": 1,
    "dsl_welfare_concern": 10,
    "domestic_abuse_child_in_household": 12,
    "domestic_abuse_child_present": 8,
    "missing_episode": 6,
    "return_from_missing": 6,
    "exploitation_intelligence": 2,
    "household_adult_arrested": 4,
    "household_adult_released": 3,
    "ed_attendance": 10,
    "was_not_brought": 8,
    "health_visitor_contact": 8,
    "unscheduled_attendance": 3,
    "temporary_accommodation": 2,
    "eviction_notice": 2,
    "substance_misuse": 3,
    "mental_health_crisis": 3,
    "probation": 2,
}
# One household in this many (by family name and postcode) has a pattern that builds: many
# more events than most, thin at first and closer together towards today.
BUILDING_ONE_IN = 30


def seed_partner_volume(
    *,
    seed: int,
    today: date,
    persons: int,
    method: str = "auto",
    progress: Callable[[str], None] | None = None,
) -> int:
    """Five years of partner feeds at the volume a council receives, every event filed by
    identifier on a child's (or, for adult services, an adult's) chronology, in the
    national proportions of each kind of agency. Written a chunk a transaction through the
    loader's writer (COPY on PostgreSQL). Returns how many events."""
    rng = random.Random(f"demoshire-partner-volume-{seed}")
    senders = _senders()
    children, adults = _people(today)
    if not senders or not children or not adults:
        return 0
    types = [t for t in FEED_TYPES if t.sector in SECTOR_SHARE]
    weights = [
        SECTOR_SHARE[t.sector]
        * TYPE_WEIGHT.get(t.code, 1)
        / sum(TYPE_WEIGHT.get(u.code, 1) for u in types if u.sector == t.sector)
        for t in types
    ]
    pick_child = _weighted_people(rng, children)
    pick_adult = _weighted_people(rng, adults)
    now = datetime.combine(today, time(9), tzinfo=LONDON)
    writer = Writer(method)
    total, written = persons * VOLUME_PER_PERSON, 0
    for start in range(0, total, VOLUME_CHUNK):
        events = []
        for number in range(start, min(start + VOLUME_CHUNK, total)):
            event_type = rng.choices(types, weights)[0]
            agency, sender = rng.choice(senders[event_type.sector])
            person, building = (
                pick_adult() if event_type.sector == Sector.ADULT_SERVICES else pick_child()
            )
            on = _volume_day(rng, person[6], today, building)
            if on is None:
                continue
            built = _event(
                rng,
                VOLUME_FIRST_NUMBER + number,
                event_type,
                agency,
                sender,
                person,
                MatchState.MATCHED_BY_IDENTIFIER,
                today,
                now,
                on=on,
            )
            if built is not None:
                events.append(built)
        with transaction.atomic():
            ids = writer.insert(PartnerEvent, EVENT_COLUMNS, [_event_row(e) for e in events])
            for event, pk in zip(events, ids, strict=True):
                event.pk = pk
            _file_on_chronologies(events, writer)
        written += len(events)
        if progress and (start // VOLUME_CHUNK) % 10 == 9:
            progress(f"  {written:>9,} / {total:,} partner events")
    return written


def _weighted_people(
    rng: random.Random, people: list[tuple[Any, ...]]
) -> Callable[[], tuple[tuple[Any, ...], bool]]:
    """Draws a person: most have a few events, some many (a long tail), and those in a
    household whose pattern builds have more still."""
    building = [zlib.crc32(f"{p[5]}|{p[7]}".encode()) % BUILDING_ONE_IN == 0 for p in people]
    weights = [rng.paretovariate(1.5) * (6 if b else 1) for b in building]
    cumulative = list(accumulate(weights))
    top = cumulative[-1]

    def pick() -> tuple[tuple[Any, ...], bool]:
        n = bisect_left(cumulative, rng.random() * top)
        n = min(n, len(people) - 1)
        return people[n], building[n]

    return pick


def _volume_day(rng: random.Random, born: date, today: date, building: bool) -> date | None:
    """A day in the last five years after the person was born; for a household whose
    pattern builds, weighted towards today (thin at first, closer together later)."""
    earliest = max(born, today - timedelta(days=365 * VOLUME_YEARS))
    span = (today - timedelta(days=2) - earliest).days
    if span < 1:
        return None
    share = rng.random() ** (1 / 3) if building else rng.random()
    return earliest + timedelta(days=int(share * span))


EVENT_COLUMNS = (
    "agency_id",
    "partner_event_id",
    "type",
    "occurred_at",
    "time_known",
    "nhs_number",
    "upn",
    "given_name",
    "family_name",
    "date_of_birth",
    "postcode",
    "summary",
    "significance",
    "restricted",
    "period_start",
    "period_end",
    "attendance_percent",
    "reason",
    "content_hash",
    "person_id",
    "state",
    "matched_by_id",
    "matched_at",
    "sent_back_reason",
    "channel",
    "received_at",
    "sent_by_id",
)


def _event_row(e: PartnerEvent) -> tuple[Any, ...]:
    return tuple(getattr(e, column) for column in EVENT_COLUMNS)
