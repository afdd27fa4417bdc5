"""The dashboard's figures, month by month, as the domain reference defines them
(`shared/domain/reference.md` sections 4 and 5; each definition is written out in
`FIGURES`). Every figure is worked out from the records themselves for a run of months
with a fixed handful of queries whatever the size of the county (one or two per figure,
bucketed by month in Python), and yields the items behind it: the children (or contacts,
visits, reviews) counted, each marked whether it met the measure, so the same code gives
the figure and its drill-down. No names here: which children a reader sees is the
policy's decision (`insight.selectors.figure_drill`)."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from safehub.casework.codes import ConferenceKind, EpisodeKind, MissingKind, VisitKind
from safehub.casework.models import (
    Allocation,
    CareEpisode,
    Conference,
    CPPlan,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    Visit,
)
from safehub.casework.timescales import add_months, cp_review_due, cp_visit_due
from safehub.core.workdays import add_working_days
from safehub.frontdoor.codes import REFERRAL_DECISIONS, SubjectRole
from safehub.frontdoor.models import Contact, ContactSubject
from safehub.people.codes import PersonKind
from safehub.people.models import Person

COUNT, PERCENT, RATE, AVERAGE = "count", "percent", "rate", "average"
# Episode reasons that start a new placement (903 RNE): all but a change of legal status.
NEW_PLACEMENT = ("S", "P", "T", "B", "U")


@dataclass(frozen=True)
class Item:
    """One thing a figure counts for a month: the child it is about (None for a contact not
    yet linked to a record), whether it met the measure, and a line saying what it was."""

    child_id: int | None
    met: bool
    fact: str
    on: date


def in_listing_order(items: Iterable[Item]) -> list[Item]:
    """The items as a drill-down lists them: by date, then child (stable otherwise). The
    figures job stores each item's place in this order, so a stored list and a live one
    page alike."""
    return sorted(items, key=lambda i: (i.on, i.child_id or 0))


@dataclass
class Month:
    items: list[Item] = field(default_factory=list)
    # What a rate or average is out of, where that is not the items themselves.
    base: int | None = None

    @property
    def numerator(self) -> int:
        return sum(1 for i in self.items if i.met)

    @property
    def denominator(self) -> int | None:
        return self.base if self.base is not None else len(self.items)


@dataclass(frozen=True)
class Figure:
    code: str
    section: str
    label: str
    kind: str
    definition: str
    met_label: str  # the drill-down's column: what "met" means for an item
    higher_is_better: bool | None
    compute: Callable[[list[date]], dict[date, Month]]


def month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


def months_to(last: date, count: int = 24) -> list[date]:
    """The `count` calendar months ending with the one `last` falls in (their first days)."""
    first = add_months(last.replace(day=1), -(count - 1))
    return [add_months(first, i) for i in range(count)]


def _bucket(months: list[date]) -> Callable[[date], date | None]:
    first, last = months[0], month_end(months[-1])

    def which(day: date) -> date | None:
        return day.replace(day=1) if first <= day <= last else None

    return which


def _empty(months: list[date]) -> dict[date, Month]:
    return {m: Month() for m in months}


def _local_date(moment: Any) -> date:
    return timezone.localtime(moment).date()


def _window(months: list[date]) -> tuple[Any, Any]:
    """The months as an aware datetime range [start, end) in the council's time zone."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(months[0], time.min, tzinfo=tz)
    end = datetime.combine(add_months(months[-1], 1), time.min, tzinfo=tz)
    return start, end


def _first_children(contact_ids: Iterable[int]) -> dict[int, int]:
    """Each contact's first linked child (the child the contact is about)."""
    first: dict[int, int] = {}
    rows = (
        ContactSubject.objects.filter(
            contact_id__in=list(contact_ids), role=SubjectRole.CHILD, person__isnull=False
        )
        .order_by("contact_id", "position", "pk")
        .values_list("contact_id", "person_id")
    )
    for contact_id, person_id in rows:
        first.setdefault(contact_id, person_id)
    return first


# --- The front door --------------------------------------------------------------------


