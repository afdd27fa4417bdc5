from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0004_given_sound_family_prefix")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="school",
            field=models.CharField(blank=True, default="", max_length=120),
        ),
    ]
