"""Entries already filed from restricted partner events are marked restricted, so the
multi-agency chronology hides them from those the policy does not let read them (ADR 0023)."""

from django.db import migrations


def mark(apps, schema_editor):
    PartnerEvent = apps.get_model("partners", "PartnerEvent")
    ChronologyEntry = apps.get_model("chronology", "ChronologyEntry")
    ids = [
        str(pk)
        for pk in PartnerEvent.objects.filter(restricted=True, person__isnull=False).values_list(
            "pk", flat=True
        )
    ]
    for start in range(0, len(ids), 500):
        ChronologyEntry.objects.filter(
            source_type="partners.PartnerEvent", source_id__in=ids[start : start + 500]
        ).update(restricted=True)


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0001_initial"),
        ("chronology", "0004_chronologyentry_restricted"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
