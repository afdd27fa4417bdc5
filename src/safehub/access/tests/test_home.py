"""Each role starts where its work is: signing in lands on home, which sends them on."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("mash_worker", "frontdoor:contact-queue"),
        ("mash_manager", "frontdoor:contact-queue"),
        ("partner_practitioner", "frontdoor:referral-list"),
        ("social_worker", "casework:my-work"),
        ("team_manager", "frontdoor:contact-queue"),  # they sign off MASH decisions
        ("cp_chair_iro", "careplanning:iro-work"),
        ("performance_analyst", "frontdoor:queue-health"),
        ("partnership_officer", "frontdoor:queue-health"),
        ("data_protection_officer", "audit:audit-home"),
        ("system_administrator", "organisations:user-list"),
    ],
)
def test_home_sends_each_role_to_where_its_work_starts(role, start, client_for):
    client = client_for(role)
    response = client.get(reverse("ui:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(start)
    assert client.get(response["Location"]).status_code == 200
