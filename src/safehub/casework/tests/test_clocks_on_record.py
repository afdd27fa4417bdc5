"""The clocks the services start and stop, checked against the hand count: accepting a
referral starts the 45-working-day assessment clock at once (one clock, carried on by the
assessment); a decision to hold a strategy discussion has its own; the initial conference
runs from the latest strategy discussion; reviews are dated from the latest held."""

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from safehub.casework import selectors, services
from safehub.casework.models import DueItem, Episode
from safehub.chronology.models import ChronologyEntry
from safehub.core.tests import clock_by_hand as hand
from safehub.core.workdays import LONDON
from safehub.frontdoor import services as frontdoor
from safehub.frontdoor.tests.factories import public_submission

pytestmark = pytest.mark.django_db

REFERRAL = date(2025, 3, 3)  # a Monday
PLACEMENT = {
    "legal_status": "C1",
    "placement_type": "U6",
    "provider": "PR1",
    "carer_name": "Mr and Mrs Oak",
    "home_postcode": "te1 4ab",
    "placement_postcode": "TE2 9ZZ",
}


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]


@pytest.fixture
def episode(sw: Any, child: Any) -> Episode:
    return services.episode_open(
        actor=sw,
        child=child,
        kind="cin",
        referral_date=REFERRAL,
        referral_source="2A",
        primary_need="N1",
    )


def _refer(users: Any, child: Any, decision: str) -> Episode:
    """A public report about `child`, linked, rated, decided and signed off now."""
    contact, _ = frontdoor.contact_submit(actor=None, channel="public", data=public_submission())
    mash = users["mash_worker"]
    frontdoor.contact_link_subject(
        actor=mash, contact=contact, subject=contact.subjects.get(), person=child
    )
    frontdoor.contact_rate(
        actor=mash, contact=contact, expected_version=contact.version, rag="red", level_of_need="4"
    )
    frontdoor.contact_decide(
        actor=mash,
        contact=contact,
        expected_version=contact.version,
        decision=decision,
        reasons="x",
        primary_need="N1",
    )
    frontdoor.contact_sign_off(
        actor=users["team_manager"], contact=contact, expected_version=contact.version, approve=True
    )
    return Episode.objects.get(child=child, contact=contact)


def _at(year: int, month: int, day: int, hour: int) -> datetime:
    return datetime(year, month, day, hour, tzinfo=LONDON)


def _open(child: Any, kind: str) -> list[DueItem]:
    return list(DueItem.objects.filter(child=child, kind=kind, done_on__isnull=True))


@pytest.mark.parametrize(
    "when",
    [
        # The Friday evening before the spring bank holiday.
        datetime(2026, 5, 22, 17, 30, tzinfo=LONDON),
        datetime(2026, 12, 24, 9, 0, tzinfo=LONDON),  # Christmas Eve morning
        datetime(2027, 3, 27, 11, 0, tzinfo=LONDON),  # the Saturday of Easter weekend
        datetime(2028, 2, 29, 8, 45, tzinfo=LONDON),  # the leap day
    ],
)
def test_accepting_a_referral_starts_the_assessment_clock_at_once(
    users: Any, child: Any, when: datetime
) -> None:
    with time_machine.travel(when, tick=False):
        episode = _refer(users, child, "assessment")
    (item,) = _open(child, "assessment")
    assert item.due_date == hand.working_days_after(when.date(), 45)
    assert (item.source_type, item.source_id) == ("casework.Episode", str(episode.pk))
    # Nobody starts the assessment: it is overdue the day after, on the worker's pages too.
    after = selectors.child_casework(child=child, today=item.due_date + timedelta(days=1))
    assert [d.item.label for d in after.due if d.overdue] == [
        "Complete the child and family assessment"
    ]
    on_the_day = selectors.child_casework(child=child, today=item.due_date)
    assert not any(d.overdue for d in on_the_day.due)


def test_starting_and_completing_the_assessment_uses_the_same_clock(
    users: Any, sw: Any, child: Any
) -> None:
    episode = _refer(users, child, "assessment")
    (registered,) = _open(child, "assessment")
    assessment = services.assessment_start(
        actor=sw, episode=episode, start_date=episode.referral_date
    )
    (carried,) = _open(child, "assessment")
    assert carried.pk == registered.pk
    assert carried.due_date == registered.due_date == assessment.due_date
    assert (carried.source_type, carried.source_id) == ("casework.Assessment", str(assessment.pk))
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=episode.referral_date, seen_alone=True
    )
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=episode.referral_date,
        factors=["21"],
        summary="No factors",
    )
    assert _open(child, "assessment") == []
    assert DueItem.objects.filter(child=child, kind="assessment").count() == 1


