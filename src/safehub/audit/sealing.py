"""Sealing the audit trail so that a change to it shows (ADR 0011).

Writing an audit row stays one INSERT that takes no lock any other request waits for. A job
(`manage.py audit_seal --loop`) seals the rows written since the last seal in batches, in id
order: each `AuditSeal` holds an HMAC of every field of every row in its id range, and an
HMAC of its own numbers chained to the previous seal's. `manage.py audit_verify` recomputes
them all and names any seal whose rows were changed, deleted or added, or that was itself
altered or removed.

Why rows are left to settle before they are sealed. Ids are handed out when a row is
inserted, but other connections see the row only when its transaction commits, and every
audit row is written inside the transaction of the request it records (ADR 0005). So a
request that inserts row 100 and commits after a quicker request has inserted and committed
row 101 would, if the sealer ran in between, find 101 sealed and its own row arriving later
inside a sealed range: a false alarm at the next verify, and a row never sealed. The sealer
therefore seals only a run of rows, from the last seal on in id order, that stops at the
first row younger than AUDIT_SEAL_SETTLE_SECONDS (default 300 s, five minutes), on the
assumption that no transaction that writes an audit row stays open that long. Requests are
cut off by the app server long before (tens of seconds); a longer job that audits (a bulk
import, say) must commit within the window too, or the sealer must not run meanwhile. Clocks:
`at` is the app server's clock when the row was made and the cutoff is the sealer's, so
servers' clocks must agree to well within the window (NTP).
"""

import hashlib
import hmac
import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone

from safehub.audit.models import AuditEvent, AuditSeal

# Every stored field of AuditEvent, in declaration order. A seal records the list it used.
SEALED_FIELDS: tuple[str, ...] = tuple(f.attname for f in AuditEvent._meta.concrete_fields)


class SealConflict(Exception):
    """Another sealer kept writing the next seal first; try again later."""


def _key() -> bytes:
    return str(settings.AUDIT_SEAL_KEY).encode()


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return value


