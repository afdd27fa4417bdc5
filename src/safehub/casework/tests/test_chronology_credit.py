"""Who each casework chronology entry credits: the worker for their own work, the manager
for an authorisation, allocation or oversight, the chair for a conference; each with the
person who recorded it and when, and dated work shown with its date alone."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.urls import reverse

from safehub.casework import events, services
from safehub.casework.models import Episode
from safehub.chronology.selectors import chronology_all_for_person
from safehub.core.workdays import LONDON

pytestmark = pytest.mark.django_db

REFERRAL = date(2026, 9, 1)
TYPED_AT = datetime(2026, 11, 23, 16, 45, tzinfo=LONDON)
COUNCIL = "Testshire County Council"


@pytest.fixture
def episode(users: Any, people: Any) -> Episode:
    with time_machine.travel(TYPED_AT, tick=False):
        return services.episode_open(
            actor=users["social_worker"],
            child=people["involved"],
            kind="cin",
            referral_date=REFERRAL,
            referral_source="2A",
            primary_need="N1",
        )


def _casework(users: Any, episode: Episode) -> None:
    """A child's casework from assessment to a plan's review, each step by whoever does it."""
    sw, tm, chair = users["social_worker"], users["team_manager"], users["cp_chair_iro"]
    child = episode.child
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=REFERRAL)
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=REFERRAL, seen_alone=True
    )
    services.assessment_complete(
        actor=sw, assessment=assessment, completed_date=REFERRAL, factors=["16A"], summary="x"
    )
    services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=REFERRAL)
    strategy_on = REFERRAL + timedelta(days=7)
    services.strategy_record(
        actor=sw, episode=episode, held_on=strategy_on, participants="Police", outcome="s47"
    )
    enquiry = episode.enquiries.get()
    services.section47_conclude(actor=sw, enquiry=enquiry, end_date=strategy_on, outcome="icpc")
    conference = services.conference_initial(
        actor=chair,
        enquiry=enquiry,
        held_on=strategy_on + timedelta(days=14),
        outcome="plan",
        category="NEG",
    )
    plan = conference.plan
    assert plan is not None
    services.core_group_record(actor=sw, plan=plan, held_on=plan.start_date + timedelta(days=7))
    services.conference_review(
        actor=chair, plan=plan, held_on=plan.start_date + timedelta(days=59), outcome="continue"
    )
    services.visit_record(
        actor=sw, child=child, visited_on=plan.start_date + timedelta(days=9), child_seen=True
    )
    services.allocate(actor=tm, child=child, worker=users["colleague"], reason="")
    services.oversight_record(
        actor=tm, child=child, kind="supervision", held_on=date(2026, 11, 20), discussion="Plan"
    )
    services.note_record(actor=users["colleague"], child=child, text="Mum called", significant=True)


# Event -> who did it, as the timeline names them (all council staff here).
CREDITED = {
    events.EPISODE_OPENED: "Sw Tester",
    events.ASSESSMENT_STARTED: "Sw Tester",
    events.ASSESSMENT_CHILD_SEEN: "Sw Tester",
    events.ASSESSMENT_COMPLETED: "Sw Tester",
    events.ASSESSMENT_AUTHORISED: "Tm Tester",  # the sign-off is the manager's own entry
    events.STRATEGY_DISCUSSION: "Sw Tester",
    events.SECTION_47_STARTED: "Sw Tester",
    events.SECTION_47_CONCLUDED: "Sw Tester",
    events.CONFERENCE_HELD: "Chair Tester",
    events.CP_PLAN_STARTED: "Chair Tester",
    events.CORE_GROUP: "Sw Tester",
    events.VISIT: "Sw Tester",
    events.ALLOCATED: "Tm Tester",
    events.OVERSIGHT: "Tm Tester",
    events.CASE_NOTE: "Sw2 Tester",
}


def test_each_casework_entry_credits_who_did_it_and_who_recorded_it(
    users: Any, episode: Episode
) -> None:
    with time_machine.travel(TYPED_AT, tick=False):
        _casework(users, episode)
    entries = chronology_all_for_person(actor=users["social_worker"], person=episode.child).entries
    assert {e.event_type for e in entries} == set(CREDITED)
    for entry in entries:
        expected = CREDITED[entry.event_type]
        assert (entry.doer, entry.source_agency_name) == (expected, COUNCIL), entry
        # Who did it entered it, when they did (the typing time, not the event's date).
        assert entry.recorder_name == expected, entry
        assert entry.recorded_at == TYPED_AT, entry


def test_dated_casework_shows_its_date_and_a_note_its_time(users: Any, episode: Episode) -> None:
    with time_machine.travel(TYPED_AT, tick=False):
        _casework(users, episode)
    entries = chronology_all_for_person(actor=users["social_worker"], person=episode.child).entries
    # Allocating and writing a note happen as they are recorded; the rest carry a date.
    timed = {e.event_type for e in entries if e.time_known}
    assert timed == {events.CASE_NOTE, events.ALLOCATED}
    for entry in entries:
        if entry.time_known:
            assert entry.occurred_at == TYPED_AT
        else:
            assert entry.occurred_at.astimezone(LONDON).hour == 12
    visit = next(e for e in entries if e.event_type == events.VISIT)
    assert visit.occurred_at.astimezone(LONDON).date() == REFERRAL + timedelta(days=7 + 14 + 9)


def test_the_casework_page_shows_the_latest_chronology_with_times_and_people(
    users: Any, episode: Episode, client_for: Any
) -> None:
    with time_machine.travel(TYPED_AT, tick=False):
        _casework(users, episode)
    html = client_for("social_worker").get(
        reverse("casework:child-casework", args=[episode.child.pk])
    )
    page = html.content.decode()
    assert 'id="chronology"' in page
    assert page.count('<div class="moj-timeline__item">') == 10
    total = len(
        chronology_all_for_person(actor=users["social_worker"], person=episode.child).entries
    )
    assert f"Latest 10 of {total} entries, newest first." in page
    # The note, timed; the manager's supervision, dated only; each with its recorder.
    assert "by Sw2 Tester, Testshire County Council" in page
    assert "23 November 2026 at 4:45pm" in page
    assert "20 November 2026 (time not recorded)" in page
    assert "Recorded by Tm Tester on 23 November 2026 at 4:45pm" in page
