"""Matching partner events to records: identifiers file an event, names never do; the MASH
attaches, creates a record, or sends back, each checked by the policy and audited."""

from datetime import date
from typing import Any

import pytest
from conftest import make_person
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.casework.models import Allocation, CPPlan, Episode
from safehub.chronology import services as chronology_services
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.core.exceptions import BreakGlassRequired, NotFound, PermissionDeniedError
from safehub.notifications.models import OutboxMessage
from safehub.partners import services
from safehub.partners.codes import MatchState
from safehub.partners.models import PartnerEvent
from safehub.partners.tests.conftest import event
from safehub.people.models import Person

pytestmark = pytest.mark.django_db


def _receive(sender: Any, **fields: Any) -> PartnerEvent:
    outcome = services.partner_events_receive(actor=sender, events=[event(**fields)])[0]
    assert outcome.outcome == "accepted", outcome.reasons
    return PartnerEvent.objects.get(agency=sender.agency, partner_event_id=outcome.event_id)


def test_an_nhs_number_on_one_record_files_the_event_on_its_chronology(senders, people):
    filed = _receive(senders["police"], type="domestic_abuse_child_present", significance="high")
    amelia = people["involved"]
    assert (filed.person, filed.state) == (amelia, MatchState.MATCHED_BY_IDENTIFIER)
    entry = ChronologyEntry.objects.get(links__person=amelia, source_type="partners.PartnerEvent")
    assert entry.event_type == "PARTNER_DOMESTIC_ABUSE_CHILD_PRESENT"
    assert entry.category == "police"
    assert entry.significance == 3
    # Credited to the partner who sent it and their agency (ADR 0014); a date alone.
    assert entry.done_by == senders["police"]
    assert entry.source_agency == senders["police"].agency
    assert entry.time_known is False
    assert "Sent by Testshire Police through the API, their reference E1." in entry.summary


def test_a_upn_on_one_record_files_the_event(senders, people):
    people["same_team"].upn = "H801200001001"
    people["same_team"].save()
    filed = _receive(senders["school"], nhs_number=None, upn="H801200001001")
    assert filed.person == people["same_team"]


def test_nothing_is_filed_by_name_alone(senders, people):
    amelia = people["involved"]
    waiting = _receive(
        senders["school"],
        nhs_number=None,
        given_name=amelia.given_name,
        family_name=amelia.family_name,
        date_of_birth=str(amelia.date_of_birth),
        postcode="TE1 4AB",
    )
    assert (waiting.person, waiting.state) == (None, MatchState.AWAITING)
    assert not ChronologyLink.objects.filter(
        person=amelia, entry__source_type__startswith="partners"
    )


def test_an_identifier_on_two_records_or_two_identifiers_on_two_people_settle_nothing(
    senders, people
):
    make_person("Twin", "Hart", date(2015, 4, 3), nhs_number="4010232137")
    make_person("Other", "Hart", date(2015, 4, 3), nhs_number="4010232137")
    assert _receive(senders["school"], nhs_number="4010232137").state == MatchState.AWAITING
    people["unrelated"].upn = "H801200001001"
    people["unrelated"].save()
    clash = _receive(senders["school"], event_id="E2", upn="H801200001001")
    assert clash.state == MatchState.AWAITING


def test_the_candidate_engine_suggests_but_a_worker_decides(senders, users, people):
    from safehub.partners.selectors import partner_event_candidates

    amelia = people["involved"]
    waiting = _receive(
        senders["school"],
        nhs_number=None,
        given_name="Amelia",
        family_name="Hart",
        date_of_birth=str(amelia.date_of_birth),
        postcode="TE1 4AB",
    )
    suggested = partner_event_candidates(actor=users["mash_worker"], event=waiting)
    assert suggested[0].person == amelia
    services.partner_event_attach(actor=users["mash_worker"], event=waiting, person=amelia)
    waiting.refresh_from_db()
    assert (waiting.person, waiting.state, waiting.matched_by) == (
        amelia,
        MatchState.MATCHED_BY_WORKER,
        users["mash_worker"],
    )
    entry = ChronologyEntry.objects.get(links__person=amelia, source_type="partners.PartnerEvent")
    # Done by the school's DSL; entered in SafeHub by the MASH worker who matched it.
    assert (entry.done_by, entry.recorded_by) == (senders["school"], users["mash_worker"])
    assert AuditEvent.objects.filter(
        action="change", person_id=amelia.pk, object_type="partners.PartnerEvent"
    ).exists()


def test_attaching_twice_or_after_sending_back_is_refused(senders, users, people):
    waiting = _receive(senders["school"], nhs_number="9000000009")
    services.partner_event_attach(
        actor=users["mash_worker"], event=waiting, person=people["involved"]
    )
    stale = PartnerEvent.objects.get(pk=waiting.pk)
    stale.state = MatchState.AWAITING  # as a second worker's page still shows it
    with pytest.raises(ValidationError):
        services.partner_event_attach(
            actor=users["mash_worker"], event=stale, person=people["unrelated"]
        )
    assert ChronologyEntry.objects.filter(source_type="partners.PartnerEvent").count() == 1


def test_attaching_is_a_write_the_policy_checks_for_that_person(senders, users, people):
    waiting = _receive(senders["school"], nhs_number="9000000009")
    # A team manager triages, but may not change South's child or open a restricted one
    # without breaking the glass.
    with pytest.raises(NotFound):
        services.partner_event_attach(
            actor=users["team_manager"], event=waiting, person=people["unrelated"]
        )
    with pytest.raises(BreakGlassRequired):
        services.partner_event_attach(
            actor=users["mash_worker"], event=waiting, person=people["restricted"]
        )
    with pytest.raises(PermissionDeniedError):
        services.partner_event_attach(
            actor=users["social_worker"], event=waiting, person=people["involved"]
        )
    assert PartnerEvent.objects.get(pk=waiting.pk).state == MatchState.AWAITING


