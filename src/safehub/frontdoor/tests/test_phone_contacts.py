"""A worry told to the MASH by telephone: recorded by the worker who took the call, from the
caller (who may stay anonymous), dated when the call came in."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.workdays import LONDON
from safehub.frontdoor import services
from safehub.frontdoor.codes import Channel, ReferralSource
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import professional_submission
from safehub.notifications.models import OutboxMessage
from safehub.organisations.models import User

pytestmark = pytest.mark.django_db

CALLER = {
    "name": "Sam Okafor",
    "relationship": "Class teacher, Elm Primary School",
    "phone": "01632 960123",
    "email": "s.okafor@elm.example",
    "wants_contact": True,
}


def _call(actor: User, **overrides: Any) -> Contact:
    data = professional_submission(referrer=dict(CALLER), **overrides)
    return services.contact_submit(
        actor=actor,
        channel=Channel.PHONE,
        data=data,
        received_at=overrides.pop("received_at", None),
    )[0]


def test_the_caller_is_the_referrer_and_the_worker_took_the_call(users: Any) -> None:
    mash = users["mash_worker"]
    contact = _call(mash)
    assert contact.channel == Channel.PHONE
    assert (contact.referrer_name, contact.referrer_phone) == (CALLER["name"], CALLER["phone"])
    assert contact.referrer_user is None
    assert contact.referrer_agency is None
    assert contact.recorded_by == mash
    audit = AuditEvent.objects.get(action=AuditAction.CREATE, object_id=contact.reference)
    assert audit.actor == mash
    # The caller asked to hear back and gave an e-mail: the acknowledgement goes to them,
    # not to the MASH worker's inbox.
    ack = OutboxMessage.objects.get(dedupe_key=f"contact:{contact.pk}:ack:email")
    assert ack.recipient_email == CALLER["email"]
    assert not OutboxMessage.objects.filter(recipient_user=mash).exists()


def test_an_anonymous_caller_is_recorded_as_anonymous(users: Any) -> None:
    data = professional_submission(
        referrer={"anonymous": True, "name": "Ignored"}, referral_source="8"
    )
    contact, _ = services.contact_submit(
        actor=users["mash_worker"], channel=Channel.PHONE, data=data
    )
    assert contact.referrer_name == ""
    assert contact.referral_source == ReferralSource.ANONYMOUS
    assert not contact.wants_contact


def test_a_named_caller_needs_a_name(users: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_submit(
            actor=users["mash_worker"],
            channel=Channel.PHONE,
            data=professional_submission(referrer={}),
        )
    assert "caller's name" in error.value.message_dict["referrer_name"][0]
    assert not Contact.objects.exists()


def test_the_decision_clock_starts_when_the_call_came_in(users: Any) -> None:
    called = timezone.now() - timedelta(hours=3)
    contact = _call(users["mash_worker"], received_at=called)
    assert contact.received_at == called
    assert contact.decision_due_at == services.decision_due(called, contact.urgency)


def test_errors_about_the_caller_speak_of_the_caller(users: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_submit(
            actor=users["mash_worker"],
            channel=Channel.PHONE,
            data=professional_submission(referrer={"name": "Jo", "relationship": "x" * 200}),
        )
    assert (
        "How the caller knows the child must be 120 characters"
        in error.value.message_dict["referrer_relationship"][0]
    )


def test_the_callers_email_and_phone_errors_speak_of_the_caller(users: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.contact_submit(
            actor=users["mash_worker"],
            channel=Channel.PHONE,
            data=professional_submission(
                referrer={"name": "Jo", "email": "x" * 300, "phone": "1" * 40}
            ),
        )
    errors = error.value.message_dict
    assert errors["referrer_email"][0].startswith("Caller's email address must be")
    assert errors["referrer_phone"][0].startswith("Caller's phone number must be")


@pytest.mark.parametrize(
    ("when", "message"),
    [
        (timedelta(hours=2), "cannot be in the future"),
        (-timedelta(days=8), "in the last 7 days"),
    ],
)
def test_the_call_time_is_checked(users: Any, when: timedelta, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        _call(users["mash_worker"], received_at=timezone.now() + when)
    assert message in error.value.message_dict["received_at"][0]
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "role", ["partner_practitioner", "social_worker", "performance_analyst", "system_administrator"]
)
def test_only_the_mash_records_telephone_contacts(users: Any, role: str) -> None:
    with pytest.raises(PermissionDeniedError):
        _call(users[role])
    assert not Contact.objects.exists()


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "idempotency_key": "call-1",
        "referral_source": "4",
        "urgency": "urgent",
        "caller_name": "Jo Patel",
        "caller_relationship": "Housing officer",
        "caller_phone": "01632 960555",
        "caller_wants_contact": "true",
        "concern_factors": ["16A"],
        "concern_summary": "The flat has no heating or food.",
        "family_aware": "no",
        "consent": "not_sought",
        "consent_not_sought_reason": "Asking could put the children at risk.",
        "child_0_given_name": "Ruby",
        "child_0_family_name": "Marsh",
        "call_date-day": "",
        "call_date-month": "",
        "call_date-year": "",
        "call_time": "",
    }
    data.update(overrides)
    return data


def test_the_page_records_a_call_and_opens_the_contact(users: Any, client_for: Any) -> None:
    client = client_for("mash_worker")
    queue = client.get(reverse("frontdoor:contact-queue")).content.decode()
    assert reverse("frontdoor:phone-contact") in queue
    earlier = timezone.localtime(timezone.now() - timedelta(hours=1), LONDON)
    response = client.post(
        reverse("frontdoor:phone-contact"),
        _form(
            **{
                "call_date-day": str(earlier.day),
                "call_date-month": str(earlier.month),
                "call_date-year": str(earlier.year),
                "call_time": f"{earlier:%H:%M}",
            }
        ),
    )
    contact = Contact.objects.get()
    assert response["Location"] == reverse("frontdoor:contact-detail", args=[contact.reference])
    assert contact.received_at == datetime(
        earlier.year, earlier.month, earlier.day, earlier.hour, earlier.minute, tzinfo=LONDON
    )
    page = client.get(response["Location"]).content.decode()
    assert "Jo Patel" in page and "Call taken by" in page  # noqa: PT018
    assert "Telephone (recorded by the MASH)" in page
    # A double click records one contact.
    client.post(reverse("frontdoor:phone-contact"), _form())
    assert Contact.objects.count() == 1


def test_the_page_explains_what_is_wrong_and_saves_nothing(client_for: Any) -> None:
    response = client_for("mash_worker").post(
        reverse("frontdoor:phone-contact"),
        _form(caller_name="", call_time="25:99", referral_source=""),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the time of the call like 14:30" in page
    assert not Contact.objects.exists()
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_for("mash_worker").post(
        reverse("frontdoor:phone-contact"),
        _form(
            **{
                "caller_name": "",
                "call_date-day": str(tomorrow.day),
                "call_date-month": str(tomorrow.month),
                "call_date-year": str(tomorrow.year),
                "call_time": "09:00",
            }
        ),
    )
    page = response.content.decode()
    assert "cannot be in the future" in page
    assert "Enter the caller&#39;s name" in page
    assert not Contact.objects.exists()
