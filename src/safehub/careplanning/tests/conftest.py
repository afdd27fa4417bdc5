"""A child in care to plan for: Amelia (the social worker's allocated child in the root
conftest, born 3 April 2015), looked after from Monday 3 March 2025 through casework's own
services, so the statutory items are those a real period of care opens. The suite's clock
is 23 November 2026."""

from datetime import date
from typing import Any

import pytest

from safehub.casework import services as casework
from safehub.casework.models import PeriodOfCare

START = date(2025, 3, 3)  # a Monday
PLACEMENT = {
    "legal_status": "C2",
    "placement_type": "U4",
    "provider": "PR1",
    "carer_name": "Mr and Mrs Patel",
    "home_postcode": "",
    "placement_postcode": "",
}


def in_care(sw: Any, child: Any, start: date = START) -> PeriodOfCare:
    episode = casework.episode_open(
        actor=sw, child=child, kind="cin", referral_date=start, primary_need="N1"
    )
    return casework.care_start(actor=sw, episode=episode, start_date=start, placement=PLACEMENT)


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]


@pytest.fixture
def iro(users: Any) -> Any:
    return users["cp_chair_iro"]


@pytest.fixture
def child(people: Any) -> Any:
    return people["involved"]


@pytest.fixture
def period(sw: Any, child: Any) -> PeriodOfCare:
    return in_care(sw, child)
