"""Person search: typos, partial names, swapped order, aliases, identifiers; ranked, with
reasons; scoped by the access policy."""

from datetime import date

import pytest
from conftest import make_person
from django.urls import reverse

from safehub.people.codes import NameKind
from safehub.people.selectors import SearchCriteria, person_search
from safehub.people.services import _name_row, _save_name


@pytest.fixture
def family(people):
    jo = make_person("Johnathan", "Smith", date(2014, 3, 2), nhs_number="4010232137")
    make_person("Joanna", "Smyth", date(2011, 7, 9))
    make_person("Peter", "Jones", date(2014, 3, 2))
    alias = make_person("Kayleigh", "Ward", date(1990, 1, 1), kind="adult")
    _save_name(_name_row(alias, NameKind.ALIAS, "Kayla", "", "Hughes"))
    return {"jo": jo, "alias": alias}


def _names(actor, **criteria):
    return [
        r.person.full_name for r in person_search(actor=actor, criteria=SearchCriteria(**criteria))
    ]


def test_a_typo_in_the_surname_still_finds_the_person(family, users):
    assert "Johnathan Smith" in _names(users["mash_worker"], name="Jonathan Smiht")[:3]


def test_a_partial_name_finds_the_person(family, users):
    assert _names(users["mash_worker"], name="Jo Smi")[0] == "Johnathan Smith"


def test_names_in_either_order(family, users):
    assert _names(users["mash_worker"], name="Smith Johnathan")[0] == "Johnathan Smith"


def test_an_alias_finds_the_person_and_says_so(family, users):
    results = person_search(
        actor=users["mash_worker"], criteria=SearchCriteria(name="Kayla Hughes")
    )
    assert results[0].person == family["alias"]
    assert "Also known as: Kayla Hughes" in results[0].reasons


def test_date_of_birth_raises_the_right_person_to_the_top(family, users):
    results = person_search(
        actor=users["mash_worker"],
        criteria=SearchCriteria(name="Jo Smith", date_of_birth=date(2011, 7, 9)),
    )
    assert results[0].person.full_name == "Joanna Smyth"
    assert "Date of birth matches" in results[0].reasons


def test_nhs_number_alone_finds_exactly_one(family, users):
    results = person_search(
        actor=users["mash_worker"], criteria=SearchCriteria(nhs_number="4010232137")
    )
    assert [r.person for r in results] == [family["jo"]]
    assert results[0].reasons == ["NHS number matches"]


def test_search_only_returns_people_the_worker_may_see(people, users):
    found = _names(users["social_worker"], name="Hart")
    assert "Amelia Hart" in found and "Oliver Hart" in found  # noqa: PT018
    assert _names(users["south_worker"], name="Hart") == []
    assert _names(users["partner_practitioner"], name="Hart") == ["Amelia Hart"]


def test_search_page_bad_input_gets_plain_english_errors(client_for):
    page = client_for("mash_worker").post(
        reverse("people:person-search"),
        {
            "nhs_number": "123",
            "postcode": "NOTAPOST",
            "date_of_birth-day": "40",
            "date_of_birth-month": "1",
            "date_of_birth-year": "2015",
        },
    )
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Enter a valid 10-digit NHS number" in html
    assert "Enter a full UK postcode" in html
    assert "The date of birth must be a real date" in html
    empty = client_for("mash_worker").post(reverse("people:person-search"), {})
    assert "Enter a name, date of birth, NHS number, UPN or postcode" in empty.content.decode()


def test_search_never_puts_names_in_the_url(client_for):
    page = client_for("mash_worker").get(reverse("people:person-search"))
    assert 'method="post"' in page.content.decode()


def test_the_sound_and_prefix_branches_have_their_indexes_on_postgresql(db):
    """ "Olivia Jnoes": a last name that sounds like "Jones" and a first name starting "ol".
    Without one index on both, PostgreSQL read every name starting "ol" (5,473 blocks from
    disk at a million people, bench/README.md). The migration must leave that index."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the pattern-matching indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [["personname_sound_given_prefix", "personname_given_sound_family_prefix"]],
        )
        definitions = dict(cursor.fetchall())
    assert (
        "(family_sound, given_key varchar_pattern_ops)"
        in definitions["personname_sound_given_prefix"]
    )
    # And "Sofia Johnston": last names starting "jo" whose first name sounds like "SF".
    assert (
        "(given_sound, family_key varchar_pattern_ops)"
        in definitions["personname_given_sound_family_prefix"]
    )