def contacts(months: list[date]) -> dict[date, Month]:
    out, which = _empty(months), _bucket(months)
    start, end = _window(months)
    rows = list(
        Contact.objects.filter(received_at__gte=start, received_at__lt=end).values_list(
            "pk", "reference", "received_at"
        )
    )
    children = _first_children(pk for pk, _, _ in rows)
    for pk, reference, received in rows:
        day = _local_date(received)
        if (m := which(day)) is not None:
            out[m].items.append(Item(children.get(pk), True, f"Contact {reference}", day))
    return out


def _decided(months: list[date]) -> list[tuple[int, str, Any, Any, str]]:
    start, end = _window(months)
    return list(
        Contact.objects.filter(closed_at__gte=start, closed_at__lt=end).values_list(
            "pk", "reference", "received_at", "closed_at", "decision"
        )
    )


def conversion(months: list[date]) -> dict[date, Month]:
    out, which = _empty(months), _bucket(months)
    rows = _decided(months)
    children = _first_children(r[0] for r in rows)
    for pk, reference, _, closed, decision in rows:
        day = _local_date(closed)
        if (m := which(day)) is not None:
            referral = decision in REFERRAL_DECISIONS
            fact = f"Contact {reference}: {'referral' if referral else 'not a referral'}"
            out[m].items.append(Item(children.get(pk), referral, fact, day))
    return out


def decisions_in_a_day(months: list[date]) -> dict[date, Month]:
    """Decided by the end of the working day after the one it was received on."""
    out, which = _empty(months), _bucket(months)
    rows = _decided(months)
    children = _first_children(r[0] for r in rows)
    for pk, reference, received, closed, _ in rows:
        day = _local_date(closed)
        if (m := which(day)) is not None:
            due = add_working_days(_local_date(received), 1)
            out[m].items.append(
                Item(children.get(pk), day <= due, f"Contact {reference}: due {due:%d/%m/%Y}", day)
            )
    return out


def re_referrals(months: list[date]) -> dict[date, Month]:
    """Referrals (children's social care episodes) in the month whose child had another
    referral in the 12 months before it."""
    out, which = _empty(months), _bucket(months)
    earlier = Episode.objects.filter(
        child_id=OuterRef("child_id"),
        kind=EpisodeKind.CIN,
        referral_date__lt=OuterRef("referral_date"),
    )
    rows = (
        Episode.objects.filter(
            kind=EpisodeKind.CIN,
            referral_date__gte=months[0],
            referral_date__lte=month_end(months[-1]),
        )
        .annotate(
            again=Exists(
                earlier.filter(referral_date__gte=OuterRef("referral_date") - timedelta(days=365))
            )
        )
        .values_list("child_id", "referral_date", "again")
    )
    for child_id, referred, again in rows:
        if (m := which(referred)) is not None:
            fact = "Referred again within 12 months" if again else "First referral in 12 months"
            out[m].items.append(Item(child_id, again, fact, referred))
    return out


# --- Assessments -------------------------------------------------------------------------


def assessments_in_time(months: list[date]) -> dict[date, Month]:
    """Assessments completed in the month, and whether within 45 working days of the
    referral (the due date the casework services stored: `timescales.assessment_due`)."""
    from safehub.casework.models import Assessment

    out, which = _empty(months), _bucket(months)
    rows = Assessment.objects.filter(
        completed_date__gte=months[0], completed_date__lte=month_end(months[-1])
    ).values_list("episode__child_id", "completed_date", "due_date")
    for child_id, done, due in rows:
        if done is not None and (m := which(done)) is not None:
            out[m].items.append(Item(child_id, done <= due, f"Due {due:%d/%m/%Y}", done))
    return out


# --- Child protection --------------------------------------------------------------------


def _open_at_ends(
    months: list[date], rows: Iterable[tuple[int, date, date | None, str]]
) -> dict[date, Month]:
    """Children with a record open at the end of each month (started by then, not ended
    before the next day)."""
    out = _empty(months)
    for child_id, start, end, fact in rows:
        for m in months:
            last = month_end(m)
            if start <= last and (end is None or end > last):
                out[m].items.append(Item(child_id, True, fact, start))
    return out


def _overlapping(model: Any, months: list[date]) -> Any:
    return model.objects.filter(start_date__lte=month_end(months[-1])).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=month_end(months[0]))
    )


