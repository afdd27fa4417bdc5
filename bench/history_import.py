"""What the two history-import benchmarks share (the CIN census's, ADR 0044, and the 903's,
ADR 0051): a demo council seeded into one database and its return written to a file; the
file imported into an empty database, then imported again as another file (every child
matched, every record recognised: the re-run's speed). Each stage runs in its own process
(`--stage`), so the two databases never share one Django. The source database and its file
are kept under var/ and reused (pass --fresh to seed again).

A benchmark script describes its return as a `HistoryImport` and calls `main` with it."""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
AS_OF = "2026-11-23"


@dataclass(frozen=True)
class HistoryImport:
    name: str  # in file names: "cin-import", "903-import"
    benchmark: str  # the results' "benchmark"
    file_name: str  # the return's file under var/, with {scale} and {year}
    default_scale: str
    # Called with Django set up: write the return for the year as the analyst; children.
    write: Callable[[Any, BinaryIO, str], int]
    # The two files to import, by name ("first", "again"), from the written one.
    files: Callable[[Path], list[tuple[str, Any]]]
    # Import one file as the actor; the import's report.
    load: Callable[[Any, Any, str, str], Any]
    # What each run records of the report beyond the shared counts.
    facts: Callable[[Any], dict[str, Any]] = lambda report: {}


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    os.environ.setdefault("DEMO_MODE", "true")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def _stage_source(kind: HistoryImport, url: str, scale: str, year: str, out: Path) -> None:
    _django(url)
    from django.core.management import call_command

    from safehub.organisations.models import User

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--scale", scale, "--as-of", AS_OF, "--no-signins")
    analyst = User.objects.get(username="analyst")
    with out.open("wb") as f:
        children = kind.write(analyst, f, year)
    print(json.dumps({"children": children}))


def _stage_import(kind: HistoryImport, url: str, written: Path, year: str) -> None:
    _django(url)
    from django.core.management import call_command
    from django.db import connection

    from safehub.access.roles import Role
    from safehub.organisations.models import Agency, AgencyKind, User

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    council = Agency.objects.create(name="Bench council", kind=AgencyKind.COUNCIL)
    actor = User.objects.create(
        username="bench-analyst", role=Role.PERFORMANCE_ANALYST, agency=council
    )
    runs = {}
    for name, data in kind.files(written):
        began, cpu = time.perf_counter(), time.process_time()
        report = kind.load(actor, data, name, year)
        seconds = time.perf_counter() - began
        runs[name] = {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "children_per_second": round(len(report.children) / seconds, 1),
            **{k: v for k, v in report.counts().items() if k != "made"},
            "records_made": sum(report.made.values()),
            **kind.facts(report),
        }
    print(json.dumps({"database": connection.vendor, "runs": runs}))


def _run(script: str, *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603  (the benchmark's script, with arguments made here)
        [sys.executable, script, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(kind: HistoryImport, *, script: str, doc: str) -> None:
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--scale", default=kind.default_scale)
    parser.add_argument("--year", default="2025-26")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database for the import")
    parser.add_argument("--fresh", action="store_true", help="seed the source again")
    parser.add_argument("--stage", choices=["source", "import"])
    parser.add_argument("--url")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.stage == "source":
        _stage_source(kind, args.url, args.scale, args.year, Path(args.file))
    elif args.stage == "import":
        _stage_import(kind, args.url, Path(args.file), args.year)
    else:
        _bench(kind, script, args)


def _bench(kind: HistoryImport, script: str, args: argparse.Namespace) -> None:
    work = ROOT / "var" / f"bench-{kind.name}"
    work.mkdir(parents=True, exist_ok=True)
    written = work / kind.file_name.format(scale=args.scale, year=args.year)
    source = work / f"source-{args.scale}.sqlite3"
    seeded = None
    if args.fresh or not written.exists():
        source.unlink(missing_ok=True)
        began = time.perf_counter()
        seeded = _run(
            script, "--stage", "source", "--url", f"sqlite:///{source}",
            "--scale", args.scale, "--year", args.year, "--file", str(written),
        )  # fmt: skip
        seeded["seconds"] = round(time.perf_counter() - began, 1)
    target = work / "target.sqlite3"
    target.unlink(missing_ok=True)
    url = args.postgres_url if args.database == "postgresql" else f"sqlite:///{target}"
    if not url:
        raise SystemExit("--database postgresql needs --postgres-url")
    imported = _run(
        script, "--stage", "import", "--url", url, "--file", str(written), "--year", args.year
    )
    result = {
        "benchmark": kind.benchmark,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": [round(x, 2) for x in os.getloadavg()],
        },
        "scale": args.scale,
        "as_of": AS_OF,
        "year": args.year,
        "file_kb": round(written.stat().st_size / 1024, 1),
        "source_seeded": seeded,
        **imported,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{kind.name}-{args.scale}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps(imported, indent=2))
    print(f"Wrote {out}")
