"""Use and effect of the neglect profile, for the partnership's committees: for a period, by
agency and team, who is trained and who uses the tool, how many profiles per 100 children on
a child protection plan for neglect, how long before a repeat profile, how scores moved, and
whether children whose scores improved then had their plan stepped down or closed.

A fixed handful of queries whatever the size of the county (training, profiles, neglect
plans, allocations, teams), then arithmetic in Python. Figures count every child; which
children a reader sees named is the policy's decision (`figure_children`)."""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from safehub.access.policy import visible_persons
from safehub.audit.services import audit_list
from safehub.casework.codes import CategoryOfAbuse
from safehub.casework.models import Allocation, CPPlan
from safehub.neglect.models import NeglectProfile, ProfileStatus, TrainingRecord
from safehub.organisations.models import AgencyKind, Team, User
from safehub.people.models import Person

# The figures a reader can drill into, each a set of children.
FIGURES = {
    "neglect_plans": "Children on a child protection plan for neglect",
    "profiled": "Children with a profile completed in the period",
    "repeat": "Children whose repeat profile was completed in the period",
    "improved": "Children whose overall grade improved from their first profile",
    "stepped_down": "Children whose grade improved and whose plan then ended",
}


@dataclass
class UseRow:
    """One team's figures (or an agency's, or everyone's, when `team` is None)."""

    label: str
    agency: str
    team_id: int | None = None
    agency_id: int | None = None
    trained: set[int] = field(default_factory=set)
    profiling: set[int] = field(default_factory=set)  # trained practitioners who completed one
    profiles: int = 0
    children: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    repeat_days: list[int] = field(default_factory=list)
    movements: list[int] = field(default_factory=list)  # latest minus first overall grade

    @property
    def per_100(self) -> float | None:
        plans = len(self.children["neglect_plans"])
        return round(100 * self.profiles / plans, 1) if plans else None

    @property
    def share_profiling(self) -> float | None:
        return round(100 * len(self.profiling) / len(self.trained)) if self.trained else None

    @property
    def median_repeat_days(self) -> float | None:
        return statistics.median(self.repeat_days) if self.repeat_days else None

    @property
    def mean_movement(self) -> float | None:
        return round(statistics.mean(self.movements), 2) if self.movements else None

    @property
    def improved(self) -> int:
        return len(self.children["improved"])

    @property
    def share_stepped_down(self) -> float | None:
        improved = len(self.children["improved"])
        return round(100 * len(self.children["stepped_down"]) / improved) if improved else None

    def add(self, other: UseRow) -> None:
        self.trained |= other.trained
        self.profiling |= other.profiling
        self.profiles += other.profiles
        for key, ids in other.children.items():
            self.children[key] |= ids
        self.repeat_days += other.repeat_days
        self.movements += other.movements


@dataclass
class UseReport:
    start: date
    end: date
    agencies: list[tuple[UseRow, list[UseRow]]]  # each agency's total, then its teams
    total: UseRow
    # Each kind of agency's total (schools, GP practices, the council...): what a committee
    # compares first, and a chart it can read when a county has hundreds of teams.
    sectors: list[UseRow] = field(default_factory=list)

    def agency(self, agency_id: int) -> tuple[UseRow, list[UseRow]] | None:
        return next((a for a in self.agencies if a[0].agency_id == agency_id), None)


def _overlaps(start: date, end: date, begin: str, finish: str) -> Q:
    return Q(**{f"{begin}__lte": end}) & (
        Q(**{f"{finish}__isnull": True}) | Q(**{f"{finish}__gte": start})
    )


def _neglect_plan_rows(start: date, end: date) -> QuerySet[CPPlan]:
    neglect = Q(initial_category=CategoryOfAbuse.NEG) | Q(latest_category=CategoryOfAbuse.NEG)
    return CPPlan.objects.filter(neglect, _overlaps(start, end, "start_date", "end_date"))


