"""The same events sent by several connections at once, and one waiting event worked by two
MASH workers at once: each event is saved once, filed once, and worked once."""

import threading
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from safehub.chronology.models import ChronologyEntry
from safehub.partners import services
from safehub.partners.models import PartnerEvent
from safehub.partners.tests.conftest import event


def _race(writers: int, act: Any) -> list[Any]:
    start = threading.Barrier(writers)
    results: list[Any] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait()
            result = act(n)
        except ValidationError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            results.append(result)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.mark.django_db(transaction=True)
def test_one_batch_sent_four_times_at_once_is_received_once(senders: Any, people: Any) -> None:
    batch = [event(event_id=f"E{i}") for i in range(5)]

    def send(n: int) -> list[str]:
        outcomes = services.partner_events_receive(actor=senders["school"], events=batch)
        return [o.outcome for o in outcomes]

    results = _race(4, send)
    for position in range(5):
        seen = sorted(r[position] for r in results)
        assert seen == ["accepted", "already_received", "already_received", "already_received"]
    assert PartnerEvent.objects.count() == 5
    assert ChronologyEntry.objects.filter(source_type="partners.PartnerEvent").count() == 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_matching_one_event_at_once_file_it_once(
    senders: Any, users: Any, people: Any
) -> None:
    services.partner_events_receive(
        actor=senders["school"], events=[event(nhs_number="9000000009")]
    )
    pk = PartnerEvent.objects.get().pk
    team = [users["mash_worker"], users["team_manager"]]

    def attach(n: int) -> str:
        services.partner_event_attach(
            actor=team[n % 2], event=PartnerEvent.objects.get(pk=pk), person=people["involved"]
        )
        return "saved"

    assert sorted(_race(4, attach)) == ["refused", "refused", "refused", "saved"]
    assert ChronologyEntry.objects.filter(source_type="partners.PartnerEvent").count() == 1
