"""SSDA903 validator benchmark: SafeHub's validator (`safehub.returns.ssda903.validate`) end
to end (CSV bytes in, report out) on synthetic 2024-25 returns of 10,000 and 50,000
children, side by side with the Data to Insight validator `csc-validator-be-903` from PyPI
on the same folder of files, and the two validators' findings compared rule by rule.

    python bench/returns_903.py                       # 10,000 and 50,000 children
    python bench/returns_903.py --children 2000 --no-d2i

The files are made from a seeded generator: periods of care of one to four episodes, reviews,
missing periods, UASC, OC2 for those looked after 12 months, care leavers in the OC3,
social worker episodes; about 1% of children carry each of ten planted mistakes that known
rules find. Each validator runs in its own process (so peak memory is that process's own
high-water mark of resident memory, interpreter and libraries included): SafeHub's with
this venv, the other in its own virtual environment (var/bench-903-venv, created on first
run: it pins pandas 1.x and numpy < 1.25, which conflict with SafeHub's). Results:
bench/results/<time>-returns-903.json. Target: at 50,000 children, at least 10 times faster
than csc-validator-be-903 in a tenth of its memory.
"""

import argparse
import csv
import io
import json
import platform
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safehub.core.identifiers import upn_check_letter  # noqa: E402
from safehub.returns.ssda903.spec import BY_KEY  # noqa: E402

VENV = ROOT / "var" / "bench-903-venv"
D2I = ["csc-validator-be-903==0.1.17"]
RESULTS = ROOT / "bench" / "results"
START, END = date(2024, 4, 1), date(2025, 3, 31)
ETHNIC = ["WBRI", "WIRI", "WOTH", "MWBC", "AIND", "APKN", "BCRB", "BAFR", "CHNE", "OOTH"]
PLACES = [("U4", "PR1"), ("U6", "PR1"), ("U1", "PR1"), ("U6", "PR4"), ("K2", "PR4")]
STATUS = ["C2", "C2", "C1", "V2", "E1"]
# The mistakes planted, each in about 1% of children: the rule that should find it.
BREAKS = ("101", "103", "143", "356", "1006", "167", "611", "574", "196", "148")