def _neglect_plans(start: date, end: date) -> dict[int, list[date | None]]:
    """Each child on a plan for neglect during the period, with the end of each such plan
    (None while it runs). Rows, not model instances: a large council has thousands."""
    plans: dict[int, list[date | None]] = defaultdict(list)
    for child_id, ended in _neglect_plan_rows(start, end).values_list("child_id", "end_date"):
        plans[child_id].append(ended)
    return plans


def _allocated_teams(start: date, end: date) -> dict[int, set[int]]:
    """The teams the children on a neglect plan were allocated to during the period; the
    children chosen by the database, not sent to it as a list of thousands of ids."""
    teams: dict[int, set[int]] = defaultdict(set)
    rows = Allocation.objects.filter(
        _overlaps(start, end, "start_date", "end_date"),
        child_id__in=_neglect_plan_rows(start, end).values("child_id"),
    ).values_list("child_id", "team_id")
    for child_id, team_id in rows:
        teams[child_id].add(team_id)
    return teams


def use_and_effect(*, start: date, end: date) -> UseReport:
    """The figures for profiles completed from `start` to `end` inclusive."""
    teams = list(
        Team.objects.values_list("pk", "name", "agency__name", "agency_id", "agency__kind")
    )
    rows: dict[int, UseRow] = {
        pk: UseRow(label=name, agency=agency, team_id=pk, agency_id=agency_id)
        for pk, name, agency, agency_id, _ in teams
    }
    kinds = {agency_id: kind for _, _, _, agency_id, kind in teams}
    user_team = dict(User.objects.filter(team__isnull=False).values_list("pk", "team_id"))

    trained = TrainingRecord.objects.filter(completed_on__lte=end, expires_on__gte=start)
    for practitioner_id in trained.values_list("practitioner_id", flat=True).distinct():
        team_id = user_team.get(practitioner_id)
        if team_id in rows:
            rows[team_id].trained.add(practitioner_id)

    completed = NeglectProfile.objects.filter(
        status__in=[ProfileStatus.COMPLETED, ProfileStatus.SIGNED_OFF], completed_on__lte=end
    )
    # A child adds to the period's figures only through a profile completed in it (a first,
    # a repeat or a latest); their earlier profiles come too, for the movement since.
    in_period = completed.filter(completed_on__gte=start).values("child_id")
    done = (
        completed.filter(child_id__in=in_period)
        .order_by("child_id", "completed_on", "pk")
        .values_list("child_id", "completed_by_id", "completed_on", "overall_score")
    )
    by_child: dict[int, list[tuple[int, date, int]]] = defaultdict(list)
    for child_id, by, on, score in done:
        if by is not None and on is not None and score is not None:  # always, once completed
            by_child[child_id].append((by, on, score))

    plans = _neglect_plans(start, end)
    for child_id, team_ids in _allocated_teams(start, end).items():
        for team_id in team_ids:
            rows[team_id].children["neglect_plans"].add(child_id)

    for child_id, history in by_child.items():
        _child_figures(child_id, history, start, end, rows, user_team, plans.get(child_id, []))

    total = UseRow(label="All agencies", agency="")
    total.children["neglect_plans"] |= set(plans)
    agencies: dict[int | None, tuple[UseRow, list[UseRow]]] = {}
    for row in sorted(rows.values(), key=lambda r: (r.agency, r.label)):
        if not (row.trained or row.profiles or any(row.children.values())):
            continue
        agency_row, team_rows = agencies.setdefault(
            row.agency_id,
            (UseRow(label=row.agency, agency=row.agency, agency_id=row.agency_id), []),
        )
        agency_row.add(row)
        team_rows.append(row)
        total.add(row)
    total.children["neglect_plans"] = set(plans)
    return UseReport(
        start=start,
        end=end,
        agencies=list(agencies.values()),
        total=total,
        sectors=_sectors([a for a, _ in agencies.values()], kinds),
    )


def _sectors(agency_rows: list[UseRow], kinds: dict[int, str]) -> list[UseRow]:
    found: dict[str, UseRow] = {}
    for row in agency_rows:
        kind = AgencyKind(kinds[row.agency_id]) if row.agency_id in kinds else AgencyKind.OTHER
        sector = found.setdefault(kind, UseRow(label=kind.label, agency=kind.label))
        sector.add(row)
    return sorted(found.values(), key=lambda r: r.label)


