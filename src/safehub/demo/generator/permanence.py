"""Demoshire's care leavers, court work and adoptions, as of `today`, after the families and
their casework are loaded.

Care leavers: the families hold young people of 16 to 21 whom the council never looked
after; about six in ten of as many as there are children looked after today are given a
period of care from their teens (a closed child in need episode, a period of care, its 903
episodes), ended between their 16th and 18th birthdays. Nothing says what they are:
`leaving_care.eligibility` works out relevant or former relevant from those episodes, as it
does for any young person. England has about 84,000 children looked after and, by our
reading of the DfE's tables, well over half as many care leavers of 17 to 21 (unverified:
ADR 0036), so 0.6 keeps the proportion at every scale. Each then has a personal adviser (an
allocated-worker involvement), pathway plans on their six-month clock (a few overdue),
birthday records for the birthdays passed (in touch about nine in ten; suitably housed
about nine in ten of those; in education, training or work a little over half) and, for
some who left care at 18, staying put.

Court work: children looked after under an interim care order are in care proceedings
issued on the day the order began (the 26 weeks counted from it, a few extended), with the
Public Law Outline's hearings (case management, issues resolution, final) as far as they
have come; those now under a full care order had their final order when it began; a few
children on child protection plans are in pre-proceedings, some of them ended (stepped
down). Teenagers in children's homes and the like have deprivation of liberty orders.
Adoption: some of the children under ten under a full care order have an agency decision,
at every stage from there (placement order, match with approved adopters, placed, the
adoption order, when they leave care, or no longer to be placed); adopters' households are
in contact with the agency at every stage, from the first enquiry.

Rows are written as the services would have left them (the rules in
`permanence.entry_rules` and `leaving_care.entry_rules` hold), with their chronology entries
and open due items. Deterministic: the same council, seed and day give the same records."""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.db.models import F

from safehub.access.models import Involvement, InvolvementKind
from safehub.casework.models import (
    CareEpisode,
    CPPlan,
    DueItem,
    Episode,
    HealthCheck,
    PeriodOfCare,
    Visit,
)
from safehub.casework.services.care import _reason_new_episode
from safehub.casework.timescales import care_visit_due
from safehub.chronology.models import Category, ChronologyEntry, ChronologyLink, Significance
from safehub.core.workdays import LONDON
from safehub.demo.generator.families import NO_UPN_REASONS
from safehub.demo.generator.organisations import CIC_TEAM
from safehub.leaving_care import services as leaving
from safehub.leaving_care.eligibility import birthday, category_on, has_birthday_record_at, spells
from safehub.leaving_care.models import BirthdayRecord, CareLeaver, PathwayPlan, StayingPut
from safehub.leaving_care.timescales import birthday_window, pathway_review_due
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.permanence import events
from safehub.permanence.codes import HearingKind, PreProceedingsOutcome
from safehub.permanence.models import (
    Adopters,
    Adoption,
    Extension,
    Hearing,
    LibertyOrder,
    Proceedings,
)
from safehub.permanence.services import LIBERTY_REVIEW_DUE
from safehub.permanence.timescales import latest_extension, timetable_end

CARE_LEAVERS_PER_LOOKED_AFTER = 0.6
PRE_PROCEEDINGS_SHARE = 0.08  # of children on child protection plans
ADOPTION_SHARE = 0.35  # of children under ten on a full care order
LIBERTY_SHARE = 1 / 70  # of children looked after: an estimate (see `_liberty`)
EXTENSION_REASON = "A parenting assessment of a relative who came forward late"
PLAN_TEXT = (
    "Accommodation, education and work, health, money and family reviewed with the young person."
)


@dataclass
class Chronicle:
    """Chronology entries and their links, written together at the end (each entry names
    its source by primary key then, so sources may be bulk-created after they are added)."""

    today: date
    entries: list[tuple[ChronologyEntry, int, Any]]

    def add(
        self,
        person_id: int,
        day: date,
        event: str,
        summary: str,
        source: Any,
        by: User,
        significance: int = Significance.MEDIUM,
    ) -> None:
        at = datetime.combine(day, time(12), tzinfo=LONDON)
        self.entries.append(
            (
                ChronologyEntry(
                    occurred_at=at,
                    time_known=False,
                    done_by=by,
                    source_agency_id=by.agency_id,
                    recorded_at=min(
                        at + timedelta(hours=3),
                        datetime.combine(self.today, time(9), tzinfo=LONDON),
                    ),
                    recorded_by=by,
                    event_type=event,
                    category=Category.SOCIAL_CARE,
                    significance=significance,
                    summary=summary,
                    source_type=source._meta.label,
                ),
                person_id,
                source,
            )
        )

    def resummarise(self, source_pk: int, event: str, summary: str) -> None:
        """A later step changed what an entry already added says (the final order was also a
        placement order)."""
        for entry, _, source in self.entries:
            if source.pk == source_pk and entry.event_type == event:
                entry.summary = summary

    def write(self) -> int:
        for entry, _, source in self.entries:
            entry.source_id = str(source.pk)
        made = ChronologyEntry.objects.bulk_create(
            [e for e, _, _ in self.entries], batch_size=2_000
        )
        ChronologyLink.objects.bulk_create(
            [
                ChronologyLink(entry=e, person_id=p, occurred_at=e.occurred_at)
                for e, (_, p, _) in zip(made, self.entries, strict=True)
            ],
            batch_size=2_000,
        )
        return len(made)


