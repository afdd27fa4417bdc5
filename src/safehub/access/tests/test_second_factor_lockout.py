"""Wrong security codes lock the account as wrong passwords do: counted per user with the
wrong passwords (django-axes, by username, in the database), so a new session does not start
the count again; the page says the account is locked and who to contact; a right code
after lockout does not get in; an administrator's unlock clears it; each wrong code and the
lockout are in the audit trail."""

from typing import Any

import pytest
from conftest import PASSWORD, current_code
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.models import BreakGlass
from safehub.audit.models import AuditAction, AuditEvent

VERIFY = "ui:sign-in-verify"


@pytest.fixture
def limit(settings: Any) -> int:
    return settings.AXES_FAILURE_LIMIT


def _wrong(user: Any) -> str:
    return f"{(int(current_code(user)) + 1) % 1_000_000:06d}"


def _unthrottle() -> None:
    """django-otp makes the next try wait after a wrong code; these tests need not."""
    TOTPDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)


def _after_password(username: str) -> Client:
    client = Client()
    response = client.post(reverse("ui:sign-in"), {"username": username, "password": PASSWORD})
    assert response["Location"] == reverse(VERIFY), response.status_code
    return client


def _code(client: Client, code: str) -> Any:
    return client.post(reverse(VERIFY), {"code": code})


def _signed_in(client: Client) -> bool:
    return client.get(reverse("people:person-search")).status_code == 200


def _assert_locked_page(response: Any) -> None:
    assert response.status_code == 429
    page = response.content.decode()
    assert "This account is locked" in page
    assert "system administrator" in page


def test_wrong_codes_lock_the_account_and_the_page_says_so(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    client = _after_password("mash")
    for _ in range(limit - 1):
        wrong = _code(client, _wrong(user))
        assert wrong.status_code == 200
        assert "not correct" in wrong.content.decode()
    _assert_locked_page(_code(client, _wrong(user)))
    # The half-signed-in session is over, and the password no longer opens the account.
    assert client.get(reverse(VERIFY))["Location"].startswith(reverse("ui:sign-in"))
    _assert_locked_page(
        Client().post(reverse("ui:sign-in"), {"username": "mash", "password": PASSWORD})
    )
    # Nobody else is locked out.
    assert _after_password("sw")


def test_a_right_code_after_lockout_does_not_get_in(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    waiting = _after_password("mash")  # a second session that got past the password earlier
    guessing = _after_password("mash")
    for _ in range(limit):
        _code(guessing, _wrong(user))
    _unthrottle()
    _assert_locked_page(_code(waiting, current_code(user)))
    assert not _signed_in(waiting)


def test_a_new_session_does_not_start_the_count_again(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    first = limit // 2
    for _ in range(first):
        _code(_after_password("mash"), _wrong(user))  # a fresh session for every guess
    client = _after_password("mash")
    for _ in range(limit - first - 1):
        assert _code(client, _wrong(user)).status_code == 200
    _assert_locked_page(_code(_after_password("mash"), _wrong(user)))


def test_wrong_passwords_and_wrong_codes_count_together(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    for _ in range(limit - 1):
        Client().post(reverse("ui:sign-in"), {"username": "mash", "password": "wrong-password"})
    # The right password alone does not clear the count: only a full sign-in does.
    _assert_locked_page(_code(_after_password("mash"), _wrong(user)))


def test_a_full_sign_in_clears_the_count(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    client = _after_password("mash")
    for _ in range(limit - 1):
        _code(client, _wrong(user))
    _unthrottle()
    assert _code(client, current_code(user))["Location"] == reverse("ui:home")
    again = _after_password("mash")
    for _ in range(limit - 1):
        assert _code(again, _wrong(user)).status_code == 200


def test_an_administrator_unlocks_an_account_locked_by_wrong_codes(
    users: Any, limit: int, client_for: Any
) -> None:
    user = users["mash_worker"]
    client = _after_password("mash")
    for _ in range(limit):
        _code(client, _wrong(user))
    client_for("system_administrator").post(reverse("organisations:user-unlock", args=[user.pk]))
    _unthrottle()
    assert _code(_after_password("mash"), current_code(user))["Location"] == reverse("ui:home")


def test_each_wrong_code_and_the_lockout_are_audited(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    client = _after_password("mash")
    for _ in range(limit):
        _code(client, _wrong(user))
    failed = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor=user)
    assert failed.count() == limit
    assert {e.detail["step"] for e in failed} == {"second factor"}
    locked = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_LOCKED_OUT, actor=user)
    assert locked.count() == 1
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN, actor=user).exists()


def test_a_code_on_a_locked_account_is_audited_as_refused(users: Any, limit: int) -> None:
    user = users["mash_worker"]
    waiting = _after_password("mash")
    guessing = _after_password("mash")
    for _ in range(limit):
        _code(guessing, _wrong(user))
    _unthrottle()
    _code(waiting, current_code(user))
    locked = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_LOCKED_OUT, actor=user)
    assert locked.count() == 2  # the lockout, then the refused code


def test_wrong_break_glass_codes_count_towards_the_lockout(
    users: Any, people: Any, limit: int, client_for: Any
) -> None:
    user = users["mash_worker"]
    client = client_for("mash_worker")
    url = reverse("people:person-break-glass", args=[people["restricted"].pk])
    reason = "Child at A&E tonight, police asking"
    for _ in range(limit - 1):
        wrong = client.post(url, {"reason": reason, "code": _wrong(user)})
        assert "not correct" in wrong.content.decode()
    _assert_locked_page(client.post(url, {"reason": reason, "code": _wrong(user)}))
    assert not BreakGlass.objects.exists()
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, actor=user).count() == (
        limit
    )
    _assert_locked_page(
        Client().post(reverse("ui:sign-in"), {"username": "mash", "password": PASSWORD})
    )
