"""Faults under load, measured: what each does to users, how long until they are served
again, and proof afterwards that nothing acknowledged was lost or done twice.

On a PostgreSQL server of its own (initdb'd under /tmp and started with pg_ctl on
--pg-port, so restarting it disturbs nobody) and the stack's own Redis, it brings up the
production stack (scripts/serve_prod.py's set-up, supervised here so that one part can be
killed and started again, as systemd's Restart=always does), puts Locust users on it, and in
turn: kills a gunicorn worker (SIGKILL), kills the outbox relay while it delivers a
backlog, kills the job worker while it runs a job, restarts PostgreSQL, restarts Redis.
Then it stops the load, lets the relay finish, and runs bench/load/verify.py.

    .venv/bin/python bench/load/faults.py --users 60 --scale small

JSON goes to bench/results/. The job queue's timers are shortened for the run
(JOB_RETRY_SECONDS, JOB_LEASE_SECONDS) so a killed job comes back in a minute or two rather
than production's half hour; the result says so."""

# Locust patches the standard library for gevent; it must come before everything else.
from locust import events  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import gevent
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import ROOT

sys.path.insert(0, str(ROOT / "scripts"))
import serve_prod

RESULTS = ROOT / "bench" / "results"
PG_BIN = (
    sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
    if Path("/usr/lib/postgresql").exists()
    else Path("/usr/bin")
)
# The queue's timers for the run: a killed job is offered again after this long.
FAULT_JOB_ENV = {"JOB_TIMEOUT_SECONDS": "45", "JOB_RETRY_SECONDS": "60", "JOB_LEASE_SECONDS": "15"}


class SupervisedStack(serve_prod.Stack):
    """serve_prod's processes, each of which can be killed and started again."""

    def __init__(self, logs: Path) -> None:
        super().__init__(logs)
        self.recipes: dict[str, tuple[list[str], dict[str, str], int]] = {}
        self.restarts: list[dict[str, Any]] = []

    def start(
        self, name: str, argv: list[str], env: dict[str, str], stop_signal: int = signal.SIGTERM
    ) -> None:
        self.recipes[name] = (argv, env, stop_signal)
        super().start(name, argv, env, stop_signal)

    def pid(self, name: str) -> int:
        return next(p.pid for n, p, _ in self.processes if n == name and p.poll() is None)

    def kill(self, name: str) -> None:
        """SIGKILL to the part and everything it started (its own process group)."""
        os.killpg(self.pid(name), signal.SIGKILL)
        for n, process, _ in self.processes:
            if n == name:
                process.wait()

    def restart(self, name: str, why: str) -> None:
        self.processes = [(n, p, s) for n, p, s in self.processes if n != name or p.poll() is None]
        if any(n == name for n, _, _ in self.processes):
            return
        argv, env, stop_signal = self.recipes[name]
        super().start(name, argv, env, stop_signal)
        self.restarts.append({"part": name, "why": why, "at": time.monotonic()})

    def keep_running(self) -> None:
        """Start again whatever has exited (a worker that lost its database, say)."""
        for name, process, _ in list(self.processes):
            if process.poll() is not None and name != "nginx":
                self.restart(name, f"exited with status {process.returncode}")


# --- A PostgreSQL server of our own -------------------------------------------------------


def as_postgres(*argv: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


def start_own_postgres(directory: Path, port: int) -> str:
    if not (directory / "PG_VERSION").exists():
        directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(directory, "postgres", "postgres")
        subprocess.run(
            as_postgres(
                str(PG_BIN / "initdb"), "-D", str(directory), "-A", "trust", "-U", "postgres"
            ),
            check=True,
            capture_output=True,
        )
    running = subprocess.run(
        as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(directory), "status"), capture_output=True
    )
    if running.returncode != 0:
        pg_ctl(directory, port, "start")
    return f"postgres://postgres@127.0.0.1:{port}/safehub_faults"


