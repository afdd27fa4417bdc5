"""The rules for a person's details: each problem is refused in plain English, keyed by the
field it belongs to, and all problems are reported at once."""

import unicodedata
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from safehub.people.validation import clean_person_data

TODAY = date(2026, 3, 10)
FAST = settings(max_examples=200, deadline=None)
NAME_MESSAGE = "must only include letters, spaces, hyphens and apostrophes"


def child(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "child",
        "given_name": "Amelia",
        "family_name": "Hart",
        "date_of_birth": date(2015, 4, 3),
        **changes,
    }


def unborn(**changes: Any) -> dict[str, Any]:
    return {
        "kind": "unborn",
        "given_name": "Baby",
        "family_name": "Hart",
        "expected_date_of_birth": TODAY + timedelta(days=90),
        **changes,
    }


def errors_for(data: dict[str, Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        clean_person_data(data, today=TODAY)
    return refused.value.message_dict


def test_a_complete_child_record_is_accepted_with_defaults_filled_in():
    cleaned = clean_person_data(
        child(given_name="  Amelia   Rose ", nhs_number="943 476 5919"), today=TODAY
    )
    assert cleaned["given_name"] == "Amelia Rose"
    assert cleaned["nhs_number"] == "9434765919"
    assert cleaned["sex"] == "U"
    assert cleaned["ethnicity"] == "NOBT"
    assert cleaned["expected_date_of_birth"] is None


# --- Dates -------------------------------------------------------------------------------


@FAST
@given(kind=st.sampled_from(["child", "adult"]), born=st.dates(min_value=TODAY + timedelta(days=1)))
def test_any_date_of_birth_after_today_is_refused(kind, born):
    errors = errors_for(child(kind=kind, date_of_birth=born))
    assert errors["date_of_birth"] == ["Date of birth must be in the past"]


@FAST
@given(born=st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
def test_any_date_of_birth_from_1900_to_today_is_accepted_for_a_child(born):
    assert clean_person_data(child(date_of_birth=born), today=TODAY)["date_of_birth"] == born


def test_a_date_of_birth_before_1900_is_refused():
    errors = errors_for(child(date_of_birth=date(1899, 12, 31)))
    assert errors["date_of_birth"] == ["Date of birth must be after 1 January 1900"]


def test_a_child_needs_a_date_of_birth_but_an_adult_does_not():
    assert "date_of_birth" in errors_for(child(date_of_birth=None))
    assert (
        clean_person_data(child(kind="adult", date_of_birth=None), today=TODAY)["date_of_birth"]
        is None
    )


@FAST
@given(
    expected=st.dates(min_value=TODAY - timedelta(days=42), max_value=TODAY + timedelta(weeks=40))
)
def test_an_unborn_child_due_within_the_next_forty_weeks_is_accepted(expected):
    cleaned = clean_person_data(unborn(expected_date_of_birth=expected), today=TODAY)
    assert cleaned["expected_date_of_birth"] == expected
    assert cleaned["date_of_birth"] is None


@FAST
@given(expected=st.dates(min_value=TODAY + timedelta(weeks=40, days=1)))
def test_an_unborn_child_due_more_than_forty_weeks_ahead_is_refused(expected):
    # Census 8606: a referral cannot come more than 40 weeks before the expected birth.
    assert errors_for(unborn(expected_date_of_birth=expected))["expected_date_of_birth"] == [
        "Expected date of birth must be within the next 40 weeks"
    ]


def test_an_unborn_child_due_in_exactly_forty_weeks_is_accepted():
    due = TODAY + timedelta(weeks=40)
    assert (
        clean_person_data(unborn(expected_date_of_birth=due), today=TODAY)["expected_date_of_birth"]
        == due
    )


def test_an_unborn_child_long_past_its_due_date_must_be_recorded_as_born():
    errors = errors_for(unborn(expected_date_of_birth=TODAY - timedelta(days=43)))
    assert errors["expected_date_of_birth"] == [
        "Expected date of birth has passed: record the child as born"
    ]


def test_an_unborn_child_needs_an_expected_date_and_cannot_have_a_date_of_birth():
    errors = errors_for(unborn(expected_date_of_birth=None, date_of_birth=date(2026, 1, 1)))
    assert errors["expected_date_of_birth"] == ["Enter the expected date of birth"]
    assert errors["date_of_birth"] == ["An unborn child cannot have a date of birth"]


def test_an_unborn_child_cannot_have_a_known_sex_or_a_date_of_death():
    errors = errors_for(unborn(sex="F", date_of_death=TODAY))
    assert errors["sex"] == ["Sex must be 'Not known' for an unborn child"]
    assert errors["date_of_death"] == ["An unborn child cannot have a date of death"]


def test_only_an_unborn_child_has_an_expected_date_of_birth():
    errors = errors_for(child(expected_date_of_birth=TODAY + timedelta(days=30)))
    assert errors["expected_date_of_birth"] == [
        "Only an unborn child has an expected date of birth"
    ]


@FAST
@given(
    born=st.dates(min_value=date(1900, 1, 2), max_value=TODAY),
    days_before=st.integers(min_value=1, max_value=365 * 30),
)
def test_a_date_of_death_before_the_date_of_birth_is_refused(born, days_before):
    died = born - timedelta(days=days_before)
    errors = errors_for(child(kind="adult", date_of_birth=born, date_of_death=died))
    assert errors["date_of_death"] == ["Date of death must be after the date of birth"]


def test_a_date_of_death_in_the_future_is_refused_and_today_is_accepted():
    assert errors_for(child(date_of_death=TODAY + timedelta(days=1)))["date_of_death"] == [
        "Date of death must be today or in the past"
    ]
    assert clean_person_data(child(date_of_death=TODAY), today=TODAY)["date_of_death"] == TODAY


@pytest.mark.parametrize("field", ["date_of_birth", "expected_date_of_birth", "date_of_death"])
def test_a_date_that_is_not_a_date_is_refused(field):
    assert errors_for(child(**{field: "31/02/2020"}))[field] == ["Enter a real date"]


# --- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "O'Brien",
        "O’Brien",
        "Smith-Jones",
        "Zoë",
        "Nguyễn",
        "Siobhán",
        "De la Cruz",
        "St. John",
        "Jean-Luc",
        "Łukasz",
        "Þórunn",
        "Мария",
        "محمد",
        "李",
    ],
)
def test_names_with_apostrophes_hyphens_and_accents_are_accepted(name):
    cleaned = clean_person_data(child(given_name=name, family_name=name), today=TODAY)
    assert cleaned["given_name"] == name
    assert cleaned["family_name"] == name


@pytest.mark.parametrize("name", ["Zoë", "Nguyễn", "José"])
def test_a_name_with_accents_in_decomposed_form_is_accepted_and_stored_composed(name):
    cleaned = clean_person_data(child(given_name=unicodedata.normalize("NFD", name)), today=TODAY)
    assert cleaned["given_name"] == name


@pytest.mark.parametrize(
    "name",
    [
        "Amelia2",
        "<script>alert(1)</script>",
        "R2-D2",
        "Hart_Smith",
        "Hart;DROP",
        "Mr @melia",
        "--",
        "'",
    ],
)
def test_names_with_digits_or_markup_are_refused_in_plain_english(name):
    errors = errors_for(child(given_name=name, family_name=name))
    assert errors["given_name"] == [f"A first name {NAME_MESSAGE}"]
    assert errors["family_name"] == [f"A last name {NAME_MESSAGE}"]


@FAST
@given(
    letters=st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=20),
    digit=st.sampled_from("0123456789"),
)
def test_a_name_with_a_digit_anywhere_is_refused(letters, digit):
    for name in (digit + letters, letters + digit, letters[:1] + digit + letters[1:]):
        assert errors_for(child(family_name=name))["family_name"] == [f"A last name {NAME_MESSAGE}"]


