from django.db import migrations

from safehub.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """Search's "sounds like the last name, and the first name starts with…" branch
    ("Olivia Jnoes"): without this index PostgreSQL finds every first name starting "ol"
    and then reads thousands of name rows from disk to keep those whose last name sounds
    right. With it, both conditions are answered by one index."""

    dependencies = [("people", "0002_postgres_search_indexes")]

    operations = [
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS personname_sound_given_prefix ON people_personname "
            "(family_sound, given_key varchar_pattern_ops)",
            "DROP INDEX IF EXISTS personname_sound_given_prefix",
        ),
    ]
