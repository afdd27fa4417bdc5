"""The information-sharing log: written by the services where sharing happens and by a
worker's form, each entry with its purpose and lawful basis or, when not shared, its
reason; audited; read on the person's page by those the policy lets read it."""

from datetime import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.workdays import LONDON
from safehub.frontdoor import services as frontdoor
from safehub.frontdoor.codes import Channel
from safehub.frontdoor.tests.factories import professional_submission
from safehub.frontdoor.tests.test_chronology_credit import _triage_and_link
from safehub.sharing.codes import Direction, Outcome, Source
from safehub.sharing.models import SharingRecord
from safehub.sharing.services import sharing_record_manual

pytestmark = pytest.mark.django_db


def _manual(**fields: Any) -> dict[str, Any]:
    data = {
        "direction": Direction.TO_PARTNER,
        "outcome": Outcome.SHARED,
        "purpose": "Strategy discussion: the GP asked whether the child is known",
        "what": "That a section 47 enquiry is open",
        "article6": "6_1_e",
        "article9": "9_2_g",
        "decided_at": datetime(2026, 11, 20, 12, tzinfo=LONDON),
    }
    data.update(fields)
    return data


def test_a_manual_disclosure_is_logged_with_its_basis_and_audited(users, people, council):
    child, worker = people["involved"], users["social_worker"]
    record = sharing_record_manual(
        actor=worker, person=child, data=_manual(agency=council["trust"])
    )
    assert (record.person, record.agency, record.article6, record.source) == (
        child,
        council["trust"],
        "6_1_e",
        Source.MANUAL,
    )
    assert AuditEvent.objects.filter(
        actor=worker, action="create", object_type="sharing.SharingRecord", person_id=child.pk
    ).exists()


def test_a_decision_not_to_share_needs_its_reason_and_a_disclosure_its_basis(
    users, people, council
):
    child, worker = people["involved"], users["social_worker"]
    with pytest.raises(ValidationError) as error:
        sharing_record_manual(
            actor=worker,
            person=child,
            data=_manual(agency=council["trust"], outcome=Outcome.NOT_SHARED),
        )
    assert error.value.message_dict == {
        "reason_not_shared": ["Enter why the information was not shared"]
    }
    with pytest.raises(ValidationError) as error:
        sharing_record_manual(
            actor=worker, person=child, data=_manual(agency=council["trust"], article6="")
        )
    assert error.value.message_dict == {
        "article6": ["Select the Article 6 lawful basis for sharing"]
    }
    with pytest.raises(ValidationError) as error:
        sharing_record_manual(
            actor=worker, person=child, data=_manual(agency=council["trust"], article9="9_2_z")
        )
    assert error.value.message_dict == {"article9": ["Select a lawful basis from the list"]}
    assert not SharingRecord.objects.exists()
    refused = sharing_record_manual(
        actor=worker,
        person=child,
        data=_manual(
            agency=council["trust"],
            outcome=Outcome.NOT_SHARED,
            article6="",
            reason_not_shared="The father's solicitor asked; no lawful basis to tell him.",
        ),
    )
    assert refused.outcome == Outcome.NOT_SHARED


def test_only_those_who_may_change_the_record_add_an_entry(users, people, council):
    for role in ("partner_practitioner", "cp_chair_iro", "south_worker"):
        with pytest.raises(PermissionDeniedError):
            sharing_record_manual(
                actor=users[role], person=people["involved"], data=_manual(agency=council["trust"])
            )


def test_an_information_request_is_logged_both_ways(users, people, council):
    child, mash = people["involved"], users["mash_worker"]
    contact, _ = frontdoor.contact_submit(
        actor=users["partner_practitioner"],
        channel=Channel.PROFESSIONAL,
        data=professional_submission(),
    )
    contact = _triage_and_link(contact, mash, child)
    request = frontdoor.information_request_send(
        actor=mash, contact=contact, agency=council["school"], question="Attendance?", due="next"
    )
    frontdoor.information_request_answer(
        actor=users["partner_practitioner"],
        request=request,
        expected_version=1,
        answer="Attendance 81% this term.",
    )
    logged = list(SharingRecord.objects.filter(person=child).order_by("pk"))
    assert [(r.direction, r.agency, r.recorded_by, r.source) for r in logged] == [
        (Direction.TO_PARTNER, council["school"], mash, Source.INFORMATION_REQUEST),
        (
            Direction.FROM_PARTNER,
            council["school"],
            users["partner_practitioner"],
            Source.INFORMATION_REQUEST,
        ),
    ]
    assert all(r.source_id == str(request.pk) for r in logged)


def test_the_log_page_lists_entries_and_the_form_refuses_bad_input(
    users, people, council, client_for
):
    child = people["involved"]
    client = client_for("social_worker")
    url = reverse("sharing:person-record", args=[child.pk])
    response = client.post(url, {"outcome": "shared", "direction": "to_partner"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select the partner agency" in page
    assert not SharingRecord.objects.exists()
    response = client.post(
        url,
        {
            "outcome": "not_shared",
            "direction": "to_partner",
            "agency": council["trust"].pk,
            "decided_on-day": "20",
            "decided_on-month": "11",
            "decided_on-year": "2026",
            "purpose": "The trust asked for the mother's new address",
            "reason_not_shared": "A non-molestation order is in place; the address stays here.",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("sharing:person-log", args=[child.pk])).content.decode()
    assert "Testshire NHS Trust" in page
    assert "A non-molestation order is in place" in page
    assert AuditEvent.objects.filter(
        action="view", person_id=child.pk, actor=users["social_worker"]
    ).exists()
