"""Two workers acting on the same casework record at once: one succeeds, the other is told
plainly why not; nothing is silently overwritten."""

import threading
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from safehub.casework import services
from safehub.casework.models import Assessment, PeriodOfCare


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


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_completing_one_assessment(users: Any, people: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    sw, colleague = users["social_worker"], users["colleague"]
    episode = services.episode_open(actor=sw, child=people["involved"], kind="cin",
                                    referral_date=date(2026, 1, 5))
    assessment = services.assessment_start(actor=sw, episode=episode,
                                           start_date=date(2026, 1, 5))
    services.assessment_record_seen(actor=sw, assessment=assessment,
                                    seen_date=date(2026, 1, 6), seen_alone=True)
    from safehub.access.models import Involvement

    Involvement.objects.create(person=people["involved"], kind="allocated_worker",
                               user=colleague, team=colleague.team)

    def complete(n: int) -> None:
        services.assessment_complete(
            actor=(sw, colleague)[n % 2], assessment=Assessment.objects.get(pk=assessment.pk),
            completed_date=date(2026, 1, 20), factors=["16A"], summary=f"Summary {n}")

    assert _race(4, complete) == ["refused", "refused", "refused", "saved"]
    assessment.refresh_from_db()
    assert assessment.summary.startswith("Summary ")


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_workers_moving_one_child_to_different_placements(users: Any,
                                                              people: Any) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent writers need PostgreSQL")
    sw = users["social_worker"]
    episode = services.episode_open(actor=sw, child=people["involved"], kind="cin",
                                    referral_date=date(2026, 1, 5))
    placement = {"legal_status": "V2", "placement_type": "U6", "provider": "PR1",
                 "carer_name": "Carer A"}
    period = services.care_start(actor=sw, episode=episode, start_date=date(2026, 1, 6),
                                 placement=placement)

    def move(n: int) -> None:
        services.care_change(actor=sw, period=PeriodOfCare.objects.get(pk=period.pk),
                             change_date=date(2026, 2, 1),
                             placement={**placement, "carer_name": f"Carer {n}"},
                             reason_place_change="CARPL")

    # The second mover waits for the first, then finds the placement already changed and
    # is told so; exactly one open placement remains.
    assert _race(2, move) == ["refused", "saved"]
    assert period.episodes.filter(end_date__isnull=True).count() == 1