def cp_plans(months: list[date]) -> dict[date, Month]:
    rows = _overlapping(CPPlan, months).values_list("child_id", "start_date", "end_date")
    return _open_at_ends(months, ((c, s, e, f"Plan started {s:%d/%m/%Y}") for c, s, e in rows))


def children_population(months: list[date]) -> dict[date, int]:
    """Children under 18 at each month's end: the council's published population where it
    is set (CHILD_POPULATION), otherwise the children on record alive and under 18 then."""
    if settings.CHILD_POPULATION:
        return dict.fromkeys(months, settings.CHILD_POPULATION)
    counts = {}
    for m in months:
        last = month_end(m)
        counts[m] = (
            Person.objects.filter(
                kind=PersonKind.CHILD,
                date_of_birth__lte=last,
                date_of_birth__gt=add_months(last, -18 * 12),
            )
            .filter(Q(date_of_death__isnull=True) | Q(date_of_death__gt=last))
            .count()
        )
    return counts


def _per_population(base: Callable[[list[date]], dict[date, Month]]) -> Callable:
    def compute(months: list[date]) -> dict[date, Month]:
        out = base(months)
        population = children_population(months)
        for m, month in out.items():
            month.base = population[m]
        return out

    return compute


def cp_second_plans(months: list[date]) -> dict[date, Month]:
    """Plans starting in the month for a child who had had a plan before."""
    out, which = _empty(months), _bucket(months)
    before = CPPlan.objects.filter(
        child_id=OuterRef("child_id"), start_date__lt=OuterRef("start_date")
    )
    rows = (
        CPPlan.objects.filter(start_date__gte=months[0], start_date__lte=month_end(months[-1]))
        .annotate(earlier=Exists(before))
        .values_list("child_id", "start_date", "earlier", "previous_plans")
    )
    for child_id, start, earlier, previous in rows:
        if (m := which(start)) is not None:
            again = earlier or previous > 0
            fact = "Second or later plan" if again else "First plan"
            out[m].items.append(Item(child_id, again, fact, start))
    return out


def cp_two_years(months: list[date]) -> dict[date, Month]:
    """Plans ending in the month that had lasted two years or more."""
    out, which = _empty(months), _bucket(months)
    rows = CPPlan.objects.filter(
        end_date__gte=months[0], end_date__lte=month_end(months[-1])
    ).values_list("child_id", "start_date", "end_date")
    for child_id, start, end in rows:
        if end is not None and (m := which(end)) is not None:
            long = end >= add_months(start, 24)
            out[m].items.append(Item(child_id, long, f"Plan from {start:%d/%m/%Y}", end))
    return out


def cp_reviews_in_time(months: list[date]) -> dict[date, Month]:
    """Review conferences held in the month, and whether by their due date: within three
    months of the plan's start (its initial conference) for the first, then six months of
    the review before (`timescales.cp_review_due`)."""
    out, which = _empty(months), _bucket(months)
    reviewed = Conference.objects.filter(
        kind=ConferenceKind.REVIEW,
        held_on__gte=months[0],
        held_on__lte=month_end(months[-1]),
    ).values("plan_id")
    rows = (
        Conference.objects.filter(kind=ConferenceKind.REVIEW, plan_id__in=reviewed)
        .order_by("plan_id", "held_on", "pk")
        .values_list("plan_id", "plan__child_id", "plan__start_date", "held_on")
    )
    previous: dict[int, date] = {}
    for plan_id, child_id, plan_start, held in rows:
        prior = previous.get(plan_id)
        due = cp_review_due(prior or plan_start, first=prior is None)
        previous[plan_id] = held
        if (m := which(held)) is not None:
            out[m].items.append(Item(child_id, held <= due, f"Due {due:%d/%m/%Y}", held))
    return out


