"""Receiving a batch: the queries it makes do not grow with its size, and a crash between
two of its chunks keeps whole what committed, leaves nothing half written, and a retry of
the whole batch duplicates nothing."""

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from safehub.audit.models import AuditEvent
from safehub.chronology import services as chronology_services
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.partners import services
from safehub.partners.codes import MatchState
from safehub.partners.models import PartnerEvent
from safehub.partners.tests.conftest import event
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


def nhs_numbers(count: int, start: int = 400000000) -> list[str]:
    """Valid NHS numbers (modulus 11 check digit), in order from `start`."""
    found: list[str] = []
    body = start
    while len(found) < count:
        digits = [int(d) for d in str(body)]
        check = 11 - sum(d * (10 - i) for i, d in enumerate(digits)) % 11
        if check != 10:
            found.append(f"{body}{0 if check == 11 else check}")
        body += 1
    return found


def children(count: int) -> list[Person]:
    return Person.objects.bulk_create(
        Person(
            kind="child",
            given_name=f"Child{n}",
            family_name="Batch",
            date_of_birth=date(2014, 1, 1),
            nhs_number=nhs,
            disabilities=["NONE"],
            upn_unknown="UN4",
        )
        for n, nhs in enumerate(nhs_numbers(count))
    )


def batch(prefix: str, kids: list[Person]) -> list[dict[str, Any]]:
    """One event per child by NHS number, one in four by name only (for the MASH)."""
    events = []
    for n, kid in enumerate(kids):
        if n % 4 == 3:
            events.append(
                event(
                    event_id=f"{prefix}{n}",
                    nhs_number=None,
                    given_name=kid.given_name,
                    family_name=kid.family_name,
                    date_of_birth="2014-01-01",
                    postcode="TE1 1AA",
                )
            )
        else:
            events.append(event(event_id=f"{prefix}{n}", nhs_number=kid.nhs_number))
    return events


def queries_to_receive(sender: Any, events: list[dict[str, Any]]) -> int:
    with CaptureQueriesContext(connection) as queries:
        outcomes = services.partner_events_receive(actor=sender, events=events)
    assert [o.outcome for o in outcomes] == ["accepted"] * len(events)
    return len(queries.captured_queries)


def test_the_queries_a_batch_makes_do_not_grow_with_its_size(senders, people):
    # SQLite splits an INSERT at 999 parameters (about 37 events a statement), PostgreSQL
    # does not, so each is tried at sizes where one statement a table is expected.
    small, large = (100, 1000) if connection.vendor == "postgresql" else (10, 30)
    kids = children(large)
    few = queries_to_receive(senders["school"], batch("S", kids[:small]))
    many = queries_to_receive(senders["school"], batch("L", kids))
    assert many == few
    filed = PartnerEvent.objects.filter(state=MatchState.MATCHED_BY_IDENTIFIER)
    assert filed.count() == small - small // 4 + large - large // 4
    entries = ChronologyEntry.objects.filter(source_type="partners.PartnerEvent")
    assert entries.count() == filed.count()
    assert ChronologyLink.objects.filter(entry__in=entries).count() == filed.count()
    waiting = PartnerEvent.objects.filter(state=MatchState.AWAITING, person__isnull=True)
    assert waiting.count() == small // 4 + large // 4  # by name: never filed


def test_a_crash_between_chunks_keeps_what_committed_and_a_retry_duplicates_nothing(
    senders, people, monkeypatch
):
    kids = children(6)
    events = (
        batch("C", kids[:4])
        + [  # C3 by name; the others by NHS number
            event(event_id=f"C{n}", nhs_number=kid.nhs_number) for n, kid in enumerate(kids[4:], 4)
        ]
    )
    monkeypatch.setattr(services, "COMMIT_EVERY", 2)

    # A real error in the real path: a chronology listener, run inside the transaction that
    # files the events, fails as C4's entry is appended (the third chunk's first event).
    def dies_on_c4(appended: list[Any]) -> None:
        if any("their reference C4." in entry.summary for entry, _ in appended):
            raise RuntimeError("the server went away")

    monkeypatch.setattr(chronology_services, "_listeners", [*chronology_services._listeners])
    chronology_services.on_append(dies_on_c4)
    with pytest.raises(RuntimeError):
        services.partner_events_receive(actor=senders["school"], events=events)
    # The first two chunks committed whole; of the third, C4 left nothing behind and C5,
    # after it, was never reached.
    kept = list(PartnerEvent.objects.order_by("pk").values_list("partner_event_id", flat=True))
    assert kept == ["C0", "C1", "C2", "C3"]
    assert _entries_per_event() == {"C0": 1, "C1": 1, "C2": 1}  # C3 was by name: it waits
    assert _audit_rows_per_event() == {f"C{n}": 1 for n in range(4)}

    chronology_services._listeners.remove(dies_on_c4)
    again = services.partner_events_receive(actor=senders["school"], events=events)
    assert [o.outcome for o in again] == ["already_received"] * 4 + ["accepted"] * 2
    assert PartnerEvent.objects.count() == 6
    assert _entries_per_event() == {f"C{n}": 1 for n in (0, 1, 2, 4, 5)}
    assert _audit_rows_per_event() == {f"C{n}": 1 for n in range(6)}


def test_an_id_sent_twice_in_one_batch_is_received_once(senders, people):
    first = event(event_id="T1")
    outcomes = services.partner_events_receive(
        actor=senders["school"], events=[first, first, {**first, "summary": "Other words."}]
    )
    assert [o.outcome for o in outcomes] == ["accepted", "already_received", "conflict"]
    assert PartnerEvent.objects.count() == 1
    assert ChronologyEntry.objects.filter(source_type="partners.PartnerEvent").count() == 1


def _entries_per_event() -> dict[str, int]:
    ids = dict(PartnerEvent.objects.values_list("pk", "partner_event_id"))
    found: dict[str, int] = {}
    for source_id in ChronologyEntry.objects.filter(
        source_type="partners.PartnerEvent"
    ).values_list("source_id", flat=True):
        found[ids[int(source_id)]] = found.get(ids[int(source_id)], 0) + 1
    return found


def _audit_rows_per_event() -> dict[str, int]:
    ids = dict(PartnerEvent.objects.values_list("pk", "partner_event_id"))
    found: dict[str, int] = {}
    rows = AuditEvent.objects.filter(
        action="create", object_type="partners.PartnerEvent", object_id__gt=""
    )
    for object_id in rows.values_list("object_id", flat=True):
        found[ids[int(object_id)]] = found.get(ids[int(object_id)], 0) + 1
    return found
