"""Annex A's rows read from live records, and the workbook written from them.

Each list is a fixed handful of set-based queries over the children the caller may name
(`children`, the policy's decision), whatever the council's size: the list's own records,
then the people it names and their allocations (one query each, over the list's children as
a subquery), then whatever the list counts over twelve months, grouped in memory. Every
record is read as it stood on the period's last day: a closure, authorisation or end after
it is not known yet, and nothing dated after it is counted."""

import calendar
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncDate
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from safehub.careplanning.models import Plan, PlanKind, ReviewingOfficerContact
from safehub.casework.codes import (
    HEALTH_ASSESSMENTS,
    NFA_CLOSURES,
    ConferenceKind,
    ConferenceOutcome,
    EpisodeKind,
    HealthCheckKind,
    LegalStatus,
    MissingKind,
    PlacementType,
    ReasonNewEpisode,
    Section47Outcome,
    VisitKind,
)
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
    Visit,
)
from safehub.core.spreadsheet import spreadsheet_cell
from safehub.frontdoor.codes import SubjectRole
from safehub.frontdoor.models import ContactSubject
from safehub.leaving_care.returns import annex_a_list9
from safehub.people.codes import Sex
from safehub.people.models import Person
from safehub.permanence.models import Adopters, Adoption
from safehub.returns.annexa.spec import LISTS, AnnexList, Coding, list_numbered

Row = dict[str, Any]
YES, NO = "Yes", "No"
# A change of placement starts a new placement; a change of legal status alone does not.
NEW_PLACEMENT = {r for r in ReasonNewEpisode if r != ReasonNewEpisode.L}
EMERGENCY = (LegalStatus.L1, LegalStatus.L2)
FOSTERING_FOR_ADOPTION = (PlacementType.U2, PlacementType.U5)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day where it has no such day)."""
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Period:
    """The period a list covers: from the day after `months` before `end`, to `end`."""

    end: date

    def start(self, months: int) -> date:
        return date.fromordinal(months_before(self.end, months).toordinal() + 1)

    @property
    def six(self) -> date:
        return self.start(6)

    @property
    def twelve(self) -> date:
        return self.start(12)


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def _known(day: date | None, end: date) -> date | None:
    return day if day is not None and day <= end else None


def _touches(start: date, end: date, start_field: str, end_field: str) -> Q:
    """Records under way at some time from `start` to `end`."""
    return Q(**{f"{start_field}__lte": end}) & (
        Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": start})
    )


def _latest(rows: Iterable[tuple[int, date]]) -> dict[int, date]:
    latest: dict[int, date] = {}
    for key, day in rows:
        if key not in latest or day > latest[key]:
            latest[key] = day
    return latest


def _counts(keys: Iterable[int]) -> dict[int, int]:
    counted: dict[int, int] = defaultdict(int)
    for key in keys:
        counted[key] += 1
    return counted


# --- the people a list names, and who holds their case ------------------------------------


def _age(born: date | None, on: date) -> int | None:
    if born is None or born > on:
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _disability(codes: list[str] | None) -> str:
    if not codes:
        return ""  # not recorded
    return NO if list(codes) == ["NONE"] else YES


def _people(ids: QuerySet[Any], end: date) -> dict[int, Row]:
    sexes = dict(Sex.choices)
    return {
        p["pk"]: {
            "child": p["pk"],
            "gender": sexes.get(p["sex"], ""),
            "ethnicity": p["ethnicity"],
            "dob": p["date_of_birth"],
            "age": _age(p["date_of_birth"], end),
            "disability": _disability(p["disabilities"]),
        }
        for p in Person.objects.filter(pk__in=ids).values(
            "pk", "sex", "ethnicity", "date_of_birth", "disabilities"
        )
    }


def _allocations(ids: QuerySet[Any], end: date) -> dict[int, Row]:
    """The allocation open on `end` for each child (the latest to start, if several)."""
    held: dict[int, Row] = {}
    for a in (
        Allocation.objects.filter(child__in=ids, start_date__lte=end)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=end))
        .order_by("start_date", "pk")
        .values("child_id", "team__name", "worker__first_name", "worker__last_name")
    ):
        worker = f"{a['worker__first_name']} {a['worker__last_name']}".strip()
        held[a["child_id"]] = {"team": a["team__name"], "worker": worker}
    return held


def _named(rows: list[Row], ids: QuerySet[Any], end: date, allocated: bool = True) -> list[Row]:
    """Each row with its child's details (and allocation) added, in child then date order."""
    people = _people(ids, end)
    held = _allocations(ids, end) if allocated else {}
    named = []
    for row in rows:
        person = people.get(row["child"])
        if person is None:  # not a person the caller may name
            continue
        named.append({**person, **held.get(row["child"], {}), **row})
    return named


