"""A child for court and adoption work: Amelia (the social worker's allocated child in the
root conftest), born 3 April 2015. The suite's clock is 23 November 2026."""

from typing import Any

import pytest

from safehub.people.models import Person


@pytest.fixture
def child(people: Any) -> Person:
    return people["involved"]


@pytest.fixture
def sw(users: Any) -> Any:
    return users["social_worker"]
