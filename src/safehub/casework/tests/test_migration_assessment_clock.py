"""Migration 0004 gives the open episodes nobody has started assessing the assessment clock
the services now register on acceptance, and leaves every other episode alone."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from safehub.core.tests import clock_by_hand as hand

BEFORE = [("casework", "0003_assessment_completed_by")]
AFTER = [("casework", "0004_assessment_clock_from_referral")]


@pytest.fixture
def back_to_the_latest() -> Any:
    """Leave the schema as every other test expects it: migrated to the latest."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest")
def test_waiting_episodes_get_their_assessment_clock(users: Any, people: Any) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    episodes = old.get_model("casework", "Episode")
    assessments = old.get_model("casework", "Assessment")
    common = {"kind": "cin", "opened_by_id": users["social_worker"].pk}
    waiting = episodes.objects.create(
        child_id=people["involved"].pk, referral_date=date(2025, 12, 18), **common
    )
    started = episodes.objects.create(
        child_id=people["same_team"].pk, referral_date=date(2026, 1, 5), **common
    )
    assessments.objects.create(
        episode=started, start_date=date(2026, 1, 6), due_date=date(2026, 3, 9)
    )
    episodes.objects.create(
        child_id=people["unrelated"].pk,
        referral_date=date(2026, 1, 5),
        closure_date=date(2026, 2, 1),
        closure_reason="RC8",
        **common,
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    due_items = executor.loader.project_state(AFTER).apps.get_model("casework", "DueItem")
    items = list(due_items.objects.values_list("source_type", "source_id", "kind", "due_date"))
    # Thursday 18 December 2025: 45 working days across Christmas and New Year.
    assert items == [
        (
            "casework.Episode",
            str(waiting.pk),
            "assessment",
            hand.working_days_after(date(2025, 12, 18), 45),
        )
    ]
