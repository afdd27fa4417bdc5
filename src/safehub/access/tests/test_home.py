"""Each role starts where its work is: signing in lands on home, which sends them on."""

import pytest
from conftest import make_user, sign_in
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("mash_worker", "frontdoor:contact-queue"),
        ("mash_manager", "frontdoor:contact-queue"),
        ("partner_practitioner", "frontdoor:referral-list"),
        ("social_worker", "casework:my-work"),
        ("team_manager", "casework:team-work"),  # North's: its caseloads and waiting children
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


def test_the_mash_team_manager_starts_at_the_queue(users, council):
    """A team manager whose staff hold no cases (the MASH's own) signs off the MASH's
    decisions: the queue is where their work starts."""
    client = sign_in(Client(), make_user("mashtm", "team_manager", council["teams"]["MASH"]))
    assert client.get(reverse("ui:home"))["Location"] == reverse("frontdoor:contact-queue")