def test_a_new_record_from_an_event(senders, users, people):
    waiting = _receive(
        senders["school"],
        nhs_number=None,
        given_name="Kai",
        family_name="Newcomer",
        date_of_birth="2017-03-03",
        postcode="TE1 9ZZ",
    )
    person = services.partner_event_new_person(
        actor=users["mash_worker"],
        event=waiting,
        data={
            "kind": "child",
            "given_name": "Kai",
            "family_name": "Newcomer",
            "date_of_birth": date(2017, 3, 3),
        },
    )
    assert Person.objects.filter(pk=person.pk, family_name="Newcomer").exists()
    assert PartnerEvent.objects.get(pk=waiting.pk).person == person
    assert ChronologyLink.objects.filter(person=person, entry__event_type__startswith="PARTNER_")


def test_sending_back_needs_a_reason_and_keeps_the_event(senders, users, people):
    waiting = _receive(senders["school"], nhs_number="9000000009")
    with pytest.raises(ValidationError):
        services.partner_event_send_back(actor=users["mash_worker"], event=waiting, reason=" ")
    services.partner_event_send_back(
        actor=users["mash_worker"], event=waiting, reason="Not known at this address"
    )
    kept = PartnerEvent.objects.get(pk=waiting.pk)
    assert (kept.state, kept.sent_back_reason) == (
        MatchState.SENT_BACK,
        "Not known at this address",
    )


def test_restricted_information_stays_off_the_timeline(senders, people):
    _receive(senders["police"], type="exploitation_intelligence", restricted=True)
    entry = ChronologyEntry.objects.get(links__person=people["involved"])
    assert "Came to school hungry" not in entry.summary
    assert entry.summary.startswith("Restricted information from Testshire Police.")


def _on_a_plan(child: Any, worker: Any) -> None:
    from safehub.access.models import Involvement, InvolvementKind

    episode = Episode.objects.create(
        kind="cin", child=child, referral_date=date(2026, 1, 5), opened_by=worker
    )
    CPPlan.objects.create(
        episode=episode,
        child=child,
        start_date=date(2026, 3, 1),
        initial_category="NEG",
        latest_category="NEG",
    )
    involvement = Involvement.objects.create(
        person=child, kind=InvolvementKind.ALLOCATED_WORKER, user=worker, team=worker.team
    )
    Allocation.objects.create(
        child=child,
        worker=worker,
        team=worker.team,
        start_date=date(2026, 1, 5),
        reason="NEW",
        involvement=involvement,
        allocated_by=worker,
    )


def test_an_unscheduled_attendance_alerts_the_worker_of_a_child_on_a_plan(senders, users, people):
    _on_a_plan(people["involved"], users["social_worker"])
    _receive(senders["health"], type="ed_attendance", reason="Head injury")
    messages = OutboxMessage.objects.filter(recipient_user=users["social_worker"])
    assert messages.count() == 2  # the inbox and an e-mail
    inbox = messages.get(channel="inbox")
    assert inbox.subject == (
        f"Emergency department attendance for a child you hold (SafeHub ID {people['involved'].pk})"
    )
    assert "Amelia" not in inbox.body
    assert inbox.link == reverse("people:person-detail", args=[people["involved"].pk])


def test_no_alert_for_a_child_on_no_plan_or_for_a_scheduled_contact(senders, users, people):
    _receive(senders["health"], type="ed_attendance", reason="Fell off a bike")
    _on_a_plan(people["same_team"], users["colleague"])
    people["same_team"].nhs_number = "4010232137"
    people["same_team"].save()
    _receive(
        senders["health"], event_id="E2", type="health_visitor_contact", nhs_number="4010232137"
    )
    assert not OutboxMessage.objects.filter(subject__contains="for a child you hold").exists()


def test_a_crash_mid_batch_keeps_what_was_accepted_and_leaves_nothing_half_written(
    senders, people, monkeypatch
):
    """The server dies while filing the second event: the first stays whole, the second left
    nothing behind, and sending the batch again completes it without a duplicate."""

    # A real failure in the real path: a listener of the chronology, run in the transaction
    # that files the event, raises as E2's entry is appended.
    def dies_on_e2(appended):
        if any("their reference E2." in entry.summary for entry, _ in appended):
            raise RuntimeError("the server went away")

    batch = [event(event_id=f"E{i}", nhs_number="9434765919") for i in (1, 2, 3)]
    monkeypatch.setattr(chronology_services, "_listeners", [*chronology_services._listeners])
    chronology_services.on_append(dies_on_e2)
    with pytest.raises(RuntimeError):
        services.partner_events_receive(actor=senders["school"], events=batch)
    assert list(PartnerEvent.objects.values_list("partner_event_id", flat=True)) == ["E1"]
    entries = ChronologyEntry.objects.filter(source_type="partners.PartnerEvent")
    assert list(entries.values_list("source_id", flat=True)) == [str(PartnerEvent.objects.get().pk)]
    assert (
        AuditEvent.objects.filter(
            action="create", object_type="partners.PartnerEvent", object_id__gt=""
        ).count()
        == 1
    )
    chronology_services._listeners.remove(dies_on_e2)
    again = services.partner_events_receive(actor=senders["school"], events=batch)
    assert [o.outcome for o in again] == ["already_received", "accepted", "accepted"]
    assert entries.count() == 3