def test_an_episode_opened_by_hand_has_its_assessment_clock_from_the_referral(
    child: Any, episode: Episode
) -> None:
    (item,) = _open(child, "assessment")
    assert item.due_date == hand.working_days_after(REFERRAL, 45)


@pytest.mark.parametrize(
    ("when", "due"),
    [
        (_at(2026, 11, 23, 10), date(2026, 11, 24)),  # a Monday: Tuesday
        (_at(2026, 11, 27, 16), date(2026, 11, 30)),  # a Friday: Monday
        (_at(2026, 11, 28, 10), date(2026, 11, 30)),  # a Saturday: Monday too
        (_at(2026, 12, 24, 15), date(2026, 12, 29)),  # Christmas Eve: Tuesday 29th
        (_at(2027, 4, 30, 12), date(2027, 5, 4)),  # before the early May holiday
    ],
)
def test_a_decision_to_hold_a_strategy_discussion_has_its_own_clock(
    users: Any, sw: Any, child: Any, when: datetime, due: date
) -> None:
    with time_machine.travel(when, tick=False):
        episode = _refer(users, child, "strategy")
    (item,) = _open(child, "strategy")
    assert item.due_date == due == hand.working_days_after(when.date(), 1)
    assert len(_open(child, "assessment")) == 1  # a referral all the same
    with time_machine.travel(datetime.combine(due, datetime.min.time(), tzinfo=LONDON)):
        services.strategy_record(
            actor=sw, episode=episode, held_on=due, participants="Police", outcome="no_s47"
        )
    assert _open(child, "strategy") == []


@override_settings(STRATEGY_DISCUSSION_WORKING_DAYS=2)
def test_the_council_sets_the_strategy_discussion_timescale(users: Any, child: Any) -> None:
    _refer(users, child, "strategy")  # Monday 23 November 2026
    (item,) = _open(child, "strategy")
    assert item.due_date == date(2026, 11, 25)


def _strategy(sw: Any, episode: Episode, held_on: date) -> None:
    services.strategy_record(
        actor=sw, episode=episode, held_on=held_on, participants="Police", outcome="s47"
    )


def test_the_initial_conference_runs_from_the_last_strategy_discussion(
    sw: Any, child: Any, episode: Episode
) -> None:
    _strategy(sw, episode, date(2025, 12, 12))
    _strategy(sw, episode, date(2025, 12, 19))  # a second discussion, the Friday before Christmas
    enquiry = episode.enquiries.get()  # one enquiry, carried on
    expected = hand.working_days_after(date(2025, 12, 19), 15)
    assert expected == date(2026, 1, 14)
    assert enquiry.icpc_target == expected
    assert enquiry.start_date == date(2025, 12, 12)  # the census start date stays the first
    (item,) = _open(child, "icpc")
    assert item.due_date == expected


def test_discussions_recorded_out_of_order_date_the_conference_from_the_latest_held(
    sw: Any, child: Any, episode: Episode
) -> None:
    _strategy(sw, episode, date(2025, 4, 10))
    _strategy(sw, episode, date(2025, 4, 24))  # after Easter 2025
    _strategy(sw, episode, date(2025, 4, 15))  # typed up late, held before the last one
    enquiry = episode.enquiries.get()
    assert enquiry.icpc_target == hand.working_days_after(date(2025, 4, 24), 15)
    (item,) = _open(child, "icpc")
    assert item.due_date == enquiry.icpc_target


def test_any_later_discussion_of_the_enquiry_is_the_last_strategy_discussion(
    sw: Any, child: Any, episode: Episode
) -> None:
    _strategy(sw, episode, date(2026, 4, 2))  # Maundy Thursday 2026
    services.strategy_record(
        actor=sw,
        episode=episode,
        held_on=date(2026, 4, 7),  # the Tuesday after Easter
        participants="Police, health",
        outcome="no_s47",
    )
    enquiry = episode.enquiries.get()
    assert enquiry.icpc_target == hand.working_days_after(date(2026, 4, 7), 15)
    (item,) = _open(child, "icpc")
    assert item.due_date == enquiry.icpc_target


def test_a_discussion_after_the_enquiry_concluded_for_a_conference_moves_its_clock(
    users: Any, sw: Any, child: Any, episode: Episode
) -> None:
    _strategy(sw, episode, date(2025, 5, 1))
    enquiry = episode.enquiries.get()
    services.section47_conclude(
        actor=sw, enquiry=enquiry, end_date=date(2025, 5, 9), outcome="icpc"
    )
    _strategy(sw, episode, date(2025, 5, 12))  # new information before the conference
    enquiry.refresh_from_db()
    assert episode.enquiries.count() == 1
    assert enquiry.icpc_target == hand.working_days_after(date(2025, 5, 12), 15)
    # Held on the moved target: on time, 15 working days after the latest discussion.
    services.conference_initial(
        actor=users["cp_chair_iro"],
        enquiry=enquiry,
        held_on=enquiry.icpc_target,
        outcome="plan",
        category="NEG",
    )
    held = ChronologyEntry.objects.get(event_type="CONFERENCE_HELD")
    assert "after the 15-working-day timescale" not in held.summary
    assert _open(child, "icpc") == []