# --- the lists ----------------------------------------------------------------------------


def list1_contacts(children: QuerySet[Person], p: Period) -> list[Row]:
    subjects = ContactSubject.objects.filter(
        role=SubjectRole.CHILD,
        person__in=children,
        contact__received_at__date__gte=p.six,
        contact__received_at__date__lte=p.end,
    )
    rows = [
        {"child": s["person_id"], "contact_date": s["day"], "contact_source": s["source"]}
        for s in subjects.order_by("person_id", "contact__received_at", "pk").values(
            "person_id",
            day=TruncDate("contact__received_at"),
            source=F("contact__referral_source"),
        )
    ]
    return _named(rows, subjects.values("person_id"), p.end, allocated=False)


def _episodes(children: QuerySet[Person], kind: str) -> QuerySet[Episode]:
    return Episode.objects.filter(kind=kind, child__in=children)


def list2_early_help(children: QuerySet[Person], p: Period) -> list[Row]:
    episodes = _episodes(children, EpisodeKind.EARLY_HELP).filter(
        _touches(p.six, p.end, "referral_date", "closure_date")
    )
    rows = [
        {
            "child": e["child_id"],
            "eh_start": e["referral_date"],
            "eh_end": _known(e["closure_date"], p.end),
            "eh_org": e["opened_by__agency__name"] or "",
        }
        for e in episodes.order_by("child_id", "referral_date", "pk").values(
            "child_id", "referral_date", "closure_date", "opened_by__agency__name"
        )
    ]
    return _named(rows, episodes.values("child_id"), p.end, allocated=False)


def list3_referrals(children: QuerySet[Person], p: Period) -> list[Row]:
    year = _episodes(children, EpisodeKind.CIN).filter(
        referral_date__gte=p.twelve, referral_date__lte=p.end
    )
    referrals = list(
        year.order_by("child_id", "referral_date", "pk").values(
            "child_id", "referral_date", "referral_source", "referral_nfa", "closure_date"
        )
    )
    per_child = _counts(r["child_id"] for r in referrals)
    rows = [
        {
            "child": r["child_id"],
            "referral_date": r["referral_date"],
            "referral_source": r["referral_source"],
            "referral_nfa": YES if r["referral_nfa"] and _known(r["closure_date"], p.end) else NO,
            "referrals_12m": per_child[r["child_id"]],
        }
        for r in referrals
        if r["referral_date"] >= p.six
    ]
    return _named(rows, year.filter(referral_date__gte=p.six).values("child_id"), p.end)


def list4_assessments(children: QuerySet[Person], p: Period) -> list[Row]:
    assessments = Assessment.objects.filter(
        episode__kind=EpisodeKind.CIN, episode__child__in=children
    ).filter(_touches(p.six, p.end, "start_date", "authorised_date"))
    rows = []
    for a in assessments.order_by("episode__child_id", "start_date", "pk").values(
        "episode__child_id",
        "start_date",
        "child_seen_date",
        "authorised_date",
        "episode__closure_date",
        "episode__closure_reason",
    ):
        authorised = _known(a["authorised_date"], p.end)
        closed_nfa = (
            _known(a["episode__closure_date"], p.end) is not None
            and a["episode__closure_reason"] in NFA_CLOSURES
        )
        rows.append(
            {
                "child": a["episode__child_id"],
                "assessment_start": a["start_date"],
                "child_seen": _yes_no(_known(a["child_seen_date"], p.end) is not None),
                "assessment_authorised": authorised,
                "needs_support": _yes_no(not closed_nfa) if authorised else "",
            }
        )
    return _named(rows, assessments.values("episode__child_id"), p.end)


