"""Load test: the production stack under steps of concurrent users (Locust, headless).

Brings up `scripts/serve_prod.py` on the database and port given (8143 by default, never
8443), makes the load accounts (bench/load/accounts.py), then runs Locust in this process
in steps of users. Each step ramps up (new users sign in), settles, and is then measured
for --step-seconds: p50/p95/p99 of every kind of request, errors, throughput, and the CPU
each part of the stack used (gunicorn, PostgreSQL's backends for this database, Locust
itself) beside the machine's load average. The knee is the first step whose p95 over the
pages (sign-in apart) passes 1 s. JSON goes to bench/results/.

    .venv/bin/python bench/load/run.py --scale small \\
        --database-url postgres://postgres@127.0.0.1:5432/h_load --steps 50,100,200,400

--url and --cafile measure a stack already running instead (then --serve-pid names
serve_prod.py's process, for the CPU figures)."""

# Locust patches the standard library for gevent; it must come before everything else.
from locust import events  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gevent
import psutil
from locust.stats import StatsEntry

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import ROOT, CpuSampler, limit, serve

RESULTS = ROOT / "bench" / "results"
KNEE_MS = 1000
WEIGHTS = {"workers": 6, "mash": 2, "partners": 1}  # the Locust users' weights, for accounts


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/h_load")
    parser.add_argument("--scale", default="small", help="the demo council's size if loaded")
    parser.add_argument("--port", type=int, default=8143)
    parser.add_argument("--state-dir", type=Path, default=ROOT / "var" / "load")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default 2 x cores + 1)")
    parser.add_argument("--steps", default="50,100,200,400,700,1000")
    parser.add_argument("--step-seconds", type=float, default=60)
    parser.add_argument("--settle-seconds", type=float, default=15)
    parser.add_argument(
        "--sign-in-seconds", type=float, default=600, help="longest wait for sign-ins"
    )
    parser.add_argument("--spawn-rate", type=float, default=10, help="new users a second")
    parser.add_argument("--think", default="5,20", help="think time, seconds low,high")
    parser.add_argument("--url", help="a stack already serving (skip starting one)")
    parser.add_argument("--cafile", type=Path)
    parser.add_argument("--serve-pid", type=int)
    parser.add_argument("--ledger", type=Path, help="append acknowledged writes here")
    parser.add_argument("--out", type=Path, help="JSON file (default bench/results/...)")
    parser.add_argument("--stop-at-knee", action="store_true")
    return parser.parse_args(argv)