def seed_permanence(*, seed: int, today: date) -> dict[str, int]:
    rng = random.Random(f"demoshire-permanence-{seed}")
    workers = list(
        User.objects.filter(team__name=CIC_TEAM, role="social_worker", is_active=True).order_by(
            "pk"
        )
    ) or list(User.objects.filter(role="social_worker", is_active=True).order_by("pk"))
    if not workers:
        return {}
    chronicle = Chronicle(today, [])
    counts = _care_leavers(rng, today, workers, chronicle)
    counts.update(_court(rng, today, workers, chronicle))
    counts.update(_liberty(rng, today, workers, chronicle))
    counts.update(_adoption(rng, today, workers, chronicle))
    counts["permanence_chronology"] = chronicle.write()
    return counts


# --- Care leavers ---------------------------------------------------------------------------


def _care_leavers(
    rng: random.Random, today: date, workers: list[User], chronicle: Chronicle
) -> dict[str, int]:
    looked_after = PeriodOfCare.objects.filter(end_date__isnull=True).count()
    wanted = round(looked_after * CARE_LEAVERS_PER_LOOKED_AFTER)
    known = Episode.objects.values("child_id")
    candidates = list(
        Person.objects.filter(
            date_of_birth__gt=_shift(today, -22),
            date_of_birth__lte=_shift(today, -16) - timedelta(days=120),
            date_of_death__isnull=True,
            is_restricted=False,
        )
        .exclude(pk__in=known)
        .order_by("pk")
        .values_list("pk", "date_of_birth")
    )
    rng.shuffle(candidates)
    made = {"care_leavers": 0, "birthday_records": 0, "pathway_plans": 0}
    for pk, dob in candidates[:wanted]:
        if dob is None:
            continue
        worker = rng.choice(workers)
        start, end = _care_spell(rng, dob, today)
        if start is None:
            continue
        child = _with_census_details(rng, Person.objects.get(pk=pk))
        reason = _care_history(rng, child, worker, start, end, chronicle)
        history = spells([(start, end, "C2")])
        if category_on(dob, history, today) is None:
            continue
        made["care_leavers"] += 1
        _leaving_care_record(rng, child, worker, dob, history, end, today, made, chronicle)
        if reason == "E17":
            leaver = CareLeaver.objects.get(child=child)
            StayingPut.objects.create(
                care_leaver=leaver,
                carer_name="Former foster carers",
                start_date=end,
                recorded_by=worker,
            )
    return made


def _with_census_details(rng: random.Random, person: Person) -> Person:
    """What the census asked of them as a child in need (a disability answer; a UPN or why
    there is none), as the services required when their episode opened."""
    changed: list[str] = []
    if not person.disabilities:
        person.disabilities, changed = ["NONE"], [*changed, "disabilities"]
    if not (person.upn or person.upn_unknown):
        person.upn_unknown, changed = rng.choice(NO_UPN_REASONS), [*changed, "upn_unknown"]
    if changed:
        person.save(update_fields=changed)
    return person


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def _care_spell(rng: random.Random, dob: date, today: date) -> tuple[date | None, date]:
    """Looked after from the teens for at least 13 weeks, some of it after the 16th
    birthday, ending by the 18th and before today."""
    fourteen, sixteen, eighteen = (birthday(dob, a) for a in (14, 16, 18))
    latest_end = min(eighteen, today - timedelta(days=7))
    earliest_end = sixteen + timedelta(days=30)
    if latest_end <= earliest_end:
        return None, today
    end = earliest_end + timedelta(days=rng.randint(0, (latest_end - earliest_end).days))
    if rng.random() < 0.3 and eighteen <= latest_end:
        end = eighteen  # looked after to the 18th birthday
    start = max(fourteen, end - timedelta(days=rng.randint(120, 1_300)))
    return start, end


def _care_history(
    rng: random.Random, child: Person, worker: User, start: date, end: date, chronicle: Chronicle
) -> str:
    """A closed child in need episode, its period of care, one 903 episode and the initial
    health assessment; returns why care ended (E17, staying on with the carers, only at 18)."""
    legal = "C2" if rng.random() < 0.6 else "V2"
    at_18 = end == birthday(child.date_of_birth, 18) if child.date_of_birth else False
    reason = "E17" if at_18 and rng.random() < 0.3 else rng.choice(["E4A", "E5", "E6", "E13", "E8"])
    episode = Episode.objects.create(
        kind="cin",
        child=child,
        referral_date=start,
        referral_source="6",
        primary_need=rng.choice(["N1", "N4", "N5", "N8"]),
        closure_date=end,
        closure_reason="RC7",
        opened_by=worker,
    )
    period = PeriodOfCare.objects.create(
        child=child,
        episode=episode,
        start_date=start,
        end_date=end,
        reason_ceased=reason,
        care_plan_date=start,
    )
    # Supported accommodation (H5) only from 16 (the care services refuse it younger).
    sixteen = child.date_of_birth is not None and start >= birthday(child.date_of_birth, 16)
    kinds = ["U4", "U6", "K2", "H5"] if sixteen else ["U4", "U6", "K2"]
    kind = rng.choice(kinds if legal == "C2" else [k for k in kinds if k != "K2"])
    CareEpisode.objects.create(
        period=period,
        start_date=start,
        reason_new_episode="S",
        legal_status=legal,
        placement_type=kind,
        provider="PR1" if kind.startswith("U") else "PR4",
        end_date=end,
        reason_ceased=reason,
    )
    # The initial health assessment, in time for the first review (20 working days).
    HealthCheck.objects.create(
        period=period,
        kind="initial",
        held_on=min(start + timedelta(days=rng.randint(7, 25)), end),
        recorded_by=worker,
    )
    chronicle.add(
        child.pk, start, "CARE_STARTED", "Became looked after", period, worker, Significance.HIGH
    )
    chronicle.add(
        child.pk, end, "CARE_ENDED", "Ceased to be looked after", period, worker, Significance.HIGH
    )
    return reason


