"""The records due for a retention review listed on the first of each month at 03:00 on the
job queue's scheduler (ADR 0074)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

SCHEDULES = {
    "safehub.retention.tasks.monthly_review": (
        "Retention: records due for review listed",
        "M",
        None,
        (2026, 1, 1, 3, 0),
    ),
}


def schedule(apps, schema_editor):
    """Monthly on the first at 03:00 (django-q2's scheduler in `qcluster`). The first run is set in the past, so the worker runs each when it first starts;
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
        ("retention", "0001_initial"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
