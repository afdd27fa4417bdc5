"""Validate a CIN census file: read it without trusting it, make sure it is a CIN census and
which year, check it against that year's XSD, then run that year's DfE rules over its tables.
Whatever is wrong with the file, the answer is a `Report`; nothing here raises on bad input."""

from datetime import date
from typing import Any

import pandas as pd
from lxml import etree

from safehub.returns.cin import rules as _rules  # noqa: F401  (registers the rules)
from safehub.returns.cin.rules import CIN_RULES, Context
from safehub.returns.cin.schema import load_schema
from safehub.returns.cin.spec import ROOT, YEARS, CensusYear, year_ending
from safehub.returns.cin.tables import read_tables
from safehub.returns.registry import ERROR, Rule
from safehub.returns.report import Finding, Report
from safehub.returns.safexml import MAX_BYTES, UnreadableFile, parse_xml

RETURN = "CIN census"
MAX_SCHEMA_FINDINGS = 1000  # a file wrong everywhere says so without a million lines


def validate_cin(
    content: bytes, *, filename: str, year: str | None = None, max_bytes: int = MAX_BYTES
) -> Report:
    """The report on `content`. The census year comes from the header's Year unless `year`
    is given, in which case a file for another year is refused as the wrong year."""
    report = Report(RETURN, year or "", filename)
    try:
        root = parse_xml(content, max_bytes=max_bytes).getroot()
        census = census_year_of(root, year)
    except UnreadableFile as problem:
        report.unreadable = str(problem)
        return report
    return _checked(report, root, census)


def validate_live(content: bytes, *, census: CensusYear, filename: str) -> Report:
    """The report on a census SafeHub has just written from its live records for `census`
    (spec.live_year: the current year to today, checked by a known year's rules), whose
    header names a year the validator may not know yet."""
    report = Report(RETURN, census.name, filename)
    try:
        root = parse_xml(content).getroot()
    except UnreadableFile as problem:
        report.unreadable = str(problem)
        return report
    return _checked(report, root, census)


def _checked(report: Report, root: etree._Element, census: CensusYear) -> Report:
    report.year = census.name
    report.findings += _schema_findings(root, census)
    header, tables = read_tables(root)
    report.children = len(tables["children"])
    context = Context(census, _reference_date(header.get("ReferenceDate"), census))
    year_rules = CIN_RULES.for_year(census.name)
    report.rules_run = len(year_rules)
    for rule in year_rules:
        report.findings += _findings(rule, rule.check(tables, context))
    return report


def census_year_of(root: etree._Element, wanted: str | None) -> CensusYear:
    if root.tag != ROOT:
        raise UnreadableFile(
            f"This is not a CIN census file: it starts with <{_tag(root)}> where a census "
            f"starts with <{ROOT}>."
        )
    collection = (root.findtext("Header/CollectionDetails/Collection") or "").strip()
    if collection != "CIN":
        raise UnreadableFile(
            f"This is not a CIN census file: its header names the collection "
            f"{collection or '(nothing)'!r}, not 'CIN'."
        )
    text = (root.findtext("Header/CollectionDetails/Year") or "").strip()
    census = year_ending(int(text)) if text.isdigit() else None
    if census is None:
        known = ", ".join(f"{y.header_year} for {y.name}" for y in YEARS.values())
        raise UnreadableFile(
            f"The header's Year is {text or '(missing)'!r}; SafeHub validates the census "
            f"years it knows ({known})."
        )
    if wanted and census.name != wanted:
        raise UnreadableFile(
            f"This file is the {census.name} census (header Year {text}), not {wanted}."
        )
    return census


def _tag(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else "?"


def _reference_date(text: str | None, census: CensusYear) -> date:
    try:
        return date.fromisoformat(text or "")
    except ValueError:
        return date.min  # rule 100 reports a missing or malformed date


def _schema_findings(root: etree._Element, census: CensusYear) -> list[Finding]:
    schema = load_schema(census.name)
    if schema.validate(root):
        return []
    findings = []
    log: Any = schema.error_log  # iterable, whatever lxml-stubs say
    for entry in list(log)[:MAX_SCHEMA_FINDINGS]:
        findings.append(
            Finding(
                code="schema",
                severity=ERROR,
                message=_schema_message(entry.message),
                line=entry.line,
                location=entry.path or "",
            )
        )
    return findings


def _schema_message(message: str) -> str:
    """libxml2's wording, less its jargon."""
    text = message.replace("Element '", "'").replace("[facet 'enumeration'] ", "")
    text = text.replace("This element is not expected.", "It is not expected here.")
    return f"Does not match the census format: {text}"


def _findings(rule: Rule, rows: pd.DataFrame) -> list[Finding]:
    if rows.empty:
        return []
    location = f"{rule.table}: {', '.join(rule.fields)}" if rule.table else ""
    shown = [c for c in rows.columns if c not in ("LAchildID", "line")]
    records = rows.to_dict("records")
    return [
        Finding(
            code=rule.code,
            severity=rule.severity,
            message=rule.message,
            child="" if pd.isna(r["LAchildID"]) else str(r["LAchildID"]),
            line=None if pd.isna(r["line"]) else int(r["line"]),
            location=location,
            values="; ".join(
                _shown(r[c]) if c == "detail" else f"{c} {_shown(r[c])}" for c in shown
            ),
        )
        for r in records
    ]


def _shown(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return "(blank)"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value)
