from django.db import migrations

from safehub.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """The team page lists the children waiting for a worker: open child-in-need episodes
    with no open allocation. Carrying the referral date and id in a partial index of the
    open episodes lets PostgreSQL answer that from two indexes alone (this one and the one
    open allocation per child), merged on the child, instead of reading every episode: at a
    million people, 60,000 open episodes (bench/README.md)."""

    dependencies = [("casework", "0001_initial")]

    operations = [
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS episode_open_cin_idx ON casework_episode (child_id) "
            "INCLUDE (referral_date, id) WHERE kind = 'cin' AND closure_date IS NULL",
            "DROP INDEX IF EXISTS episode_open_cin_idx",
        ),
    ]