@FAST
@given(text=st.text(max_size=120))
def test_any_text_as_a_name_is_either_accepted_tidied_or_refused_in_plain_english(text):
    try:
        cleaned, errors = clean_person_data(child(given_name=text), today=TODAY), {}
    except ValidationError as error:
        cleaned, errors = None, error.message_dict
    if cleaned is None:
        assert set(errors) == {"given_name"}
        assert errors["given_name"][0] in (
            "Enter a first name",
            f"A first name {NAME_MESSAGE}",
            "A first name must be 100 characters or fewer",
        )
    else:
        name = cleaned["given_name"]
        assert name == " ".join(name.split())
        assert 1 <= len(name) <= 100
        assert not any(c.isdecimal() or c in '<>&"_;/\\(){}[]=' for c in name)


@pytest.mark.parametrize("name", ["Amelia²", "Amelia½", "J③hn", "HenryⅧ"])
def test_a_name_with_a_numeric_character_of_any_script_is_refused(name):
    assert errors_for(child(given_name=name))["given_name"] == [f"A first name {NAME_MESSAGE}"]


def test_a_missing_or_blank_name_is_asked_for():
    errors = errors_for(child(given_name="   ", family_name=None))
    assert errors["given_name"] == ["Enter a first name"]
    assert errors["family_name"] == ["Enter a last name"]