def _day(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def _d(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class _Return:
    def __init__(self) -> None:
        self.rows: dict[str, list[list[str]]] = defaultdict(list)
        self.planted: Counter[str] = Counter()

    def add(self, key: str, *values: str) -> list[str]:
        row = list(values)
        self.rows[key].append(row)
        return row


def _child(n: int, rng: random.Random, out: _Return) -> None:
    child = str(100_000 + n)
    born = _between(rng, date(2007, 6, 1), date(2023, 6, 1))
    sex = rng.choice("MF")
    body = f"873{n // 1000:04d}{rng.randint(10, 23):02d}{n % 1000:03d}"
    header = out.add(
        "header",
        child,
        sex,
        _d(born),
        rng.choice(ETHNIC),
        upn_check_letter(body) + body,
        "0" if sex == "F" else "",
        "",
    )
    began = _between(rng, max(born + timedelta(days=1), date(2020, 1, 1)), date(2025, 2, 1))
    status, (place, provider) = rng.choice(STATUS), rng.choice(PLACES)
    day, episodes, rne = began, [], "S"
    count = rng.randint(1, 4)
    for k in range(count):
        last = k == count - 1
        ends = day + timedelta(days=rng.randint(30, 500))
        if ends > END:
            episodes.append(
                [
                    child,
                    _d(day),
                    rne,
                    status,
                    "N1",
                    place,
                    provider,
                    "",
                    "",
                    "",
                    "AB1 2CD",
                    "AB2 3CD",
                    "",
                ]
            )
            break
        rec = rng.choice(["E4A", "E13", "E8"]) if last else "X1"
        change = "" if last else "CARPL"
        episodes.append(
            [
                child,
                _d(day),
                rne,
                status,
                "N1",
                place,
                provider,
                _d(ends),
                rec,
                change,
                "AB1 2CD",
                "AB2 3CD",
                "",
            ]
        )
        if last:
            break
        day, rne, (place, provider) = ends, "P", rng.choice(PLACES)
    kept = [e for e in episodes if not e[7] or _day(e[7]) >= START]
    for e in kept or episodes[-1:]:
        out.rows["episodes"].append(e)
    open_at_end = not episodes[-1][7]
    for _ in range(rng.randint(1, 2)):
        held = _between(rng, max(began, START), END)
        out.add(
            "reviews",
            child,
            _d(born),
            _d(held),
            "PN0" if _age(born, held) < 4 else rng.choice(["PN1", "PN2", "PN6"]),
        )
    missing = None
    if rng.random() < 0.1:
        went = _between(rng, max(began, START), END - timedelta(days=10))
        missing = out.add(
            "missing", child, _d(born), rng.choice("MA"), _d(went), _d(went + timedelta(days=2))
        )
    if rng.random() < 0.03:
        out.add("uasc", child, sex, _d(born), "")
    if began >= START and rng.random() < 0.5:
        out.add("prev_perm", child, _d(born), "Z1", "", "")
    oc2 = None
    if began <= START and open_at_end and status != "V3":
        age = _age(born, END)
        sdq = str(rng.randint(0, 40)) if 4 <= age <= 16 else ""
        oc2 = out.add(
            "oc2",
            child,
            _d(born),
            sdq,
            "SDQ1" if not sdq and 4 <= age <= 16 else "",
            "0" if age >= 10 else "",
            "1" if age < 5 else "",
            "1",
            "1",
            "1",
            "0",
            "",
            "",
        )
    out.add("sw_episodes", child, _d(born), f"SW{n:06d}", _d(began), "", "")
    _plant(n, rng, out, header, missing, oc2)


def _plant(
    n: int,
    rng: random.Random,
    out: _Return,
    header: list[str],
    missing: list[str] | None,
    oc2: list[str] | None,
) -> None:
    if n % 100 >= len(BREAKS):
        return
    code = BREAKS[n % 100]
    child = header[0]
    mine = [e for e in out.rows["episodes"] if e[0] == child]
    closed = [e for e in mine if e[8] and e[8] != "X1"]
    if code == "101":
        header[1] = "2"
    elif code == "103":
        header[3] = "XXXX"
    elif code == "143":
        mine[0][2] = "Q"
    elif code in ("356", "148") and closed:
        if code == "356":
            closed[-1][7] = _d(_day(closed[-1][1]) - timedelta(days=5))
        else:
            closed[-1][8] = ""
    elif code in ("1006", "574"):
        went = _between(rng, START, END - timedelta(days=10))
        row = missing or out.add(
            "missing", child, header[2], "M", _d(went), _d(went + timedelta(days=2))
        )
        if code == "1006":
            row[2] = "X"
        else:
            out.add("missing", child, header[2], "A", row[3], "")
    elif code == "167":
        next(r for r in out.rows["reviews"] if r[0] == child)[3] = "PN9"
    elif code == "611" and header[1] == "F":
        header[5] = "1"
    elif code == "196" and oc2 is not None:
        oc2[2], oc2[3] = "", "SDQ9"
    else:
        return
    out.planted[code] += 1


def _leaver(n: int, rng: random.Random, out: _Return) -> None:
    child = str(900_000 + n)
    born = _between(rng, date(2005, 4, 1), date(2006, 3, 31))  # 19th birthday in the year
    out.add("header", child, rng.choice("MF"), _d(born), rng.choice(ETHNIC), "UN5", "", "")
    out.add(
        "oc3",
        child,
        _d(born),
        "YES",
        rng.choice(["F2", "G4", "P4"]),
        rng.choice(["D1", "U1", "E1"]),
    )


def return_files(children: int, seed: int) -> tuple[dict[str, bytes], Counter[str]]:
    rng = random.Random(seed)
    out = _Return()
    for n in range(children):
        _child(n, rng, out)
    for n in range(children // 20):
        _leaver(n, rng, out)
    files = {}
    for key, spec in BY_KEY.items():
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(spec.names)
        writer.writerows(out.rows.get(key, []))
        files[spec.filename] = text.getvalue().encode()
    return files, out.planted


# SafeHub's validator in its own process: time, CPU, peak memory, each rule's children.
OURS = r"""
import json, resource, sys, time
from pathlib import Path
PEAK
sys.path.insert(0, sys.argv[3])
began, cpu = time.perf_counter(), time.process_time()
from safehub.returns.ssda903.validate import validate_903_path
report = validate_903_path(Path(sys.argv[1]), year=sys.argv[2])
wall, cpu = time.perf_counter() - began, time.process_time() - cpu
found = {}
for f in report.findings:
    found.setdefault(f.code, set()).add(f.child)
print(json.dumps({"seconds": wall, "cpu_seconds": cpu, "rules_run": report.rules_run,
    "children": report.children, "unreadable": report.unreadable,
    "peak_mb": peak_mb(), "modules": sorted(m for m in ("pandas", "numpy", "django", "jinja2")
    if m in sys.modules), "found": {k: len(v) for k, v in found.items()}}))
"""

# The other validator, run inside its own environment: each rule's failing children.
RUNNER = r"""
import importlib, json, logging, resource, sys, time
from pathlib import Path
PEAK
logging.disable(logging.CRITICAL)
began, cpu = time.perf_counter(), time.process_time()
from lac_validator import lac_validator
from lac_validator.utils import process_uploaded_files
paths = [str(p) for p in sorted(Path(sys.argv[1]).glob("*.csv"))]
files = process_uploaded_files({"This year": paths})
registry = importlib.import_module("lac_validator.rules." + sys.argv[2]).registry
v = lac_validator.LacValidator(
    metadata={"collectionYear": sys.argv[3], "localAuthority": "E09000027"},
    files=files, registry=registry, selected_rules=None)
found = {}
for table, frame in v.ds_results.items():
    if not hasattr(frame, "columns"):
        continue  # the metadata
    for column in [c for c in frame.columns if str(c).startswith("ERR_")]:
        hit = frame.loc[frame[column] == True]
        if "CHILD" in hit:
            found.setdefault(column[4:], set()).update(hit["CHILD"].astype(str))
print(json.dumps({"seconds": time.perf_counter() - began, "cpu_seconds": time.process_time() - cpu,
    "peak_mb": peak_mb(),
    "found": {k: len(v) for k, v in found.items()}, "failed": list(v.fails)}))
"""

# The measured process's own peak: the kernel's high-water mark of its memory (VmHWM). Not
# getrusage's ru_maxrss, which Linux carries across exec from the process that started it, so
# a child of this script (which holds the generated files) reported this script's size.
PEAK = r"""
def peak_mb():
    try:
        with open("/proc/self/status") as status:
            line = next(l for l in status if l.startswith("VmHWM:"))
        return int(line.split()[1]) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
"""
OURS, RUNNER = OURS.replace("PEAK", PEAK), RUNNER.replace("PEAK", PEAK)


def _run(python: Path, script: str, *args: str) -> dict[str, Any]:
    began = time.perf_counter()
    done = subprocess.run(
        [str(python), "-c", script, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=7200,
    )
    wall = time.perf_counter() - began
    if done.returncode != 0:
        return {"error": done.stderr[-2000:], "process_seconds": round(wall, 3)}
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    answer["process_seconds"] = round(wall, 3)
    for key in ("seconds", "cpu_seconds", "peak_mb"):
        answer[key] = round(answer[key], 3)
    return answer


def ours(folder: Path, iterations: int, *sources: Path) -> list[dict[str, Any]]:
    """SafeHub's validator from each `src` folder (this checkout's first), the runs taking
    turns so that a change in the machine's load falls on each alike; each one's fastest."""
    sources = (ROOT / "src", *sources)
    runs: dict[Path, list[dict[str, Any]]] = {src: [] for src in sources}
    for _ in range(iterations):
        for src in sources:
            runs[src].append(_run(Path(sys.executable), OURS, str(folder), "2024-25", str(src)))
    fastest = []
    for tries in runs.values():
        best = min(tries, key=lambda r: r.get("seconds", 1e9))
        best["all_seconds"] = [r.get("seconds") for r in tries]
        best["all_peak_mb"] = [r.get("peak_mb") for r in tries]
        fastest.append(best)
    return fastest


def d2i(folder: Path) -> dict[str, Any]:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *D2I], check=True)
    return _run(python, RUNNER, str(folder), "lac2024_25", "2025")  # the year it ends


def compare(
    planted: Counter[str], mine: dict[str, Any], theirs: dict[str, Any]
) -> list[dict[str, Any]]:
    """Per rule either validator reported, with what was planted for it."""
    ours_by = mine.get("found", {})
    theirs_by = theirs.get("found", {})
    codes = sorted(set(ours_by) | set(theirs_by) | set(planted))
    return [
        {
            "rule": code,
            "planted": planted.get(code, 0),
            "safehub_children": ours_by.get(code, 0),
            "d2i_children": theirs_by.get(code),
        }
        for code in codes
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--seed", type=int, default=903)
    parser.add_argument("--no-d2i", action="store_true", help="time SafeHub's validator only")
    parser.add_argument(
        "--before",
        type=Path,
        help="also time the validator in this checkout's src/ (e.g. a worktree of main), "
        "alternating with this one's, and compare their findings",
    )
    args = parser.parse_args()
    runs = []
    for size in args.children:
        files, planted = return_files(size, args.seed)
        folder = ROOT / "var" / f"bench-903-{size}"
        folder.mkdir(parents=True, exist_ok=True)
        for name, body in files.items():
            (folder / name).write_bytes(body)
        mine, *earlier = ours(folder, args.iterations, *([args.before] if args.before else []))
        before = earlier[0] if earlier else {}
        theirs = {} if args.no_d2i else d2i(folder)
        run: dict[str, Any] = {
            "children": size,
            "files_mb": round(sum(len(b) for b in files.values()) / 1_048_576, 1),
            "planted": dict(sorted(planted.items())),
            "safehub": mine,
            "safehub_before": before,
            "d2i": theirs,
            "by_rule": compare(planted, mine, theirs),
        }
        if before:
            run["same_as_before"] = before.get("found") == mine.get("found")
        if theirs.get("seconds") and mine.get("seconds"):
            run["times_faster"] = round(theirs["seconds"] / mine["seconds"], 1)
            run["memory_share"] = round(mine["peak_mb"] / theirs["peak_mb"], 3)
        runs.append(run)
        print(
            f"{size:,} children: SafeHub {mine.get('seconds')} s, {mine.get('peak_mb')} MB"
            + (
                f"; csc-validator-be-903 {theirs.get('seconds')} s, {theirs.get('peak_mb')} MB"
                if theirs
                else ""
            )
        )
    result = {
        "benchmark": "returns_903",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": _cpus(), "load": _load()},
        "target": (
            "at 50,000 children: 10 times faster than csc-validator-be-903, "
            "in a tenth of its memory"
        ),
        "runs": runs,
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-returns-903.json"
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
