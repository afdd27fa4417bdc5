"""The multi-agency chronology benchmark (ADR 0023): a child's chronology page with 5,000
entries, the household view of eight people, and the two-year court chronology PDF (about
1,000 entries), through the real request path as the child's social worker.

    python bench/chronology.py --scale small --database-url sqlite:///var/bench-chronology.sqlite3
    python bench/chronology.py --scale county --database-url postgres://postgres@127.0.0.1:5432/h_a

On top of the loaded demo council (`seed_demo --scale ...`, loaded if the database is
empty), it chooses two unrestricted children allocated to `social.worker`: the first is given
`--entries` entries over ten years from every kind of partner (a fifth of them in the last two
years, some restricted, some marked key events with analysis by two workers) and a household
of eight, each housemate with `--housemate-entries` of their own; the second gets the same
mix, only 20 entries, to show the page's query count does not grow with the chronology. Its
own rows carry `source_type = "bench.chronology"`, so a second run finds them and adds none.
Results go to bench/results/<stamp>-chronology-<scale>-<database>.json.
"""

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _client_for, _dataset, _load, _measure, _prepare  # noqa: E402

SEED = 20261203
MARK = "bench.chronology"
TARGETS = {
    "chronology_page_p95_ms": 150,
    "household_page_p95_ms": 250,
    "court_pdf_max_ms": 3000,
    "query_count_independent_of_length": True,
}
# What a partner-fed chronology holds: (event type, category, agency kind, restricted).
MIX = [
    ("PARTNER_DSL_WELFARE_CONCERN", "education", "school", False),
    ("PARTNER_PERSISTENT_ABSENCE", "education", "school", False),
    ("PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT", "police", "police", False),
    ("PARTNER_EXPLOITATION_INTELLIGENCE", "police", "police", True),
    ("PARTNER_ED_ATTENDANCE", "health", "nhs_trust", False),
    ("PARTNER_WAS_NOT_BROUGHT", "health", "gp_practice", False),
    ("PARTNER_EVICTION_NOTICE", "housing", "housing", False),
    ("SOCIAL_CARE_NOTE", "social_care", "local_authority", False),
]


def _chosen_children() -> tuple[object, object]:
    from safehub.access.models import Involvement
    from safehub.people.models import Person, PersonAddress

    mine = Involvement.objects.filter(
        user__username="social.worker", end_date__isnull=True, kind="allocated_worker"
    ).values("person")
    housed = PersonAddress.objects.filter(end_date__isnull=True, household__isnull=False).values(
        "person"
    )
    children = list(
        Person.objects.filter(pk__in=mine, kind="child", is_restricted=False)
        .filter(pk__in=housed)
        .order_by("pk")[:2]
    )
    if len(children) < 2:
        raise SystemExit("social.worker has fewer than two housed children: is the demo loaded?")
    return children[0], children[1]


def _agencies() -> dict:
    from safehub.organisations.models import Agency

    found = {}
    for kind in {m[2] for m in MIX}:
        agency = Agency.objects.filter(kind=kind).order_by("pk").first()
        if agency is not None:
            found[kind] = agency
    return found


def _entries_for(person, count: int, today: date, rng: random.Random) -> int:
    """`count` entries over the ten years to `today` (one in five in the last two), each of
    the mix in turn. Bulk-written like the demo loader; returns how many were written."""
    from safehub.chronology.models import ChronologyEntry, ChronologyLink
    from safehub.core.workdays import LONDON

    if ChronologyEntry.objects.filter(source_type=MARK, links__person=person).exists():
        return 0
    agencies = _agencies()
    entries = []
    for n in range(count):
        code, category, kind, restricted = MIX[n % len(MIX)]
        recent = n % 5 == 0
        days_back = rng.randint(0, 729) if recent else rng.randint(730, 3650)
        when = datetime.combine(
            today - timedelta(days=days_back), datetime.min.time(), tzinfo=LONDON
        ) + timedelta(hours=rng.randint(7, 21), minutes=rng.randint(0, 59))
        entries.append(
            ChronologyEntry(
                occurred_at=when,
                source_agency=agencies.get(kind),
                event_type=code,
                category=category,
                significance=rng.choice([1, 1, 2, 2, 3, 4]),
                summary=f"Benchmark entry {n} for the chronology of person {person.pk}.",
                recorded_at=when,
                source_type=MARK,
                source_id=str(n),
                restricted=restricted,
            )
        )
    ChronologyEntry.objects.bulk_create(entries, batch_size=2_000)
    ChronologyLink.objects.bulk_create(
        [ChronologyLink(entry=e, person=person, occurred_at=e.occurred_at) for e in entries],
        batch_size=2_000,
    )
    _notes(person, entries[::25])
    return len(entries)


def _notes(person, entries: list) -> None:
    """Key events and analysis by the worker and their manager on one entry in 25."""
    from safehub.multiagency.models import EntryNote
    from safehub.organisations.models import User

    authors = list(User.objects.filter(username__in=["social.worker", "team.manager"]))
    EntryNote.objects.bulk_create(
        [
            EntryNote(
                person=person,
                entry=entry,
                author=author,
                key_event=True,
                analysis=f"Analysis of benchmark entry {entry.source_id} by {author.username}.",
            )
            for entry in entries
            for author in authors
        ],
        batch_size=2_000,
    )


