"""Migration 0004 brings a migrated database's starter rules up to date: the accumulation
rule installed where missing, a rule nobody changed by hand saved as its next version, a
manager's own rule left alone."""

import importlib
from typing import Any

import pytest
from django.apps import apps

from safehub.concerns.models import ConcernRule, RuleVersion
from safehub.concerns.starter_rules import STARTER_RULES

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("safehub.concerns.migrations.0004_starter_rules_accumulation")
OLD = {"any_of": [{"all_of": [{"kind": "count", "events": ["CONTACT_RECEIVED"]}]}]}


def test_installs_the_new_rule_and_revises_only_untouched_ones(users: dict[str, Any]) -> None:
    spec = {s["code"]: s for s in STARTER_RULES}
    RuleVersion.objects.filter(rule__code="concerns-accumulating").delete()
    ConcernRule.objects.filter(code="concerns-accumulating").delete()
    untouched = ConcernRule.objects.get(code="repeat-contacts")
    ConcernRule.objects.filter(pk=untouched.pk).update(definition=OLD, version=2)
    ConcernRule.objects.filter(code="neglect-worsening").update(
        definition=OLD, changed_by=users["team_manager"]
    )

    MIGRATION.revise_starter_rules(apps, None)

    installed = ConcernRule.objects.get(code="concerns-accumulating")
    assert installed.definition == spec["concerns-accumulating"]["definition"]
    assert installed.active is False
    assert RuleVersion.objects.filter(rule=installed, number=1).exists()
    untouched.refresh_from_db()
    assert untouched.definition == spec["repeat-contacts"]["definition"]
    assert untouched.version == 3
    assert RuleVersion.objects.filter(rule=untouched, number=3).exists()
    assert ConcernRule.objects.get(code="neglect-worsening").definition == OLD
    # Run again: nothing more to do.
    MIGRATION.revise_starter_rules(apps, None)
    assert ConcernRule.objects.get(code="repeat-contacts").version == 3
