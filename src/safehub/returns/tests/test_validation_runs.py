"""The census check of the live records (ADR 0043): a run finds a mistake planted in a
child's record and opens one issue for whoever holds the case; the next run after it is put
right resolves it; a run over unchanged records opens nothing new; two runs never run at
once; the issue reaches the owner's and their manager's "my work" with a link to where it
is put right; the nightly schedule is in place; a run asked for runs on the job queue."""

from datetime import date, timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, make_person, sign_in
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_q.models import Schedule

from safehub.access.models import Involvement, InvolvementKind, RestrictedAccess
from safehub.audit.models import AuditEvent
from safehub.casework.models import Allocation, Episode
from safehub.core.identifiers import UPN_LETTERS, upn_check_letter
from safehub.insight.models import Job, JobKind, JobStatus
from safehub.insight.services import job_run
from safehub.insight.tests.conftest import allocation
from safehub.returns.models import OwnerKind, RunStatus, ValidationIssue, ValidationRun
from safehub.returns.services import validation_request, validation_run

pytestmark = pytest.mark.django_db
BODY = "201145001001"  # a UPN without its check letter
GOOD_UPN = upn_check_letter(BODY) + BODY
BAD_UPN = UPN_LETTERS[(UPN_LETTERS.index(GOOD_UPN[0]) + 1) % len(UPN_LETTERS)] + BODY


def _child_in_need(upn: str, by: Any, family: str = "Ward") -> Any:
    """A child referred this census year, the referral taken further (need N1)."""
    child = make_person("Leo", family, date(2016, 5, 4), upn=upn, sex="M")
    Episode.objects.create(
        kind="cin",
        child=child,
        referral_date=date(2026, 6, 1),
        referral_source="1A",
        primary_need="N1",
        opened_by=by,
    )
    return child


@pytest.fixture
def planted(users: Any) -> Any:
    """A child in need this census year, allocated to the social worker, whose UPN was
    keyed with the wrong check letter (written straight to the table, as a migration from
    an old system would have)."""
    child = _child_in_need(BAD_UPN, users["social_worker"])
    allocation(child, users["social_worker"], date(2026, 6, 2))
    return child


def _open(rule: str = "1510") -> list[ValidationIssue]:
    return list(ValidationIssue.objects.filter(rule=rule, resolved_at__isnull=True))


def test_a_run_finds_a_planted_mistake_and_gives_it_to_the_allocated_worker(planted, users):
    run = validation_run(as_of=TEST_TODAY)
    assert run is not None
    assert run.status == RunStatus.DONE
    assert run.census_year == "2026-27"
    assert run.reference_date == TEST_TODAY
    (issue,) = _open()
    assert issue.child_id == planted.pk
    assert issue.owner_kind == OwnerKind.WORKER
    assert issue.owner_worker == users["social_worker"]
    assert issue.owner_team == users["social_worker"].team
    assert issue.first_seen_run == run == issue.last_seen_run
    assert run.counts["1510"] == 1
    assert run.opened >= 1
    assert AuditEvent.objects.filter(object_type="returns.validation_run").count() == 1


def test_the_next_run_after_the_record_is_put_right_resolves_it(planted):
    first = validation_run(as_of=TEST_TODAY)
    planted.upn = GOOD_UPN
    planted.save(update_fields=["upn"])
    second = validation_run(as_of=TEST_TODAY)
    assert _open() == []
    issue = ValidationIssue.objects.get(rule="1510", child=planted)
    assert issue.resolved_run == second
    assert issue.first_seen_run == first
    assert second is not None
    assert second.resolved >= 1
    assert "1510" not in second.counts


def test_a_run_over_unchanged_records_opens_no_second_issue(planted):
    first = validation_run(as_of=TEST_TODAY)
    before = ValidationIssue.objects.count()
    second = validation_run(as_of=TEST_TODAY)
    assert ValidationIssue.objects.count() == before
    (issue,) = _open()
    assert issue.first_seen_run == first
    assert issue.last_seen_run == second
    assert second is not None
    assert second.opened == 0
    assert second.resolved == 0


def test_a_mistake_found_again_after_it_was_resolved_is_a_new_issue(planted):
    validation_run(as_of=TEST_TODAY)
    planted.upn = GOOD_UPN
    planted.save(update_fields=["upn"])
    validation_run(as_of=TEST_TODAY)
    planted.upn = BAD_UPN
    planted.save(update_fields=["upn"])
    validation_run(as_of=TEST_TODAY)
    assert ValidationIssue.objects.filter(rule="1510", child=planted).count() == 2
    assert len(_open()) == 1