def cp_visits_in_time(months: list[date]) -> dict[date, Month]:
    """Child protection visits made in the month, and whether within the council's standard
    (CP_VISIT_WORKING_DAYS) of the visit before, or of the plan's start for the first."""
    out, which = _empty(months), _bucket(months)
    since = add_months(months[0], -3)
    plans: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for child_id, start, end in (
        CPPlan.objects.filter(start_date__lte=month_end(months[-1]))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .values_list("child_id", "start_date", "end_date")
    ):
        plans[child_id].append((start, end))
    rows = (
        Visit.objects.filter(
            kind=VisitKind.CP, visited_on__gte=since, visited_on__lte=month_end(months[-1])
        )
        .order_by("child_id", "visited_on", "pk")
        .values_list("child_id", "visited_on")
    )
    last: dict[int, date] = {}
    for child_id, visited in rows:
        plan_start = max(
            (s for s, e in plans.get(child_id, []) if s <= visited and (e is None or e >= visited)),
            default=None,
        )
        prior = last.get(child_id)
        base = prior if prior and plan_start and prior >= plan_start else plan_start
        last[child_id] = visited
        if base is None or (m := which(visited)) is None:
            continue
        due = cp_visit_due(base)
        out[m].items.append(Item(child_id, visited <= due, f"Due {due:%d/%m/%Y}", visited))
    return out


# --- Children looked after ---------------------------------------------------------------


def _care_periods(months: list[date]) -> list[tuple[int, int, date, date | None]]:
    return list(
        _overlapping(PeriodOfCare, months).values_list("pk", "child_id", "start_date", "end_date")
    )


def looked_after(months: list[date]) -> dict[date, Month]:
    rows = _care_periods(months)
    return _open_at_ends(
        months, ((c, s, e, f"Looked after from {s:%d/%m/%Y}") for _, c, s, e in rows)
    )


def _placement_starts(period_ids: list[int]) -> dict[int, list[tuple[date, date | None]]]:
    """Each period's placements (start, end): a new placement starts with every episode
    but a change of legal status alone."""
    placements: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    rows = (
        CareEpisode.objects.filter(period_id__in=period_ids)
        .order_by("period_id", "start_date", "pk")
        .values_list("period_id", "start_date", "end_date", "reason_new_episode")
    )
    for period_id, start, end, reason in rows:
        mine = placements[period_id]
        if reason in NEW_PLACEMENT or not mine:
            mine.append((start, end))
        else:
            mine[-1] = (mine[-1][0], end)
    return placements


def three_placements(months: list[date]) -> dict[date, Month]:
    """Children looked after at the month's end who had three or more placements in the
    12 months to it."""
    periods = _care_periods([add_months(months[0], -12), *months])
    placements = _placement_starts([pk for pk, *_ in periods])
    out = _empty(months)
    for pk, child_id, start, end in periods:
        for m in months:
            last = month_end(m)
            if not (start <= last and (end is None or end > last)):
                continue
            year_ago = add_months(last, -12)
            count = sum(
                1 for s, e in placements.get(pk, []) if s <= last and (e is None or e > year_ago)
            )
            out[m].items.append(
                Item(child_id, count >= 3, f"{count} placements in 12 months", start)
            )
    return out


def long_term_stability(months: list[date]) -> dict[date, Month]:
    """Children under 16 looked after for two and a half years or more at the month's end,
    and whether in the same placement for the last two years."""
    periods = _care_periods(months)
    placements = _placement_starts([pk for pk, *_ in periods])
    born = dict(
        Person.objects.filter(pk__in={c for _, c, _, _ in periods}).values_list(
            "pk", "date_of_birth"
        )
    )
    out = _empty(months)
    for pk, child_id, start, end in periods:
        dob = born.get(child_id)
        for m in months:
            last = month_end(m)
            open_then = start <= last and (end is None or end > last)
            long = start <= add_months(last, -30)
            under_16 = dob is not None and add_months(dob, 16 * 12) > last
            if not (open_then and long and under_16):
                continue
            current = max((s for s, _ in placements.get(pk, []) if s <= last), default=start)
            stable = current <= add_months(last, -24)
            fact = f"In this placement since {current:%d/%m/%Y}"
            out[m].items.append(Item(child_id, stable, fact, start))
    return out


MILES = 20
_EARTH_MILES = 3958.8
DISTRICTS = Path(__file__).with_name("data") / "postcode_districts.json"


