"""System administrators manage users; nobody else can, and administrators read no case
data by being administrators."""

from conftest import sign_in
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.organisations.models import User


def _new_user(client, **overrides):  # type: ignore[no-untyped-def]
    data = {"username": "new.worker", "first_name": "Nia", "last_name": "Owen",
            "email": "nia@example.org", "job_title": "Social worker", "role": "social_worker",
            "team": "", "employment_type": "agency", "is_active": "true",
            "password": "a-long-temporary-passphrase"}
    data.update(overrides)
    return client.post(reverse("organisations:user-create"), data)


def test_administrator_adds_a_user(users, council, client_for):  # type: ignore[no-untyped-def]
    client = client_for("system_administrator")
    response = _new_user(client, team=str(council["teams"]["North"].pk))
    assert response.status_code == 302
    user = User.objects.get(username="new.worker")
    assert user.agency == council["la"]
    assert user.employment_type == "agency"
    assert user.check_password("a-long-temporary-passphrase")


def test_bad_user_input_gets_plain_english_errors(users, council, client_for):  # type: ignore[no-untyped-def]
    response = _new_user(client_for("system_administrator"), username="A B", email="nope",
                         password="short")
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Select a team" in html
    assert "Username must be 3 or more" in html
    assert "Enter an email address in the correct format" in html
    assert not User.objects.filter(first_name="Nia").exists()


def test_disabling_a_user_ends_their_sessions(users, client_for):  # type: ignore[no-untyped-def]
    worker = users["social_worker"]
    their_client = sign_in(Client(), worker)
    assert their_client.get(reverse("people:person-search")).status_code == 200
    admin = client_for("system_administrator")
    admin.post(reverse("organisations:user-edit", args=[worker.pk]), {
        "first_name": "Sw", "last_name": "Tester", "email": worker.email, "job_title": "",
        "role": "social_worker", "team": str(worker.team_id), "employment_type": "permanent"})
    worker.refresh_from_db()
    assert not worker.is_active
    assert their_client.get(reverse("people:person-search")).status_code == 302
    assert not [s for s in Session.objects.all()
                if s.get_decoded().get("_auth_user_id") == str(worker.pk)]


def test_resetting_the_authenticator_removes_the_device(users, client_for):  # type: ignore[no-untyped-def]
    worker = users["social_worker"]
    client_for("system_administrator").post(
        reverse("organisations:user-reset-second-factor", args=[worker.pk]))
    assert not TOTPDevice.objects.filter(user=worker).exists()


def test_administrator_cannot_open_case_records(people, client_for):  # type: ignore[no-untyped-def]
    client = client_for("system_administrator")
    assert client.get(reverse("people:person-detail",
                              args=[people["unrelated"].pk])).status_code == 404
    assert client.get(reverse("people:person-search")).status_code == 404