def _leaving_care_record(
    rng: random.Random,
    child: Person,
    worker: User,
    dob: date,
    history: Any,
    left: date,
    today: date,
    made: dict[str, int],
    chronicle: Chronicle,
) -> None:
    involvement = Involvement.objects.create(
        person=child,
        kind=InvolvementKind.ALLOCATED_WORKER,
        user=worker,
        team=worker.team,
        start_date=left,
    )
    leaver = CareLeaver.objects.create(
        child=child, personal_adviser=worker, adviser_involvement=involvement, adviser_since=left
    )
    chronicle.add(
        child.pk,
        left,
        "PERSONAL_ADVISER_ALLOCATED",
        f"Personal adviser: {worker.get_full_name()}",
        leaver,
        worker,
    )
    # Pathway plans every six months from leaving care (the last one overdue now and then).
    day, plan, last_day = left, None, min(today, birthday(dob, 21) - timedelta(days=1))
    while day <= last_day:
        plan = PathwayPlan.objects.create(
            care_leaver=leaver,
            plan_date=day,
            content=PLAN_TEXT,
            review_due=pathway_review_due(day),
            recorded_by=worker,
        )
        made["pathway_plans"] += 1
        chronicle.add(child.pk, day, "PATHWAY_PLAN", "Pathway plan written", plan, worker)
        day = plan.review_due - timedelta(days=rng.randint(0, 20))
        if rng.random() < 0.06:
            break  # this review is late
    if plan is not None:  # the latest plan's review is the one due
        DueItem.objects.create(
            child=child,
            source_type=CareLeaver._meta.label,
            source_id=str(leaver.pk),
            kind=leaving.PATHWAY_DUE,
            label="Review the pathway plan",
            due_date=plan.review_due,
        )
    for age in range(17, 22):
        day = birthday(dob, age)
        window_opens, window_closes = birthday_window(day)
        if window_closes >= today or not has_birthday_record_at(dob, history, age):
            continue
        contact = day + timedelta(days=rng.randint(-60, 25))
        _birthday(rng, leaver, age, day, max(contact, window_opens), worker)
        made["birthday_records"] += 1
    leaving.register_next_birthday(child, leaver, today)


def _birthday(
    rng: random.Random, leaver: CareLeaver, age: int, day: date, contact: date, by: User
) -> None:
    in_touch = "YES" if rng.random() < 0.9 else rng.choice(["NO", "REFU", "NREQ"])
    answers: dict[str, Any] = {"accommodation": "", "suitable": None, "activity": ""}
    if in_touch == "YES":
        answers = {
            "accommodation": rng.choice(["U", "U", "D", "E", "T", "B", "Z", "K"]),
            "suitable": rng.random() < 0.9,
            "activity": rng.choice(["F1", "F2", "F4", "F5", "P5"])
            if rng.random() < 0.55
            else rng.choice(["G4", "G5", "G6"]),
        }
    BirthdayRecord.objects.create(
        care_leaver=leaver,
        age=age,
        birthday=day,
        contact_date=contact,
        in_touch=in_touch,
        recorded_by=by,
        **answers,
    )


# --- Court ----------------------------------------------------------------------------------


