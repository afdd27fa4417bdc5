"""A worker allocated a child is told at once: a message in their SafeHub inbox and an
e-mail, both through the transactional outbox, pointing at the child's casework page."""

from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY
from django.core import mail
from django.urls import reverse

from safehub.casework import services
from safehub.notifications.models import Notification, OutboxMessage
from safehub.notifications.services import outbox_relay

pytestmark = pytest.mark.django_db


@pytest.fixture
def child(users: Any, people: Any) -> Any:
    child = people["involved"]
    services.episode_open(
        actor=users["social_worker"],
        child=child,
        kind="cin",
        referral_date=TEST_TODAY - timedelta(days=30),
        primary_need="N1",
    )
    return child


def test_the_allocated_worker_gets_an_inbox_message_and_an_email(
    users: Any, child: Any, client_for: Any, settings: Any
) -> None:
    settings.SITE_URL = "https://safehub.example"
    manager, worker = users["team_manager"], users["colleague"]
    allocation = services.allocate(actor=manager, child=child, worker=worker)
    page = reverse("casework:child-casework", args=[child.pk])
    # In the outbox with the allocation, one message per channel.
    queued = OutboxMessage.objects.filter(dedupe_key__startswith=f"allocation:{allocation.pk}:")
    assert sorted(queued.values_list("channel", flat=True)) == ["email", "inbox"]
    assert all(m.recipient_user_id == worker.pk for m in queued)
    outbox_relay()  # delivered at least once; again changes nothing
    outbox_relay()
    notice = Notification.objects.get(user=worker)
    assert notice.subject == f"A child has been allocated to you (SafeHub ID {child.pk})"
    assert notice.link == page
    assert "Tm Tester allocated the child" in notice.body
    sent = [m for m in mail.outbox if m.to == [worker.email]]
    assert len(sent) == 1
    assert f"Open it in SafeHub: https://safehub.example{page}" in sent[0].body
    assert child.given_name not in f"{sent[0].subject} {sent[0].body}"  # no name in e-mail
    # The inbox page shows it, linking to the child's page, which the worker can open.
    inbox = client_for("colleague").get(reverse("notifications:inbox")).content.decode()
    assert f"SafeHub ID {child.pk}" in inbox
    assert f'href="{page}"' in inbox
    assert client_for("colleague").get(page).status_code == 200


def test_reallocation_tells_the_new_worker_and_why(users: Any, child: Any) -> None:
    manager = users["team_manager"]
    services.allocate(actor=manager, child=child, worker=users["social_worker"])
    moved = services.allocate(
        actor=manager, child=child, worker=users["colleague"], reason="MANAGE"
    )
    outbox_relay()
    notice = Notification.objects.get(message__dedupe_key=f"allocation:{moved.pk}:inbox")
    assert notice.user == users["colleague"]
    assert "allocated the child" in notice.body
    assert "(Management decision)" in notice.body
    assert Notification.objects.filter(user=users["social_worker"]).count() == 1


def test_a_manager_who_takes_a_case_is_not_told_what_they_did(users: Any, child: Any) -> None:
    manager = users["team_manager"]
    services.allocate(actor=manager, child=child, worker=manager)
    assert not OutboxMessage.objects.filter(recipient_user=manager).exists()
