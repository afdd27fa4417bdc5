"""The database itself refuses to change, delete or empty the audit tables (ADR 0011).

PostgreSQL: row triggers refuse UPDATE and DELETE (audit events since 0003; seals here), and
a statement trigger refuses TRUNCATE. SQLite: row triggers refuse UPDATE and DELETE.

The test suite empties every table between transactional tests (Django's flush: TRUNCATE on
PostgreSQL, DELETE on SQLite). Only that emptying can be lifted, and only on a connection
that asks for it: on PostgreSQL the session setting `safehub.audit_reset = 'on'`, on SQLite
the connection function `safehub_audit_reset()` answering 1 (`audit.db_guard`). Only the
test settings lift it. Neither is a privilege: in production the application's role does
not own these tables and has no UPDATE, DELETE or TRUNCATE on them (deploy/postgres/roles.sql).
"""

from django.db import migrations

from safehub.core.migration_ops import PostgresOnlySQL, SqliteOnlySQL

POSTGRES_FORWARDS = """
CREATE OR REPLACE FUNCTION audit_table_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_table_refuse_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('safehub.audit_reset', true) = 'on' THEN
        RETURN NULL;  -- the test suite's flush, on a connection that lifted the guard
    END IF;
    RAISE EXCEPTION '% is append-only (TRUNCATE refused)', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_refuse_truncate();
CREATE TRIGGER audit_seal_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditseal
    FOR EACH ROW EXECUTE FUNCTION audit_table_append_only();
CREATE TRIGGER audit_seal_no_truncate
    BEFORE TRUNCATE ON audit_auditseal
    FOR EACH STATEMENT EXECUTE FUNCTION audit_table_refuse_truncate();
"""
POSTGRES_BACKWARDS = """
DROP TRIGGER IF EXISTS audit_seal_no_truncate ON audit_auditseal;
DROP TRIGGER IF EXISTS audit_seal_no_update_delete ON audit_auditseal;
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_table_refuse_truncate();
DROP FUNCTION IF EXISTS audit_table_append_only();
"""


def _sqlite_triggers(table: str, prefix: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {prefix}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} is append-only (UPDATE refused)'); END""",
        f"""CREATE TRIGGER {prefix}_no_delete BEFORE DELETE ON {table}
WHEN safehub_audit_reset() IS NOT 1
BEGIN SELECT RAISE(ABORT, '{table} is append-only (DELETE refused)'); END""",
    ]


SQLITE_TRIGGERS = (
    "audit_event_no_update",
    "audit_event_no_delete",
    "audit_seal_no_update",
    "audit_seal_no_delete",
)
SQLITE_FORWARDS = [
    *_sqlite_triggers("audit_auditevent", "audit_event"),
    *_sqlite_triggers("audit_auditseal", "audit_seal"),
]
SQLITE_BACKWARDS = [f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS]


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_auditseal")]

    operations = [
        PostgresOnlySQL(POSTGRES_FORWARDS, POSTGRES_BACKWARDS),
        SqliteOnlySQL(SQLITE_FORWARDS, SQLITE_BACKWARDS),
    ]
