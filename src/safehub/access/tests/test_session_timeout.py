"""When a session ends nothing typed is lost, and nobody is surprised by the end.

- A form sent after the session ended is kept, without its secrets, for its author only;
  after signing in again (password and code) they are back on its page with it filled in,
  once, and told so. Someone else signing in on that browser gets nothing.
- The sign-in page says why the session ended.
- Signed-in pages carry the timeout warning; asking how long is left is not activity,
  asking for more time is.
"""

import re
import time
from datetime import timedelta
from typing import Any

import time_machine
from conftest import PASSWORD, current_code
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safehub.access.middleware import LAST_SEEN, SIGNED_IN_AT
from safehub.access.models import FormDraft
from safehub.casework.models import CaseNote

NOTE = "Visited at home. Mother says the boiler has been broken since October."


def _idle(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_SEEN] = time.time() - seconds
    session.save()


def _sign_in_again(client: Client, user: Any) -> Any:
    client.post(reverse("ui:sign-in"), {"username": user.username, "password": PASSWORD})
    return client.post(reverse("ui:sign-in-verify"), {"code": current_code(user)})


def _note_sent_after_the_end(client_for: Any, people: Any, settings: Any, **extra: str):
    client = client_for("social_worker")
    page = reverse("casework:note-record", args=[people["involved"].pk])
    client.get(page)
    _idle(client, settings.SESSION_IDLE_SECONDS + 1)
    response = client.post(
        page,
        {
            "text": NOTE,
            "significant": "true",
            "idempotency_key": "f" * 32,
            "csrfmiddlewaretoken": "not-kept",
            **extra,
        },
        HTTP_REFERER=f"http://testserver{page}",
    )
    return client, page, response


def test_a_form_sent_after_the_session_ended_comes_back_after_signing_in(
    users, people, client_for, settings
):
    client, page, response = _note_sent_after_the_end(client_for, people, settings)
    assert response.status_code == 302
    assert response["Location"] == reverse("ui:sign-in")
    assert not CaseNote.objects.exists()  # nothing saved on an ended session
    draft = FormDraft.objects.get(user=users["social_worker"])
    assert draft.page == page
    assert draft.fields == {"text": [NOTE], "significant": ["true"]}

    sign_in_page = client.get(reverse("ui:sign-in")).content.decode()
    assert "You have been signed out" in sign_in_page
    assert "had not been used for 30 minutes" in sign_in_page
    assert "What you had typed has been kept" in sign_in_page

    response = _sign_in_again(client, users["social_worker"])
    assert response["Location"] == page
    restored = client.get(page).content.decode()
    assert NOTE in restored
    assert "What you typed has been put back" in restored
    assert re.search(r'name="significant"[^>]*checked', restored)
    assert not FormDraft.objects.exists()  # handed back once
    again = client.get(page).content.decode()
    assert "What you typed has been put back" not in again

    # The put-back form saves as any other: with a fresh one-time token of its own.
    assert 'name="idempotency_key"' in restored


def test_secrets_are_never_kept(users, people, client_for, settings):
    _note_sent_after_the_end(
        client_for,
        people,
        settings,
        password="hunter2hunter2",
        new_password1="x",
        code="123456",
        token="abc",
    )
    fields = FormDraft.objects.get().fields
    assert set(fields) == {"text", "significant"}


def test_nobody_else_gets_the_draft(users, people, client_for, settings):
    client, page, _ = _note_sent_after_the_end(client_for, people, settings)
    colleague = users["colleague"]
    response = _sign_in_again(client, colleague)
    assert response.status_code == 302
    shown = client.get(page).content.decode()
    assert NOTE not in shown
    assert FormDraft.objects.filter(user=users["social_worker"]).exists()


def test_the_draft_comes_back_on_another_device_too(users, people, client_for, settings):
    _client, page, _ = _note_sent_after_the_end(client_for, people, settings)
    elsewhere = Client()
    response = _sign_in_again(elsewhere, users["social_worker"])
    assert response["Location"] == page
    assert NOTE in elsewhere.get(page).content.decode()


