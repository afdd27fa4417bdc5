from django.db import migrations

from safehub.core.migration_ops import PostgresOnlySQL

FORWARDS = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
"""
BACKWARDS = """
DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_append_only();
"""


class Migration(migrations.Migration):
    """On PostgreSQL the database itself refuses to change or delete audit rows. TRUNCATE is
    left to privileges (the application's role must not own the table; see the runbook),
    because the test suite empties tables that way between transactional tests."""

    dependencies = [("audit", "0002_initial")]

    operations = [PostgresOnlySQL(FORWARDS, BACKWARDS)]