def _plan(users: Any, sw: Any, episode: Episode, icpc: date) -> Any:
    _strategy(sw, episode, icpc - timedelta(days=14))
    enquiry = episode.enquiries.get()
    services.section47_conclude(actor=sw, enquiry=enquiry, end_date=icpc, outcome="icpc")
    conference = services.conference_initial(
        actor=users["cp_chair_iro"], enquiry=enquiry, held_on=icpc, outcome="plan", category="NEG"
    )
    return conference.plan


def _review(users: Any, plan: Any, held_on: date, outcome: str = "continue") -> None:
    services.conference_review(
        actor=users["cp_chair_iro"], plan=plan, held_on=held_on, outcome=outcome
    )


def test_the_first_cp_review_due_on_easter_monday_is_held_by_the_thursday(
    users: Any, sw: Any, child: Any
) -> None:
    with time_machine.travel(datetime(2028, 1, 20, 10, 0, tzinfo=LONDON)):
        episode = services.episode_open(
            actor=sw, child=child, kind="cin", referral_date=date(2027, 12, 20), primary_need="N1"
        )
        _plan(users, sw, episode, date(2028, 1, 17))
    (item,) = _open(child, "cp_review")
    # Three months after Monday 17 January 2028 is Easter Monday 17 April; Good Friday too.
    assert item.due_date == date(2028, 4, 13) == hand.on_or_before(date(2028, 4, 17))


def test_the_next_cp_review_is_dated_from_the_latest_held_not_the_last_recorded(
    users: Any, sw: Any, child: Any, episode: Episode
) -> None:
    plan = _plan(users, sw, episode, date(2025, 4, 1))
    _review(users, plan, date(2025, 12, 30))  # the second review, recorded first
    _review(users, plan, date(2025, 6, 30))  # the first, typed up afterwards
    (item,) = _open(child, "cp_review")
    # Six months after 30 December 2025 is Tuesday 30 June 2026.
    assert item.due_date == hand.on_or_before(hand.months_after(date(2025, 12, 30), 6))
    assert item.due_date == date(2026, 6, 30)
    with pytest.raises(ValidationError, match="later review"):
        _review(users, plan, date(2025, 9, 1), outcome="end")


def test_the_next_cin_review_is_dated_from_the_latest_held(
    sw: Any, child: Any, episode: Episode
) -> None:
    plan = services.cin_plan_start(actor=sw, episode=episode, start_date=REFERRAL)
    services.cin_plan_review(actor=sw, plan=plan, held_on=date(2025, 11, 28))
    services.cin_plan_review(actor=sw, plan=plan, held_on=date(2025, 5, 30))  # recorded late
    (item,) = _open(child, "cin_review")
    # Six months after Friday 28 November 2025 is Thursday 28 May 2026.
    assert item.due_date == date(2026, 5, 28)
    assert item.due_date == hand.on_or_before(hand.months_after(date(2025, 11, 28), 6))


def test_the_next_looked_after_review_is_dated_from_the_latest_held(
    sw: Any, child: Any, episode: Episode
) -> None:
    period = services.care_start(
        actor=sw, episode=episode, start_date=date(2025, 4, 1), placement=PLACEMENT
    )
    services.care_review_record(
        actor=sw, period=period, held_on=date(2025, 7, 25), participation="PN1"
    )
    services.care_review_record(
        actor=sw, period=period, held_on=date(2025, 4, 25), participation="PN1"
    )  # late
    (item,) = _open(child, "care_review")
    # The third review: six months after the latest, Friday 25 July 2025, is Sunday 25
    # January 2026, so it is held by Friday 23 January.
    assert item.due_date == date(2026, 1, 23)
    assert item.due_date == hand.on_or_before(hand.months_after(date(2025, 7, 25), 6))


def test_the_casework_page_says_how_the_child_took_part_in_words(
    sw: Any, child: Any, episode: Episode, client_for: Any
) -> None:
    period = services.care_start(
        actor=sw, episode=episode, start_date=date(2025, 4, 1), placement=PLACEMENT
    )
    services.care_review_record(
        actor=sw, period=period, held_on=date(2025, 4, 25), participation="PN6"
    )
    page = client_for("social_worker").get(f"/children/{child.pk}/casework/").content.decode()
    assert (
        "(the child's participation: child did not attend but conveyed their views another way)"
        in page
    )
    assert "PN6" not in page
