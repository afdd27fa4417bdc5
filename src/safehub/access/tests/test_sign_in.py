"""Sign-in with password and TOTP; lockout by username; idle and absolute session expiry;
demo accounts refused outside demo mode."""

import time

from conftest import PASSWORD, current_code, make_user
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.middleware import LAST_SEEN, SIGNED_IN_AT
from safehub.access.roles import Role
from safehub.access.views_auth import SIGN_IN_ERROR
from safehub.audit.models import AuditAction, AuditEvent


def _password(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("ui:sign-in"), {"username": username, "password": password})


def test_sign_in_with_password_then_code_reaches_search(users):
    client = Client()
    response = _password(client, "mash")
    assert response["Location"] == reverse("ui:sign-in-verify")
    assert client.get(reverse("people:person-search"))["Location"] == reverse("ui:sign-in-verify")
    response = client.post(
        reverse("ui:sign-in-verify"), {"code": current_code(users["mash_worker"])}
    )
    assert response["Location"] == reverse("ui:home")
    assert client.get(reverse("people:person-search")).status_code == 200
    assert (
        AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=users["mash_worker"]).count()
        == 1
    )


def test_each_step_of_signing_in_starts_a_new_session(users):
    """A session id known before sign-in (fixation) is useless afterwards, and the one used
    between the password and the code is replaced once the code is accepted."""
    client = Client()
    client.get(reverse("ui:sign-in"))
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    _password(client, "mash")
    half = client.session.session_key
    assert half != planted
    client.post(reverse("ui:sign-in-verify"), {"code": current_code(users["mash_worker"])})
    assert client.session.session_key not in (planted, half)
    assert client.get(reverse("people:person-search")).status_code == 200


def test_a_code_works_only_once(users):
    code = current_code(users["mash_worker"])
    first = Client()
    _password(first, "mash")
    assert first.post(reverse("ui:sign-in-verify"), {"code": code}).status_code == 302
    second = Client()
    _password(second, "mash")
    reused = second.post(reverse("ui:sign-in-verify"), {"code": code})
    assert reused.status_code == 200
    assert "not correct" in reused.content.decode()


