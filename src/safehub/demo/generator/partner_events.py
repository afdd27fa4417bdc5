"""Demoshire's partner events: every type in the vocabulary, each from an agency of the kind
that sends it, about people already loaded. Most were filed by their NHS number or UPN and
are on the person's chronology, a few a MASH worker matched, some wait in the MASH's queue
(described by name, date of birth and postcode only) and a couple were sent back.

Deterministic: the same council, seed and day give the same events. Every event is built as
a partner would send it and passed through the real parser, so the demo holds only events the
API would accept. Dates are offsets from `today`; nothing reads the clock.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery

from safehub.access.roles import Role
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.workdays import LONDON
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
    total = max(len(EVENT_TYPES) * 2, persons // 40)
    now = datetime.combine(today, time(9), tzinfo=LONDON)
    events: list[PartnerEvent] = []
    for number in range(total):
        event_type = EVENT_TYPES[number % len(EVENT_TYPES)]
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


def _file_on_chronologies(events: list[PartnerEvent]) -> None:
    """One chronology entry per filed event, as `partners.services` files it: credited to the
    partner who sent it, entered by them (an identifier matched) or the MASH worker."""
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
