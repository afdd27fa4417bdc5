"""CPU per request of the load test's mix (bench/load/locustfile.py), in one process, under
the production stack's settings (production_demo: JSON request log lines, a Redis cache,
secure cookies, CSRF enforced), so a change to what every request pays can be measured
without the whole stack and without a quiet machine (CPU time, not wall time):

    python bench/mix_cost.py --database-url postgres://postgres@127.0.0.1:5432/DB \\
        [--rounds 30] [--profile out.prof] [--label before]

Each request Locust makes is made here with Django's test client, by the same accounts the
load test uses (bench/load/accounts.py, made if missing in DB), in the same order: a social
worker's day (my work, search, a child's record and casework, a visit and a note each
autosaved twice), the MASH's triage, a partner feed's batch and a member of the public's
report. A redirect Locust follows is a second request here, named as gunicorn would see it.
Writes are real (DB gains visits, notes, contacts, partner events and audit rows, as under
load): run it against a database of your own, never one somebody else is measuring.

Prints, for each kind of request, its CPU time (mean and median, ms), the PostgreSQL server
process's CPU time for it (a local server: /proc/PID/schedstat) and its queries, and the
mix's mean CPU per request weighted by how often the load test at 700 users made each kind
(its JSON's counts), per Locust request (a followed redirect included) and per request
gunicorn serves. Writes the result as JSON to bench/results/<stamp>-<scale>-mix-cost-<label>.json
with --label. A Redis server of its own is started on a free port and stopped at the end."""

import argparse
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT), str(ROOT / "bench" / "load")]

# How often each kind of request was made at 700 users (the last step under the knee) in the
# load test at `large` (results/20261205T231732Z-load-large-postgresql.json): Locust's names.
LOAD_COUNTS_700 = {
    "GET MASH queue": 162,
    "POST autosave": 785,
    "GET casework page": 317,
    "GET contact page": 155,
    "GET my work": 118,
    "GET note form": 121,
    "POST partner events API": 324,
    "GET person page": 455,
    "GET public form page": 186,
    "POST public form page": 155,
    "POST public report sent": 14,
    "POST record note": 100,
    "POST record visit": 192,
    "GET search": 347,
    "POST search": 350,
    "GET visit form": 307,
}
# What gunicorn serves for a Locust request that follows a redirect.
FOLLOWED = {
    "POST record visit": "GET casework page (after saving)",
    "POST record note": "GET casework page (after saving)",
    "POST public form page": "GET public form page (after answering)",
    "POST public report sent": "GET public report sent (after sending)",
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
IDEMPOTENCY = re.compile(r'name="idempotency_key"[^>]*value="([^"]+)"')
TOKEN = re.compile(r'name="token" value="([^"]+)"')
ORIGIN = "https://testserver"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _setup(database_url: str, cache_url: str, log: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "safehub.config.settings.production_demo",
            "DATABASE_URL": database_url,
            "CACHE_URL": cache_url,
            "SECRET_KEY": "bench-mix-cost-" + "k" * 40,
            "AUDIT_SEAL_KEY": "bench-mix-cost-seal-" + "s" * 40,
            "ALLOWED_HOSTS": "testserver",
            "TRUSTED_PROXY_COUNT": "1",
            "SITE_URL": ORIGIN,
            "STATIC_ROOT": str(ROOT / "var" / "mix-cost-static"),
        }
    )
    # The request log lines go where gunicorn's would: a file, not the terminal.
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(fd, 2)
    import django

    django.setup()
    from django.core.management import call_command

    # The hashed asset names production's pages link to (serve_prod.py collects them too).
    call_command("collectstatic", interactive=False, verbosity=0)


def _backend_pid(connection: Any) -> int | None:
    """The PostgreSQL server process serving Django's connection, if one is open."""
    if connection.vendor != "postgresql" or connection.connection is None:
        return None
    return int(connection.connection.info.backend_pid)


def _run_time_ns(pid: int | None) -> int | None:
    """CPU time a local process has run, in nanoseconds (the kernel's scheduler account,
    exact rather than sampled at clock ticks like /proc/PID/stat)."""
    if pid is None:
        return None
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


