"""Every role against a subject access request's pages and a retention review's and legal
hold's (RECORDS_* in matrix.py): the data protection officer, or "not found" and nothing
changed (no bundle compiled, no redaction decided, nothing sent, no PDF)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from safehub.retention.models import LegalHold, RetentionReview, ReviewState
from safehub.subjectaccess.models import Redaction, Stage, SubjectAccessRequest
from safehub.subjectaccess.services import sar_record
from tests.access_matrix.matrix import EVERY_SIGNED_IN_ROLE, RECORDS_ENDPOINTS, RECORDS_ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(users, people):
    child = people["involved"]
    sar = sar_record(
        actor=users["data_protection_officer"],
        person=child,
        requester_name="Amelia Hart",
        requester_kind="subject",
        identity_checked=True,
        identity_evidence="Passport seen",
        received_on=date(2026, 11, 20),
        today=date(2026, 11, 23),
    )
    redaction = Redaction.objects.create(request=sar, term="Sam Hart", why="Relative")
    review = RetentionReview.objects.create(
        person=people["unrelated"],
        record_class="child_in_need",
        rule="rule",
        schedule_version=1,
        due_on=date(2026, 1, 1),
        listed_on=date(2026, 11, 1),
    )
    hold = LegalHold.objects.create(
        person=people["same_team"],
        reason="Claim",
        placed_by=users["data_protection_officer"],
        placed_at=timezone.now(),
    )
    return {"sar": sar, "redaction": redaction, "review": review, "hold": hold}


def _url(name: str, records) -> str:
    sar = records["sar"]
    if name == "subjectaccess:decide":
        return reverse(name, args=[sar.pk, records["redaction"].pk])
    if name.startswith("subjectaccess:"):
        return reverse(name, args=[sar.pk])
    if name == "retention:decide":
        return reverse(name, args=[records["review"].pk])
    return reverse(name, args=[records["hold"].pk])


_POSTED = {
    "subjectaccess:decide": {"decision": "redact"},
    "subjectaccess:redaction-add": {"term": "Elm Street", "why": "Neighbour's address"},
    "subjectaccess:sent": {"version": 1},
}


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
@pytest.mark.parametrize("name", sorted(RECORDS_ENDPOINTS))
def test_records_endpoint(role, name, records, client_for):
    client = client_for(role)
    url = _url(name, records)
    if RECORDS_ENDPOINTS[name] == "post":
        response = client.post(url, _POSTED.get(name, {}))
    else:
        response = client.get(url)
    sar = SubjectAccessRequest.objects.get(pk=records["sar"].pk)
    if role in RECORDS_ROLES:
        assert response.status_code in (200, 302), (role, name, response.status_code)
        return
    assert response.status_code == 404, (role, name, response.status_code)
    assert b"Amelia" not in response.content
    assert sar.stage == Stage.RECEIVED
    assert sar.compiled_at is None
    assert not sar.items.exists()
    assert Redaction.objects.get(pk=records["redaction"].pk).state == "suggested"
    assert Redaction.objects.filter(request=sar).count() == 1
    assert RetentionReview.objects.get(pk=records["review"].pk).state == ReviewState.DUE


def test_the_officer_compiles_and_others_cannot(records, client_for):
    url = reverse("subjectaccess:compile", args=[records["sar"].pk])
    assert client_for("mash_worker").post(url).status_code == 404
    assert client_for("data_protection_officer").post(url).status_code == 302
    assert SubjectAccessRequest.objects.get(pk=records["sar"].pk).items.exists()