def make_plan(args: argparse.Namespace, most: int) -> Path:
    """Enough accounts of each kind for the largest step, in the Locust users' proportions."""
    total = sum(WEIGHTS.values()) + 1  # and the public, who need no account
    counts = {kind: -(-most * weight // total) + 1 for kind, weight in WEIGHTS.items()}
    plan = args.state_dir / "plan.json"
    subprocess.run(
        [
            *[sys.executable, str(ROOT / "bench" / "load" / "accounts.py")],
            *["--database-url", args.database_url, "--out", str(plan)],
            *["--workers", str(counts["workers"]), "--mash", str(counts["mash"])],
            *["--partners", str(counts["partners"])],
        ],
        check=True,
        cwd=ROOT,
    )
    return plan


def summarise(entry: StatsEntry, seconds: float) -> dict[str, Any]:
    count = entry.num_requests
    return {
        "requests": count,
        "failures": entry.num_failures,
        "error_rate": round(entry.num_failures / count, 5) if count else 0.0,
        "throughput_per_s": round(count / seconds, 2),
        "p50_ms": entry.get_response_time_percentile(0.5) if count else None,
        "p95_ms": entry.get_response_time_percentile(0.95) if count else None,
        "p99_ms": entry.get_response_time_percentile(0.99) if count else None,
        "max_ms": round(entry.max_response_time) if count else None,
    }


def staff_count(env: Environment) -> int:
    import locustfile

    runner = env.runner
    assert runner is not None
    staff = {c.__name__ for c in env.user_classes if issubclass(c, locustfile.StaffUser)}
    return sum(n for name, n in runner.user_classes_count.items() if name in staff)


def measure_step(env: Environment, users: int, args: argparse.Namespace, sampler: Any) -> dict:  # type: ignore[type-arg]
    """Ramp up to `users`, wait until every member of staff has signed in (a sign-in
    hashes a password: slow on purpose), settle, then measure."""
    import locustfile

    runner = env.runner
    assert runner is not None
    started = time.monotonic()
    runner.start(users, spawn_rate=args.spawn_rate)
    while runner.user_count < users:
        gevent.sleep(0.5)
    while (
        locustfile.SIGNED_IN["count"] < staff_count(env)
        and time.monotonic() - started < args.sign_in_seconds
    ):
        gevent.sleep(1)
    gevent.sleep(args.settle_seconds)  # the last to arrive open their first pages
    ramp = time.monotonic() - started
    signins = summarise(env.stats.get("sign-in", "POST"), ramp)
    during_ramp = {
        f"{m} {n}": summarise(e, ramp) for (n, m), e in sorted(env.stats.entries.items())
    }
    env.stats.reset_all()
    if sampler:
        sampler.start()
    window = time.monotonic()
    while time.monotonic() - window < args.step_seconds:
        gevent.sleep(2)
        if sampler:
            sampler.sample()
    seconds = time.monotonic() - window
    pages = StatsEntry(env.stats, "pages (sign-in apart)", "")
    by_name = {}
    for (name, method), entry in sorted(env.stats.entries.items()):
        by_name[f"{method} {name}"] = summarise(entry, seconds)
        if name != "sign-in":
            pages.extend(entry)
    step = {
        "users": users,
        "ramp_seconds": round(ramp, 1),
        "staff_signed_in": f"{locustfile.SIGNED_IN['count']} of {staff_count(env)}",
        "measured_seconds": round(seconds, 1),
        "all": summarise(pages, seconds),
        "by_request": by_name,
        "sign_ins_during_ramp": signins,
        "ramp_by_request": during_ramp,
        "errors": [
            {"request": f"{e.method} {e.name}", "error": str(e.error)[:300], "count": e.occurrences}
            for e in sorted(env.stats.errors.values(), key=lambda e: -e.occurrences)[:10]
        ],
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
    if sampler:
        step["cpu"] = sampler.result()
        step["limited_by"] = limit(step["cpu"], psutil.cpu_count() or 1)
    return step


def drive(
    args: argparse.Namespace,
    url: str,
    cafile: Path,
    plan: Path,
    serve_pid: int | None,
    write: Callable[[dict], None],  # type: ignore[type-arg]
) -> dict:  # type: ignore[type-arg]
    """Each step in turn; what is measured so far is written after every step."""
    os.environ.update(
        LOAD_PLAN=str(plan),
        LOAD_CAFILE=str(cafile),
        LOAD_THINK=args.think,
        LOAD_LEDGER=str(args.ledger or ""),
    )
    import locustfile

    classes = [
        locustfile.SocialWorker,
        locustfile.MashWorker,
        locustfile.PartnerFeed,
        locustfile.PublicReporter,
    ]
    env = Environment(user_classes=classes, host=url.rstrip("/"), events=events)
    env.create_local_runner()
    sampler = CpuSampler(serve_pid, args.database_url) if serve_pid else None
    steps, knee = [], None
    try:
        for users in [int(n) for n in args.steps.split(",")]:
            step = measure_step(env, users, args, sampler)
            steps.append(step)
            p95 = step["all"]["p95_ms"] or 0
            print(
                f"{users:>5} users: p50 {step['all']['p50_ms']} ms, p95 {p95} ms, "
                f"p99 {step['all']['p99_ms']} ms, {step['all']['throughput_per_s']} req/s, "
                f"errors {step['all']['error_rate']:.2%}, load {step['load_average']}, "
                f"{step.get('limited_by', '')}",
                flush=True,
            )
            if knee is None and p95 > KNEE_MS:
                knee = users
            write({"steps": steps, "knee_users": knee})
            if knee is not None and args.stop_at_knee:
                break
    finally:
        assert env.runner is not None
        env.runner.quit()
    return {"steps": steps, "knee_users": knee}


@contextlib.contextmanager
def target(args: argparse.Namespace) -> Iterator[tuple[str, Path, int | None]]:
    if args.url:
        yield args.url, args.cafile, args.serve_pid
        return
    with serve(
        args.database_url,
        port=args.port,
        state=args.state_dir,
        scale=args.scale,
        workers=args.workers,
    ) as served:
        yield served.url, served.cafile, served.process.pid


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    args.state_dir.mkdir(parents=True, exist_ok=True)
    most = max(int(n) for n in args.steps.split(","))
    started = datetime.now(UTC)
    out = args.out or RESULTS / f"{started:%Y%m%dT%H%M%SZ}-load-{args.scale}-postgresql.json"
    out.parent.mkdir(parents=True, exist_ok=True)

    def write(outcome: dict) -> None:  # type: ignore[type-arg]
        out.write_text(json.dumps(describe(args, started, outcome), indent=2) + "\n")

    with target(args) as (url, cafile, serve_pid):
        plan = make_plan(args, most)
        outcome = drive(args, url, cafile, plan, serve_pid, write)
    write(outcome)
    print(f"knee: {outcome['knee_users'] or 'none reached'}; written {out}")
    return 0


def describe(args: argparse.Namespace, started: datetime, outcome: dict) -> dict:  # type: ignore[type-arg]
    return {
        "benchmark": "load",
        "started_at": started.isoformat(timespec="seconds"),
        "scale": args.scale,
        "database": args.database_url.rsplit("/", 1)[-1],
        "cores": psutil.cpu_count(),
        "gunicorn_workers": args.workers or 2 * (psutil.cpu_count() or 1) + 1,
        "think_seconds": args.think,
        "step_seconds": args.step_seconds,
        "settle_seconds": args.settle_seconds,
        "knee_rule": f"first step whose p95 over the pages passes {KNEE_MS} ms",
        "target": "1,000 users at large with p95 < 1 s and errors < 0.1%",
        **outcome,
    }


if __name__ == "__main__":
    sys.exit(main())
