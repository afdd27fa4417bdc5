"""Prepared statements on PostgreSQL (ADR 0067): statements are prepared once a connection
has run them, a statement longer than the protocol carries still runs, and the connection
keeps as many prepared statements as the settings say."""

from typing import Any

import pytest
from conftest import make_person
from django.conf import settings
from django.db import connection

from safehub.core.prepared import MAX_BOUND_PARAMETERS, Cursor
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")


def _prepared(fragment: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [row[0] for row in cursor.fetchall() if fragment in row[0]]


def test_the_connection_uses_our_cursor_and_cache_size() -> None:
    connection.ensure_connection()
    raw: Any = connection.connection
    assert raw.cursor_factory is Cursor
    assert raw.prepared_max == settings.PREPARED_MAX
    assert raw.prepare_threshold == settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]


def test_a_statement_run_again_is_prepared_with_its_parameters_apart() -> None:
    ann = make_person("Ann", "Prepared")
    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    for _ in range(threshold + 1):
        assert Person.objects.filter(family_name="Prepared").get().pk == ann.pk
    prepared = _prepared('"people_person"."family_name" = $1')
    assert prepared, "the read was not prepared"


def test_a_statement_with_more_parameters_than_the_protocol_carries_still_runs() -> None:
    people = [make_person(f"Long{n}", "List") for n in range(3)]
    wanted = [person.pk for person in people]
    # Ids that do not exist pad the list past the protocol's limit.
    padding = range(10**9, 10**9 + MAX_BOUND_PARAMETERS + 10)
    found = Person.objects.filter(pk__in=[*wanted, *padding]).values_list("pk", flat=True)
    assert sorted(found) == sorted(wanted)
    # Values bound on the client are quoted as literals, not run as SQL.
    odd = "O'Brien; DROP TABLE people_person; --"
    names = [odd, *(f"nobody-{n}" for n in range(MAX_BOUND_PARAMETERS + 1))]
    odd_person = make_person("Pat", odd)
    assert list(Person.objects.filter(family_name__in=names).values_list("pk", flat=True)) == [
        odd_person.pk
    ]
    assert not _prepared("nobody-")
