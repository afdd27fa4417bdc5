from django.db import migrations

from safehub.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """Trigram indexes let PostgreSQL find misspelt names ("Smtih") and serve prefix
    searches ("Smi%") on the name keys at a million people."""

    dependencies = [("people", "0001_initial")]

    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS personname_family_trgm ON people_personname "
            "USING gin (family_key gin_trgm_ops)",
            "DROP INDEX IF EXISTS personname_family_trgm",
        ),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS personname_given_trgm ON people_personname "
            "USING gin (given_key gin_trgm_ops)",
            "DROP INDEX IF EXISTS personname_given_trgm",
        ),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS personname_family_prefix ON people_personname "
            "(family_key varchar_pattern_ops, given_key varchar_pattern_ops)",
            "DROP INDEX IF EXISTS personname_family_prefix",
        ),
    ]
