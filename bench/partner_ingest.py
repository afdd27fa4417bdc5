"""Partner ingest benchmark: how many events a second `POST /api/v1/partner-events` takes in,
through the real API view with a bearer token, in batches of 100 and of 1,000, for the two
paths an event can take:

- `by_identifier`: each event carries the NHS number of a real child, so it is filed on that
  record at once (event row, audit row, chronology entry and link, the concern rules and
  the stored last contact, the sender told whether they may see the child);
- `by_name`: each event carries a name, date of birth and postcode only, so it is kept for
  the MASH's queue (never filed by name).

    python bench/partner_ingest.py --scale small --database-url sqlite:////tmp/bench-ingest.sqlite3
    python bench/partner_ingest.py --scale county --database-url postgres://postgres@127.0.0.1:5432/safehub_bench

The demo council is loaded first if the database is empty (as bench/run.py does). The events
are sent by the demo police's partner practitioner (police types other than domestic abuse,
so no Operation Encompass notice is made) with ids new to each run; they are committed, as
in production, so a run adds its events to the database. Each batch is timed end to end
(request parsing, the batch's durable transaction, the JSON answer) on the wall clock and in
CPU: this process's and, on a local PostgreSQL, its server process's (read from /proc), so a
shared machine's waiting for a core can be told from the batch's own cost. The load average
is recorded before and after each path. The queries a batch makes are counted on separate
batches. Results are JSON in bench/results/<time>-partner_ingest-<scale>-<database>.json.
Targets (at large, PostgreSQL): by identifier >= 2,000 events/s, by name >= 200 events/s.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _dataset, _load, _prepare  # noqa: E402

SEED = 20261203
SIZES = (100, 1000)  # events in a batch; 1,000 is the most the API takes
TARGETS = {"by_identifier": 2000.0, "by_name": 200.0}
TYPES = ["missing_episode", "return_from_missing", "household_adult_arrested"]


def _sender():  # type: ignore[no-untyped-def]
    from safehub.access.roles import Role
    from safehub.organisations.models import AgencyKind, User

    return (
        User.objects.filter(
            role=Role.PARTNER_PRACTITIONER, agency__kind=AgencyKind.POLICE, is_active=True
        )
        .order_by("pk")
        .first()
    )


def _token(user) -> str:  # type: ignore[no-untyped-def]
    from safehub.access.models import ApiToken, hash_token

    secret = ApiToken.new_secret()
    ApiToken.objects.create(user=user, name="partner ingest bench", token_hash=hash_token(secret))
    return secret


def _children(rng: random.Random, count: int) -> list[tuple]:  # type: ignore[type-arg]
    """Children with an NHS number held by nobody else, and their name details."""
    from django.db.models import Count

    from safehub.people.models import Person, PersonAddress

    shared = set(
        Person.objects.values("nhs_number")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("nhs_number", flat=True)
    )
    rows = [
        r
        for r in Person.objects.filter(
            kind="child", is_restricted=False, date_of_birth__isnull=False
        )
        .exclude(nhs_number="")
        .values_list("pk", "nhs_number", "given_name", "family_name", "date_of_birth")
        if r[1] not in shared
    ]
    postcodes = dict(
        PersonAddress.objects.filter(
            person_id__in=[r[0] for r in rows], end_date__isnull=True
        ).values_list("person_id", "address__postcode")
    )
    rng.shuffle(rows)
    return [(*r, postcodes.get(r[0], "")) for r in rows[:count]]


def _events(
    path: str, run: str, batch: int, size: int, children: list[tuple], rng: random.Random
) -> list[dict]:  # type: ignore[type-arg]
    out = []
    for n in range(size):
        _pk, nhs, given, family, born, postcode = children[(batch * size + n) % len(children)]
        event = {
            "event_id": f"{run}-{path}-{size}-{batch}-{n}",
            "type": rng.choice(TYPES),
            "occurred_at": "2026-11-20T21:30:00Z",
            "summary": "Officers attended the address; the child was spoken to and is safe.",
            "significance": "medium",
        }
        if path == "by_identifier":
            event["nhs_number"] = nhs
        else:
            event.update(
                given_name=given,
                family_name=family,
                date_of_birth=born.isoformat(),
                postcode=postcode or "DE1 1AA",
            )
        out.append(event)
    return out


def _send(client, url: str, token: str, events: list[dict]) -> dict:  # type: ignore[no-untyped-def, type-arg]
    response = client.post(
        url,
        json.dumps({"events": events}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()


def _count_queries(client, url: str, token: str, events: list[dict]) -> int:  # type: ignore[no-untyped-def, type-arg]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _send(client, url, token, events)
    return len(queries.captured_queries)


def _backend_cpu() -> float | None:
    """CPU seconds the database server's process for this connection has used, when it runs
    on this machine (read from /proc); None otherwise."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def measure(  # type: ignore[no-untyped-def]
    path: str, size: int, batches: int, run: str, children: list, token: str, rng
) -> dict:  # type: ignore[type-arg]
    from django.test import Client
    from django.urls import reverse

    client = Client()
    url = reverse("api-v1:partner_events_submit_api")
    load_before = _load_average()
    rates, cpu_rates, client_cpu, server_cpu, accepted = [], [], [], [], 0
    for batch in range(batches):
        events = _events(path, run, batch, size, children, rng)
        server = _backend_cpu()
        started, cpu = time.perf_counter(), time.process_time()
        answer = _send(client, url, token, events)
        seconds = time.perf_counter() - started
        # On a shared machine the wall clock counts waiting for a core; the CPU this process
        # and its database process used is what the batch itself cost.
        cpu = time.process_time() - cpu
        client_cpu.append(cpu)
        if server is not None and (after := _backend_cpu()) is not None:
            server_cpu.append(after - server)
            cpu_rates.append(size / (cpu + after - server))
        accepted += answer["accepted"]
        assert answer["accepted"] == size, {k: v for k, v in answer.items() if k != "results"}
        rates.append(size / seconds)
    # Queries a batch makes (COPY statements included), on a batch of its own: the same
    # whatever the size when a batch's writes are one per table (ADR 0032).
    queries = _count_queries(client, url, token, _events(path, f"{run}-q", 0, size, children, rng))
    median = statistics.median(rates)
    return {
        "path": path,
        "batch_size": size,
        "batches": batches,
        "accepted": accepted,
        "events_per_second": {"median": round(median, 1), "min": round(min(rates), 1)},
        "events_per_cpu_second": (
            {"median": round(statistics.median(cpu_rates), 1), "min": round(min(cpu_rates), 1)}
            if cpu_rates
            else None
        ),
        "cpu_seconds_per_batch": {
            "client_median": round(statistics.median(client_cpu), 3),
            "server_median": round(statistics.median(server_cpu), 3) if server_cpu else None,
        },
        "queries_per_batch": queries,
        "load_average": {"before": load_before, "after": _load_average()},
        "target_events_per_second": TARGETS[path],
        "meets_target_wall": median >= TARGETS[path],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--batches", type=int, default=5, help="batches of 1,000 a path (four times as many of 100)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    load_at_start = _load_average()
    from django.db import connection

    rng = random.Random(args.seed)
    sender = _sender()
    if sender is None:
        raise SystemExit("The demo council has no police partner practitioner to send as")
    token = _token(sender)
    children = _children(rng, 20000)
    run = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    results = [
        measure(p, size, args.batches * (4 if size < 1000 else 1), run, children, token, rng)
        for p in TARGETS
        for size in SIZES
    ]
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "partner_ingest",
        "scale": args.scale,
        "load_seconds": round(load_seconds, 1),
        "dataset": _dataset(),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load_average_at_start": load_at_start,
        },
        "results": results,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = out_dir / f"{stamp}-partner_ingest-{args.scale}-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    for r in results:
        cpu = (r["events_per_cpu_second"] or {}).get("median", 0)
        print(
            f"{r['path']}, batches of {r['batch_size']:,}: "
            f"{r['events_per_second']['median']:,.0f} events/s wall, {cpu:,.0f} per CPU second "
            f"(target {r['target_events_per_second']:,.0f}), {r['queries_per_batch']} queries "
            f"a batch, load average {r['load_average']['before'][0]}"
        )
    print(out)


if __name__ == "__main__":
    main()
