"""Readiness and the outbox: /readyz fails once a message due for delivery has waited longer
than OUTBOX_READY_MAX_AGE_SECONDS (the relay is down or not keeping up). A message waiting
out a failed delivery's back-off, or given up on, is not due."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings
from django.utils import timezone

from safehub.notifications import services
from safehub.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def _enqueue(key: str, users: Any) -> OutboxMessage:
    return services.outbox_enqueue(
        channel="inbox",
        dedupe_key=key,
        subject="Outcome",
        body="NFA",
        user=users["partner_practitioner"],
    )


def _readyz() -> Any:
    return Client().get("/readyz")


@override_settings(OUTBOX_READY_MAX_AGE_SECONDS=300)
def test_ready_until_a_due_message_has_waited_too_long(users: Any) -> None:
    message = _enqueue("waiting", users)
    with time_machine.travel(message.available_at + timedelta(seconds=299), tick=False):
        response = _readyz()
    assert response.status_code == 200
    assert response.json()["queue"] == {
        "status": "ok",
        "due_messages": 1,
        "oldest_due_seconds": 299,
        "limit_seconds": 300,
    }
    with time_machine.travel(message.available_at + timedelta(seconds=301), tick=False):
        response = _readyz()
    assert response.status_code == 503
    assert response.json()["status"] == "error"
    assert response.json()["queue"]["status"] == "error"
    assert response.json()["queue"]["oldest_due_seconds"] == 301


@override_settings(OUTBOX_READY_MAX_AGE_SECONDS=300)
def test_messages_backing_off_sent_or_given_up_are_not_a_backlog(users: Any) -> None:
    now = timezone.now()
    backing_off = _enqueue("backing-off", users)
    sent = _enqueue("sent", users)
    dead = _enqueue("dead", users)
    OutboxMessage.objects.filter(pk=backing_off.pk).update(
        attempts=3, available_at=now + timedelta(minutes=8)
    )
    OutboxMessage.objects.filter(pk=sent.pk).update(sent_at=now)
    OutboxMessage.objects.filter(pk=dead.pk).update(dead_at=now)
    with time_machine.travel(now + timedelta(minutes=7), tick=False):
        response = _readyz()
    assert response.status_code == 200
    assert response.json()["queue"]["due_messages"] == 0
