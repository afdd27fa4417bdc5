"""Every action on a MASH contact, and a partner's answer, ends on a page whose success
banner says what was saved, as casework's pages do."""

import html
import re
from typing import Any

import pytest
from django.urls import reverse

from safehub.frontdoor import services
from safehub.frontdoor.models import Contact, InformationRequest
from safehub.frontdoor.tests.factories import public_submission

pytestmark = pytest.mark.django_db

BANNER = re.compile(
    r'govuk-notification-banner--success".*?govuk-notification-banner__heading">\s*(.*?)\s*</p>',
    re.S,
)


def _banners(response: Any) -> list[str]:
    assert response.status_code == 200
    return [html.unescape(text) for text in BANNER.findall(response.content.decode())]


def _url(name: str, contact: Contact, *args: Any) -> str:
    return reverse(f"frontdoor:{name}", args=[contact.reference, *args])


@pytest.fixture
def contact(users: Any) -> Contact:
    contact, _ = services.contact_submit(
        actor=None,
        channel="public",
        data=public_submission(
            children=[
                {"given_name": "Zebedee", "family_name": "Quill", "date_of_birth": "2019-01-01"}
            ]
        ),
    )
    return contact


def test_each_triage_action_confirms_with_a_success_banner(
    users: Any, people: Any, council: Any, contact: Contact, client_for: Any
) -> None:
    mash = client_for("mash_worker")
    subject = contact.subjects.get()

    def post(name: str, data: dict[str, Any] | None = None, *args: Any) -> list[str]:
        response = mash.post(_url(name, contact, *args), data or {}, follow=True)
        return _banners(response)

    assert post("contact-take", {"version": 1}) == ["This contact is assigned to you."]
    assert post("contact-rate", {"version": 2, "rag": "amber", "level_of_need": "3"}) == [
        "Rating saved: Amber, Level 3: targeted multi-agency early help."
    ]
    assert post("contact-link", {"person": people["involved"].pk}, subject.pk) == [
        "Zebedee Quill is linked to their record."
    ]
    assert post("contact-unlink", {}, subject.pk) == [
        "Zebedee Quill is no longer linked to a record."
    ]
    new_record = {
        "kind": "child",
        "given_name": "Zebedee",
        "family_name": "Quill",
        "date_of_birth-day": "3",
        "date_of_birth-month": "4",
        "date_of_birth-year": "2016",
        "date_of_birth_estimated": "on",
    }
    assert post("contact-new-person", new_record, subject.pk) == [
        "A new record was made for Zebedee Quill and linked."
    ]
    assert post(
        "contact-request",
        {"agency": council["trust"].pk, "question": "Known to you?", "due": "next"},
    ) == ["Your request was sent to Testshire NHS Trust."]
    assert post("contact-consent", {"decision": "given", "reason": "Mother agreed"}) == [
        "Consent decision recorded: Consent given by the family."
    ]
    contact.refresh_from_db()
    assert post(
        "contact-decide",
        {"version": contact.version, "decision": "advice", "reasons": "Signposted"},
    ) == ["Decision recorded. It now waits for a manager to sign it off."]
    # The banner is shown once: the next visit to the page has none.
    assert _banners(mash.get(_url("contact-detail", contact))) == []


def test_sign_off_and_its_return_confirm_with_a_success_banner(
    users: Any, contact: Contact, client_for: Any
) -> None:
    mash, manager = users["mash_worker"], client_for("team_manager")
    services.contact_rate(
        actor=mash, contact=contact, expected_version=1, rag="green", level_of_need="1"
    )
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=2,
        decision="advice",
        reasons="Signposted",
        primary_need="N1",
    )
    returned = manager.post(
        _url("contact-sign-off", contact),
        {"version": 3, "approve": "no", "note": "Ask the school first"},
        follow=True,
    )
    assert _banners(returned) == ["Decision returned to the MASH to change."]
    contact.refresh_from_db()
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision="advice",
        reasons="School asked",
        primary_need="N1",
    )
    contact.refresh_from_db()
    signed = manager.post(
        _url("contact-sign-off", contact),
        {"version": contact.version, "approve": "yes"},
        follow=True,
    )
    assert _banners(signed) == ["Decision signed off. The referrer has been told the outcome."]


def test_a_failed_action_shows_its_errors_and_no_banner(
    users: Any, contact: Contact, client_for: Any
) -> None:
    response = client_for("mash_worker").post(
        _url("contact-decide", contact), {"version": 1, "decision": "advice"}
    )
    assert _banners(response) == []
    assert "There is a problem" in response.content.decode()


def test_a_partner_answering_a_request_is_told_it_was_sent(
    users: Any, council: Any, contact: Contact, client_for: Any
) -> None:
    from conftest import make_user

    request = services.information_request_send(
        actor=users["mash_worker"],
        contact=contact,
        agency=council["trust"],
        question="Is the family known?",
        due="next",
    )
    make_user("hv", "partner_practitioner", council["teams"]["trust"])
    from conftest import sign_in
    from django.test import Client

    from safehub.organisations.models import User

    health = sign_in(Client(), User.objects.get(username="hv"))
    response = health.post(
        reverse("frontdoor:request-answer", args=[request.pk]),
        {"version": 1, "answer": "Known: two missed checks."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("frontdoor:request-list")
    assert _banners(response) == ["Your answer was sent to the MASH. Thank you."]
    assert InformationRequest.objects.get().answer == "Known: two missed checks."


def test_a_partners_requests_list_those_waiting_first(
    users: Any, council: Any, contact: Contact
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from safehub.frontdoor.models import RequestStatus
    from safehub.frontdoor.selectors import requests_for

    now = timezone.now()
    made = [
        services.information_request_send(
            actor=users["mash_worker"],
            contact=contact,
            agency=council["trust"],
            question=f"Question {n}",
            due="next",
        )
        for n in range(4)
    ]
    # Two answered long ago, two waiting (the later one due sooner).
    for n, request in enumerate(made):
        fields: dict[str, Any] = {"due_at": now - timedelta(days=300 - n)}
        if n < 2:
            fields.update(status=RequestStatus.ANSWERED, answer="Known.", answered_at=now)
        else:
            fields["due_at"] = now + timedelta(hours=10 - n)
        InformationRequest.objects.filter(pk=request.pk).update(**fields)
    from conftest import make_user

    hv = make_user("hv", "partner_practitioner", council["teams"]["trust"])
    listed = [r.question for r in requests_for(actor=hv)]
    assert listed == ["Question 3", "Question 2", "Question 1", "Question 0"]
