"""The child's school by identity (ADR 0033): the API takes the school's URN, the person
form a school from SafeHub's list; a name in words is kept as written and never looked up."""

from typing import Any

import pytest
from django.urls import reverse

from safehub.people.models import Person
from tests.api.test_api import Api, assert_problem, make_token

pytestmark = pytest.mark.django_db

LEO = {"kind": "child", "given_name": "Leo", "family_name": "Marsh", "date_of_birth": "2018-07-14"}


@pytest.fixture
def mash_api(users: Any) -> Api:
    return Api(make_token(users["mash_worker"]))


def test_the_api_records_the_school_by_its_urn(mash_api, council):
    response = mash_api.call("post", "/persons", {**LEO, "school_urn": "123456"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["school_urn"], body["school"]) == ("123456", "Elm Primary School")
    person = Person.objects.get(pk=body["id"])
    assert person.school_agency == council["school"]
    again = mash_api.call("get", f"/persons/{person.pk}").json()
    assert again["school_urn"] == "123456"


@pytest.mark.parametrize(
    ("urn", "says"),
    [("999999", "No school with URN 999999 uses SafeHub"), ("12A", "as 6 digits")],
)
def test_an_unknown_or_malformed_urn_is_refused_in_plain_english(mash_api, council, urn, says):
    before = Person.objects.count()
    body = assert_problem(mash_api.call("post", "/persons", {**LEO, "school_urn": urn}), 422)
    assert says in body["errors"]["school_urn"][0]
    assert Person.objects.count() == before


def test_a_school_named_in_words_is_not_matched_to_the_agency_of_that_name(mash_api, council):
    body = mash_api.call("post", "/persons", {**LEO, "school": "Elm Primary School"}).json()
    assert body["school_urn"] == ""
    assert Person.objects.get(pk=body["id"]).school_agency is None


def test_a_new_school_named_in_words_ends_the_reference_to_the_old_one(mash_api, council):
    body = mash_api.call("post", "/persons", {**LEO, "school_urn": "123456"}).json()
    moved = mash_api.call(
        "put",
        f"/persons/{body['id']}",
        {**LEO, "version": body["version"], "school": "Ash Grove Academy"},
    ).json()
    assert (moved["school"], moved["school_urn"]) == ("Ash Grove Academy", "")


def test_the_person_form_chooses_the_school_from_the_list(client_for, people, council):
    child = people["involved"]
    url = reverse("people:person-edit", args=[child.pk])
    client = client_for("social_worker")
    page = client.get(url).content.decode()
    assert "Elm Primary School (URN 123456)" in page
    form = {
        "kind": "child",
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth-day": child.date_of_birth.day,
        "date_of_birth-month": child.date_of_birth.month,
        "date_of_birth-year": child.date_of_birth.year,
        "sex": child.sex,
        "gender_current": child.gender_current,
        "ethnicity": child.ethnicity,
        "disabilities": child.disabilities,
        "upn_unknown": child.upn_unknown,
        "nhs_number": child.nhs_number,
        "school_agency": str(council["school"].pk),
        "version": child.version,
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    child.refresh_from_db()
    assert child.school_agency == council["school"]
    assert child.school == "Elm Primary School"
    detail = client.get(reverse("people:person-detail", args=[child.pk])).content.decode()
    assert "Elm Primary School (URN 123456)" in detail
