"""All SQL that reads or writes case data goes through the ORM or parameterised queries.
Ruff's S610/S611 refuse `extra()` and `RawSQL`; this test refuses `raw()` and any cursor
outside the few places that need one, so a new one has to be argued for here."""

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2]

BANNED = re.compile(r"\.raw\(|\.extra\(|RawSQL|\.execute\(|connection\.cursor\(")

# file (relative to src/safehub) -> why it may use a cursor
ALLOWED = {
    "ui/health.py": "the health check's SELECT 1",
    "demo/generator/loader.py": "bulk loading the synthetic council: ANALYZE",
    "core/bulk.py": "COPY of many rows (the demo loader, partner batches): ids from sequences",
    "audit/db_guard.py": "the audit tables' guard: a PostgreSQL session setting (set_config)",
    "core/checks.py": "the deployment check of the database role's privileges (catalogue)",
    "hardtosee/services.py": "the registers' stored facts: upserts, INSERT ... SELECT",
    "core/replica.py": "how far the primary's WAL and the replica's replay have got (LSNs)",
    "concerns/sql.py": "the live evaluation's facts and spans: one statement, written once",
    "casework/sections.py": "the child probes: the ORM's statement compiled once, run per child",
    "core/sessions.py": "the session read every signed-in request makes: one statement",
    "core/prepared.py": "the PostgreSQL cursor itself: binds an over-long statement's values",
    # The 903 validator's own throwaway SQLite file of an uploaded return (ADR 0059), never
    # the application's database: file values are bound as parameters, names come from spec.
    "returns/ssda903/store.py": "903 files streamed into the validator's scratch database",
    "returns/ssda903/rules.py": "the 903 rules as SQL over the validator's scratch database",
    "returns/ssda903/validate.py": "the 903 validator's scratch database: the children count",
}


def test_no_raw_sql_outside_the_allowed_places() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}":
            continue
        if relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if BANNED.search(line):
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert not offenders, "Raw SQL outside the ORM:\n" + "\n".join(offenders)


def test_the_allowed_places_still_need_it() -> None:
    for relative in ALLOWED:
        assert BANNED.search((SRC / relative).read_text()), f"{relative} no longer needs it"
