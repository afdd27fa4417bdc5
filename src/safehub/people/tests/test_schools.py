"""Schools written as text before they were referenced (ADR 0033): the migration maps each
to the school agency of the same name (case, spacing and punctuation aside), and the command
lists those that match none."""

import importlib
from io import StringIO

import pytest
from conftest import make_person
from django.apps import apps
from django.core.management import call_command

from safehub.organisations.models import Agency, AgencyKind
from safehub.people.selectors import school_name_key

pytestmark = pytest.mark.django_db

migration = importlib.import_module("safehub.people.migrations.0011_person_school_agency")


def test_names_compare_without_case_spacing_or_punctuation():
    assert school_name_key("  St. Mary's  C of E Primary ") == "st mary s c of e primary"
    assert school_name_key("ST MARY'S C. OF E. PRIMARY") == "st mary s c of e primary"
    assert school_name_key("Elm & Oak School") == school_name_key("elm and oak school")
    assert school_name_key("Elm Primary") != school_name_key("Elm Primary School")


def test_the_migration_maps_exact_names_and_leaves_the_rest_listed(council):
    oak = Agency.objects.create(name="St. Oak's Academy", kind=AgencyKind.SCHOOL, urn="222222")
    # Two schools whose names compare the same: neither is chosen.
    for name, urn in (("Hill School", "333333"), ("Hill School.", "444444")):
        Agency.objects.create(name=name, kind=AgencyKind.SCHOOL, urn=urn)
    elm = make_person("Elm", "Pupil", school="elm  primary school")
    oaks = make_person("Oak", "Pupil", school="St Oak's academy")
    misspelt = make_person("Miss", "Pupil", school="Elm Primry School")
    hill = make_person("Hill", "Pupil", school="Hill School")
    nothing = make_person("No", "School")

    migration.map_schools(apps, None)

    for person in (elm, oaks, misspelt, hill, nothing):
        person.refresh_from_db()
    assert elm.school_agency == council["school"]
    assert oaks.school_agency == oak
    assert misspelt.school_agency is None
    assert hill.school_agency is None
    assert nothing.school_agency is None
    out = StringIO()
    call_command("schools_unmatched", stdout=out)
    listed = out.getvalue()
    assert "Elm Primry School" in listed
    assert "Hill School" in listed
    assert "elm  primary school" not in listed
    assert "2 school names on 2 records match no school." in listed
