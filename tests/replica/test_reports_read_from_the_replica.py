"""Reports and returns read from a real streaming replica (ADR 0049), on a scratch primary
and replica of our own (tests/replica/pair.py): what each report reads comes from the
replica, what it writes (its audit row) goes to the primary, nothing is ever written to the
replica, a report never misses what was saved before it was asked for, and with the replica
down the pages still work, from the primary, saying so in the log."""

from __future__ import annotations

import io
import logging
import zipfile
from datetime import date
from typing import Any

import pytest
from conftest import TEST_TODAY, make_person, make_user, sign_in
from django.db import DatabaseError, connections, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from openpyxl import load_workbook

from safehub.access.roles import Role
from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework.models import Episode
from safehub.core.replica import REPLICA, replica_retry_now, report_reads
from safehub.insight.services import figures_refresh
from safehub.organisations.models import Agency, AgencyKind, Team, User
from safehub.people.models import Person
from safehub.returns.models import RunStatus
from safehub.returns.selectors import cin_census_write
from safehub.returns.services import validation_run
from safehub.returns.tests.cin_builder import texts
from tests.replica.pair import Pair

pytestmark = [pytest.mark.replica, pytest.mark.xdist_group("replica")]

CENSUS = {"year": "2025-26"}
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "TRUNCATE")


def child_in_need(family: str, by: User) -> Person:
    child = make_person("Robin", family, date(2016, 3, 3))
    Episode.objects.create(
        kind="cin",
        child=child,
        referral_date=date(2025, 6, 2),
        referral_source="2A",
        primary_need="N1",
        opened_by=by,
    )
    return child


@pytest.fixture(scope="module")
def analyst(on_pair: Pair) -> User:
    """The returns team's analyst, and a child in need, committed on the scratch primary."""
    council = Agency.objects.create(name="Replicashire Council", kind=AgencyKind.COUNCIL)
    user = make_user("replica-analyst", Role.PERFORMANCE_ANALYST, Team.objects.create(
        agency=council, name="Insight"))  # fmt: skip
    child_in_need("Fenwick", user)
    return user


@pytest.fixture
def client(analyst: User) -> Client:
    replica_retry_now()
    return sign_in(Client(), analyst)


def in_census(response: Any) -> set[str]:
    return set(texts(etree.fromstring(response.getvalue()), "//ChildIdentifiers/LAchildID/text()"))


def sql(captured: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in captured.captured_queries]


def reads(statements: list[str], table: str) -> bool:
    return any(s.lstrip().upper().startswith("SELECT") and f'"{table}"' in s for s in statements)


def replay(paused: bool) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(f"SELECT pg_wal_replay_{'pause' if paused else 'resume'}()")


def wait_for_the_replica() -> None:
    with report_reads() as alias:
        assert alias == REPLICA, "the replica did not catch up"


def test_the_replica_is_a_standby_that_refuses_every_write(on_pair: Pair) -> None:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        assert cursor.fetchone() == (True, on_pair.replica_port)
        with pytest.raises(DatabaseError, match="read-only"):
            cursor.execute("CREATE TABLE written_on_the_replica (id int)")


@pytest.mark.parametrize(
    ("page", "params", "table"),
    [
        ("returns:cin-census", CENSUS, "casework_episode"),
        ("returns:903-files", CENSUS, "people_person"),
        ("returns:annex-a-workbook", {"end-day": "30", "end-month": "11", "end-year": "2025"},
         "casework_episode"),
        ("insight:dashboard", {}, "insight_monthlyfigure"),
        ("returns:validation", {}, "returns_validationissue"),
    ],
)  # fmt: skip
def test_reports_and_returns_read_the_replica_and_write_the_primary(
    client: Client, page: str, params: dict[str, str], table: str
) -> None:
    wait_for_the_replica()
    exports_before = AuditEvent.objects.filter(action=AuditAction.EXPORT).count()
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        answer = client.get(reverse(page), params)
        body = answer.getvalue()
    assert answer.status_code == 200
    assert reads(sql(on_replica), table), f"{page} did not read {table} from the replica"
    assert not reads(sql(on_primary), table), f"{page} read {table} from the primary"
    assert not [s for s in sql(on_replica) if s.lstrip().upper().startswith(WRITES)]
    if page.startswith("returns:") and page != "returns:validation":
        assert any('INSERT INTO "audit_auditevent"' in s for s in sql(on_primary))
        assert AuditEvent.objects.filter(action=AuditAction.EXPORT).count() == exports_before + 1
    if page == "returns:903-files":
        assert "header.csv" in zipfile.ZipFile(io.BytesIO(body)).namelist()
    if page == "returns:annex-a-workbook":
        assert "List 6" in load_workbook(io.BytesIO(body), read_only=True).sheetnames


