"""Submissions as each channel sends them, for tests and the demo council."""

from typing import Any


def public_submission(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "children": [
            {
                "given_name": "Amelia",
                "family_name": "Hart",
                "date_of_birth": "2015-04-03",
                "address_line_1": "4 Mill Lane",
                "town": "Testford",
                "postcode": "TE1 4AB",
            }
        ],
        "adults": [],
        "concern_summary": "I heard shouting and a child crying late every night this week.",
        "in_danger_now": False,
        "family_aware": "not_sure",
        "referrer": {
            "name": "Pat Neighbour",
            "relationship": "I am a neighbour, friend or childminder",
            "wants_contact": True,
            "email": "pat@example.com",
        },
    }
    data.update(overrides)
    return data


def professional_submission(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "children": [
            {
                "given_name": "Amelia",
                "family_name": "Hart",
                "date_of_birth": "2015-04-03",
                "postcode": "TE1 4AB",
                "school": "Elm Primary School",
            }
        ],
        "adults": [{"given_name": "Dana", "family_name": "Hart", "relationship": "Mother"}],
        "concern_summary": "Amelia came to school hungry on four days this week and has "
        "bruising on her arm she would not explain.",
        "concern_factors": ["16A", "18C"],
        "what_tried": "Breakfast club offered; spoke to mother on Monday.",
        "family_aware": "yes",
        "consent": "given",
        "urgency": "urgent",
        "referral_source": "2A",
        "referrer": {},
    }
    data.update(overrides)
    return data