def test_first_sign_in_sets_up_the_authenticator(council):
    user = make_user("newstarter", Role.SOCIAL_WORKER, council["teams"]["North"])
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    assert _password(client, "newstarter")["Location"] == reverse("ui:sign-in-setup")
    page = client.get(reverse("ui:sign-in-setup"))
    assert "Set up your authenticator app" in page.content.decode()
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    from django_otp.oath import totp

    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("ui:sign-in-setup"), {"code": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_wrong_password_and_unknown_user_get_the_same_message(users):
    wrong = _password(Client(), "mash", "not-the-password").content.decode()
    unknown = _password(Client(), "nobody-by-this-name", "whatever").content.decode()
    assert SIGN_IN_ERROR in wrong
    assert SIGN_IN_ERROR in unknown


def test_repeated_failures_lock_the_account_by_username_from_any_address(users):
    for attempt in range(5):
        Client(REMOTE_ADDR=f"10.0.0.{attempt}").post(
            reverse("ui:sign-in"), {"username": "mash", "password": "wrong-password"}
        )
    locked = Client(REMOTE_ADDR="10.9.9.9").post(
        reverse("ui:sign-in"), {"username": "mash", "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert "too many attempts" in locked.content.decode()
    # The refused sign-in is in the audit trail, as a lockout, with where it came from.
    from safehub.audit.models import AuditAction, AuditEvent

    refused = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_LOCKED_OUT).last()
    assert refused is not None
    assert (refused.detail["username"], refused.ip_address) == ("mash", "10.9.9.9")
    # Another account is unaffected.
    assert _password(Client(), "sw").status_code == 302


def test_administrator_unlocks_a_locked_account(users, client_for):
    for _ in range(5):
        _password(Client(), "mash", "wrong-password")
    assert _password(Client(), "mash").status_code == 429
    client_for("system_administrator").post(
        reverse("organisations:user-unlock", args=[users["mash_worker"].pk])
    )
    assert _password(Client(), "mash").status_code == 302


def test_session_ends_after_its_absolute_lifetime(users, client_for, settings):
    client = client_for("mash_worker")
    assert client.get(reverse("people:person-search")).status_code == 200
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    response = client.get(reverse("people:person-search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ui:sign-in"))


def test_idle_expiry_is_thirty_minutes_or_less(settings):
    assert settings.SESSION_IDLE_SECONDS <= 30 * 60
    assert settings.SESSION_RENEW_SECONDS < settings.SESSION_IDLE_SECONDS


def _seen_ago(client, seconds):
    session = client.session
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def test_session_ends_when_idle_and_each_page_keeps_it_alive(users, client_for, settings):
    client = client_for("mash_worker")
    page = reverse("people:person-search")
    _seen_ago(client, settings.SESSION_IDLE_SECONDS - 60)
    assert client.get(page).status_code == 200
    # That page renewed the last-seen time, so the session lives on.
    assert time.time() - client.session[LAST_SEEN] < 5
    _seen_ago(client, settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(page)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ui:sign-in"))
    assert client.get(page).status_code == 302  # signed out on the server, not just redirected


def test_reading_pages_writes_the_session_at_most_once_a_minute(client_for):
    client = client_for("mash_worker")
    page = reverse("people:person-search")
    client.get(page)
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    assert not [q for q in queries if 'UPDATE "django_session"' in q["sql"]]
    _seen_ago(client, 61)
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    assert [q for q in queries if 'UPDATE "django_session"' in q["sql"]]


def test_disabled_user_is_refused_on_the_next_request(users, client_for):
    client = client_for("mash_worker")
    assert client.get(reverse("people:person-search")).status_code == 200
    users["mash_worker"].is_active = False
    users["mash_worker"].save()
    assert client.get(reverse("people:person-search")).status_code == 302


def test_demo_accounts_are_refused_outside_demo_mode(council, settings):
    user = make_user("demo.person", Role.MASH_WORKER, council["teams"]["MASH"])
    user.is_demo = True
    user.save()
    settings.DEMO_MODE = False
    assert SIGN_IN_ERROR in _password(Client(), "demo.person").content.decode()
    settings.DEMO_MODE = True
    assert _password(Client(), "demo.person").status_code == 302


def test_signed_in_pages_are_not_cached_and_carry_a_csp(client_for):
    response = client_for("mash_worker").get(reverse("people:person-search"))
    assert response["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response["Content-Security-Policy"]


# --- The signed-in user and their second factor read together (ADR 0045) ----------------


def _session_reads(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("ui:accessibility")).status_code == 200
    return [q["sql"] for q in queries if "organisations_user" in q["sql"] or "otp_" in q["sql"]]


def test_the_user_and_their_device_are_read_in_one_query(users, client_for):
    reads = _session_reads(client_for("mash_worker"))
    assert len(reads) == 1, reads
    assert "otp_totp_totpdevice" in reads[0]


def test_a_session_naming_another_users_device_is_not_verified(users, client_for):
    """The device read with the user must be theirs: a session naming someone else's
    device is treated as not having passed the second factor, as django-otp does."""
    client = client_for("mash_worker")
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=users["team_manager"]).persistent_id
    session.save()
    assert client.get(reverse("people:person-search"))["Location"] == reverse("ui:sign-in-verify")


def test_an_unconfirmed_device_does_not_pass_the_second_factor(users, client_for):
    client = client_for("mash_worker")
    TOTPDevice.objects.filter(user=users["mash_worker"]).update(confirmed=False)
    assert client.get(reverse("people:person-search"))["Location"] == reverse("ui:sign-in-verify")


def test_a_disabled_user_with_a_device_is_refused(users, client_for):
    client = client_for("mash_worker")
    type(users["mash_worker"]).objects.filter(pk=users["mash_worker"].pk).update(is_active=False)
    response = client.get(reverse("people:person-search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ui:sign-in"))


def test_a_changed_password_still_ends_the_session(users, client_for):
    """Django's session hash check is kept when the device comes with the user."""
    client = client_for("mash_worker")
    user = type(users["mash_worker"]).objects.get(pk=users["mash_worker"].pk)
    user.set_password("another-long-passphrase-2026")
    user.save()
    response = client.get(reverse("people:person-search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ui:sign-in"))
