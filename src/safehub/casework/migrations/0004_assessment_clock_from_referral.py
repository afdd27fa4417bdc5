"""Open episodes of need that nobody has started assessing get the assessment clock the
services now register when a referral is accepted (ADR 0013): 45 working days from the
referral, against the episode, so an assessment never started shows as overdue."""

from django.db import migrations

from safehub.core.workdays import add_working_days

ASSESSMENT_WORKING_DAYS = 45  # as casework.timescales at the time of writing


def register_missing_clocks(apps, schema_editor):
    Episode = apps.get_model("casework", "Episode")
    DueItem = apps.get_model("casework", "DueItem")
    waiting = Episode.objects.filter(
        kind="cin", closure_date__isnull=True, assessments__isnull=True
    ).distinct()
    DueItem.objects.bulk_create(
        [
            DueItem(
                child_id=episode.child_id,
                kind="assessment",
                label="Complete the child and family assessment",
                due_date=add_working_days(episode.referral_date, ASSESSMENT_WORKING_DAYS),
                source_type="casework.Episode",
                source_id=str(episode.pk),
            )
            for episode in waiting.iterator()
        ],
        batch_size=1000,
        ignore_conflicts=True,  # one open item per source and kind already
    )


class Migration(migrations.Migration):
    dependencies = [("casework", "0003_assessment_completed_by")]

    operations = [migrations.RunPython(register_missing_clocks, migrations.RunPython.noop)]
