"""Validate a set of 903 CSV files (a folder, a zip, or files by name): read them without
trusting them into a throwaway SQLite database, then run the collection year's DfE rules
over its tables (ADR 0059: no file is held whole in memory, and nothing here imports pandas
or Django's models, so a county's return is checked in a small, steady amount of memory).
Whatever is wrong with the files, the answer is a `Report`; nothing here raises on bad
input."""

import tempfile
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path

from safehub.returns.registry import ERROR, Rule
from safehub.returns.report import Finding, Report
from safehub.returns.ssda903 import rules as _rules  # noqa: F401  (registers the rules)
from safehub.returns.ssda903.rules import S903_RULES, Context, Rows
from safehub.returns.ssda903.spec import BY_KEY, YEARS, year_named
from safehub.returns.ssda903.store import Source, Store, files_in_folder, open_store
from safehub.returns.ssda903.tables import FORMULA, files_in_zip

RETURN = "SSDA903"
REQUIRED = ("header", "episodes")  # without these no rule about a child can run


def validate_903_path(path: Path, *, year: str) -> Report:
    """The report on a folder of CSV files or a zip of them."""
    if path.is_dir():
        return validate_903(files_in_folder(path), filename=path.name, year=year)
    try:
        content = path.read_bytes()
    except OSError as error:
        return Report(
            RETURN, year, path.name, unreadable=f"Cannot read {path.name}: {error.strerror}."
        )
    return validate_903_zip(content, filename=path.name, year=year)


def validate_903_zip(content: bytes, *, filename: str, year: str) -> Report:
    try:
        files = files_in_zip(content)
    except ValueError as problem:
        return Report(RETURN, year, filename, unreadable=str(problem))
    return validate_903(files, filename=filename, year=year)


def validate_903(files: Mapping[str, Source], *, filename: str, year: str) -> Report:
    """The report on `files` (name to content, or to a file on disk) as the 903 for `year`
    ("2024-25")."""
    report = Report(RETURN, year, filename)
    if year not in YEARS:
        report.unreadable = (
            f"SafeHub validates the 903 for {', '.join(YEARS)}, not {year or '(none)'}."
        )
        return report
    with tempfile.TemporaryDirectory(prefix="safehub-903-") as folder:
        store = open_store(files, Path(folder) / "903.sqlite3")
        with closing(store.db):
            _checked(store, report, files_sent=len(files))
    return report


def _checked(store: Store, report: Report, *, files_sent: int) -> None:
    report.findings += [
        Finding("file", ERROR, problem, location=name) for name, problem in store.problems
    ]
    report.findings += [
        Finding("file", ERROR, FORMULA, child=child, line=line, location=f"{name}: {column}")
        for name, child, line, column in store.formulas
    ]
    missing = [BY_KEY[k].title for k in REQUIRED if k not in store.present]
    if missing:
        report.unreadable = (
            f"No {' or '.join(missing)} file was found among the {files_sent} file(s) sent; "
            "the 903 cannot be checked without them."
        )
        return
    (report.children,) = store.db.execute("SELECT COUNT(DISTINCT CHILD) FROM header").fetchone()
    context = Context(year_named(report.year))
    year_rules = S903_RULES.for_year(report.year)
    report.rules_run = len(year_rules)
    for rule in year_rules:
        report.findings += _findings(rule, rule.check(store.db, context))


def _findings(rule: Rule, rows: Rows) -> list[Finding]:
    names = [d[0] for d in rows.description]
    shown = names[2:]  # after CHILD and line
    location = f"{rule.table}: {', '.join(rule.fields)}"
    return [
        Finding(
            code=rule.code,
            severity=rule.severity,
            message=rule.message,
            child=str(row[0]),
            line=int(row[1]),
            location=location,
            values="; ".join(f"{c} {_shown(v)}" for c, v in zip(shown, row[2:], strict=True)),
        )
        for row in rows
    ]


def _shown(value: object) -> str:
    return "(blank)" if value is None or value == "" else str(value)