class Mix:
    def __init__(self, plan: dict[str, Any], rng: random.Random) -> None:
        from conftest import sign_in
        from django.test import Client

        from safehub.organisations.models import User

        self.plan, self.rng = plan, rng
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.queries: dict[str, list[int]] = defaultdict(list)
        self.postgres: dict[str, list[float]] = defaultdict(list)
        self.timing = True
        self.sampler: Sampler | None = None

        def client() -> Any:
            return Client(
                enforce_csrf_checks=True,
                HTTP_HOST="testserver",
                HTTP_ORIGIN=ORIGIN,
                HTTP_X_FORWARDED_PROTO="https",
            )

        def staff(account: dict[str, Any]) -> Any:
            return sign_in(client(), User.objects.get(username=account["username"]))

        self.worker_account = plan["workers"][0]
        self.worker = staff(self.worker_account)
        self.mash = staff(plan["mash"][0])
        self.partner = client()
        self.partner_token = plan["partners"][0]["token"]
        self.public = client

    def timed(self, name: str, call: Callable[[], Any], status: tuple[int, ...] = (200,)) -> Any:
        from django.db import connection

        if self.sampler is not None:
            self.sampler.request = name
        if not self.timing:
            response = call()
        else:
            count = [0]

            def counting(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                count[0] += 1
                return execute(sql, params, many, context)

            # Counted by a wrapper, not Django's debug cursor, whose logging costs CPU itself.
            backend = _backend_pid(connection)
            server_before = _run_time_ns(backend)
            with connection.execute_wrapper(counting):
                started = time.process_time()
                response = call()
                spent = time.process_time() - started
            self.cpu[name].append(spent * 1000)
            self.queries[name].append(count[0])
            # The server's side, when the request kept the connection it started with.
            if server_before is not None and _backend_pid(connection) == backend:
                server_after = _run_time_ns(backend)
                if server_after is not None:
                    self.postgres[name].append((server_after - server_before) / 1e6)
        if response.status_code not in status:
            raise SystemExit(f"{name}: HTTP {response.status_code} {response.get('Location', '')}")
        return response

    @staticmethod
    def field(pattern: re.Pattern[str], response: Any) -> str:
        found = pattern.search(response.content.decode())
        return found.group(1) if found else ""

    def search(self, client: Any) -> Any:
        page = self.timed("GET search", lambda: client.get("/people/"))
        name = self.rng.choice(self.plan["names"])
        token = self.field(CSRF, page)
        return self.timed(
            "POST search",
            lambda: client.post("/people/", {"csrfmiddlewaretoken": token, "name": name}),
        )

    def social_worker(self) -> None:
        c = self.worker
        self.timed("GET my work", lambda: c.get("/my-work/"))
        self.search(c)
        child = self.rng.choice(self.worker_account["children"])
        self.timed("GET person page", lambda: c.get(f"/people/{child}/"))
        self.timed("GET casework page", lambda: c.get(f"/children/{child}/casework/"))
        self.record(c, "visit", child)
        self.record(c, "note", child)

    def record(self, c: Any, kind: str, child: int) -> None:
        base = f"/children/{child}/casework/"
        form = self.timed(f"GET {kind} form", lambda: c.get(f"{base}{kind}s/new/"))
        csrf = self.field(CSRF, form)
        text = f"Seen at home; all well. load-{uuid.uuid4().hex[:12]}"
        for typed in (text[: len(text) // 2], text):
            self.timed(
                "POST autosave",
                lambda typed=typed: c.post(
                    f"{base}draft/",
                    {"csrfmiddlewaretoken": csrf, "kind": kind, "text": typed},
                    headers={"X-CSRFToken": csrf},
                ),
            )
        day = datetime.now(UTC).date() - timedelta(days=1)
        answers: dict[str, str] = (
            {
                "visited_on-day": str(day.day),
                "visited_on-month": str(day.month),
                "visited_on-year": str(day.year),
                "seen": "alone",
                "note": text,
            }
            if kind == "visit"
            else {"text": text}
        )
        answers["idempotency_key"] = self.field(IDEMPOTENCY, form)
        saved = self.timed(
            f"POST record {kind}",
            lambda: c.post(f"{base}{kind}s/new/", {"csrfmiddlewaretoken": csrf, **answers}),
            status=(302,),
        )
        self.timed(FOLLOWED[f"POST record {kind}"], lambda: c.get(saved["Location"]))

    def mash_worker(self) -> None:
        c = self.mash
        self.timed("GET MASH queue", lambda: c.get("/mash/"))
        reference = self.rng.choice(self.plan["contacts"])
        self.timed("GET contact page", lambda: c.get(f"/mash/contacts/{reference}/"))
        page = self.search(c)
        person = re.search(r'href="/people/(\d+)/"', page.content.decode())
        if person:
            self.timed("GET person page", lambda: c.get(f"/people/{person.group(1)}/"))

    def partner_feed(self) -> None:
        today = datetime.now(UTC).date()
        events = [
            {
                "event_id": f"load-{uuid.uuid4().hex}",
                "type": "dsl_welfare_concern",
                "occurred_at": today.isoformat(),
                "nhs_number": self.rng.choice(self.plan["nhs_numbers"]),
                "summary": "Came to school without a coat again; said the heating is off.",
                "significance": "medium",
            }
            for _ in range(self.rng.randint(1, 5))
        ]
        self.timed(
            "POST partner events API",
            lambda: self.partner.post(
                "/api/v1/partner-events",
                data=json.dumps({"events": events}),
                content_type="application/json",
                headers={"Authorization": f"Bearer {self.partner_token}"},
            ),
        )

    def public_reporter(self) -> None:
        address = (
            f"10.{self.rng.randint(1, 254)}.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}"
        )
        c = self.public()
        c.defaults["HTTP_X_FORWARDED_FOR"] = address
        born = datetime(2012, 1, 1, tzinfo=UTC).date() + timedelta(days=self.rng.randint(0, 3000))
        pages = [
            (
                "child",
                {
                    "given_name": "Ava",
                    "family_name": "Brook",
                    "date_of_birth-day": str(born.day),
                    "date_of_birth-month": str(born.month),
                    "date_of_birth-year": str(born.year),
                    "age_description": "",
                },
            ),
            (
                "address",
                {"address_line_1": "1 Test Row", "town": "Testford", "postcode": "TE1 4AB"},
            ),
            (
                "what-happened",
                {"concern_summary": "Heard shouting and a child crying late at night."},
            ),
            ("danger", {"in_danger_now": "no"}),
            ("about-you", {"relationship": "acquaintance", "give_name": "no"}),
        ]
        self.timed("GET public form page", lambda: c.get("/report/"))
        for page, answers in pages:
            form = self.timed("GET public form page", lambda page=page: c.get(f"/report/{page}/"))
            token = self.field(CSRF, form)
            answered = self.timed(
                "POST public form page",
                lambda page=page, answers=answers, token=token: c.post(
                    f"/report/{page}/", {"csrfmiddlewaretoken": token, **answers}
                ),
                status=(302,),
            )
            following = answered["Location"]
            self.timed(FOLLOWED["POST public form page"], lambda to=following: c.get(to))
        check = self.timed("GET public form page", lambda: c.get("/report/check-your-answers/"))
        sent = self.timed(
            "POST public report sent",
            lambda: c.post(
                "/report/send/",
                {"csrfmiddlewaretoken": self.field(CSRF, check), "token": self.field(TOKEN, check)},
            ),
            status=(302,),
        )
        self.timed(FOLLOWED["POST public report sent"], lambda: c.get(sent["Location"]))

    def round(self) -> None:
        self.social_worker()
        self.mash_worker()
        self.partner_feed()
        self.public_reporter()


class Sampler:
    """Where the CPU goes, without cProfile's overhead (which inflates call-heavy code such as
    template macros and query compilation several times over): the stack is sampled every
    millisecond of CPU time, and each function is counted once per sample it is on (inclusive)
    and when it is the one running (self)."""

    def __init__(self) -> None:
        self.inclusive: dict[str, int] = defaultdict(int)
        self.own: dict[str, int] = defaultdict(int)
        self.samples = 0
        self.request = ""  # the kind of request being made, set by Mix.timed
        self.by_request: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        self.request_samples: dict[str, int] = defaultdict(int)

    def _sample(self, signum: int, frame: Any) -> None:
        self.samples += 1
        self.request_samples[self.request] += 1
        per_request = self.by_request[self.request]
        seen = set()
        top = True
        while frame is not None:
            code = frame.f_code
            where = code.co_filename.replace(str(ROOT), "").split("site-packages/")[-1]
            key = f"{where}:{code.co_name}"
            if top:
                self.own[key] += 1
                top = False
            if key not in seen:
                seen.add(key)
                self.inclusive[key] += 1
                per_request[key] += 1
            frame = frame.f_back

    def start(self) -> None:
        import signal

        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, 0.001, 0.001)

    def stop(self) -> None:
        import signal

        signal.setitimer(signal.ITIMER_PROF, 0, 0)

    def report(self, top: int = 80) -> str:
        lines = [f"{self.samples} samples (1 ms of CPU each)", "inclusive:"]
        for key, n in sorted(self.inclusive.items(), key=lambda kv: -kv[1])[:top]:
            lines.append(f"{100 * n / self.samples:6.1f}%  {key}")
        lines.append("self:")
        for key, n in sorted(self.own.items(), key=lambda kv: -kv[1])[:top]:
            lines.append(f"{100 * n / self.samples:6.1f}%  {key}")
        for request, total in sorted(self.request_samples.items(), key=lambda kv: -kv[1]):
            lines.append(f"--- {request}: {total} samples")
            for key, n in sorted(self.by_request[request].items(), key=lambda kv: -kv[1])[:top]:
                if "mix_cost.py" not in key and "test/client.py" not in key:
                    lines.append(f"{100 * n / total:6.1f}%  {key}")
        return "\n".join(lines)


def _summary(mix: Mix) -> dict[str, Any]:
    kinds = {
        name: {
            "requests": len(ms),
            "cpu_ms_mean": round(statistics.fmean(ms), 2),
            "cpu_ms_median": round(statistics.median(ms), 2),
            "queries_median": statistics.median(mix.queries[name]),
            **(
                {
                    "postgres_cpu_ms_mean": round(statistics.fmean(mix.postgres[name]), 2),
                    "postgres_cpu_ms_median": round(statistics.median(mix.postgres[name]), 2),
                }
                if mix.postgres.get(name)
                else {}
            ),
        }
        for name, ms in sorted(mix.cpu.items())
    }

    def mix(per: str) -> float:
        ms = {name: k.get(per, 0.0) for name, k in kinds.items()}
        total = sum(
            count * (ms[name] + ms.get(FOLLOWED.get(name, ""), 0.0))
            for name, count in LOAD_COUNTS_700.items()
        )
        return round(total / sum(LOAD_COUNTS_700.values()), 2)

    return {
        "by_request": kinds,
        # CPU is additive, so the mean is the load's cost; the median is steadier on a busy
        # machine (another process's burst lands on a few requests).
        "mix_cpu_ms_per_locust_request": mix("cpu_ms_mean"),
        "mix_postgres_cpu_ms_per_locust_request": mix("postgres_cpu_ms_mean"),
        "mix_cpu_ms_per_locust_request_from_medians": mix("cpu_ms_median"),
        "locust_requests_per_served_request": round(
            sum(LOAD_COUNTS_700.values())
            / (
                sum(LOAD_COUNTS_700.values())
                + sum(count for name, count in LOAD_COUNTS_700.items() if name in FOLLOWED)
            ),
            3,
        ),
        "weights": "request counts at 700 users, 20261205T231732Z-load-large-postgresql.json",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the measured rounds")
    parser.add_argument("--sample", type=Path, help="write a sampled profile (text) here")
    parser.add_argument("--label", help="write the result to bench/results/ with this label")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()

    state = Path(tempfile.mkdtemp(prefix="mix-cost-"))
    port = _free_port()
    redis = subprocess.Popen(  # noqa: S603 - our own redis-server, on a port of our own
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--dir",
            str(state),
        ],
        stdout=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.3)
        log = ROOT / "var" / "mix-cost.log"
        _setup(args.database_url, f"redis://127.0.0.1:{port}/0", log)
        import accounts

        plan = accounts.build(workers=1, mash=1, partners=1, seed=args.seed)
        mix = Mix(plan, random.Random(args.seed))
        mix.timing = False
        for _ in range(args.warmup):
            mix.round()
        mix.timing = True
        profile = None
        if args.profile:
            import cProfile

            profile = cProfile.Profile(time.process_time)  # CPU, not waits
            profile.enable()
        sampler = Sampler() if args.sample else None
        if sampler is not None:
            mix.sampler = sampler
            sampler.start()
        for _ in range(args.rounds):
            mix.round()
        if sampler is not None:
            sampler.stop()
            args.sample.write_text(sampler.report(150) + "\n")
        if profile is not None:
            profile.disable()
            profile.dump_stats(args.profile)
        result = {
            "benchmark": "mix_cost",
            "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": args.database_url.rsplit("/", 1)[1],
            "rounds": args.rounds,
            "profiled": bool(args.profile),
            **_summary(mix),
        }
        print(json.dumps(result, indent=1))
        if args.label:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            out = ROOT / "bench" / "results" / f"{stamp}-mix-cost-{args.label}.json"
            out.write_text(json.dumps(result, indent=1) + "\n")
            print(f"written to {out.relative_to(ROOT)}")
        return 0
    finally:
        redis.terminate()
        redis.wait()
        shutil.rmtree(state, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
