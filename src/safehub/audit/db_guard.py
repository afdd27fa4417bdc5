"""The database's guard on the audit tables, and the one way to lift part of it.

The triggers (migrations 0003 and 0005) refuse UPDATE and DELETE of audit rows and seals,
and on PostgreSQL TRUNCATE. Emptying the tables can be allowed on one connection at a time,
for the test suite's flush between transactional tests (TRUNCATE on PostgreSQL, DELETE on
SQLite) and for nothing else:

- PostgreSQL: the session setting `safehub.audit_reset = 'on'` lets TRUNCATE through.
  Row UPDATE and DELETE stay refused whatever it says.
- SQLite: the trigger on DELETE asks the connection function `safehub_audit_reset()`.
  Every SafeHub connection has it (`install_sqlite_function`, connected by the app) and it
  answers 0 unless the connection was lifted. A connection without it (the sqlite3 shell)
  has every DELETE refused. UPDATE stays refused whatever it says.

Only `safehub.config.settings.test` connects `lift_for_test_suite`. The guard is a brake on
mistakes, not a privilege: a role that may change the settings could lift it, so in
production the application's role does not own the tables and is granted no UPDATE, DELETE
or TRUNCATE on them (deploy/postgres/roles.sql, docs/how-to/production-database.md).
"""

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

RESET_SETTING = "safehub.audit_reset"
SQLITE_FUNCTION = "safehub_audit_reset"
_LIFTED = "_safehub_audit_reset"


def install_sqlite_function(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver: give a new SQLite connection `safehub_audit_reset()`,
    answering whether this connection has lifted the guard (0 unless it did)."""
    if connection.vendor != "sqlite":
        return

    def lifted() -> int:
        return 1 if getattr(connection, _LIFTED, False) else 0

    connection.connection.create_function(SQLITE_FUNCTION, 0, lifted)


def allow_reset(connection: BaseDatabaseWrapper) -> None:
    """Let this connection empty the audit tables (the test suite's flush)."""
    _set(connection, lifted=True)


def refuse_reset(connection: BaseDatabaseWrapper) -> None:
    """Put the guard back on this connection."""
    _set(connection, lifted=False)


def reset_allowed(connection: BaseDatabaseWrapper) -> bool:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true)", [RESET_SETTING])
            return cursor.fetchone()[0] == "on"
    return bool(getattr(connection, _LIFTED, False))


def lift_for_test_suite(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """connection_created receiver, connected only by the test settings."""
    allow_reset(connection)


def _set(connection: BaseDatabaseWrapper, *, lifted: bool) -> None:
    setattr(connection, _LIFTED, lifted)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config(%s, %s, false)", [RESET_SETTING, "on" if lifted else "off"]
            )
