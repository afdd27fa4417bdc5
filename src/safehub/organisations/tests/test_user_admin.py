"""System administrators manage users; nobody else can, and administrators read no case
data by being administrators."""

import pytest
from conftest import sign_in
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.organisations.models import User


def _new_user(client, **overrides):
    data = {
        "username": "new.worker",
        "first_name": "Nia",
        "last_name": "Owen",
        "email": "nia@example.org",
        "job_title": "Social worker",
        "role": "social_worker",
        "team": "",
        "employment_type": "agency",
        "is_active": "true",
        "password": "a-long-temporary-passphrase",
    }
    data.update(overrides)
    return client.post(reverse("organisations:user-create"), data)


def test_administrator_adds_a_user(users, council, client_for):
    client = client_for("system_administrator")
    response = _new_user(client, team=str(council["teams"]["North"].pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.worker")
    assert user.agency == council["la"]
    assert user.employment_type == "agency"
    assert user.check_password("a-long-temporary-passphrase")


def test_bad_user_input_gets_plain_english_errors(users, council, client_for):
    response = _new_user(
        client_for("system_administrator"), username="A B", email="nope", password="short"
    )
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select a team" in html
    assert "Username must be 3 or more" in html
    assert "Enter an email address in the correct format" in html
    assert not User.objects.filter(first_name="Nia").exists()


def test_disabling_a_user_ends_their_sessions(users, client_for):
    worker = users["social_worker"]
    their_client = sign_in(Client(), worker)
    assert their_client.get(reverse("people:person-search")).status_code == 200
    admin = client_for("system_administrator")
    admin.post(
        reverse("organisations:user-edit", args=[worker.pk]),
        {
            "first_name": "Sw",
            "last_name": "Tester",
            "email": worker.email,
            "job_title": "",
            "role": "social_worker",
            "team": str(worker.team_id),
            "employment_type": "permanent",
        },
    )
    worker.refresh_from_db()
    assert not worker.is_active
    assert their_client.get(reverse("people:person-search")).status_code == 302
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(worker.pk)
    ]


def test_resetting_the_authenticator_removes_the_device(users, client_for):
    worker = users["social_worker"]
    client_for("system_administrator").post(
        reverse("organisations:user-reset-second-factor", args=[worker.pk])
    )
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_administrator_cannot_open_case_records(people, client_for):
    client = client_for("system_administrator")
    assert (
        client.get(reverse("people:person-detail", args=[people["unrelated"].pk])).status_code
        == 404
    )
    assert client.get(reverse("people:person-search")).status_code == 404


def _sessions_of(user):
    return [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]


def test_administrator_signs_a_user_out_of_every_device(users, client_for):
    worker = users["social_worker"]
    laptop, phone = sign_in(Client(), worker), sign_in(Client(), worker)
    other = sign_in(Client(), users["mash_worker"])
    admin = client_for("system_administrator")
    response = admin.post(reverse("organisations:user-end-sessions", args=[worker.pk]), follow=True)
    assert "signed out of 2 sessions" in response.content.decode()
    assert not _sessions_of(worker)
    for client in (laptop, phone):
        assert client.get(reverse("people:person-search")).status_code == 302
    assert other.get(reverse("people:person-search")).status_code == 200


def test_administrator_signs_everyone_else_out(users, client_for):
    others = [sign_in(Client(), users[role]) for role in ("social_worker", "mash_worker")]
    admin = client_for("system_administrator")
    response = admin.post(reverse("organisations:sessions-end-all"), follow=True)
    assert "Everyone else was signed out" in response.content.decode()
    for client in others:
        assert client.get(reverse("people:person-search")).status_code == 302
    # The administrator stays signed in to go on responding.
    assert admin.get(reverse("organisations:user-list")).status_code == 200
    assert Session.objects.count() == 1


@pytest.mark.parametrize(
    "role",
    [
        "social_worker",
        "team_manager",
        "data_protection_officer",
        "mash_worker",
        "partner_practitioner",
    ],
)
def test_only_administrators_end_sessions(users, client_for, role):
    worker = users["social_worker"]
    theirs = sign_in(Client(), worker)
    client = client_for(role)
    assert (
        client.post(reverse("organisations:user-end-sessions", args=[worker.pk])).status_code == 404
    )
    assert client.post(reverse("organisations:sessions-end-all")).status_code == 404
    assert theirs.get(reverse("people:person-search")).status_code == 200


def test_the_team_picker_names_each_team_with_its_agency(users, council, client_for):
    """Every school has a team called "Safeguarding": the picker says whose each one is."""
    from safehub.organisations.models import Agency, Team

    other = Agency.objects.create(name="Oak Academy", kind="school", urn="654321")
    Team.objects.create(agency=other, name="Safeguarding")
    page = client_for("system_administrator").get(reverse("organisations:user-create"))
    html = page.content.decode()
    assert "Safeguarding (Elm Primary School)</option>" in html
    assert "Safeguarding (Oak Academy)</option>" in html
    assert ">Safeguarding</option>" not in html
    assert "North (Testshire County Council)</option>" in html
    assert ">Choose a team</option>" in html
    assert "---------" not in html


def test_a_team_is_named_with_its_agency_in_the_audit_and_on_the_person_page(
    users, council, people, client_for
):
    from safehub.audit.models import AuditEvent

    admin = client_for("system_administrator")
    _new_user(admin, team=str(council["teams"]["school"].pk), role="partner_practitioner")
    created = AuditEvent.objects.filter(detail__what="create").get()
    assert created.detail["team"] == "Safeguarding (Elm Primary School)"
    page = client_for("social_worker").get(
        reverse("people:person-detail", args=[people["involved"].pk])
    )
    assert "North (Testshire County Council)" in page.content.decode()
