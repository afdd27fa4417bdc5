"""The reads behind "my work" and the team page: worst first, the team's overdue work, the
children waiting for a worker, restricted names hidden, and query counts that do not grow
with the caseload."""

from datetime import timedelta
from typing import Any

import pytest
from conftest import TEST_TODAY, sign_in
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.access.models import RestrictedAccess
from safehub.access.policy import Decision, decide_allocation
from safehub.casework import selectors, services
from safehub.casework.models import DueItem, Episode, UASCStatus
from safehub.casework.sections import child_holds
from safehub.organisations.models import User
from safehub.people.models import Person

pytestmark = pytest.mark.django_db

TODAY = TEST_TODAY


def _child(name: str) -> Person:
    from conftest import make_person

    given, family = name.split()
    return make_person(given, family)


def _waiting(child: Person, actor: User, days_ago: int = 10) -> Episode:
    """An open child-in-need episode made directly: the test child has no worker yet."""
    return Episode.objects.create(
        kind="cin", child=child, opened_by=actor, referral_date=TODAY - timedelta(days=days_ago)
    )


def _allocated(name: str, users: Any, worker: Any) -> Person:
    child = _child(name)
    _waiting(child, users["mash_worker"])
    services.allocate(actor=users["team_manager"], child=child, worker=worker)
    return child


def _due(child: Person, days: int, label: str) -> DueItem:
    return DueItem.objects.create(
        child=child,
        kind="test",
        label=label,
        due_date=TODAY + timedelta(days=days),
        source_type="test",
        source_id=f"{child.pk}-{label}",
    )


def test_my_work_puts_the_worst_first(users: Any) -> None:
    sw = users["social_worker"]
    calm = _allocated("Zara Calm", users, sw)
    later = _allocated("Ben Later", users, sw)
    late = _allocated("Cara Late", users, sw)
    soon = _allocated("Dan Soon", users, sw)
    nothing = _allocated("Abe Nothing", users, sw)
    _due(calm, 30, "Review in a month")
    _due(later, 2, "Visit in two days")
    _due(late, -1, "Visit a day late")
    _due(late, -9, "Assessment nine days late")
    _due(soon, 0, "Core group today")
    _allocated("Eve Colleague", users, users["colleague"])  # not this worker's
    work = selectors.my_work(actor=sw, today=TODAY)
    # Worst first; then work further off; then children with nothing open.
    assert [r.child for r in work.rows] == [late, soon, later, calm, nothing]
    assert [d.item.label for d, _ in work.due] == [
        "Assessment nine days late",
        "Visit a day late",
        "Core group today",
        "Visit in two days",
    ]
    assert [d.state for d, _ in work.due] == ["overdue", "overdue", "today", "soon"]
    assert work.overdue_count == 2
    # A month away is not "due this week", but it is the child's next piece of work.
    calm_row = next(r for r in work.rows if r.child == calm)
    assert calm_row.due == []
    assert calm_row.next_due is not None
    assert calm_row.next_due.item.label == "Review in a month"
    assert next(r for r in work.rows if r.child == nothing).next_due is None


def test_completed_work_leaves_my_work(users: Any) -> None:
    sw = users["social_worker"]
    child = _allocated("Finn Done", users, sw)
    item = _due(child, -3, "Late")
    item.done_on = TODAY
    item.save()
    assert selectors.my_work(actor=sw, today=TODAY).due == []


def test_restricted_children_are_not_named_in_my_work(users: Any) -> None:
    sw = users["social_worker"]
    hidden = _child("Noah Quinn")
    hidden.is_restricted = True
    hidden.save()
    _waiting(hidden, users["mash_worker"])
    # Only its allow-list may take a restricted child into a team.
    RestrictedAccess.objects.create(person=hidden, user=users["team_manager"])
    services.allocate(actor=users["team_manager"], child=hidden, worker=sw)
    row = selectors.my_work(actor=sw, today=TODAY).rows[0]
    assert row.visible is False
    RestrictedAccess.objects.create(person=hidden, user=sw)
    assert selectors.my_work(actor=sw, today=TODAY).rows[0].visible is True


