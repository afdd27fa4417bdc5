"""The care leaver pages through Django's test client: the section on the casework page
(its query count does not grow with the history), the adviser's "my work", each form's
happy path and a refusal shown in the GOV.UK error summary with nothing saved."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.casework import services as casework_services
from safehub.leaving_care import services
from safehub.leaving_care.models import BirthdayRecord, CareLeaver, PathwayPlan, StayingPut

pytestmark = pytest.mark.django_db


def _d(name: str, value: date) -> dict[str, str]:
    return {
        f"{name}-day": str(value.day),
        f"{name}-month": str(value.month),
        f"{name}-year": str(value.year),
    }


def _birthday_post(**changes: Any) -> dict[str, Any]:
    data = {
        "age": "19",
        **_d("contact_date", date(2026, 9, 20)),
        "in_touch": "YES",
        "accommodation": "U",
        "suitable": "yes",
        "activity": "F5",
    }
    return {**data, **changes}


def _advised_by_colleague(users: Any, leaver: Any) -> None:
    services.adviser_allocate(
        actor=users["team_manager"],
        child=leaver,
        adviser=users["colleague"],
        support_to_25=False,
        expected_version=None,
    )


def test_the_casework_page_shows_the_leaving_care_section(
    leaver: Any, client_for: Any, users: Any
) -> None:
    _advised_by_colleague(users, leaver)
    page = client_for("social_worker").get(reverse("casework:child-casework", args=[leaver.pk]))
    text = page.content.decode()
    assert 'id="leaving-care"' in text
    assert "Former relevant" in text
    assert "Sw2 Tester" in text  # the personal adviser
    assert "Record the 20th birthday" in text
    assert reverse("leaving_care:birthday", args=[leaver.pk]) in text


def test_a_child_with_no_leaving_care_history_has_no_section(people: Any, client_for: Any) -> None:
    page = client_for("social_worker").get(
        reverse("casework:child-casework", args=[people["involved"].pk])
    )
    assert 'id="leaving-care"' not in page.content.decode()


def test_the_section_query_count_does_not_grow_with_history(
    leaver: Any, client_for: Any, users: Any
) -> None:
    sw = client_for("social_worker")
    url = reverse("casework:child-casework", args=[leaver.pk])
    actor = users["social_worker"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert sw.get(url).status_code == 200
        return len(queries)

    services.adviser_allocate(
        actor=users["team_manager"],
        child=leaver,
        adviser=actor,
        support_to_25=True,
        expected_version=None,
    )

    def more(start: date, n: int) -> None:
        for i in range(n):
            services.pathway_plan_record(
                actor=actor, child=leaver, plan_date=start + timedelta(days=i), content=f"Plan {i}"
            )

    more(date(2024, 1, 10), 1)
    services.staying_put_start(
        actor=actor, child=leaver, carer_name="Ms Birch", start_date=date(2025, 9, 15)
    )
    services.birthday_record(
        actor=actor,
        child=leaver,
        age=17,
        contact_date=date(2024, 9, 1),
        in_touch="YES",
        accommodation="B",
        suitable=True,
        activity="F2",
    )
    first = count()
    more(date(2024, 2, 1), 6)
    services.staying_put_end(actor=actor, child=leaver, end_date=date(2025, 12, 1))
    services.staying_put_start(
        actor=actor, child=leaver, carer_name="Mr Oak", start_date=date(2025, 12, 2)
    )
    for age, on in ((18, date(2025, 9, 1)), (19, date(2026, 9, 1))):
        services.birthday_record(
            actor=actor,
            child=leaver,
            age=age,
            contact_date=on,
            in_touch="NO",
        )
    assert count() == first


def test_the_personal_adviser_sees_what_is_due_in_my_work(
    leaver: Any, client_for: Any, users: Any
) -> None:
    _advised_by_colleague(users, leaver)
    services.pathway_plan_record(
        actor=users["colleague"], child=leaver, plan_date=date(2026, 5, 1), content="Plan"
    )
    text = client_for("colleague").get(reverse("casework:my-work")).content.decode()
    assert "Care leavers you are personal adviser to" in text
    assert "Review the pathway plan" in text
    assert "30 October 2026" in text  # overdue
    assert "Overdue by" in text
    assert "Record the 20th birthday" in text
    assert "15 October 2027" in text
    # The social worker, who is nobody's adviser, has no such section.
    text = client_for("social_worker").get(reverse("casework:my-work")).content.decode()
    assert "Care leavers you are personal adviser to" not in text


def test_the_advisers_my_work_names_the_care_leavers_in_its_one_audit_row(
    leaver: Any, client_for: Any, users: Any
) -> None:
    """ADR 0062: the care leavers section writes no row of its own; the page's row names
    them and says the section did."""
    from safehub.audit.models import AuditEvent

    _advised_by_colleague(users, leaver)
    assert client_for("colleague").get(reverse("casework:my-work")).status_code == 200
    (row,) = AuditEvent.objects.filter(
        object_type="casework.my_work", actor_username=users["colleague"].username
    )
    assert f",{leaver.pk}," in row.subject_ids
    assert row.detail["sections"] == {"leaving_care.adviser_work": [leaver.pk]}
    assert not AuditEvent.objects.filter(object_type="leaving_care.adviser_work").exists()


def test_a_birthday_is_recorded_and_a_bad_one_refused(leaver: Any, client_for: Any) -> None:
    sw = client_for("social_worker")
    url = reverse("leaving_care:birthday", args=[leaver.pk])
    page = sw.get(url)
    assert page.status_code == 200
    assert "Which birthday?" in page.content.decode()
    refused = sw.post(url, _birthday_post(suitable=""))
    assert refused.status_code == 200
    assert "Select whether the accommodation is suitable" in refused.content.decode()
    early = sw.post(url, _birthday_post(**_d("contact_date", date(2026, 5, 1))))
    assert "on or after 15 June 2026" in early.content.decode()
    assert not BirthdayRecord.objects.exists()
    done = sw.post(url, _birthday_post())
    assert done.status_code == 302
    record = BirthdayRecord.objects.get()
    assert (record.age, record.in_touch, record.accommodation, record.suitable) == (
        19,
        "YES",
        "U",
        True,
    )


def test_pathway_plan_and_staying_put_pages(leaver: Any, client_for: Any) -> None:
    sw = client_for("social_worker")
    plan = reverse("leaving_care:pathway-plan", args=[leaver.pk])
    assert (
        "Enter what the plan says"
        in sw.post(plan, _d("plan_date", date(2026, 5, 1))).content.decode()
    )
    assert (
        sw.post(plan, {**_d("plan_date", date(2026, 5, 1)), "content": "Flat"}).status_code == 302
    )
    assert PathwayPlan.objects.get().content == "Flat"
    start = reverse("leaving_care:staying-put-start", args=[leaver.pk])
    early = sw.post(start, {"carer_name": "Ms Birch", **_d("start_date", date(2025, 9, 1))})
    assert "on or after the 18th birthday" in early.content.decode()
    assert (
        sw.post(
            start, {"carer_name": "Ms Birch", **_d("start_date", date(2025, 9, 15))}
        ).status_code
        == 302
    )
    end = reverse("leaving_care:staying-put-end", args=[leaver.pk])
    assert sw.post(end, _d("end_date", date(2026, 1, 5))).status_code == 302
    assert StayingPut.objects.get().end_date == date(2026, 1, 5)


def test_only_a_manager_allocates_the_personal_adviser(
    leaver: Any, client_for: Any, users: Any
) -> None:
    url = reverse("leaving_care:adviser", args=[leaver.pk])
    assert client_for("social_worker").get(url).status_code == 403
    tm = client_for("team_manager")
    assert tm.get(url).status_code == 200
    done = tm.post(url, {"adviser": str(users["colleague"].pk), "support_to_25": "on"})
    assert done.status_code == 302
    page = tm.get(url).content.decode()
    assert "Sw2 Tester" in page


def _reading(client: Any, url: str, *tables: str) -> tuple[int, str]:
    """How many of the page's queries read `tables`, and the page; asked a second time, so
    the session's first-request writes are not counted."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    reads = [q["sql"] for q in queries if any(f'"{t}"' in q["sql"] for t in tables)]
    return len(reads), page.content.decode()


