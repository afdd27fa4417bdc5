from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("frontdoor", "0005_chronology_credits_the_referrer")]

    operations = [
        migrations.AddField(
            model_name="contactsubject",
            name="expected_date_of_birth",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="contactsubject",
            name="relationship_to_child",
            field=models.CharField(
                blank=True,
                choices=[
                    ("mother", "Mother"),
                    ("father", "Father"),
                    ("step_parent", "Step-parent"),
                    ("parents_partner", "Partner of the child's mother or father"),
                    ("grandparent", "Grandparent"),
                    ("carer", "Carer or guardian"),
                    ("sibling", "Brother or sister"),
                    ("half_sibling", "Half-brother or half-sister"),
                    ("step_sibling", "Stepbrother or stepsister"),
                    ("other_relative", "Another relative"),
                    ("household_member", "Lives with the child, not related"),
                ],
                default="",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="contactsubject",
            name="nhs_number",
            field=models.CharField(blank=True, default="", max_length=10),
        ),
        migrations.AddField(
            model_name="contactsubject",
            name="upn",
            field=models.CharField(blank=True, default="", max_length=13),
        ),
    ]
