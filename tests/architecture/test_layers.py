"""Structural rules: views and the API reach data through fetchers, selectors and services,
never the ORM directly, and never write the audit trail themselves; the import contracts
(no two apps importing each other, layers inside each app) hold; the types check; ADRs are
numbered without gaps or repeats."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "safehub"


def test_views_and_api_never_query_models_directly():
    offenders = []
    # The API's endpoint modules (api/*.py) as well as each app's views.py and api.py.
    for path in [*SRC.glob("*/views.py"), *SRC.glob("*/api.py"), *SRC.glob("api/*.py")]:
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


def _interface_modules() -> list[Path]:
    return [
        *SRC.glob("*/views*.py"),
        *SRC.glob("*/api.py"),
        *SRC.glob("api/*.py"),
        *SRC.glob("*/urls*.py"),
    ]


def test_views_and_the_api_never_write_audit_rows() -> None:
    """Audit rows are written by fetchers and services, in the transaction of the access
    they record; a view that wrote one could forget, or write it for the wrong person."""
    offenders = []
    for path in _interface_modules():
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if re.search(r"\baudit_(record|refusal)\b|AuditEvent", line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_the_import_contracts_hold() -> None:
    """import-linter's contracts in pyproject.toml (also run by `make check`)."""
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def test_the_types_check() -> None:
    """mypy with django-stubs over src/safehub, tests and conftest.py, as configured in
    pyproject.toml (also run by `make check`). About 15 s from cold, 2 s with its cache."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


@pytest.mark.django_db
def test_every_model_change_has_its_migration() -> None:
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as missing:
        raise AssertionError(f"A model change has no migration:\n{out.getvalue()}") from missing