def list5_section47(children: QuerySet[Person], p: Period) -> list[Row]:
    year = Section47.objects.filter(episode__child__in=children).filter(
        _touches(p.twelve, p.end, "start_date", "end_date")
    )
    enquiries = list(
        year.order_by("episode__child_id", "start_date", "pk").values(
            "pk", "episode__child_id", "start_date", "end_date", "outcome", "strategy__held_on"
        )
    )
    icpcs = list(
        Conference.objects.filter(
            kind=ConferenceKind.INITIAL,
            episode__child__in=children,
            held_on__gte=p.twelve,
            held_on__lte=p.end,
        ).values("episode__child_id", "section47_id", "held_on", "outcome")
    )
    icpc_of = {c["section47_id"]: c for c in icpcs if c["section47_id"]}
    s47s_12m = _counts(e["episode__child_id"] for e in enquiries if e["start_date"] >= p.twelve)
    icpcs_12m = _counts(c["episode__child_id"] for c in icpcs)
    rows = []
    for e in enquiries:
        ended_on = _known(e["end_date"], p.end)
        if ended_on is not None and ended_on < p.six:
            continue
        ended = ended_on is not None
        icpc = icpc_of.get(e["pk"])
        rows.append(
            {
                "child": e["episode__child_id"],
                "strategy_date": e["strategy__held_on"],
                "icpc_unnecessary": (
                    _yes_no(e["outcome"] == Section47Outcome.NO_ICPC) if ended or icpc else ""
                ),
                "icpc_date": icpc["held_on"] if icpc else None,
                "icpc_plan": _yes_no(icpc["outcome"] == ConferenceOutcome.PLAN) if icpc else "",
                "s47s_12m": s47s_12m[e["episode__child_id"]],
                "icpcs_12m": icpcs_12m[e["episode__child_id"]],
            }
        )
    return _named(rows, year.values("episode__child_id"), p.end)


def _in_care_on(children: QuerySet[Person], day: date) -> set[int]:
    return set(
        PeriodOfCare.objects.filter(child__in=children)
        .filter(_touches(day, day, "start_date", "end_date"))
        .exclude(end_date=day)
        .values_list("child_id", flat=True)
    )


def _on_plan_on(children: QuerySet[Person], day: date) -> set[int]:
    return set(
        CPPlan.objects.filter(child__in=children)
        .filter(_touches(day, day, "start_date", "end_date"))
        .exclude(end_date=day)
        .values_list("child_id", flat=True)
    )


def _last_visits(children: QuerySet[Person], end: date, kind: str | None = None) -> Any:
    visits = Visit.objects.filter(child__in=children, child_seen=True, visited_on__lte=end)
    if kind:
        visits = visits.filter(kind=kind)
    return visits.order_by("visited_on", "pk").values_list(
        "child_id", "visited_on", "child_seen_alone"
    )


def list6_children_in_need(
    children: QuerySet[Person], p: Period, care_leavers: set[int]
) -> list[Row]:
    episodes = (
        _episodes(children, EpisodeKind.CIN)
        .filter(_touches(p.six, p.end, "referral_date", "closure_date"))
        .exclude(Q(referral_nfa=True) & Q(closure_date__lte=p.end))
        .exclude(child__in=care_leavers)
    )
    seen = _latest((c, d) for c, d, _alone in _last_visits(children, p.end))
    in_care, on_plan = _in_care_on(children, p.end), _on_plan_on(children, p.end)
    rows = []
    for e in episodes.order_by("child_id", "referral_date", "pk").values(
        "child_id", "referral_date", "primary_need", "closure_date", "closure_reason"
    ):
        closed = _known(e["closure_date"], p.end)
        child = e["child_id"]
        rows.append(
            {
                "child": child,
                "cin_start": e["referral_date"],
                "primary_need": e["primary_need"],
                "last_seen": seen.get(child),
                "cin_closed": closed,
                "closure_reason": e["closure_reason"] if closed else "",
                "case_status": _case_status(child, closed, in_care, on_plan),
            }
        )
    return _named(rows, episodes.values("child_id"), p.end)


