"""The list of DfE validation rules SafeHub checks, year by year, as Markdown for the docs."""

from pathlib import Path

from safehub.returns.cin.rules import CIN_RULES
from safehub.returns.cin.spec import YEARS

DOC = Path(__file__).resolve().parents[3] / "docs" / "cin-validation-rules.md"


def rules_markdown() -> str:
    lines = [
        "# CIN census validation rules SafeHub checks",
        "",
        "Written by `manage.py returns_rules_doc` from `safehub/returns/cin/rules.py`; a test",
        "fails when this file and the code disagree. Errors must be fixed before the census is",
        "sent; queries (codes ending in Q) must be fixed or explained. Each rule has a test in",
        "`src/safehub/returns/tests/test_cin_rules.py` that breaks a clean file and expects the",
        "rule to find it. Run the checks with `safehub-returns validate cin FILE.xml`, or upload",
        "the file at /returns/cin/validate/. The census format itself is checked against",
        "`src/safehub/returns/cin/xsd/` (written from `spec.py`; see ADR 0037).",
        "",
    ]
    for year in YEARS:
        rules = CIN_RULES.for_year(year)
        errors = sum(1 for r in rules if r.severity == "error")
        lines += [
            f"## {year}",
            "",
            f"{len(rules)} rules: {errors} errors, {len(rules) - errors} queries.",
            "",
            "| rule | kind | checks | in |",
            "|---|---|---|---|",
        ]
        for r in rules:
            where = "the whole return" if r.la_level else f"{r.table}: {', '.join(r.fields)}"
            lines.append(f"| {r.code} | {r.severity} | {r.message} | {where} |")
        lines.append("")
    return "\n".join(lines)