def test_a_name_over_100_characters_is_refused():
    errors = errors_for(child(family_name="A" * 101))
    assert errors["family_name"] == ["A last name must be 100 characters or fewer"]


# --- Codes -------------------------------------------------------------------------------


def test_no_disability_with_another_disability_is_refused():
    errors = errors_for(child(disabilities=["NONE", "MOB"]))
    assert errors["disabilities"] == [
        "Select 'No disability' on its own, or the disabilities the person has"
    ]


def test_disabilities_are_kept_once_each_in_the_order_given():
    cleaned = clean_person_data(child(disabilities=["VIS", "MOB", "VIS"]), today=TODAY)
    assert cleaned["disabilities"] == ["VIS", "MOB"]


def test_an_unknown_disability_code_is_refused():
    assert errors_for(child(disabilities=["FLY"]))["disabilities"] == [
        "Select disabilities from the list"
    ]


def test_an_unknown_kind_sex_or_ethnicity_is_refused():
    errors = errors_for(child(kind="alien", sex="X", ethnicity="ZZZZ"))
    assert errors["kind"] == ["Select whether this is a child, an unborn child or an adult"]
    assert errors["sex"] == ["Select sex"]
    assert errors["ethnicity"] == ["Select ethnicity"]


def test_a_bad_nhs_number_or_upn_is_refused_with_the_identifier_message():
    errors = errors_for(child(nhs_number="943 476 5918", upn="A12"))
    assert errors["nhs_number"] == ["Enter a valid 10-digit NHS number, like 943 476 5919"]
    assert errors["upn"][0].startswith("Enter a valid unique pupil number")


# --- All together ------------------------------------------------------------------------


def test_every_problem_is_reported_together_each_under_its_own_field():
    errors = errors_for(
        child(
            given_name="4m3l14",
            family_name="",
            date_of_birth=TODAY + timedelta(days=3),
            disabilities=["NONE", "VIS"],
            nhs_number="123",
            sex="Q",
            date_of_death=TODAY + timedelta(days=9),
        )
    )
    assert set(errors) == {
        "given_name",
        "family_name",
        "date_of_birth",
        "disabilities",
        "nhs_number",
        "sex",
        "date_of_death",
    }
    assert all(len(messages) == 1 and messages[0] for messages in errors.values())


@FAST
@given(
    bad=st.sets(
        st.sampled_from(
            ["given_name", "family_name", "nhs_number", "upn", "disabilities", "ethnicity"]
        ),
        min_size=1,
    )
)
def test_the_fields_reported_are_exactly_the_fields_that_are_wrong(bad):
    wrong = {
        "given_name": "J0hn",
        "family_name": "<b>",
        "nhs_number": "1111111112",
        "upn": "nonsense",
        "disabilities": ["NONE", "LD"],
        "ethnicity": "XXXX",
    }
    errors = errors_for(child(**{field: wrong[field] for field in bad}))
    assert set(errors) == bad
