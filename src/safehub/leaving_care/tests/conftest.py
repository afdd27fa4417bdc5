"""A care leaver to work with: Amelia (the social worker's allocated child in the root
conftest), born 15 September 2007, looked after from 13 to 16 (2021 to January 2024), so
relevant at 16 and 17 and former relevant from 18. The suite's clock is 23 November 2026:
she turned 19 on 15 September 2026."""

from datetime import date
from typing import Any

import pytest

from safehub.casework.models import CareEpisode, Episode, PeriodOfCare
from safehub.people.models import Person

BORN = date(2007, 9, 15)
CARE_FROM, CARE_TO = date(2021, 3, 1), date(2024, 1, 10)


def looked_after(
    child: Person, worker: Any, start: date, end: date | None, legal_status: str = "C2"
) -> PeriodOfCare:
    """A period of care with one 903 episode, as casework's services would leave it."""
    episode = Episode.objects.create(
        kind="cin", child=child, referral_date=start, primary_need="N1", opened_by=worker
    )
    period = PeriodOfCare.objects.create(
        child=child,
        episode=episode,
        start_date=start,
        end_date=end,
        reason_ceased="E4A" if end else "",
    )
    CareEpisode.objects.create(
        period=period,
        start_date=start,
        reason_new_episode="S",
        legal_status=legal_status,
        placement_type="U4",
        provider="PR1",
        end_date=end,
        reason_ceased="E4A" if end else "",
    )
    if end:
        Episode.objects.filter(pk=episode.pk).update(closure_date=end, closure_reason="RC1")
    return period


@pytest.fixture
def leaver(people: Any, users: Any) -> Person:
    child = people["involved"]
    Person.objects.filter(pk=child.pk).update(date_of_birth=BORN)
    child.refresh_from_db()
    looked_after(child, users["social_worker"], CARE_FROM, CARE_TO)
    return child


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]
