"""POST /api/v1/partner-events: per-event answers, idempotency, conflicts, the vocabulary
of each kind of agency, the batch limit, the policy and the audit trail."""

from datetime import date
from typing import Any

import pytest
from conftest import make_person
from django.test import Client
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.partners.codes import MatchState
from safehub.partners.models import PartnerEvent
from safehub.partners.services import MAX_BATCH
from safehub.partners.tests.conftest import bearer, event, send

pytestmark = pytest.mark.django_db


def _batch() -> list[dict[str, Any]]:
    return [
        event(event_id="E1"),
        event(event_id="E2", type="suspension", summary="Suspended for two days."),
        event(
            event_id="E3",
            nhs_number=None,
            given_name="Kai",
            family_name="Nobody",
            date_of_birth="2016-02-02",
            postcode="TE1 9ZZ",
        ),
    ]


def test_the_same_batch_sent_ten_times_gives_one_entry_per_event(senders, people):
    headers = bearer(senders["school"])
    answers = [send(senders["school"], _batch(), headers).json() for _ in range(10)]
    assert [r["outcome"] for r in answers[0]["results"]] == ["accepted"] * 3
    for later in answers[1:]:
        assert [r["outcome"] for r in later["results"]] == ["already_received"] * 3
        assert later["accepted"] == 0
    assert PartnerEvent.objects.count() == 3
    amelia = people["involved"]
    # Two events name Amelia's NHS number: each is on her timeline once.
    assert ChronologyLink.objects.filter(person=amelia).count() == 2
    assert PartnerEvent.objects.filter(state=MatchState.AWAITING).count() == 1


def test_an_identifier_match_tells_a_sender_who_may_see_the_child_her_id(senders, people):
    # The school contributes to Amelia's case (conftest), so it may know her record.
    result = send(senders["school"], [event()]).json()["results"][0]
    assert result == {
        "index": 0,
        "event_id": "E1",
        "outcome": "accepted",
        "match": "matched",
        "person_id": people["involved"].pk,
        "reasons": [],
    }


def test_a_sender_who_may_not_see_the_child_is_not_told_the_child_is_known(senders, people):
    people["unrelated"].nhs_number = "4010232137"
    people["unrelated"].save()
    filed = send(senders["school"], [event(nhs_number="4010232137")]).json()["results"][0]
    queued = send(senders["school"], [event(event_id="E2", nhs_number="9000000009")]).json()[
        "results"
    ][0]
    # Filed on Isla's record, which the school may not see; the other waits for the MASH.
    assert PartnerEvent.objects.get(partner_event_id="E1").person == people["unrelated"]
    assert PartnerEvent.objects.get(partner_event_id="E2").person is None
    # The sender gets the same answer for both.
    for result in (filed, queued):
        assert (result["match"], result["person_id"]) == ("received", None)


def test_same_id_with_different_content_is_a_conflict_and_changes_nothing(senders, people):
    headers = bearer(senders["school"])
    send(senders["school"], [event()], headers)
    answer = send(senders["school"], [event(summary="Something else entirely.")], headers).json()
    result = answer["results"][0]
    assert result["outcome"] == "conflict"
    assert "different content" in result["reasons"][0]
    assert answer["conflicts"] == 1
    assert PartnerEvent.objects.get().summary.startswith("Came to school hungry")
    assert ChronologyLink.objects.filter(person=people["involved"]).count() == 1


def test_the_same_event_id_from_two_agencies_is_two_events(senders, people):
    send(senders["school"], [event()])
    send(senders["police"], [event(type="missing_episode")])
    assert PartnerEvent.objects.count() == 2


def test_an_agency_cannot_send_another_kinds_types(senders, people):
    results = send(
        senders["school"],
        [event(event_id="A", type="household_adult_arrested"), event(event_id="B", type="x")],
    ).json()["results"]
    assert results[0]["outcome"] == "rejected"
    assert results[0]["reasons"] == [
        "Your agency cannot send 'Adult in the household arrested': only police agencies send it"
    ]
    assert results[1]["reasons"] == [
        "The type 'x' is not one SafeHub knows; the template lists the types"
    ]
    # A voluntary group has no vocabulary at all.
    voluntary = send(senders["voluntary"], [event()]).json()["results"][0]
    assert voluntary["outcome"] == "rejected"
    assert not PartnerEvent.objects.exists()


def test_each_kind_of_agency_sends_its_own_types(senders, people):
    sent = {
        "police": event(type="domestic_abuse_child_present"),
        "health": event(type="ed_attendance", reason="Burn to the hand"),
        "housing": event(type="eviction_notice"),
        "adult": event(type="mental_health_crisis"),
    }
    for who, body in sent.items():
        assert send(senders[who], [body]).json()["results"][0]["outcome"] == "accepted", who


