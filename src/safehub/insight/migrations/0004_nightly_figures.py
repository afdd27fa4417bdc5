"""The dashboard's monthly figures worked out every night at 00:30 on the job queue's
scheduler (ADR 0074), before the concern sweep (01:30) and the census check (02:00)."""

from django.db import migrations

from safehub.core.migration_ops import DJANGO_Q, DAILY, Scheduled, schedule_tasks


class Migration(migrations.Migration):
    dependencies = [("insight", "0003_figure_items"), DJANGO_Q]

    operations = [
        schedule_tasks(
            Scheduled(
                "safehub.insight.tasks.nightly_figures",
                "Performance figures: worked out for the dashboard",
                DAILY,
                (2026, 1, 1, 0, 30),
            )
        )
    ]