def test_the_jobs_read_the_replica_and_store_what_they_found_on_the_primary(
    analyst: User,
) -> None:
    """The monthly figures (the dashboard's and the committee report's) and the census check
    of the live records, as the job worker runs them."""
    wait_for_the_replica()
    with (
        CaptureQueriesContext(connections["default"]) as on_primary,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        stored = figures_refresh(as_of=TEST_TODAY)
        run = validation_run(as_of=TEST_TODAY)
    assert stored > 0
    assert run is not None
    assert run.status == RunStatus.DONE
    assert reads(sql(on_replica), "casework_episode")
    assert not reads(sql(on_primary), "casework_episode")
    assert any('INSERT INTO "insight_monthlyfigure"' in s for s in sql(on_primary))
    assert any('INSERT INTO "audit_auditevent"' in s for s in sql(on_primary))
    assert not [s for s in sql(on_replica) if s.lstrip().upper().startswith(WRITES)]


def test_a_report_never_misses_what_was_saved_before_it_was_asked_for(
    client: Client, analyst: User, caplog: pytest.LogCaptureFixture
) -> None:
    """With the replica's replay paused, a child saved on the primary is not on the replica:
    the census waits for it, then reads the primary and names the child; once the replica
    has caught up, it reads the replica again and names the child from there."""
    wait_for_the_replica()
    replay(paused=True)
    try:
        late = child_in_need("Latimer", analyst)
        with (
            override_settings(REPLICA_MAX_WAIT_MS=50),
            caplog.at_level(logging.WARNING, logger="safehub.core.replica"),
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
        ):
            behind = client.get(reverse("returns:cin-census"), CENSUS)
            assert str(late.pk) in in_census(behind)
        assert not reads(sql(on_replica), "casework_episode")
        assert "had not replayed" in caplog.text
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM people_person WHERE id = %s", [late.pk])
            assert cursor.fetchone() == (0,), "the replica should not have the child yet"
    finally:
        replay(paused=False)
    wait_for_the_replica()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        caught_up = client.get(reverse("returns:cin-census"), CENSUS)
        assert str(late.pk) in in_census(caught_up)
    assert reads(sql(on_replica), "casework_episode")


def test_a_transaction_that_wrote_reads_its_own_writes_from_the_primary(
    analyst: User,
) -> None:
    with transaction.atomic():
        unsaved_elsewhere = child_in_need("Quill", analyst)
        with report_reads() as alias:
            assert alias == "default"
        out = io.BytesIO()
        cin_census_write(actor=analyst, out=out, year="2025-26", now=timezone.now())
        named = set(texts(etree.fromstring(out.getvalue()), "//LAchildID/text()"))
        assert str(unsaved_elsewhere.pk) in named


def test_what_was_read_from_the_replica_is_saved_to_the_primary(analyst: User) -> None:
    wait_for_the_replica()
    child = Person.objects.filter(family_name="Fenwick").get()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        with report_reads():
            read = Person.objects.get(pk=child.pk)
        assert read._state.db == REPLICA
        read.given_name = "Robyn"
        read.save(update_fields=["given_name"])
    assert Person.objects.using("default").get(pk=child.pk).given_name == "Robyn"
    assert not [s for s in sql(on_replica) if s.lstrip().upper().startswith(WRITES)]


def test_with_the_replica_down_reports_come_from_the_primary_and_the_log_says_so(
    on_pair: Pair, client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    on_pair.stop_replica()
    try:
        connections[REPLICA].close()
        with caplog.at_level(logging.WARNING, logger="safehub.core.replica"):
            first = client.get(reverse("returns:cin-census"), CENSUS)
            again = client.get(reverse("insight:dashboard"))
        assert first.status_code == 200
        assert in_census(first)
        assert again.status_code == 200
        warnings = [r for r in caplog.records if "could not be reached" in r.getMessage()]
        assert len(warnings) == 1, "the replica is not tried again at once"
    finally:
        on_pair.start_replica()
        replica_retry_now()
    wait_for_the_replica()
