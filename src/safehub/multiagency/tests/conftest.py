"""A child's chronology fed the way partners feed it: events sent through
`POST /api/v1/partner-events` by a school, the police and the health trust."""

from typing import Any

import pytest

from safehub.partners.tests.conftest import event, send, senders  # noqa: F401 - fixtures


@pytest.fixture
def fed(senders: dict[str, Any], people: dict[str, Any]) -> dict[str, Any]:  # noqa: F811
    """Amelia (conftest's `involved` child) with four partner events, sent through the API:
    the school's welfare concern, a police domestic abuse call-out, an emergency attendance
    and a restricted police intelligence report."""
    sent = [
        (senders["school"], event(event_id="S1", occurred_at="2026-11-20")),
        (
            senders["police"],
            event(
                event_id="P1",
                type="domestic_abuse_child_present",
                occurred_at="2026-10-02T23:10:00+01:00",
                summary="Officers attended a domestic incident; Amelia was in the house.",
                significance="high",
            ),
        ),
        (
            senders["health"],
            event(
                event_id="H1",
                type="ed_attendance",
                occurred_at="2026-09-14",
                summary="Attended the emergency department with a cut hand.",
                reason="Cut hand",
                significance="low",
            ),
        ),
        (
            senders["police"],
            event(
                event_id="P2",
                type="exploitation_intelligence",
                occurred_at="2026-11-01",
                summary="Seen getting into cars with older men near the station.",
                significance="high",
                restricted=True,
            ),
        ),
    ]
    for sender, body in sent:
        answer = send(sender, [body]).json()
        assert answer["results"][0]["outcome"] == "accepted", answer
    return {"child": people["involved"], "senders": senders}
