"""bench/run.py with Python's cyclic garbage collector paused while each page is measured
(and a full collection just before), to tell a page's own cost from where a full collection
happens to land among the timed requests. Same arguments as run.py:

    python bench/gc_paused.py --scale large --database-url ... --only team_work,my_work
"""

import gc
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py, found through the path above

_measure = run._measure


def _measure_gc_paused(*args: Any, **kwargs: Any) -> dict[str, Any]:
    gc.collect()
    gc.disable()
    try:
        return _measure(*args, **kwargs)
    finally:
        gc.enable()


if __name__ == "__main__":
    run._measure = _measure_gc_paused
    run.main()
