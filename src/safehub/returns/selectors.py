"""What the returns pages and commands read: the CIN census produced from live records for a
census year or any period, and a census file validated. Both are decided by the access
policy (`can_produce_returns`, `statutory_return_persons`) and audited: the census as one
export row naming every child in it, a validation as one row naming the file."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.db.models import Count as DbCount
from django.db.models import Q, QuerySet

from safehub.access.policy import (
    FigureListing,
    can_manage_cases,
    can_produce_returns,
    figure_listing,
    statutory_return_includes_adoption,
    statutory_return_persons,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_list, audit_record
from safehub.casework.sections import MyWorkRead
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.core.paging import page_number
from safehub.core.replica import report_reads
from safehub.core.statements import fixed_read
from safehub.insight.gate import must_see_performance
from safehub.insight.models import Job, JobKind
from safehub.organisations.models import Team, User, team_label
from safehub.people.models import Person
from safehub.returns.annexa.export import AnnexA, annex_a, write_workbook
from safehub.returns.cin.export import census_children, census_header
from safehub.returns.cin.rules import CIN_RULES
from safehub.returns.cin.spec import YEARS, CensusYear, year_named
from safehub.returns.cin.validate import validate_cin
from safehub.returns.cin.words import plain_detail
from safehub.returns.cin.writer import write_census
from safehub.returns.models import RunStatus, ValidationIssue, ValidationRun
from safehub.returns.report import Report
from safehub.returns.ssda903 import spec as s903
from safehub.returns.ssda903.export import produce_903
from safehub.returns.ssda903.validate import validate_903_zip
from safehub.returns.ssda903.writer import write_zip


@dataclass(frozen=True)
class CensusMade:
    census: CensusYear
    start: date
    end: date
    children: int

    @property
    def filename(self) -> str:
        return f"cin-census-{self.census.name}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.xml"


def census_year_for(day: date) -> CensusYear:
    """The census year `day` falls in, or the nearest SafeHub knows."""
    for census in YEARS.values():
        if census.start <= day <= census.end:
            return census
    ordered = sorted(YEARS.values(), key=lambda y: y.start)
    return ordered[0] if day < ordered[0].start else ordered[-1]


def period_problem(census: CensusYear, start: date, end: date) -> str:
    """Why a period cannot be a census file, in plain English ("" if it can)."""
    if end < start:
        return "The end of the period must be on or after its start"
    if not census.start <= end <= census.end:
        return (
            f"The period must end within the {census.name} census year "
            f"({census.start:%-d %B %Y} to {census.end:%-d %B %Y})"
        )
    return ""


def cin_census_write(
    *,
    actor: User,
    out: IO[bytes],
    year: str,
    now: datetime,
    start: date | None = None,
    end: date | None = None,
) -> CensusMade:
    """Write the CIN census of `year` (or of the period `start` to `end` within it, whose
    ReferenceDate is then `end`) to `out`, and audit it as an export naming every child."""
    if not can_produce_returns(actor):
        raise PermissionDeniedError("Only the returns team produces the CIN census.")
    census = year_named(year)
    start, end = start or census.start, end or census.end
    problem = period_problem(census, start, end)
    if problem:
        raise ValueError(problem)
    children = statutory_return_persons(actor, Person.objects.all())
    named: list[int] = []

    def counted() -> object:
        for child in census_children(children, start, end):
            named.append(int(child["ChildIdentifiers"]["LAchildID"]))
            yield child

    with report_reads():
        write_census(out, census_header(census, end, now), counted())  # type: ignore[arg-type]
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        subject_ids=named,
        object_type="returns.cin_census",
        object_id=census.name,
        detail={"start": start.isoformat(), "end": end.isoformat(), "children": len(named)},
    )
    return CensusMade(census, start, end, len(named))


def cin_file_validate(*, actor: User, filename: str, content: bytes) -> Report:
    """Validate a CIN census file someone uploaded (SafeHub's own or another system's). The
    file is read, never kept; the audit row says who checked which file and what it held."""
    if not can_produce_returns(actor):
        raise PermissionDeniedError("Only the returns team validates census files.")
    report = validate_cin(content, filename=filename)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="returns.cin_file",
        object_id=filename[:60],
        detail={
            "year": report.year,
            "children": report.children,
            "errors": report.errors,
            "queries": report.queries,
            "unreadable": bool(report.unreadable),
        },
    )
    return report


# --- SSDA903 -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Made903:
    year: s903.CollectionYear
    start: date
    end: date
    children: int

    @property
    def filename(self) -> str:
        return f"ssda903-{self.year.name}-{self.start:%Y%m%d}-{self.end:%Y%m%d}.zip"


def collection_year_for(day: date) -> s903.CollectionYear:
    """The 903 collection year `day` falls in, or the nearest SafeHub knows."""
    ordered = sorted(s903.YEARS.values(), key=lambda y: y.start)
    for year in ordered:
        if year.start <= day <= year.end:
            return year
    return ordered[0] if day < ordered[0].start else ordered[-1]


def s903_period_problem(year: s903.CollectionYear, start: date, end: date) -> str:
    """Why a period cannot be a 903, in plain English ("" if it can)."""
    if end < start:
        return "The end of the period must be on or after its start"
    if not (year.start <= start and end <= year.end):
        return (
            f"The period must be within the {year.name} collection year "
            f"({year.start:%-d %B %Y} to {year.end:%-d %B %Y})"
        )
    return ""


def s903_write(
    *, actor: User, out: IO[bytes], year: str, start: date | None = None, end: date | None = None
) -> Made903:
    """Write the 903 files of `year` (or of the period `start` to `end` within it) to `out`
    as a zip of CSVs, and audit it as an export naming every child in them."""
    if not can_produce_returns(actor):
        raise PermissionDeniedError("Only the returns team produces the SSDA903.")
    collection = s903.year_named(year)
    start, end = start or collection.start, end or collection.end
    problem = s903_period_problem(collection, start, end)
    if problem:
        raise ValueError(problem)
    with report_reads():
        files = produce_903(
            statutory_return_persons(actor, Person.objects.all()), collection, start, end
        )
    write_zip(out, files, collection.name)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        subject_ids=files.children,
        object_type="returns.ssda903",
        object_id=collection.name,
        detail={
            "start": start.isoformat(),
            "end": end.isoformat(),
            "children": len(files.children),
        },
    )
    return Made903(collection, start, end, len(files.children))


def s903_files_validate(*, actor: User, filename: str, content: bytes, year: str) -> Report:
    """Validate a zip of 903 CSV files someone uploaded; read, never kept, and audited."""
    if not can_produce_returns(actor):
        raise PermissionDeniedError("Only the returns team validates 903 files.")
    report = validate_903_zip(content, filename=filename, year=year)
    audit_record(
        actor=actor,
        action=AuditAction.VIEW,
        object_type="returns.ssda903_files",
        object_id=filename[:60],
        detail={
            "year": report.year,
            "children": report.children,
            "errors": report.errors,
            "queries": report.queries,
            "unreadable": bool(report.unreadable),
        },
    )
    return report


def annex_a_write(*, actor: User, out: IO[bytes], end: date) -> AnnexA:
    """Write Ofsted's Annex A workbook for the period ending `end` to `out`, and audit it
    as one export naming every child in it. The adoption lists are filled only for a role
    the policy lets read adoption records."""
    if not can_produce_returns(actor):
        raise PermissionDeniedError("Only the returns team produces Annex A.")
    children = statutory_return_persons(actor, Person.objects.all())
    with report_reads():
        made = annex_a(children, end, adoption=statutory_return_includes_adoption(actor))
    write_workbook(out, made)
    audit_record(
        actor=actor,
        action=AuditAction.EXPORT,
        subject_ids=made.children,
        object_type="returns.annex_a",
        object_id=end.isoformat(),
        detail={
            "end": end.isoformat(),
            "rows": {str(n): len(rows) for n, rows in made.rows.items()},
            "withheld": list(made.withheld),
        },
    )
    return made


# --- The census check of the live records (ADR 0043) -------------------------------------

PERSON_TABLES = {"ChildIdentifiers", "Disabilities"}  # fixed on the person's record
TREND_RUNS = 30
DRILL_PAGE_SIZE = 50


def rule_text(code: str) -> str:
    """A rule in plain English, as the registry words it."""
    rule = CIN_RULES.rules.get(code)
    return rule.message if rule else "The census file does not match the DfE's format."


def fix_route(code: str) -> str:
    """The page where a finding of `code` is put right: the person's record for their
    identifiers and disability, the casework page for everything about the episode."""
    rule = CIN_RULES.rules.get(code)
    return (
        "people:person-edit" if rule and rule.table in PERSON_TABLES else "casework:child-casework"
    )


@dataclass(frozen=True)
class Count:
    key: str  # what the drill-down link names: a rule code, a team or worker id, "mash"
    label: str
    count: int


@dataclass
class Overview:
    latest: ValidationRun | None
    running: ValidationRun | None
    trend: list[ValidationRun]  # finished runs, oldest first
    by_rule: list[Count]
    by_team: list[Count]
    by_worker: list[Count]
    jobs: list[Job]

    @property
    def trend_top(self) -> int:
        return max([r.open_total for r in self.trend] + [1])


@report_reads()
def validation_overview(*, actor: User) -> Overview:
    """Open issues by rule, team and worker, and the open total over the last runs: counts
    only, so no child is named (the drill-down names them as the policy says)."""
    must_see_performance(actor)
    open_issues = ValidationIssue.objects.filter(resolved_at__isnull=True)
    by_rule = [
        Count(r["rule"], f"{r['rule']}: {rule_text(r['rule'])}", r["n"])
        for r in open_issues.values("rule").annotate(n=DbCount("pk")).order_by("-n", "rule")
    ]
    by_team = [
        Count(
            str(r["owner_team"]) if r["owner_team"] else "mash",
            team_label(r["owner_team__name"], r["owner_team__agency__name"])
            if r["owner_team"]
            else "MASH (no team or worker)",
            r["n"],
        )
        for r in open_issues.filter(child__isnull=False)
        .values("owner_team", "owner_team__name", "owner_team__agency__name")
        .annotate(n=DbCount("pk"))
        .order_by("-n", "owner_team__name")
    ]
    by_worker = [
        Count(
            str(r["owner_worker"]),
            f"{r['owner_worker__first_name']} {r['owner_worker__last_name']}",
            r["n"],
        )
        for r in open_issues.filter(owner_worker__isnull=False)
        .values("owner_worker", "owner_worker__first_name", "owner_worker__last_name")
        .annotate(n=DbCount("pk"))
        .order_by("-n", "owner_worker__last_name")
    ]
    finished = ValidationRun.objects.filter(status=RunStatus.DONE).order_by("-started_at", "-pk")
    trend = list(reversed(finished[:TREND_RUNS]))
    return Overview(
        latest=trend[-1] if trend else None,
        running=ValidationRun.objects.filter(status=RunStatus.RUNNING).first(),
        trend=trend,
        by_rule=by_rule,
        by_team=by_team,
        by_worker=by_worker,
        jobs=list(
            Job.objects.filter(kind=JobKind.CIN_VALIDATION)
            .select_related("requested_by")
            .defer("file_content")
            .order_by("-created_at", "-pk")[:5]
        ),
    )


@dataclass(frozen=True)
class IssueRow:
    issue: ValidationIssue
    listing: FigureListing

    @property
    def text(self) -> str:
        return rule_text(self.issue.rule)


@dataclass
class IssueDrill:
    title: str
    rows: list[IssueRow]
    counted_only: int
    whole_return: list[ValidationIssue]  # findings about the return, not one child
    page: int
    pages: int
    total: int


@report_reads()
def validation_drill(*, actor: User, by: str, key: str, page: Any = 1) -> IssueDrill:
    """The open issues behind one count of the validation page (`by` rule, team or worker),
    each child listed as `policy.figure_listing` says; one audit row naming every child the
    page showed."""
    must_see_performance(actor)
    issues, title = _drill_filter(by, key)
    total = issues.count()
    pages = max(1, -(-total // DRILL_PAGE_SIZE))
    number = page_number(page, pages=pages)
    chunk = list(
        issues.select_related("child", "owner_worker", "owner_team").order_by(
            "rule", "child_id", "pk"
        )[(number - 1) * DRILL_PAGE_SIZE : number * DRILL_PAGE_SIZE]
    )
    listing = figure_listing(actor, {i.child.pk: i.child for i in chunk if i.child}.values())
    rows = [
        IssueRow(
            i,
            listing.get(i.child_id, FigureListing.COUNTED) if i.child_id else FigureListing.COUNTED,
        )
        for i in chunk
    ]
    shown = [r.issue.child_id for r in rows if r.listing is not FigureListing.COUNTED]
    audit_list(
        actor=actor,
        listed="returns.validation_issues",
        person_ids=[pk for pk in shown if pk],
        detail={"by": by, "key": key, "page": number},
    )
    return IssueDrill(
        title=title,
        rows=[r for r in rows if r.listing is not FigureListing.COUNTED and r.issue.child_id],
        counted_only=sum(
            1 for r in rows if r.listing is FigureListing.COUNTED and r.issue.child_id
        ),
        whole_return=[r.issue for r in rows if not r.issue.child_id],
        page=number,
        pages=pages,
        total=total,
    )


def _drill_filter(by: str, key: str) -> tuple[QuerySet[ValidationIssue], str]:
    issues = ValidationIssue.objects.filter(resolved_at__isnull=True)
    if by == "rule" and (key in CIN_RULES.rules or key == "schema"):
        return issues.filter(rule=key), f"Rule {key}: {rule_text(key)}"
    if by == "team" and key == "mash":
        return issues.filter(owner_team__isnull=True, child__isnull=False), "Owned by the MASH"
    if by in ("team", "worker") and key.isdigit():
        if by == "team":
            team = Team.objects.select_related("agency").filter(pk=int(key)).first()
            if team:
                return issues.filter(owner_team=team), f"Owned by {team.label}"
        else:
            worker = User.objects.filter(pk=int(key)).first()
            if worker:
                return issues.filter(owner_worker=worker), f"Owned by {worker.get_full_name()}"
    raise NotFound()


@dataclass(frozen=True)
class Task:
    issue: ValidationIssue
    visible: bool
    text: str
    fix_route: str

    @property
    def detail(self) -> str:
        """What the check found, in plain English; shown only with the child's name."""
        return plain_detail(self.issue.detail) if self.visible else ""


