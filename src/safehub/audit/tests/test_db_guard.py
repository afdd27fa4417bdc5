"""The database itself refuses to change, delete or empty the audit tables, on SQLite and
PostgreSQL, whatever the application does; the test suite's lift covers emptying only, and
only on connections it opened (audit.db_guard, ADR 0011)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from safehub.audit import db_guard
from safehub.audit.models import AuditEvent, AuditSeal
from safehub.audit.sealing import audit_seal
from safehub.audit.services import audit_record
from safehub.audit.tests.test_sealing import LATER

pytestmark = pytest.mark.django_db

TABLES = ("audit_auditevent", "audit_auditseal")


@contextmanager
def guard_on() -> Iterator[None]:
    """This test's connection as production's are: the suite's lift switched off."""
    db_guard.refuse_reset(connection)
    try:
        assert not db_guard.reset_allowed(connection)
        yield
    finally:
        db_guard.allow_reset(connection)


def _refused(sql: str) -> str:
    with (
        pytest.raises(DatabaseError, match="append-only") as refusal,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    return str(refusal.value)


@pytest.fixture
def sealed_row() -> AuditEvent:
    row = audit_record(actor=None, action="view", person_id=1)
    assert audit_seal(now=LATER)
    return row


def test_the_suite_lifts_the_guard_on_its_own_connections() -> None:
    assert db_guard.reset_allowed(connection)


def test_the_database_refuses_update_and_delete_of_audit_rows_and_seals(sealed_row) -> None:
    with guard_on():
        for table in TABLES:
            assert "UPDATE refused" in _refused(f"UPDATE {table} SET id = id")  # noqa: S608
            assert "DELETE refused" in _refused(f"DELETE FROM {table}")  # noqa: S608
    assert AuditEvent.objects.count() == 1
    assert AuditSeal.objects.count() == 1


def test_the_suites_lift_never_lets_a_row_be_updated(sealed_row) -> None:
    assert db_guard.reset_allowed(connection)
    for table in TABLES:
        _refused(f"UPDATE {table} SET id = id")  # noqa: S608
    if connection.vendor == "postgresql":  # there DELETE is refused too; only TRUNCATE lifts
        for table in TABLES:
            _refused(f"DELETE FROM {table}")  # noqa: S608


@pytest.mark.postgres_only
def test_postgres_refuses_truncate_unless_the_connection_lifted_the_guard(sealed_row) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with guard_on():
        for table in TABLES:
            assert "TRUNCATE refused" in _refused(f"TRUNCATE {table}")
        # Django's own flush, as the suite runs it between transactional tests.
        sql = connection.ops.sql_flush(no_style(), list(TABLES))
        _refused(" ".join(sql))
    assert AuditEvent.objects.count() == 1
    # With the lift (the suite's connections), the flush goes through; rolled back here.
    with transaction.atomic():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), list(TABLES)))
        assert AuditEvent.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == 1


def test_sqlite_refuses_delete_unless_the_connection_lifted_the_guard(sealed_row) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL refuses DELETE always; see the TRUNCATE test")
    with guard_on():
        _refused("DELETE FROM audit_auditevent")
    with transaction.atomic():
        connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), list(TABLES)))
        assert AuditEvent.objects.count() == 0
        transaction.set_rollback(True)
    assert AuditEvent.objects.count() == 1


def test_the_triggers_are_in_place() -> None:
    """A later migration that rebuilt an audit table (SQLite rebuilds tables to alter them)
    would drop its triggers without a word; this notices."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid IN "
                "('audit_auditevent'::regclass, 'audit_auditseal'::regclass)"
            )
            expected = {
                "audit_event_no_update_delete",
                "audit_event_no_truncate",
                "audit_seal_no_update_delete",
                "audit_seal_no_truncate",
            }
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN "
                "('audit_auditevent', 'audit_auditseal')"
            )
            expected = {
                "audit_event_no_update",
                "audit_event_no_delete",
                "audit_seal_no_update",
                "audit_seal_no_delete",
            }
        assert {name for (name,) in cursor.fetchall()} == expected


def test_only_the_test_settings_lift_the_guard() -> None:
    settings_dir = Path(db_guard.__file__).resolve().parents[1] / "config" / "settings"
    lifting = sorted(p.name for p in settings_dir.glob("*.py") if "lift_for" in p.read_text())
    assert lifting == ["test.py"]
    source = Path(db_guard.__file__).resolve().parents[1]
    callers = sorted(
        str(p.relative_to(source))
        for p in source.rglob("*.py")
        if "/tests/" not in str(p)
        and ("allow_reset(" in p.read_text() or "lift_for" in p.read_text())
    )
    assert callers == ["audit/db_guard.py", "config/settings/test.py"]


def no_style():
    from django.core.management.color import no_style as style

    return style()
