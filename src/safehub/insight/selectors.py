"""Reads the dashboard, drill-downs, exports and report pages share. The dashboard reads the
monthly figures a job stored (one query); a drill-down reads the items the job stored with
its figure's month (worked out afresh only for a month never stored) and lists the children
behind it as the policy says (`figure_listing`), one audit row naming every child it
showed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Max

from safehub.access.policy import FigureListing, figure_listing
from safehub.audit.services import audit_list
from safehub.core.paging import page_number
from safehub.core.replica import report_reads
from safehub.insight import figures as f
from safehub.insight.comparators import Comparator, charted, comparators_for, missing_areas
from safehub.insight.gate import must_see_performance
from safehub.insight.models import Commentary, FigureItem, Job, JobKind, MonthlyFigure
from safehub.organisations.models import User
from safehub.people.models import Person

PAGE_SIZE = 50


@dataclass
class Point:
    month: date
    numerator: int
    denominator: int | None
    value: float | None


@dataclass
class Series:
    figure: f.Figure
    points: list[Point]
    comparators: list[Comparator]

    @property
    def charted(self) -> Comparator | None:
        """The published figure the chart draws beside the council's line, if any."""
        return charted(self.figure.code, self.figure.kind)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def year_before(self) -> Point | None:
        return self.points[-13] if len(self.points) >= 13 else None


@dataclass
class Dashboard:
    sections: list[tuple[str, list[Series]]]
    computed_at: Any
    as_of: date | None
    missing_comparators: list[str]


@report_reads()
def dashboard(*, actor: User) -> Dashboard:
    """Every figure's stored months, oldest first, grouped by section."""
    must_see_performance(actor)
    by_code: dict[str, list[Point]] = {code: [] for code in f.FIGURES}
    computed_at, as_of = None, None
    rows = MonthlyFigure.objects.order_by("code", "month").values_list(
        "code", "month", "numerator", "denominator", "computed_at", "as_of"
    )
    for code, month, numerator, denominator, at, on in rows:
        if code not in by_code:
            continue
        value = f.value(f.FIGURES[code], numerator, denominator)
        by_code[code].append(Point(month, numerator, denominator, value))
        computed_at, as_of = at, on
    sections = [
        (
            section,
            [
                Series(figure, by_code[code], comparators_for(code))
                for code, figure in f.FIGURES.items()
                if figure.section == section
            ],
        )
        for section in f.SECTIONS
    ]
    return Dashboard(sections, computed_at, as_of, missing_areas())


CSV_HEADER = ["Section", "Figure", "Month", "Count", "Out of", "Value", "England", "England period"]


def dashboard_csv_rows(*, actor: User) -> list[list[Any]]:
    board = dashboard(actor=actor)
    rows = []
    for section, series in board.sections:
        for s in series:
            england = s.comparators[0] if s.comparators else None
            for p in s.points:
                rows.append(
                    [
                        section,
                        s.figure.label,
                        f"{p.month:%Y-%m}",
                        p.numerator,
                        p.denominator if s.figure.kind != f.COUNT else "",
                        "" if p.value is None else p.value,
                        england.value if england else "",
                        england.period if england else "",
                    ]
                )
    return rows


@dataclass
class Listed:
    item: f.Item
    listing: FigureListing
    person: Person | None


@dataclass
class Drill:
    figure: f.Figure
    month: date
    numerator: int
    denominator: int | None
    value: float | None
    rows: list[Listed]
    counted_only: int  # children on this page the reader may not see
    no_record: int  # items on this page not linked to a child's record
    page: int
    pages: int
    total: int
    met: bool | None
    worked_out_on: date | None  # when the stored figures were worked out; None if just now
    shown_ids: list[int] = field(default_factory=list)


@dataclass
class _MonthList:
    """A figure's month as a drill-down reads it: the stored row and its items where the
    figures job kept them, else worked out afresh (`stored` None)."""

    figure: f.Figure
    numerator: int
    denominator: int | None
    stored: MonthlyFigure | None
    live: list[f.Item]

    def total(self, met: bool | None) -> int:
        if self.stored is None:
            return sum(1 for i in self.live if met is None or i.met is met)
        count = self.stored.item_count or 0
        return count if met is None else self.numerator if met else count - self.numerator

    def items(self, met: bool | None, start: int = 0, stop: int | None = None) -> list[f.Item]:
        """The items from `start` to `stop` in listing order (of those with `met`, if given)."""
        if self.stored is None:
            chosen = [i for i in self.live if met is None or i.met is met]
            return chosen[start:stop]
        rows = FigureItem.objects.filter(figure=self.stored)
        if met is None:
            # Positions are the listing order, so a page is a range of them; naming both
            # values of met lets the one index answer it as two short ranges.
            rows = rows.filter(met__in=[False, True], position__gte=start)
            if stop is not None:
                rows = rows.filter(position__lt=stop)
            rows = rows.order_by("position")
        else:
            rows = rows.filter(met=met).order_by("position")[start:stop]
        return [f.Item(c, m, fact, on) for c, m, fact, on in rows.values_list(*_ITEM)]


