"""CIN census validator benchmark: SafeHub's validator (`safehub.returns.cin.validate`) end to
end (bytes in, report out) on synthetic 2024-25 census files of 10,000 and 50,000 children,
side by side with the Data to Insight validator `csc-validator-be-cin` from PyPI on the same
files, and the two validators' findings compared rule by rule.

    python bench/returns_cin.py                       # 10,000 and 50,000 children
    python bench/returns_cin.py --children 2000 --no-d2i

The files are made by SafeHub's census writer from a seeded generator: realistic episodes
(referral, assessment, CIN plan, section 47, conference, CP plan and reviews) with a few
percent of children broken in ways known rules find. The other validator pins pandas 1.x and
numpy < 2, which conflict with SafeHub's, so the bench installs it in its own virtual
environment (var/bench-d2i-venv, created on first run) and runs it there in a subprocess.
Results: bench/results/<time>-returns-cin.json. Target: 50,000 children in 5 s or less.
"""

import argparse
import io
import json
import platform
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safehub.core.identifiers import upn_check_letter  # noqa: E402
from safehub.returns.cin.validate import validate_cin  # noqa: E402
from safehub.returns.cin.writer import write_census  # noqa: E402

VENV = ROOT / "var" / "bench-d2i-venv"
D2I = ["csc-validator-be-cin==0.1.13", "numpy<2", "pytest"]
RESULTS = ROOT / "bench" / "results"
START, END = date(2024, 4, 1), date(2025, 3, 31)
DISABILITIES = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "AUT", "CON"]
FACTORS = ["1B", "2B", "3A", "3B", "4B", "5B", "6B", "7A", "10A", "11A", "16A", "17A", "20"]
# The mistakes planted, each in about 1% of children: the rule that should find it.
BREAKS = ("1510", "8840", "8841", "8869", "8897Q", "4001", "8820", "1103")


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _child(n: int, rng: random.Random) -> tuple[dict[str, Any], str]:
    """One child in need and the mistake planted in them ("" for none)."""
    referral = _weekday(START + timedelta(days=rng.randint(0, 300)))
    assessed = _weekday(referral + timedelta(days=rng.randint(1, 5)))
    authorised = _weekday(assessed + timedelta(days=rng.randint(15, 40)))
    body = f"873{n // 1000:04d}{rng.randint(10, 23):02d}{n % 1000:03d}"  # unique to n
    upn = upn_check_letter(body) + body
    factors = rng.sample(FACTORS, rng.randint(1, 3))
    episode: dict[str, Any] = {
        "CINreferralDate": referral,
        "ReferralSource": rng.choice(["1A", "2A", "3B", "5A", "6", "8"]),
        "PrimaryNeedCode": rng.choice(["N1", "N2", "N3", "N4", "N5"]),
        "ReferralNFA": False,
        "Assessments": [
            {
                "AssessmentActualStartDate": assessed,
                "AssessmentAuthorisationDate": authorised,
                "FactorsIdentifiedAtAssessment": {"AssessmentFactors": factors},
            }
        ],
    }
    kind = rng.random()
    if kind < 0.45:  # a child in need plan
        plan_end = authorised + timedelta(days=rng.randint(30, 200))
        episode["CINPlanDates"] = [
            {
                "CINPlanStartDate": authorised + timedelta(days=1),
                "CINPlanEndDate": plan_end if plan_end <= END else None,
            }
        ]
    elif kind < 0.7:  # section 47, conference, a child protection plan, reviews
        s47 = _weekday(referral + timedelta(days=1))
        icpc = _weekday(s47 + timedelta(days=rng.randint(8, 18)))
        target = _weekday(s47 + timedelta(days=21))
        episode["Section47"] = [
            {
                "S47ActualStartDate": s47,
                "InitialCPCtarget": target,
                "DateOfInitialCPC": icpc,
                "ICPCnotRequired": False,
            }
        ]
        review = icpc + timedelta(days=90)
        episode["ChildProtectionPlans"] = [
            {
                "CPPstartDate": icpc,
                "InitialCategoryOfAbuse": rng.choice(["NEG", "EMO", "PHY", "SAB"]),
                "LatestCategoryOfAbuse": rng.choice(["NEG", "EMO", "PHY", "SAB"]),
                "NumberOfPreviousCPP": rng.randint(0, 2),
                "Reviews": {"CPPreviewDate": [review] if review <= END else []},
            }
        ]
    elif kind < 0.85:  # closed after assessment
        episode.update(CINclosureDate=authorised + timedelta(days=3), ReasonForClosure="RC8")
    child = {
        "ChildIdentifiers": {
            "LAchildID": f"C{n}",
            "UPN": upn,
            "PersonBirthDate": date(2007, 1, 1) + timedelta(days=rng.randint(0, 6000)),
            "Sex": rng.choice("MF"),
        },
        "ChildCharacteristics": {
            "Ethnicity": rng.choice(["WBRI", "WOTH", "MWBC", "AIND", "BAFR", "NOBT"]),
            "Disabilities": {
                "Disability": rng.sample(DISABILITIES, 2) if rng.random() < 0.1 else ["NONE"]
            },
        },
        "CINdetails": [episode],
    }
    return child, _break(child, rng) if rng.random() < 0.08 else ""


