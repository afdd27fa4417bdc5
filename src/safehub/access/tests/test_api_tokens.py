"""API tokens: when each was last used (written at most once a minute), listed and revoked
by system administrators (or by a user, their own), on a page and by command, each time
audited; a revoked token is refused at once."""

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from safehub.access.models import ApiToken, hash_token
from safehub.access.services import api_token_create, api_token_list, api_token_revoke
from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.exceptions import NotFound, PermissionDeniedError


def _token(user: Any, name: str = "School MIS feed", **fields: Any) -> tuple[ApiToken, str]:
    secret = ApiToken.new_secret()
    token = ApiToken.objects.create(user=user, name=name, token_hash=hash_token(secret), **fields)
    return token, secret


def _search(secret: str) -> Any:
    return Client().post(
        reverse("api-v1:person_search_api"),
        json.dumps({"name": "Hart"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )


def _token_writes(queries: Any) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "access_apitoken"')]


# --- Last used ---------------------------------------------------------------------------


def test_last_used_is_recorded_when_a_token_authenticates(users: Any) -> None:
    token, secret = _token(users["mash_worker"])
    assert token.last_used_at is None
    assert _search(secret).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < timedelta(seconds=5)


def test_last_used_is_written_at_most_once_a_minute(users: Any) -> None:
    token, secret = _token(users["mash_worker"])
    _search(secret)
    token.refresh_from_db()
    first = token.last_used_at
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert _search(secret).status_code == 200
    assert not _token_writes(queries)
    token.refresh_from_db()
    assert token.last_used_at == first
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=False):
        with CaptureQueriesContext(connection) as queries:
            _search(secret)
        assert len(_token_writes(queries)) == 1
        token.refresh_from_db()
        assert token.last_used_at is not None
        assert first is not None
        assert token.last_used_at > first


# --- Revoking ----------------------------------------------------------------------------


def test_a_revoked_token_gets_401_at_once(users: Any) -> None:
    token, secret = _token(users["mash_worker"])
    assert _search(secret).status_code == 200
    api_token_revoke(actor=users["system_administrator"], token_id=token.pk)
    response = _search(secret)
    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}


def test_a_user_may_revoke_their_own_token_but_not_anothers(users: Any) -> None:
    own, _ = _token(users["mash_worker"])
    other, _ = _token(users["social_worker"])
    api_token_revoke(actor=users["mash_worker"], token_id=own.pk)
    own.refresh_from_db()
    assert own.revoked_at is not None
    with pytest.raises(NotFound):
        api_token_revoke(actor=users["mash_worker"], token_id=other.pk)
    other.refresh_from_db()
    assert other.revoked_at is None


