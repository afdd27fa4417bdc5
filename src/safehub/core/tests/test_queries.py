"""`unique_or_none`: `first()` for a filter on a unique key, without an ORDER BY."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.core.queries import unique_or_none
from safehub.organisations.models import Agency, AgencyKind


def test_the_row_a_unique_key_finds_or_none(db):
    agency = Agency.objects.create(name="Elm Primary School", kind=AgencyKind.SCHOOL, urn="123456")
    assert unique_or_none(Agency.objects.filter(pk=agency.pk)) == agency
    assert unique_or_none(Agency.objects.filter(pk=agency.pk)) == (
        Agency.objects.filter(pk=agency.pk).first()
    )
    assert unique_or_none(Agency.objects.filter(pk=agency.pk + 1)) is None


def test_no_order_by_is_added(db):
    with CaptureQueriesContext(connection) as queries:
        unique_or_none(Agency.objects.filter(pk=1))
    assert len(queries) == 1
    assert "ORDER BY" not in queries[0]["sql"].upper()


def test_in_ids_finds_the_rows_of_those_ids_only(db):
    made = [
        Agency.objects.create(name=f"School {n}", kind=AgencyKind.SCHOOL, urn=f"10000{n}")
        for n in range(4)
    ]
    wanted = {made[0].pk, made[2].pk, made[2].pk, 10**9}  # a repeat and an id nobody has
    found = Agency.objects.filter(pk__in_ids=wanted).order_by("pk")
    assert list(found) == [made[0], made[2]]
    assert not Agency.objects.filter(pk__in_ids=[]).exists()
    assert Agency.objects.exclude(pk__in_ids=wanted).count() == 2


def test_in_ids_sends_thousands_of_ids_as_one_parameter_on_postgresql(db):
    found = Agency.objects.filter(pk__in_ids=range(1, 5001)).values_list("pk", flat=True)
    sql, params = found.query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql
        assert len(params) == 1  # one array, not 5,000 placeholders
        assert list(params[0]) == list(range(1, 5001))
    else:
        assert len(params) == 5000
    assert list(found) == []