def _row_bytes(row: Sequence[Any]) -> bytes:
    """One row as one line of JSON: values in field order, datetimes in UTC to the
    microsecond, JSON values with sorted keys. A newline in a value is escaped, so the
    lines cannot run into one another."""
    text = json.dumps(
        [_canonical(v) for v in row], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return text.encode() + b"\n"


def rows_digest(rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    """The HMAC of these rows, in the order given, and how many there were."""
    mac = hmac.new(_key(), b"safehub audit rows v1\n", hashlib.sha256)
    count = 0
    for row in rows:
        mac.update(_row_bytes(row))
        count += 1
    return mac.hexdigest(), count


def seal_digest(seal: AuditSeal) -> str:
    """The HMAC of the seal itself: its numbers, the rows' digest and the previous seal's
    digest, so that altering, removing or re-ordering seals breaks the chain."""
    header = {
        "number": seal.number,
        "first_event_id": seal.first_event_id,
        "last_event_id": seal.last_event_id,
        "row_count": seal.row_count,
        "fields": seal.fields,
        "rows_digest": seal.rows_digest,
        "previous_digest": seal.previous_digest,
        "sealed_at": _canonical(seal.sealed_at),
    }
    message = json.dumps(header, sort_keys=True, separators=(",", ":")).encode()
    return hmac.new(_key(), b"safehub audit seal v1\n" + message, hashlib.sha256).hexdigest()


def _rows_in(first: int, last: int, fields: Sequence[str]) -> Iterable[Sequence[Any]]:
    return (
        AuditEvent.objects.filter(id__gte=first, id__lte=last)
        .order_by("id")
        .values_list(*fields)
        .iterator(chunk_size=2000)
    )


# --- Sealing ----------------------------------------------------------------------------


def audit_seal(*, now: datetime | None = None) -> list[AuditSeal]:
    """Seal every settled row not yet sealed, in batches of AUDIT_SEAL_BATCH_ROWS; return
    the new seals (none if nothing has settled). Safe to run twice at once: see
    `_seal_next`."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.AUDIT_SEAL_SETTLE_SECONDS)
    sealed: list[AuditSeal] = []
    while (seal := _seal_next(cutoff, settings.AUDIT_SEAL_BATCH_ROWS)) is not None:
        sealed.append(seal)
    return sealed


def _seal_next(cutoff: datetime, batch_rows: int) -> AuditSeal | None:
    """Write the next seal, if any rows have settled since the last one.

    Two sealers at once: each locks the newest seal (PostgreSQL, SELECT … FOR UPDATE), so the
    second waits for the first. What settles it is the unique seal number: a sealer that
    read the chain before the other's seal committed writes the same number, the database
    refuses it, and this sealer reads the chain again. On SQLite writers take turns at the
    database's one write lock; one that read the chain before the other wrote is refused
    ("database is locked") and tries again a little later. Either way no seal is written
    twice and the chain never forks.
    """
    for attempt in range(10):
        try:
            with transaction.atomic():
                previous = AuditSeal.objects.select_for_update().order_by("-number").first()
                return _write_seal(previous, cutoff, batch_rows)
        except IntegrityError:
            pass
        except OperationalError as error:
            if not (connection.vendor == "sqlite" and "locked" in str(error)):
                raise
        time.sleep(min(0.05 * 2**attempt, 1.0))
    raise SealConflict("Another sealer kept writing first; nothing was sealed this time.")


def _write_seal(previous: AuditSeal | None, cutoff: datetime, batch_rows: int) -> AuditSeal | None:
    candidates = AuditEvent.objects.order_by("id")
    if previous is not None:
        candidates = candidates.filter(id__gt=previous.last_event_id)
    rows: list[tuple[Any, ...]] = []
    id_index, at_index = SEALED_FIELDS.index("id"), SEALED_FIELDS.index("at")
    # The run of rows in id order that stops at the first row still settling (see above).
    for row in candidates.values_list(*SEALED_FIELDS)[:batch_rows]:
        if row[at_index] > cutoff:
            break
        rows.append(row)
    if not rows:
        return None
    # Each range starts where the last ended, so the ranges leave no gap a row could be
    # slipped into; the first starts at 1 (or lower, if the first row's id is).
    first = previous.last_event_id + 1 if previous else min(1, rows[0][id_index])
    digest, count = rows_digest(rows)
    seal = AuditSeal(
        number=previous.number + 1 if previous else 1,
        first_event_id=first,
        last_event_id=rows[-1][id_index],
        row_count=count,
        fields=",".join(SEALED_FIELDS),
        rows_digest=digest,
        previous_digest=previous.digest if previous else "",
        sealed_at=timezone.now(),
    )
    seal.digest = seal_digest(seal)
    seal.save()
    return seal


# --- Verifying --------------------------------------------------------------------------


@dataclass
class VerifyReport:
    seals: int = 0
    rows_sealed: int = 0
    rows_unsealed: int = 0
    head: AuditSeal | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _rows(n: int) -> str:
    return f"{n} row" if n == 1 else f"{n} rows"


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def audit_verify(*, expected_head: tuple[int, str] | None = None) -> VerifyReport:
    """Recompute every seal and check the chain. `expected_head` is (number, digest) of a
    seal recorded somewhere else: removing the newest seals shows only against such a
    copy, because the rows they covered then simply look unsealed."""
    report = VerifyReport()
    previous: AuditSeal | None = None
    for seal in AuditSeal.objects.order_by("number").iterator(chunk_size=500):
        _check_place(seal, previous, report)
        _check_seal(seal, report)
        report.seals += 1
        report.rows_sealed += seal.row_count
        previous = seal
    report.head = previous
    if previous is None:
        report.rows_unsealed = AuditEvent.objects.count()
    else:
        report.rows_unsealed = AuditEvent.objects.filter(id__gt=previous.last_event_id).count()
    if expected_head is not None:
        _check_head(expected_head, report)
    return report


def _check_place(seal: AuditSeal, previous: AuditSeal | None, report: VerifyReport) -> None:
    expected = previous.number + 1 if previous else 1
    if seal.number != expected:
        missing = (
            f"Seal {expected} is missing"
            if seal.number == expected + 1
            else f"Seals {expected} to {seal.number - 1} are missing"
        )
        rows = (
            f"Audit rows {previous.last_event_id + 1} to {seal.first_event_id - 1}"
            if previous
            else f"Audit rows before {seal.first_event_id}"
        )
        report.problems.append(
            f"{missing} from the chain of seals: it was removed. "
            f"{rows} were sealed by it and can no longer be checked."
        )
        return
    if previous is None:
        before = AuditEvent.objects.filter(id__lt=seal.first_event_id).count()
        if seal.number == 1 and before:
            report.problems.append(
                f"{_rows(before)} with ids before {seal.first_event_id} "
                "(where sealing began) were added to the audit trail."
            )
        return
    if seal.previous_digest != previous.digest:
        report.problems.append(
            f"Seal {seal.number} (audit rows {seal.first_event_id} to {seal.last_event_id}) "
            f"does not follow seal {previous.number}: the chain of seals is broken."
        )
    if seal.first_event_id != previous.last_event_id + 1:
        report.problems.append(
            f"Seal {seal.number} starts at audit row {seal.first_event_id}, but seal "
            f"{previous.number} ended at row {previous.last_event_id}: the ranges do not meet."
        )


def _check_seal(seal: AuditSeal, report: VerifyReport) -> None:
    where = f"Seal {seal.number} (audit rows {seal.first_event_id} to {seal.last_event_id})"
    if not hmac.compare_digest(seal_digest(seal), seal.digest):
        report.problems.append(f"{where} was itself altered after it was written.")
    fields = seal.fields.split(",")
    unknown = sorted(set(fields) - set(SEALED_FIELDS))
    if unknown:
        report.problems.append(
            f"{where} covers fields the audit table no longer has: {', '.join(unknown)}."
        )
        return
    digest, count = rows_digest(_rows_in(seal.first_event_id, seal.last_event_id, fields))
    if count != seal.row_count:
        difference = abs(seal.row_count - count)
        change = (
            f"{_rows(difference)} {_was(difference)} deleted from this range"
            if count < seal.row_count
            else f"{_rows(difference)} {_was(difference)} added inside this range after it "
            "was sealed"
        )
        report.problems.append(
            f"{where}: {_rows(seal.row_count)} were sealed, {count} "
            f"{'is' if count == 1 else 'are'} there now; {change}."
        )
    elif not hmac.compare_digest(digest, seal.rows_digest):
        report.problems.append(f"{where}: at least one row in this range was changed.")


def _check_head(expected: tuple[int, str], report: VerifyReport) -> None:
    number, digest = expected
    head = report.head
    if head is None or head.number < number:
        report.problems.append(
            f"Seal {number} was recorded elsewhere as written, but the newest seal here is "
            f"{head.number if head else 'none'}: seals were removed from the end of the chain."
        )
        return
    seal = AuditSeal.objects.filter(number=number).first()
    if seal is None or not hmac.compare_digest(seal.digest, digest):
        report.problems.append(f"Seal {number} does not match the copy of it recorded elsewhere.")
