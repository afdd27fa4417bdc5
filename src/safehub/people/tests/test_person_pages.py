"""The person page shows identity, addresses, family network, involvement and a paged
chronology in a fixed number of queries; create and edit refuse bad input whole."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.chronology.services import chronology_append
from safehub.people.models import Person, PersonName
from safehub.people.services import person_move


def _add_entries(person, n, actor):
    for i in range(n):
        chronology_append(
            actor=actor,
            persons=[person],
            event_type="SCHOOL_ATTENDANCE_CONCERN",
            summary=f"Attendance below 80% (week {i})",
        )


def _queries_for_page(client, person):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("people:person-detail", args=[person.pk]))
    assert response.status_code == 200
    return len(queries)


def test_person_page_query_count_does_not_grow_with_chronology(people, users, client_for):
    person = people["involved"]
    client = client_for("social_worker")
    _add_entries(person, 3, users["social_worker"])
    few = _queries_for_page(client, person)
    _add_entries(person, 120, users["social_worker"])
    many = _queries_for_page(client, person)
    assert many == few


def test_the_school_named_on_the_record_costs_the_page_no_query(people, client_for):
    from safehub.organisations.models import Agency, AgencyKind

    person = people["involved"]
    client = client_for("social_worker")
    without = _queries_for_page(client, person)
    school = Agency.objects.create(name="Elm Primary", kind=AgencyKind.SCHOOL, urn="123456")
    Person.objects.filter(pk=person.pk).update(school="Elm Primary", school_agency=school)
    assert _queries_for_page(client, person) == without
    page = client.get(reverse("people:person-detail", args=[person.pk])).content.decode()
    assert "Elm Primary (URN 123456)" in page


def test_person_page_shows_the_whole_picture(people, users, client_for):
    person = people["involved"]
    person_move(
        actor=users["social_worker"],
        person=person,
        address={"line_1": "4 Mill Lane", "town": "Ashby", "postcode": "le65 1aa"},
        start_date=date(2024, 5, 1),
    )
    _add_entries(person, 30, users["social_worker"])
    html = (
        client_for("social_worker")
        .get(reverse("people:person-detail", args=[person.pk]))
        .content.decode()
    )
    assert "Amelia Hart" in html
    assert "943 476 5919" in html
    assert "4 Mill Lane, Ashby, LE65 1AA" in html
    assert "sh-family-network" in html and "Sibling" in html  # noqa: PT018
    assert "Elm Primary School" in html  # contributing agency
    # The allocated worker by name with their team, the chair by name.
    assert "Allocated worker</td>" in html
    assert "Sw Tester – North" in html
    assert "Chair Tester" in html
    assert "moj-timeline__item" in html
    # Each timeline row names who recorded it, where, and how significant it was.
    assert "Sw Tester, Testshire County Council" in html
    assert "Significance: Low" in html
    assert "31 entries" in html  # 30 plus the move
    assert "Chronology pages" in html  # paged: 25 a page


def _create(client, **overrides):
    data = {
        "kind": "child",
        "given_name": "Ruby",
        "family_name": "Marsh",
        "date_of_birth-day": "2",
        "date_of_birth-month": "3",
        "date_of_birth-year": "2018",
        "sex": "F",
        "gender_current": "2",
        "ethnicity": "WBRI",
        "line_1": "1 High St",
        "town": "Ashby",
        "postcode": "LE65 1AA",
    }
    data.update(overrides)
    return client.post(reverse("people:person-create"), data)


def test_create_person_then_open_them(client_for):
    client = client_for("social_worker")
    response = _create(client)
    assert response.status_code == 302
    person = Person.objects.get(given_name="Ruby")
    assert client.get(response["Location"]).status_code == 200
    assert PersonName.objects.filter(person=person, kind="current").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nhs_number": "9434765918"}, "Enter a valid 10-digit NHS number"),
        ({"upn": "B801200005002"}, "The first letter of the UPN does not match"),
        ({"postcode": "ZZ99 ZZZ"}, "Enter a full UK postcode"),
        ({"date_of_birth-year": "2099"}, "Date of birth must be in the past"),
        ({"given_name": "<script>alert(1)</script>"}, "must only include letters"),
        ({"kind": "unborn"}, "An unborn child cannot have a date of birth"),
    ],
)
def test_bad_input_gets_a_plain_english_error_and_saves_nothing(
    overrides,
    message,
    client_for,
):
    response = _create(client_for("social_worker"), **overrides)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert message in html
    assert "<script>alert(1)</script>" not in html
    assert not Person.objects.filter(family_name="Marsh").exists()


def test_impossible_relationship_is_refused_on_the_page(people, client_for):
    person = people["involved"]
    response = client_for("social_worker").post(
        reverse("people:relationship-add", args=[person.pk]),
        {"other": str(person.pk), "type": "parent"},
    )
    assert "A person cannot be related to themselves" in response.content.decode()


@pytest.mark.django_db
def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == {"status": "ok", "vendor": connection.vendor}


def test_person_page_lists_the_household(people, users, client_for):
    from conftest import allocate

    from safehub.people.models import Address, Household, PersonAddress, Relationship

    person = people["involved"]
    sibling = Relationship.objects.get(subject=person).other
    allocate(sibling, users["social_worker"])
    home = Address.objects.create(line_1="9 Kiln Row", town="Ashby", postcode="LE65 2BB")
    household = Household.objects.create(address=home)
    for member in (person, sibling):
        PersonAddress.objects.create(
            person=member, address=home, household=household, start_date=date(2020, 1, 1)
        )
    html = (
        client_for("social_worker")
        .get(reverse("people:person-detail", args=[person.pk]))
        .content.decode()
    )
    assert "Lives with:" in html
    assert f'href="/people/{sibling.pk}/">{sibling.full_name}</a>' in html


def test_api_token_command_issues_a_working_token(users, capsys):
    from django.core.management import call_command
    from django.test import Client

    call_command("create_api_token", "mash", "School MIS feed")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    response = Client().post(
        "/api/v1/persons/search",
        '{"name": "Hart"}',
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 200


def test_the_chronologys_restricted_entry_scope_costs_the_page_no_query(people, client_for):
    """The page lists the person's open involvements; the policy weighs those for whose
    restricted partner entries the reader sees whole, instead of reading the allocations
    again (ADR 0055)."""
    person = people["involved"]
    client = client_for("social_worker")
    client.get(reverse("people:person-detail", args=[person.pk]))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("people:person-detail", args=[person.pk])).status_code == 200
    involvement_reads = [q["sql"] for q in queries if '"access_involvement"' in q["sql"]]
    assert not [sql for sql in involvement_reads if "allocated_worker" in sql]
    # The access decision, the relatives' decisions, and the page's list of who is involved.
    assert len(involvement_reads) <= 3
