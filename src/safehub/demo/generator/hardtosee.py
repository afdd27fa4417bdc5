"""Demoshire's hard-to-see children and exploitation work: children registered for elective
home education (some since returned to school) with the council's EHE officer, children
reported missing education (some since back on a roll), health visitor contacts for babies,
contexts of concern with the young people linked to them and their own chronology, and a
history of monthly MACE panels: who attended, the children and contexts discussed with a
risk each, and actions (most done, some still open, a few overdue).

Deterministic: the same council, seed and day give the same records. Education and health
events are partner events as a school or trust sends them (through the real parser) and
filed by identifier, as `partner_events.py` files its own. Dates are offsets from `today`.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Max, Q

from safehub.access.models import Involvement
from safehub.access.roles import Role
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.chronology.registry import get
from safehub.core.workdays import LONDON
from safehub.demo.generator.partner_events import _file_on_chronologies
from safehub.hardtosee import events
from safehub.hardtosee.models import (
    Context,
    ContextEntry,
    ContextKind,
    ContextPerson,
    EheOfficer,
    MaceAction,
    MaceAttendee,
    MaceDiscussion,
    MacePanel,
    RiskLevel,
)
from safehub.hardtosee.selectors import cme_register, ehe_register
from safehub.organisations.models import AgencyKind, User
from safehub.partners.codes import Channel, MatchState
from safehub.partners.models import PartnerEvent
from safehub.partners.parsing import parse_event
from safehub.people.models import Person

EHE_SUMMARIES = {
    "ehe_registered": "Parent has written to say they will educate at home.",
    "ehe_ended": "Home education has ended; a school place has been offered.",
    "child_missing_education": "Not on any school roll since moving into the area.",
    "attendance": "Attendance for the half term after starting at the school.",
    "health_visitor_contact": "Health visitor contact at home.",
}
CONTEXTS = (
    (ContextKind.PLACE, "Riverside skate park", "Older youths seen supplying cannabis after dark."),
    (ContextKind.PEER_GROUP, "The Northgate group", "Young people missing together overnight."),
    (ContextKind.ONLINE, "A group chat on a messaging app", "Children asked for images."),
    (ContextKind.SCHOOL, "Bus interchange after school", "Fights and robberies reported."),
    (ContextKind.PLACE, "Takeaway on the high street", "Adults giving children free food."),
    (ContextKind.PEER_GROUP, "Estate friendship group", "Carrying knives to 'protect' themselves."),
)
CONTEXT_NOTES = (
    "Police intelligence: vehicles seen collecting young people here late at night.",
    "School's designated safeguarding lead reports pupils talking about 'working' here.",
    "Community safety patrol found drug paraphernalia and a child's school bag.",
    "Youth workers report a new older male spending time with the group.",
)
LINK_REASONS = (
    "Seen there repeatedly with older youths",
    "Named by police as part of the group",
    "Disclosed being asked to carry packages from there",
    "Found there when reported missing",
)
ACTIONS = (
    "Disruption visit to the location with the police",
    "Share the safety plan with the school",
    "Return home interview after the last missing episode",
    "Refer to the child exploitation service",
    "Check for links to other children at the same school",
)
ABOUT_A_PLACE = ACTIONS[0]  # the others are about a child the panel discussed


def seed_hardtosee(*, seed: int, today: date, persons: int) -> dict[str, int]:
    """Write everything; returns how many of each."""
    rng = random.Random(f"demoshire-hardtosee-{seed}")
    staff = _staff()
    if staff is None:
        return {}
    children = _children(today)
    if len(children) < 40:
        return {}
    counts: dict[str, int] = defaultdict(int)
    scale = max(1, persons // 2_000)
    picked = rng.sample(children, min(len(children), 10 * scale + 24 * scale))
    # On a register only after the last thing a school sent about the child, a fortnight
    # before at least (a school does not report the absence of a child it no longer teaches).
    last = _last_heard_from_a_school([row[0] for row in picked])
    quiet = [
        (*r[:3], last.get(r[0]))
        for r in picked
        if r[0] not in last or last[r[0]] < today - timedelta(days=61)
    ]
    ehe, cme = quiet[: 6 * scale], quiet[6 * scale : 10 * scale]
    counts["partner_events"] += _education(rng, staff, ehe, cme, today, counts)
    counts["partner_events"] += _babies(rng, staff, today, 8 * scale)
    contexts = _contexts(rng, staff, children, today, max(4, persons // 500), counts)
    _panels(rng, staff, contexts, today, counts)
    return dict(counts)


# --- who and whom ------------------------------------------------------------------------


def _staff() -> dict[str, Any] | None:
    def users(role: str, **kw: Any) -> list[User]:
        return list(
            User.objects.filter(role=role, is_demo=True, is_active=True, **kw)
            .select_related("agency")
            .order_by("pk")
        )

    partners = users(Role.PARTNER_PRACTITIONER)
    by_kind: dict[str, list[User]] = defaultdict(list)
    for user in partners:
        by_kind[user.agency.kind].append(user)
    found = {
        "mash": users(Role.MASH_WORKER),
        "managers": users(Role.TEAM_MANAGER),
        "workers": users(Role.SOCIAL_WORKER, agency__kind=AgencyKind.COUNCIL),
        "school": by_kind[AgencyKind.SCHOOL],
        "health": by_kind[AgencyKind.HEALTH_TRUST] or by_kind[AgencyKind.GP_PRACTICE],
        "police": by_kind[AgencyKind.POLICE],
    }
    if not all(found.values()):
        return None
    return found


def _children(today: date) -> list[tuple[Any, ...]]:
    """School-age children (5 to 17) with a UPN and an NHS number, on no restricted record."""
    return list(
        Person.objects.filter(
            kind="child",
            is_restricted=False,
            date_of_death__isnull=True,
            date_of_birth__lte=today - timedelta(days=5 * 366),
            date_of_birth__gt=today - timedelta(days=17 * 365),
        )
        .exclude(upn="")
        .exclude(nhs_number="")
        .order_by("pk")
        .values_list("pk", "upn", "nhs_number", "date_of_birth")
    )


def _last_heard_from_a_school(person_ids: list[int]) -> dict[int, date]:
    """The day of each child's latest chronology entry a school sent (a partner event, a
    referral), in London; one query."""
    rows = (
        ChronologyLink.objects.filter(
            person_id__in=person_ids, entry__source_agency__kind=AgencyKind.SCHOOL
        )
        .values("person_id")
        .annotate(last=Max("occurred_at"))
        .values_list("person_id", "last")
    )
    return {pk: last.astimezone(LONDON).date() for pk, last in rows}


def _after(day: date | None) -> date:
    return day + timedelta(days=1) if day else date.min


def _midday(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=LONDON)


# --- partner events ----------------------------------------------------------------------


def _file(sender: User, code: str, ident: dict[str, str], person_id: int, on: date, n: int) -> Any:
    """A partner event as the sender's system sends it, filed by identifier."""
    now = datetime.combine(on + timedelta(days=1), time(9), tzinfo=LONDON)
    raw = {
        "event_id": f"HTS-{code.replace('_', '-').upper()}-{n:06d}",
        "type": code,
        "occurred_at": on.isoformat(),
        "summary": EHE_SUMMARIES[code],
        "significance": "low" if code in ("attendance", "health_visitor_contact") else "medium",
        **ident,
    }
    if code == "attendance":
        raw |= {
            "period_start": (on - timedelta(days=40)).isoformat(),
            "period_end": on.isoformat(),
            "attendance_percent": "96.5",
        }
    parsed = parse_event(raw, agency_kind=sender.agency.kind, now=now)
    if parsed.event is None:
        raise ValueError(f"The demo made an event the API would refuse: {parsed.problems}")
    clean = parsed.event
    received = datetime.combine(on + timedelta(days=1), time(8, 30), tzinfo=LONDON)
    return PartnerEvent(
        agency=sender.agency,
        **clean.model_fields(),
        content_hash=clean.content_hash(),
        person_id=person_id,
        state=MatchState.MATCHED_BY_IDENTIFIER,
        matched_at=received,
        channel=Channel.API,
        received_at=received,
        sent_by=sender,
    )


