"""Every person view, search, change and export leaves exactly one audit row; nothing in the
app can change or delete one, and on PostgreSQL neither can SQL."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from safehub.audit.models import AppendOnlyError, AuditAction, AuditEvent


def _rows(**filters):
    return list(AuditEvent.objects.filter(**filters))


def test_viewing_a_person_leaves_one_view_row(people, users, client_for):
    person = people["involved"]
    client_for("social_worker").get(reverse("people:person-detail", args=[person.pk]))
    rows = _rows(person_id=person.pk)
    assert [r.action for r in rows] == [AuditAction.VIEW]
    assert rows[0].actor == users["social_worker"]
    assert rows[0].actor_role == "social_worker"
    assert rows[0].ip_address == "127.0.0.1"
    assert rows[0].request_id


def test_paging_the_chronology_is_one_view_per_page(people, client_for):
    person = people["involved"]
    client = client_for("social_worker")
    for page in (1, 2):
        client.get(reverse("people:person-detail", args=[person.pk]) + f"?page={page}")
    assert len(_rows(person_id=person.pk, action=AuditAction.VIEW)) == 2


def test_a_search_leaves_one_row_naming_who_it_found(people, client_for):
    client_for("mash_worker").post(reverse("people:person-search"), {"name": "Hart"})
    rows = _rows(action=AuditAction.SEARCH)
    assert len(rows) == 1
    assert rows[0].detail["criteria"] == {"name": "Hart"}
    assert f",{people['involved'].pk}," in rows[0].subject_ids
    assert f",{people['same_team'].pk}," in rows[0].subject_ids


def test_a_change_leaves_one_change_row_with_field_names_not_values(people, client_for):
    person = people["involved"]
    client = client_for("social_worker")
    form = client.get(reverse("people:person-edit", args=[person.pk]))
    assert form.status_code == 200
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("people:person-edit", args=[person.pk]),
        {
            "kind": "child",
            "given_name": "Amelia",
            "family_name": "Hart",
            "date_of_birth-day": "3",
            "date_of_birth-month": "4",
            "date_of_birth-year": "2015",
            "sex": "F",
            "gender_current": "2",
            "ethnicity": "WBRI",
            "disabilities": "NONE",
            "upn_unknown": "UN4",
            "first_language": "Welsh",
            "nhs_number": "9434765919",
            "version": str(person.version),
        },
    )
    assert response.status_code == 302
    new = list(AuditEvent.objects.order_by("pk")[before:])
    assert [r.action for r in new] == [AuditAction.CHANGE]
    assert set(new[0].detail["fields"]) == {"sex", "gender_current", "ethnicity", "first_language"}
    assert "Welsh" not in str(new[0].detail)


def test_an_export_leaves_one_export_row(people, client_for):
    person = people["involved"]
    response = client_for("social_worker").get(reverse("people:person-export", args=[person.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert [r.action for r in _rows(person_id=person.pk)] == [AuditAction.EXPORT]


def test_the_app_cannot_change_or_delete_audit_rows(people, client_for):
    client_for("social_worker").get(reverse("people:person-detail", args=[people["involved"].pk]))
    row = AuditEvent.objects.get()
    row.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get().reason == ""


@pytest.mark.postgres_only
def test_postgres_refuses_sql_that_changes_or_deletes_audit_rows(people, client_for):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists only on PostgreSQL")
    client_for("social_worker").get(reverse("people:person-detail", args=[people["involved"].pk]))
    for sql in ("UPDATE audit_auditevent SET reason = 'x'", "DELETE FROM audit_auditevent"):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 1


def test_dpo_sees_who_viewed_searched_and_changed_a_person(people, users, client_for):
    person = people["involved"]
    client_for("social_worker").get(reverse("people:person-detail", args=[person.pk]))
    client_for("mash_worker").post(reverse("people:person-search"), {"name": "Amelia Hart"})
    client_for("partner_practitioner").get(reverse("people:person-detail", args=[person.pk]))
    page = client_for("data_protection_officer").get(
        reverse("audit:audit-home"), {"person_id": person.pk}
    )
    html = page.content.decode()
    assert page.status_code == 200
    for username in ("sw", "mash", "dsl"):
        assert username in html
    assert "Searched for: name “Amelia Hart”" in html
    # The DPO's own look at the trail is itself recorded.
    assert (
        AuditEvent.objects.filter(
            action=AuditAction.AUDIT_VIEW,
            person_id=person.pk,
            actor=users["data_protection_officer"],
        ).count()
        == 1
    )


def test_dpo_sees_everything_one_user_looked_at_filtered_by_date(
    people,
    users,
    client_for,
):
    client = client_for("social_worker")
    client.get(reverse("people:person-detail", args=[people["involved"].pk]))
    client.get(reverse("people:person-detail", args=[people["same_team"].pk]))
    dpo = client_for("data_protection_officer")
    page = dpo.get(reverse("audit:audit-home"), {"username": "sw"})
    html = page.content.decode()
    assert f"SafeHub ID {people['involved'].pk}" in html
    assert f"SafeHub ID {people['same_team'].pk}" in html
    empty = dpo.get(
        reverse("audit:audit-home"),
        {
            "username": "sw",
            "date_from-day": "1",
            "date_from-month": "1",
            "date_from-year": "2001",
            "date_to-day": "2",
            "date_to-month": "1",
            "date_to-year": "2001",
        },
    )
    assert "No activity in this period." in empty.content.decode()


def test_audit_filter_bad_input_gets_plain_english_errors(client_for):
    page = client_for("data_protection_officer").get(
        reverse("audit:audit-home"),
        {
            "person_id": "abc",
            "date_from-day": "31",
            "date_from-month": "2",
            "date_from-year": "2026",
        },
    )
    html = page.content.decode()
    assert "There is a problem" in html
    assert "Enter a SafeHub ID, which is a number" in html
    assert "The &#39;from&#39; date must be a real date" in html
