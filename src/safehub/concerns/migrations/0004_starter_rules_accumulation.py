"""The starter rules as revised by ADR 0047: the weighted accumulation rule ("concerns
building up and coming closer together") installed, switched off, where it is missing, and
every other starter rule nobody has changed by hand saved as its next version if its
definition changed. A rule a manager has changed is theirs and is left alone."""

from django.db import migrations


def revise_starter_rules(apps, schema_editor):  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from safehub.concerns.starter_rules import STARTER_RULES

    rule_model = apps.get_model("concerns", "ConcernRule")
    version_model = apps.get_model("concerns", "RuleVersion")
    now = timezone.now()
    for spec in STARTER_RULES:
        rule = rule_model.objects.filter(code=spec["code"]).first()
        if rule is None:
            rule = rule_model.objects.create(**spec, active=False)
        elif rule.changed_by_id is not None or rule.definition == spec["definition"]:
            continue
        else:
            rule.name, rule.rationale = spec["name"], spec["rationale"]
            rule.definition = spec["definition"]
            rule.version += 1
            rule.save()
        version_model.objects.create(
            rule=rule,
            number=rule.version,
            name=rule.name,
            rationale=rule.rationale,
            definition=rule.definition,
            active=rule.active,
            changed_at=now,
        )


class Migration(migrations.Migration):
    dependencies = [("concerns", "0003_starter_rules_revised")]

    operations = [migrations.RunPython(revise_starter_rules, migrations.RunPython.noop)]