def _save_events(partner_events: list[Any]) -> int:
    PartnerEvent.objects.bulk_create(partner_events)
    _file_on_chronologies(partner_events)
    return len(partner_events)


def _education(
    rng: random.Random,
    staff: dict[str, Any],
    ehe: list[tuple[Any, ...]],
    cme: list[tuple[Any, ...]],
    today: date,
    counts: dict[str, int],
) -> int:
    made: list[Any] = []
    officers: list[EheOfficer] = []
    entries: list[tuple[ChronologyEntry, int]] = []
    for number, (pk, upn, _, heard) in enumerate(ehe):
        school = rng.choice(staff["school"])
        registered = max(today - timedelta(days=rng.randint(60, 600)), _after(heard))
        made.append(_file(school, "ehe_registered", {"upn": upn}, pk, registered, number))
        if number % 4 == 3:  # a quarter have since gone back to school
            ended = registered + timedelta(days=rng.randint(20, (today - registered).days - 5))
            made.append(_file(school, "ehe_ended", {"upn": upn}, pk, ended, number))
        elif number % 3:
            assigner = rng.choice(staff["managers"])
            officer = rng.choice(staff["workers"])
            on = min(today, registered + timedelta(days=rng.randint(3, 20)))
            officers.append(
                EheOfficer(person_id=pk, officer=officer, assigned_on=on, assigned_by=assigner)
            )
            entries.append(
                (
                    _entry(
                        assigner,
                        events.EHE_OFFICER_ASSIGNED,
                        f"{officer.get_full_name()} is now the council's elective home "
                        "education officer for this child.",
                        on,
                    ),
                    pk,
                )
            )
    for number, (pk, upn, _, heard) in enumerate(cme, start=len(ehe)):
        school = rng.choice(staff["school"])
        missing = max(today - timedelta(days=rng.randint(14, 300)), _after(heard))
        made.append(_file(school, "child_missing_education", {"upn": upn}, pk, missing, number))
        if number % 3 == 0 and (today - missing).days > 60:  # found a school place since
            back = missing + timedelta(days=rng.randint(45, (today - missing).days - 2))
            made.append(_file(school, "attendance", {"upn": upn}, pk, back, number))
    EheOfficer.objects.bulk_create(officers)
    _save_entries(entries)
    counts["ehe_children"], counts["cme_children"] = len(ehe), len(cme)
    counts["ehe_officers"] = len(officers)
    return _save_events(made)


