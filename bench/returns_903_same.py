"""Do two checkouts' SSDA903 validators give the same reports? (ADR 0059: the SQL validator
replaced the pandas one and must find exactly what it found.)

    python bench/returns_903_same.py --before ../main/src            # main's validator
    python bench/returns_903_same.py --before ../main/src --random 1000 --bench

Writes returns to `var/bench-903-same/`: each rule's break from `test_903_rules.py`, bad files
like those of `test_903_files.py`, and `--random` mutations of the clean return (cells set
to codes and dates the rules look at, rows repeated, dropped or shuffled; seeded). With
`--bench`, the benchmark's folders (`var/bench-903-N/`) too. Each checkout's validator runs
over them all in its own process; every finding (code, child, line, location, values,
message), the children counted and any reason a return was unreadable must agree.
Results: bench/results/<time>-returns-903-same.json."""

import argparse
import json
import random
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from safehub.returns.tests.s903_builder import Rows, as_files, clean_903  # noqa: E402
from safehub.returns.tests.test_903_rules import BREAKS  # noqa: E402

CASES = ROOT / "var" / "bench-903-same"
RESULTS = ROOT / "bench" / "results"
VALUES = (
    *("", "X1", "S", "P", "E11", "E2", "E45", "L1", "L2", "L3", "V3", "V4", "T0", "T4", "A5"),
    *("H5", "S1", "P3", "P1", "PR0", "PR1", "PR4", "PN0", "PN1", "0", "1", "2", "M", "F", "Z1"),
    *("DIED", "RHOM", "SDQ1", "12", "MM", "L0", "L4", "L12", "MF", "RD1", "101", "102", "999"),
    *("31/02/2025", "1/4/2024", " 1/06/2024", "01/04/2024", "31/03/2025", "01/04/2025"),
    *("14/10/1991", "13/10/1991", "01/01/1990", "01/01/1600", "01/01/2005", "01/06/2021"),
    *("01/01/2015", "10/05/2008", "2024-05-01", "01/06/2024", "05/06/2024", "02/09/2024"),
    *("=cmd", "-1", "@x ", "a ", " b"),
)
BAD_FILES = (
    b"",
    b"PK\x03\x04 a spreadsheet",
    "CHILD,SEX\n1,\xe9".encode("latin-1"),
    b"CHILD,SEX\n1,2\n3,4,5,6\n",
    b"NAME,ADDRESS\nA,B\n",
    b"CHILD,DOB,MISSING,MIS_START\n1,01/01/2010,M,01/05/2024\n",
    b"CHILD,DOB,MISSING,MIS_START,MIS_END,NOTE\n1,01/01/2010,M,01/05/2024,,x\n",
    b"CHILD,DOB,MISSING,MIS_START,MIS_END\n101, 10/05/2008 ,M,=1+1,\n\n101,10/05/2008,A,"
    b" 02/06/2024,@x \n",
)

# One validator over every case folder: its report on each, in a form that compares.
RUN = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from safehub.returns.ssda903.validate import validate_903_path
reports = {}
for folder in sys.argv[3:]:
    r = validate_903_path(Path(folder), year="2024-25")
    reports[Path(folder).name] = {"children": r.children, "unreadable": r.unreadable,
        "findings": sorted([f.code, f.child, f.line or 0, f.location, f.values, f.message]
                           for f in r.findings)}
Path(sys.argv[2]).write_text(json.dumps(reports))
"""


def _write(name: str, files: dict[str, bytes]) -> Path:
    folder = CASES / name
    folder.mkdir(parents=True)
    for file, body in files.items():
        (folder / file).write_bytes(body)
    return folder


def _mutated(rng: random.Random) -> Rows:
    rows = clean_903()
    for _ in range(rng.randint(1, 6)):
        key = rng.choice([k for k in rows if rows[k]])
        table, roll = rows[key], rng.random()
        if roll < 0.15:
            table.append(dict(rng.choice(table)))
        elif roll < 0.2 and len(table) > 1:
            table.pop(rng.randrange(len(table)))
        elif roll < 0.25:
            rng.shuffle(table)
        else:
            row = rng.choice(table)
            row[rng.choice(list(row))] = rng.choice(VALUES)
    return rows


def cases(mutations: int, seed: int, bench: bool) -> list[Path]:
    shutil.rmtree(CASES, ignore_errors=True)
    folders = []
    for code, change in BREAKS.items():
        rows = clean_903()
        change(rows)
        folders.append(_write(f"break-{code}", as_files(rows)))
    clean = as_files(clean_903())
    for n, body in enumerate(BAD_FILES):
        folders.append(_write(f"bad-{n}", clean | {"extra.csv": body}))
    folders.append(_write("second-oc2", clean | {"again.csv": clean["oc2.csv"]}))
    rng = random.Random(seed)
    folders += [_write(f"random-{n:04d}", as_files(_mutated(rng))) for n in range(mutations)]
    if bench:
        folders += sorted(p for p in (ROOT / "var").glob("bench-903-[0-9]*") if p.is_dir())
    return folders


def reports(src: Path, folders: list[Path], out: Path) -> dict[str, Any]:
    subprocess.run(
        [sys.executable, "-c", RUN, str(src), str(out), *map(str, folders)],
        check=True,
        timeout=3600,
    )
    found: dict[str, Any] = json.loads(out.read_text())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's src/")
    parser.add_argument("--random", type=int, default=400, help="mutated returns")
    parser.add_argument("--seed", type=int, default=59)
    parser.add_argument("--bench", action="store_true", help="add var/bench-903-N/ folders")
    args = parser.parse_args()
    folders = cases(args.random, args.seed, args.bench)
    now = reports(ROOT / "src", folders, CASES / "now.json")
    before = reports(args.before.resolve(), folders, CASES / "before.json")
    differ = sorted(name for name in now if now[name] != before.get(name))
    result = {
        "benchmark": "returns_903_same",
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "before": str(args.before),
        "returns": len(folders),
        "findings": sum(len(r["findings"]) for r in now.values()),
        "identical": len(folders) - len(differ),
        "differ": {name: {"now": now[name], "before": before.get(name)} for name in differ},
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-returns-903-same.json"
    out.write_text(json.dumps(result, indent=2))
    print(
        f"{result['identical']} of {len(folders)} returns identical "
        f"({result['findings']} findings); wrote {out}"
    )


if __name__ == "__main__":
    main()
