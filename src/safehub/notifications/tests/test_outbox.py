"""The outbox: a message exists exactly when its change commits, and delivery after a crash
never shows the recipient the same message twice."""

from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from safehub.notifications import services
from safehub.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def _enqueue(**kw: Any) -> OutboxMessage:
    defaults = {"channel": "inbox", "dedupe_key": "k", "subject": "Outcome", "body": "NFA"}
    return services.outbox_enqueue(**{**defaults, **kw})


def test_a_rolled_back_change_leaves_no_message(users: Any) -> None:
    def change_then_fail() -> None:
        with transaction.atomic():
            _enqueue(user=users["partner_practitioner"])
            raise RuntimeError("the business change failed")

    with pytest.raises(RuntimeError):
        change_then_fail()
    assert not OutboxMessage.objects.exists()


def test_the_relay_delivers_inbox_and_email(users: Any) -> None:
    dsl = users["partner_practitioner"]
    _enqueue(dedupe_key="a", user=dsl)
    _enqueue(dedupe_key="b", channel="email", email="pat@example.com")
    assert services.outbox_relay() == 2
    assert Notification.objects.get().user == dsl
    assert mail.outbox[0].to == ["pat@example.com"]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
    assert services.outbox_relay() == 0  # nothing sent twice


def test_a_crash_after_delivery_before_marking_sent_does_not_duplicate(
    users: Any, monkeypatch: Any
) -> None:
    inbox = _enqueue(dedupe_key="a", user=users["partner_practitioner"])
    email = _enqueue(dedupe_key="b", channel="email", email="pat@example.com")
    # First pass: delivered, then the relay "dies" before recording it.
    services.deliver(inbox)
    services.deliver(email)
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 2
    services.outbox_relay()  # the restarted relay delivers again
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 2
    ids = {m.extra_headers["Message-ID"] for m in mail.outbox}
    assert ids == {email.message_id}  # one Message-ID: the mail client shows one message


def test_failures_back_off_then_dead_letter(monkeypatch: Any) -> None:
    message = _enqueue(channel="email", email="pat@example.com")

    def refuse(msg: Any) -> None:
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(services, "deliver", refuse)
    services.outbox_relay()
    message.refresh_from_db()
    assert message.attempts == 1
    assert "SMTP down" in message.last_error
    assert message.available_at > message.created_at  # waits before the next try
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=services.MAX_ATTEMPTS - 1, available_at=message.created_at
    )
    services.outbox_relay()
    message.refresh_from_db()
    assert message.dead_at is not None
    assert message.sent_at is None


def test_the_same_event_enqueued_twice_is_one_message(users: Any) -> None:
    _enqueue(user=users["partner_practitioner"])
    _enqueue(user=users["partner_practitioner"])
    assert OutboxMessage.objects.count() == 1


def test_after_commit_the_message_is_offered_at_once(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _enqueue(user=users["partner_practitioner"])
    assert Notification.objects.count() == 1


def test_a_message_to_a_team_waits_for_the_relay(
    users: Any, django_capture_on_commit_callbacks: Any
) -> None:
    team = [users["mash_worker"], users["mash_manager"]]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.notify_team(users=team, key="notice:9", subject="S", body="B", link="/x")
    # Nothing is delivered in the request that raised it, however large the team.
    assert callbacks == []
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 4  # inbox + e-mail
    assert services.outbox_relay() == 4
    told = Notification.objects.values_list("user__username", flat=True)
    assert sorted(told) == ["mash", "mashlead"]
    keys = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    assert f"notice:9:{users['mash_worker'].pk}:inbox" in keys
    # Told again of the same event: nothing new, as for one person.
    services.notify_team(users=team, key="notice:9", subject="S", body="B", link="/x")
    assert OutboxMessage.objects.count() == 4


def test_a_team_is_told_in_one_statement_whatever_its_size(
    users: Any, council: Any, django_assert_max_num_queries: Any
) -> None:
    from conftest import make_user

    from safehub.access.roles import Role

    team = [make_user(f"m{n}", Role.MASH_WORKER, council["teams"]["MASH"]) for n in range(20)]
    with django_assert_max_num_queries(2):  # the insert, in a savepoint on some databases
        services.notify_team(users=team, key="notice:10", subject="S", body="B", link="/x")
    assert OutboxMessage.objects.filter(dedupe_key__startswith="notice:10:").count() == 40


def test_the_inbox_page_shows_own_and_agency_messages_only(
    users: Any, council: Any, client_for: Any
) -> None:
    _enqueue(dedupe_key="mine", user=users["partner_practitioner"], subject="For the DSL")
    _enqueue(dedupe_key="agency", agency=council["school"], subject="For the school")
    _enqueue(dedupe_key="other", agency=council["trust"], subject="For the trust")
    services.outbox_relay()
    page = client_for("partner_practitioner").get(reverse("notifications:inbox")).content
    assert b"For the DSL" in page
    assert b"For the school" in page
    assert b"For the trust" not in page


@pytest.mark.django_db(transaction=True)
def test_two_relays_at_once_send_each_message_once(users: Any, monkeypatch: Any) -> None:
    """On PostgreSQL the relays claim rows with SKIP LOCKED; on SQLite writes serialise."""
    import threading

    from django.db import connection

    monkeypatch.setattr(services, "_deliver_soon", lambda pk: None)  # leave it to the relays

    for i in range(30):
        _enqueue(dedupe_key=f"m{i}", channel="email", email=f"p{i}@example.com")

    def run() -> None:
        try:
            services.outbox_relay()
        except Exception:  # noqa: S110 - SQLite may report "locked"; retried below
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    services.outbox_relay()  # whatever a crashed relay left
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    # What the recipients see: one message each, whatever the retries.
    assert len({m.extra_headers["Message-ID"] for m in mail.outbox}) == 30
    if connection.vendor == "postgresql":
        assert len(mail.outbox) == 30  # SKIP LOCKED: no row was even sent twice
