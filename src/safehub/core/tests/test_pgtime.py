"""Date-times read by psycopg's compiled loader (ADR 0069): every value comes back exactly as
Django's own loader gives it, time zone included."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.db import connection
from django.db.backends.postgresql.psycopg_any import register_tzloader
from django.test import override_settings
from psycopg.pq import Format

from safehub.core import pgtime
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

VALUES = [
    "2026-12-06 16:43:33.103651+00",
    "2026-03-29 00:59:59.999999+00",  # the hour before the clocks go forward in London
    "2026-10-25 01:30:00+01",  # an hour that happens twice in London
    "2024-02-29 23:00:00-05:30",
    "2000-01-01 00:00:00+14",
    "0001-01-02 00:00:00+00",
    "9999-12-31 23:59:59.999999+00",
]


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the loaders are psycopg's, for PostgreSQL")


def _read(cursor: Any) -> list[datetime]:
    cursor.execute(
        "SELECT v::timestamptz FROM unnest(%s::text[]) WITH ORDINALITY AS t(v, n) ORDER BY n",
        [VALUES],
    )
    return [row[0] for row in cursor.fetchall()]


def test_the_connection_reads_date_times_with_the_compiled_loader() -> None:
    connection.ensure_connection()
    raw: Any = connection.connection
    loader = raw.adapters.get_loader(raw.adapters.types["timestamptz"].oid, Format.TEXT)
    assert loader is pgtime._loader_for(connection.timezone)
    assert getattr(loader, "timezone", None) == connection.timezone  # Django keeps it


def test_every_value_is_what_djangos_loader_gives() -> None:
    assert pgtime.CompiledTimestamptzLoader is not None  # psycopg[binary] is installed
    with connection.cursor() as ours:
        mine = _read(ours)
    with connection.cursor() as theirs:
        register_tzloader(connection.timezone, theirs.cursor)
        django = _read(theirs)
    assert mine == django
    assert [v.tzinfo for v in mine] == [v.tzinfo for v in django]
    assert mine[0] == datetime(2026, 12, 6, 16, 43, 33, 103651, tzinfo=UTC)


def test_a_model_reads_the_same_date_time_it_wrote() -> None:
    written = datetime(2026, 10, 25, 0, 30, 0, 123456, tzinfo=UTC)
    person = Person.objects.create(given_name="Ada", family_name="Clock")
    Person.objects.filter(pk=person.pk).update(created_at=written)
    read = Person.objects.get(pk=person.pk).created_at
    assert read == written
    assert read.tzinfo is connection.timezone


@override_settings(TIME_ZONE="Europe/London", USE_TZ=False)
def test_without_time_zones_djangos_own_rule_still_decides() -> None:
    # Django registers its loader on the cursor when the connection's zone differs.
    with connection.cursor() as cursor:
        values = _read(cursor)
    assert all(v.tzinfo is None for v in values)
