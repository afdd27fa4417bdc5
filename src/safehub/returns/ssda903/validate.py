"""Validate a set of 903 CSV files (a folder, a zip, or files by name): read them without
trusting them, then run the collection year's DfE rules over their tables. Whatever is
wrong with the files, the answer is a `Report`; nothing here raises on bad input."""

from pathlib import Path

import pandas as pd

from safehub.returns.registry import ERROR, Rule
from safehub.returns.report import Finding, Report
from safehub.returns.ssda903 import rules as _rules  # noqa: F401  (registers the rules)
from safehub.returns.ssda903.rules import S903_RULES, Context
from safehub.returns.ssda903.spec import BY_KEY, YEARS, year_named
from safehub.returns.ssda903.tables import (
    empty_table,
    files_in_folder,
    files_in_zip,
    read_files,
)

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


def validate_903(files: dict[str, bytes], *, filename: str, year: str) -> Report:
    """The report on `files` (name to content) as the 903 for `year` ("2024-25")."""
    report = Report(RETURN, year, filename)
    if year not in YEARS:
        report.unreadable = (
            f"SafeHub validates the 903 for {', '.join(YEARS)}, not {year or '(none)'}."
        )
        return report
    read = read_files(files)
    report.findings += [
        Finding("file", ERROR, problem, location=name) for name, problem in read.problems
    ]
    report.findings += [
        Finding(
            "file",
            ERROR,
            "The cell starts like a spreadsheet formula (=, +, -, @); no 903 value does.",
            child=child,
            line=line,
            location=f"{name}: {column}",
        )
        for name, child, line, column in read.formulas
    ]
    missing = [BY_KEY[k].title for k in REQUIRED if k not in read.tables]
    if missing:
        report.unreadable = (
            f"No {' or '.join(missing)} file was found among the {len(files)} file(s) sent; "
            "the 903 cannot be checked without them."
        )
        return report
    tables = {key: read.tables.get(key, empty_table(spec)) for key, spec in BY_KEY.items()}
    report.children = int(tables["header"]["CHILD"].nunique())
    context = Context(year_named(year))
    year_rules = S903_RULES.for_year(year)
    report.rules_run = len(year_rules)
    for rule in year_rules:
        report.findings += _findings(rule, rule.check(tables, context))
    return report


def _findings(rule: Rule, rows: pd.DataFrame) -> list[Finding]:
    if rows.empty:
        return []
    location = f"{rule.table}: {', '.join(rule.fields)}"
    shown = [c for c in rows.columns if c not in ("CHILD", "line")]
    return [
        Finding(
            code=rule.code,
            severity=rule.severity,
            message=rule.message,
            child=str(r["CHILD"]),
            line=int(r["line"]),
            location=location,
            values="; ".join(f"{c} {_shown(r[c])}" for c in shown),
        )
        for r in rows.to_dict("records")
    ]


def _shown(value: object) -> str:
    if value is None or value == "" or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return "(blank)"
    if isinstance(value, pd.Timestamp):
        return f"{value:%d/%m/%Y}"
    return str(value)
