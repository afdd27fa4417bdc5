"""What each register page's own queries read: `EXPLAIN (ANALYZE, BUFFERS)` of the query a
page runs for its rows and count (as the MASH worker, unfiltered, page 2), printed as the
top node's shared buffers (hit + read) and execution time. Counts of buffers are what carry
from one machine to another; the times here are one sample each on a shared machine.

    python bench/registers_buffers.py --database-url postgres://postgres@127.0.0.1:5432/h_x

Read-only (EXPLAIN ANALYZE of SELECTs), PostgreSQL only, on a loaded database.
"""

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from run import _prepare  # noqa: E402

USERNAME = "mash.worker"


def _explained(sql: str, params: object) -> tuple[int, float]:
    """Shared buffers the plan's top node touched, and the execution time in ms."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        lines = [row[0] for row in cursor.fetchall()]
    top = next(line for line in lines if "Buffers:" in line)
    counts = dict(re.findall(r"(hit|read)=(\d+)", top))
    ms = float(next(line for line in lines if line.startswith("Execution Time")).split()[2])
    return int(counts.get("hit", 0)) + int(counts.get("read", 0)), ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    _prepare(args.database_url)

    from django.db.models import Count, Window
    from django.utils import timezone

    from safehub.hardtosee.selectors import (
        PAGE_SIZE,
        Register,
        RegisterFilters,
        register_rows,
    )
    from safehub.organisations.models import User

    actor = User.objects.get(username=USERNAME)
    as_of = timezone.localdate()
    for register in Register:
        rows = register_rows(actor, register, as_of=as_of, filters=RegisterFilters())
        # The page query as `register_page` runs it: the count on each row (ADR 0057), over
        # the stored register rows (ADR 0060); the 25 people shown are then read by key.
        page = rows.annotate(_total=Window(Count("person_id")))[PAGE_SIZE : 2 * PAGE_SIZE]
        buffers, ms = _explained(*page.query.sql_with_params())
        print(f"{register.value:26} page with its count: {buffers:>8,} buffers {ms:8.1f} ms")


if __name__ == "__main__":
    main()
