from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

NIGHTLY = "safehub.concerns.tasks.nightly_sweep"


def schedule_nightly(apps, schema_editor):
    """The concern rules' sweep every night at 01:30, before the census check at 02:00
    (django-q2's scheduler in `qcluster`). As for the census check, the first run is set in
    the past: it runs when the worker first starts, then a day at a time, keeping the hour
    (missed runs are not caught up: Q_CLUSTER catch_up False). Idempotent."""
    Schedule = apps.get_model("django_q", "Schedule")
    Schedule.objects.update_or_create(
        func=NIGHTLY,
        defaults={
            "name": "Concern rules: what time alone made true",
            "schedule_type": "D",
            "repeats": -1,
            "next_run": datetime(2026, 1, 1, 1, 30, tzinfo=ZoneInfo("Europe/London")),
        },
    )


def unschedule(apps, schema_editor):
    apps.get_model("django_q", "Schedule").objects.filter(func=NIGHTLY).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("concerns", "0004_starter_rules_accumulation"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedule_nightly, unschedule)]
