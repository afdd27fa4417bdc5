"""Migration operations that run on one database only. PostgreSQL-only SQL (extensions,
trigram indexes, triggers) does nothing on SQLite, where the features that need it have a
tested fallback; SQLite-only SQL (SQLite's own triggers) does nothing on PostgreSQL."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db import migrations


class _VendorOnlySQL(migrations.RunSQL):
    vendor = ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgresOnlySQL(_VendorOnlySQL):
    vendor = "postgresql"


class SqliteOnlySQL(_VendorOnlySQL):
    vendor = "sqlite"


# --- The job queue's schedules (ADR 0074) --------------------------------------------------

# django-q2's schedule types, as its Schedule model stores them.
EVERY_MINUTES, DAILY, MONTHLY = "I", "D", "M"


@dataclass(frozen=True)
class Scheduled:
    """One periodic duty for django-q2's scheduler (`qcluster`): the task's dotted path,
    its name on the queue's pages, how often, and its first run."""

    func: str
    name: str
    kind: str  # EVERY_MINUTES, DAILY or MONTHLY
    first: tuple[int, int, int, int, int]  # year, month, day, hour, minute in London
    minutes: int | None = None  # for EVERY_MINUTES


def schedule_tasks(*tasks: Scheduled) -> migrations.RunPython:
    """A migration operation installing `tasks` on the scheduler, idempotently; reversed, it
    takes them off. Each first run is in the past, so a new worker runs each duty when it
    starts, then keeps to the schedule (missed runs are not caught up: Q_CLUSTER catch_up
    False)."""

    def install(apps: Any, schema_editor: Any) -> None:
        Schedule = apps.get_model("django_q", "Schedule")
        for task in tasks:
            year, month, day, hour, minute = task.first
            Schedule.objects.update_or_create(
                func=task.func,
                defaults={
                    "name": task.name,
                    "schedule_type": task.kind,
                    "minutes": task.minutes,
                    "repeats": -1,
                    "next_run": datetime(
                        year, month, day, hour, minute, tzinfo=ZoneInfo("Europe/London")
                    ),
                },
            )

    def remove(apps: Any, schema_editor: Any) -> None:
        funcs = [task.func for task in tasks]
        apps.get_model("django_q", "Schedule").objects.filter(func__in=funcs).delete()

    return migrations.RunPython(install, remove)


# The django-q2 migration a schedule needs before it.
DJANGO_Q = ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more")
