"""What each of run.py's pages costs per request in the two measures that do not depend on
a busy machine: queries, and Python function calls (cProfile). Read only: everything runs
in one transaction rolled back at the end, so a loaded demo database (the pages write audit
rows and sessions) is left as it was. Runs with any checkout that has run.py's page
requests, so the code before a change and after can be compared on the same database:

    ROOT=/path/to/checkout /path/to/checkout/.venv/bin/python bench/page_cost.py \\
        postgres://postgres@127.0.0.1:5432/DB my_work,person,casework

Prints one JSON line per page: the queries and calls of each request run.py would make
(each request opened twice first, so nothing is counted that only a first request pays).
"""

import cProfile
import json
import os
import pstats
import sys
from collections.abc import Callable
from typing import Any

ROOT = os.environ.get("ROOT", os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path[:0] = [os.path.join(ROOT, "bench"), ROOT]

import run  # noqa: E402  (the checkout's own, found through ROOT)

PAGES = {
    "my_work": "_my_work_requests",
    "person": "_person_page_requests",
    "casework": "_child_casework_requests",
    "team": "_team_work_requests",
    "mash": ("_queue_requests", False),
    "mash_filtered": ("_queue_requests", True),
}


def _calls(request: Callable[[], Any]) -> int:
    profile = cProfile.Profile()
    profile.enable()
    request()
    profile.disable()
    return sum(row[1] for row in pstats.Stats(profile).stats.values())  # type: ignore[attr-defined]


def main() -> None:
    run._prepare(sys.argv[1])
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    with transaction.atomic():
        for page in sys.argv[2].split(","):
            name, *args = PAGES[page] if isinstance(PAGES[page], tuple) else (PAGES[page],)
            requests, info = getattr(run, name)(*args)
            for request in requests * 2:
                request()
            queries, calls = [], []
            for request in requests:
                with CaptureQueriesContext(connection) as captured:
                    response = request()
                if response.status_code != 200:
                    raise SystemExit(f"{page}: HTTP {response.status_code}")
                # Taken at once: the connection keeps a bounded log, so a later request can
                # shift what the context's indices point at.
                queries.append(len(list(captured.captured_queries)))
                calls.append(_calls(request))
            print(json.dumps({"page": page, "queries": queries, "calls": calls, "info": info}))
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
