"""The scratch primary and replica (tests/replica/pair.py) as Django's `default` and
`replica` databases, with the replica router on, for the tests marked `replica`.

They need PostgreSQL (the suite's test database is copied to the scratch primary) and its
server binaries; elsewhere they are skipped, saying why. The scratch servers hold committed
rows (a replica sees nothing uncommitted), so these tests do not use pytest-django's
rolled-back `db`; everything goes with the servers at the end."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connections
from django.test import override_settings

from safehub.config.databases import replica_database
from safehub.core.replica import REPLICA, replica_retry_now
from tests.replica.pair import Pair, server_binaries

ROUTER = "safehub.core.replica.ReplicaRouter"


def _needs_postgres_and_binaries() -> Path:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "A streaming replica needs PostgreSQL: these run in the suite's PostgreSQL run "
            "(DATABASE_URL=postgres://...), not on SQLite."
        )
    binaries = server_binaries()
    if binaries is None:
        pytest.skip(
            "No PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup) under "
            "/usr/lib/postgresql/*/bin to start a scratch primary and replica with."
        )
    return binaries


def _source_url(settings_dict: dict[str, Any]) -> str:
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    user = settings_dict["USER"] or "postgres"
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def _is_test_database(settings_dict: dict[str, Any]) -> bool:
    """Whether Django has switched this connection to its test database (named in TEST,
    as pytest-xdist's workers have it, else "test_" and the database's name)."""
    named = settings_dict["TEST"].get("NAME")
    return settings_dict["NAME"] == named if named else settings_dict["NAME"].startswith("test_")


@contextmanager
def _migrated_test_database(django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The suite's test database, migrated. pytest-django makes it only for a run with
    `db` tests in it; run alone, these tests make it (and remove it after)."""
    primary = connections["default"]
    made_from = None
    with django_db_blocker.unblock():
        if not _is_test_database(primary.settings_dict):
            made_from = primary.settings_dict["NAME"]
            primary.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield primary.settings_dict
    finally:
        if made_from is not None:
            with django_db_blocker.unblock():
                primary.creation.destroy_test_db(made_from, verbosity=0)


@pytest.fixture(scope="session")
def pair(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Pair]:
    binaries = _needs_postgres_and_binaries()
    scratch = Pair(binaries, Path(tempfile.mkdtemp(prefix="safehub-replica-")))
    with _migrated_test_database(django_db_blocker) as source:
        try:
            scratch.start(_source_url(source))
            yield scratch
        finally:
            scratch.stop()


@pytest.fixture(scope="module")
def on_pair(pair: Pair, django_db_blocker: Any) -> Iterator[Pair]:
    """`default` is the scratch primary and `replica` its replica, for one module."""
    primary = connections["default"]
    saved = {key: primary.settings_dict[key] for key in ("NAME", "HOST", "PORT")}
    with django_db_blocker.unblock():
        primary.close()
        primary.settings_dict.update(NAME="safehub", HOST="127.0.0.1", PORT=str(pair.primary_port))
        config = {**primary.settings_dict, "PORT": str(pair.replica_port)}
        replica = replica_database(config, {"default": primary.settings_dict})
        # connections.settings is settings.DATABASES itself, with Django's defaults filled.
        connections.settings[REPLICA] = connections.configure_settings(
            {"default": dict(primary.settings_dict), REPLICA: replica}
        )[REPLICA]
        replica_retry_now()
        try:
            with override_settings(DATABASE_ROUTERS=[ROUTER]):
                yield pair
        finally:
            primary.close()
            primary.settings_dict.update(saved)
            connections[REPLICA].close()
            del connections[REPLICA]
            connections.settings.pop(REPLICA, None)
            settings.DATABASES.pop(REPLICA, None)
