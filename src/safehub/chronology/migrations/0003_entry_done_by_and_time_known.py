import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def credit_the_recorder(apps, schema_editor):
    """Until now an entry named only its recorder, who was also the one credited with doing
    it. Keep that credit; the apps whose events were credited wrongly (the front door)
    correct their own entries in their own migrations."""
    entry = apps.get_model("chronology", "ChronologyEntry")
    entry.objects.filter(recorded_by__isnull=False).update(done_by=F("recorded_by"))


class Migration(migrations.Migration):
    dependencies = [
        ("chronology", "0002_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="chronologyentry",
            name="time_known",
            field=models.BooleanField(default=True),
        ),
        migrations.AddField(
            model_name="chronologyentry",
            name="done_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="chronologyentry",
            name="done_by_label",
            field=models.CharField(blank=True, default="", max_length=200),
        ),
        migrations.RunPython(credit_the_recorder, migrations.RunPython.noop, elidable=True),
    ]