def schools_left_behind(today: date) -> int:
    """Children the elective home education or missing education register lists today are on
    no school's roll, so their records name no school (those back at school keep theirs).
    One UPDATE, after every partner event is written; returns how many records it changed."""
    out = Q(pk__in=ehe_register(today).values("pk")) | Q(pk__in=cme_register(today).values("pk"))
    return (
        Person.objects.filter(out)
        .exclude(school="", school_agency__isnull=True)
        .update(school="", school_agency=None)
    )


def _babies(rng: random.Random, staff: dict[str, Any], today: date, wanted: int) -> int:
    """Health visitor contacts for babies under one (a new birth visit, and for some a
    contact since)."""
    babies = list(
        Person.objects.filter(
            kind="child",
            is_restricted=False,
            date_of_birth__gt=today - timedelta(days=330),
            date_of_birth__lte=today - timedelta(days=15),
        )
        .exclude(nhs_number="")
        .order_by("pk")
        .values_list("pk", "nhs_number", "date_of_birth")[:wanted]
    )
    made = []
    for number, (pk, nhs, born) in enumerate(babies):
        assert born is not None  # filtered on it
        visitor = rng.choice(staff["health"])
        visit = born + timedelta(days=rng.randint(10, 14))
        made.append(
            _file(visitor, "health_visitor_contact", {"nhs_number": nhs}, pk, visit, number)
        )
    return _save_events(made)


# --- chronology entries written in bulk, as the services write them ----------------------


def _entry(
    doer: User, code: str, summary: str, on: date, significance: int = Significance.LOW
) -> ChronologyEntry:
    return ChronologyEntry(
        occurred_at=_midday(on),
        time_known=False,
        done_by=doer,
        source_agency_id=doer.agency_id,
        recorded_by=doer,
        recorded_at=_midday(on) + timedelta(hours=3),
        event_type=code,
        category=get(code).category,
        significance=significance,
        summary=summary,
        source_type="hardtosee",
    )


def _save_entries(
    on_people: list[tuple[ChronologyEntry, int]],
    on_contexts: list[tuple[ChronologyEntry, Context]] = (),  # type: ignore[assignment]
) -> None:
    both = [e for e, _ in on_people] + [e for e, _ in on_contexts]
    ChronologyEntry.objects.bulk_create(both)
    ChronologyLink.objects.bulk_create(
        ChronologyLink(entry=e, person_id=pk, occurred_at=e.occurred_at) for e, pk in on_people
    )
    ContextEntry.objects.bulk_create(
        ContextEntry(context=c, entry=e, occurred_at=e.occurred_at) for e, c in on_contexts
    )


# --- contexts and MACE panels ------------------------------------------------------------