def test_my_work_query_count_does_not_grow_with_the_caseload(users: Any) -> None:
    sw = users["social_worker"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.my_work(actor=sw, today=TODAY)
        return len(queries)

    for i in range(2):
        _due(_allocated(f"Child A{i}", users, sw), i - 1, "Visit")
    few = count()
    for i in range(23):
        child = _allocated(f"Child B{i}", users, sw)
        _due(child, i - 5, "Visit")
        _due(child, i + 20, "Review")
    assert count() == few == 3  # two reads and the one audit row naming the children
    assert len(selectors.my_work(actor=sw, today=TODAY).rows) == 25


def test_team_work_counts_caseloads_and_lists_overdue_worst_first(users: Any, council: Any) -> None:
    from conftest import make_user

    sw, colleague = users["social_worker"], users["colleague"]
    a = _allocated("Amy One", users, sw)
    b = _allocated("Bea Two", users, sw)
    c = _allocated("Cal Three", users, colleague)
    _due(a, -2, "A late")
    _due(a, 3, "A soon")  # not overdue
    _due(b, -10, "B very late")
    _due(c, -5, "C late")
    south_manager = make_user("tm_south", "team_manager", council["teams"]["South"])
    south = _child("Sid South")
    _waiting(south, users["mash_worker"])
    services.allocate(actor=south_manager, child=south, worker=users["south_worker"])
    _due(south, -30, "South's, not North's")
    work = selectors.team_work(actor=users["team_manager"], today=TODAY)
    rows = {r.worker: (r.caseload, r.overdue) for r in work.workers}
    assert rows[sw] == (2, 2)
    assert rows[colleague] == (1, 1)
    assert rows[users["team_manager"]] == (0, 0)
    assert users["south_worker"] not in rows
    assert [d.item.label for d, _, _ in work.overdue] == ["B very late", "C late", "A late"]
    assert [a.worker for _, a, _ in work.overdue] == [sw, colleague, sw]


def test_unallocated_children_wait_longest_first_until_allocated(users: Any) -> None:
    mash = users["mash_worker"]
    newer = _child("Nia Newer")
    older = _child("Ola Older")
    _waiting(newer, mash, days_ago=2)
    _waiting(older, mash, days_ago=20)
    closed = _child("Cy Closed")
    episode = _waiting(closed, mash)
    episode.closure_date, episode.closure_reason = TODAY, "RC7"
    episode.save()
    restricted = _child("Rae Hidden")
    restricted.is_restricted = True
    restricted.save()
    _waiting(restricted, mash)
    manager = users["team_manager"]
    work = selectors.team_work(actor=manager, today=TODAY)
    assert [e.child for e in work.unallocated] == [older, newer]
    assert work.restricted_unallocated == 1

    def may_take_on(child: Any) -> bool:
        waiting = selectors.is_waiting(child)
        return decide_allocation(manager, child, waiting=waiting) is Decision.ALLOW

    assert may_take_on(older)
    assert not may_take_on(restricted)  # only its allow-list may
    assert not may_take_on(closed)  # not waiting, and not the team's
    services.allocate(actor=manager, child=older, worker=users["social_worker"])
    work = selectors.team_work(actor=manager, today=TODAY)
    assert [e.child for e in work.unallocated] == [newer]
    assert not selectors.is_waiting(older)


def test_team_work_query_count_does_not_grow_with_the_team(users: Any) -> None:
    manager = users["team_manager"]

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.team_work(actor=manager, today=TODAY)
        return len(queries)

    _due(_allocated("Child A", users, users["social_worker"]), -1, "Visit")
    _waiting(_child("Wait A"), users["mash_worker"])
    few = count()
    for i in range(20):
        worker = users["social_worker"] if i % 2 else users["colleague"]
        _due(_allocated(f"Child B{i}", users, worker), -i, "Visit")
        _waiting(_child(f"Wait B{i}"), users["mash_worker"])
    assert count() == few == 6  # five reads and the one audit row naming the children


def test_the_probes_compiled_once_answer_for_each_child(users: Any) -> None:
    """ADR 0058: the probes' statement is built once and run with each child's key, so
    each child gets their own answers, in one query each."""
    seeker, other = _child("Amir Noor"), _child("Beth Oak")
    UASCStatus.objects.create(
        child=seeker, started_on=TODAY - timedelta(days=30), recorded_by=users["social_worker"]
    )
    for child, expected in ((seeker, True), (other, False), (seeker, True)):
        with CaptureQueriesContext(connection) as queries:
            holds = child_holds(child)
        assert len(queries) == 1
        assert (selectors.UASC_PROBE in holds) is expected
        assert selectors.CARE_PROBE not in holds


def test_a_child_probe_that_reads_a_day_is_refused() -> None:
    """The probes' statement lives as long as the process, so a probe holding a date would
    keep the first request's day for ever: building it is refused instead."""
    from django.core.exceptions import ImproperlyConfigured

    from safehub.casework.sections import _holds_statement, register_child_probe

    name = "test.dated-probe"
    register_child_probe(
        name, lambda child: DueItem.objects.filter(child=child, due_date__gte=TEST_TODAY)
    )
    try:
        with pytest.raises(ImproperlyConfigured, match="day"):
            _holds_statement(connection.vendor, (name,))
    finally:
        from safehub.casework import sections

        del sections._child_probes[name]


def test_the_team_page_names_a_restricted_record_by_id_and_its_worker(
    users: Any, client: Any
) -> None:
    """Overdue work on a restricted record the manager is not on the list for: shown by its
    SafeHub ID with who holds it, not as a link that would ask the manager to break the
    glass."""
    sw = users["social_worker"]
    hidden = _allocated("Rae Hidden", users, sw)
    RestrictedAccess.objects.create(person=hidden, user=sw)
    hidden.is_restricted = True
    hidden.save()
    _due(hidden, -3, "Visit")
    page = sign_in(client, users["team_manager"]).get(reverse("casework:team-work"))
    html = page.content.decode()
    assert f"Restricted record (SafeHub ID {hidden.pk})" in html
    assert f"Ask {sw}, who holds it" in html
    assert reverse("casework:child-casework", args=[hidden.pk]) not in html
    assert "Rae" not in html
