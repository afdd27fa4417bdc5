"""The council the form fuzzer works on, and who it signs in as.

The demo council (the real `seed_demo`, as of the suite's pinned day) holds casework,
contacts, partner information, court work, care plans and the rest in the states a worker
meets them in. The fuzzer signs in as each demo sign-in, whose pages the access policy
decides, so each form is fuzzed as a user the policy lets use it; a visitor with no account
walks the public report (every question answered, so every page of it is shown); and two
half-signed-in browsers reach the second-factor pages.
"""

import io
from datetime import timedelta
from typing import Any

from conftest import TEST_TODAY, sign_in
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.roles import Role
from safehub.demo.generator import DEMO_PASSWORD, PRINTED_SIGNINS
from safehub.organisations.models import User
from tests.fuzz import records

PUBLIC = "(public)"
PUBLIC_PREBIRTH = "(public, about an unborn baby)"
# Who sees a team's cases in every state: the team managers and the conference chairs.
CASEHOLDERS = (Role.TEAM_MANAGER, Role.CP_CHAIR_IRO)
NEW_STAFF = "fuzz.new.starter"  # an account with no authenticator yet


def load_council(persons: int) -> None:
    """The demo council with about `persons` people, as of the suite's day."""
    call_command(
        "seed_demo",
        "--persons",
        str(persons),
        "--as-of",
        str(TEST_TODAY),
        "--no-signins",
        stdout=io.StringIO(),
    )


def _password_only(username: str) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, f"{username} could not sign in with a password"
    return client


def identities(
    roles: tuple[str, ...] = CASEHOLDERS,
) -> tuple[dict[str, Client], dict[str, list[str]]]:
    """Each identity's browser and where its crawl starts: the demo sign-ins, every demo
    user in `roles` besides (the cases in each state are spread across the council's
    teams), a visitor, and the half-signed-in."""
    from safehub.frontdoor.tests.test_public_report import answer_all

    clients: dict[str, Client] = {}
    starts: dict[str, list[str]] = {}
    printed = [s.username for s in PRINTED_SIGNINS]
    others = User.objects.filter(is_demo=True, role__in=roles).exclude(username__in=printed)
    for username in [*printed, *others.order_by("username").values_list("username", flat=True)]:
        clients[username] = sign_in(Client(), User.objects.get(username=username))
        starts[username] = ["/"]
    clients[PUBLIC] = answer_all(Client())
    starts[PUBLIC] = ["/report/", reverse("report:check"), "/sign-in/"]
    # Someone worried about a baby not yet born is asked about the mother as well.
    due = TEST_TODAY + timedelta(days=60)
    clients[PUBLIC_PREBIRTH] = answer_all(
        Client(),
        child={
            "expected_date_of_birth-day": str(due.day),
            "expected_date_of_birth-month": str(due.month),
            "expected_date_of_birth-year": str(due.year),
        },
    )
    starts[PUBLIC_PREBIRTH] = [reverse("report:mother"), reverse("report:check")]
    for username, pages in [*caseload_starts().items(), *records.STARTS.items()]:
        if username not in clients:
            clients[username] = sign_in(Client(), User.objects.get(username=username))
        starts[username] = [*starts.get(username, []), *pages]
    first = PRINTED_SIGNINS[0].username
    clients[f"{first} (password only)"] = _password_only(first)
    starts[f"{first} (password only)"] = ["/sign-in/code/"]
    _new_starter()
    clients[NEW_STAFF] = _password_only(NEW_STAFF)
    starts[NEW_STAFF] = ["/sign-in/set-up-authenticator/"]
    return clients, starts


def _new_starter() -> Any:
    council_worker = User.objects.get(username=PRINTED_SIGNINS[0].username)
    if User.objects.filter(username=NEW_STAFF).exists():  # a bench run before this one
        return User.objects.get(username=NEW_STAFF)
    return User.objects.create_user(
        username=NEW_STAFF,
        password=DEMO_PASSWORD,
        role=Role.SOCIAL_WORKER,
        team=council_worker.team,
        agency=council_worker.agency,
        first_name="New",
        last_name="Starter",
        email="new.starter@example.org",
    )


def caseload_starts() -> dict[str, list[str]]:
    """Each open case's casework page, as its allocated worker, its chair and its team's
    managers: a form shown only for a case in one state (an assessment to authorise, a
    staying-put arrangement to end) is then met wherever the council has such a case, which
    following links with patience would reach only by chance."""
    managers: dict[int, list[str]] = {}
    for team_id, username in User.objects.filter(
        is_demo=True, role=Role.TEAM_MANAGER, is_active=True
    ).values_list("team_id", "username"):
        managers.setdefault(team_id, []).append(username)
    starts: dict[str, set[str]] = {}
    open_cases = Involvement.objects.filter(end_date__isnull=True).exclude(
        kind=InvolvementKind.CONTRIBUTING_AGENCY
    )
    for person_id, user, team_id in open_cases.values_list(
        "person_id", "user__username", "team_id"
    ):
        page = reverse("casework:child-casework", args=[person_id])
        for username in [*([user] if user else []), *managers.get(team_id, [])]:
            starts.setdefault(username, set()).add(page)
    return {username: sorted(pages) for username, pages in sorted(starts.items())}
