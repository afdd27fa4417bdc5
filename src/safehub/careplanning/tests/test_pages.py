"""The care planning section of the casework page and the IRO's own list, through real
requests: what each shows, the one audit row the list writes, a restricted child's name
kept from an IRO who may not open it, and the casework page's query count staying put as
plans, versions, contacts and delegated decisions pile up."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import shows
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.access.models import RestrictedAccess
from safehub.audit.models import AuditEvent
from safehub.careplanning import services
from safehub.careplanning.tests.conftest import in_care

pytestmark = pytest.mark.django_db


def _plan(sw: Any, child: Any, version: int | None, day: date, text: str) -> Any:
    return services.plan_save(
        actor=sw, child=child, kind="care", written_on=day, content=text, expected_version=version
    )


def test_the_casework_page_shows_the_iro_the_plans_and_the_delegated_decisions(
    period, child, sw, iro, users, client_for
):
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    _plan(sw, child, None, date(2025, 3, 10), "Stay with the Patels")
    services.delegated_decision_record(
        actor=sw,
        child=child,
        decision="School trips",
        delegated_to="Mr and Mrs Patel",
        agreed_on=date(2025, 3, 4),
    )
    page = client_for("social_worker").get(reverse("casework:child-casework", args=[child.pk]))
    text = page.content.decode()
    assert 'id="care-planning"' in text
    assert str(iro) in text
    assert "Version 1, dated 10 March 2025" in text
    assert "Stay with the Patels" in text
    assert "School trips" in text
    # The placement plan is still to write: its clock shows (5 working days from 3 March).
    assert "Write the placement plan: due 10 March 2025" in text


def test_a_child_not_in_care_has_no_care_planning_section(child, client_for):
    page = client_for("social_worker").get(reverse("casework:child-casework", args=[child.pk]))
    assert page.status_code == 200
    assert b'id="care-planning"' not in page.content


def test_the_casework_page_query_count_does_not_grow_with_care_planning(
    period, child, sw, iro, users, client_for
):
    client = client_for("social_worker")
    url = reverse("casework:child-casework", args=[child.pk])
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    plan = _plan(sw, child, None, date(2025, 3, 10), "v1")

    def count() -> int:
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.delegated_decision_record(
        actor=sw,
        child=child,
        decision="Haircuts",
        delegated_to="Carers",
        agreed_on=date(2025, 3, 4),
    )
    services.iro_contact_record(
        actor=iro, child=child, contact_on=date(2025, 3, 5), seen_alone=True
    )
    before = count()
    for n in range(5):
        day = date(2025, 4, 1) + timedelta(days=n)
        plan = _plan(sw, child, plan.version, day, f"v{n + 2}")
        services.delegated_decision_record(
            actor=sw, child=child, decision=f"Decision {n}", delegated_to="Carers", agreed_on=day
        )
        services.iro_contact_record(actor=iro, child=child, contact_on=day, seen_alone=False)
    assert count() == before


def test_the_iro_lists_their_children_with_the_review_due_and_one_audit_row(
    period, child, iro, users, people, client_for
):
    services.iro_allocate(actor=users["team_manager"], child=child, iro_id=iro.pk)
    # A restricted child in care whose IRO they are made, but whose record they may not
    # open without breaking the glass: listed, never named.
    hidden = people["restricted"]
    for staff in ("colleague", "team_manager"):
        RestrictedAccess.objects.create(person=hidden, user=users[staff])
    in_care(users["colleague"], hidden)
    services.iro_allocate(actor=users["team_manager"], child=hidden, iro_id=iro.pk)
    RestrictedAccess.objects.filter(person=hidden).delete()
    page = client_for("cp_chair_iro").get(reverse("careplanning:iro-work"))
    text = page.content.decode()
    assert child.full_name in text
    assert not shows(hidden.family_name, text)
    assert "Hold the first looked-after review, 31 March 2025" in text
    [row] = AuditEvent.objects.filter(action="list", actor=iro)
    assert (row.object_type, row.subject_ids) == ("careplanning.iro_work", f",{child.pk},")


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "mash_worker"])
def test_only_reviewing_officers_have_the_list(role, client_for):
    assert client_for(role).get(reverse("careplanning:iro-work")).status_code == 404
