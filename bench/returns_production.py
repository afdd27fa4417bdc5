"""The statutory returns produced from live records at a scale: the CIN census (XML), the
SSDA903 (a zip of CSVs) and Ofsted's Annex A workbook, each as the demo's performance analyst
produces it from its page, timed end to end with its query count (which must not grow with
the council) and the number of children in it.

    python bench/returns_production.py --scale large --database-url postgres://…/safehub_bench

Loads the scale into the database first if it is empty (as bench/run.py does). The collection
years are the latest SafeHub knows that contain the day the demo was loaded for. Each run is
rolled back, so no audit rows are left. Results:
bench/results/<time>-returns-production-<scale>-<database>.json. Targets at `large`: each
return in 60 s or less (issue 15).
"""

import argparse
import io
import json
import os
import platform
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from returns_annexa import _time  # noqa: E402
from run import _load, _prepare  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 60


def _producers(as_of: date) -> dict[str, Any]:
    from safehub.organisations.models import User
    from safehub.returns import selectors

    analyst = User.objects.get(username="analyst")
    census = selectors.census_year_for(as_of)
    s903_year = selectors.collection_year_for(as_of)

    def cin() -> tuple[dict[str, Any], int]:
        out = io.BytesIO()
        made = selectors.cin_census_write(
            actor=analyst, out=out, year=census.name, now=datetime.now(UTC)
        )
        return {"year": census.name, "children": made.children}, out.tell()

    def s903() -> tuple[dict[str, Any], int]:
        out = io.BytesIO()
        made = selectors.s903_write(actor=analyst, out=out, year=s903_year.name)
        return {"year": s903_year.name, "children": made.children}, out.tell()

    def annex_a() -> tuple[dict[str, Any], int]:
        out = io.BytesIO()
        made = selectors.annex_a_write(actor=analyst, out=out, end=as_of)
        return {"end": as_of.isoformat(), "children": len(made.children)}, out.tell()

    return {"cin_census": cin, "ssda903": s903, "annex_a": annex_a}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, help="default: today")
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--only", default="", help="cin_census, ssda903, annex_a (default all)")
    args = parser.parse_args()
    _prepare(args.database_url)
    loaded = _load(args.scale)

    from django.db import connection

    from safehub.people.models import Person

    as_of = args.as_of or datetime.now(UTC).date()
    producers = _producers(as_of)
    only = [n for n in args.only.split(",") if n] or list(producers)
    returns = {}
    for name in only:
        returns[name] = _time(producers[name], args.iterations)
        returns[name]["size_mb"] = returns[name].pop("workbook_mb")
        returns[name]["met"] = returns[name]["seconds"]["median"] <= TARGET_SECONDS
        print(name, json.dumps(returns[name]), flush=True)
    result = {
        "benchmark": "returns_production",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "database": connection.vendor,
        "people": Person.objects.count(),
        "as_of": as_of.isoformat(),
        "load_seconds": round(loaded, 1),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": [round(x, 2) for x in os.getloadavg()],
        },
        "target_seconds": TARGET_SECONDS,
        "returns": returns,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / (
        f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-returns-production-{args.scale}-"
        f"{connection.vendor}.json"
    )
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"Wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