def _court(
    rng: random.Random, today: date, workers: list[User], chronicle: Chronicle
) -> dict[str, int]:
    made = {"proceedings": 0, "pre_proceedings": 0, "final_orders": 0, "hearings": 0}
    seen: set[int] = set()
    rows = (
        CareEpisode.objects.filter(legal_status__in=("C1", "C2"), period__end_date__isnull=True)
        .order_by("period__child_id", "start_date", "pk")
        .values_list("period__child_id", "start_date", "legal_status")
    )
    first_c1: dict[int, date] = {}
    first_c2: dict[int, date] = {}
    for child_id, start, status in rows:
        (first_c1 if status == "C1" else first_c2).setdefault(child_id, start)
    for child_id in sorted(first_c1):
        issued = first_c1[child_id]
        if issued > today - timedelta(days=1):
            continue
        by = rng.choice(workers)
        p = Proceedings.objects.create(
            child_id=child_id,
            application="care",
            issued_on=issued,
            court="Demoshire Family Court",
            case_number=f"DE{issued:%y}C{50_000 + child_id % 50_000:05d}",
            guardian="Cafcass guardian",
            timetable_ends=timetable_end(issued),
            recorded_by=by,
        )
        made["proceedings"] += 1
        seen.add(child_id)
        final = first_c2.get(child_id)
        made["hearings"] += _hearings(rng, p, final, today, by, chronicle)
        chronicle.add(
            child_id,
            issued,
            events.PROCEEDINGS_ISSUED,
            "Application issued: Care order (Children Act 1989 section 31), Demoshire Family Court",
            p,
            by,
            Significance.HIGH,
        )
        ends = timetable_end(issued)
        if final is not None and final >= issued:
            while final > ends:  # the court extended the timetable, eight weeks at most a time
                longer = min(latest_extension(ends), final)
                Extension.objects.create(
                    proceedings=p,
                    granted_on=ends - timedelta(days=14),
                    previous_end=ends,
                    new_end=longer,
                    reason=EXTENSION_REASON,
                    recorded_by=by,
                )
                ends = longer
            p.timetable_ends = ends
            p.final_order, p.final_order_on = "care", final
            p.save()
            made["final_orders"] += 1
            chronicle.add(
                child_id,
                final,
                events.FINAL_ORDER,
                "Final order: Care order (903 legal status C2)",
                p,
                by,
                Significance.HIGH,
            )
        else:
            DueItem.objects.create(
                child_id=child_id,
                source_type=Proceedings._meta.label,
                source_id=str(p.pk),
                kind="proceedings_26_weeks",
                label="Conclude care proceedings (26 weeks)",
                due_date=ends,
            )
    plans = list(
        CPPlan.objects.filter(end_date__isnull=True, start_date__lt=today - timedelta(days=40))
        .exclude(child_id__in=seen)
        .order_by("child_id")
        .values_list("child_id", "start_date")
    )
    # A fixed share of the plans (at least two, one of them the longest-running plan, which
    # has had time to step down), so every scale has pre-proceedings running and ended.
    share = max(2, round(len(plans) * PRE_PROCEEDINGS_SHARE))
    oldest = min(plans, key=lambda row: (row[1], row[0]), default=None)
    rest = [row for row in plans if row != oldest]
    chosen = ([oldest] if oldest else []) + rng.sample(rest, min(len(rest), share - 1))
    chosen.sort(key=lambda row: (row[1], row[0]))
    for child_id, plan_start in chosen:
        latest = (today - timedelta(days=20) - plan_start).days
        longest = 40 if child_id == oldest[0] else 200  # type: ignore[index]
        started = plan_start + timedelta(days=rng.randint(min(20, latest), min(longest, latest)))
        by = rng.choice(workers)
        letter = started + timedelta(days=rng.randint(2, 10))
        meeting = letter + timedelta(days=rng.randint(5, 14))
        p = Proceedings.objects.create(
            child_id=child_id,
            pre_start=started,
            letter_sent=letter,
            meeting_held=meeting if meeting < today else None,
            recorded_by=by,
        )
        made["pre_proceedings"] += 1
        chronicle.add(
            child_id,
            started,
            events.PRE_PROCEEDINGS,
            "Pre-proceedings began (Public Law Outline); letter before proceedings sent "
            f"{letter:%-d %B %Y}",
            p,
            by,
            Significance.HIGH,
        )
        # About a third step down once the family has made the changes asked of it (an
        # estimate); the first chosen always does and the last never, so every scale shows
        # one ended and one running.
        stepped = meeting + timedelta(days=rng.randint(42, 120))
        first, last = not made.get("pre_proceedings_ended"), child_id == chosen[-1][0]
        if stepped < today and not last and (first or rng.random() < 0.33):
            outcome = "stepped_down" if rng.random() < 0.85 else "other"
            p.pre_ended, p.pre_outcome = stepped, outcome
            p.save(update_fields=["pre_ended", "pre_outcome", "updated_at"])
            made["pre_proceedings_ended"] = made.get("pre_proceedings_ended", 0) + 1
            chronicle.add(
                child_id,
                stepped,
                events.PRE_PROCEEDINGS_ENDED,
                f"Pre-proceedings ended: {PreProceedingsOutcome(outcome).label}",
                p,
                by,
            )
    return made


def _hearings(
    rng: random.Random,
    p: Proceedings,
    final: date | None,
    today: date,
    by: User,
    chronicle: Chronicle,
) -> int:
    """The Public Law Outline's hearings: the first (the interim care order, on issue), the
    case management hearing about day 12, the issues resolution hearing some weeks before
    the final one (or about week 20 while the case runs), and the final hearing."""
    issued = p.issued_on
    assert issued is not None
    listed = [
        (issued, "interim", "ico"),
        (issued + timedelta(days=rng.randint(10, 14)), "cmh", "ico"),
        (
            final - timedelta(days=rng.randint(21, 42))
            if final
            else issued + timedelta(weeks=20 + rng.randint(0, 2)),
            "irh",
            "ico",
        ),
    ]
    if final is not None:
        listed.append((final, "final", "none"))
    listed = [h for n, h in enumerate(listed) if n == 0 or listed[n - 1][0] < h[0]]
    held = 0
    for n, (day, kind, order) in enumerate(listed):
        if day >= today or (final is not None and day > final):
            break
        following = listed[n + 1][0] if n + 1 < len(listed) else None
        hearing = Hearing.objects.create(
            proceedings=p,
            held_on=day,
            kind=kind,
            interim_order=order,
            next_hearing=following,
            recorded_by=by,
        )
        held += 1
        if n:
            chronicle.add(p.child_id, day, events.HEARING, HearingKind(kind).label, hearing, by)
    return held


# --- Deprivation of liberty ---------------------------------------------------------------


