"""The front-door services: submission, triage, partner information, decision, sign-off."""

from datetime import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.core.exceptions import ConcurrentEditError
from safehub.core.workdays import LONDON
from safehub.frontdoor import services
from safehub.frontdoor.codes import Status
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission, public_submission
from safehub.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def submit_public(**overrides: Any) -> Contact:
    contact, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(**overrides)
    )
    return contact


def test_public_submission_is_saved_with_source_timescale_and_acknowledgement() -> None:
    contact = submit_public()
    assert contact.referral_source == "1B"  # acquaintance
    assert contact.status == Status.NEW
    assert contact.subjects.get().family_name == "Hart"
    assert contact.submission["concern_summary"].startswith("I heard shouting")
    assert contact.decision_due_at > contact.received_at
    ack = OutboxMessage.objects.get(dedupe_key=f"contact:{contact.pk}:ack:email")
    assert ack.recipient_email == "pat@example.com"
    assert AuditEvent.objects.filter(action="create", object_id=contact.reference).count() == 1


def test_anonymous_public_report_is_source_9_and_gets_no_email() -> None:
    contact = submit_public(
        referrer={"anonymous": True, "email": "x@example.com", "wants_contact": True}
    )
    assert contact.referral_source == "9"
    assert contact.referrer_name == ""
    assert not OutboxMessage.objects.exists()


def test_in_danger_now_makes_the_contact_immediate() -> None:
    assert submit_public(in_danger_now=True).urgency == "immediate"