def _case_status(child: int, closed: date | None, in_care: set[int], on_plan: set[int]) -> str:
    if child in in_care:
        return "Looked after"
    if child in on_plan:
        return "Child protection plan"
    return "Closed" if closed else "Child in need"


def list7_child_protection(children: QuerySet[Person], p: Period) -> list[Row]:
    plans = CPPlan.objects.filter(child__in=children).filter(
        _touches(p.six, p.end, "start_date", "end_date")
    )
    visits: dict[int, list[tuple[date, bool]]] = defaultdict(list)
    for child, day, alone in _last_visits(children, p.end, VisitKind.CP):
        visits[child].append((day, alone))
    reviews: dict[int, date] = _latest(
        Conference.objects.filter(
            kind=ConferenceKind.REVIEW, plan__in=plans.values("pk"), held_on__lte=p.end
        ).values_list("plan_id", "held_on")
    )
    emergency = set(
        CareEpisode.objects.filter(period__child__in=children, legal_status__in=EMERGENCY)
        .filter(_touches(p.six, p.end, "start_date", "end_date"))
        .values_list("period__child_id", flat=True)
    )
    rows = []
    for plan in plans.order_by("child_id", "start_date", "pk").values():
        child, ended = plan["child_id"], _known(plan["end_date"], p.end)
        during = [
            v for v in visits[child] if v[0] >= plan["start_date"] and (not ended or v[0] <= ended)
        ]
        last = during[-1] if during else None
        rows.append(
            {
                "child": child,
                "cpp_start": plan["start_date"],
                "initial_category": plan["initial_category"],
                "latest_category": plan["latest_category"],
                "last_visit": last[0] if last else None,
                "seen_alone": _yes_no(last[1]) if last else "",
                "latest_review": reviews.get(plan["id"]),
                "cpp_end": ended,
                "epo": _yes_no(child in emergency),
                "previous_plans": plan["previous_plans"],
            }
        )
    return _named(rows, plans.values("child_id"), p.end)


def _placements(episodes: list[Row]) -> list[list[Row]]:
    """A period's 903 episodes grouped into placements: a change of legal status alone
    continues the placement it happened in."""
    placements: list[list[Row]] = []
    for e in episodes:
        if not placements or e["reason_new_episode"] in NEW_PLACEMENT:
            placements.append([e])
        else:
            placements[-1].append(e)
    return placements