def test_bad_events_are_refused_one_by_one_in_plain_english(senders, people):
    tomorrow = "2026-11-24"
    answer = send(
        senders["school"],
        [
            event(event_id="ok"),
            event(event_id="future", occurred_at=tomorrow),
            event(event_id="nhs", nhs_number="943 476 5918"),
            event(event_id="upn", nhs_number=None, upn="B801200001001"),
            event(event_id="long", summary="x" * 501),
            event(event_id="who", nhs_number=None),
            event(event_id="half", nhs_number=None, given_name="Kai", family_name="Lee"),
            event(
                event_id="born",
                nhs_number=None,
                given_name="Kai",
                family_name="Lee",
                date_of_birth="2020-01-01",
                postcode="TE1 4AB",
                occurred_at="2019-06-01",
            ),
            event(event_id="period", type="attendance"),
            event(event_id="gp", type="ed_attendance"),
            "not an object",
        ],
    ).json()
    reasons = {r["event_id"] or r["index"]: r["reasons"] for r in answer["results"]}
    assert answer["accepted"] == 1
    assert answer["rejected"] == 10
    assert reasons["future"] == ["The date it happened cannot be in the future"]
    assert reasons["nhs"] == ["Enter a valid 10-digit NHS number, like 943 476 5919"]
    assert reasons["upn"] == ["The first letter of the UPN does not match the rest of the number"]
    assert reasons["long"] == ["The summary must be 500 characters or fewer"]
    assert reasons["who"][0].startswith("Say who the event is about")
    assert reasons["half"] == [
        "Without an NHS number or UPN, give the first name, last name, date of birth and "
        "postcode (missing: date of birth, postcode)"
    ]
    assert reasons["born"] == ["The date it happened is before the date of birth"]
    assert reasons["period"] == [
        "School attendance for a period needs the start and end of the period",
        "School attendance for a period needs the attendance percent for the period",
    ]
    assert reasons["gp"] == [
        "Your agency cannot send 'Emergency department attendance': only health agencies send it"
    ]
    assert reasons[10] == ["Each event must be a set of named fields (a JSON object)"]
    assert PartnerEvent.objects.count() == 1


def test_more_than_the_batch_limit_is_refused_whole_with_413(senders, people):
    response = send(senders["school"], [event(event_id=str(i)) for i in range(MAX_BATCH + 1)])
    assert response.status_code == 413
    assert "up to 1,000 events" in response.json()["message"]
    assert not PartnerEvent.objects.exists()


def test_a_full_batch_of_the_limit_is_accepted(senders, people):
    events = [
        event(event_id=str(i), nhs_number=None, upn="H801200001001", summary="Absent.")
        for i in range(MAX_BATCH)
    ]
    answer = send(senders["school"], events).json()
    assert answer["accepted"] == MAX_BATCH


@pytest.mark.parametrize(
    "role", ["mash_worker", "social_worker", "team_manager", "performance_analyst"]
)
def test_only_partners_with_the_capability_may_send(role, users, people):
    response = send(users[role], [event()])
    assert response.status_code == 403
    assert response.json()["message"] == "Only partner agencies send partner events."
    assert not PartnerEvent.objects.exists()
    refused = AuditEvent.objects.get(object_type="partners.PartnerEvent")
    assert (refused.action, refused.actor, refused.channel) == ("refused", users[role], "api")


def test_without_a_token_nothing_is_received(people):
    response = Client().post(
        reverse("api-v1:partner_events_submit_api"),
        '{"events": []}',
        content_type="application/json",
    )
    assert response.status_code == 401


def test_every_call_and_every_accepted_event_is_audited(senders, people):
    send(senders["school"], [event(), event(event_id="bad", type="nope")])
    rows = AuditEvent.objects.filter(object_type="partners.PartnerEvent").order_by("pk")
    call, accepted = rows
    assert call.detail == {"batch": 2, "channel": "api"}
    assert call.actor == senders["school"]
    assert call.channel == "api"
    assert accepted.person_id == people["involved"].pk
    assert accepted.object_id == str(PartnerEvent.objects.get().pk)


def test_a_sent_back_event_is_listed_for_its_agency_only(senders, users, people):
    from safehub.partners.services import partner_event_send_back

    send(senders["school"], [event(nhs_number="9000000009")])
    partner_event_send_back(
        actor=users["mash_worker"],
        event=PartnerEvent.objects.get(),
        reason="No child with these details lives in Testshire",
    )
    url = reverse("api-v1:partner_events_sent_back_api")
    mine = Client().get(url, **bearer(senders["school"])).json()
    assert [(e["event_id"], e["reason"]) for e in mine] == [
        ("E1", "No child with these details lives in Testshire")
    ]
    assert Client().get(url, **bearer(senders["police"])).json() == []
    assert Client().get(url, **bearer(users["social_worker"])).status_code == 403
    # Sending it again tells the sender it came back, and why.
    again = send(senders["school"], [event(nhs_number="9000000009")]).json()["results"][0]
    assert (again["outcome"], again["match"]) == ("already_received", "sent_back")
    assert again["reasons"] == ["No child with these details lives in Testshire"]


def test_an_event_before_the_records_date_of_birth_waits_for_the_mash(senders, people):
    make_person("Baby", "Hart", date(2026, 11, 21), nhs_number="4010232137")
    send(senders["school"], [event(nhs_number="4010232137", occurred_at="2026-11-20")])
    assert PartnerEvent.objects.get().state == MatchState.AWAITING
