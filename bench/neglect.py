"""Neglect profile use-and-effect benchmark: the committees' page
(`/neglect/use/`, `neglect.use.use_and_effect`) and the children behind its largest figure,
and the page of the agency with the most teams, through the real request path, for rolling
twelve-month periods over the demo's last three years, as the demo performance analyst
(every child counted, none named) and the team manager (their team's children named).

    python bench/neglect.py --scale small --database-url sqlite:///var/bench-neglect-small.sqlite3
    python bench/neglect.py --scale large --database-url postgres://postgres@127.0.0.1:5432/safehub_bench

The demo council is loaded first if the database is empty (as bench/run.py does; the
generator writes training and first and repeat profiles for children on neglect plans).
Each request is timed as it comes and again with a warm cache, beside the bare SQL it ran
(bench/run.py's `_measure`), with its query count, in a process with the production server's
`gc.freeze()` after start-up (`bench/gc_frozen.py`; `--no-freeze` to compare), its full
collections counted and timed. Target: page p95 <= 300 ms at large.
Results: bench/results/<time>-neglect-<scale>-<database>.json.
"""

import argparse
import gc
import json
import os
import platform
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import gc_frozen  # noqa: E402
from run import _load, _prepare  # noqa: E402

TARGET_P95_MS = 300
READERS = ("analyst", "team.manager")


def _periods(today: date) -> list[str]:
    """Twelve-month periods ending each month over the last three years, as query strings."""
    periods = []
    for months_back in range(0, 36, 3):
        end = today - timedelta(days=30 * months_back)
        start = end - timedelta(days=365)
        periods.append(
            "&".join(
                f"{name}-{part}={getattr(day, part)}"
                for name, day in (("start", start), ("end", end))
                for part in ("day", "month", "year")
            )
        )
    return periods


def _requests(username: str, today: date) -> tuple[list, list]:  # type: ignore[type-arg]
    from run import _client_for

    client = _client_for(username)
    pages = [lambda q=q: client.get(f"/neglect/use/?{q}") for q in _periods(today)]
    children = [lambda q=q: client.get(f"/neglect/use/neglect_plans/?{q}") for q in _periods(today)]
    return pages, children


def _agency_pages(username: str, today: date) -> list:  # type: ignore[type-arg]
    """The page of the agency with the most teams (the council's, at every scale): the
    longest page an agency's own view draws."""
    from django.db.models import Count

    from run import _client_for
    from safehub.organisations.models import Agency

    client = _client_for(username)
    by_size = Agency.objects.annotate(team_count=Count("teams"))
    biggest = by_size.order_by("-team_count", "pk").first()
    if biggest is None:
        return []
    return [
        lambda q=q: client.get(f"/neglect/use/?agency={biggest.pk}&{q}") for q in _periods(today)
    ]


def _dataset() -> dict:
    from django.db import connection

    from safehub.casework.models import CPPlan
    from safehub.neglect.models import ItemGrade, NeglectProfile, TrainingRecord
    from safehub.people.models import Person

    return {
        "persons": Person.objects.count(),
        "neglect_plans": CPPlan.objects.filter(latest_category="NEG").count(),
        "training_records": TrainingRecord.objects.count(),
        "profiles": NeglectProfile.objects.count(),
        "item_grades": ItemGrade.objects.count(),
        "database": connection.vendor,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument(
        "--no-freeze",
        action="store_true",
        help="measure without the production server's gc.freeze() after start-up",
    )
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    from django.utils import timezone

    today = timezone.localdate()
    results = []
    # As the production server runs (deploy/gunicorn.conf.py, ADR 0029): start-up objects
    # frozen after the first requests, and every full collection counted and timed.
    gc.callbacks.append(gc_frozen._timer)
    _measure = gc_frozen._measure_counting_collections
    for username in READERS:
        pages, children = _requests(username, today)
        results.append(_measure(f"use_and_effect_page_{username}", pages, args.iterations))
        results.append(_measure(f"use_children_{username}", children, args.iterations))
        agency_pages = _agency_pages(username, today)
        if agency_pages:
            results.append(_measure(f"use_agency_page_{username}", agency_pages, args.iterations))
    dataset = _dataset()
    worst = max(max(r["page_ms"]["p95"], r["first_ms"]["p95"]) for r in results)
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "neglect",
        "scale": args.scale,
        "load_seconds": round(load_seconds, 1),
        "dataset": dataset,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "results": results,
        "gc_frozen": gc_frozen.FREEZE,
        "target_p95_ms": TARGET_P95_MS,
        "worst_p95_ms": worst,
        "target_met": worst <= TARGET_P95_MS,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    unfrozen = "" if gc_frozen.FREEZE else "-gc-unfrozen"
    path = out_dir / f"{stamp}-neglect-{args.scale}-{dataset['database']}{unfrozen}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({k: result[k] for k in ("dataset", "worst_p95_ms", "target_met")}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