def _household_of_eight(child, housemate_entries: int, today: date, rng: random.Random) -> int:
    """Fill the child's current household up to eight people (the social worker's team works
    with each newcomer, so they are shown), each with their own entries."""
    from safehub.access.models import Involvement
    from safehub.organisations.models import User
    from safehub.people.models import Person, PersonAddress

    home = PersonAddress.objects.filter(person=child, end_date__isnull=True).first()
    members = PersonAddress.objects.filter(household_id=home.household_id, end_date__isnull=True)
    team = User.objects.get(username="social.worker").team
    for n in range(max(0, 8 - members.count())):
        adult = n % 2 == 0
        person = Person.objects.create(
            kind="adult" if adult else "child",
            given_name=f"Bench{n}",
            family_name="Household",
            date_of_birth=today - timedelta(days=(30 if adult else 8) * 365 + n),
            disabilities=[] if adult else ["NONE"],
            upn_unknown="" if adult else "UN4",
        )
        PersonAddress.objects.create(
            person=person, address=home.address, household_id=home.household_id
        )
        Involvement.objects.create(person=person, kind="team", team=team)
    for member in members.exclude(person=child).select_related("person"):
        _entries_for(member.person, housemate_entries, today, rng)
    return members.count()


def _court_pdf_requests(child) -> list:  # type: ignore[type-arg]
    from django.urls import reverse

    client = _client_for("social.worker")
    url = reverse("multiagency:court-export", args=[child.pk])
    return [lambda: client.get(url, {"format": "pdf"})]


def _page_requests(child) -> dict:  # type: ignore[type-arg]
    from django.urls import reverse

    client = _client_for("social.worker")
    page = reverse("multiagency:chronology", args=[child.pk])
    household = reverse("multiagency:household", args=[child.pk])
    return {
        "chronology_page": [
            lambda: client.get(page),
            lambda: client.get(page, {"page": "50"}),
            lambda: client.get(page, {"page": "150"}),
        ],
        "chronology_page_filtered": [
            lambda: client.get(page, {"category": "police", "significance": ["3", "4"]}),
            lambda: client.get(page, {"key_events": "true"}),
            lambda: client.get(
                page,
                {
                    "date_from-day": "1",
                    "date_from-month": "1",
                    "date_from-year": "2020",
                    "event_type": "PARTNER_ED_ATTENDANCE",
                },
            ),
        ],
        "household_page": [
            lambda: client.get(household),
            lambda: client.get(household, {"page": "9"}),
        ],
    }


def _query_counts(long_child, short_child) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from safehub.chronology.models import ChronologyLink

    client = _client_for("social.worker")
    counts = {}
    for label, child in (("short", short_child), ("long", long_child)):
        row = {"entries": ChronologyLink.objects.filter(person=child).count()}
        for name in ("chronology", "household"):
            url = reverse(f"multiagency:{name}", args=[child.pk])
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            row[f"{name}_queries"] = len(captured.captured_queries)
        counts[label] = row
    counts["independent"] = all(
        counts["short"][k] == counts["long"][k] for k in ("chronology_queries", "household_queries")
    )
    return counts


def _analyze_what_was_added() -> None:
    """Bring the planner's statistics up to date for the tables this run wrote to, as
    autovacuum would on a production server (it is off on some, this machine's included):
    planned on the statistics of before, the household's entries were read by a worse plan."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    from safehub.chronology.models import ChronologyEntry, ChronologyLink
    from safehub.people.models import PersonAddress

    with connection.cursor() as cursor:
        for model in (ChronologyEntry, ChronologyLink, PersonAddress):
            cursor.execute(f"ANALYZE {model._meta.db_table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="small")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--pdf-iterations", type=int, default=10)
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--housemate-entries", type=int, default=600)
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    from django.utils import timezone

    from safehub.chronology.models import ChronologyLink

    rng = random.Random(SEED)
    today = timezone.localdate()
    long_child, short_child = _chosen_children()
    started = time.perf_counter()
    added = _entries_for(long_child, args.entries, today, rng)
    _entries_for(short_child, 20, today, rng)
    household = _household_of_eight(long_child, args.housemate_entries, today, rng)
    _analyze_what_was_added()
    setup_seconds = time.perf_counter() - started
    benchmarks = []
    for name, requests in _page_requests(long_child).items():
        benchmarks.append(_measure(name, requests, args.iterations))
    benchmarks.append(
        _measure("court_pdf_two_years", _court_pdf_requests(long_child), args.pdf_iterations)
    )
    from safehub.multiagency.selectors import court_period

    start, end = court_period(today)
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "chronology",
        "scale": args.scale,
        "load_seconds": round(load_seconds, 1),
        "setup_seconds": round(setup_seconds, 1),
        "dataset": _dataset(),
        "child": {
            "entries": ChronologyLink.objects.filter(person=long_child).count(),
            "entries_added_this_run": added,
            "court_period_entries": ChronologyLink.objects.filter(
                person=long_child, occurred_at__date__gte=start, occurred_at__date__lte=end
            ).count(),
            "household_members": household,
        },
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "targets": TARGETS,
        "benchmarks": benchmarks,
        "query_counts": _query_counts(long_child, short_child),
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{stamp}-chronology-{args.scale}-{result['dataset']['database']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    print(f"Written to {path}")


if __name__ == "__main__":
    main()