def list8_children_in_care(children: QuerySet[Person], p: Period) -> list[Row]:
    periods = PeriodOfCare.objects.filter(child__in=children).filter(
        _touches(p.six, p.end, "start_date", "end_date")
    )
    in_scope = periods.values("pk")
    all_periods = list(
        PeriodOfCare.objects.filter(
            child__in=periods.values("child_id"), start_date__lte=p.end
        ).values_list("child_id", "start_date", "end_date")
    )
    episodes: dict[int, list[Row]] = defaultdict(list)
    for e in (
        CareEpisode.objects.filter(
            period__child__in=periods.values("child_id"), start_date__lte=p.end
        )
        .order_by("start_date", "pk")
        .values(
            "period__child_id",
            "period_id",
            "start_date",
            "end_date",
            "reason_new_episode",
            "legal_status",
            "placement_type",
            "provider",
            "placement_postcode",
            "urn",
        )
    ):
        episodes[e["period__child_id"]].append(dict(e))
    reviews = _latest(
        CareReview.objects.filter(period__in=in_scope, held_on__lte=p.end).values_list(
            "period_id", "held_on"
        )
    )
    iro = _latest(
        ReviewingOfficerContact.objects.filter(
            period__in=in_scope, contact_on__lte=p.end
        ).values_list("period_id", "contact_on")
    )
    health: dict[str, dict[int, date]] = {
        group: _latest(
            HealthCheck.objects.filter(
                period__in=in_scope, kind__in=kinds, held_on__lte=p.end
            ).values_list("period_id", "held_on")
        )
        for group, kinds in (("health", HEALTH_ASSESSMENTS), ("dental", [HealthCheckKind.DENTAL]))
    }
    plans = {
        pl["period_id"]: pl["content"]
        for pl in Plan.objects.filter(period__in=in_scope, kind=PlanKind.PERMANENCE).values(
            "period_id", "content"
        )
    }
    visited = _latest((c, d) for c, d, _a in _last_visits(children, p.end, VisitKind.CLA))
    missing = list(
        MissingEpisode.objects.filter(
            child__in=periods.values("child_id"), start_date__gte=p.twelve, start_date__lte=p.end
        )
        .order_by("start_date", "pk")
        .values("child_id", "kind", "return_interview_offered", "return_interview_accepted")
    )
    away = _counts(m["child_id"] for m in missing if m["kind"] == MissingKind.AWAY)
    gone = [m for m in missing if m["kind"] == MissingKind.MISSING]
    last_gone = {m["child_id"]: m for m in gone}
    gone_count = _counts(m["child_id"] for m in gone)
    rows = []
    for period in periods.order_by("child_id", "start_date", "pk").values(
        "id", "child_id", "start_date", "end_date", "reason_ceased", "episode__primary_need"
    ):
        child = period["child_id"]
        mine = [e for e in episodes[child] if e["period_id"] == period["id"]]
        earlier = [
            s
            for c, s, e in all_periods
            if c == child
            and s < period["start_date"]
            and e is not None
            and e >= months_before(period["start_date"], 12)
        ]
        last_missing = last_gone.get(child)
        rows.append(
            {
                "child": child,
                "care_start": period["start_date"],
                "need": period["episode__primary_need"],
                "second_period": _yes_no(bool(earlier)),
                **_legal(mine),
                "latest_review": reviews.get(period["id"]),
                "last_visit": visited.get(child),
                "permanence_plan": _first_line(plans.get(period["id"], "")),
                "last_iro": iro.get(period["id"]),
                "last_health": health["health"].get(period["id"]),
                "last_dental": health["dental"].get(period["id"]),
                "placements_12m": _placements_in(episodes[child], p),
                "care_end": _known(period["end_date"], p.end),
                "reason_ceased": period["reason_ceased"]
                if _known(period["end_date"], p.end)
                else "",
                **_latest_placement(mine),
                "missing_12m": gone_count[child],
                "absent_12m": away[child],
                "ri_offered": _yes_no(last_missing["return_interview_offered"])
                if last_missing
                else "",
                "ri_accepted": _yes_no(last_missing["return_interview_accepted"])
                if last_missing
                else "",
            }
        )
    return _named(rows, periods.values("child_id"), p.end)


def _legal(episodes: list[Row]) -> Row:
    if not episodes:
        return {}
    status = episodes[-1]["legal_status"]
    since = episodes[-1]["start_date"]
    for e in reversed(episodes):
        if e["legal_status"] != status:
            break
        since = e["start_date"]
    return {"legal_status": status, "legal_start": since}


def _latest_placement(episodes: list[Row]) -> Row:
    placements = _placements(episodes)
    if not placements:
        return {}
    first, last = placements[-1][0], placements[-1][-1]
    return {
        "placement_start": first["start_date"],
        "placement_type": last["placement_type"],
        "placement_provider": last["provider"],
        "placement_postcode": last["placement_postcode"],
        "placement_urn": last["urn"],
    }


def _placements_in(episodes: list[Row], p: Period) -> int:
    """Placements under way at some time in the 12 months, across every period of care."""
    count = 0
    for period in {e["period_id"] for e in episodes}:
        for placement in _placements([e for e in episodes if e["period_id"] == period]):
            ends = placement[-1]["end_date"]
            if ends is None or ends >= p.twelve:
                count += 1
    return count


def _first_line(text: str) -> str:
    line = next((t.strip() for t in text.splitlines() if t.strip()), "")
    return line if len(line) <= 200 else line[:199] + "…"


ACCOM_SUITABLE = {"1": "Suitable", "2": "Unsuitable"}


