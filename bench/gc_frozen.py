"""bench/run.py as the production server runs the application: everything loaded at
start-up (and by the warm-up requests) is moved out of the garbage collector's reach with
`gc.freeze()`, as the gunicorn master does before it forks its workers, and the collector
then runs as normal. Full collections still happen, but walk only what requests have made
since. Same arguments as run.py:

    python bench/gc_frozen.py --scale large --database-url ... --only team_work,my_work

Copy this file beside another version's run.py to measure that version the same way.
"""

import gc
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import run  # bench/run.py, found through the path above

_measure = run._measure


def _measure_gc_frozen(*args: Any, **kwargs: Any) -> dict[str, Any]:
    gc.collect()
    gc.freeze()
    return _measure(*args, **kwargs)


if __name__ == "__main__":
    run._measure = _measure_gc_frozen
    run.main()
