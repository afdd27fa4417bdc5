"""Entries appended as a batch (a partner's batch of events) are evaluated once per person
with everything the batch brought: one alert on all the new facts, none for a near miss."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import make_person
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.chronology.services import chronology_append_many, new_entry
from safehub.concerns.models import Alert
from safehub.concerns.tests.conftest import at, switch_on

pytestmark = pytest.mark.django_db

D = date(2026, 6, 1)


def entry(code: str, day: date, by: Any) -> Any:
    return new_entry(
        actor=by, event_type=code, summary="Reported.", occurred_at=at(day), recorded_at=at(D, 11)
    )


def test_a_batch_fires_once_per_child_on_all_its_facts(reporters: dict[str, Any]) -> None:
    switch_on("many-agencies-no-plan")
    three, two = make_person("Lily", "Reed"), make_person("Max", "Reed")
    appended = chronology_append_many(
        [
            (
                entry("PARTNER_DSL_WELFARE_CONCERN", D - timedelta(days=90), reporters["school"]),
                [three],
            ),
            (
                entry("PARTNER_WAS_NOT_BROUGHT", D - timedelta(days=50), reporters["health"]),
                [three],
            ),
            (
                entry("PARTNER_DSL_WELFARE_CONCERN", D - timedelta(days=40), reporters["school"]),
                [two],
            ),
            (
                entry(
                    "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT",
                    D - timedelta(days=10),
                    reporters["police"],
                ),
                [three, two],
            ),
        ]
    )
    [alert] = Alert.objects.filter(rule__code="many-agencies-no-plan")
    assert alert.person_id == three.pk
    assert sorted(alert.fact_ids) == sorted(e.pk for e in (appended[0], appended[1], appended[3]))


def test_evaluating_a_batch_reads_everyone_at_once(reporters: dict[str, Any]) -> None:
    switch_on("many-agencies-no-plan")

    def queries(count: int) -> int:
        kids = [make_person(f"Kid{n}", "Count") for n in range(count)]
        with CaptureQueriesContext(connection) as captured:
            chronology_append_many(
                [(entry("PARTNER_WAS_NOT_BROUGHT", D, reporters["health"]), [k]) for k in kids]
            )
        return len(captured.captured_queries)

    assert queries(12) == queries(3)
