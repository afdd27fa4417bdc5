"""What a validator found in a return, in one shape for every return and every output: the
JSON and CSV the command writes, the HTML report it writes, and the upload page."""

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from safehub.core.spreadsheet import spreadsheet_csv
from safehub.returns.registry import ERROR, QUERY

if TYPE_CHECKING:
    import jinja2

SHOWN_PER_RULE = 500  # the HTML report lists this many of each rule; JSON and CSV list all


@dataclass(frozen=True)
class Finding:
    code: str  # the DfE rule ("8840", "8670Q") or "schema" for the XSD
    severity: str  # error | query
    message: str
    child: str = ""  # LAchildID, "" for a finding about the whole return
    line: int | None = None  # where in the file
    location: str = ""  # the table and fields, e.g. "ChildProtectionPlans: CPPendDate"
    values: str = ""  # the values that break it, as found


@dataclass
class Report:
    ret: str  # "CIN census"
    year: str  # "2024-25", "" if the file could not be read far enough to know
    filename: str
    children: int = 0
    unreadable: str = ""  # why the file could not be read at all
    findings: list[Finding] = field(default_factory=list)
    rules_run: int = 0

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == ERROR)

    @property
    def queries(self) -> int:
        return sum(1 for f in self.findings if f.severity == QUERY)

    @property
    def passed(self) -> bool:
        return not self.unreadable and self.errors == 0

    def by_rule(self) -> list[dict[str, Any]]:
        """One row per rule that found something: code, severity, message, count, and the
        first findings (the page and the HTML report list these)."""
        counts = Counter(f.code for f in self.findings)
        first: dict[str, Finding] = {}
        shown: dict[str, list[Finding]] = {}
        for f in self.findings:
            first.setdefault(f.code, f)
            bucket = shown.setdefault(f.code, [])
            if len(bucket) < SHOWN_PER_RULE:
                bucket.append(f)
        return [
            {
                "code": code,
                "severity": first[code].severity,
                "message": first[code].message,
                "count": counts[code],
                "findings": shown[code],
            }
            for code in sorted(counts, key=lambda c: (first[c].severity != ERROR, c))
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "return": self.ret,
            "year": self.year,
            "file": self.filename,
            "children": self.children,
            "unreadable": self.unreadable,
            "rules_run": self.rules_run,
            "errors": self.errors,
            "queries": self.queries,
            "passed": self.passed,
            "findings": [asdict(f) for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), indent=2)

    def to_csv(self) -> str:
        """One row per finding, every cell safe to open in a spreadsheet."""
        rows: list[list[Any]] = []
        if self.unreadable:
            rows.append(["file", ERROR, self.unreadable, "", "", "", ""])
        rows += [
            [f.code, f.severity, f.message, f.child, f.line or "", f.location, f.values]
            for f in self.findings
        ]
        return spreadsheet_csv(
            ["rule", "severity", "message", "child", "line", "location", "values"], rows
        )

    def to_html(self) -> str:
        """A page that stands alone (the command writes it to a file): no scripts, no
        outside resources."""
        return _standalone().get_template("returns/report_standalone.html").render(report=self)


def _standalone() -> "jinja2.Environment":
    import jinja2  # here: a validation that writes no HTML need not load it (ADR 0059)

    folder = Path(__file__).parent / "jinja2"
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True)
