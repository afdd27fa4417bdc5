"""Casework records most events by date alone, and their chronology entries were put at
midday London time. Mark them as known by date only, so no page shows "midday" as if
someone had recorded the hour."""

from zoneinfo import ZoneInfo

from django.db import migrations

LONDON = ZoneInfo("Europe/London")
# Every casework event but the case note, which is timed when it is written.
DATED_EVENTS = [
    "EPISODE_OPENED",
    "EPISODE_CLOSED",
    "ASSESSMENT_STARTED",
    "ASSESSMENT_CHILD_SEEN",
    "ASSESSMENT_COMPLETED",
    "ASSESSMENT_AUTHORISED",
    "STRATEGY_DISCUSSION",
    "SECTION_47_STARTED",
    "SECTION_47_CONCLUDED",
    "CONFERENCE_HELD",
    "CP_PLAN_STARTED",
    "CP_PLAN_ENDED",
    "CORE_GROUP",
    "CIN_PLAN_STARTED",
    "CIN_PLAN_REVIEWED",
    "CIN_PLAN_ENDED",
    "CARE_STARTED",
    "PLACEMENT_CHANGED",
    "CARE_REVIEW",
    "CARE_PLAN",
    "CARE_ENDED",
    "MISSING_EPISODE",
    "VISIT",
    "ALLOCATED",
    "OVERSIGHT",
]


def mark_dates_without_times(apps, schema_editor):
    entry_model = apps.get_model("chronology", "ChronologyEntry")
    rows = entry_model.objects.filter(event_type__in=DATED_EVENTS, time_known=True)
    dated = [
        pk
        for pk, occurred_at in rows.values_list("pk", "occurred_at").iterator(chunk_size=5000)
        if occurred_at.astimezone(LONDON).time().isoformat() == "12:00:00"
    ]
    for start in range(0, len(dated), 500):
        entry_model.objects.filter(pk__in=dated[start : start + 500]).update(time_known=False)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0004_assessment_clock_from_referral"),
        ("chronology", "0003_entry_done_by_and_time_known"),
    ]

    operations = [
        migrations.RunPython(mark_dates_without_times, migrations.RunPython.noop, elidable=True),
    ]
