"""The replica database's settings, worked out from DATABASE_REPLICA_URL and the primary's
(ADR 0049). Kept apart from base.py so that the rules are tested without reloading it."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
# A replica that does not answer within this long is taken as down (core.replica).
REPLICA_CONNECT_TIMEOUT_SECONDS = 3


def replica_database(config: dict[str, Any], databases: dict[str, Any]) -> dict[str, Any]:
    """The `replica` alias for the database `config` describes: PostgreSQL beside a
    PostgreSQL primary, never in a request's transaction, and read-only from its side too,
    so a URL naming a writable server by mistake still takes no write."""
    primary = databases["default"]
    if primary["ENGINE"] != POSTGRESQL or config.get("ENGINE") != POSTGRESQL:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URL needs PostgreSQL, for both the primary (DATABASE_URL) and "
            "the replica (a streaming replica of it)."
        )
    primary_options = primary.get("OPTIONS", {}).get("options", "")
    options = {
        **config.get("OPTIONS", {}),
        "connect_timeout": REPLICA_CONNECT_TIMEOUT_SECONDS,
        "options": f"{primary_options} -c default_transaction_read_only=on".strip(),
    }
    return {
        **config,
        "OPTIONS": options,
        # Reads only, each in autocommit: no transaction is opened on it for every request.
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": primary.get("CONN_MAX_AGE", 0),
        "CONN_HEALTH_CHECKS": True,
        # Under the test runner it stands for the primary's test database: never created.
        "TEST": {"MIRROR": "default"},
    }
