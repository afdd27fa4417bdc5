from django.db import migrations

from safehub.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    """The MASH queue counts its open contacts for the pager, filtered or not. With the
    filter columns carried in the index (and the ordering complete with the id), those
    counts and the page itself are read from the index alone: at 50,000 open contacts a
    filtered count otherwise reads every page of the table (bench/README.md)."""

    dependencies = [("frontdoor", "0002_referrer_feedback")]

    operations = [
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS contact_queue_cover_idx ON frontdoor_contact "
            "(urgency_rank, decision_due_at, id) "
            "INCLUDE (status, rag, urgency, channel, assigned_to_id) "
            "WHERE status IN ('new', 'in_triage', 'awaiting_sign_off')",
            "DROP INDEX IF EXISTS contact_queue_cover_idx",
        ),
    ]
