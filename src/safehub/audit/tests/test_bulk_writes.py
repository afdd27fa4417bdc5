"""Audit rows written in bulk (core.bulk) are what bulk_create would write: every field,
choices as their values, JSON as JSON, the ids set on the objects and returned in order;
COPY on PostgreSQL for enough rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.bulk import COPY_FROM, insert_objects, insert_rows

pytestmark = pytest.mark.django_db


def _rows(count: int) -> list[AuditEvent]:
    return [
        AuditEvent(
            actor_username=f"user{n}",
            action=AuditAction.CREATE,
            person_id=n,
            object_type="tests.Bulk",
            detail={"n": n, "words": ["a", "b"]},
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, COPY_FROM + 5])
def test_objects_are_written_whole_with_their_ids(count: int) -> None:
    with CaptureQueriesContext(connection) as queries:
        saved = insert_objects(_rows(count))
    copied = any(q["sql"].startswith("COPY") for q in queries.captured_queries)
    assert copied == (connection.vendor == "postgresql" and count >= COPY_FROM)
    assert all(o.pk and not o._state.adding for o in saved)
    read = {e.pk: e for e in AuditEvent.objects.filter(object_type="tests.Bulk")}
    assert sorted(read) == sorted(o.pk for o in saved)
    for obj in saved:
        row = read[obj.pk]
        assert row.action == "create"  # the choice's value, not its name
        assert row.detail == {"n": row.person_id, "words": ["a", "b"]}
        assert row.actor_username == f"user{row.person_id}"


def test_rows_get_ids_in_their_order() -> None:
    ids = insert_rows(
        AuditEvent,
        ("actor_username", "action", "person_id"),
        [(f"u{n}", "view", n) for n in range(COPY_FROM + 1)],
    )
    assert dict(AuditEvent.objects.filter(pk__in=ids).values_list("pk", "person_id")) == {
        pk: n for n, pk in enumerate(ids)
    }
