"""SSDA903 import benchmark (ADR 0051), the CIN import's twin (`returns_cin_import.py`): a
demo council (`small` by default) is seeded into one database and its 903 for a year
exported as a zip; the zip is then imported into an empty database (children per second),
and imported again without its OC2 file (other files, so every child is matched and every
record recognised: the re-run's speed).

    python bench/returns_903_import.py                      # small, 903 2025-26, SQLite
    python bench/returns_903_import.py --scale county --database sqlite

Each stage runs in its own process (`--stage`), so the two databases never share one
Django. The source database and its zip are kept in var/bench-903-import/ and reused (pass
--fresh to seed again). Results: bench/results/<time>-903-import-<scale>.json.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench-903-import"
RESULTS = ROOT / "bench" / "results"
AS_OF = "2026-11-23"


def _django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    os.environ.setdefault("DEMO_MODE", "true")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def stage_source(database_url: str, scale: str, year: str, out: Path) -> None:
    """Seed the demo council and write its 903 zip for `year` to `out`."""
    _django(database_url)
    from django.core.management import call_command

    from safehub.organisations.models import User
    from safehub.returns.selectors import s903_write

    call_command("migrate", verbosity=0)
    call_command("seed_demo", "--scale", scale, "--as-of", AS_OF, "--no-signins")
    analyst = User.objects.get(username="analyst")
    with out.open("wb") as f:
        made = s903_write(actor=analyst, out=f, year=year)
    print(json.dumps({"children": made.children}))


def stage_import(database_url: str, archive: Path, year: str) -> None:
    """Into an empty database: import the zip, then the same children as other files."""
    _django(database_url)
    from django.core.management import call_command
    from django.db import connection

    from safehub.access.roles import Role
    from safehub.organisations.models import Agency, AgencyKind, User
    from safehub.returns.ssda903.importer import import_903
    from safehub.returns.ssda903.spec import BY_KEY
    from safehub.returns.ssda903.tables import files_in_zip

    call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    council = Agency.objects.create(name="Bench council", kind=AgencyKind.COUNCIL)
    actor = User.objects.create(
        username="bench-analyst", role=Role.PERFORMANCE_ANALYST, agency=council
    )
    files = files_in_zip(archive.read_bytes())
    other = {k: v for k, v in files.items() if k != BY_KEY["oc2"].filename}
    runs = {}
    for name, data in (("first", files), ("again", other)):
        began, cpu = time.perf_counter(), time.process_time()
        report = import_903(
            actor=actor, files=data, filename=name, year=year, now=datetime.now(UTC)
        )
        seconds = time.perf_counter() - began
        runs[name] = {
            "seconds": round(seconds, 2),
            "cpu_seconds": round(time.process_time() - cpu, 2),
            "children_per_second": round(len(report.children) / seconds, 1),
            **{k: v for k, v in report.counts().items() if k != "made"},
            "records_made": sum(report.made.values()),
            "refused_file": report.refused,
        }
    print(json.dumps({"database": connection.vendor, "runs": runs}))


def _run(*args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603  (this script, with arguments it made)
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small")
    parser.add_argument("--year", default="2025-26")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database for the import")
    parser.add_argument("--fresh", action="store_true", help="seed the source again")
    parser.add_argument("--stage", choices=["source", "import"])
    parser.add_argument("--url")
    parser.add_argument("--file")
    args = parser.parse_args()
    if args.stage == "source":
        stage_source(args.url, args.scale, args.year, Path(args.file))
    elif args.stage == "import":
        stage_import(args.url, Path(args.file), args.year)
    else:
        bench(args)


def bench(args: argparse.Namespace) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    census = WORK / f"903-{args.scale}-{args.year}.zip"
    source = WORK / f"source-{args.scale}.sqlite3"
    seeded = None
    if args.fresh or not census.exists():
        source.unlink(missing_ok=True)
        began = time.perf_counter()
        url = f"sqlite:///{source}"
        seeded = _run(
            "--stage",
            "source",
            "--url",
            url,
            "--scale",
            args.scale,
            "--year",
            args.year,
            "--file",
            str(census),
        )
        seeded["seconds"] = round(time.perf_counter() - began, 1)
    target = WORK / "target.sqlite3"
    target.unlink(missing_ok=True)
    url = args.postgres_url if args.database == "postgresql" else f"sqlite:///{target}"
    if not url:
        raise SystemExit("--database postgresql needs --postgres-url")
    imported = _run("--stage", "import", "--url", url, "--file", str(census), "--year", args.year)
    result = {
        "benchmark": "returns_903_import",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "load": [round(x, 2) for x in os.getloadavg()],
        },
        "scale": args.scale,
        "as_of": AS_OF,
        "year": args.year,
        "file_kb": round(census.stat().st_size / 1024, 1),
        "source_seeded": seeded,
        **imported,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-903-import-{args.scale}.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(json.dumps(imported, indent=2))
    print(f"Wrote {out}")


if __name__ == "__main__":
    main()
