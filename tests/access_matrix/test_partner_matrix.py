"""Every role against every page about one partner event or one CSV upload: allowed, or
"not found" (404) and nothing changed."""

from typing import Any

import pytest
from conftest import make_user, sign_in
from django.test import Client
from django.urls import reverse

from safehub.access.roles import Role
from safehub.organisations.models import Agency, AgencyKind, Team
from safehub.partners.codes import MatchState
from safehub.partners.models import PartnerEvent, PartnerUpload
from safehub.partners.services import partner_events_receive, partner_upload_create
from safehub.partners.tests.conftest import event
from tests.access_matrix.matrix import (
    EVERY_SIGNED_IN_ROLE,
    PARTNER_EVENT_ENDPOINTS,
    PARTNER_EVENT_ROLES,
    PARTNER_UPLOAD_ENDPOINTS,
    PARTNER_UPLOAD_ROLES,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def waiting(users: dict[str, Any], people: dict[str, Any]) -> PartnerEvent:
    partner_events_receive(
        actor=users["partner_practitioner"], events=[event(nhs_number="9000000009")]
    )
    return PartnerEvent.objects.get()


def _post_data(name: str, people: dict[str, Any]) -> dict[str, Any]:
    if name == "partners:event-attach":
        return {"person": people["involved"].pk}
    return {"reason": "Not known to us"}


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", sorted(PARTNER_EVENT_ENDPOINTS))
def test_partner_event_matrix(role, name, waiting, people, client_for):
    client = client_for(role)
    url = reverse(name, args=[waiting.pk])
    if PARTNER_EVENT_ENDPOINTS[name] == "post":
        response = client.post(url, _post_data(name, people))
    else:
        response = client.get(url)
    waiting.refresh_from_db()
    if role in PARTNER_EVENT_ROLES:
        assert response.status_code in (200, 302), (role, name, response.status_code)
        if name == "partners:event-attach":
            assert waiting.person == people["involved"]
    else:
        assert response.status_code == 404, (role, name, response.status_code)
        assert waiting.state == MatchState.AWAITING
        assert b"9000000009" not in response.content


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE | {"other_agency_sender"}))
@pytest.mark.parametrize("name", sorted(PARTNER_UPLOAD_ENDPOINTS))
def test_partner_upload_matrix(role, name, users, people, council, client_for):
    upload = partner_upload_create(
        actor=users["partner_practitioner"],
        filename="events.csv",
        content=b"event_id,type,occurred_at,nhs_number,summary,significance\r\n"
        b"UPLOADED-ROW-77,suspension,2026-11-18,9434765919,Suspended for a day.,low\r\n",
    )
    if role == "other_agency_sender":
        police = Agency.objects.create(name="Testshire Police", kind=AgencyKind.POLICE)
        sender = make_user("pc", Role.PARTNER_PRACTITIONER, Team.objects.create(agency=police))
        client = sign_in(Client(), sender)
    else:
        client = client_for(role)
    url = reverse(name, args=[upload.pk])
    response = client.post(url) if PARTNER_UPLOAD_ENDPOINTS[name] == "post" else client.get(url)
    if role in PARTNER_UPLOAD_ROLES:
        assert response.status_code in (200, 302), (role, name)
    else:
        assert response.status_code == 404, (role, name, response.status_code)
        assert b"UPLOADED-ROW-77" not in response.content
        assert not PartnerEvent.objects.exists()
        assert PartnerUpload.objects.get().confirmed_at is None
