from django.db import migrations

# Names are skewed (thousands of Smiths, one Zbigniew), and a search asks for up to thirty
# spellings at once, most of which no one has. With PostgreSQL's default sample the planner
# took each unseen spelling for a common one, expected tens of thousands of rows, and read
# the whole names table to find none (ADR 0031). A larger sample keeps every name a council
# is likely to hold in the column's most-common list, so a spelling outside it is known to
# be rare and is looked up through its index.
KEYS = ("given_key", "family_key")


def widen(apps, schema_editor, target=10_000):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in KEYS:
        schema_editor.execute(
            f"ALTER TABLE people_personname ALTER COLUMN {column} SET STATISTICS {target}"
        )


def restore(apps, schema_editor):
    widen(apps, schema_editor, target=-1)


class Migration(migrations.Migration):
    dependencies = [("people", "0009_personname_born")]

    operations = [migrations.RunPython(widen, restore)]
