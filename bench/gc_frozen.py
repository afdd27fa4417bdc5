"""bench/run.py with the production server's gc.freeze() (deploy/gunicorn.conf.py, ADR 0029),
and Python's full (generation 2) collections counted and timed while each page is measured.

gunicorn's master loads the app, collects, and freezes everything it holds before its
workers fork, so a full collection in a worker no longer walks the start-up objects. This
does the same in one process: the app is loaded, the first page is warmed up (as the master's
`when_ready` loads the URLconf, views and templates), then `gc.collect(); gc.freeze()`, and
every page is measured. With --no-freeze the same run without the freeze, to compare:

    python bench/gc_frozen.py --no-freeze --scale county --database-url ... --only team_work
    python bench/gc_frozen.py --scale county --database-url ... --only team_work

Each page's result gains `full_collections` (how many ran while it was measured, their
total and longest time) and `frozen_objects`. Results are written as run.py writes them, with
`-gc-frozen` or `-gc-unfrozen` in the file name."""

import gc
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py, found through the path above

_measure = run._measure
FREEZE = "--no-freeze" not in sys.argv
_frozen = False
_collections: list[float] = []
_started: list[float] = []


def _timer(phase: str, info: dict[str, Any]) -> None:
    if info["generation"] != 2:
        return
    if phase == "start":
        _started.append(time.perf_counter())
    elif _started:
        _collections.append((time.perf_counter() - _started.pop()) * 1000)


def _measure_counting_collections(name: str, requests: list, iterations: int) -> dict:  # type: ignore[type-arg]
    global _frozen
    if FREEZE and not _frozen:
        for call in requests[: run.WARMUP]:
            call()  # what the first request loads lazily, loaded before the freeze
        gc.collect()
        gc.freeze()
        _frozen = True
    _collections.clear()
    result = _measure(name, requests, iterations)
    result["full_collections"] = {
        "count": len(_collections),
        "total_ms": round(sum(_collections), 1),
        "max_ms": round(max(_collections, default=0.0), 1),
    }
    result["frozen_objects"] = gc.get_freeze_count()
    result["tracked_objects"] = len(gc.get_objects())
    return result


def _main() -> None:
    suffix = "gc-frozen" if FREEZE else "gc-unfrozen"
    sys.argv = [arg for arg in sys.argv if arg != "--no-freeze"]
    results = run.ROOT / "bench" / "results"
    before = set(results.glob("*.json"))
    gc.callbacks.append(_timer)
    run._measure = _measure_counting_collections
    run.main()
    # run.py names its file <stamp>-<scale>-<database>.json; mark which run this was.
    for written in set(results.glob("*.json")) - before:
        marked = written.with_name(f"{written.stem}-{suffix}.json")
        written.rename(marked)
        print(f"renamed to {marked.relative_to(run.ROOT)}")


if __name__ == "__main__":
    _main()