def test_without_an_allocated_worker_the_team_owns_it_and_without_a_team_the_mash(users, council):
    by_team = _child_in_need(BAD_UPN, users["team_manager"], "Teamed")
    Involvement.objects.create(
        person=by_team, kind=InvolvementKind.TEAM, team=council["teams"]["South"]
    )
    nobody = _child_in_need(BAD_UPN, users["team_manager"], "Unheld")
    validation_run(as_of=TEST_TODAY)
    owned = {i.child_id: i for i in _open()}
    assert owned[by_team.pk].owner_kind == OwnerKind.TEAM
    assert owned[by_team.pk].owner_team == council["teams"]["South"]
    assert owned[by_team.pk].owner_worker is None
    assert owned[nobody.pk].owner_kind == OwnerKind.MASH
    assert owned[nobody.pk].owner_team is None
    assert owned[nobody.pk].owner_worker is None


def test_an_issue_moves_with_the_case(planted, users):
    validation_run(as_of=TEST_TODAY)
    Allocation.objects.filter(child=planted).update(end_date=date(2026, 11, 1))
    allocation(planted, users["south_worker"], date(2026, 11, 1))
    validation_run(as_of=TEST_TODAY)
    (issue,) = _open()
    assert issue.owner_worker == users["south_worker"]


def test_two_runs_never_run_at_once(planted):
    now = timezone.now()
    holder = ValidationRun.objects.create(
        census_year="2025-26", reference_date=TEST_TODAY, started_at=now, heartbeat_at=now
    )
    assert validation_run(as_of=TEST_TODAY) is None
    assert ValidationIssue.objects.count() == 0
    # The database itself refuses a second running run, whoever inserts it.
    with pytest.raises(IntegrityError), transaction.atomic():
        ValidationRun.objects.create(
            census_year="2025-26", reference_date=TEST_TODAY, started_at=now, heartbeat_at=now
        )
    # A run silent for longer than the lease died: the next run marks it and goes ahead.
    ValidationRun.objects.filter(pk=holder.pk).update(heartbeat_at=now - timedelta(hours=1))
    run = validation_run(as_of=TEST_TODAY)
    assert run is not None
    assert run.status == RunStatus.DONE
    holder.refresh_from_db()
    assert holder.status == RunStatus.ABANDONED


def test_a_failed_run_gives_up_the_lease(planted, monkeypatch):
    from safehub.returns import services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "validate_live", broken)
    with pytest.raises(RuntimeError):
        validation_run(as_of=TEST_TODAY)
    assert ValidationRun.objects.get().status == RunStatus.FAILED
    monkeypatch.undo()
    assert validation_run(as_of=TEST_TODAY) is not None


def test_a_check_asked_for_runs_on_the_job_queue(planted, users):
    job = validation_request(actor=users["performance_analyst"])
    assert job is not None
    assert job.kind == JobKind.CIN_VALIDATION
    assert job_run(job_id=job.pk) == "done"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.percent == 100
    assert ValidationRun.objects.get().job == job
    assert len(_open()) == 1


def test_the_nightly_check_is_scheduled():
    schedule = Schedule.objects.get(func="safehub.returns.tasks.nightly_validation")
    assert schedule.schedule_type == Schedule.DAILY
    assert schedule.next_run is not None
    assert schedule.next_run.hour in (1, 2)


def test_the_nightly_task_runs_a_job(planted):
    from safehub.returns.tasks import nightly_validation

    assert nightly_validation() == "done"
    job = Job.objects.get(kind=JobKind.CIN_VALIDATION)
    assert job.requested_by is None
    assert job.status == JobStatus.DONE
    assert len(_open()) == 1


# --- My work -------------------------------------------------------------------------------


def _my_work(users: Any, role: str) -> str:
    response = sign_in(Client(), users[role]).get(reverse("casework:my-work"))
    return response.content.decode() if response.status_code == 200 else ""


def test_the_task_is_in_the_owners_and_their_managers_my_work(planted, users):
    validation_run(as_of=TEST_TODAY)
    rule = "UPN is not valid: its first character is not the right check letter."
    fix = reverse("people:person-edit", args=[planted.pk])
    for role in ("social_worker", "team_manager"):
        page = _my_work(users, role)
        assert 'id="census-issues"' in page, role
        assert rule in page, role
        assert fix in page, role
        assert planted.full_name in page, role
        # What the check found, in words: the element's name, not the census's.
        assert f"Unique pupil number: {planted.upn}" in page, role
        assert "Census rule 1510" in page, role
    for role in ("colleague", "south_worker"):
        assert 'id="census-issues"' not in _my_work(users, role), role
    # Each page's one audit row names the child, and says the census section named them
    # (ADR 0062): the worker's own child, and for the manager one the page had not read.
    listed = AuditEvent.objects.filter(
        object_type="casework.my_work", actor_username__in=["sw", "tm"]
    )
    assert sorted(e.actor_username for e in listed) == ["sw", "tm"]
    for e in listed:
        assert f",{planted.pk}," in e.subject_ids
        assert e.detail["sections"] == {"returns.validation_tasks": [planted.pk]}
    assert not AuditEvent.objects.filter(object_type="returns.validation_tasks").exists()