def pg_ctl(directory: Path, port: int, action: str) -> None:
    options = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200"
    argv = [str(PG_BIN / "pg_ctl"), "-D", str(directory), "-w", "-l", str(directory / "log.txt")]
    argv += ["-o", options, action]
    if action == "restart":
        argv += ["-m", "fast"]
    subprocess.run(as_postgres(*argv), check=True, capture_output=True)


# --- The load and its timeline ------------------------------------------------------------


class Timeline:
    """Every request's end time, name, and whether it succeeded."""

    def __init__(self) -> None:
        self.rows: list[tuple[float, str, bool, float]] = []

    def record(
        self, request_type: str, name: str, response_time: float, exception: Any, **_: Any
    ) -> None:
        self.rows.append((time.monotonic(), name, exception is None, response_time))

    def window(self, start: float, end: float) -> dict[str, Any]:
        rows = [r for r in self.rows if start <= r[0] < end and r[1] != "sign-in"]
        failures = [r for r in rows if not r[2]]
        times = sorted(r[3] for r in rows)
        p95 = times[int(0.95 * (len(times) - 1))] if times else None
        last_failure = max((r[0] for r in failures), default=None)
        return {
            "requests": len(rows),
            "failures": len(failures),
            "error_rate": round(len(failures) / len(rows), 4) if rows else 0.0,
            "p95_ms": round(p95) if p95 is not None else None,
            "users_saw_errors_for_s": round(last_failure - start, 1) if last_failure else 0.0,
            "failed_requests": sorted({r[1] for r in failures}),
        }


def observe(stack: SupervisedStack, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        stack.keep_running()
        gevent.sleep(0.5)


def manage(database_url: str, code: str, env: dict[str, str]) -> str:
    """A line of Python run in Django against the fault database (the stack's settings)."""
    script = f"import django; django.setup()\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DATABASE_URL": database_url, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


# --- The faults ---------------------------------------------------------------------------


def kill_gunicorn_worker(stack: SupervisedStack, **_: Any) -> dict[str, Any]:
    workers = psutil.Process(stack.pid("gunicorn")).children()
    victim = max(workers, key=lambda w: w.cpu_percent(interval=0.2))
    victim.send_signal(signal.SIGKILL)
    return {"killed_pid": victim.pid, "workers_before": len(workers)}


BACKLOG = """
from safehub.notifications.models import OutboxMessage, Channel
from safehub.organisations.models import User
users = list(User.objects.filter(is_demo=True, is_active=True).exclude(email='')[:50])
rows = []
for i in range({count}):
    user = users[i % len(users)]
    channel = Channel.EMAIL if i % 2 else Channel.INBOX
    rows.append(OutboxMessage(
        channel=channel, dedupe_key='fault-{tag}-%d' % i, recipient_user=user,
        subject='A child was allocated to you', body='Backlog message %d' % i, link='/my-work/'))
OutboxMessage.objects.bulk_create(rows)
print(len(rows))
"""

SENT = """
from safehub.notifications.models import OutboxMessage
q = OutboxMessage.objects.filter(dedupe_key__startswith='fault-{tag}-')
print(q.filter(sent_at__isnull=False).count(), q.count())
"""


def kill_relay_mid_delivery(
    stack: SupervisedStack, database_url: str, env: dict[str, str], **_: Any
) -> dict[str, Any]:
    """A backlog (as after a mail outage) of 600 messages; the relay is killed part-way."""
    stack.kill("outbox-relay")
    tag = f"{int(time.time())}"
    manage(database_url, BACKLOG.format(count=600, tag=tag), env)
    stack.restart("outbox-relay", "delivers the backlog")
    sent_at_kill = 0
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        sent, total = (int(x) for x in manage(database_url, SENT.format(tag=tag), env).split())
        if 0 < sent < total:
            stack.kill("outbox-relay")
            sent_at_kill = sent
            break
        gevent.sleep(0.1)
    gevent.sleep(2)
    restarted = time.monotonic()
    stack.restart("outbox-relay", "after the kill")
    while time.monotonic() - restarted < 180:
        sent, total = (int(x) for x in manage(database_url, SENT.format(tag=tag), env).split())
        if sent == total:
            break
        gevent.sleep(1)
    return {
        "backlog": total,
        "sent_before_the_kill": sent_at_kill,
        "all_sent_after_restart_s": round(time.monotonic() - restarted, 1),
        "sent": sent,
    }


JOB = """
from safehub.insight.services import job_request
from safehub.organisations.models import User
analyst = User.objects.filter(role='performance_analyst', is_demo=True).first()
print(job_request(actor=analyst, kind='figures', params={{'as_of': '{as_of}'}}).pk)
"""


def job_state(database_url: str, pk: int | None = None) -> tuple[int, str, int]:
    """The job (or the newest one) read straight from its table: at small a job runs for a
    second or two, too short to catch by starting Django for every look."""
    import psycopg

    where = "WHERE id = %s" if pk else "ORDER BY id DESC LIMIT 1"
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            f"SELECT id, status, attempts FROM insight_job {where}",  # noqa: S608 - fixed text
            [pk] if pk else [],
        ).fetchone()
    return (int(row[0]), str(row[1]), int(row[2])) if row else (0, "", 0)


