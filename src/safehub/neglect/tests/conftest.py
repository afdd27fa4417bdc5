"""A small two-area template and training for the North social worker, shared by the
neglect tests."""

import copy
from datetime import date
from typing import Any

import pytest

from safehub.neglect.models import ProfileTemplate, TrainingRecord
from safehub.neglect.services import template_load
from safehub.organisations.models import User


def descriptors(title: str) -> list[str]:
    return [f"{title}: grade {grade}" for grade in range(1, 6)]


TEMPLATE: dict[str, Any] = {
    "format": "safehub-neglect-template/1",
    "name": "Test profile",
    "version": "1",
    "licence": "Written for SafeHub's tests.",
    "roll_up": {"area": "mean", "overall": "mean"},
    "areas": [
        {
            "title": "Physical care",
            "items": [
                {"title": "Food", "descriptors": descriptors("Food")},
                {"title": "Clothing", "descriptors": descriptors("Clothing")},
            ],
        },
        {
            "title": "Safety",
            "sub_areas": [
                {
                    "title": "At home",
                    "items": [{"title": "Supervision", "descriptors": descriptors("Supervision")}],
                }
            ],
        },
    ],
}


def template_data(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(TEMPLATE)
    data.update(changes)
    return data


@pytest.fixture
def template(db: Any) -> ProfileTemplate:
    loaded, _ = template_load(data=template_data())
    return loaded


def train(user: User, template: ProfileTemplate, *, expires: date = date(2027, 6, 30)) -> None:
    TrainingRecord.objects.create(
        practitioner=user,
        agency_id=user.agency_id,
        template_name=template.name,
        course="Neglect profile training",
        provider="Testshire Safeguarding Partnership",
        completed_on=date(2026, 1, 10),
        expires_on=expires,
    )


@pytest.fixture
def trained(users: dict[str, User], template: ProfileTemplate) -> dict[str, User]:
    for role in ("social_worker", "colleague", "team_manager", "partner_practitioner"):
        train(users[role], template)
    return users
