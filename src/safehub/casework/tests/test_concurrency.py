"""Two workers acting on the same casework record at once: one succeeds, the other is told
plainly why not; nothing is silently overwritten. On PostgreSQL the row locks serve them one
after the other; on SQLite each transaction takes the database's write lock as it begins
(IMMEDIATE), so they are served one after the other there too, with the same outcome."""

import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from safehub.casework import services
from safehub.casework.models import (
    Assessment,
    CINPlan,
    Conference,
    CPPlan,
    Episode,
    PeriodOfCare,
    Section47,
)


def _race(writers: int, act: Any) -> list[str]:
    start = threading.Barrier(writers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(n: int) -> None:
        try:
            start.wait()
            act(n)
            result = "saved"
        except ValidationError:
            result = "refused"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
def test_two_workers_completing_one_assessment(users: Any, people: Any) -> None:
    sw, colleague = users["social_worker"], users["colleague"]
    episode = services.episode_open(
        actor=sw,
        child=people["involved"],
        kind="cin",
        referral_date=date(2026, 1, 5),
        primary_need="N1",
    )
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=date(2026, 1, 5))
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=date(2026, 1, 6), seen_alone=True
    )
    from safehub.access.models import Involvement

    Involvement.objects.create(
        person=people["involved"], kind="allocated_worker", user=colleague, team=colleague.team
    )

    def complete(n: int) -> None:
        services.assessment_complete(
            actor=(sw, colleague)[n % 2],
            assessment=Assessment.objects.get(pk=assessment.pk),
            completed_date=date(2026, 1, 20),
            factors=["16A"],
            summary=f"Summary {n}",
        )

    assert _race(4, complete) == ["refused", "refused", "refused", "saved"]
    assessment.refresh_from_db()
    assert assessment.summary.startswith("Summary ")


