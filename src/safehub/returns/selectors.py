"""What the returns pages and commands read: the CIN census produced from live records for a
census year or any period, and a census file validated. Both are decided by the access
policy (`can_produce_returns`, `statutory_return_persons`) and audited: the census as one
export row naming every child in it, a validation as one row naming the file."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

from safehub.access.policy import (
    can_produce_returns,
    statutory_return_includes_adoption,
    statutory_return_persons,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.returns.annexa.export import AnnexA, annex_a, write_workbook
from safehub.returns.cin.export import census_children, census_header
from safehub.returns.cin.spec import YEARS, CensusYear, year_named
from safehub.returns.cin.validate import validate_cin
from safehub.returns.cin.writer import write_census
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
