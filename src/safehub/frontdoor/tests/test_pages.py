"""The MASH and partner pages through Django's test client: forms, errors, conflicts,
double submission and durability of a professional referral."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.frontdoor import services, views
from safehub.frontdoor.codes import Status
from safehub.frontdoor.models import Contact
from safehub.frontdoor.tests.factories import public_submission

pytestmark = pytest.mark.django_db


def _referral_form(key: str = "abc123", **overrides: Any) -> dict[str, Any]:
    data = {
        "idempotency_key": key,
        "referral_source": "2A",
        "urgency": "urgent",
        "concern_factors": ["16A"],
        "concern_summary": "Hungry every day this week.",
        "family_aware": "yes",
        "consent": "given",
        "child_0_given_name": "Amelia",
        "child_0_family_name": "Hart",
        "child_0_date_of_birth-day": "3",
        "child_0_date_of_birth-month": "4",
        "child_0_date_of_birth-year": "2015",
    }
    data.update(overrides)
    return data


def test_a_double_clicked_referral_makes_one_contact(client_for: Any) -> None:
    client = client_for("partner_practitioner")
    first = client.post(reverse("frontdoor:referral-create"), _referral_form())
    second = client.post(reverse("frontdoor:referral-create"), _referral_form())
    assert Contact.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_referral_form_shows_errors_in_plain_english_and_saves_nothing(client_for: Any) -> None:
    response = client_for("partner_practitioner").post(
        reverse("frontdoor:referral-create"),
        _referral_form(
            concern_summary="<b>bold</b>",
            consent="not_sought",
            concern_factors=[],
            **{"child_0_date_of_birth-year": "1990"},
        ),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "must not include web code" in page
    assert "children under 18" in page
    assert "why consent was not sought" in page
    assert "Select at least one concern" in page
    assert not Contact.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_referral_is_saved_loses_nothing(
    client_for: Any, monkeypatch: Any
) -> None:
    def broken_redirect(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the page failed after the save")

    monkeypatch.setattr(views, "redirect", broken_redirect)
    client = client_for("partner_practitioner")
    client.raise_request_exception = False
    response = client.post(reverse("frontdoor:referral-create"), _referral_form())
    assert response.status_code == 500
    assert Contact.objects.count() == 1  # committed before the failure


def test_contact_page_shows_candidates_with_reasons(
    users: Any, people: Any, client_for: Any
) -> None:
    contact, _ = services.contact_submit(
        actor=None,
        channel="public",
        data=public_submission(
            children=[
                {"given_name": "Amelia", "family_name": "Hartt", "date_of_birth": "2015-04-03"}
            ]
        ),
    )
    page = (
        client_for("mash_worker")
        .get(reverse("frontdoor:contact-detail", args=[contact.reference]))
        .content.decode()
    )
    assert "Possible records for Amelia Hartt" in page
    assert "Date of birth matches" in page
    # Matching is a search: it leaves its own audit row naming whom it suggested.
    search = AuditEvent.objects.filter(action="search").last()
    assert search is not None
    assert f",{people['involved'].pk}," in search.subject_ids


def test_two_workers_deciding_at_once_the_second_sees_a_conflict(
    users: Any, client_for: Any
) -> None:
    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    url = reverse("frontdoor:contact-rate", args=[contact.reference])
    mash, manager = client_for("mash_worker"), client_for("team_manager")
    first = mash.post(url, {"version": 1, "rag": "red", "level_of_need": "4"})
    second = manager.post(url, {"version": 1, "rag": "green", "level_of_need": "1"})
    assert first.status_code == 302
    assert second.status_code == 409
    assert "your change was not saved" in second.content.decode()
    contact.refresh_from_db()
    assert contact.rag == "red"


def test_decision_then_sign_off_through_the_pages(users: Any, client_for: Any) -> None:
    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    mash = client_for("mash_worker")
    detail = reverse("frontdoor:contact-detail", args=[contact.reference])
    mash.post(
        reverse("frontdoor:contact-rate", args=[contact.reference]),
        {"version": 1, "rag": "green", "level_of_need": "1"},
    )
    response = mash.post(
        reverse("frontdoor:contact-decide", args=[contact.reference]),
        {"version": 2, "decision": "advice", "reasons": "Signposted"},
    )
    assert response["Location"] == detail + "#decision"
    # The worker cannot sign off; the manager can.
    assert (
        mash.post(
            reverse("frontdoor:contact-sign-off", args=[contact.reference]),
            {"version": 3, "approve": "yes"},
        ).status_code
        == 404
    )
    client_for("team_manager").post(
        reverse("frontdoor:contact-sign-off", args=[contact.reference]),
        {"version": 3, "approve": "yes"},
    )
    contact.refresh_from_db()
    assert contact.status == Status.DECIDED


def test_unknown_child_can_become_a_new_record(users: Any, client_for: Any) -> None:
    contact, _ = services.contact_submit(
        actor=None,
        channel="public",
        data=public_submission(
            children=[
                {
                    "given_name": "Zebedee",
                    "family_name": "Quartermaine",
                    "date_of_birth": "2019-01-01",
                }
            ]
        ),
    )
    subject = contact.subjects.get()
    url = reverse("frontdoor:contact-new-person", args=[contact.reference, subject.pk])
    client = client_for("mash_worker")
    # The form starts from what the referrer said; nothing exists until it is saved.
    assert 'value="Quartermaine"' in client.get(url).content.decode()
    subject.refresh_from_db()
    assert subject.person is None
    client.post(
        url,
        {
            "kind": "child",
            "given_name": "Zebedee",
            "family_name": "Quartermaine",
            "date_of_birth-day": "1",
            "date_of_birth-month": "1",
            "date_of_birth-year": "2019",
        },
    )
    subject.refresh_from_db()
    assert subject.person is not None
    assert subject.person.full_name == "Zebedee Quartermaine"


def test_partner_sees_outcome_but_not_the_mash_reasoning(users: Any, client_for: Any) -> None:
    client = client_for("partner_practitioner")
    client.post(reverse("frontdoor:referral-create"), _referral_form())
    contact = Contact.objects.get()
    mash = users["mash_worker"]
    services.contact_rate(
        actor=mash, contact=contact, expected_version=1, rag="green", level_of_need="2"
    )
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=2,
        decision="early_help",
        reasons="SECRET MASH REASONING",
        feedback="The family support team will call the family.",
        primary_need="N1",
    )
    services.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=3, approve=True
    )
    page = client.get(reverse("frontdoor:referral-detail", args=[contact.reference]))
    assert "Outcome: Early help" in page.content.decode()
    assert "The family support team will call the family." in page.content.decode()
    assert b"SECRET MASH REASONING" not in page.content
    from safehub.notifications.models import OutboxMessage

    outcome = OutboxMessage.objects.get(dedupe_key=f"contact:{contact.pk}:outcome:inbox")
    assert "The family support team will call the family." in outcome.body
    assert "SECRET" not in outcome.body


def test_home_sends_each_role_to_its_start(client_for: Any) -> None:
    expected = {
        "mash_worker": "frontdoor:contact-queue",
        "partner_practitioner": "frontdoor:referral-list",
        "social_worker": "casework:my-work",
        "performance_analyst": "frontdoor:queue-health",
    }
    for role, name in expected.items():
        assert client_for(role).get("/")["Location"] == reverse(name), role


def test_a_closed_contact_refuses_changes_in_plain_english(users: Any, client_for: Any) -> None:
    contact, _ = services.contact_submit(actor=None, channel="public", data=public_submission())
    mash = users["mash_worker"]
    services.contact_rate(
        actor=mash, contact=contact, expected_version=1, rag="green", level_of_need="1"
    )
    services.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=2,
        decision="nfa",
        reasons="Nothing needed",
        primary_need="N1",
    )
    response = client_for("mash_worker").post(
        reverse("frontdoor:contact-consent", args=[contact.reference]),
        {"decision": "given", "reason": "Agreed"},
    )
    assert "waiting for a manager" in response.content.decode()
    signed_out = Client().get(reverse("frontdoor:contact-detail", args=[contact.reference]))
    assert signed_out.status_code == 302  # to sign-in