def _liberty(
    rng: random.Random, today: date, workers: list[User], chronicle: Chronicle
) -> dict[str, int]:
    """Orders for teenagers looked after in children's homes or secure units: a running
    order for about one in seventy of the children looked after (an estimate: some 1,300
    applications a year were made in England lately, for 84,000 looked after), at least one
    at every scale, and a few that have ended."""
    made = {"liberty_orders": 0}
    homes = list(
        CareEpisode.objects.filter(
            period__end_date__isnull=True,
            end_date__isnull=True,
            placement_type__in=("K2", "K1", "S1", "R3", "U4", "U6"),
            period__child__date_of_birth__lte=_shift(today, -12),
            period__child__date_of_birth__gt=_shift(today, -17),
            start_date__lt=today - timedelta(days=45),
        )
        .order_by("placement_type", "period__child_id")
        .values_list("period__child_id", "start_date", "placement_type")
    )
    homes.sort(key=lambda row: (row[2] not in ("K2", "K1", "S1"), row[0]))  # homes first
    looked_after = PeriodOfCare.objects.filter(end_date__isnull=True).count()
    wanted = min(len(homes), max(1, round(looked_after * LIBERTY_SHARE)))
    for number, (child_id, placed, _) in enumerate(homes[:wanted]):
        by = rng.choice(workers)
        made_on = placed + timedelta(days=rng.randint(1, min(300, (today - placed).days - 1)))
        review_by = made_on + timedelta(days=91)
        while review_by < today - timedelta(days=rng.choice([0, 0, 0, 10])):
            review_by += timedelta(days=91)  # reviewed by the court every three months
        ended = None
        if number % 4 == 3 and (today - made_on).days > 60:  # a few have ended
            ended = made_on + timedelta(days=rng.randint(30, (today - made_on).days - 1))
        order = LibertyOrder.objects.create(
            child_id=child_id,
            made_on=made_on,
            review_by=review_by,
            court="High Court, Family Division",
            ended_on=ended,
            recorded_by=by,
        )
        made["liberty_orders"] += 1
        chronicle.add(
            child_id,
            made_on,
            events.LIBERTY_ORDER,
            f"Deprivation of liberty order made by High Court, Family Division; review by "
            f"{review_by:%-d %B %Y}",
            order,
            by,
            Significance.HIGH,
        )
        if ended is not None:
            chronicle.add(
                child_id,
                ended,
                events.LIBERTY_ORDER_ENDED,
                "Deprivation of liberty order ended",
                order,
                by,
                Significance.HIGH,
            )
        else:
            DueItem.objects.create(
                child_id=child_id,
                source_type=LibertyOrder._meta.label,
                source_id=str(order.pk),
                kind=LIBERTY_REVIEW_DUE,
                label="Deprivation of liberty order: court review",
                due_date=review_by,
            )
    return made


# --- Adoption -------------------------------------------------------------------------------

# How far each child's adoption has gone, furthest first. Estimated weights (England's
# tables give about 3,000 adoptions, somewhat more placement orders and about a thousand
# reversed decisions a year, not the stages at a day).
STAGES = ["placed", "reversed", "matched", "placement_order", "decided"]
STAGE_WEIGHTS = [25, 10, 15, 20, 10]
# Adopted children have left care: taken from the young children whose care ended, about
# one for every four with an adoption under way (an estimate, as above).
ADOPTED_PER_UNDER_WAY = 0.25
# The least each step can take (days): to the match, to placement, to the order (the
# child must have lived with the adopters ten weeks before the application).
MIN_GAPS = (14, 1, 70)


@dataclass
class _Steps:
    decided: date
    placement_order: date | None = None
    matched: date | None = None
    placed: date | None = None
    order: date | None = None
    reversed: date | None = None


def _adoption(
    rng: random.Random, today: date, workers: list[User], chronicle: Chronicle
) -> dict[str, int]:
    made = {"adoptions": 0, "adopters": 0, "matches": 0, "adoption_orders": 0, "reversals": 0}
    orders = list(
        Proceedings.objects.filter(final_order="care", child__date_of_birth__gt=_shift(today, -10))
        .filter(final_order_on__isnull=False, final_order_on__lt=today - timedelta(days=10))
        .order_by("final_order_on", "child_id")
        .values_list("pk", "child_id", "final_order_on")
    )
    # A fixed share, at least one child for each stage, the longest under an order the
    # furthest along.
    count = min(len(orders), max(len(STAGES), round(len(orders) * ADOPTION_SHARE)))
    # The placement the child is in now began: placed for adoption only after it.
    placed_since = dict(
        CareEpisode.objects.filter(
            period__child_id__in=[row[1] for row in orders],
            period__end_date__isnull=True,
            end_date__isnull=True,
        ).values_list("period__child_id", "start_date")
    )

    def settled(row: tuple[int, int, date | None]) -> tuple[date, int]:
        final = row[2] or date.min
        return max(final, placed_since.get(row[1], final)), row[1]

    chosen = sorted(rng.sample(orders, count), key=settled)
    numbers = iter(range(1, 1_000_000))
    for index, (pk, child_id, final_on) in enumerate(chosen):
        assert final_on is not None
        wanted = STAGES[index] if index < len(STAGES) else _weighted(rng)
        steps = _steps(rng, wanted, final_on, today)
        _after_current_placement(steps, placed_since.get(child_id, final_on), today)
        _placed_before_a_visit(child_id, steps, today)
        by = rng.choice(workers)
        adopters = None
        if steps.matched is not None:
            adopters = _approved_adopters(rng, next(numbers), steps.matched, by)
            made["adopters"] += 1
        adoption = Adoption.objects.create(
            child_id=child_id,
            decided_on=steps.decided,
            placement_order_on=steps.placement_order,
            adopters=adopters,
            matched_on=steps.matched,
            by_foster_carer=(rng.random() < 0.15) if adopters else None,
            placed_on=steps.placed,
            order_on=steps.order,
            reversed_on=steps.reversed,
            reversal_reason=_reversal_reason(rng, steps) if steps.reversed else "",
            recorded_by=by,
        )
        if steps.placement_order is not None:
            Proceedings.objects.filter(pk=pk).update(final_order="care_placement")
            chronicle.resummarise(
                pk,
                events.FINAL_ORDER,
                "Final order: Care order and placement order (903 legal status E1)",
            )
            _under_placement_order(child_id, steps.placement_order, steps.reversed)
        made["adoptions"] += 1
        made["matches"] += steps.matched is not None
        made["adoption_orders"] += steps.order is not None
        made["reversals"] += steps.reversed is not None
        _adoption_events(child_id, steps, adoption, by, chronicle)
        if steps.placed is not None:
            _placed_for_adoption(adoption, steps)
    made["adoption_orders"] += _adopted(
        rng, today, workers, chronicle, numbers, max(1, round(count * ADOPTED_PER_UNDER_WAY))
    )
    made["adopters"] += made["adoption_orders"]
    made["adoptions"] += made["adoption_orders"]
    # Households still in the agency's process: enquiring, in assessment, approved and
    # waiting (about as many again as are matched).
    for index in range(max(3, made["adopters"])):
        number = next(numbers)
        # The first is still being assessed, the second approved and waiting, at any scale.
        enquiry = today - timedelta(
            days=rng.randint(*{0: (20, 140), 1: (260, 500)}.get(index, (20, 500)))
        )
        approved = enquiry + timedelta(days=rng.randint(150, 240))
        _household(rng, number, enquiry, approved if approved < today else None, workers)
        made["adopters"] += 1
    return made