def _break(child: dict[str, Any], rng: random.Random) -> str:
    episode = child["CINdetails"][0]
    assessment = episode["Assessments"][0]
    code = rng.choice(BREAKS)
    plans = episode.get("ChildProtectionPlans")
    cin_plans = episode.get("CINPlanDates")
    if code == "1510":
        upn = child["ChildIdentifiers"]["UPN"]
        child["ChildIdentifiers"]["UPN"] = ("B" if upn[0] != "B" else "C") + upn[1:]
    elif code == "8840" and plans:
        plans[0]["CPPendDate"] = plans[0]["CPPstartDate"]
    elif code == "8841" and plans:
        plans[0]["Reviews"] = {"CPPreviewDate": [plans[0]["CPPstartDate"] - timedelta(days=3)]}
    elif code == "8869":
        assessment["FactorsIdentifiedAtAssessment"] = {"AssessmentFactors": ["21", "3B"]}
    elif code == "8897Q":
        assessment["FactorsIdentifiedAtAssessment"] = None
    elif code == "4001" and plans:
        episode["CINPlanDates"] = [{"CINPlanStartDate": plans[0]["CPPstartDate"]}]
    elif code == "8820" and not episode.get("CINclosureDate") and not cin_plans and not plans:
        episode.update(CINclosureDate=END - timedelta(days=20), ReasonForClosure="RC7")
        child["CINdetails"].append(
            {
                "CINreferralDate": END - timedelta(days=40),
                "ReferralSource": "6",
                "PrimaryNeedCode": "N4",
                "ReferralNFA": False,
            }
        )
    elif code == "1103":
        assessment["AssessmentActualStartDate"] = episode["CINreferralDate"] - timedelta(days=2)
    else:
        return ""
    return code


def census_file(children: int, seed: int) -> tuple[bytes, Counter[str]]:
    rng = random.Random(seed)
    made = [_child(n, rng) for n in range(children)]
    header = {
        "CollectionDetails": {"Collection": "CIN", "Year": 2025, "ReferenceDate": END},
        "Source": {
            "SourceLevel": "L",
            "LEA": "873",
            "SoftwareCode": "SafeHub",
            "Release": "bench",
            "SerialNo": "001",
            "DateTime": datetime(2025, 4, 2, 9, tzinfo=UTC),
        },
    }
    out = io.BytesIO()
    write_census(out, header, (c for c, _ in made))
    return out.getvalue(), Counter(code for _, code in made if code)


def ours(content: bytes, iterations: int) -> dict[str, Any]:
    times, cpu, report = [], [], None
    for _ in range(iterations):
        began, began_cpu = time.perf_counter(), time.process_time()
        report = validate_cin(content, filename="bench.xml")
        times.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    assert report is not None
    children = Counter()
    for code in {f.code for f in report.findings}:
        children[code] = len({f.child for f in report.findings if f.code == code})
    return {
        "seconds": {
            "median": round(statistics.median(times), 3),
            "all": [round(t, 3) for t in times],
        },
        # CPU time of this process: what the machine's other work does not inflate.
        "cpu_seconds": {"median": round(statistics.median(cpu), 3)},
        "rules_run": report.rules_run,
        "children_by_rule": dict(sorted(children.items())),
    }