def test_a_census_task_about_a_child_the_reader_may_not_open_is_not_named(planted, users):
    """The policy is still asked about a task's child whom "my work" has not already
    decided (the manager's team's tasks): a restricted child off their allow-list is shown
    without a name and left out of the page's audit row."""
    validation_run(as_of=TEST_TODAY)
    planted.is_restricted = True
    planted.save(update_fields=["is_restricted"])
    RestrictedAccess.objects.create(person=planted, user=users["social_worker"])
    worker_page = _my_work(users, "social_worker")
    assert planted.full_name in worker_page
    manager_page = _my_work(users, "team_manager")
    assert 'id="census-issues"' in manager_page
    assert planted.full_name not in manager_page
    assert f"Restricted record (SafeHub ID {planted.pk})" in manager_page
    assert planted.upn not in manager_page  # nor what the check found on the record
    (row,) = AuditEvent.objects.filter(object_type="casework.my_work", actor_username="tm")
    assert f",{planted.pk}," not in row.subject_ids
    assert "sections" not in row.detail


def test_a_put_right_issue_leaves_my_work_after_the_next_run(planted, users):
    validation_run(as_of=TEST_TODAY)
    planted.upn = GOOD_UPN
    planted.save(update_fields=["upn"])
    assert 'id="census-issues"' in _my_work(users, "social_worker")  # until the next run
    validation_run(as_of=TEST_TODAY)
    assert 'id="census-issues"' not in _my_work(users, "social_worker")


# --- The page ------------------------------------------------------------------------------


def test_the_page_shows_open_issues_by_rule_team_and_worker_and_the_trend(planted, users):
    validation_run(as_of=TEST_TODAY)
    planted.upn = GOOD_UPN
    planted.save(update_fields=["upn"])
    validation_run(as_of=TEST_TODAY)
    planted.upn = BAD_UPN
    planted.save(update_fields=["upn"])
    validation_run(as_of=TEST_TODAY)
    client = sign_in(Client(), users["performance_analyst"])
    page = client.get(reverse("returns:validation")).content.decode()
    rule_link = reverse("returns:validation-drill", args=["rule", "1510"])
    team_link = reverse("returns:validation-drill", args=["team", users["social_worker"].team_id])
    worker_link = reverse("returns:validation-drill", args=["worker", users["social_worker"].pk])
    for table, link in (("by-rule", rule_link), ("by-team", team_link), ("by-worker", worker_link)):
        assert f'id="{table}"' in page, table
        assert link in page, table
    # The trend: a chart described in words and its table, one row per run (open, new,
    # put right), so nothing is carried by the line alone.
    assert 'role="img"' in page
    assert 'id="trend-table"' in page
    trend = page.split('id="trend-table"', 1)[1].split("</table>", 1)[0]
    assert trend.count('<th scope="row"') == 3
    # A rule about the return as a whole names no child and is nobody's task.
    whole = client.get(reverse("returns:validation-drill", args=["rule", "2887Q"]))
    assert 'id="whole-return"' in whole.content.decode()
    assert 'id="counted-only"' not in whole.content.decode()
    assert "MASH (no team or worker)" not in page
    drill = client.get(rule_link).content.decode()
    assert f"SafeHub ID {planted.pk}" in drill
    assert planted.full_name not in drill
    assert AuditEvent.objects.filter(
        object_type="returns.validation_issues", subject_ids=f",{planted.pk},"
    ).exists()


def test_a_count_for_something_that_is_not_there_is_not_found(planted, users):
    client = sign_in(Client(), users["performance_analyst"])
    for by, key in (("rule", "9999"), ("team", "999999"), ("worker", "999999"), ("colour", "1")):
        response = client.get(reverse("returns:validation-drill", args=[by, key]))
        assert response.status_code == 404, (by, key)


def test_census_tasks_about_the_workers_own_children_ask_the_policy_nothing_more(planted, users):
    """ "My work" has the policy's answer for every child allocated to the worker, so its
    census section reads the tasks and nothing else: allocations, due dates, tasks, and the
    one audit row (ADR 0062)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from safehub.casework import selectors

    validation_run(as_of=TEST_TODAY)
    with CaptureQueriesContext(connection) as queries:
        work = selectors.my_work(actor=users["social_worker"], today=TEST_TODAY)
    assert [s.listed for s in work.sections] == ["returns.validation_tasks"]
    assert work.sections[0].shown == (planted.pk,)
    assert len(queries) == 4
