"""Who is on each register and who is not, on a given day; what each row says; and that the
policy decides every row and the audit names them."""

from datetime import date, timedelta

import pytest

from safehub.access.models import Involvement, InvolvementKind
from safehub.audit.models import AuditAction, AuditEvent
from safehub.hardtosee.selectors import (
    Register,
    RegisterFilters,
    age_on,
    cme_register,
    ehe_register,
    no_contact_register,
    register_export,
    register_page,
    register_people,
    under_ones_register,
    years_before,
)
from safehub.hardtosee.services import register_facts_for
from safehub.hardtosee.tests.conftest import AS_OF, allocate, child, happened, subjects
from safehub.people.models import Address, PersonAddress

pytestmark = pytest.mark.django_db


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


# --- Elective home education -------------------------------------------------------------


def test_ehe_latest_registered_is_on_and_ended_is_off(users):
    actor = users["mash_worker"]
    registered = child("Reg")
    happened(actor, registered, "ehe_registered", date(2026, 9, 1))
    ended = child("Ended")
    happened(actor, ended, "ehe_registered", date(2026, 1, 5))
    happened(actor, ended, "ehe_ended", date(2026, 6, 1))
    again = child("Again")
    happened(actor, again, "ehe_registered", date(2025, 1, 5))
    happened(actor, again, "ehe_ended", date(2025, 6, 1))
    happened(actor, again, "ehe_registered", date(2026, 10, 1))
    never = child("Never")
    happened(actor, never, "VISIT", date(2026, 10, 1))

    assert _ids(ehe_register(AS_OF)) == {registered.pk, again.pk}


def test_ehe_is_as_of_the_day(users):
    actor = users["mash_worker"]
    later = child("Later")
    happened(actor, later, "ehe_registered", date(2026, 11, 21))
    ends_later = child("EndsLater")
    happened(actor, ends_later, "ehe_registered", date(2026, 3, 1))
    happened(actor, ends_later, "ehe_ended", date(2026, 11, 21))
    on_the_day = child("OnTheDay")
    happened(actor, on_the_day, "ehe_registered", AS_OF)

    assert _ids(ehe_register(AS_OF)) == {ends_later.pk, on_the_day.pk}
    assert _ids(ehe_register(AS_OF + timedelta(days=1))) == {later.pk, on_the_day.pk}
    assert _ids(ehe_register(date(2026, 2, 1))) == set()


def test_ehe_leaves_out_adults_and_the_dead(users):
    actor = users["mash_worker"]
    turned_18 = child("Grown", born=years_before(AS_OF, 18))
    happened(actor, turned_18, "ehe_registered", date(2026, 1, 1))
    died = child("Died", date_of_death=date(2026, 10, 1))
    happened(actor, died, "ehe_registered", date(2026, 1, 1))
    seventeen = child("Seventeen", born=years_before(AS_OF, 18) + timedelta(days=1))
    happened(actor, seventeen, "ehe_registered", date(2026, 1, 1))

    assert _ids(ehe_register(AS_OF)) == {seventeen.pk}


# --- Children missing education ------------------------------------------------------------


def test_cme_until_a_sign_of_a_roll_or_home_education(users):
    actor = users["mash_worker"]
    missing = child("Missing")
    happened(actor, missing, "child_missing_education", date(2026, 10, 1))
    back_at_school = child("Back")
    happened(actor, back_at_school, "child_missing_education", date(2026, 9, 1))
    happened(actor, back_at_school, "suspension", date(2026, 10, 1))
    home = child("Home")
    happened(actor, home, "child_missing_education", date(2026, 9, 1))
    happened(actor, home, "ehe_registered", date(2026, 10, 1))
    missing_again = child("MissingAgain")
    happened(actor, missing_again, "severe_absence", date(2026, 8, 1))
    happened(actor, missing_again, "child_missing_education", date(2026, 10, 1))
    # A visit is not a sign of a school roll.
    visited = child("Visited")
    happened(actor, visited, "child_missing_education", date(2026, 9, 1))
    happened(actor, visited, "VISIT", date(2026, 10, 1))

    assert _ids(cme_register(AS_OF)) == {missing.pk, missing_again.pk, visited.pk}
    assert _ids(cme_register(date(2026, 9, 15))) == {back_at_school.pk, home.pk, visited.pk}


