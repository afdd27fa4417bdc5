from django.db import migrations, models

from safehub.people.names import name_key, spelling_lookups

BATCH = 5_000


def record_existing_names(apps, schema_editor):  # type: ignore[no-untyped-def]
    """Every name already stored becomes findable by its spellings, once per distinct name
    (a county of a million people has tens of thousands of different names, not millions)."""
    PersonName = apps.get_model("people", "PersonName")
    NameSpelling = apps.get_model("people", "NameSpelling")
    names = set(PersonName.objects.values_list("given_name", flat=True).distinct())
    names |= set(PersonName.objects.values_list("family_name", flat=True).distinct())
    rows = sorted({(lookup, name_key(n)) for n in names for lookup in spelling_lookups(n)})
    for start in range(0, len(rows), BATCH):
        NameSpelling.objects.bulk_create(
            [NameSpelling(lookup=lookup, key=key) for lookup, key in rows[start : start + BATCH]],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("people", "0006_person_school")]

    operations = [
        migrations.CreateModel(
            name="NameSpelling",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("lookup", models.CharField(max_length=101)),
                ("key", models.CharField(max_length=100)),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("lookup", "key"), name="namespelling_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(record_existing_names, migrations.RunPython.noop, elidable=True),
    ]
