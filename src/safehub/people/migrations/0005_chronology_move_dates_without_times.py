"""A move of address was put on the chronology at 9am on the day it happened, a time nobody
recorded. Mark those entries as known by date only."""

from zoneinfo import ZoneInfo

from django.db import migrations

LONDON = ZoneInfo("Europe/London")


def mark_moves_dated(apps, schema_editor):
    entry_model = apps.get_model("chronology", "ChronologyEntry")
    rows = entry_model.objects.filter(event_type="ADDRESS_CHANGED", time_known=True)
    dated = [
        pk
        for pk, occurred_at in rows.values_list("pk", "occurred_at").iterator(chunk_size=5000)
        if occurred_at.astimezone(LONDON).time().isoformat() == "09:00:00"
    ]
    for start in range(0, len(dated), 500):
        entry_model.objects.filter(pk__in=dated[start : start + 500]).update(time_known=False)


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0004_given_sound_family_prefix"),
        ("chronology", "0003_entry_done_by_and_time_known"),
    ]

    operations = [
        migrations.RunPython(mark_moves_dated, migrations.RunPython.noop, elidable=True),
    ]