def _adopted(
    rng: random.Random,
    today: date,
    workers: list[User],
    chronicle: Chronicle,
    numbers: Iterator[int],
    wanted: int,
) -> int:
    """Children adopted from care: a young child whose last period of care ended after a
    long enough placement is instead adopted that day (E12: the placement order dispensed
    with consent), every step dated within the period, placed with the adopters (A5 or A6)
    for at least ten weeks before the order."""
    rows = list(
        CareEpisode.objects.filter(
            period__end_date__isnull=False,
            end_date=F("period__end_date"),
            period__child__date_of_birth__isnull=False,
        )
        .exclude(
            period__child_id__in=PeriodOfCare.objects.filter(end_date__isnull=True).values(
                "child_id"
            )
        )
        .order_by("period__child_id", "-period__start_date")
        .values_list(
            "pk",
            "period_id",
            "period__child_id",
            "period__start_date",
            "start_date",
            "end_date",
            "period__child__date_of_birth",
        )
    )
    last: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        last.setdefault(row[2], row)  # each child's latest period only
    candidates = [
        row
        for row in last.values()
        if (row[5] - row[4]).days >= 80
        and (row[5] - row[3]).days >= 250
        and (row[5] - row[6]).days < 10 * 365
    ]
    done = 0
    for episode_pk, period_pk, child_id, began, placed_from, ended, _ in rng.sample(
        candidates, len(candidates)
    ):
        if done >= wanted:
            break
        steps = _adopted_steps(rng, began, placed_from, ended, _legal_since(period_pk))
        if steps is None:
            continue
        by = rng.choice(workers)
        assert steps.matched is not None
        adoption = Adoption.objects.create(
            child_id=child_id,
            decided_on=steps.decided,
            placement_order_on=steps.placement_order,
            adopters=_approved_adopters(rng, next(numbers), steps.matched, by),
            matched_on=steps.matched,
            by_foster_carer=rng.random() < 0.15,
            placed_on=steps.placed,
            order_on=steps.order,
            recorded_by=by,
        )
        _adoption_events(child_id, steps, adoption, by, chronicle)
        _left_care_adopted(adoption, episode_pk, period_pk, steps)
        assert steps.placement_order is not None  # an adoption order follows a placement order
        _under_placement_order(child_id, steps.placement_order)
        done += 1
    return done


