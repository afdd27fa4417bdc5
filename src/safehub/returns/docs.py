"""The list of DfE validation rules SafeHub checks, year by year, as Markdown for the docs."""

from pathlib import Path

from safehub.returns.cin.rules import CIN_RULES
from safehub.returns.cin.spec import YEARS
from safehub.returns.ssda903.rules import S903_RULES
from safehub.returns.ssda903.spec import YEARS as YEARS_903

DOC = Path(__file__).resolve().parents[3] / "docs" / "cin-validation-rules.md"
DOC_903 = Path(__file__).resolve().parents[3] / "docs" / "903-validation-rules.md"


def rules_markdown() -> str:
    lines = [
        "# CIN census validation rules SafeHub checks",
        "",
        "Written by `manage.py returns_rules_doc` from `safehub/returns/cin/rules.py` and the",
        "rule modules it imports (`rule_table.py` holds the rules of one shape as a table); a test",
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


def rules_903_markdown() -> str:
    lines = [
        "# SSDA903 validation rules SafeHub checks",
        "",
        "Written by `manage.py returns_rules_doc` from `safehub/returns/ssda903/rules.py`; a",
        "test fails when this file and the code disagree. Errors must be fixed before the return",
        "is sent. Each rule has a test in `src/safehub/returns/tests/test_903_rules.py` that",
        "breaks a clean return and expects the rule to find it. Run the checks with",
        "`safehub-returns validate 903 FOLDER --year 2024-25`, or upload a zip of the files at",
        "/returns/903/validate/. Before any rule, each file is read with guards (size, UTF-8,",
        "CSV, its columns, cells that start like a formula); what fails is reported as",
        "`file`. Rules that compare with last year's return are not run (see ADR 0041).",
        "",
    ]
    for year in YEARS_903:
        rules = S903_RULES.for_year(year)
        lines += [
            f"## {year}",
            "",
            f"{len(rules)} rules.",
            "",
            "| rule | kind | checks | in |",
            "|---|---|---|---|",
        ]
        for r in rules:
            lines.append(
                f"| {r.code} | {r.severity} | {r.message} | {r.table}: {', '.join(r.fields)} |"
            )
        lines.append("")
    return "\n".join(lines)