# What "my work" draws of each issue, its child and its owner.
_TASK_FIELDS = (
    "rule",
    "detail",
    "first_seen_at",
    "child__given_name",
    "child__family_name",
    "owner_worker__first_name",
    "owner_worker__last_name",
)


def _managed_team(actor: User) -> int | None:
    """The team whose census issues are also `actor`'s to fix: a manager's own."""
    return actor.team_id if can_manage_cases(actor) and actor.team_id else None


def _open_tasks(worker: Any, team: Any = None) -> QuerySet[ValidationIssue]:
    mine = Q(owner_worker=worker)
    if team is not None:
        mine |= Q(owner_team_id=team)
    return ValidationIssue.objects.filter(mine, resolved_at__isnull=True, child__isnull=False)


def open_tasks_of(actor: User) -> QuerySet[ValidationIssue]:
    """The open census issues about a child that are `actor`'s to fix: their own, and a
    manager's team's ("my work"'s probe asks this too)."""
    return _open_tasks(actor.pk, _managed_team(actor))


def _shown_tasks(worker: Any, team: Any = None) -> QuerySet[ValidationIssue]:
    return (
        _open_tasks(worker, team)
        .select_related("child", "owner_worker")
        .only(*_TASK_FIELDS)
        .order_by("first_seen_at", "rule", "pk")
    )


def validation_tasks(*, actor: User, read: MyWorkRead) -> list[Task]:
    """The open census issues in `actor`'s "my work": those they own, and for a manager
    every one their team owns. A child they may not open is shown without a name (the
    policy decides each; "my work" has already asked it of the worker's own children, and
    it is asked again only of the others). "My work" records every child shown by name in
    its one audit row (ADR 0062). Read by a statement compiled once (ADR 0063): a manager's
    has the team in it too, so it is a read of its own."""
    team = _managed_team(actor)
    if team is None:
        issues = fixed_read("returns.tasks.own", _shown_tasks, actor.pk)
    else:
        issues = fixed_read("returns.tasks.team", _shown_tasks, actor.pk, team)
    if not issues:
        return []
    visible = read.visible(actor, {i.child_id for i in issues if i.child_id})
    return [Task(i, i.child_id in visible, rule_text(i.rule), fix_route(i.rule)) for i in issues]