# --- Babies under one --------------------------------------------------------------------


def test_under_ones_known_to_a_service(users):
    actor = users["mash_worker"]
    involved = child("Involved", born=date(2026, 5, 1))
    allocate(involved, users["social_worker"])
    seen = child("Seen", born=date(2026, 8, 1))
    happened(actor, seen, "health_visitor_contact", date(2026, 8, 20))
    unknown = child("Unknown", born=date(2026, 7, 1))
    happened(actor, unknown, "PERSON_CREATED", date(2026, 7, 2))  # only a record made
    one_year_old = child("One", born=years_before(AS_OF, 1))
    allocate(one_year_old, users["social_worker"])
    ended = child("Ended", born=date(2026, 6, 1))
    Involvement.objects.create(
        person=ended,
        kind=InvolvementKind.TEAM,
        team=users["social_worker"].team,
        start_date=date(2026, 6, 2),
        end_date=date(2026, 7, 1),
    )
    not_born_yet = child("Later", born=date(2026, 11, 21))
    allocate(not_born_yet, users["social_worker"])

    assert _ids(under_ones_register(AS_OF)) == {involved.pk, seen.pk}
    assert unknown.pk not in _ids(under_ones_register(AS_OF))
    # Before the health visitor came, that baby was known to nobody; and in August the
    # oldest was still under one.
    assert _ids(under_ones_register(date(2026, 8, 10))) == {involved.pk, one_year_old.pk}


# --- No professional contact -----------------------------------------------------------


def test_no_contact_within_the_days_chosen(users):
    actor = users["mash_worker"]
    long_ago = child("LongAgo")
    allocate(long_ago, users["social_worker"])
    happened(actor, long_ago, "VISIT", AS_OF - timedelta(days=100))
    recent = child("Recent")
    allocate(recent, users["social_worker"])
    happened(actor, recent, "health_visitor_contact", AS_OF - timedelta(days=30))
    never = child("Never")
    allocate(never, users["social_worker"])
    # Absence is not contact.
    absent = child("Absent")
    allocate(absent, users["social_worker"])
    happened(actor, absent, "persistent_absence", AS_OF - timedelta(days=5))
    # Nobody's involved: not known to a service.
    unknown = child("Unknown")

    assert _ids(no_contact_register(AS_OF, 90)) == {long_ago.pk, never.pk, absent.pk}
    assert _ids(no_contact_register(AS_OF, 20)) == {long_ago.pk, recent.pk, never.pk, absent.pk}
    # The 90th day back counts as within 90 days; the 91st does not.
    assert long_ago.pk in _ids(no_contact_register(AS_OF, 100))
    assert long_ago.pk not in _ids(no_contact_register(AS_OF, 101))
    assert unknown.pk not in _ids(no_contact_register(AS_OF, 20))
    # Before the visit was a hundred days old it was recent.
    assert long_ago.pk not in _ids(no_contact_register(AS_OF - timedelta(days=50), 90))


# --- Rows, filters, policy and audit -----------------------------------------------------


def _home(person, postcode: str) -> None:
    address = Address.objects.create(line_1="1 Lane", town="Demo", postcode=postcode)
    PersonAddress.objects.create(person=person, address=address)
    register_facts_for([person.pk])  # written directly: the row worked out as a move would


def test_rows_show_the_last_professional_contact_and_when_registered(users):
    actor = users["mash_worker"]
    home_educated = child("Home")
    allocate(home_educated, users["social_worker"])
    _home(home_educated, "DM1 2AB")
    happened(actor, home_educated, "ehe_registered", date(2026, 2, 3))
    happened(actor, home_educated, "VISIT", date(2026, 6, 1))
    happened(actor, home_educated, "dsl_welfare_concern", date(2026, 7, 9))
    happened(actor, home_educated, "was_not_brought", date(2026, 9, 1))  # not contact

    page = register_page(actor=actor, register=Register.EHE, as_of=AS_OF, filters=RegisterFilters())
    (row,) = page.rows
    assert row.person_id == home_educated.pk
    assert row.since == date(2026, 2, 3)
    assert row.last_contact == date(2026, 7, 9)
    assert row.days_since_contact == (AS_OF - date(2026, 7, 9)).days
    assert row.postcode == "DM1 2AB"
    assert row.team == "North"
    assert row.age == "12"


