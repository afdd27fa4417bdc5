"""Structural rules: views and the API reach data through access fetchers, selectors and
services, never the ORM directly; ADRs are numbered without gaps or repeats."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "safehub"


def test_views_and_api_never_query_models_directly():
    offenders = []
    for path in [*SRC.glob("*/views.py"), *SRC.glob("*/api.py")]:
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if ".objects." in line or re.search(r"\.objects\b", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_no_raw_sql_in_application_code():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts or "demo" in path.parts:
            continue
        text = path.read_text()
        for pattern in (r"\.raw\(", r"\.extra\("):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)} uses {pattern}")
    assert not offenders, offenders


def test_adrs_are_numbered_in_order_without_repeats():
    numbers = sorted(int(p.name[:4]) for p in (ROOT / "docs" / "adr").glob("[0-9]*.md"))
    assert numbers, "docs/adr has no decision records"
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_every_app_says_what_it_owns():
    for init in SRC.glob("*/__init__.py"):
        if init.parent.name in ("config",):
            continue
        assert init.read_text().strip().startswith('"""'), f"{init} needs a docstring"
