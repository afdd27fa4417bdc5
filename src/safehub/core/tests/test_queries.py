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
