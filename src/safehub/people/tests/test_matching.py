"""Suggested records for a person described in a contact: the right record survives each
kind of mistake referrers make, strangers are not offered look-alikes, and restricted
records stay out of sight."""

from datetime import date
from typing import Any

import pytest
from conftest import make_person

from safehub.audit.models import AuditEvent
from safehub.organisations.models import User
from safehub.people.candidates import MAX_ROWS
from safehub.people.codes import NameKind
from safehub.people.matching import Described, match_candidates
from safehub.people.models import Address, Household, Person, PersonAddress, PersonName
from safehub.people.names import name_key, name_sound

pytestmark = pytest.mark.django_db

BORN = date(2014, 5, 6)
HOME = "DS1 2AB"


def _live_at(person: Person, postcode: str, *, moved_out: date | None = None) -> None:
    address = Address.objects.create(line_1="4 Mill Lane", town="Demsford", postcode=postcode)
    household = Household.objects.create(address=address, start_date=date(2016, 1, 1))
    PersonAddress.objects.create(
        person=person,
        address=address,
        household=household,
        start_date=date(2016, 1, 1),
        end_date=moved_out,
    )


@pytest.fixture
def town(users: Any) -> dict[str, Person]:
    """William Thompson, his brother and sister at home, and people who look like him."""
    william = make_person("William", "Thompson", BORN)
    _live_at(william, HOME)
    for given, born in (("Grace", date(2016, 2, 2)), ("Jack", date(2018, 3, 3))):
        _live_at(make_person(given, "Thompson", born), HOME)
    _live_at(make_person("William", "Thomson", date(2011, 9, 9)), "DS4 1AA")
    make_person("Bill", "Thompson", date(1979, 1, 1), kind="adult")
    make_person("William", "Harris", date(2013, 7, 7))
    make_person("Olivia", "Clarke", BORN)  # shares his birthday, nothing else
    return {"william": william}


def _top(actor: User, **described: Any) -> list[int]:
    return [c.person.pk for c in match_candidates(actor=actor, described=Described(**described))]


@pytest.mark.parametrize(
    "described",
    [
        pytest.param(
            {"given_name": "William", "family_name": "Thompsen", "date_of_birth": BORN},
            id="typo in the last name",
        ),
        pytest.param(
            {"given_name": "Wiliam", "family_name": "Thompson", "date_of_birth": BORN},
            id="typo in the first name",
        ),
        pytest.param(
            {"given_name": "Villiam", "family_name": "Thompson", "date_of_birth": BORN},
            id="typo in the first letter",
        ),
        pytest.param(
            {"given_name": "Thompson", "family_name": "William", "date_of_birth": BORN},
            id="names swapped",
        ),
        pytest.param(
            {"given_name": "Bill", "family_name": "Thompson", "date_of_birth": BORN}, id="nickname"
        ),
        pytest.param(
            {"given_name": "William", "family_name": "Clarke", "date_of_birth": BORN},
            id="changed surname with date of birth",
        ),
        pytest.param(
            {"given_name": "William", "family_name": "Clarke", "postcode": HOME},
            id="changed surname with postcode",
        ),
        pytest.param(
            {"given_name": "William", "family_name": "Thompson", "postcode": HOME},
            id="missing date of birth with postcode",
        ),
        pytest.param(
            {"given_name": "Will", "family_name": "Tompson", "postcode": HOME},
            id="nickname and typo without date of birth",
        ),
    ],
)
def test_the_right_record_is_in_the_top_three(
    users: Any, town: dict[str, Person], described: dict[str, Any]
) -> None:
    found = _top(users["mash_worker"], **described)
    assert town["william"].pk in found[:3]
    assert found[0] == town["william"].pk


def test_each_candidate_says_why(users: Any, town: dict[str, Person]) -> None:
    best = match_candidates(
        actor=users["mash_worker"], described=Described("Bill", "Thomspon", BORN, HOME)
    )[0]
    assert best.person == town["william"]
    assert "First name William is a known form of “Bill”" in best.reasons
    assert "Last name Thompson is spelt similarly" in best.reasons
    assert "Date of birth matches" in best.reasons
    assert "Lives at this postcode" in best.reasons