def test_my_work_asks_once_whether_its_sections_have_anything(
    leaver: Any, client_for: Any, users: Any
) -> None:
    """The leaving-care and census-task sections share one probe (ADR 0055), carried by the
    query of the worker's allocations (ADR 0058): a worker with a caseload and neither
    section pays no query of its own for them, one without a caseload one for both, and an
    adviser still gets their section."""
    url = reverse("casework:my-work")
    sections = ("leaving_care_careleaver", "returns_validationissue")
    casework_services.allocate(
        actor=users["team_manager"], child=leaver, worker=users["social_worker"]
    )
    sw = client_for("social_worker")  # allocated the care leaver
    assert _reading(sw, url, *sections)[0] == 1  # the allocations, carrying the probe
    colleague = client_for("colleague")  # no caseload: the allocations, then the probe
    assert _reading(colleague, url, *sections)[0] == 2
    _advised_by_colleague(users, leaver)
    reads, page = _reading(colleague, url, *sections)
    assert "Care leavers you are personal adviser to" in page
    # The two, then the section's own read of the care leavers.
    assert reads == 3
    services.adviser_allocate(
        actor=users["team_manager"],
        child=leaver,
        adviser=users["social_worker"],
        support_to_25=False,
        expected_version=CareLeaver.objects.get(child=leaver).version,
    )
    reads, page = _reading(sw, url, *sections)
    assert "Care leavers you are personal adviser to" in page
    assert reads == 2  # the allocations with the probe, then the section's read


def test_the_casework_page_asks_once_for_every_sections_records(
    leaver: Any, client_for: Any, users: Any
) -> None:
    """Whether the child is an unaccompanied asylum seeker or has a leaving-care record or
    any court and adoption record: one query for all (ADR 0055), and the record is read
    once there is one."""
    url = reverse("casework:child-casework", args=[leaver.pk])
    probed = (
        "casework_uascstatus",
        "leaving_care_careleaver",
        "permanence_proceedings",
        "permanence_libertyorder",
        "permanence_adoption",
        "permanence_permanencebefore",
    )
    sw = client_for("social_worker")
    assert _reading(sw, url, *probed)[0] == 1
    _advised_by_colleague(users, leaver)
    reads, page = _reading(sw, url, *probed)
    assert reads == 2
    assert 'id="leaving-care"' in page
    assert str(users["colleague"]) in page
