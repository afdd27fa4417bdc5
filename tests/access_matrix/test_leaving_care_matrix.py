"""Care leavers: the personal adviser page (team managers only) for every role × every
relation, and a refused birthday record POST saves nothing while an allowed one saves. The
other leaving-care forms are PERSON_ENDPOINTS in matrix.py; their section of the casework
page follows CASEWORK_VIEW (test_casework_matrix.py)."""

from datetime import date

import pytest
from conftest import shows
from django.urls import reverse

from safehub.leaving_care.models import BirthdayRecord
from safehub.leaving_care.tests.conftest import looked_after
from safehub.people.models import Person
from tests.access_matrix.matrix import EDIT, RELATIONS, VIEW

MANAGERS = {"team_manager"}


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("role", list(VIEW))
def test_personal_adviser_page(role, relation, people, client_for):
    person = people[relation]
    response = client_for(role).get(reverse("leaving_care:adviser", args=[person.pk]))
    if role not in MANAGERS:
        assert response.status_code == 403, (role, relation)
        assert not shows(person.family_name, response.content)
        return
    expected = EDIT[role].split()[RELATIONS.index(relation)]
    if expected == "A":
        assert response.status_code == 200, (role, relation)
        assert person.given_name.encode() in response.content
    elif expected == "B":
        assert response.status_code == 302
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation)


@pytest.mark.parametrize("role", list(VIEW))
def test_a_birthday_record_is_saved_only_by_those_who_may_change_the_record(
    role, people, users, client_for
):
    child = people["involved"]
    Person.objects.filter(pk=child.pk).update(date_of_birth=date(2007, 9, 15))
    looked_after(child, users["social_worker"], date(2021, 3, 1), date(2024, 1, 10))
    body = {
        "age": "19",
        "contact_date-day": "1",
        "contact_date-month": "9",
        "contact_date-year": "2026",
        "in_touch": "NO",
    }
    response = client_for(role).post(reverse("leaving_care:birthday", args=[child.pk]), body)
    allowed = EDIT[role].split()[RELATIONS.index("involved")] == "A"
    assert response.status_code == (302 if allowed else 404), role
    assert BirthdayRecord.objects.exists() is allowed
