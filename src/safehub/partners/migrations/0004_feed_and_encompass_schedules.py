"""The partner feeds watched and Operation Encompass notices chased every 15 minutes on the job
queue's scheduler (ADR 0074)."""

from django.db import migrations

from safehub.core.migration_ops import DJANGO_Q, EVERY_MINUTES, Scheduled, schedule_tasks


class Migration(migrations.Migration):
    dependencies = [("partners", "0003_feeds_and_encompass"), DJANGO_Q]

    operations = [
        schedule_tasks(
            Scheduled(
                "safehub.partners.tasks.watch_feeds",
                "Partner feeds: quiet ones told",
                EVERY_MINUTES,
                (2026, 1, 1, 0, 0),
                minutes=15,
            ),
            Scheduled(
                "safehub.partners.tasks.chase_encompass",
                "Encompass notices: unacknowledged ones chased",
                EVERY_MINUTES,
                (2026, 1, 1, 0, 5),
                minutes=15,
            ),
        )
    ]
