from django.db import migrations, models


def copy_birthdays(apps, schema_editor):
    """Every name carries its person's date of birth from now on (ADR 0031)."""
    schema_editor.execute(
        "UPDATE people_personname SET born = ("
        "SELECT date_of_birth FROM people_person WHERE people_person.id = people_personname.person_id)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0008_person_upn_unknown_and_former_upn"),
    ]

    operations = [
        migrations.AddField(
            model_name="personname",
            name="born",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(copy_birthdays, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="personname",
            index=models.Index(fields=["given_key", "born"], name="name_given_born_idx"),
        ),
        migrations.AddIndex(
            model_name="personname",
            index=models.Index(fields=["family_key", "born"], name="name_family_born_idx"),
        ),
    ]