def _contexts(
    rng: random.Random,
    staff: dict[str, Any],
    children: list[tuple[Any, ...]],
    today: date,
    wanted: int,
    counts: dict[str, int],
) -> list[tuple[Context, list[int]]]:
    teens = [c for c in children if c[3] <= today - timedelta(days=12 * 366)]
    involved = set(
        Involvement.objects.filter(
            end_date__isnull=True, person_id__in=[c[0] for c in teens]
        ).values_list("person_id", flat=True)
    )
    # Young people already known to children's services, so the panel has workers to ask.
    known = [c for c in teens if c[0] in involved] or teens
    made: list[tuple[Context, list[int]]] = []
    on_people: list[tuple[ChronologyEntry, int]] = []
    on_contexts: list[tuple[ChronologyEntry, Context]] = []
    for number in range(wanted):
        kind, name, about = CONTEXTS[number % len(CONTEXTS)]
        mash = rng.choice(staff["mash"])
        suffix = f" ({number // len(CONTEXTS) + 1})" if number >= len(CONTEXTS) else ""
        context = Context.objects.create(
            kind=kind,
            name=f"{name}{suffix}",
            description=about,
            location="Demoshire",
            created_by=mash,
        )
        since = today - timedelta(days=rng.randint(120, 300))
        for note in range(rng.randint(2, 4)):
            police = rng.choice(staff["police"])
            on = since + timedelta(days=note * 20 + rng.randint(0, 15))
            entry = _entry(
                police, events.CONTEXT_NOTE, rng.choice(CONTEXT_NOTES), on, Significance.MEDIUM
            )
            on_contexts.append((entry, context))
        members = rng.sample(known, min(len(known), rng.randint(2, 5)))
        links = []
        for pk, *_ in members:
            on = since + timedelta(days=rng.randint(0, 60))
            reason = rng.choice(LINK_REASONS)
            links.append(
                ContextPerson(
                    context=context, person_id=pk, reason=reason, linked_on=on, linked_by=mash
                )
            )
            entry = _entry(mash, events.CONTEXT_LINKED, f"Linked to {context.name}: {reason}", on)
            on_people.append((entry, pk))
            on_contexts.append((entry, context))
        ContextPerson.objects.bulk_create(links)
        made.append((context, [pk for pk, *_ in members]))
    _save_entries(on_people, on_contexts)
    counts["contexts"] = len(made)
    counts["context_links"] = sum(len(m) for _, m in made)
    return made


def _panels(
    rng: random.Random,
    staff: dict[str, Any],
    contexts: list[tuple[Context, list[int]]],
    today: date,
    counts: dict[str, int],
) -> None:
    """A panel on the first working Thursday of each of the last six months."""
    on_people: list[tuple[ChronologyEntry, int]] = []
    on_contexts: list[tuple[ChronologyEntry, Context]] = []
    for months_ago in range(6, 0, -1):
        first = (today.replace(day=1) - timedelta(days=30 * months_ago)).replace(day=1)
        held = first + timedelta(days=(3 - first.weekday()) % 7)
        chair = rng.choice(staff["managers"])
        panel = MacePanel.objects.create(
            held_on=held, chair=chair, recorded_by=chair, notes="Quorate; all agencies present."
        )
        MaceAttendee.objects.bulk_create(
            MaceAttendee(panel=panel, agency=user.agency, name=user.get_full_name())
            for user in (
                chair,
                rng.choice(staff["police"]),
                rng.choice(staff["school"]),
                rng.choice(staff["health"]),
            )
        )
        about: dict[bool, list[MaceDiscussion]] = {True: [], False: []}  # a place?
        for context, members in rng.sample(contexts, min(len(contexts), 3)):
            risk = rng.choice(RiskLevel.values)
            about[True].append(
                MaceDiscussion.objects.create(panel=panel, context=context, risk=risk)
            )
            label = RiskLevel(risk).label.lower()
            entry = _entry(
                chair,
                events.MACE_DISCUSSED,
                f"Discussed at the MACE panel; risk graded {label}.",
                held,
                Significance.MEDIUM,
            )
            on_contexts.append((entry, context))
            for pk in members[:2]:
                risk = rng.choice(RiskLevel.values)
                about[False].append(
                    MaceDiscussion.objects.create(panel=panel, person_id=pk, risk=risk)
                )
                label = RiskLevel(risk).label.lower()
                high = risk in (RiskLevel.HIGH, RiskLevel.VERY_HIGH)
                entry = _entry(
                    chair,
                    events.MACE_DISCUSSED,
                    f"Discussed at the MACE panel; risk of exploitation graded {label}.",
                    held,
                    Significance.HIGH if high else Significance.MEDIUM,
                )
                on_people.append((entry, pk))
        for n in range(rng.randint(2, 4)):
            due = held + timedelta(days=rng.randint(14, 35))
            owner = rng.choice(staff["workers"] + staff["mash"])
            done = due < today and rng.random() < 0.8
            description = rng.choice(ACTIONS)
            of_kind = about[description == ABOUT_A_PLACE]
            MaceAction.objects.create(
                panel=panel,
                about=of_kind[n % len(of_kind)] if of_kind else None,
                description=description,
                owner=owner,
                due_on=due,
                done_on=due - timedelta(days=rng.randint(0, 7)) if done else None,
                done_by=owner if done else None,
            )
            counts["mace_actions"] += 1
        counts["mace_panels"] += 1
    _save_entries(on_people, on_contexts)
