"""Subject access and retention in real Chromium, each page checked with axe-core:
the data protection officer records a request, compiles the bundle, decides the suggested
redactions, adds one of their own and downloads the PDF, in which the sibling's name is
gone; then reviews two records the schedule says are due, disposing of one and holding
the other."""

import uuid
from datetime import date

import pytest
from conftest import make_person
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from safehub.access.services import OPERATOR
from safehub.casework.models import CaseNote, Episode
from safehub.people.models import Person, Relationship
from safehub.retention.models import LegalHold, RetentionReview, ReviewState
from safehub.retention.services import reviews_list_due
from tests.journeys.conftest import axe_violations, screenshot, sign_in_as

pytestmark = pytest.mark.browser


def test_a_subject_access_request_through_redaction_to_the_pdf(
    transactional_db, live_server, page, users, people
):
    base = live_server.url
    child = people["involved"]  # Amelia Hart; her sibling is Sam Hart
    CaseNote.objects.create(
        child=child,
        author=users["social_worker"],
        occurred_at=timezone.now(),
        text="Visited at home. Sam Hart answered the door; the neighbour Mrs Okafor was there.",
    )
    sign_in_as(page, base, users["data_protection_officer"])
    page.get_by_role("link", name="Subject access").click()
    expect(page.get_by_role("heading", name="Subject access requests")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Record a request").click()
    page.get_by_role("button", name="Record request").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("SafeHub ID of the person the request is about").fill(str(child.pk))
    page.get_by_label("Name of the requester").fill("Amelia Hart")
    page.get_by_label("The person themselves").check()
    page.get_by_role("group", name="Has the requester's identity been checked?").get_by_label(
        "Yes"
    ).check()
    page.get_by_label("How was it checked?").fill("Passport seen at the civic centre")
    page.get_by_label("Day").fill("23")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Record request").click()
    expect(page.get_by_text("23 December 2026 (30 days left)")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Compile the bundle").click()
    expect(page.get_by_text("The bundle is compiled")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Relative (sibling)")
    expect(row.first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "subject-access-review")
    # Redact every suggestion (each is a third party).
    while page.get_by_text("To decide").count():
        page.get_by_role("row").filter(has_text="To decide").first.get_by_role(
            "button", name="Redact"
        ).click()
    page.get_by_label("Words to redact").fill("Mrs Okafor")
    page.get_by_label("Why").fill("Neighbour's name")
    page.get_by_role("button", name="Add redaction").click()
    expect(page.get_by_text("The words are added to the redactions.")).to_be_visible()
    expect(page.get_by_text("Sam Hart answered")).to_have_count(0)
    assert axe_violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("button", name="Download the redacted bundle (PDF)").click()
    reader = PdfReader(download.value.path())
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Amelia" in text
    assert "answered the door" in text
    assert "Sam" not in text
    assert "Okafor" not in text
    assert "[REDACTED]" in text


def test_a_retention_review_disposes_of_one_record_and_holds_another(
    transactional_db, live_server, page, users
):
    base = live_server.url
    opener = users["social_worker"]
    first = make_person("Rosa", "Field", date(2000, 5, 1))
    second = make_person("Tom", "Marsh", date(2001, 1, 10))
    for child in (first, second):
        Episode.objects.create(
            kind="cin", child=child, referral_date=date(2012, 1, 9), opened_by=opener
        )
    sibling = make_person("Kit", "Field", date(2003, 1, 1))
    pair = uuid.uuid4()
    Relationship.objects.create(subject=first, other=sibling, type="sibling", pair_key=pair)
    Relationship.objects.create(subject=sibling, other=first, type="sibling", pair_key=pair)
    reviews_list_due(actor=OPERATOR, as_of=date(2026, 12, 1))

    sign_in_as(page, base, users["data_protection_officer"])
    page.get_by_role("link", name="Retention").click()
    expect(page.get_by_role("heading", name="Retention review")).to_be_visible()
    expect(page.get_by_role("cell", name=f"SafeHub ID {first.pk}", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "retention-review")

    page.get_by_role("link", name=f"Decide on SafeHub ID {first.pk}").click()
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Dispose of it").check()
    page.get_by_label("Reason").fill("Past the 25th birthday; no open work")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"SafeHub ID {first.pk} is disposed of.")).to_be_visible()

    page.get_by_role("link", name=f"Decide on SafeHub ID {second.pk}").click()
    page.get_by_label("Keep it under a legal hold").check()
    page.get_by_label("Reason").fill("Claim against the council")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"SafeHub ID {second.pk} is kept under a legal hold.")).to_be_visible()
    expect(page.get_by_role("cell", name="Claim against the council").first).to_be_visible()
    assert axe_violations(page) == []
    screenshot(page, "retention-decided")

    first.refresh_from_db()
    assert first.full_name == "Disposed record"
    assert not Relationship.objects.filter(other=first).exists()
    assert Person.objects.get(pk=second.pk).given_name == "Tom"
    assert LegalHold.objects.filter(person=second, lifted_at__isnull=True).exists()
    states = dict(RetentionReview.objects.values_list("person_id", "state"))
    assert states == {first.pk: ReviewState.DISPOSED, second.pk: ReviewState.HELD}
