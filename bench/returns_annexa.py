"""Ofsted Annex A benchmark: time producing the whole workbook (lists 1 to 11, openpyxl in
write-only mode) from a demo council loaded at a scale, with the number of queries, which
must not grow with the council.

    python bench/returns_annexa.py --scale county
    python bench/returns_annexa.py --scale large --database-url postgres://…/bench

Loads the scale into the database first if it is empty (as bench/run.py does). Produces the
workbook as the demo's analyst (lists 10 and 11 left empty, as the policy says) and again
with the adoption lists filled, so both paths are timed. Each run is rolled back (no audit
rows left). Results: bench/results/<time>-returns-annexa-<scale>-<database>.json.
Target: 60 s or less at `large`."""

import argparse
import io
import json
import platform
import statistics
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _load, _prepare  # noqa: E402

RESULTS = ROOT / "bench" / "results"


def _time(produce: Any, iterations: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    times, cpu, queries, rows = [], [], 0, {}
    for _ in range(iterations):
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            began, began_cpu = time.perf_counter(), time.process_time()
            rows, size = produce()
            times.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
            transaction.set_rollback(True)
        queries = len(captured)
    return {
        "seconds": {
            "median": round(statistics.median(times), 3),
            "all": [round(t, 3) for t in times],
        },
        # CPU time of this process (the database's work is not in it): what the machine's
        # other load does not inflate.
        "cpu_seconds": {"median": round(statistics.median(cpu), 3)},
        "queries": queries,
        "rows": rows,
        "workbook_mb": round(size / 1_048_576, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="county")
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h_annexa")
    parser.add_argument("--end", type=date.fromisoformat, help="the lists' last day")
    parser.add_argument("--iterations", type=int, default=3)
    args = parser.parse_args()
    _prepare(args.database_url)
    loaded = _load(args.scale)

    from django.db import connection

    from safehub.organisations.models import User
    from safehub.people.models import Person
    from safehub.returns.annexa.export import annex_a, write_workbook
    from safehub.returns.selectors import annex_a_write

    analyst = User.objects.get(username="analyst")
    end = args.end or datetime.now(UTC).date()

    def as_analyst() -> tuple[dict[str, int], int]:
        out = io.BytesIO()
        made = annex_a_write(actor=analyst, out=out, end=end)
        return {str(n): len(r) for n, r in made.rows.items()}, out.tell()

    def with_adoption() -> tuple[dict[str, int], int]:
        out = io.BytesIO()
        made = annex_a(Person.objects.all(), end, adoption=True)
        write_workbook(out, made)
        return {str(n): len(r) for n, r in made.rows.items()}, out.tell()

    result = {
        "benchmark": "returns_annexa",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "database": connection.vendor,
        "people": Person.objects.count(),
        "end": end.isoformat(),
        "load_seconds": round(loaded, 1),
        "machine": {
            "python": platform.python_version(),
            "load": [round(x, 2) for x in __import__("os").getloadavg()],
        },
        "target": "the whole workbook in 60 s or less at large",
        "as_analyst": _time(as_analyst, args.iterations),
        "with_adoption_lists": _time(with_adoption, args.iterations),
    }
    print(json.dumps(result, indent=2))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / (
        f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-returns-annexa-{args.scale}-{connection.vendor}.json"
    )
    out.write_text(json.dumps(result, indent=2))
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