# The other validator, run inside its own environment: each rule's failing children.
RUNNER = r"""
import importlib, json, sys, time, xml.etree.ElementTree as ET
began = time.perf_counter()
from cin_validator import cin_validator
root = ET.parse(sys.argv[1]).getroot()
data = cin_validator.process_data(cin_validator.convert_data(root))
registry = importlib.import_module("cin_validator.rules." + sys.argv[2]).registry
validator = cin_validator.CinValidator(data, registry)
issues = validator.full_issue_df
found = issues.groupby(issues["rule_code"].astype(str))["child_id"].nunique().to_dict()
for code in validator.multichild_issues["rule_code"].astype(str):
    found[code] = found.get(code, 0) + 1
print(json.dumps({"seconds": time.perf_counter() - began, "found": found, "failed": {}}))
"""


def d2i(path: Path) -> dict[str, Any]:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *D2I], check=True)
    began = time.perf_counter()
    done = subprocess.run(
        [str(python), "-c", RUNNER, str(path), "cin2024_25"],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    wall = time.perf_counter() - began
    if done.returncode != 0:
        return {"error": done.stderr[-2000:], "seconds": round(wall, 3)}
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "seconds": round(wall, 3),
        "seconds_inside": round(answer["seconds"], 3),
        "findings_by_rule": answer["found"],
        "rules_that_failed": answer["failed"],
    }


def compare(
    planted: Counter[str], mine: dict[str, Any], theirs: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per rule either validator reported, with what was planted for it."""
    ours_by = mine["children_by_rule"]
    theirs_by = {k.removesuffix(".0"): v for k, v in theirs.get("findings_by_rule", {}).items()}
    codes = sorted(set(ours_by) | {k for k, v in theirs_by.items() if v} | set(planted))
    return [
        {
            "rule": code,
            "planted": planted.get(code, 0),
            "safehub_children": ours_by.get(code, 0),
            "d2i_findings": theirs_by.get(code),
        }
        for code in codes
    ]


def census_production(database_url: str, year: str, iterations: int) -> dict[str, Any]:
    """Time `cin_census_write` on a demo council already loaded in `database_url` (see
    bench/run.py for loading one), with its query count, which must not grow with the
    council."""
    import os

    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safehub.config.settings.local")
    os.environ.setdefault("DEMO_MODE", "true")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from safehub.organisations.models import User
    from safehub.people.models import Person
    from safehub.returns.selectors import cin_census_write

    analyst = User.objects.get(username="analyst")
    times, queries, made = [], 0, None
    for _ in range(iterations):
        out = io.BytesIO()
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            made = cin_census_write(actor=analyst, out=out, year=year, now=datetime.now(UTC))
            times.append(time.perf_counter() - began)
            transaction.set_rollback(True)  # leave no audit rows behind
        queries = len(captured)
    assert made is not None
    return {
        "database": connection.vendor,
        "people": Person.objects.count(),
        "children": made.children,
        "seconds": {"median": round(statistics.median(times), 3)},
        "queries": queries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--no-d2i", action="store_true", help="time SafeHub's validator only")
    parser.add_argument(
        "--census-database-url", help="also time producing the census from this demo council"
    )
    parser.add_argument("--census-year", default="2025-26")
    args = parser.parse_args()
    production = (
        census_production(args.census_database_url, args.census_year, args.iterations)
        if args.census_database_url
        else None
    )
    if production:
        print(f"Census produced: {production}")
    runs = []
    for size in args.children:
        content, planted = census_file(size, args.seed)
        path = ROOT / "var" / f"bench-cin-{size}.xml"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(content)
        mine = ours(content, args.iterations)
        theirs = {} if args.no_d2i else d2i(path)
        run = {
            "children": size,
            "file_mb": round(len(content) / 1_048_576, 1),
            "planted": dict(sorted(planted.items())),
            "safehub": mine,
            "d2i": theirs,
            "by_rule": compare(planted, mine, theirs),
        }
        runs.append(run)
        print(
            f"{size:,} children ({run['file_mb']} MB): SafeHub {mine['seconds']['median']} s "
            f"({mine['cpu_seconds']['median']} s CPU)"
            + (f", csc-validator-be-cin {theirs.get('seconds')} s" if theirs else "")
        )
    result = {
        "benchmark": "returns_cin",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus(), "load": _load()},
        "target": "50,000 children validated end to end in 5 s or less",
        "runs": runs,
        "census_production": production,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-returns-cin.json"
    out.write_text(json.dumps(result, indent=2, default=str))
    print(f"Wrote {out}")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _load() -> list[float]:
    import os

    return [round(x, 2) for x in os.getloadavg()]


if __name__ == "__main__":
    main()
