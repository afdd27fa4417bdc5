"""SafeHub benchmarks: load the synthetic council at a stated scale, time the pages users
feel, and write JSON results (median, p95, the bare SQL each page needs, query counts,
dataset size, database, machine) to bench/results/.

    python bench/run.py --scale large --database-url postgres://postgres@127.0.0.1:5432/safehub_bench

Each page is requested in-process through Django's test client as a signed-in user. Its
"bare SQL" time is the same SQL statements the page ran, replayed straight on a cursor
(inside a transaction that is rolled back), so page ÷ SQL shows what the application adds.
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

WARMUP = 5
SEED = 20261122


def _prepare(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    os.environ["DEMO_MODE"] = "true"
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the in-process test client
    if database_url.startswith("postgres"):
        import psycopg

        base, name = database_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (name,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()


def _load(scale: str) -> float:
    from django.core.management import call_command

    from safehub.people.models import Person

    call_command("migrate", verbosity=0)
    if Person.objects.exists():
        return 0.0
    started = time.perf_counter()
    call_command("seed_demo", scale=scale)
    return time.perf_counter() - started


def _client_for(username: str):  # type: ignore[no-untyped-def]
    from conftest import sign_in
    from django.test import Client

    from safehub.organisations.models import User

    return sign_in(Client(), User.objects.get(username=username))


def _replay(statements: list[dict]) -> float:
    """Run the captured SQL again, bare, and return the seconds it took."""
    from django.db import connection, transaction

    with transaction.atomic():
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement["sql"])
                if cursor.description:
                    cursor.fetchall()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def _measure(name: str, requests: list, iterations: int) -> dict:  # type: ignore[type-arg]
    """`requests` is a list of zero-argument callables returning a response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for call in requests[:WARMUP]:
        call()
    page_ms, sql_ms, counts = [], [], []
    for i in range(iterations):
        call = requests[i % len(requests)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = call()
            page_ms.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{name}: HTTP {response.status_code}")
        counts.append(len(captured.captured_queries))
        sql_ms.append(_replay(captured.captured_queries) * 1000)
    return _summary(name, page_ms, sql_ms, counts)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _summary(name: str, page_ms: list[float], sql_ms: list[float], counts: list[int]) -> dict:
    page_median, sql_median = statistics.median(page_ms), statistics.median(sql_ms)
    return {
        "name": name,
        "iterations": len(page_ms),
        "page_ms": {"median": round(page_median, 2), "p95": round(_percentile(page_ms, .95),
                                                                  2)},
        "bare_sql_ms": {"median": round(sql_median, 2),
                        "p95": round(_percentile(sql_ms, .95), 2)},
        "page_to_sql_ratio_median": round(page_median / sql_median, 2) if sql_median else None,
        "queries_per_request": {"min": min(counts), "max": max(counts)},
    }


def _search_requests(rng: random.Random) -> list:  # type: ignore[type-arg]
    """Realistic searches built from real records: full names, a typo, part names, name with
    date of birth, NHS number, postcode."""
    from django.urls import reverse

    from safehub.people.models import Person, PersonAddress

    client = _client_for("mash.worker")
    url = reverse("people:person-search")
    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = rng.sample(range(1, top + 1), 60)
    sample = list(Person.objects.filter(pk__in=ids, is_restricted=False)[:40])
    postcodes = list(PersonAddress.objects.filter(person__in=sample[:10], end_date__isnull=True)
                     .values_list("address__postcode", flat=True))
    forms = []
    for person in sample:
        given, family = person.given_name, person.family_name
        typo = family[:-2] + family[-1] + family[-2] if len(family) > 3 else family
        forms += [{"name": f"{given} {family}"}, {"name": f"{given} {typo}"},
                  {"name": f"{given[:3]} {family[:4]}"}]
        if person.date_of_birth:
            forms.append({"name": family, "date_of_birth-day": person.date_of_birth.day,
                          "date_of_birth-month": person.date_of_birth.month,
                          "date_of_birth-year": person.date_of_birth.year})
        if person.nhs_number:
            forms.append({"nhs_number": person.nhs_number})
    forms += [{"postcode": p} for p in postcodes]
    rng.shuffle(forms)
    return [lambda f=f: client.post(url, f) for f in forms]


def _person_page_requests() -> tuple[list, dict]:  # type: ignore[type-arg]
    from django.db.models import Count
    from django.urls import reverse

    from safehub.access.models import Involvement
    from safehub.chronology.models import ChronologyLink

    # The long-history children the social worker is allocated, as they would open them.
    mine = Involvement.objects.filter(user__username="social.worker",
                                      end_date__isnull=True).values("person")
    busiest = list(ChronologyLink.objects.filter(person__in=mine, person__is_restricted=False)
                   .values("person").annotate(n=Count("id"))
                   .filter(n__gte=500).order_by("-n")[:10])
    if not busiest:
        raise SystemExit("no person with 500+ chronology entries: is the demo loaded?")
    client = _client_for("social.worker")
    urls = [reverse("people:person-detail", args=[b["person"]]) for b in busiest]
    return [lambda u=u: client.get(u) for u in urls], {
        "people": len(busiest), "chronology_entries_min": min(b["n"] for b in busiest),
        "chronology_entries_max": max(b["n"] for b in busiest)}


def _query_count_independence() -> dict:
    """The person page's query count for a short and a long chronology."""
    from django.db import connection
    from django.db.models import Count
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from safehub.access.models import Involvement
    from safehub.chronology.models import ChronologyLink

    client = _client_for("social.worker")
    mine = Involvement.objects.filter(user__username="social.worker",
                                      end_date__isnull=True).values("person")
    counts = (ChronologyLink.objects.filter(person__in=mine).values("person")
              .annotate(n=Count("id")).order_by("n"))
    short, long = counts.first(), counts.last()
    out = {}
    for label, row in (("short", short), ("long", long)):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("people:person-detail", args=[row["person"]]))
        out[label] = {"chronology_entries": row["n"],
                      "queries": len(captured.captured_queries)}
    out["independent"] = out["short"]["queries"] == out["long"]["queries"]
    return out


def _dataset() -> dict:
    from django.db import connection

    from safehub.audit.models import AuditEvent
    from safehub.chronology.models import ChronologyEntry, ChronologyLink
    from safehub.people.models import Person, PersonName

    return {
        "persons": Person.objects.count(), "names": PersonName.objects.count(),
        "chronology_entries": ChronologyEntry.objects.count(),
        "chronology_links": ChronologyLink.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "database": connection.vendor,
        "database_version": ".".join(str(v) for v in connection.Database.__version__.split()
                                     [:1]) if connection.vendor != "postgresql"
        else connection.cursor().connection.info.server_version,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=200)
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    rng = random.Random(SEED)
    search = _measure("person_search", _search_requests(rng), args.iterations)
    page_requests, page_data = _person_page_requests()
    person_page = _measure("person_page_long_chronology", page_requests, args.iterations)
    person_page["data"] = page_data
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "load_seconds": round(load_seconds, 1),
        "dataset": _dataset(),
        "machine": {"platform": platform.platform(), "python": platform.python_version(),
                    "cpus": os.cpu_count()},
        "targets": {"p95_ms": 150, "page_to_sql_ratio": 2.0},
        "benchmarks": [search, person_page],
        "person_page_query_count": _query_count_independence(),
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{stamp}-{args.scale}-{result['dataset']['database']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
