"""The dashboard's monthly figures worked out every night at 00:30 on the job queue's
scheduler (ADR 0074), before the concern sweep (01:30) and the census check (02:00)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

SCHEDULES = {
    "safehub.insight.tasks.nightly_figures": (
        "Performance figures: worked out for the dashboard",
        "D",
        None,
        (2026, 1, 1, 0, 30),
    ),
}


def schedule(apps, schema_editor):
    """Daily at 00:30 (django-q2's scheduler in `qcluster`). The first run is set in the past, so the worker runs each when it first starts;
    missed runs are not caught up (Q_CLUSTER catch_up False). Idempotent."""
    Schedule = apps.get_model("django_q", "Schedule")
    for func, (name, kind, minutes, first) in SCHEDULES.items():
        Schedule.objects.update_or_create(
            func=func,
            defaults={
                "name": name,
                "schedule_type": kind,
                "minutes": minutes,
                "repeats": -1,
                "next_run": datetime(*first, tzinfo=ZoneInfo("Europe/London")),
            },
        )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func__in=list(SCHEDULES)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("insight", "0003_figure_items"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