def kill_job_worker_mid_job(
    stack: SupervisedStack, database_url: str, env: dict[str, str], **_: Any
) -> dict[str, Any]:
    before, _, _ = job_state(database_url)
    as_of = datetime.now(UTC).date().isoformat()
    script = f"import django; django.setup()\n{JOB.format(as_of=as_of)}"
    asking = subprocess.Popen(  # asked for in the background, watched from here
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DATABASE_URL": database_url, "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}"},
        stdout=subprocess.DEVNULL,
    )
    caught, pk, status = False, 0, ""
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        pk, status, _ = job_state(database_url)
        if pk > before and status == "running":
            stack.kill("job-worker")
            caught = True
            break
        if pk > before and status in ("done", "failed"):
            break
        gevent.sleep(0.02)
    asking.wait()
    killed = time.monotonic()
    stack.restart("job-worker", "after the kill")
    _, status, attempts = job_state(database_url, pk)
    while time.monotonic() - killed < 300 and status not in ("done", "failed"):
        gevent.sleep(1)
        _, status, attempts = job_state(database_url, pk)
    return {
        "killed_while_running": caught,
        "job_status_after": status,
        "attempts": attempts,
        "done_after_kill_s": round(time.monotonic() - killed, 1),
        "timers": FAULT_JOB_ENV,
    }


def restart_postgres(
    stack: SupervisedStack, pg_dir: Path, pg_port: int, **_: Any
) -> dict[str, Any]:
    started = time.monotonic()
    pg_ctl(pg_dir, pg_port, "restart")
    return {"restart_took_s": round(time.monotonic() - started, 1)}


def restart_redis(stack: SupervisedStack, **_: Any) -> dict[str, Any]:
    stack.kill("redis")
    gevent.sleep(3)  # down for a few seconds, as a crashed server restarted by systemd
    stack.restart("redis", "restarted")
    return {"down_s": 3}


