"""Audit rows are sealed in order by a job, and `audit_verify` proves the trail unbroken or
names the seal and the rows that were changed, deleted or added (ADR 0011)."""

import importlib
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from conftest import TEST_NOW
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from safehub.audit import sealing
from safehub.audit.models import AppendOnlyError, AuditEvent, AuditSeal
from safehub.audit.sealing import audit_seal, audit_verify, seal_digest
from safehub.audit.services import audit_record

pytestmark = pytest.mark.django_db

# Late enough that every row a test writes has settled.
LATER = TEST_NOW + timedelta(days=1)
GUARDS = importlib.import_module("safehub.audit.migrations.0005_database_refuses_changes")


def _write(n: int, **fields) -> list[AuditEvent]:
    return [audit_record(actor=None, action="view", person_id=i, **fields) for i in range(n)]


@contextmanager
def tampering() -> Iterator[None]:
    """What only someone with the tables' owner's rights could do: take the triggers off,
    inside this test's transaction, and put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in ("audit_auditevent", "audit_auditseal"):
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                for table in ("audit_auditevent", "audit_auditseal"):
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for sql in GUARDS.SQLITE_BACKWARDS:
                cursor.execute(sql)
            try:
                yield
            finally:
                for sql in GUARDS.SQLITE_FORWARDS:
                    cursor.execute(sql)


def _sql(sql: str, params: list | None = None) -> None:
    with tampering(), connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _verify(*args: str) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except CommandError as failure:
        return 1, err.getvalue() + str(failure)
    return 0, out.getvalue()


# --- Sealing ------------------------------------------------------------------------------


def test_seal_then_verify_is_intact(settings) -> None:
    settings.AUDIT_SEAL_BATCH_ROWS = 4
    rows = _write(10, detail={"criteria": {"name": "Hart", "age": 9}}, reason="line one\nline two")
    seals = audit_seal(now=LATER)
    assert [s.number for s in seals] == [1, 2, 3]
    assert [s.row_count for s in seals] == [4, 4, 2]
    assert seals[0].first_event_id == 1
    assert seals[-1].last_event_id == rows[-1].pk
    for before, after in itertools.pairwise(seals):
        assert after.first_event_id == before.last_event_id + 1
        assert after.previous_digest == before.digest
    code, out = _verify()
    assert code == 0, out
    assert "The audit trail is intact. 3 seals covering 10 audit rows checked" in out
    assert "0 rows are not sealed yet" in out


def test_sealing_again_seals_only_what_is_new() -> None:
    _write(3)
    assert len(audit_seal(now=LATER)) == 1
    assert audit_seal(now=LATER) == []  # idempotent: nothing new, no seal
    _write(2)
    (second,) = audit_seal(now=LATER)
    assert (second.number, second.row_count) == (2, 2)
    assert audit_verify().ok


def test_rows_still_settling_are_left_for_the_next_run(settings) -> None:
    settings.AUDIT_SEAL_SETTLE_SECONDS = 300
    old = _write(2)
    with time_travel(timezone.now() + timedelta(minutes=4)):
        young = _write(2)
    # Five minutes and a second after the first two: they have settled, the others have not.
    now = old[-1].at + timedelta(seconds=301)
    (seal,) = audit_seal(now=now)
    assert (seal.first_event_id, seal.last_event_id) == (1, old[-1].pk)
    report = audit_verify()
    assert report.ok
    assert report.rows_unsealed == 2
    assert "2 rows are not sealed yet" in _verify()[1]
    (later,) = audit_seal(now=young[-1].at + timedelta(seconds=301))
    assert later.last_event_id == young[-1].pk


def test_a_row_still_settling_stops_the_run_even_if_a_later_row_has_settled(settings) -> None:
    """Ids and times need not agree (`at` is taken before the INSERT): the sealer stops at
    the first young row rather than leave a hole in the sealed range."""
    settings.AUDIT_SEAL_SETTLE_SECONDS = 300
    first = _write(1)[0]
    with time_travel(timezone.now() + timedelta(minutes=10)):
        _write(1)
    _write(1)  # back on the earlier clock: an older time on a higher id
    (seal,) = audit_seal(now=first.at + timedelta(seconds=301))
    assert seal.last_event_id == first.pk
    assert audit_verify().rows_unsealed == 2


def test_the_seal_command_prints_the_head_and_verify_checks_it_against_a_copy() -> None:
    _write(3)
    with time_travel(LATER):
        out = StringIO()
        call_command("audit_seal", stdout=out)
    seal = AuditSeal.objects.get()
    assert f"head 1:{seal.digest}" in out.getvalue()
    assert _verify("--head", f"1:{seal.digest}")[0] == 0
    code, message = _verify("--head", f"2:{'0' * 64}")
    assert code == 1
    assert "Seal 2 was recorded elsewhere as written, but the newest seal here is 1" in message


def test_seals_are_append_only_in_the_app() -> None:
    _write(1)
    (seal,) = audit_seal(now=LATER)
    seal.row_count = 5
    with pytest.raises(AppendOnlyError):
        seal.save()
    with pytest.raises(AppendOnlyError):
        seal.delete()
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().update(row_count=5)
    with pytest.raises(AppendOnlyError):
        AuditSeal.objects.all().delete()


def test_a_sealer_that_read_the_chain_before_another_sealed_cannot_fork_it() -> None:
    """The unique seal number settles a race: a second sealer writing from the view of the
    chain it had before the first one's seal committed is refused by the database (and
    `_seal_next` then reads the chain again)."""
    _write(3)
    audit_seal(now=LATER)
    _write(2)
    with pytest.raises(IntegrityError), transaction.atomic():
        sealing._write_seal(None, LATER, 100)  # as if seal 1 were not there yet
    assert [s.number for s in AuditSeal.objects.order_by("number")] == [1]
    assert audit_verify().ok


# --- Verify finds tampering ---------------------------------------------------------------


def test_a_changed_row_is_named_with_its_seal_and_range(settings) -> None:
    settings.AUDIT_SEAL_BATCH_ROWS = 4
    rows = _write(10)
    audit_seal(now=LATER)
    _sql("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["tidied", rows[5].pk])
    code, message = _verify()
    assert code == 1
    second = AuditSeal.objects.get(number=2)
    assert (
        f"Seal 2 (audit rows {second.first_event_id} to {second.last_event_id}): "
        "at least one row in this range was changed."
    ) in message
    assert "The audit trail is NOT intact: 1 problem(s)" in message


def test_a_deleted_row_is_named(settings) -> None:
    settings.AUDIT_SEAL_BATCH_ROWS = 4
    rows = _write(10)
    audit_seal(now=LATER)
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [rows[1].pk])
    code, message = _verify()
    assert code == 1
    assert (
        f"Seal 1 (audit rows 1 to {rows[3].pk}): 4 rows were sealed, 3 are there now; "
        "1 row was deleted from this range."
    ) in message


def test_a_row_inserted_inside_a_sealed_range_is_named(settings) -> None:
    rows = _write(4)
    _sql("DELETE FROM audit_auditevent WHERE id = %s", [rows[2].pk])  # make room before sealing
    audit_seal(now=LATER)
    assert audit_verify().ok
    _sql(
        "INSERT INTO audit_auditevent (id, at, actor_username, actor_role, action, subject_ids, "
        "object_type, object_id, detail, reason, channel, request_id) "
        "VALUES (%s, %s, 'ghost', '', 'view', '', '', '', '{}', '', 'web', '')",
        [rows[2].pk, rows[2].at],
    )
    code, message = _verify()
    assert code == 1
    assert f"Seal 1 (audit rows 1 to {rows[3].pk}): 3 rows were sealed, 4 are there now;" in message
    assert "1 row was added inside this range after it was sealed" in message


def test_a_removed_seal_is_named(settings) -> None:
    settings.AUDIT_SEAL_BATCH_ROWS = 4
    _write(10)
    seals = audit_seal(now=LATER)
    _sql("DELETE FROM audit_auditseal WHERE number = 2")
    code, message = _verify()
    assert code == 1
    assert (
        "Seal 2 is missing from the chain of seals: it was removed. Audit rows "
        f"{seals[1].first_event_id} to {seals[1].last_event_id} were sealed by it"
    ) in message


def test_a_removed_first_seal_is_named(settings) -> None:
    settings.AUDIT_SEAL_BATCH_ROWS = 4
    _write(8)
    audit_seal(now=LATER)
    _sql("DELETE FROM audit_auditseal WHERE number = 1")
    code, message = _verify()
    assert code == 1
    assert "Seal 1 is missing from the chain of seals" in message


def test_an_altered_seal_is_named() -> None:
    _write(3)
    (seal,) = audit_seal(now=LATER)
    _sql("UPDATE audit_auditseal SET row_count = 2, last_event_id = last_event_id - 1")
    code, message = _verify()
    assert code == 1
    assert f"Seal 1 (audit rows 1 to {seal.last_event_id - 1}) was itself altered" in message


def test_a_seal_recomputed_without_the_key_does_not_verify(settings) -> None:
    """Someone who changes a row and then recomputes its seal needs the key."""
    rows = _write(3)
    (seal,) = audit_seal(now=LATER)
    _sql("UPDATE audit_auditevent SET reason = 'tidied' WHERE id = %s", [rows[0].pk])
    real_key = settings.AUDIT_SEAL_KEY
    settings.AUDIT_SEAL_KEY = "a-guess-at-the-key"
    rows_now = sealing._rows_in(seal.first_event_id, seal.last_event_id, sealing.SEALED_FIELDS)
    seal.rows_digest, _ = sealing.rows_digest(rows_now)
    forged = seal_digest(seal)
    _sql("UPDATE audit_auditseal SET rows_digest = %s, digest = %s", [seal.rows_digest, forged])
    with_the_guess = audit_verify()
    settings.AUDIT_SEAL_KEY = real_key
    assert with_the_guess.ok  # the forgery is consistent under the guessed key…
    code, message = _verify()  # …and not under the real one
    assert code == 1
    assert f"Seal 1 (audit rows 1 to {seal.last_event_id}) was itself altered" in message


# --- Two sealers at once ------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_sealers_at_once_write_each_seal_once(settings) -> None:
    settings.AUDIT_SEAL_BATCH_ROWS = 3
    _write(20)
    start = threading.Barrier(2)
    made: list[list[AuditSeal]] = []
    errors: list[BaseException] = []

    def sealer() -> None:
        try:
            start.wait()
            made.append(audit_seal(now=LATER))
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sealer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    numbers = sorted(s.number for batch in made for s in batch)
    assert numbers == list(range(1, 8))  # 20 rows in sevens of three, each sealed once
    report = audit_verify()
    assert report.ok, report.problems
    assert report.rows_sealed == 20


@contextmanager
def time_travel(when):
    import time_machine

    with time_machine.travel(when, tick=False):
        yield


def test_writing_an_audit_row_is_one_insert(django_assert_num_queries) -> None:
    """Sealing adds nothing to the write: one INSERT, no lock every request shares."""
    with django_assert_num_queries(1) as captured:
        audit_record(actor=None, action="view", person_id=1)
    assert captured.captured_queries[0]["sql"].lstrip().upper().startswith("INSERT")