@cache
def _districts() -> dict[str, tuple[float, float]]:
    rows = json.loads(DISTRICTS.read_text(encoding="utf-8"))["districts"]
    return {k: (float(v[0]), float(v[1])) for k, v in rows.items()}


def miles_between(home: str, placed: str) -> float | None:
    """Straight-line miles between the middles of two postcodes' districts (the part before
    the space); None where either is blank or its district unknown."""
    known = _districts()
    a, b = known.get(home.split(" ")[0].upper()), known.get(placed.split(" ")[0].upper())
    if not (home and placed and a and b):
        return None
    (lat1, lon1), (lat2, lon2) = (map(math.radians, p) for p in (a, b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * _EARTH_MILES * math.asin(math.sqrt(h))


def placed_far(months: list[date]) -> dict[date, Month]:
    """Children looked after at the month's end whose placement then was more than 20 miles
    (straight line) from home; those with either postcode unknown are left out."""
    rows = list(
        CareEpisode.objects.filter(period__start_date__lte=month_end(months[-1]))
        .filter(start_date__lte=month_end(months[-1]))
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=month_end(months[0])))
        .filter(Q(period__end_date__isnull=True) | Q(period__end_date__gt=month_end(months[0])))
        .values_list(
            "period__child_id", "start_date", "end_date", "period__end_date",
            "home_postcode", "placement_postcode",
        )
    )  # fmt: skip
    out = _empty(months)
    for child_id, start, end, period_end, home, placed in rows:
        miles = miles_between(home, placed)
        if miles is None:
            continue
        for m in months:
            last = month_end(m)
            now = start <= last and (end is None or end > last)
            if now and (period_end is None or period_end > last):
                fact = f"About {miles:.0f} miles from home"
                out[m].items.append(Item(child_id, miles > MILES, fact, start))
    return out


def missing(months: list[date]) -> dict[date, Month]:
    """Children looked after at the month's end who went missing during the month."""
    out = looked_after(months)
    went = defaultdict(set)
    for child_id, start in MissingEpisode.objects.filter(
        kind=MissingKind.MISSING, start_date__gte=months[0], start_date__lte=month_end(months[-1])
    ).values_list("child_id", "start_date"):
        went[start.replace(day=1)].add(child_id)
    for m, month in out.items():
        month.items = [
            Item(i.child_id, i.child_id in went[m], "Missing in the month", i.on)
            if i.child_id in went[m]
            else Item(i.child_id, False, "Not missing in the month", i.on)
            for i in month.items
        ]
    return out


# --- Workforce ---------------------------------------------------------------------------


def caseloads(months: list[date]) -> dict[date, Month]:
    """Children allocated at the month's end, out of the workers holding at least one."""
    rows = list(
        _overlapping(Allocation, months).values_list(
            "child_id", "worker_id", "start_date", "end_date"
        )
    )
    out = _empty(months)
    for m in months:
        last = month_end(m)
        workers = set()
        for child_id, worker_id, start, end in rows:
            if start <= last and (end is None or end > last):
                workers.add(worker_id)
                out[m].items.append(
                    Item(child_id, True, f"Allocated since {start:%d/%m/%Y}", start)
                )
        out[m].base = len(workers)
    return out


