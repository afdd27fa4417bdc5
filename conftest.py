"""Fixtures shared by every test: a pinned clock, a small council, a user in every role
(each with a confirmed authenticator), people in each relation to those users, and signed-in
clients.

The clock: every test runs with the process's clock moved to TEST_NOW (it ticks on from
there), so the product and the tests agree on "today" and nothing depends on the day the
suite runs. A test that needs another day travels there itself (`time_machine.travel`).
"""

import re
import time
import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from safehub.access.middleware import SIGNED_IN_AT
from safehub.access.models import Involvement, InvolvementKind, RestrictedAccess
from safehub.access.roles import Role
from safehub.hardtosee.services import register_facts_refresh
from safehub.organisations.models import Agency, AgencyKind, Team, User
from safehub.people.codes import NameKind, RelationshipType
from safehub.people.models import Person, Relationship
from safehub.people.services import _name_row, _save_name

PASSWORD = "correct-horse-battery-staple"
# A Monday morning in term time, not near a bank holiday.
TEST_NOW = datetime(2026, 11, 23, 9, 30, tzinfo=ZoneInfo("Europe/London"))
TEST_TODAY = TEST_NOW.date()


def without_random_tokens(content: bytes) -> bytes:
    """The page less its random tokens (the CSRF token, script nonces), which can spell a
    short name like "Ava" or "Hart" by chance: a hidden person's name must not be in what
    is left."""
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]*"', b"", content)
    return re.sub(rb'nonce="[^"]*"', b"", content)


def shows(text: str, content: bytes | str) -> bool:
    """Whether `text` (a name) is in a page's `content`, random tokens aside."""
    raw = content.encode() if isinstance(content, str) else content
    return text.encode() in without_random_tokens(raw)


@pytest.fixture(autouse=True, scope="session")
def pinned_clock() -> Any:
    with time_machine.travel(TEST_NOW, tick=True):
        yield


@pytest.fixture
def still_clock() -> Any:
    """The clock held at TEST_NOW for one test: rate-limit windows start at an offset
    hashed from their key, so a ticking clock can cross one mid-test and reset a count."""
    with time_machine.travel(TEST_NOW, tick=False):
        yield


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def sign_in(client: Client, user: User) -> Client:
    """A fully signed-in session (password and second factor), as after the real flow."""
    client.force_login(user)
    session = client.session
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    session["otp_device_id"] = device.persistent_id
    session[SIGNED_IN_AT] = time.time()
    session.save()
    return client


@pytest.fixture
def council(db: Any) -> dict[str, Any]:
    la = Agency.objects.create(name="Testshire County Council", kind=AgencyKind.COUNCIL)
    school = Agency.objects.create(name="Elm Primary School", kind=AgencyKind.SCHOOL, urn="123456")
    trust = Agency.objects.create(
        name="Testshire NHS Trust", kind=AgencyKind.HEALTH_TRUST, ods_code="RXX"
    )
    teams = {
        name: Team.objects.create(agency=la, name=name)
        for name in [
            "MASH",
            "North",
            "South",
            "Safeguarding Unit",
            "Insight",
            "Governance",
            "IT",
            "Partnership",
        ]
    }
    teams["school"] = Team.objects.create(agency=school, name="Safeguarding")
    teams["trust"] = Team.objects.create(agency=trust, name="Health visiting")
    return {"la": la, "school": school, "trust": trust, "teams": teams}


def make_user(username: str, role: str, team: Team) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        team=team,
        agency=team.agency,
        first_name=username.title(),
        last_name="Tester",
        email=f"{username}@example.org",
    )
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