def _adopted_steps(
    rng: random.Random, began: date, placed_from: date, ended: date, legal_since: date
) -> _Steps | None:
    """The steps of an adoption that ended the period on `ended`, placed with the adopters
    in its last placement's time. The placement order is the period's last change of legal
    status, so it comes after `legal_since` (the final care order, say): the steps are drawn
    closer together where they must be, and there is no adoption where they cannot fit."""
    floor = max(began, legal_since) + timedelta(days=1)
    # With the adopters ten weeks to ten months before the order, within the last placement
    # and leaving a day each for the placement order and the match after `floor`.
    latest = ended - timedelta(days=70)
    earliest = max(placed_from + timedelta(days=1), floor + timedelta(days=2))
    if earliest > latest:
        return None
    placed = latest - timedelta(days=rng.randint(0, min(230, (latest - earliest).days)))
    matched = placed - timedelta(days=rng.randint(7, 35))
    placement_order = matched - timedelta(days=rng.randint(60, 200))
    if placement_order < floor:
        placement_order = floor
        matched = max(matched, placement_order + (placed - placement_order) // 2)
    decided = max(placement_order - timedelta(days=rng.randint(20, 60)), began + timedelta(days=1))
    if not decided < placement_order < matched < placed < ended - timedelta(days=69):
        return None
    return _Steps(
        decided=decided,
        placement_order=placement_order,
        matched=matched,
        placed=placed,
        order=ended,
    )


def _left_care_adopted(adoption: Adoption, episode_pk: int, period_pk: int, steps: _Steps) -> None:
    """The last placement ends when the child moves to the adopters; the new one (A5 with
    the foster carers who adopt, else A6) and the period end with the order (E12), and the
    episode of need with it (RC1, adopted)."""
    assert steps.placed is not None
    assert steps.order is not None
    current = CareEpisode.objects.get(pk=episode_pk)
    by_carer = bool(adoption.by_foster_carer)
    CareEpisode.objects.filter(pk=episode_pk).update(
        end_date=steps.placed, reason_ceased="X1", reason_place_change="CARPL"
    )
    CareEpisode.objects.create(
        period_id=period_pk,
        start_date=steps.placed,
        # Under the placement order (E1), which `_under_placement_order` dates from its
        # making; the reason for this episode follows then.
        reason_new_episode="U" if by_carer else "B",
        legal_status="E1",
        placement_type="A5" if by_carer else "A6",
        provider="PR1",
        carer_name=current.carer_name if by_carer else "Prospective adopters",
        home_postcode=current.home_postcode,
        placement_postcode=current.placement_postcode,
        end_date=steps.order,
        reason_ceased="E12",
    )
    period = PeriodOfCare.objects.get(pk=period_pk)
    PeriodOfCare.objects.filter(pk=period_pk).update(reason_ceased="E12")
    Episode.objects.filter(pk=period.episode_id, closure_date=steps.order).update(
        closure_reason="RC1"
    )
    ChronologyEntry.objects.filter(
        source_type=PeriodOfCare._meta.label, source_id=str(period_pk), event_type="CARE_ENDED"
    ).update(summary="Ceased to be looked after: Adopted: consent dispensed with")


def _under_placement_order(child_id: int, made_on: date, revoked_on: date | None = None) -> None:
    """903 legal status E1 from the day the placement order was made until the day it was
    revoked (the care order revives: the status before it again). The child's episodes in
    that period of care are split on those days and relabelled; each episode's reason for
    starting then follows from what changed, as the 903 guidance reads it."""
    period = (
        PeriodOfCare.objects.filter(child_id=child_id, start_date__lte=made_on)
        .order_by("-start_date")
        .first()
    )
    if period is None or (period.end_date is not None and period.end_date <= made_on):
        return
    for day in (made_on, revoked_on):
        if day is not None:
            _split_episode(period, day)
    for episode in period.episodes.filter(start_date__gte=made_on):
        if revoked_on is None or episode.start_date < revoked_on:
            episode.legal_status = "E1"
            episode.save(update_fields=["legal_status"])
    _reasons_for_new_episodes(period)


def _split_episode(period: PeriodOfCare, day: date) -> None:
    """The episode running on `day` (begun before it) ends then and goes on as a new one."""
    running = (
        period.episodes.filter(start_date__lt=day)
        .exclude(end_date__lte=day)
        .order_by("-start_date")
        .first()
    )
    if running is None:
        return
    rest = {
        "end_date": running.end_date,
        "reason_ceased": running.reason_ceased,
        "reason_place_change": running.reason_place_change,
    }
    running.end_date, running.reason_ceased, running.reason_place_change = day, "X1", ""
    running.save(update_fields=["end_date", "reason_ceased", "reason_place_change"])
    running.pk, running.start_date, running.reason_new_episode = None, day, "L"
    for field, value in rest.items():
        setattr(running, field, value)
    running.save()


def _reasons_for_new_episodes(period: PeriodOfCare) -> None:
    """Each episode after the first starts for what changed from the one before, as
    `care_change` decides it. A change of legal status alone gives the episode before it no
    reason for a change of placement."""
    rows = list(period.episodes.order_by("start_date", "pk"))
    for old, new in pairwise(rows):
        reason = _reason_new_episode(old, {f: getattr(new, f) for f in PLACEMENT_FIELDS})
        if reason != new.reason_new_episode:
            new.reason_new_episode = reason
            new.save(update_fields=["reason_new_episode"])
        if reason == "L" and old.reason_place_change:
            old.reason_place_change = ""
            old.save(update_fields=["reason_place_change"])


PLACEMENT_FIELDS = ("legal_status", "placement_type", "placement_postcode", "carer_name")


def _legal_since(period_pk: int) -> date:
    """When the period's legal status last changed (its start if it never has)."""
    return (
        CareEpisode.objects.filter(period_id=period_pk, reason_new_episode__in=("S", "L", "U", "B"))
        .order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    ) or date.min


def _weighted(rng: random.Random) -> str:
    return rng.choices(STAGES, weights=STAGE_WEIGHTS)[0]


def _steps(rng: random.Random, wanted: str, final_on: date, today: date) -> _Steps:
    """The dates of each step to `wanted`, fitted before `today` (a stage short of it if
    even the shortest steps would not fit)."""
    if wanted == "decided":
        latest = (today - final_on).days - 1
        return _Steps(decided=final_on + timedelta(days=rng.randint(1, max(1, min(60, latest)))))
    steps = _Steps(decided=final_on - timedelta(days=rng.randint(20, 60)))
    if wanted == "reversed":
        no_order = rng.random() < 0.3
        steps.placement_order = None if no_order else final_on
        room = (today - final_on).days - 1
        steps.reversed = final_on + timedelta(days=rng.randint(1, max(1, min(400, room))))
        return steps
    steps.placement_order = final_on
    needed = {"placement_order": 0, "matched": 1, "placed": 2, "adopted": 3}[wanted]
    gaps = [rng.randint(60, 200), rng.randint(7, 35), rng.randint(90, 300)][:needed]
    room = (today - final_on).days - 1
    while needed and sum(MIN_GAPS[:needed]) > room:
        needed -= 1
    gaps = gaps[:needed]
    if sum(gaps) > room:
        factor = room / sum(gaps)
        gaps = [max(least, int(g * factor)) for g, least in zip(gaps, MIN_GAPS, strict=False)]
    day = final_on
    for step, gap in zip(("matched", "placed", "order"), gaps, strict=False):
        day += timedelta(days=gap)
        setattr(steps, step, day)
    return steps


def _after_current_placement(steps: _Steps, floor: date, today: date) -> None:
    """Placed for adoption (and adopted) after the placement the child is in began, so the
    903 episodes run on from it; a step that would then fall after today is not reached."""
    if steps.placed is None or steps.placed > floor:
        return
    shift = floor - steps.placed + timedelta(days=1)
    steps.placed += shift
    if steps.order is not None:
        steps.order += shift
        if steps.order >= today:
            steps.order = None
    if steps.placed >= today:
        steps.placed = None


def _placed_before_a_visit(child_id: int, steps: _Steps, today: date) -> None:
    """The child's visits were written before the adoption: the move to the adopters is put
    a few days before a visit in which the child was seen, from which every later visit
    keeps the new placement's clock (regulation 28), so the demo's record of visits holds.
    Where no visit allows it, the child is matched but not yet placed."""
    if steps.placed is None:
        return
    seen = list(
        Visit.objects.filter(
            child_id=child_id, kind="cla", child_seen=True, visited_on__gt=steps.placed
        )
        .order_by("visited_on")
        .values_list("visited_on", flat=True)
    )
    if not seen:
        return  # placed since the last visit: the next one is due within the week
    for visit in seen:
        placed = max(visit - timedelta(days=5), steps.placed)
        later = [v for v in seen if v > placed]
        if all(b <= care_visit_due(a, placed) for a, b in pairwise(later)):
            shift = placed - steps.placed
            steps.placed = placed
            if steps.order is not None:
                steps.order += shift
                if steps.order >= today:
                    steps.order = None
            return
    steps.placed = steps.order = None


def _reversal_reason(rng: random.Random, steps: _Steps) -> str:
    if steps.placement_order is None:
        return "RD2"  # the court did not make a placement order
    return rng.choice(["RD1", "RD3", "RD3", "RD4"])


def _adoption_events(
    child_id: int, steps: _Steps, adoption: Adoption, by: User, chronicle: Chronicle
) -> None:
    chronicle.add(
        child_id,
        steps.decided,
        events.ADOPTION_DECISION,
        "Agency decision maker: should be placed for adoption",
        adoption,
        by,
        Significance.HIGH,
    )
    for day, summary in (
        (steps.placement_order, "Placement order made"),
        (steps.matched, "Matched with prospective adopters"),
        (steps.placed, "Placed for adoption"),
        (steps.order, "Adoption order made"),
    ):
        if day is not None:
            chronicle.add(child_id, day, events.ADOPTION_STEP, summary, adoption, by)
    if steps.reversed is not None:
        chronicle.add(
            child_id,
            steps.reversed,
            events.ADOPTION_REVERSED,
            "No longer to be placed for adoption",
            adoption,
            by,
            Significance.HIGH,
        )


def _placed_for_adoption(adoption: Adoption, steps: _Steps) -> None:
    """The 903 episodes follow: placed with the adopters (A5 with the foster carers who
    adopt, else A6), still looked after until the adoption order."""
    assert steps.placed is not None
    period = PeriodOfCare.objects.get(child_id=adoption.child_id, end_date__isnull=True)
    current = period.episodes.filter(end_date__isnull=True).order_by("-start_date").first()
    if current is None or current.start_date >= steps.placed:
        return  # moved since: the demo leaves this child's episodes as they are
    current.end_date, current.reason_ceased = steps.placed, "X1"
    current.reason_place_change = "CARPL"
    current.save(update_fields=["end_date", "reason_ceased", "reason_place_change"])
    by_carer = bool(adoption.by_foster_carer)
    CareEpisode.objects.create(
        period=period,
        start_date=steps.placed,
        # Already under the placement order (E1): only the placement changes, with the
        # carers who adopt (T) or to the adopters (P).
        reason_new_episode="T" if by_carer else "P",
        legal_status="E1",
        placement_type="A5" if by_carer else "A6",
        provider="PR1",
        carer_name=current.carer_name if by_carer else "Prospective adopters",
        home_postcode=current.home_postcode,
        placement_postcode=current.placement_postcode,
    )
    _visit_clock_from(period, steps.placed)


def _visit_clock_from(period: PeriodOfCare, placed: date) -> None:
    """The visit clock the new placement set (as `care_change` registers it), moved on by
    any visit since in which the child was seen."""
    seen = (
        Visit.objects.filter(
            child_id=period.child_id, kind="cla", child_seen=True, visited_on__gt=placed
        )
        .order_by("-visited_on")
        .values_list("visited_on", flat=True)
        .first()
    )
    DueItem.objects.filter(
        source_type=PeriodOfCare._meta.label,
        source_id=str(period.pk),
        kind="cla_visit",
        done_on__isnull=True,
    ).update(due_date=care_visit_due(seen or date.min, placed))


def _approved_adopters(rng: random.Random, number: int, matched: date, by: User) -> Adopters:
    approved = matched - timedelta(days=rng.randint(14, 200))
    enquiry = approved - timedelta(days=rng.randint(150, 240))
    return _household(rng, number, enquiry, approved, [by])


def _household(
    rng: random.Random, number: int, enquiry: date, approved: date | None, workers: list[User]
) -> Adopters:
    sexes, status = rng.choice(
        [("MF", "L11"), ("MF", "L11"), ("FF", "L12"), ("MM", "L12"), ("F1", "L0"), ("MF", "L3")]
    )
    return Adopters.objects.create(
        reference=f"ADF{number:05d}",
        names=_adopter_names(rng, sexes),
        sexes=sexes,
        legal_status=status,
        enquiry_on=enquiry,
        approved_on=approved,
        recorded_by=rng.choice(workers),
    )


def _adopter_names(rng: random.Random, sexes: str) -> str:
    women, men = (
        ["Jo", "Priya", "Sarah", "Aisha", "Kate"],
        ["Tom", "Ravi", "Daniel", "Kwame", "Owen"],
    )
    family = rng.choice(["Carter", "Reyes", "Okafor", "Bennett", "Shah", "Lewis", "Morgan"])
    pick = {"M": men, "F": women}
    names = [rng.choice(pick[s]) for s in sexes if s in pick]
    return f"{' and '.join(names)} {family}"
