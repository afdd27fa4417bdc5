"""A casework form sent twice (a double click, a retry on a slow connection, the back button
and Save again) records once. Each form page carries the front door's one-time token
(core.once, ADR 0008); a second POST with the same token records nothing new and lands on
the casework page, which shows what the first one saved."""

import re
import threading
from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, sign_in
from django.db import connections, models
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework import services
from safehub.casework.models import CaseNote, MissingEpisode, Oversight, Visit
from safehub.chronology.models import ChronologyLink

TODAY = TEST_TODAY


def _d(name: str, value: Any) -> dict[str, str]:
    return {
        f"{name}-day": str(value.day),
        f"{name}-month": str(value.month),
        f"{name}-year": str(value.year),
    }


def _token(page: str) -> str:
    found = re.search(r'name="idempotency_key"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="idempotency_key"', page
    )
    return found.group(1) if found else "no-token-on-the-page"


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]


@pytest.fixture
def episode(users: Any, child: Any) -> Any:
    return services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=TODAY - timedelta(days=30),
        referral_source="2A",
        primary_need="N1",
    )


# (url name, who records it, the form's answers, the model it records, the banner)
FORMS: dict[str, tuple[str, str, dict[str, Any], type[models.Model], str]] = {
    "visit": (
        "casework:visit-record",
        "social_worker",
        {**_d("visited_on", TODAY), "seen": "alone", "note": "Played in the garden"},
        Visit,
        "Visit recorded",
    ),
    "note": (
        "casework:note-record",
        "social_worker",
        {"text": "Mother rang: new partner moved in", "significant": "true"},
        CaseNote,
        "Case note saved",
    ),
    "missing": (
        "casework:missing-record",
        "social_worker",
        {"kind": "M", **_d("start_date", TODAY - timedelta(days=2)), **_d("end_date", TODAY)},
        MissingEpisode,
        "Missing episode recorded",
    ),
    "oversight": (
        "casework:oversight-record",
        "team_manager",
        {
            "kind": "supervision",
            **_d("held_on", TODAY),
            "discussion": "Reviewed the plan",
            "actions": "Visit weekly",
        },
        Oversight,
        "Oversight recorded",
    ),
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_the_same_form_sent_twice_records_once(
    form: str, child: Any, episode: Any, client_for: Any
) -> None:
    name, role, answers, model, banner = FORMS[form]
    client = client_for(role)
    url = reverse(name, args=[child.pk])
    token = _token(client.get(url).content.decode())
    casework = reverse("casework:child-casework", args=[child.pk])
    first = client.post(url, {**answers, "idempotency_key": token})
    assert first["Location"] == casework
    client.get(casework)  # the browser follows the first redirect; the banner is shown
    changes_after_first = AuditEvent.objects.filter(action=AuditAction.CHANGE).count()
    again = client.post(url, {**answers, "idempotency_key": token})
    assert again.status_code == 302, again.content.decode()[:2000]
    assert again["Location"] == casework
    assert model._default_manager.filter(child=child).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE).count() == changes_after_first
    page = client.get(casework).content.decode()
    assert banner in page


def test_a_note_sent_twice_is_one_chronology_entry(child: Any, client_for: Any) -> None:
    client = client_for("social_worker")
    url = reverse("casework:note-record", args=[child.pk])
    token = _token(client.get(url).content.decode())
    for _ in range(2):
        client.post(
            url,
            {"text": "Police visited the home", "significant": "true", "idempotency_key": token},
        )
    assert ChronologyLink.objects.filter(person=child, entry__event_type="CASE_NOTE").count() == 1


def test_each_opening_of_the_form_records_its_own_note(child: Any, client_for: Any) -> None:
    client = client_for("social_worker")
    url = reverse("casework:note-record", args=[child.pk])
    for text in ("First call", "Second call"):
        token = _token(client.get(url).content.decode())
        assert client.post(url, {"text": text, "idempotency_key": token}).status_code == 302
    assert sorted(CaseNote.objects.values_list("text", flat=True)) == ["First call", "Second call"]


def test_the_same_token_with_different_answers_is_refused_in_plain_english(
    child: Any, client_for: Any
) -> None:
    client = client_for("social_worker")
    url = reverse("casework:note-record", args=[child.pk])
    token = _token(client.get(url).content.decode())
    client.post(url, {"text": "School called", "idempotency_key": token})
    changed = client.post(url, {"text": "School called twice", "idempotency_key": token})
    assert changed.status_code == 200
    assert "This form was already sent with different answers" in changed.content.decode()
    assert list(CaseNote.objects.values_list("text", flat=True)) == ["School called"]


def test_a_refused_form_can_be_corrected_and_sent_with_the_same_token(
    child: Any, client_for: Any
) -> None:
    client = client_for("social_worker")
    url = reverse("casework:note-record", args=[child.pk])
    token = _token(client.get(url).content.decode())
    refused = client.post(url, {"text": "=cmd|' /C calc'!A0", "idempotency_key": token})
    assert refused.status_code == 200
    assert client.post(url, {"text": "Called calc", "idempotency_key": token}).status_code == 302
    assert CaseNote.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("form", ["note", "visit"])
def test_two_identical_posts_at_the_same_moment_record_once(
    form: str, users: Any, child: Any, episode: Any
) -> None:
    name, role, answers, model, _ = FORMS[form]
    url = reverse(name, args=[child.pk])
    token = _token(sign_in(Client(), users[role]).get(url).content.decode())
    clients = [sign_in(Client(raise_request_exception=False), users[role]) for _ in range(2)]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def send(client: Client) -> None:
        try:
            start.wait()
            statuses.append(client.post(url, {**answers, "idempotency_key": token}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302]
    assert model._default_manager.filter(child=child).count() == 1
