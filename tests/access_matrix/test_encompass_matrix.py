"""Every role against the pages of Operation Encompass notices (ENCOMPASS_* in matrix.py),
a feed's quiet limit (FEED_ROLES), and a person's information-sharing log (CASEWORK_VIEW,
every relation): allowed, or "not found" and nothing changed."""

from typing import Any

import pytest
import time_machine
from conftest import TEST_NOW, shows
from django.urls import reverse

from safehub.organisations.models import Agency, AgencyKind, Team
from safehub.partners.models import EncompassNotice, NoticeState
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event
from safehub.people.models import Person
from tests.access_matrix.matrix import (
    CASEWORK_VIEW,
    ENCOMPASS_ACKNOWLEDGE,
    ENCOMPASS_RELATIONS,
    ENCOMPASS_SEND_ROLES,
    ENCOMPASS_VIEW,
    EVERY_SIGNED_IN_ROLE,
    FEED_ROLES,
    RELATIONS,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def police(council: dict[str, Any]) -> Any:
    from conftest import make_user

    from safehub.access.roles import Role

    agency = Agency.objects.create(name="Testshire Police", kind=AgencyKind.POLICE)
    return make_user("pc", Role.PARTNER_PRACTITIONER, Team.objects.create(agency=agency))


@pytest.fixture
def notices(police, users, people, council) -> dict[str, EncompassNotice]:
    """One notice of each relation, about three different children."""
    from conftest import make_user

    from safehub.access.roles import Role

    oak = Agency.objects.create(name="Oak Academy", kind=AgencyKind.SCHOOL, urn="654321")
    make_user("oak-dsl", Role.PARTNER_PRACTITIONER, Team.objects.create(agency=oak))
    schools = {"own_school": "Elm Primary School", "other_school": "Oak Academy", "no_school": ""}
    children = {"own_school": "involved", "other_school": "same_team", "no_school": "unrelated"}
    found = {}
    for n, relation in enumerate(ENCOMPASS_RELATIONS):
        child: Person = people[children[relation]]
        child.nhs_number = ["9434765919", "4010232137", "9876543210"][n]
        child.school = schools[relation]
        child.school_agency = Agency.objects.filter(name=schools[relation]).first()
        child.save(update_fields=["nhs_number", "school", "school_agency"])
        with time_machine.travel(TEST_NOW, tick=False):
            [outcome] = partner_events_receive(
                actor=police,
                events=[
                    event(
                        event_id=f"DA-{n}",
                        type="domestic_abuse_child_present",
                        occurred_at="2026-11-22",
                        nhs_number=child.nhs_number,
                        summary="POLICE-ACCOUNT-SECRET",
                    )
                ],
            )
        assert outcome.outcome == "accepted", outcome.reasons
        found[relation] = EncompassNotice.objects.get(child=child)
    return found


def _letter(table: dict[str, str], role: str, relation: str) -> str:
    return table[role].split()[ENCOMPASS_RELATIONS.index(relation)]


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("relation", ENCOMPASS_RELATIONS)
def test_encompass_notice_page(role, relation, notices, client_for):
    notice = notices[relation]
    response = client_for(role).get(reverse("partners:notice-detail", args=[notice.pk]))
    if _letter(ENCOMPASS_VIEW, role, relation) == "A":
        assert response.status_code == 200, (role, relation)
        assert notice.child.full_name.encode() in response.content
    else:
        assert response.status_code == 404, (role, relation)
        assert not shows(notice.child.family_name, response.content)


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("relation", ENCOMPASS_RELATIONS)
def test_encompass_acknowledge(role, relation, notices, client_for):
    notice = notices[relation]
    url = reverse("partners:notice-acknowledge", args=[notice.pk])
    response = client_for(role).post(url, {"version": notice.version})
    before = notice.state
    notice.refresh_from_db()
    if _letter(ENCOMPASS_ACKNOWLEDGE, role, relation) == "A":
        assert response.status_code == 302, (role, relation)
        assert notice.state == NoticeState.ACKNOWLEDGED
    else:
        assert response.status_code == 404, (role, relation, response.status_code)
        assert notice.state == before


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_encompass_send(role, notices, people, client_for):
    notice = notices["no_school"]
    child = people["unrelated"]
    child.school = "Elm Primary School"
    child.school_agency = Agency.objects.get(urn="123456")
    child.save(update_fields=["school", "school_agency"])
    url = reverse("partners:notice-send", args=[notice.pk])
    response = client_for(role).post(url, {"version": notice.version})
    notice.refresh_from_db()
    if role in ENCOMPASS_SEND_ROLES:
        assert response.status_code == 302, role
        assert notice.state == NoticeState.SENT
    else:
        assert response.status_code == 404, (role, response.status_code)
        assert notice.state == NoticeState.NO_SCHOOL


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_feed_threshold(role, notices, police, client_for):
    url = reverse(
        "partners:feed-threshold", args=[police.agency_id, "domestic_abuse_child_present"]
    )
    client = client_for(role)
    if role in FEED_ROLES:
        assert client.get(url).status_code == 200
        assert client.post(url, {"quiet_after": "3"}).status_code == 302
    else:
        assert client.get(url).status_code == 404
        assert client.post(url, {"quiet_after": "3"}).status_code == 404


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("relation", RELATIONS)
def test_sharing_log_page(role, relation, people, client_for):
    person = people[relation]
    response = client_for(role).get(reverse("sharing:person-log", args=[person.pk]))
    expected = CASEWORK_VIEW[role].split()[RELATIONS.index(relation)]
    if expected == "A":
        assert response.status_code == 200, (role, relation)
        assert person.given_name.encode() in response.content
    elif expected == "B":
        assert response.status_code == 302, (role, relation)
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation)
        assert not shows(person.family_name, response.content)