@pytest.fixture
def users(council: dict[str, Any]) -> dict[str, User]:
    t = council["teams"]
    return {
        "partner_practitioner": make_user("dsl", Role.PARTNER_PRACTITIONER, t["school"]),
        "mash_worker": make_user("mash", Role.MASH_WORKER, t["MASH"]),
        "mash_manager": make_user("mashlead", Role.MASH_MANAGER, t["MASH"]),
        "social_worker": make_user("sw", Role.SOCIAL_WORKER, t["North"]),
        "colleague": make_user("sw2", Role.SOCIAL_WORKER, t["North"]),
        "south_worker": make_user("sw3", Role.SOCIAL_WORKER, t["South"]),
        "team_manager": make_user("tm", Role.TEAM_MANAGER, t["North"]),
        "cp_chair_iro": make_user("chair", Role.CP_CHAIR_IRO, t["Safeguarding Unit"]),
        "performance_analyst": make_user("analyst", Role.PERFORMANCE_ANALYST, t["Insight"]),
        "partnership_officer": make_user("partnership", Role.PARTNERSHIP_OFFICER, t["Partnership"]),
        "data_protection_officer": make_user("dpo", Role.DATA_PROTECTION_OFFICER, t["Governance"]),
        "system_administrator": make_user("admin", Role.SYSTEM_ADMINISTRATOR, t["IT"]),
    }


def make_person(
    given: str, family: str, born: date | None = date(2015, 4, 3), **fields: Any
) -> Person:
    fields.setdefault("kind", "child")
    if fields["kind"] == "child":  # what the census asks of a child in need
        fields.setdefault("disabilities", ["NONE"])
        if not fields.get("upn"):
            fields.setdefault("upn_unknown", "UN4")
    person = Person.objects.create(
        given_name=given, family_name=family, date_of_birth=born, **fields
    )
    _save_name(_name_row(person, NameKind.CURRENT, given, "", family))
    return person


def allocate(person: Person, user: User) -> None:
    Involvement.objects.create(
        person=person, kind=InvolvementKind.ALLOCATED_WORKER, user=user, team=user.team
    )


@pytest.fixture
def people(users: dict[str, User], council: dict[str, Any]) -> dict[str, Person]:
    """One person in each relation to the social worker `sw` (team North):
    involved (allocated to sw; the school contributes; the CP chair chairs), same_team
    (allocated to a North colleague), unrelated (South's), restricted (North's, restricted,
    nobody allow-listed) and restricted_allowed (restricted, sw on its allow-list)."""
    involved = make_person("Amelia", "Hart", nhs_number="9434765919")
    allocate(involved, users["social_worker"])
    Involvement.objects.create(
        person=involved, kind=InvolvementKind.CONTRIBUTING_AGENCY, agency=council["school"]
    )
    Involvement.objects.create(
        person=involved, kind=InvolvementKind.CONFERENCE_CHAIR, user=users["cp_chair_iro"]
    )
    same_team = make_person("Oliver", "Hart", date(2012, 9, 1))
    allocate(same_team, users["colleague"])
    unrelated = make_person("Isla", "Brown", date(2016, 1, 20))
    allocate(unrelated, users["south_worker"])
    restricted = make_person(
        "Noah", "Quinn", date(2014, 6, 6), is_restricted=True, restriction_reason="Adoption"
    )
    allocate(restricted, users["colleague"])
    restricted_allowed = make_person(
        "Ava",
        "Stone",
        date(2013, 2, 2),
        is_restricted=True,
        restriction_reason="Relative of a member of staff",
    )
    allocate(restricted_allowed, users["colleague"])
    RestrictedAccess.objects.create(person=restricted_allowed, user=users["social_worker"])
    found = {
        "involved": involved,
        "same_team": same_team,
        "unrelated": unrelated,
        "restricted": restricted,
        "restricted_allowed": restricted_allowed,
    }
    # Everyone has a sibling, so each has a relationship to show and to end.
    for person in found.values():
        sibling = make_person("Sam", person.family_name, date(2019, 5, 5))
        pair = uuid.uuid4()
        Relationship.objects.create(
            subject=person, other=sibling, type=RelationshipType.SIBLING, pair_key=pair
        )
        Relationship.objects.create(
            subject=sibling, other=person, type=RelationshipType.SIBLING, pair_key=pair
        )
    # Written directly, as the demo loader writes: the registers' rows are rebuilt as the
    # loader rebuilds them (the services' chronology entries keep them otherwise, ADR 0060).
    register_facts_refresh()
    return found


@pytest.fixture
def client_for(client: Client, users: dict[str, User]):
    def make(role: str) -> Client:
        return sign_in(Client(), users[role])

    return make
