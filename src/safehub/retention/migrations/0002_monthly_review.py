"""The records due for a retention review listed on the first of each month at 03:00 on the
job queue's scheduler (ADR 0074)."""

from django.db import migrations

from safehub.core.migration_ops import DJANGO_Q, MONTHLY, Scheduled, schedule_tasks


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_initial"), DJANGO_Q]

    operations = [
        schedule_tasks(
            Scheduled(
                "safehub.retention.tasks.monthly_review",
                "Retention: records due for review listed",
                MONTHLY,
                (2026, 1, 1, 3, 0),
            )
        )
    ]
