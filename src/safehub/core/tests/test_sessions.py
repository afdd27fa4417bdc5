"""The session store (core.sessions, ADR 0064): Django's database sessions, read with one
statement of our own. A live session reads back as it was saved; an expired or unknown key
reads as no session and is given up, as Django's own store does."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from safehub.core.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _saved(**data: object) -> str:
    store = SessionStore()
    store.update(data)
    store.create()
    assert store.session_key is not None
    return store.session_key


def test_the_settings_use_this_store() -> None:
    assert settings.SESSION_ENGINE == "safehub.core.sessions"


def test_a_live_session_reads_back_in_one_statement() -> None:
    key = _saved(_auth_user_id="7", seen=12)
    store = SessionStore(session_key=key)
    with CaptureQueriesContext(connection) as captured:
        assert store.load() == {"_auth_user_id": "7", "seen": 12}
    assert len(captured) == 1
    assert store.session_key == key


def test_an_expired_session_reads_as_none_and_its_key_is_given_up() -> None:
    key = _saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    store = SessionStore(session_key=key)
    assert store.load() == {}
    assert store.session_key is None


def test_a_session_expiring_later_is_still_live() -> None:
    key = _saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() + timedelta(seconds=30)
    )
    assert SessionStore(session_key=key).load() == {"_auth_user_id": "7"}


def test_an_unknown_or_malformed_key_reads_as_none() -> None:
    store = SessionStore(session_key="x" * 32)
    assert store.load() == {}
    assert store.session_key is None
    short = SessionStore(session_key="short")  # not a valid key: never looked up
    with CaptureQueriesContext(connection) as captured:
        assert short.load() == {}
    assert len(captured) == 0


def test_tampered_session_data_reads_as_empty() -> None:
    key = _saved(_auth_user_id="7")
    Session.objects.filter(session_key=key).update(session_data="not-signed")
    assert SessionStore(session_key=key).load() == {}
