"""The pages: a partner uploads a CSV, sees every problem, confirms the good rows; the MASH
works the queue. Through the real request path and templates."""

import re
from typing import Any

import pytest
from conftest import sign_in
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.partners.codes import MatchState
from safehub.partners.models import PartnerEvent, PartnerUpload
from safehub.partners.parsing import FIELDS
from safehub.partners.services import partner_events_receive
from safehub.partners.tests.conftest import event

pytestmark = pytest.mark.django_db

HEADER = ",".join(FIELDS)


def _csv(*rows: dict[str, str]) -> bytes:
    lines = [HEADER] + [",".join(row.get(f, "") for f in FIELDS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


GOOD = {
    "event_id": "S1",
    "type": "suspension",
    "occurred_at": "2026-11-18",
    "nhs_number": "9434765919",
    "summary": "Suspended for one day after a fight.",
    "significance": "low",
}
BAD = {**GOOD, "event_id": "S2", "type": "household_adult_arrested"}
WORSE = {**GOOD, "event_id": "S3", "nhs_number": "123", "occurred_at": "2027-01-01"}


def _upload(client: Any, content: bytes, name: str = "events.csv") -> Any:
    return client.post(
        reverse("partners:upload"), {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def test_the_template_is_the_header_row_of_the_api_fields(client_for):
    response = client_for("partner_practitioner").get(reverse("partners:template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.decode() == HEADER + "\r\n"


def test_a_preview_lists_every_bad_row_and_confirming_sends_only_the_good(client_for, people):
    client = client_for("partner_practitioner")
    response = _upload(client, _csv(GOOD, BAD, WORSE))
    upload = PartnerUpload.objects.get()
    assert response["Location"] == reverse("partners:preview", args=[upload.pk])
    page = client.get(response["Location"]).content.decode()
    assert "1 ready to send" in page
    assert "2 with problems" in page
    assert "only police agencies send it" in page
    assert "Enter a valid 10-digit NHS number" in page
    assert "The date it happened cannot be in the future" in page
    assert not PartnerEvent.objects.exists()  # nothing until confirmed
    client.post(reverse("partners:confirm", args=[upload.pk]))
    assert list(PartnerEvent.objects.values_list("partner_event_id", "channel")) == [("S1", "csv")]
    sent = client.get(reverse("partners:preview", args=[upload.pk])).content.decode()
    assert "Events sent" in sent
    assert "filed on the record of SafeHub ID" in sent
    # Confirming again, or uploading the same rows again, adds nothing.
    client.post(reverse("partners:confirm", args=[upload.pk]))
    _upload(client, _csv(GOOD))
    client.post(reverse("partners:confirm", args=[PartnerUpload.objects.latest("pk").pk]))
    assert PartnerEvent.objects.count() == 1
    assert ChronologyLink.objects.filter(person=people["involved"]).count() == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("event_id,type\r\nS1,suspension\r\n".encode("utf-16"), "not saved as UTF-8"),
        (b"\r\n \r\n", "The file is empty"),
        (b"event_id,type,summary\r\nS1,suspension,x\r\n", "missing these columns: occurred_at"),
        (HEADER.encode() + b"\r\n", "no events under its header"),
        (HEADER.encode() + b",colour\r\n", "does not read these columns: colour"),
    ],
)
def test_a_file_that_cannot_be_read_says_why_and_offers_nothing_to_send(
    content, problem, client_for, people
):
    client = client_for("partner_practitioner")
    response = client.get(_upload(client, content)["Location"])
    page = response.content.decode()
    assert "This file cannot be sent" in page
    assert problem in page
    assert "Send 1 event" not in page


def test_an_empty_file_or_none_is_refused_on_the_upload_page(client_for, people):
    client = client_for("partner_practitioner")
    empty = _upload(client, b"")
    assert empty.status_code == 200
    assert "The selected file is empty" in empty.content.decode()
    missing = client.post(reverse("partners:upload"), {})
    assert "Select a CSV file to upload" in missing.content.decode()
    assert not PartnerUpload.objects.exists()


def test_a_row_with_the_wrong_number_of_values_is_named(client_for, people):
    client = client_for("partner_practitioner")
    content = _csv(GOOD) + b"S9,suspension\r\n"
    page = client.get(_upload(client, content)["Location"]).content.decode()
    assert "This row has 2 values but the header has 16 columns" in page


def test_another_agency_cannot_open_an_upload(client_for, senders, people):
    from django.test import Client

    _upload(client_for("partner_practitioner"), _csv(GOOD))
    upload = PartnerUpload.objects.get()
    police = sign_in(Client(), senders["police"])
    assert police.get(reverse("partners:preview", args=[upload.pk])).status_code == 404
    assert police.post(reverse("partners:confirm", args=[upload.pk])).status_code == 404
    assert (
        client_for("mash_worker").get(reverse("partners:preview", args=[upload.pk])).status_code
        == 404
    )
    assert not PartnerEvent.objects.exists()


def test_the_queue_shows_waiting_events_oldest_first_with_how_long(
    client_for, senders, people, users
):
    import time_machine
    from conftest import TEST_NOW

    with time_machine.travel(TEST_NOW.replace(hour=7), tick=False):
        partner_events_receive(actor=senders["school"], events=[event(nhs_number="9000000009")])
    partner_events_receive(
        actor=senders["police"],
        events=[event(event_id="P1", type="missing_episode", nhs_number="4010232137")],
    )
    page = client_for("mash_worker").get(reverse("partners:queue")).content.decode()
    assert page.index("Welfare concern") < page.index("Reported missing")
    assert "2 hours" in page
    assert AuditEvent.objects.filter(action="list", object_type="partners.queue").exists()


def test_a_worker_matches_from_the_event_page_and_the_sender_sees_what_is_sent_back(
    client_for, senders, people
):
    partner_events_receive(
        actor=senders["school"],
        events=[
            event(
                nhs_number=None,
                given_name="Amelia",
                family_name="Hart",
                date_of_birth="2015-04-03",
                postcode="TE1 4AB",
            ),
            event(event_id="E2", nhs_number="9000000009"),
        ],
    )
    first, second = PartnerEvent.objects.order_by("pk")
    mash = client_for("mash_worker")
    page = mash.get(reverse("partners:event-detail", args=[first.pk])).content.decode()
    assert "Suggested records" in page
    assert "Amelia Hart" in page
    response = mash.post(
        reverse("partners:event-attach", args=[first.pk]), {"person": people["involved"].pk}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.state == MatchState.MATCHED_BY_WORKER
    refused = mash.post(reverse("partners:event-send-back", args=[second.pk]), {"reason": ""})
    assert refused.status_code == 200
    assert "Enter why you are sending it back" in refused.content.decode()
    mash.post(
        reverse("partners:event-send-back", args=[second.pk]),
        {"reason": "No child with this NHS number is known"},
    )
    upload_page = client_for("partner_practitioner").get(reverse("partners:upload"))
    assert "No child with this NHS number is known" in upload_page.content.decode()


def test_the_queue_is_the_one_place_the_navigation_marks(client_for, people):
    page = client_for("mash_worker").get(reverse("partners:queue")).content.decode()
    active = re.findall(r'service-navigation__item--active">\s*<a[^>]*>([^<]+)</a>', page)
    assert [a.strip() for a in active] in (["Partner information"], [])
    assert page.count("service-navigation__item--active") == 1
