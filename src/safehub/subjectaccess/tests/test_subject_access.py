"""Subject access requests: the deadline, compiling through the policy, redaction decided by
a person, a PDF with the third party's name taken out, and every step audited."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from safehub.access.policy import Decision, decide_subject_access
from safehub.audit.models import AuditEvent
from safehub.casework.models import CaseNote
from safehub.core.exceptions import NotFound, PermissionDeniedError
from safehub.subjectaccess import services
from safehub.subjectaccess.fetchers import access_subject
from safehub.subjectaccess.models import RedactionState, Section, Stage, SubjectAccessRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def dpo(users):
    return users["data_protection_officer"]


@pytest.fixture
def sar(dpo, users, people):
    child = people["involved"]  # Amelia Hart, whose sibling is Sam Hart
    CaseNote.objects.create(
        child=child,
        author=users["social_worker"],
        occurred_at=timezone.now(),
        text="Amelia said Sam Hart had taken her phone. Sam was upset too.",
    )
    return services.sar_record(
        actor=dpo,
        person=child,
        requester_name="Amelia Hart",
        requester_kind="subject",
        identity_checked=True,
        identity_evidence="Passport seen at the civic centre",
        received_on=date(2026, 11, 23),
        today=date(2026, 11, 23),
    )


def test_deadline_is_one_month_moved_off_weekends():
    # 31 January: no 31 February, so the month's last day, a Saturday: the Monday after.
    assert services.deadline_from(date(2026, 1, 31), 1) == date(2026, 3, 2)
    assert services.deadline_from(date(2026, 11, 23), 1) == date(2026, 12, 23)
    # 25 November + 1 month is Christmas Day: the next working day is 28 December.
    assert services.deadline_from(date(2026, 11, 25), 1) == date(2026, 12, 29)


def test_recorded_request_has_its_deadline_and_an_audit_row(sar, dpo):
    assert sar.due_on == date(2026, 12, 23)
    assert AuditEvent.objects.filter(
        actor=dpo, person_id=sar.person_id, object_type="subjectaccess.Request", action="create"
    ).exists()


def test_bad_request_saves_nothing(dpo, people):
    with pytest.raises(ValidationError) as caught:
        services.sar_record(
            actor=dpo,
            person=people["involved"],
            requester_name=" ",
            requester_kind="subject",
            identity_checked=True,
            identity_evidence="",
            received_on=date(2026, 12, 1),
            today=date(2026, 11, 23),
        )
    assert set(caught.value.message_dict) == {"requester_name", "identity_evidence", "received_on"}


def test_extension_is_two_further_months_once_with_a_reason(sar, dpo):
    with pytest.raises(ValidationError):
        services.sar_extend(
            actor=dpo, sar=sar, expected_version=sar.version, reason="", today=date(2026, 11, 24)
        )
    services.sar_extend(
        actor=dpo,
        sar=sar,
        expected_version=sar.version,
        reason="Twelve years of records across three teams",
        today=date(2026, 11, 24),
    )
    assert sar.extended_to == date(2027, 2, 23)
    assert sar.deadline == date(2027, 2, 23)
    with pytest.raises(ValidationError):
        services.sar_extend(
            actor=dpo,
            sar=sar,
            expected_version=sar.version,
            reason="again",
            today=date(2026, 11, 24),
        )


def test_extension_refused_after_the_first_deadline(sar, dpo):
    with pytest.raises(ValidationError):
        services.sar_extend(
            actor=dpo,
            sar=sar,
            expected_version=sar.version,
            reason="late",
            today=date(2026, 12, 24),
        )


def test_policy_lets_the_officer_read_only_for_an_open_request(users, people):
    child = people["restricted"]
    dpo = users["data_protection_officer"]
    assert decide_subject_access(dpo, child, request_open=True) is Decision.ALLOW
    assert decide_subject_access(dpo, child, request_open=False) is Decision.DENY
    for role in ("social_worker", "mash_worker", "performance_analyst", "system_administrator"):
        assert decide_subject_access(users[role], child, request_open=True) is Decision.DENY


def test_compile_collects_the_record_and_suggests_third_parties(sar, dpo):
    count = services.sar_compile(actor=dpo, sar=sar)
    sar.refresh_from_db()
    assert sar.stage == Stage.IN_REVIEW
    assert count == sar.items.count()
    sections = set(sar.items.values_list("section", flat=True))
    assert {
        Section.PERSON,
        Section.NAMES,
        Section.RELATIONSHIPS,
        Section.NOTES,
        Section.AUDIT,
    } <= sections
    note = sar.items.get(section=Section.NOTES)
    assert "Sam Hart had taken her phone" in note.text
    terms = dict(sar.redactions.values_list("term", "why"))
    assert "Sam Hart" in terms
    assert "Sam" in terms
    assert "Amelia" not in terms  # the subject's own names
    assert "Hart" not in terms
    # The subject read through the policy (an export row) and the compile itself, audited.
    assert AuditEvent.objects.filter(actor=dpo, person_id=sar.person_id, action="export").exists()
    assert AuditEvent.objects.filter(detail__step="compiled", object_id=str(sar.pk)).exists()


def test_others_cannot_compile(sar, users):
    with pytest.raises(PermissionDeniedError):
        services.sar_compile(actor=users["mash_worker"], sar=sar)
    assert not sar.items.exists()


def test_export_waits_for_every_suggestion_then_removes_the_name(sar, dpo):
    services.sar_compile(actor=dpo, sar=sar)
    with pytest.raises(ValidationError):
        services.sar_export(actor=dpo, sar=sar)
    for redaction in sar.redactions.all():
        services.redaction_decide(actor=dpo, sar=sar, redaction_id=redaction.pk, redact=True)
    services.redaction_add(actor=dpo, sar=sar, term="her phone", why="Detail about a third party")
    pdf = services.sar_export(actor=dpo, sar=sar)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Amelia" in text
    assert "[REDACTED]" in text
    assert "Sam" not in text
    assert "her phone" not in text
    assert AuditEvent.objects.filter(detail__step="exported", object_id=str(sar.pk)).exists()
    decided = AuditEvent.objects.filter(detail__step="redaction", object_id=str(sar.pk))
    assert decided.count() == sar.redactions.filter(suggested=True).count()


def test_a_rejected_suggestion_stays_in_the_pdf(sar, dpo):
    services.sar_compile(actor=dpo, sar=sar)
    for redaction in sar.redactions.all():
        keep = redaction.term == "Sam"
        services.redaction_decide(actor=dpo, sar=sar, redaction_id=redaction.pk, redact=not keep)
    pdf = services.sar_export(actor=dpo, sar=sar)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Sam Hart" not in text
    assert "Sam was upset" in text


def test_manual_redaction_checks_its_input(sar, dpo):
    services.sar_compile(actor=dpo, sar=sar)
    with pytest.raises(ValidationError) as caught:
        services.redaction_add(actor=dpo, sar=sar, term="x", why="")
    assert set(caught.value.message_dict) == {"term", "why"}
    with pytest.raises(ValidationError):
        services.redaction_add(actor=dpo, sar=sar, term="sam hart", why="again")


def test_recompiling_keeps_decisions(sar, dpo):
    services.sar_compile(actor=dpo, sar=sar)
    first = sar.redactions.get(term="Sam")
    services.redaction_decide(actor=dpo, sar=sar, redaction_id=first.pk, redact=False)
    services.sar_compile(actor=dpo, sar=sar)
    assert sar.redactions.get(term="Sam").state == RedactionState.REJECTED
    assert sar.redactions.filter(term="Sam").count() == 1


def test_once_sent_the_subject_is_closed_to_the_officer(sar, dpo):
    services.sar_compile(actor=dpo, sar=sar)
    sar.refresh_from_db()
    services.sar_mark_sent(actor=dpo, sar=sar, expected_version=sar.version)
    assert sar.stage == Stage.SENT
    with pytest.raises(NotFound):
        access_subject(actor=dpo, sar=sar)
    with pytest.raises(ValidationError):
        services.sar_compile(actor=dpo, sar=sar)


def test_list_page_shows_days_left(sar, client_for):
    response = client_for("data_protection_officer").get(reverse("subjectaccess:list"))
    assert response.status_code == 200
    assert b"30 days" in response.content
    assert f"Request {sar.pk}".encode() in response.content
    listed = AuditEvent.objects.get(object_type="subjectaccess.requests")
    assert listed.subject_ids == f",{sar.person_id},"


def test_new_request_page_records_and_refuses_bad_input(client_for, people):
    client = client_for("data_protection_officer")
    bad = client.post(reverse("subjectaccess:create"), {"person_id": people["involved"].pk})
    assert bad.status_code == 200
    assert b"Enter the requester" in bad.content
    good = client.post(
        reverse("subjectaccess:create"),
        {
            "person_id": people["involved"].pk,
            "requester_name": "Amelia Hart",
            "requester_kind": "subject",
            "identity_checked": "no",
            "identity_evidence": "",
            "received_on-day": "20",
            "received_on-month": "11",
            "received_on-year": "2026",
        },
    )
    assert good.status_code == 302
    detail = client.get(good["Location"])
    assert b"Amelia Hart" in detail.content
    assert b"21 December 2026" in detail.content


def test_a_mistyped_id_is_a_form_error(client_for):
    response = client_for("data_protection_officer").post(
        reverse("subjectaccess:create"),
        {
            "person_id": 999999,
            "requester_name": "Kim Lee",
            "requester_kind": "subject",
            "identity_checked": "no",
            "received_on-day": "20",
            "received_on-month": "11",
            "received_on-year": "2026",
        },
    )
    assert response.status_code == 200
    assert b"There is no person with that SafeHub ID" in response.content
    assert not SubjectAccessRequest.objects.exists()
