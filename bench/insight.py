"""Performance dashboard benchmark: the figures job (`insight.services.figures_refresh`, 18
figures over 24 months), the dashboard page (`/performance/`), a drill-down page for every
figure's latest month and a year before (`/performance/figures/<code>/<month>/`), and the
committee report's build, through the real request path, as the demo performance analyst
(children by SafeHub ID) and the team manager (their team's children named).

    python bench/insight.py --scale county --database-url postgres://postgres@127.0.0.1:5432/h_insight

The demo council is loaded first if the database is empty (as bench/run.py does). Each
request is timed as it comes and again warm, beside the bare SQL it ran (bench/run.py's
`_measure`), with its query count. Targets at large: dashboard p95 <= 300 ms, drill-down
p95 <= 150 ms. Results: bench/results/<time>-insight-<scale>-<database>.json.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _client_for, _load, _measure, _prepare  # noqa: E402

TARGET_DASHBOARD_P95_MS = 300
TARGET_DRILL_P95_MS = 150
READERS = ("analyst", "team.manager")


def _dataset() -> dict:
    from django.db import connection

    from safehub.casework.models import CPPlan, PeriodOfCare, Visit
    from safehub.frontdoor.models import Contact
    from safehub.people.models import Person

    return {
        "persons": Person.objects.count(),
        "contacts": Contact.objects.count(),
        "cp_plans": CPPlan.objects.count(),
        "periods_of_care": PeriodOfCare.objects.count(),
        "visits": Visit.objects.count(),
        "database": connection.vendor,
    }


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    call()
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=60)
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    from django.utils import timezone

    from safehub.insight import figures
    from safehub.insight.models import Job, JobKind
    from safehub.insight.services import figures_refresh, job_run, quarter_start

    today = timezone.localdate()
    figures_seconds = _timed(lambda: figures_refresh(as_of=today))
    last = today.replace(day=1) - timedelta(days=1)
    months = [last.strftime("%Y-%m"), (last - timedelta(days=365)).strftime("%Y-%m")]
    results = []
    for username in READERS:
        client = _client_for(username)
        board = [lambda c=client: c.get("/performance/")]
        results.append(_measure(f"dashboard_{username}", board, args.iterations))
        drills = [
            lambda c=client, code=code, m=m: c.get(f"/performance/figures/{code}/{m}/")
            for code in figures.FIGURES
            for m in months
        ]
        results.append(_measure(f"drill_down_{username}", drills, args.iterations))
    quarter = quarter_start(quarter_start(today) - timedelta(days=1))
    job = Job.objects.create(
        kind=JobKind.COMMITTEE_REPORT, params={"quarter_start": quarter.isoformat()}
    )
    report_seconds = _timed(lambda: job_run(job_id=job.pk))
    job.refresh_from_db()
    dashboard_p95 = max(
        max(r["page_ms"]["p95"], r["first_ms"]["p95"])
        for r in results
        if r["name"].startswith("dashboard")
    )
    drill_p95 = max(
        max(r["page_ms"]["p95"], r["first_ms"]["p95"])
        for r in results
        if r["name"].startswith("drill")
    )
    dataset = _dataset()
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "insight",
        "scale": args.scale,
        "as_of": date.isoformat(today),
        "load_seconds": round(load_seconds, 1),
        "dataset": dataset,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "figures_job_seconds": figures_seconds,
        "committee_report_job_seconds": report_seconds,
        "committee_report_bytes": len(bytes(job.file_content or b"")),
        "results": results,
        "target_dashboard_p95_ms": TARGET_DASHBOARD_P95_MS,
        "dashboard_p95_ms": dashboard_p95,
        "target_drill_down_p95_ms": TARGET_DRILL_P95_MS,
        "drill_down_p95_ms": drill_p95,
        "targets_met": dashboard_p95 <= TARGET_DASHBOARD_P95_MS
        and drill_p95 <= TARGET_DRILL_P95_MS,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{stamp}-insight-{args.scale}-{dataset['database']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    keys = ("dataset", "figures_job_seconds", "committee_report_job_seconds",
            "dashboard_p95_ms", "drill_down_p95_ms", "targets_met")  # fmt: skip
    print(json.dumps({k: result[k] for k in keys}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
