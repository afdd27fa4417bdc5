"""The statements the live evaluation runs as every chronology entry arrives, written once.

Compiling the ORM's queries (the facts with their joins, the union of spans) cost more than
the rules themselves (bench/README.md, 4 December: the engine ~0.2 ms an evaluation, Django
compiling and psycopg nearly all the rest), so the statement is text built once per
database and given its values as parameters (ADR 0056). One statement brings a child's facts
and the spans the rules read (episodes, allocations, links to contexts a MACE panel
discussed), so a live evaluation that raises nothing is two round trips with the rules'.
Lists go in as one parameter (an array on PostgreSQL, a JSON array on SQLite), so the text is
the same whatever their length. Table and column names come from the models.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from django.db import connection
from django.utils.dateparse import parse_date, parse_datetime

from safehub.casework.models import Allocation, Episode
from safehub.chronology.models import ChronologyEntry, ChronologyLink
from safehub.hardtosee.models import ContextPerson, MaceDiscussion, MacePanel
from safehub.people.models import Person

FACT, EPISODE, ALLOCATION, MACE = 0, 1, 2, 3


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _facts_and_spans_sql(vendor: str, *, by_person: bool, since: bool) -> str:
    """(kind, person, entry, event type, occurred, recorded, summary, agency, done by,
    done by label, source type, source id, born, significance, from, to, worker, held on):
    facts oldest first per person, then that person's spans in no order."""
    if vendor == "postgresql":
        ids, types = "= ANY(CAST(%s AS bigint[]))", "= ANY(CAST(%s AS text[]))"
    else:  # SQLite: a JSON array read as a table
        ids = types = "IN (SELECT value FROM json_each(%s))"
    person_filter = f" AND l.person_id {ids}" if by_person else ""
    since_filter = " AND l.occurred_at > %s" if since else ""
    # Typed NULLs: PostgreSQL matches a union's columns by type.
    no_day, no_int = "CAST(NULL AS date)", "CAST(NULL AS integer)"
    no_fact = "NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL"
    return (
        "WITH facts AS ("  # noqa: S608 - names from our models; values are parameters
        " SELECT l.person_id, l.entry_id, e.event_type, l.occurred_at, e.recorded_at,"
        " e.summary, e.source_agency_id, e.done_by_id, e.done_by_label, e.source_type,"
        " e.source_id, p.date_of_birth, e.significance"
        f" FROM {_table(ChronologyLink)} l"
        f" JOIN {_table(ChronologyEntry)} e ON e.id = l.entry_id"
        f" JOIN {_table(Person)} p ON p.id = l.person_id"
        f" WHERE e.event_type {types} AND l.occurred_at <= %s{person_filter}{since_filter}"
        "), children AS (SELECT DISTINCT person_id FROM facts)"
        f" SELECT {FACT}, person_id, entry_id, event_type, occurred_at, recorded_at, summary,"
        " source_agency_id, done_by_id, done_by_label, source_type, source_id, date_of_birth,"
        f" significance, {no_day}, {no_day}, {no_int}, {no_day} FROM facts"
        f" UNION ALL SELECT {EPISODE}, child_id, {no_fact}, referral_date, closure_date,"
        f" {no_int}, {no_day} FROM {_table(Episode)}"
        " WHERE child_id IN (SELECT person_id FROM children)"
        f" UNION ALL SELECT {ALLOCATION}, child_id, {no_fact}, start_date, end_date,"
        f" worker_id, {no_day} FROM {_table(Allocation)}"
        " WHERE child_id IN (SELECT person_id FROM children)"
        # A panel discusses a context, not the child: through the context's current links.
        f" UNION ALL SELECT {MACE}, cp.person_id, {no_fact}, cp.linked_on, cp.ended_on,"
        f" {no_int}, mp.held_on FROM {_table(MaceDiscussion)} d"
        f" JOIN {_table(ContextPerson)} cp ON cp.context_id = d.context_id"
        f" JOIN {_table(MacePanel)} mp ON mp.id = d.panel_id"
        " WHERE cp.person_id IN (SELECT person_id FROM children)"
        " ORDER BY 2, 1, 5, 3"
    )


def facts_and_spans(
    *,
    event_types: Sequence[str],
    until: datetime,
    person_ids: Sequence[int] | None,
    since: datetime | None,
) -> list[tuple[Any, ...]]:
    """The rows of `_facts_and_spans_sql`, with times and days as Python values on both
    databases (SQLite gives text back from a union)."""
    vendor = connection.vendor
    sql = _facts_and_spans_sql(vendor, by_person=person_ids is not None, since=since is not None)
    adapt = connection.ops.adapt_datetimefield_value
    params: list[Any] = [_list(vendor, sorted(event_types)), adapt(until)]
    if person_ids is not None:
        params.append(_list(vendor, list(person_ids)))
    if since is not None:
        params.append(adapt(since))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if vendor == "postgresql":
        return rows  # psycopg returns aware datetimes and dates already
    return [_from_sqlite(row) for row in rows]


def _list(vendor: str, values: list[Any]) -> Any:
    return values if vendor == "postgresql" else json.dumps(values)


def _from_sqlite(row: tuple[Any, ...]) -> tuple[Any, ...]:
    if row[0] == FACT:
        return (*row[:4], _moment(row[4]), _moment(row[5]), *row[6:12], _day(row[12]), *row[13:])
    return (*row[:14], _day(row[14]), _day(row[15]), row[16], _day(row[17]))


def _moment(value: Any) -> datetime:
    """SQLite keeps a time as UTC text, as Django stores it there."""
    found = parse_datetime(value) if isinstance(value, str) else value
    if found is None:
        raise ValueError(f"not a stored time: {value!r}")
    return found if found.tzinfo else found.replace(tzinfo=UTC)


def _day(value: Any) -> date | None:
    return parse_date(value) if isinstance(value, str) else value