FIGURES: dict[str, Figure] = {
    f.code: f
    for f in [
        Figure(
            "contacts", "Front door", "Contacts received", COUNT,
            "Contacts received by the front door in the month (public, professional and "
            "partner contacts alike).",
            "Received", None, contacts,
        ),
        Figure(
            "conversion", "Front door", "Contacts that became referrals", PERCENT,
            "Of the contacts decided in the month, the share decided as a referral to "
            "children's social care (for assessment or a strategy discussion).",
            "Became a referral", None, conversion,
        ),
        Figure(
            "re_referrals", "Front door", "Re-referrals within 12 months", PERCENT,
            "Of the referrals in the month, the share for a child referred within the 12 "
            "months before.",
            "Referred within 12 months before", False, re_referrals,
        ),
        Figure(
            "decisions_in_a_day", "Front door", "Decisions within one working day", PERCENT,
            "Of the contacts decided in the month, the share decided within one working day "
            "of receipt (weekends and England-and-Wales bank holidays excluded).",
            "Decided within one working day", True, decisions_in_a_day,
        ),
        Figure(
            "assessments_in_time", "Assessments", "Assessments within 45 working days",
            PERCENT,
            "Of the assessments completed in the month, the share completed within 45 working "
            "days of the referral.",
            "Within 45 working days", True, assessments_in_time,
        ),
        Figure(
            "cp_plans", "Child protection", "Children on a child protection plan", COUNT,
            "Children on a child protection plan at the end of the month.",
            "On a plan", None, cp_plans,
        ),
        Figure(
            "cp_rate", "Child protection", "Child protection plans per 10,000 children", RATE,
            "Children on a child protection plan at the end of the month per 10,000 children "
            "under 18.",
            "On a plan", None, _per_population(cp_plans),
        ),
        Figure(
            "cp_second", "Child protection", "Second or later plans", PERCENT,
            "Of the plans starting in the month, the share for a child who had had a plan "
            "before.",
            "Had a plan before", False, cp_second_plans,
        ),
        Figure(
            "cp_two_years", "Child protection", "Plans lasting two years or more", PERCENT,
            "Of the plans ending in the month, the share that had lasted two years or more.",
            "Lasted two years or more", False, cp_two_years,
        ),
        Figure(
            "cp_reviews_in_time", "Child protection", "Review conferences on time", PERCENT,
            "Of the review conferences held in the month, the share held by their due date: "
            "within three months of the initial conference, then within six months of the "
            "review before.",
            "Held on time", True, cp_reviews_in_time,
        ),
        Figure(
            "cp_visits_in_time", "Child protection", "Visits on time", PERCENT,
            "Of the child protection visits made in the month, the share made within the "
            "council's standard (10 working days unless set otherwise) of the visit before, "
            "or of the plan's start.",
            "Visited on time", True, cp_visits_in_time,
        ),
        Figure(
            "looked_after", "Children looked after", "Children looked after", COUNT,
            "Children looked after at the end of the month.",
            "Looked after", None, looked_after,
        ),
        Figure(
            "looked_after_rate", "Children looked after",
            "Children looked after per 10,000 children", RATE,
            "Children looked after at the end of the month per 10,000 children under 18.",
            "Looked after", None, _per_population(looked_after),
        ),
        Figure(
            "three_placements", "Children looked after", "Three or more placements in a year",
            PERCENT,
            "Of the children looked after at the end of the month, the share with three or "
            "more placements in the 12 months to then (short-term placement stability).",
            "Three or more placements", False, three_placements,
        ),
        Figure(
            "long_term_stability", "Children looked after", "Long-term placement stability",
            PERCENT,
            "Of the children under 16 looked after for two and a half years or more at the "
            "end of the month, the share in the same placement for the last two years.",
            "Same placement two years", True, long_term_stability,
        ),
        Figure(
            "placed_far", "Children looked after", "Placed more than 20 miles from home",
            PERCENT,
            "Of the children looked after at the end of the month, the share whose placement "
            "then was more than 20 miles from home in a straight line (between the middles of "
            "the two postcode districts; children with either postcode unknown left out).",
            "More than 20 miles", False, placed_far,
        ),
        Figure(
            "missing", "Children looked after", "Children looked after who went missing",
            PERCENT,
            "Of the children looked after at the end of the month, the share who went missing "
            "during the month.",
            "Went missing", False, missing,
        ),
        Figure(
            "caseloads", "Workforce", "Children per case-holding worker", AVERAGE,
            "Children allocated at the end of the month, divided by the workers holding at "
            "least one case then.",
            "Allocated", None, caseloads,
        ),
    ]
}  # fmt: skip
SECTIONS = list(dict.fromkeys(f.section for f in FIGURES.values()))


def value(figure: Figure, numerator: int, denominator: int | None) -> float | None:
    """The figure's value from its counts: None where there is nothing to divide by."""
    if figure.kind == COUNT:
        return float(numerator)
    if not denominator:
        return None
    if figure.kind == PERCENT:
        return round(100 * numerator / denominator, 1)
    if figure.kind == RATE:
        return round(10_000 * numerator / denominator, 1)
    return round(numerator / denominator, 1)