def test_a_bank_holiday_weekend_contact_is_due_by_the_end_of_tuesday() -> None:
    # Friday 23 May 2025, 17:30; Monday 26 May is the spring bank holiday.
    received = datetime(2025, 5, 23, 17, 30, tzinfo=UK)
    contact, _ = services.contact_submit(
        actor=None, channel="public", data=public_submission(), received_at=received
    )
    assert contact.decision_due_at == datetime(2025, 5, 27, 23, 59, 59, tzinfo=UK)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("concern_summary", "<script>alert(1)</script>", "must not include web code"),
        ("concern_summary", '=HYPERLINK("http://x")', "must not start with"),
        ("concern_summary", "Bad bytes \ufffd here", "could not read"),
        ("concern_summary", "x" * 5001, "5,000 characters or fewer"),
        ("concern_summary", "", "Enter what happened"),
    ],
)
def test_hostile_or_bad_text_is_refused_and_nothing_saved(
    field: str, value: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_submit(
            actor=None, channel="public", data=public_submission(**{field: value})
        )
    assert message in str(error.value.message_dict[field])
    assert not Contact.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_formula_in_a_name_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        submit_public(children=[{"given_name": "=cmd", "family_name": "Hart"}])
    assert "child_0_given_name" in error.value.message_dict


def test_an_adult_date_of_birth_is_refused_in_plain_english() -> None:
    with pytest.raises(ValidationError) as error:
        submit_public(children=[{"given_name": "Ann", "date_of_birth": "1990-01-01"}])
    assert "children under 18" in error.value.message_dict["child_0_date_of_birth"][0]


def test_same_idempotency_key_returns_the_first_contact() -> None:
    first, created = services.contact_submit(
        actor=None, channel="public", data=public_submission(), idempotency_key="k1"
    )
    again, created_again = services.contact_submit(
        actor=None, channel="public", data=public_submission(), idempotency_key="k1"
    )
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert Contact.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_same_key_with_different_content_is_refused() -> None:
    services.contact_submit(
        actor=None, channel="public", data=public_submission(), idempotency_key="k2"
    )
    with pytest.raises(services.IdempotencyConflict):
        services.contact_submit(
            actor=None,
            channel="public",
            data=public_submission(concern_summary="Something else"),
            idempotency_key="k2",
        )


def test_professional_referral_records_agency_and_tells_the_referrer(users: Any) -> None:
    dsl = users["partner_practitioner"]
    contact, _ = services.contact_submit(
        actor=dsl, channel="professional", data=professional_submission()
    )
    assert contact.referrer_agency == dsl.agency
    assert contact.referrer_user == dsl
    assert contact.referrer_email == dsl.email
    assert contact.concern_factors == ["16A", "18C"]
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert keys == {f"contact:{contact.pk}:ack:inbox", f"contact:{contact.pk}:ack:email"}


def test_professional_referral_needs_consent_reason_when_not_sought(users: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_submit(
            actor=users["partner_practitioner"],
            channel="professional",
            data=professional_submission(consent="not_sought"),
        )
    assert "consent_not_sought_reason" in error.value.message_dict


def _triaged(users: Any, people: Any) -> Contact:
    mash = users["mash_worker"]
    contact, _ = services.contact_submit(
        actor=users["partner_practitioner"], channel="professional", data=professional_submission()
    )
    contact = services.contact_take(actor=mash, contact=contact, expected_version=1)
    contact = services.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    child = contact.subjects.get(role="child")
    services.contact_link_subject(
        actor=mash, contact=contact, subject=child, person=people["involved"]
    )
    return contact


def test_linking_a_child_puts_the_contact_in_their_chronology(users: Any, people: Any) -> None:
    contact = _triaged(users, people)
    assert ChronologyLink.objects.filter(
        person=people["involved"], entry__event_type="CONTACT_RECEIVED"
    ).exists()
    assert contact.status == Status.IN_TRIAGE


def test_deciding_needs_rating_first(users: Any) -> None:
    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    with pytest.raises(ValidationError) as error:
        services.contact_decide(
            actor=users["mash_worker"],
            contact=contact,
            expected_version=1,
            decision="nfa",
            reasons="No concerns",
            primary_need="N1",
        )
    assert "RAG rating" in error.value.message_dict["decision"][0]


def test_a_referral_decision_needs_every_child_linked(users: Any) -> None:
    mash = users["mash_worker"]
    contact = submit_public()
    contact = services.contact_rate(
        actor=mash, contact=contact, expected_version=1, rag="amber", level_of_need="4"
    )
    with pytest.raises(ValidationError, match="Link every child"):
        services.contact_decide(
            actor=mash,
            contact=contact,
            expected_version=contact.version,
            decision="assessment",
            reasons="Needs assessment",
            primary_need="N1",
        )


def test_decision_waits_for_sign_off_by_someone_else_then_tells_referrer(
    users: Any, people: Any
) -> None:
    contact = _triaged(users, people)
    services.contact_decide(
        actor=users["mash_worker"],
        contact=contact,
        expected_version=contact.version,
        decision="assessment",
        reasons="Unexplained bruising and hunger",
        primary_need="N1",
    )
    assert contact.status == Status.AWAITING_SIGN_OFF
    assert not OutboxMessage.objects.filter(dedupe_key__contains="outcome").exists()
    services.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=contact.version, approve=True
    )
    contact.refresh_from_db()
    assert contact.status == Status.DECIDED
    assert contact.closed_at
    assert OutboxMessage.objects.filter(
        dedupe_key=f"contact:{contact.pk}:outcome:inbox",
        recipient_user=users["partner_practitioner"],
    ).exists()
    assert ChronologyLink.objects.filter(
        person=people["involved"], entry__event_type="CONTACT_DECISION"
    ).exists()
    with pytest.raises(ValidationError):
        services.contact_rate(
            actor=users["mash_worker"],
            contact=contact,
            expected_version=contact.version,
            rag="green",
            level_of_need="1",
        )


def test_sign_off_refused_to_the_decider(users: Any, people: Any) -> None:
    contact = _triaged(users, people)
    tm = users["team_manager"]
    services.contact_decide(
        actor=tm,
        contact=contact,
        expected_version=contact.version,
        decision="nfa",
        reasons="Already known, no new concern",
        primary_need="N1",
    )
    with pytest.raises(ValidationError, match="Someone other than the person who did this"):
        services.contact_sign_off(
            actor=tm, contact=contact, expected_version=contact.version, approve=True
        )


def test_returned_decision_goes_back_to_triage(users: Any, people: Any) -> None:
    contact = _triaged(users, people)
    services.contact_decide(
        actor=users["mash_worker"],
        contact=contact,
        expected_version=contact.version,
        decision="nfa",
        reasons="Nothing to do",
        primary_need="N1",
    )
    services.contact_sign_off(
        actor=users["team_manager"],
        contact=contact,
        expected_version=contact.version,
        approve=False,
        note="Bruising needs a strategy discussion",
    )
    assert contact.status == Status.IN_TRIAGE
    assert contact.decision == ""
    assert "strategy discussion" in contact.decision_reasons


@override_settings(MASH_MANAGER_SIGNOFF=False)
def test_without_sign_off_the_decision_is_final_at_once(users: Any, people: Any) -> None:
    contact = _triaged(users, people)
    services.contact_decide(
        actor=users["mash_worker"],
        contact=contact,
        expected_version=contact.version,
        decision="early_help",
        reasons="Family agrees to early help",
        primary_need="N1",
    )
    assert contact.status == Status.DECIDED


def test_two_workers_rating_the_same_version_cannot_both_win(users: Any) -> None:
    contact = submit_public()
    stale = Contact.objects.get(pk=contact.pk)
    services.contact_rate(
        actor=users["mash_worker"],
        contact=contact,
        expected_version=1,
        rag="red",
        level_of_need="4",
    )
    with pytest.raises(ConcurrentEditError):
        services.contact_rate(
            actor=users["team_manager"],
            contact=stale,
            expected_version=1,
            rag="green",
            level_of_need="1",
        )
    contact.refresh_from_db()
    assert contact.rag == "red"


def test_information_request_round_trip(users: Any, people: Any, council: Any) -> None:
    contact = _triaged(users, people)
    request = services.information_request_send(
        actor=users["mash_worker"],
        contact=contact,
        agency=council["trust"],
        question="Is Amelia known to health visiting?",
        due="next",
    )
    assert OutboxMessage.objects.filter(recipient_agency=council["trust"]).exists()
    services.information_request_answer(
        actor=users["partner_practitioner"],
        request=request,
        expected_version=1,
        answer="Known; missed two appointments.",
    )
    request.refresh_from_db()
    assert request.status == "answered"
    assert ChronologyLink.objects.filter(
        person=people["involved"], entry__event_type="PARTNER_INFORMATION"
    ).exists()
    assert OutboxMessage.objects.filter(
        recipient_user=users["mash_worker"], dedupe_key__endswith="answered"
    ).exists()


def test_consent_decision_needs_a_reason(users: Any) -> None:
    contact = submit_public()
    with pytest.raises(ValidationError) as error:
        services.consent_record(
            actor=users["mash_worker"], contact=contact, decision="override", reason=""
        )
    assert "reason" in error.value.message_dict
    services.consent_record(
        actor=users["mash_worker"],
        contact=contact,
        decision="override",
        reason="Bruising: risk of significant harm",
    )
    assert contact.consents.count() == 1


UK = LONDON


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # A Saturday: the next working day is Monday, so due by the end of Monday.
        (datetime(2026, 11, 21, 10, 0, tzinfo=UK), datetime(2026, 11, 23, 23, 59, 59, tzinfo=UK)),
        # Christmas Eve 2026 (Thursday): Christmas Day and Boxing Day (substitute Monday 28th)
        # are bank holidays, so the next working day is Tuesday 29 December.
        (datetime(2026, 12, 24, 16, 0, tzinfo=UK), datetime(2026, 12, 29, 23, 59, 59, tzinfo=UK)),
        # Received on Easter Monday 2026 (a bank holiday): due by the end of Tuesday.
        (datetime(2026, 4, 6, 9, 0, tzinfo=UK), datetime(2026, 4, 7, 23, 59, 59, tzinfo=UK)),
        # New Year's Eve 2026 (Thursday) across the year end: 1 January is a holiday.
        (datetime(2026, 12, 31, 23, 30, tzinfo=UK), datetime(2027, 1, 4, 23, 59, 59, tzinfo=UK)),
        # An ordinary Tuesday morning: due by the end of Wednesday.
        (datetime(2026, 11, 17, 9, 0, tzinfo=UK), datetime(2026, 11, 18, 23, 59, 59, tzinfo=UK)),
    ],
)
def test_decision_timescale_counts_working_days(received: datetime, due: datetime) -> None:
    assert services.decision_due(received, "routine") == due
