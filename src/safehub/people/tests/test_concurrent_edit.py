"""Two workers editing the same person cannot silently overwrite each other."""

import threading

import pytest
from django.db import connections
from django.urls import reverse

from safehub.core.exceptions import ConcurrentEditError
from safehub.people.models import Person
from safehub.people.services import person_update


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("writers", [2, 10])
def test_of_n_simultaneous_saves_from_one_version_exactly_one_wins(writers, people, users):
    person = people["involved"]
    start = threading.Barrier(writers)
    outcomes: list[str] = []
    lock = threading.Lock()

    def save(n: int) -> None:
        try:
            target = Person.objects.get(pk=person.pk)
            start.wait()
            person_update(
                actor=users["social_worker"],
                person=target,
                expected_version=1,
                data={"first_language": f"Language {n}"},
            )
            result = "saved"
        except ConcurrentEditError:
            result = "conflict"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * (writers - 1) + ["saved"]
    person.refresh_from_db()
    assert person.version == 2
    assert person.first_language.startswith("Language ")


def _edit(client, person, version, language):
    return client.post(
        reverse("people:person-edit", args=[person.pk]),
        {
            "kind": "child",
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth-day": person.date_of_birth.day,
            "date_of_birth-month": person.date_of_birth.month,
            "date_of_birth-year": person.date_of_birth.year,
            "sex": "U",
            "gender_current": "0",
            "ethnicity": "NOBT",
            "disabilities": "NONE",
            "upn_unknown": "UN4",
            "first_language": language,
            "nhs_number": person.nhs_number,
            "version": version,
        },
    )


def test_second_save_from_a_stale_form_is_refused_and_shows_what_changed(
    people,
    client_for,
):
    person = people["involved"]
    first, second = client_for("social_worker"), client_for("colleague")
    assert _edit(first, person, 1, "Polish").status_code == 302
    response = _edit(second, person, 1, "Urdu")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Your changes were not saved" in html
    assert "Polish" in html and "Urdu" in html  # noqa: PT018 - both sides shown
    assert "Sw Tester" in html  # who saved first
    person.refresh_from_db()
    assert person.first_language == "Polish"
    assert person.version == 2
