"""Leaving-care returns benchmark: how long the rows for the 903 OC3
(`leaving_care.returns.oc3_rows`), Ofsted Annex A list 9 (`annex_a_list9`) and the 903 social
worker episodes (`sw_episodes`) take on the demo council, with their query counts, which
must not grow with the council (each is a fixed number of queries).

    python bench/leaving_care.py --scale small --database-url sqlite:////tmp/bench-lc.sqlite3
    python bench/leaving_care.py --scale county --database-url postgres://postgres@127.0.0.1:5432/safehub_bench_county

The demo council is loaded first if the database is empty (as bench/run.py does). Each
selector runs `--iterations` times after one warm-up; results are JSON in
bench/results/<time>-leaving-care-<scale>-<database>.json. Targets (a returns export, run
by the returns team, not a page): median under 2 s for a county and under 20 s at the large
scale on PostgreSQL, and the same query count at every scale.
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from matching import write_result  # noqa: E402
from run import _dataset, _load, _percentile, _prepare  # noqa: E402


def _time(run: Callable[[], list], iterations: int) -> dict:  # type: ignore[type-arg]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    run()  # warm-up
    times, counts, rows = [], [], 0
    for _ in range(iterations):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            rows = len(run())
            times.append((time.perf_counter() - started) * 1000)
        counts.append(len(queries))
    return {
        "rows": rows,
        "ms": {
            "median": round(statistics.median(times), 2),
            "p95": round(_percentile(times, 0.95), 2),
        },
        "queries": {"min": min(counts), "max": max(counts)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "county", "large"], default="small")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--seed", type=int, default=0)  # recorded only: the selectors are exact
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)

    from django.utils import timezone

    from safehub.leaving_care.returns import annex_a_list9, oc3_rows, sw_episodes

    as_of = args.as_of or timezone.localdate()
    year = as_of.year if as_of.month >= 4 else as_of.year - 1  # the collection year running
    summary = {
        "as_of": as_of.isoformat(),
        "collection_year": year,
        "oc3_rows": _time(lambda: oc3_rows(year), args.iterations),
        "annex_a_list9": _time(lambda: annex_a_list9(as_of), args.iterations),
        "sw_episodes": _time(lambda: sw_episodes(year), args.iterations),
    }
    write_result("leaving-care", args, load_seconds, _dataset(), summary)
    for name in ("oc3_rows", "annex_a_list9", "sw_episodes"):
        print(name, summary[name])


if __name__ == "__main__":
    main()