def list9_care_leavers(children: QuerySet[Person], p: Period) -> list[Row]:
    found = annex_a_list9(p.end)
    ids = children.filter(pk__in=[r.child for r in found]).values("pk")
    rows = [
        {
            "child": r.child,
            "category": r.category.label,
            "in_touch": r.in_touch,
            "accommodation": r.accommodation[:1] if len(r.accommodation) == 2 else r.accommodation,
            "suitable": ACCOM_SUITABLE.get(r.accommodation[1:], "")
            if len(r.accommodation) == 2
            else "",
            "activity": r.activity,
        }
        for r in sorted(found, key=lambda r: r.child)
    ]
    return _named(rows, ids, p.end)


def list10_adoption(children: QuerySet[Person], p: Period) -> list[Row]:
    in_year = Q(decided_on__gte=p.twelve) | Q(order_on__gte=p.twelve) | Q(reversed_on__gte=p.twelve)
    adoptions = Adoption.objects.filter(in_year, child__in=children, decided_on__lte=p.end)
    starts: dict[int, list[date]] = defaultdict(list)
    for child, start in PeriodOfCare.objects.filter(
        child__in=adoptions.values("child_id"), start_date__lte=p.end
    ).values_list("child_id", "start_date"):
        starts[child].append(start)
    ffa = _first(
        CareEpisode.objects.filter(
            period__child__in=adoptions.values("child_id"),
            placement_type__in=FOSTERING_FOR_ADOPTION,
            start_date__lte=p.end,
        ).values_list("period__child_id", "start_date")
    )
    rows = []
    for a in adoptions.order_by("child_id", "decided_on", "pk").values(
        "child_id",
        "adopters__reference",
        "decided_on",
        "placement_order_on",
        "matched_on",
        "placed_on",
        "order_on",
        "reversed_on",
        "reversal_reason",
    ):
        child = a["child_id"]
        before = [s for s in starts[child] if s <= a["decided_on"]]
        reversed_on = _known(a["reversed_on"], p.end)
        rows.append(
            {
                "child": child,
                "family": a["adopters__reference"] or "",
                "care_start": max(before) if before else None,
                "decided": a["decided_on"],
                "placement_order": _known(a["placement_order_on"], p.end),
                "matched": _known(a["matched_on"], p.end),
                "placed": _known(a["placed_on"], p.end),
                "order": _known(a["order_on"], p.end),
                "reversed": reversed_on,
                "reversal_reason": a["reversal_reason"] if reversed_on else "",
                "ffa": ffa.get(child),
            }
        )
    return _named(rows, adoptions.values("child_id"), p.end, allocated=False)


def _first(rows: Iterable[tuple[int, date]]) -> dict[int, date]:
    first: dict[int, date] = {}
    for key, day in rows:
        if key not in first or day < first[key]:
            first[key] = day
    return first


ADOPTER_SEX = {"M": "Male", "F": "Female"}


def list11_adopters(p: Period) -> list[Row]:
    adopters = list(
        Adopters.objects.filter(enquiry_on__lte=p.end)
        .order_by("reference", "pk")
        .values("pk", "reference", "sexes", "enquiry_on", "approved_on")
    )
    matches: dict[int, list[Row]] = defaultdict(list)
    for a in Adoption.objects.filter(adopters__isnull=False).values(
        "adopters_id", "matched_on", "placed_on", "order_on", "reversed_on"
    ):
        matches[a["adopters_id"]].append(
            {k: _known(a[k], p.end) for k in ("matched_on", "placed_on", "order_on", "reversed_on")}
        )
    rows = []
    for family in adopters:
        mine = matches[family["pk"]]
        if not _in_touch(dict(family), mine, p):
            continue
        placed = [m["placed_on"] for m in mine if m["placed_on"]]
        matched = [m["matched_on"] for m in mine if m["matched_on"]]
        orders = [m["order_on"] for m in mine if m["order_on"]]
        for n, sex in enumerate(
            family["sexes"][:1] if family["sexes"] in ("M1", "F1") else family["sexes"], 1
        ):
            rows.append(
                {
                    "adopter": f"{family['reference']}-{n}",
                    "family": family["reference"],
                    "gender": ADOPTER_SEX.get(sex, ""),
                    "enquiry": family["enquiry_on"],
                    "approved": _known(family["approved_on"], p.end),
                    "matched": min(matched) if matched else None,
                    "placed": min(placed) if placed else None,
                    "children": len(placed),
                    "order": max(orders) if orders else None,
                }
            )
    return rows


