"""The starter rules as revised by ADR 0034 (the exploitation rule's MACE clause, the
escalation clause of "three or more agencies", "no open episode" on repeat referrers): saved
as a new version of each rule nobody has changed since it was installed. A rule a manager
has changed is theirs and is left alone."""

from django.db import migrations


def revise_starter_rules(apps, schema_editor):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from safehub.concerns.starter_rules import STARTER_RULES

    rule_model = apps.get_model("concerns", "ConcernRule")
    version_model = apps.get_model("concerns", "RuleVersion")
    now = timezone.now()
    for spec in STARTER_RULES:
        rule = rule_model.objects.filter(code=spec["code"], changed_by__isnull=True).first()
        if rule is None or rule.version != 1 or rule.definition == spec["definition"]:
            continue
        rule.name, rule.rationale, rule.definition = spec["name"], spec["rationale"], spec["definition"]
        rule.version = 2
        rule.save()
        version_model.objects.create(
            rule=rule,
            number=2,
            name=rule.name,
            rationale=rule.rationale,
            definition=rule.definition,
            active=rule.active,
            changed_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0002_alert_updates")]

    operations = [migrations.RunPython(revise_starter_rules, migrations.RunPython.noop)]