@pytest.mark.django_db(transaction=True)
def test_two_workers_moving_one_child_to_different_placements(users: Any, people: Any) -> None:
    sw = users["social_worker"]
    episode = services.episode_open(
        actor=sw,
        child=people["involved"],
        kind="cin",
        referral_date=date(2026, 1, 5),
        primary_need="N1",
    )
    placement = {
        "legal_status": "V2",
        "placement_type": "U6",
        "provider": "PR1",
        "carer_name": "Carer A",
    }
    period = services.care_start(
        actor=sw, episode=episode, start_date=date(2026, 1, 6), placement=placement
    )

    def move(n: int) -> None:
        services.care_change(
            actor=sw,
            period=PeriodOfCare.objects.get(pk=period.pk),
            change_date=date(2026, 2, 1),
            placement={**placement, "carer_name": f"Carer {n}"},
            reason_place_change="CARPL",
        )

    # The second mover waits for the first, then finds the placement already changed and
    # is told so; exactly one open placement remains.
    assert _race(2, move) == ["refused", "saved"]
    assert period.episodes.filter(end_date__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_initial_conference_recorded_twice_at_once(users: Any, people: Any) -> None:
    sw, chair = users["social_worker"], users["cp_chair_iro"]
    episode = services.episode_open(
        actor=sw,
        child=people["involved"],
        kind="cin",
        referral_date=date(2026, 1, 5),
        primary_need="N1",
    )
    services.strategy_record(
        actor=sw,
        episode=episode,
        held_on=date(2026, 1, 5),
        participants="Police, health",
        outcome="s47",
    )
    enquiry = services.section47_conclude(
        actor=sw, enquiry=episode.enquiries.get(), end_date=date(2026, 1, 9), outcome="icpc"
    )

    def record(n: int) -> None:
        services.conference_initial(
            actor=chair,
            enquiry=Section47.objects.get(pk=enquiry.pk),
            held_on=date(2026, 1, 20),
            outcome="plan",
            category=("NEG", "EMO")[n % 2],
        )

    # The second waits for the first, then is told the conference is already recorded
    # (not a database error from the one-open-plan constraint).
    assert _race(2, record) == ["refused", "saved"]
    assert Conference.objects.filter(section47=enquiry).count() == 1
    assert CPPlan.objects.filter(child=people["involved"]).count() == 1


@pytest.mark.django_db(transaction=True)
def test_closing_as_no_further_action_while_a_colleague_starts_a_plan(
    users: Any, people: Any
) -> None:
    sw, tm = users["social_worker"], users["team_manager"]
    child = people["involved"]
    episode = services.episode_open(
        actor=sw, child=child, kind="cin", referral_date=date(2026, 1, 5), primary_need="N1"
    )
    assessment = services.assessment_start(actor=sw, episode=episode, start_date=date(2026, 1, 5))
    services.assessment_record_seen(
        actor=sw, assessment=assessment, seen_date=date(2026, 1, 6), seen_alone=True
    )
    services.assessment_complete(
        actor=sw,
        assessment=assessment,
        completed_date=date(2026, 1, 7),
        factors=["21"],
        summary="No factors",
    )
    services.assessment_authorise(actor=tm, assessment=assessment, authorised_date=date(2026, 1, 8))
    # Both read the open episode, as their pages did, before either saves.
    copies = [Episode.objects.get(pk=episode.pk) for _ in range(2)]

    def act(n: int) -> None:
        if n == 0:
            services.episode_close(
                actor=sw, episode=copies[0], closure_date=date(2026, 1, 9), reason="RC8"
            )
        else:
            services.cin_plan_start(actor=sw, episode=copies[1], start_date=date(2026, 1, 9))

    # Whichever goes first, the other is refused: never a plan on a closed episode.
    assert _race(2, act) == ["refused", "saved"]
    episode.refresh_from_db()
    assert episode.is_open == CINPlan.objects.filter(episode=episode).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_opening_the_same_episode_plan_and_care_at_once(
    users: Any, people: Any
) -> None:
    """Each "only one open per child" record, created twice at the same moment: the second
    is refused in plain English (the child is locked first), never a database error."""
    sw, colleague = users["social_worker"], users["colleague"]
    child = people["involved"]
    from safehub.access.models import Involvement

    Involvement.objects.create(
        person=child, kind="allocated_worker", user=colleague, team=colleague.team
    )
    actors = (sw, colleague)

    def open_episode(n: int) -> None:
        services.episode_open(
            actor=actors[n],
            child=child,
            kind="cin",
            referral_date=date(2026, 1, 5),
            primary_need="N1",
        )

    assert _race(2, open_episode) == ["refused", "saved"]
    episode = Episode.objects.get(child=child)

    def start_plan(n: int) -> None:
        services.cin_plan_start(
            actor=actors[n], episode=Episode.objects.get(pk=episode.pk), start_date=date(2026, 2, 2)
        )

    assert _race(2, start_plan) == ["refused", "saved"]

    def start_care(n: int) -> None:
        services.care_start(
            actor=actors[n],
            episode=Episode.objects.get(pk=episode.pk),
            start_date=date(2026, 3, 2),
            placement={
                "legal_status": "V2",
                "placement_type": "U6",
                "provider": "PR1",
                "carer_name": f"Carer {n}",
            },
        )

    assert _race(2, start_care) == ["refused", "saved"]
    assert CINPlan.objects.filter(child=child).count() == 1
    assert PeriodOfCare.objects.filter(child=child).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_managers_allocating_a_waiting_child_at_once(users: Any, people: Any) -> None:
    from safehub.casework.models import Allocation

    sw, colleague, tm = users["social_worker"], users["colleague"], users["team_manager"]
    child = people["involved"]
    services.episode_open(
        actor=sw, child=child, kind="cin", referral_date=date(2026, 1, 5), primary_need="N1"
    )

    def allocate(n: int) -> None:
        services.allocate(actor=tm, child=child, worker=(sw, colleague)[n])

    # The second finds the case allocated and must give a reason to reallocate.
    assert _race(2, allocate) == ["refused", "saved"]
    assert Allocation.objects.filter(child=child, end_date__isnull=True).count() == 1
