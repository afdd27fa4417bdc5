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
issued on the day the order began (the 26 weeks counted from it, a few extended); those now
under a full care order had their final order when it began; a few children on child
protection plans are in pre-proceedings. Adoption: some of the youngest under a full care
order have an agency decision and a placement order, some matched with approved adopters;
adopters' households are in contact with the agency at every stage.

Rows are written as the services would have left them (the rules in
`permanence.entry_rules` and `leaving_care.entry_rules` hold), with their chronology entries
and open due items. Deterministic: the same council, seed and day give the same records."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from safehub.access.models import Involvement, InvolvementKind
from safehub.casework.models import (
    CareEpisode,
    CPPlan,
    DueItem,
    Episode,
    HealthCheck,
    PeriodOfCare,
)
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
from safehub.permanence.models import Adopters, Adoption, Extension, Hearing, Proceedings
from safehub.permanence.timescales import latest_extension, timetable_end

CARE_LEAVERS_PER_LOOKED_AFTER = 0.6
PRE_PROCEEDINGS_SHARE = 0.08  # of children on child protection plans
ADOPTION_SHARE = 0.35  # of children under five on a full care order
EXTENSION_REASON = "A parenting assessment of a relative who came forward late"
PLAN_TEXT = (
    "Accommodation, education and work, health, money and family reviewed with the young person."
)


@dataclass
class _Chronicle:
    """Chronology entries and their links, written together at the end."""

    today: date
    entries: list[tuple[ChronologyEntry, int]]

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
                    source_id=str(source.pk),
                ),
                person_id,
            )
        )

    def write(self) -> int:
        made = ChronologyEntry.objects.bulk_create([e for e, _ in self.entries], batch_size=2_000)
        ChronologyLink.objects.bulk_create(
            [
                ChronologyLink(entry=e, person_id=p, occurred_at=e.occurred_at)
                for e, (_, p) in zip(made, self.entries, strict=True)
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
    chronicle = _Chronicle(today, [])
    counts = _care_leavers(rng, today, workers, chronicle)
    counts.update(_court(rng, today, workers, chronicle))
    counts.update(_adoption(rng, today, workers, chronicle))
    counts["permanence_chronology"] = chronicle.write()
    return counts


# --- Care leavers ---------------------------------------------------------------------------


def _care_leavers(
    rng: random.Random, today: date, workers: list[User], chronicle: _Chronicle
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
    rng: random.Random, child: Person, worker: User, start: date, end: date, chronicle: _Chronicle
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
    chronicle: _Chronicle,
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
            "activity": rng.choice(["F1", "F2", "F3", "P3"])
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
    rng: random.Random, today: date, workers: list[User], chronicle: _Chronicle
) -> dict[str, int]:
    made = {"proceedings": 0, "pre_proceedings": 0, "final_orders": 0}
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
        Hearing.objects.create(
            proceedings=p,
            held_on=issued,
            kind="interim",
            interim_order="ico",
            next_hearing=issued + timedelta(days=rng.randint(14, 28)),
            recorded_by=by,
        )
        chronicle.add(
            child_id,
            issued,
            events.PROCEEDINGS_ISSUED,
            "Application issued: Care order (Children Act 1989 section 31), Demoshire Family Court",
            p,
            by,
            Significance.HIGH,
        )
        final = first_c2.get(child_id)
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
    # A fixed share of the plans (at least one), so every scale has pre-proceedings.
    chosen = rng.sample(plans, min(len(plans), max(1, round(len(plans) * PRE_PROCEEDINGS_SHARE))))
    for child_id, plan_start in sorted(chosen):
        latest = (today - timedelta(days=20) - plan_start).days
        started = plan_start + timedelta(days=rng.randint(min(20, latest), min(200, latest)))
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
    return made


# --- Adoption -------------------------------------------------------------------------------


def _adoption(
    rng: random.Random, today: date, workers: list[User], chronicle: _Chronicle
) -> dict[str, int]:
    made = {"adoptions": 0, "adopters": 0, "matches": 0}
    orders = list(
        Proceedings.objects.filter(final_order="care", child__date_of_birth__gt=_shift(today, -5))
        .order_by("child_id")
        .values_list("pk", "child_id", "final_order_on")
    )
    adopters: list[Adopters] = []
    for number in range(max(3, len(orders) // 2)):
        by = rng.choice(workers)
        sexes, status = rng.choice(
            [("MF", "L11"), ("MF", "L11"), ("FF", "L12"), ("MM", "L12"), ("F1", "L0"), ("MF", "L3")]
        )
        enquiry = today - timedelta(days=rng.randint(60, 900))
        approved = enquiry + timedelta(days=rng.randint(150, 240))
        a = Adopters.objects.create(
            reference=f"ADF{number + 1:05d}",
            names=_adopter_names(rng, sexes),
            sexes=sexes,
            legal_status=status,
            enquiry_on=enquiry,
            approved_on=approved if approved < today else None,
            recorded_by=by,
        )
        adopters.append(a)
        made["adopters"] += 1
    free = [a for a in adopters if a.approved_on]
    for pk, child_id, final_on in orders:
        if rng.random() >= ADOPTION_SHARE or final_on is None:
            continue
        by = rng.choice(workers)
        decided = final_on - timedelta(days=rng.randint(20, 60))
        adoption = Adoption.objects.create(
            child_id=child_id, decided_on=decided, placement_order_on=final_on, recorded_by=by
        )
        Proceedings.objects.filter(pk=pk).update(final_order="care_placement")
        made["adoptions"] += 1
        chronicle.add(
            child_id,
            decided,
            events.ADOPTION_DECISION,
            "Agency decision maker: should be placed for adoption",
            adoption,
            by,
            Significance.HIGH,
        )
        chronicle.add(
            child_id, final_on, events.ADOPTION_STEP, "Placement order made", adoption, by
        )
        match_on = final_on + timedelta(days=rng.randint(60, 200))
        ready = [a for a in free if a.approved_on and a.approved_on <= match_on]
        if match_on < today and ready and rng.random() < 0.6:
            chosen = ready[0]
            free.remove(chosen)
            adoption.adopters, adoption.matched_on, adoption.by_foster_carer = (
                chosen,
                match_on,
                rng.random() < 0.15,
            )
            adoption.save()
            made["matches"] += 1
            chronicle.add(
                child_id,
                match_on,
                events.ADOPTION_STEP,
                "Matched with prospective adopters",
                adoption,
                by,
            )
    return made


def _adopter_names(rng: random.Random, sexes: str) -> str:
    women, men = (
        ["Jo", "Priya", "Sarah", "Aisha", "Kate"],
        ["Tom", "Ravi", "Daniel", "Kwame", "Owen"],
    )
    family = rng.choice(["Carter", "Reyes", "Okafor", "Bennett", "Shah", "Lewis", "Morgan"])
    pick = {"M": men, "F": women}
    names = [rng.choice(pick[s]) for s in sexes if s in pick]
    return f"{' and '.join(names)} {family}"