def test_revoking_is_audited_and_revoking_twice_keeps_the_first_time(users: Any) -> None:
    admin = users["system_administrator"]
    token, _ = _token(users["mash_worker"])
    api_token_revoke(actor=admin, token_id=token.pk)
    token.refresh_from_db()
    revoked_at = token.revoked_at
    api_token_revoke(actor=admin, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at == revoked_at
    rows = AuditEvent.objects.filter(action=AuditAction.USER_ADMIN, actor=admin)
    assert rows.count() == 2
    latest = rows.first()
    assert latest is not None
    assert latest.object_type == "access.ApiToken"
    assert latest.object_id == str(token.pk)
    # Said as the user administration log says every change: what, and whose account.
    assert latest.detail["what"] == "api_token_revoked"
    assert latest.detail["username"] == token.user.username


# --- Listing -----------------------------------------------------------------------------


def test_administrators_list_every_token_and_users_their_own(users: Any) -> None:
    mine, _ = _token(users["mash_worker"], name="Mine")
    theirs, _ = _token(users["social_worker"], name="Theirs")
    assert {t.pk for t in api_token_list(actor=users["system_administrator"])} == {
        mine.pk,
        theirs.pk,
    }
    assert [t.pk for t in api_token_list(actor=users["mash_worker"])] == [mine.pk]
    with pytest.raises(PermissionDeniedError):
        api_token_list(actor=users["mash_worker"], user=users["social_worker"])
    # A look, not a change: audited as a list, off the user administration log.
    assert not AuditEvent.objects.filter(action=AuditAction.USER_ADMIN).exists()
    listed = AuditEvent.objects.filter(action=AuditAction.LIST, object_type="access.ApiToken")
    assert [e.detail["what"] for e in listed] == ["api_tokens_listed"] * 2


# --- The page ----------------------------------------------------------------------------


def test_the_tokens_page_shows_every_token_and_revokes_one(users: Any, client_for: Any) -> None:
    token, secret = _token(
        users["mash_worker"], name="School MIS feed", expires_at=timezone.now() + timedelta(days=90)
    )
    _search(secret)
    _token(users["social_worker"], name="Old feed", revoked_at=timezone.now())
    admin = client_for("system_administrator")
    page = admin.get(reverse("api-tokens:token-list")).content.decode()
    for words in ("School MIS feed", "Old feed", "mash", "sw", "Last used", "Expires", "Revoked"):
        assert words in page, words
    assert page.count('type="submit"') >= 1
    response = admin.post(reverse("api-tokens:token-revoke", args=[token.pk]))
    assert response["Location"] == reverse("api-tokens:token-list")
    after = admin.get(response["Location"]).content.decode()
    assert "School MIS feed" in after
    assert "was revoked" in after
    assert _search(secret).status_code == 401


def test_only_system_administrators_reach_the_tokens_page(users: Any, client_for: Any) -> None:
    token, secret = _token(users["mash_worker"])
    for role in ("mash_worker", "team_manager", "data_protection_officer"):
        client = client_for(role)
        assert client.get(reverse("api-tokens:token-list")).status_code == 404
        assert client.post(reverse("api-tokens:token-revoke", args=[token.pk])).status_code == 404
    assert _search(secret).status_code == 200


def test_revoke_needs_a_post_with_the_csrf_token(users: Any) -> None:
    from conftest import sign_in

    token, secret = _token(users["mash_worker"])
    admin = sign_in(Client(enforce_csrf_checks=True), users["system_administrator"])
    assert admin.get(reverse("api-tokens:token-revoke", args=[token.pk])).status_code == 405
    assert admin.post(reverse("api-tokens:token-revoke", args=[token.pk])).status_code == 403
    assert _search(secret).status_code == 200


# --- The commands ------------------------------------------------------------------------


def test_list_api_tokens_command(users: Any) -> None:
    token, secret = _token(
        users["mash_worker"], name="School MIS feed", expires_at=timezone.now() + timedelta(days=9)
    )
    _search(secret)
    out = StringIO()
    call_command("list_api_tokens", stdout=out)
    text = out.getvalue()
    assert "School MIS feed" in text
    assert "mash" in text
    assert str(token.pk) in text
    assert "never" not in text.split("School MIS feed")[1].splitlines()[0]  # expires, used
    row = AuditEvent.objects.get(action=AuditAction.LIST, object_type="access.ApiToken")
    assert (row.actor_username, row.channel) == ("manage.py", "system")


def test_revoke_api_token_command(users: Any) -> None:
    token, secret = _token(users["mash_worker"])
    out = StringIO()
    call_command("revoke_api_token", str(token.pk), stdout=out)
    assert "revoked" in out.getvalue()
    assert _search(secret).status_code == 401
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "999999", stdout=StringIO())


def test_the_user_administration_log_says_whose_token_and_what_was_done(
    users: Any, client_for: Any
) -> None:
    api_token_create(actor=users["mash_worker"], user=users["mash_worker"], name="Case feed")
    token = ApiToken.objects.get(name="Case feed")
    api_token_list(actor=users["system_administrator"])
    api_token_revoke(actor=users["system_administrator"], token_id=token.pk)
    page = client_for("data_protection_officer").get(reverse("audit:user-admin-log"))
    rows = [
        " ".join(cell.split())
        for cell in page.content.decode().split('<tr class="govuk-table__row">')[2:]
    ]
    # Issued and revoked, each with the account; the look at the list is not a change.
    assert len(rows) == 2
    assert all(users["mash_worker"].username in row for row in rows)
    assert "Api token revoked" in rows[0]
    assert "Api token issued" in rows[1]