def _child_figures(
    child_id: int,
    history: list[tuple[int, date, int]],
    start: date,
    end: date,
    rows: dict[int, UseRow],
    user_team: dict[int, int],
    plan_ends: list[date | None],
) -> None:
    """One child's profiles (oldest first, up to the period's end) counted on the team of
    the practitioner who completed each."""
    for by, on, _ in history:
        row = rows.get(user_team.get(by, 0))
        if start <= on and row is not None:
            row.profiles += 1
            row.children["profiled"].add(child_id)
            if by in row.trained:
                row.profiling.add(by)
    if len(history) < 2:
        return
    (_, first_on, first_score), (second_by, second_on, _) = history[0], history[1]
    second_row = rows.get(user_team.get(second_by, 0))
    if second_row is not None and start <= second_on:
        second_row.repeat_days.append((second_on - first_on).days)
        second_row.children["repeat"].add(child_id)
    latest_by, latest_on, latest_score = history[-1]
    latest_row = rows.get(user_team.get(latest_by, 0))
    if latest_row is None or latest_on < start:
        return
    latest_row.movements.append(latest_score - first_score)
    if latest_score < first_score:
        latest_row.children["improved"].add(child_id)
        if any(ended and latest_on <= ended <= end for ended in plan_ends):
            latest_row.children["stepped_down"].add(child_id)


@dataclass
class FigureChildren:
    named: list[Person]
    hidden: int


def figure_children(*, actor: Any, child_ids: set[int], listed: str) -> FigureChildren:
    """The children behind a figure: by name those the policy lets `actor` see (one audit
    row naming them all), the rest only counted."""
    # The policy's decision as a filter (`visible_persons`: `decide` in the database), so
    # only those the reader may see are read: an analyst is named none of thousands, a team
    # manager their own few.
    children = Person.objects.filter(pk__in_ids=child_ids)
    named = list(visible_persons(actor, children).order_by("family_name", "given_name"))
    audit_list(
        actor=actor,
        listed=listed,
        person_ids=[p.pk for p in named],
        detail={"hidden": len(child_ids) - len(named)},
    )
    return FigureChildren(named=named, hidden=len(child_ids) - len(named))


def report_row(
    report: UseReport, team_id: int | None, agency_id: int | None = None
) -> UseRow | None:
    """The team's row, else the agency's, or everyone's when neither is given."""
    if team_id is None and agency_id is not None:
        found = report.agency(agency_id)
        return found[0] if found else None
    if team_id is None:
        return report.total
    for _, team_rows in report.agencies:
        for row in team_rows:
            if row.team_id == team_id:
                return row
    return None


CSV_HEADER = [
    "Agency",
    "Team",
    "Practitioners trained",
    "Trained practitioners who completed a profile",
    "Profiles completed",
    "Children on a neglect plan",
    "Profiles per 100 children on a neglect plan",
    "Median days from first to repeat profile",
    "Children with a first and a later profile",
    "Mean movement in overall grade (negative is better)",
    "Children whose grade improved",
    "Of those, % whose plan then ended",
]


def csv_rows(report: UseReport) -> list[list[Any]]:
    def line(agency: str, team: str, r: UseRow) -> list[Any]:
        return [
            agency,
            team,
            len(r.trained),
            len(r.profiling),
            r.profiles,
            len(r.children["neglect_plans"]),
            r.per_100,
            r.median_repeat_days,
            len(r.movements),
            r.mean_movement,
            r.improved,
            r.share_stepped_down,
        ]

    out = [CSV_HEADER]
    for agency_row, team_rows in report.agencies:
        out.append(line(agency_row.label, "All teams", agency_row))
        out += [line(agency_row.label, r.label, r) for r in team_rows]
    out.append(line("All agencies", "", report.total))
    return out


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A cell a spreadsheet shows as text: one that could start a formula is prefixed with
    an apostrophe (numbers are written as they are)."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