def _in_touch(family: Row, matches: list[Row], p: Period) -> bool:
    """In touch with the agency in the period: something happened in it, or they are still
    waiting (not yet approved, or approved with a child not yet adopted)."""
    events = [family["enquiry_on"], _known(family["approved_on"], p.end)] + [
        d for m in matches for d in m.values() if d
    ]
    if any(d and d >= p.twelve for d in events):
        return True
    return family["approved_on"] is None or not any(m["order_on"] for m in matches)


# --- the workbook -------------------------------------------------------------------------


@dataclass
class AnnexA:
    end: date
    rows: dict[int, list[Row]]
    withheld: tuple[int, ...]  # lists the producer's role may not see (left empty)

    @property
    def children(self) -> list[int]:
        return sorted({r["child"] for rows in self.rows.values() for r in rows if "child" in r})


def annex_a(children: QuerySet[Person], end: date, *, adoption: bool) -> AnnexA:
    """Every list's rows for the period ending `end`. `children` are the people the caller
    may name; `adoption` says whether lists 10 and 11 may be disclosed to them."""
    p = Period(end)
    care_leavers = list9_care_leavers(children, p)
    rows = {
        1: list1_contacts(children, p),
        2: list2_early_help(children, p),
        3: list3_referrals(children, p),
        4: list4_assessments(children, p),
        5: list5_section47(children, p),
        6: list6_children_in_need(children, p, {r["child"] for r in care_leavers}),
        7: list7_child_protection(children, p),
        8: list8_children_in_care(children, p),
        9: care_leavers,
        10: list10_adoption(children, p) if adoption else [],
        11: list11_adopters(p) if adoption else [],
    }
    return AnnexA(end, rows, () if adoption else (10, 11))


DATE_FORMAT = "dd/mm/yyyy"


def _cell(sheet: WriteOnlyWorksheet, value: Any, coding: Coding) -> Any:
    if coding is Coding.NOT_HELD or value is None or value == "":
        return None
    if coding is Coding.DATE:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = DATE_FORMAT
        return cell
    if coding in (Coding.AGE, Coding.COUNT):
        return int(value)
    return spreadsheet_cell(value)


def _sheet(book: Workbook, annex: AnnexList, rows: Iterable[Row]) -> None:
    sheet = book.create_sheet(annex.sheet)
    bold = Font(bold=True)
    header = []
    for title in annex.headers:
        cell = WriteOnlyCell(sheet, value=spreadsheet_cell(title))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(sheet, row.get(c.key), c.coding) for c in annex.columns])


def _about(book: Workbook, made: AnnexA) -> None:
    sheet = book.create_sheet("About")
    p = Period(made.end)
    sheet.append(["Ofsted ILACS Annex A, produced by SafeHub from live records"])
    sheet.append(["Last day", f"{made.end:%d/%m/%Y}"])
    for annex in LISTS:
        reach = f"from {p.start(annex.months):%d/%m/%Y}" if annex.months else "on the last day"
        note = (
            "Left empty: your role may not see adoption records."
            if annex.number in made.withheld
            else f"{len(made.rows[annex.number])} rows"
        )
        sheet.append([annex.sheet, annex.title, reach, note, annex.scope])


def write_workbook(out: IO[bytes], made: AnnexA) -> None:
    """The workbook, one sheet a list in Ofsted's order then an About sheet, written in
    openpyxl's write-only mode (rows streamed, never a whole sheet held as cells)."""
    book = Workbook(write_only=True)
    for annex in LISTS:
        _sheet(book, annex, made.rows[annex.number])
    _about(book, made)
    book.save(out)


def sheet_rows(made: AnnexA, number: int) -> Iterator[list[Any]]:
    """A list's rows as the values its columns hold (for tests and the command's summary)."""
    annex = list_numbered(number)
    for row in made.rows[number]:
        yield [row.get(c.key) for c in annex.columns]
