"""Registers benchmark: each register of hard-to-see children (elective home education,
missing education, babies under one, no professional contact), through the real request
path as the demo MASH worker (who sees every child, so the longest registers), unfiltered,
filtered as officers filter (age band, postcode district, days without contact), on later
pages, and exported as CSV.

    python bench/registers.py --scale small --database-url sqlite:///var/bench-registers.sqlite3
    python bench/registers.py --scale large --database-url postgres://postgres@127.0.0.1:5432/safehub_bench

The database is loaded first if it is empty (as bench/run.py does). Each request runs inside
a transaction that is rolled back (a register page writes its audit row), so runs do not
grow the audit table. Recorded per register: first and repeat request times (median, p95),
queries per request (it must not change with the number of rows: the register's own
selector runs a fixed number of queries), rows on the register, and on PostgreSQL the plan
of the page's query (to see the indexes used). Target: each register page's p95 <= 150 ms
at the large scale. Results: bench/results/<time>-registers-<scale>-<database>.json.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _client_for, _dataset, _load, _percentile, _prepare  # noqa: E402

TARGET_P95_MS = 150
USERNAME = "mash.worker"
FILTERS = [
    {},
    {"filtered": "1", "age_band": "5-10"},
    {"filtered": "1", "age_band": "11-15", "days_without_contact": "180"},
    {"filtered": "1", "district": "DS1"},
    {"page": "2"},
    {"page": "3"},
]


def _time(client, url: str, params: dict) -> tuple[float, int, int]:  # type: ignore[no-untyped-def]
    """One request inside a rolled-back transaction: milliseconds, queries, status."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic(), CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url, params)
        elapsed = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)
    return elapsed, len(captured), response.status_code


def _plan(register) -> list[str]:  # type: ignore[no-untyped-def]
    """PostgreSQL's plan for the register page's row query (EXPLAIN, not ANALYZE)."""
    from django.db import connection
    from django.utils import timezone

    from safehub.hardtosee.selectors import RegisterFilters, register_rows
    from safehub.organisations.models import User

    if connection.vendor != "postgresql":
        return []
    actor = User.objects.get(username=USERNAME)
    as_of = timezone.localdate()
    rows = register_rows(actor, register, as_of=as_of, filters=RegisterFilters())
    return rows[:25].explain().splitlines()


def measure(iterations: int) -> dict:
    from django.urls import reverse
    from django.utils import timezone

    from safehub.hardtosee.selectors import Register, RegisterFilters, register_people

    client = _client_for(USERNAME)
    as_of = timezone.localdate()
    results = {}
    for register in Register:
        url = reverse("hardtosee:register", args=[register.value])
        export = reverse("hardtosee:export", args=[register.value])
        first = [_time(client, url, params)[0] for params in FILTERS]
        repeat, queries, statuses = [], set(), set()
        for number in range(iterations):
            ms, count, status = _time(client, url, FILTERS[number % len(FILTERS)])
            repeat.append(ms)
            queries.add(count)
            statuses.add(status)
        export_ms = [_time(client, export, {})[0] for _ in range(max(3, iterations // 10))]
        rows = register_people(register, as_of=as_of, filters=RegisterFilters()).count()
        p95 = _percentile(first + repeat, 0.95)
        results[register.value] = {
            "rows": rows,
            "first_ms": {"median": round(statistics.median(first), 2), "max": round(max(first), 2)},
            "page_ms": {
                "median": round(statistics.median(repeat), 2),
                "p95": round(_percentile(repeat, 0.95), 2),
            },
            "p95_all_ms": round(p95, 2),
            "export_ms": {"median": round(statistics.median(export_ms), 2)},
            "queries_per_request": sorted(queries),
            "statuses": sorted(statuses),
            "target_met": p95 <= TARGET_P95_MS,
            "plan": _plan(register),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=60)
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    dataset = _dataset()
    registers = measure(args.iterations)
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "registers",
        "scale": args.scale,
        "load_seconds": round(load_seconds, 1),
        "dataset": dataset,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "target_p95_ms": TARGET_P95_MS,
        "registers": registers,
        "target_met": all(r["target_met"] for r in registers.values()),
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{stamp}-registers-{args.scale}-{dataset['database']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    headline = {
        name: {k: r[k] for k in ("rows", "page_ms", "p95_all_ms", "queries_per_request")}
        for name, r in registers.items()
    }
    print(json.dumps(headline, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
