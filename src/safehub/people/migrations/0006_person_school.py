from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0005_chronology_move_dates_without_times")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="school",
            field=models.CharField(blank=True, default="", max_length=120),
        ),
    ]
