"""After a bulk load the demo refreshes the planner's statistics of every table it filled in
bulk, the registers' rows among them: with their first batch's statistics PostgreSQL planned
the home-education register as a walk past every child (bench/README.md, 7 December)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.demo.generator.loader import refresh_statistics
from safehub.hardtosee.models import RegisterFacts
from safehub.partners.models import PartnerEvent
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.mark.postgres_only
def test_every_table_filled_in_bulk_is_analyzed() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    with CaptureQueriesContext(connection) as captured:
        refresh_statistics()
    analyzed = {q["sql"].rsplit(" ", 1)[-1].strip('"') for q in captured.captured_queries}
    for model in (RegisterFacts, PartnerEvent, Person):
        assert model._meta.db_table in analyzed, model