def test_a_draft_waits_only_so_long(users, people, client_for, settings):
    client, page, _ = _note_sent_after_the_end(client_for, people, settings)
    later = timezone.now() + timedelta(hours=settings.EXPIRED_FORM_KEEP_HOURS, minutes=1)
    with time_machine.travel(later, tick=False):
        _sign_in_again(client, users["social_worker"])
        assert NOTE not in client.get(page).content.decode()


def test_a_script_asking_after_the_end_is_told_and_leaves_the_form_to_be_kept(
    users, people, client_for, settings
):
    client = client_for("social_worker")
    page = reverse("casework:note-record", args=[people["involved"].pk])
    _idle(client, settings.SESSION_IDLE_SECONDS + 1)
    asked = client.get(reverse("ui:session-status"), HTTP_ACCEPT="application/json")
    assert asked.status_code == 401
    assert asked.json() == {"signed_in": False, "seconds_left": 0}
    client.post(page, {"text": NOTE}, HTTP_REFERER=f"http://testserver{page}")
    assert FormDraft.objects.get().fields == {"text": [NOTE]}


def test_a_form_sent_by_the_warning_as_time_runs_out_is_kept(users, people, client_for):
    """The browser's clock may run a moment ahead of the server's: the warning's script
    marks the form it sends at the end, and SafeHub keeps it rather than saving it."""
    client = client_for("social_worker")
    page = reverse("casework:note-record", args=[people["involved"].pk])
    response = client.post(page, {"text": NOTE, "session_timed_out": "1"})
    assert response["Location"] == reverse("ui:sign-in")
    assert not CaseNote.objects.exists()
    assert FormDraft.objects.get().fields == {"text": [NOTE]}


def test_a_page_asked_for_after_the_end_is_where_signing_in_returns(users, client_for, settings):
    client = client_for("mash_worker")
    page = reverse("people:person-search") + "?name=Hart"
    _idle(client, settings.SESSION_IDLE_SECONDS + 1)
    assert client.get(page)["Location"] == reverse("ui:sign-in")
    assert _sign_in_again(client, users["mash_worker"])["Location"] == page


def test_the_sign_in_page_says_when_the_session_reached_its_limit(client_for, settings):
    client = client_for("mash_worker")
    session = client.session
    session[SIGNED_IN_AT] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    client.get(reverse("people:person-search"))
    page = client.get(reverse("ui:sign-in")).content.decode()
    assert "You signed in more than 12 hours ago" in page


def test_asking_how_long_is_left_is_not_activity_and_more_time_is(client_for, settings):
    client = client_for("mash_worker")
    _idle(client, 20 * 60)
    seen = client.session[LAST_SEEN]
    left = client.get(reverse("ui:session-status")).json()["seconds_left"]
    assert 0 < left <= settings.SESSION_IDLE_SECONDS - 20 * 60
    assert client.session[LAST_SEEN] == seen
    extended = client.post(reverse("ui:session-extend"), HTTP_ACCEPT="application/json")
    assert extended.json()["seconds_left"] > settings.SESSION_IDLE_SECONDS - 60
    assert client.session[LAST_SEEN] > seen


def test_more_time_without_javascript_goes_back_to_the_page(client_for):
    client = client_for("mash_worker")
    page = reverse("people:person-search")
    response = client.post(reverse("ui:session-extend"), HTTP_REFERER=f"http://testserver{page}")
    assert response["Location"] == f"http://testserver{page}"


def test_signed_in_pages_carry_the_warning_and_public_ones_do_not(client_for, settings):
    page = client_for("mash_worker").get(reverse("people:person-search")).content.decode()
    assert 'id="session-timeout"' in page
    assert f'data-warning-seconds="{settings.SESSION_WARNING_SECONDS}"' in page
    assert "Stay signed in" in page
    public = Client().get(reverse("report:start")).content.decode()
    assert 'id="session-timeout"' not in public


def test_the_warning_comes_before_the_idle_limit(settings):
    assert 0 < settings.SESSION_WARNING_SECONDS < settings.SESSION_IDLE_SECONDS
