"""Fuzzing at scale: schemathesis over every API operation and the form fuzzer over every
form page, on a loaded demo council, counting what came back and keeping every server error
with what was sent.

    python bench/fuzz.py --database-url postgres://postgres@127.0.0.1:5432/safehub_bench_fuzz

Forms (tests/fuzz/forms.py): the demo council (`--persons`, as of the suite's day) is loaded
into the database if it is empty, with the records the crawl needs made by the services
(tests/fuzz/records.py; only then, so use an empty database to reach every form); the fuzzer
crawls it as every demo sign-in, every team
manager, conference chair and social worker, a visitor and the half-signed-in, and posts
`--form-examples` generated submissions to each form found (up to three forms per route,
shown to different users where they are), each in a transaction rolled back afterwards.

API (tests/api/test_schemathesis.py, run by pytest with `--api-examples` per operation,
beside the form fuzzer): the same test the suite runs, on pytest's own test database.

The JSON in bench/results/<time>-fuzz-<database>.json has the inputs and status counts per
form and per API operation, every 5xx with its reproducer, the form routes reached and not,
and the totals. The target: at least 10,000 inputs and no 5xx.
"""

import argparse
import json
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _prepare  # noqa: E402

TARGET_INPUTS = 10_000


def _forms(persons: int, examples: int, patience: int) -> dict:
    from django.core.management import call_command
    from tests.fuzz import records
    from tests.fuzz.council import CASEHOLDERS, identities, load_council
    from tests.fuzz.forms import crawl, form_routes, fuzz

    from safehub.access.roles import Role
    from safehub.people.models import Person

    call_command("migrate", verbosity=0)
    if not Person.objects.exists():
        load_council(persons)
        records.furnish()  # once: what it makes stays, and the crawl starts where it is shown
    started = time.perf_counter()
    clients, starts = identities(roles=(*CASEHOLDERS, Role.SOCIAL_WORKER))
    found = crawl(clients, starts, patience=patience, posts=records.POSTS)
    crawled = time.perf_counter() - started
    forms, errors = [], []
    for route, targets in sorted(found.targets.items()):
        for target in targets:
            outcome = fuzz(target, clients[target.username], examples)
            forms.append(
                {
                    "route": route,
                    "action": target.action,
                    "user": target.username,
                    "fields": len(target.fields),
                    "inputs": outcome.inputs,
                    "statuses": dict(sorted(outcome.statuses.items())),
                }
            )
            errors += outcome.errors
            print(f"{route:45} {outcome.inputs:4} {dict(outcome.statuses)}", flush=True)
    routes = form_routes()
    return {
        "persons": Person.objects.count(),
        "identities": len(clients),
        "pages_crawled": found.pages,
        "crawl_seconds": round(crawled, 1),
        "fuzz_seconds": round(time.perf_counter() - started - crawled, 1),
        "form_routes": len(routes),
        "form_routes_reached": len(routes & set(found.targets)),
        "form_routes_not_reached": sorted(routes - set(found.targets)),
        "forms": forms,
        "errors": errors,
    }


def _api_start(database_url: str, examples: int, report: Path) -> subprocess.Popen:
    """The suite's schemathesis test at `examples` per operation, in its own pytest,
    started now to run beside the form fuzzer (on its own test database)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SAFEHUB_FUZZ_API_EXAMPLES": str(examples),
        "SAFEHUB_FUZZ_API_REPORT": str(report),
    }
    for set_for_this_process in ("DJANGO_SETTINGS_MODULE", "ALLOWED_HOSTS"):
        env.pop(set_for_this_process, None)  # pytest's test settings decide these
    return subprocess.Popen(  # noqa: S603 - our own test, by a fixed command
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/api/test_schemathesis.py"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip


def _api_result(run: subprocess.Popen, report: Path, started: float) -> dict:
    output, _ = run.communicate()
    found = json.loads(report.read_text()) if report.exists() else {}
    operations = [
        {"operation": label, "inputs": sum(counts.values()), "statuses": counts}
        for label, counts in sorted(found.get("statuses", {}).items())
    ]
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "pytest_passed": run.returncode == 0,
        "pytest_tail": output.strip().splitlines()[-3:],
        "operations": operations,
        "errors": found.get("errors", []),
    }


def _totals(forms: dict, api: dict) -> dict:
    statuses: Counter[str] = Counter()
    for row in forms["forms"] + api["operations"]:
        statuses.update({str(k): v for k, v in row["statuses"].items()})
    inputs = sum(row["inputs"] for row in forms["forms"] + api["operations"])
    server_errors = sum(v for k, v in statuses.items() if k.startswith("5"))
    return {
        "inputs": inputs,
        "form_inputs": sum(row["inputs"] for row in forms["forms"]),
        "api_inputs": sum(row["inputs"] for row in api["operations"]),
        "statuses": dict(sorted(statuses.items())),
        "server_errors": server_errors,
        "target_met": inputs >= TARGET_INPUTS and server_errors == 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/safehub_bench_fuzz"
        ),
    )
    parser.add_argument("--persons", type=int, default=400)
    parser.add_argument("--form-examples", type=int, default=30)
    parser.add_argument("--api-examples", type=int, default=100)
    parser.add_argument("--patience", type=int, default=3)
    parser.add_argument("--skip-api", action="store_true")
    args = parser.parse_args()
    _prepare(args.database_url)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx by the thousand
    logging.getLogger("axes").setLevel(logging.CRITICAL)
    from django.db import connection

    scratch = tempfile.TemporaryDirectory()
    report = Path(scratch.name) / "api.json"
    started = time.perf_counter()
    api_run = None if args.skip_api else _api_start(args.database_url, args.api_examples, report)
    forms = _forms(args.persons, args.form_examples, args.patience)
    api: dict = (
        {"operations": [], "errors": []}
        if api_run is None
        else _api_result(api_run, report, started)
    )
    scratch.cleanup()
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": "fuzz",
        "database": connection.vendor,
        "budget": {
            "form_examples": args.form_examples,
            "api_examples": args.api_examples,
            "patience": args.patience,
        },
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "totals": _totals(forms, api),
        "forms": forms,
        "api": api,
    }
    out = ROOT / "bench" / "results"
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"{stamp}-fuzz-{connection.vendor}.json"
    path.write_text(json.dumps(result, indent=1, default=str) + "\n")
    print(json.dumps(result["totals"], indent=2))
    print(path)


if __name__ == "__main__":
    main()