FAULTS = {
    "gunicorn worker killed": kill_gunicorn_worker,
    "outbox relay killed mid-delivery": kill_relay_mid_delivery,
    "job worker killed mid-job": kill_job_worker_mid_job,
    "PostgreSQL restarted": restart_postgres,
    "Redis restarted": restart_redis,
}


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--scale", default="small")
    parser.add_argument("--port", type=int, default=8144)
    parser.add_argument("--pg-port", type=int, default=55143)
    parser.add_argument("--pg-dir", type=Path, default=Path(tempfile.gettempdir()) / "h_load_pg")
    parser.add_argument("--state-dir", type=Path, default=ROOT / "var" / "load-faults")
    parser.add_argument("--observe-seconds", type=float, default=40)
    parser.add_argument("--think", default="2,6")
    parser.add_argument("--only", help="comma-separated fault names to run")
    parser.add_argument("--out", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started_at = datetime.now(UTC)
    state = args.state_dir.resolve()
    database_url = start_own_postgres(args.pg_dir, args.pg_port)
    os.environ.update(FAULT_JOB_ENV)
    stack = SupervisedStack(state / "logs")
    serve_args = serve_prod.parse_args(
        [
            *["--port", str(args.port), "--database-url", database_url],
            *["--state-dir", str(state), "--scale", args.scale, "--workers", "3"],
        ]
    )
    ledger = state / "ledger.jsonl"
    ledger.unlink(missing_ok=True)
    results: list[dict[str, Any]] = []
    try:
        url, cafile = serve_prod.prepare(serve_args, stack)
        env = stack.recipes["gunicorn"][1]  # the settings the stack itself runs with
        plan = state / "plan.json"
        subprocess.run(
            [
                *[sys.executable, str(ROOT / "bench" / "load" / "accounts.py")],
                *["--database-url", database_url, "--out", str(plan)],
                *[
                    "--workers",
                    str(args.users),
                    "--mash",
                    str(args.users),
                    "--partners",
                    str(args.users),
                ],
            ],
            check=True,
            cwd=ROOT,
        )
        os.environ.update(
            LOAD_PLAN=str(plan),
            LOAD_CAFILE=str(cafile),
            LOAD_THINK=args.think,
            LOAD_LEDGER=str(ledger),
        )
        import locustfile

        timeline = Timeline()
        events.request.add_listener(timeline.record)
        classes = [
            locustfile.SocialWorker,
            locustfile.MashWorker,
            locustfile.PartnerFeed,
            locustfile.PublicReporter,
        ]
        locust_env = Environment(user_classes=classes, host=url.rstrip("/"), events=events)
        runner = locust_env.create_local_runner()
        runner.start(args.users, spawn_rate=5)
        while runner.user_count < args.users:
            observe(stack, 1)
        staff = args.users - sum(
            n
            for name, n in runner.user_classes_count.items()
            if name in ("PartnerFeed", "PublicReporter")
        )
        ready_by = time.monotonic() + 600
        while locustfile.SIGNED_IN["count"] < staff and time.monotonic() < ready_by:
            observe(stack, 1)
        observe(stack, 10)  # everyone signed in and working
        base_start = time.monotonic()
        observe(stack, args.observe_seconds)
        baseline = timeline.window(base_start, time.monotonic())
        print(f"baseline: {baseline}", flush=True)
        chosen = args.only.split(",") if args.only else list(FAULTS)
        for name in chosen:
            at = time.monotonic()
            detail = FAULTS[name](
                stack=stack,
                database_url=database_url,
                env=env,
                pg_dir=args.pg_dir,
                pg_port=args.pg_port,
            )
            observe(stack, args.observe_seconds)
            seen = timeline.window(at, time.monotonic())
            restarts = [
                {**r, "at": round(r["at"] - at, 1)} for r in stack.restarts if r["at"] >= at
            ]
            results.append({"fault": name, **seen, "detail": detail, "restarted": restarts})
            print(f"{name}: {results[-1]}", flush=True)
        runner.quit()
        observe(stack, 10)  # the relay's next pass delivers what the last requests enqueued
        verified = subprocess.run(
            [
                *[sys.executable, str(ROOT / "bench" / "load" / "verify.py")],
                *["--database-url", database_url, "--ledger", str(ledger)],
                *["--mail-dir", str(state / "mail")],
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        proof = (
            json.loads(verified.stdout)
            if verified.stdout.strip()
            else {"error": verified.stderr[-2000:]}
        )
    finally:
        stack.stop()
        pg_ctl(args.pg_dir, args.pg_port, "stop")
    result = {
        "benchmark": "load-faults",
        "started_at": started_at.isoformat(timespec="seconds"),
        "scale": args.scale,
        "users": args.users,
        "think_seconds": args.think,
        "observe_seconds": args.observe_seconds,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "baseline": baseline,
        "faults": results,
        "proof": proof,
    }
    out = (
        args.out
        or RESULTS / f"{started_at:%Y%m%dT%H%M%SZ}-load-faults-{args.scale}-postgresql.json"
    )
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(f"written {out}; lost {proof.get('lost')}, done twice {proof.get('done_twice')}")
    return 0 if not proof.get("lost") and not proof.get("done_twice") else 1


if __name__ == "__main__":
    random.seed(16)
    sys.exit(main())