def test_filters_narrow_the_register(users, council):
    actor = users["mash_worker"]
    young = child("Young", born=date(2023, 1, 1))
    allocate(young, users["social_worker"])
    _home(young, "DM1 2AB")
    old = child("Old", born=date(2010, 1, 1))
    allocate(old, users["south_worker"])
    _home(old, "DM12 3CD")
    happened(actor, old, "VISIT", AS_OF - timedelta(days=10))

    def shown(**filters) -> set[int]:
        people = register_people(
            Register.NO_CONTACT, as_of=AS_OF, filters=RegisterFilters(**filters)
        )
        return _ids(people)

    assert shown(days_without_contact=5) == {young.pk, old.pk}
    assert shown() == {young.pk}
    assert shown(days_without_contact=5, age_band="0-4") == {young.pk}
    assert shown(days_without_contact=5, age_band="16-17") == {old.pk}
    assert shown(days_without_contact=5, district="DM1") == {young.pk}
    assert shown(days_without_contact=5, district="DM12") == {old.pk}
    south = council["teams"]["South"]
    assert shown(days_without_contact=5, team_id=south.pk) == {old.pk}


def test_each_row_is_a_child_the_reader_may_see_and_the_audit_names_them(users, people):
    actor = users["mash_worker"]
    for person in people.values():
        happened(actor, person, "ehe_registered", date(2026, 3, 1))

    manager = users["team_manager"]  # team North: involved, same_team (and the restricted)
    page = register_page(
        actor=manager, register=Register.EHE, as_of=AS_OF, filters=RegisterFilters()
    )
    shown = {r.person_id for r in page.rows}
    assert shown == {people["involved"].pk, people["same_team"].pk}
    assert page.count == 2
    audit = AuditEvent.objects.filter(actor=manager, action=AuditAction.LIST).get()
    assert audit.object_type == "hardtosee.elective-home-education"
    assert subjects(audit) == sorted(shown)

    mash = register_page(actor=actor, register=Register.EHE, as_of=AS_OF, filters=RegisterFilters())
    assert {r.person_id for r in mash.rows} == {
        people["involved"].pk,
        people["same_team"].pk,
        people["unrelated"].pk,
    }

    rows = register_export(
        actor=manager, register=Register.EHE, as_of=AS_OF, filters=RegisterFilters()
    )
    assert {r.person_id for r in rows} == shown
    export = AuditEvent.objects.filter(actor=manager, action=AuditAction.EXPORT).get()
    assert subjects(export) == sorted(shown)


def test_the_number_of_queries_does_not_grow_with_the_rows(users, django_assert_num_queries):
    actor = users["mash_worker"]

    def queries_for_page() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            register_page(
                actor=actor,
                register=Register.NO_CONTACT,
                as_of=AS_OF,
                filters=RegisterFilters(district="DM1", age_band="5-10"),
            )
        return len(captured)

    first = child("First")
    allocate(first, users["social_worker"])
    _home(first, "DM1 1AA")
    one = queries_for_page()
    for n in range(12):
        more = child(f"More{n}")
        allocate(more, users["social_worker"])
        _home(more, "DM1 1AA")
        happened(actor, more, "VISIT", AS_OF - timedelta(days=200 + n))
    assert queries_for_page() == one


def test_age_in_words():
    assert age_on(date(2026, 5, 20), AS_OF) == "6 months"
    assert age_on(date(2025, 11, 21), AS_OF) == "11 months"
    assert age_on(date(2025, 11, 20), AS_OF) == "1"
    assert age_on(None, AS_OF) == "Not known"
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