def test_a_shared_surname_and_birthday_do_not_outrank_the_first_name(users: Any) -> None:
    make_person("Olivia", "Clarke", BORN)  # made first, so a tie would put her first
    william = make_person("William", "Thompson", BORN)
    found = _top(
        users["mash_worker"], given_name="William", family_name="Clarke", date_of_birth=BORN
    )
    assert found[0] == william.pk


def test_a_changed_surname_is_said_plainly(users: Any, town: dict[str, Person]) -> None:
    best = match_candidates(
        actor=users["mash_worker"], described=Described("William", "Clarke", BORN)
    )[0]
    assert best.person == town["william"]
    assert best.reasons == [
        "First name William matches",
        "Last name Thompson differs",
        "Date of birth matches",
    ]


def test_a_former_surname_still_finds_the_person(users: Any) -> None:
    child = make_person("Maisie", "Webb", BORN)
    PersonName.objects.create(
        person=child,
        kind=NameKind.FORMER,
        given_name="Maisie",
        family_name="Okafor",
        given_key="maisie",
        family_key="okafor",
        given_sound=name_sound("Maisie"),
        family_sound=name_sound("Okafor"),
        born=BORN,
    )
    found = match_candidates(actor=users["mash_worker"], described=Described("Maisie", "Okafor"))
    assert found[0].person == child
    assert "Former name: Maisie Okafor" in found[0].reasons


def test_someone_on_no_record_is_not_offered_look_alikes(
    users: Any, town: dict[str, Person]
) -> None:
    # A shared birthday, or a surname shared with a household, is not a match.
    assert (
        _top(users["mash_worker"], given_name="Priya", family_name="Nair", date_of_birth=BORN) == []
    )
    assert _top(users["mash_worker"], given_name="Priya", family_name="Nair", postcode=HOME) == []
    # The same name with a date of birth months away is a different child.
    assert (
        _top(
            users["mash_worker"],
            given_name="William",
            family_name="Harris",
            date_of_birth=date(2013, 2, 1),
        )
        == []
    )


def test_brothers_and_sisters_are_not_shown_beside_a_strong_match(
    users: Any, town: dict[str, Person]
) -> None:
    assert _top(
        users["mash_worker"],
        given_name="William",
        family_name="Thompson",
        date_of_birth=BORN,
        postcode=HOME,
    ) == [town["william"].pk]


def test_a_common_name_never_crowds_out_the_exact_one(users: Any) -> None:
    """More near-names than one capped query returns, and the exact name last of all."""
    crowd = Person.objects.bulk_create(
        Person(
            kind="child",
            given_name=f"Ol{name_key(str(i))}",
            family_name="Smithers",
            date_of_birth=date(2010, 1, 1),
        )
        for i in range(MAX_ROWS + 20)
    )
    PersonName.objects.bulk_create(
        PersonName(
            person=p,
            kind=NameKind.CURRENT,
            given_name="Olly",
            family_name="Smithers",
            given_key="olly",
            family_key="smithers",
            given_sound=name_sound("Olly"),
            family_sound=name_sound("Smithers"),
            born=p.date_of_birth,
        )
        for p in crowd
    )
    oliver = make_person("Oliver", "Smith", date(2012, 12, 12))
    found = _top(users["mash_worker"], given_name="Oliver", family_name="Smith")
    assert found[0] == oliver.pk


def test_a_restricted_person_is_only_suggested_to_their_allow_list(
    users: Any, people: dict[str, Person]
) -> None:
    for key in ("restricted", "restricted_allowed"):
        person = people[key]
        described = {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
        }
        for role in ("mash_worker", "team_manager", "partner_practitioner"):
            assert person.pk not in _top(users[role], **described), (key, role)
    allowed = people["restricted_allowed"]
    assert allowed.pk in _top(
        users["social_worker"],
        given_name=allowed.given_name,
        family_name=allowed.family_name,
        date_of_birth=allowed.date_of_birth,
    )


def test_each_search_is_audited_with_whom_it_suggested(users: Any, town: dict[str, Person]) -> None:
    match_candidates(
        actor=users["mash_worker"],
        purpose="contact ABC",
        described=Described("William", "Thompson", BORN),
    )
    event = AuditEvent.objects.filter(action="search").last()
    assert event is not None
    assert event.actor == users["mash_worker"]
    assert event.detail == {"purpose": "contact ABC", "results": 1}
    assert f",{town['william'].pk}," in event.subject_ids
