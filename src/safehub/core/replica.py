"""Reports and returns read from a PostgreSQL streaming replica (ADR 0049).

With `DATABASE_REPLICA_URL` set, the settings add the `replica` database alias and install
`ReplicaRouter`. The router sends a read to the replica only inside a `report_reads()`
block, which the returns and insight code put around the reading of a report (the census,
the 903, Annex A, the census check, the dashboard figures and their drill-downs, the
committee report). Everything else reads the primary, and every write, every migration and
so every audit row goes to the primary whatever was read where.

A block decides once, on entry, where all of its reads go:
- the primary if this transaction has already written (the replica cannot see what is not
  committed), so a page that writes then reads reads its own writes;
- the replica if it has replayed everything the primary had committed when the block began
  (it may wait up to `REPLICA_MAX_WAIT_MS` for that), so a report never misses what anyone,
  the reader included, saved before asking for it;
- otherwise the primary, with a logged warning: a replica too far behind, down or
  unreachable never stops a report. One that could not be reached is not tried again for
  `REPLICA_RETRY_SECONDS`, so pages are not held up by connection attempts while it is down.

Without the setting `report_reads()` does nothing and asks nothing of any database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

log = logging.getLogger(__name__)

REPLICA = "replica"
POLL_SECONDS = 0.01

# Where the reads of the report being produced go (None outside a report_reads() block).
_report_alias: ContextVar[str | None] = ContextVar("report_alias", default=None)
# monotonic() time before which the replica is not tried again (it could not be reached).
_replica_down_until = 0.0


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    """Django's database router for the primary and its replica (ADR 0049)."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        # Explicitly the primary outside a report, even for an object read from the replica
        # (Django would otherwise follow the object to the database it came from).
        return _report_alias.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        # Always the primary, even for an object read from the replica: audit rows too.
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both databases hold the same rows.
        return {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica's schema arrives by replication; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS


@contextmanager
def report_reads() -> Iterator[str]:
    """Read the report produced inside this block from the replica, if it is up to date;
    yields the alias its reads go to. A block inside another keeps the outer's choice.
    The choice is made on entry, so code inside a block writes only what it never reads
    back there (an audit row, a job's progress)."""
    chosen = _report_alias.get()
    if chosen is not None:
        yield chosen
        return
    token = _report_alias.set(_choose())
    try:
        yield _report_alias.get() or DEFAULT_DB_ALIAS
    finally:
        _report_alias.reset(token)


def _choose() -> str:
    if not replica_configured():
        return DEFAULT_DB_ALIAS
    if time.monotonic() < _replica_down_until:
        return DEFAULT_DB_ALIAS
    position, wrote = _primary_position()
    if wrote:
        return DEFAULT_DB_ALIAS  # this transaction's own writes are on the primary only
    try:
        caught_up = _replica_reaches(position)
    except DatabaseError as error:
        _mark_down(error)
        return DEFAULT_DB_ALIAS
    if not caught_up:
        log.warning(
            "The replica had not replayed the primary's WAL to %s within %s ms: this report "
            "reads the primary.",
            position,
            settings.REPLICA_MAX_WAIT_MS,
        )
        return DEFAULT_DB_ALIAS
    return REPLICA


def _primary_position() -> tuple[str, bool]:
    """The primary's WAL flushed so far (every committed transaction's commit record is in
    it: SafeHub never commits asynchronously), and whether the transaction open on this
    connection has written anything yet."""
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(
            "SELECT pg_current_wal_flush_lsn()::text, pg_current_xact_id_if_assigned() IS NOT NULL"
        )
        position, wrote = cursor.fetchone()
    return position, bool(wrote)


def _replica_reaches(position: str) -> bool:
    """Whether the replica has replayed the WAL up to `position`, waiting for it at most
    REPLICA_MAX_WAIT_MS."""
    deadline = time.monotonic() + settings.REPLICA_MAX_WAIT_MS / 1000
    with connections[REPLICA].cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
            if cursor.fetchone()[0]:  # NULL (not a standby at all) counts as behind
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL_SECONDS)


def _mark_down(error: DatabaseError) -> None:
    global _replica_down_until  # one flag a process, on purpose
    _replica_down_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
    connections[REPLICA].close()  # a broken connection is not offered again
    log.warning(
        "The replica could not be reached (%s): reports read the primary for the next %s s.",
        str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        settings.REPLICA_RETRY_SECONDS,
    )


def replica_retry_now() -> None:
    """Forget that the replica was down (for tests, and an operator's shell)."""
    global _replica_down_until
    _replica_down_until = 0.0