_ITEM = ("child_id", "met", "fact", "on")


def _month_list(code: str, month: date) -> _MonthList:
    """The stored figure and its items when the job has worked the month out; otherwise
    (a month never worked out, or stored before items were kept) the figure worked out
    from the records now, as the page says."""
    figure = f.FIGURES[code]
    stored = MonthlyFigure.objects.filter(code=code, month=month, item_count__isnull=False).first()
    if stored is not None:
        return _MonthList(figure, stored.numerator, stored.denominator, stored, [])
    computed = figure.compute([month])[month]
    live = f.in_listing_order(computed.items)
    return _MonthList(figure, computed.numerator, computed.denominator, None, live)


@report_reads()
def figure_drill(
    *, actor: User, code: str, month: date, met: bool | None = None, page: Any = 1
) -> Drill:
    """One figure's month: its value, and a page of the items behind it (only those that met
    the measure, or only those that did not, if asked), each child listed as the policy
    says; one audit row naming every child the page showed. Read from what the figures job
    stored, so the list is the one behind the number on the dashboard (ADR 0054)."""
    must_see_performance(actor)
    listed = _month_list(code, month)
    total = listed.total(met)
    pages = max(1, -(-total // PAGE_SIZE))
    number = page_number(page, pages=pages)
    chunk = listed.items(met, (number - 1) * PAGE_SIZE, number * PAGE_SIZE)
    rows, shown = _listed(actor, chunk)
    audit_list(
        actor=actor,
        listed=f"insight.figure.{code}",
        person_ids=shown,
        detail={"month": f"{month:%Y-%m}", "page": number, "met": met},
    )
    return Drill(
        figure=listed.figure,
        month=month,
        numerator=listed.numerator,
        denominator=listed.denominator,
        value=f.value(listed.figure, listed.numerator, listed.denominator),
        rows=[r for r in rows if r.listing is not FigureListing.COUNTED],
        counted_only=sum(1 for r in rows if r.listing is FigureListing.COUNTED and r.person),
        no_record=sum(1 for r in rows if r.person is None),
        page=number,
        pages=pages,
        total=total,
        met=met,
        worked_out_on=listed.stored.as_of if listed.stored else None,
        shown_ids=shown,
    )


def _listed(actor: User, items: list[f.Item]) -> tuple[list[Listed], list[int]]:
    ids = {i.child_id for i in items if i.child_id}
    people = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    listing = figure_listing(actor, people.values())
    rows = []
    for item in items:
        person = people.get(item.child_id) if item.child_id else None
        how = listing.get(person.pk, FigureListing.COUNTED) if person else FigureListing.COUNTED
        rows.append(Listed(item, how, person))
    shown = sorted(
        {r.person.pk for r in rows if r.person and r.listing is not FigureListing.COUNTED}
    )
    return rows, shown


FIGURE_CSV_HEADER = ["SafeHub ID", "Name", "Date of birth", "Date", "What", "Met the measure"]


@report_reads()
def figure_csv_rows(*, actor: User, code: str, month: date) -> tuple[f.Figure, list[list[Any]]]:
    """Every item behind a figure's month for the export: named children with their names,
    an analyst's by SafeHub ID only; those the reader may not see are left out and counted
    in a closing line. One audit row (an export) names every child written."""
    must_see_performance(actor)
    listed = _month_list(code, month)
    figure = listed.figure
    rows, shown = _listed(actor, listed.items(None))
    out: list[list[Any]] = []
    for r in rows:
        if r.person is None or r.listing is FigureListing.COUNTED:
            continue
        named = r.listing is FigureListing.NAMED
        out.append(
            [
                r.person.pk,
                r.person.full_name if named else "",
                r.person.date_of_birth or "" if named else "",
                r.item.on,
                r.item.fact,
                "Yes" if r.item.met else "No",
            ]
        )
    left_out = sum(1 for r in rows if r.person is None or r.listing is FigureListing.COUNTED)
    if left_out:
        out.append(["", f"{left_out} more not listed: not on a record you may see", "", "", "", ""])
    audit_list(
        actor=actor,
        listed=f"insight.figure_export.{code}",
        person_ids=shown,
        detail={"month": f"{month:%Y-%m}", "export": True},
    )
    return figure, out


def recent_jobs(*, actor: User, kind: str, limit: int = 5) -> list[Job]:
    must_see_performance(actor)
    return list(
        Job.objects.filter(kind=kind)
        .select_related("requested_by")
        .defer("file_content")
        .order_by("-created_at", "-pk")[:limit]
    )


def figures_as_of() -> date | None:
    return MonthlyFigure.objects.aggregate(latest=Max("as_of"))["latest"]


def commentary_for(*, actor: User, quarter: date) -> Commentary | None:
    must_see_performance(actor)
    return Commentary.objects.filter(quarter_start=quarter).select_related("updated_by").first()


def report_jobs(*, actor: User) -> list[Job]:
    return recent_jobs(actor=actor, kind=JobKind.COMMITTEE_REPORT)
