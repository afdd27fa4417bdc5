"""The partner feeds watched and Operation Encompass notices chased every 15 minutes on the job
queue's scheduler (ADR 0074)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

SCHEDULES = {
    "safehub.partners.tasks.watch_feeds": ("Partner feeds: quiet ones told", "I", 15, (2026, 1, 1, 0, 0)),
    "safehub.partners.tasks.chase_encompass": (
        "Encompass notices: unacknowledged ones chased",
        "I",
        15,
        (2026, 1, 1, 0, 5),
    ),
}


def schedule(apps, schema_editor):
    """Both every 15 minutes (django-q2's scheduler in `qcluster`). The first run is set in the past, so the worker runs each when it first starts;
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
        ("partners", "0003_feeds_and_encompass"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule, unschedule)]
