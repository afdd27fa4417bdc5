"""Writing many rows of one table at once, given as tuples: COPY on PostgreSQL, into ids
drawn from the table's own sequence first (so the caller knows them), bulk_create
elsewhere. Used where rows come by the thousand: the demo loader and a partner's batch of
events. COPY skips Django's per-value preparation and the INSERT's parameter arrays, the
larger part of the time a big bulk_create spends in Python."""

import time
from collections.abc import Sequence
from typing import Any

from django.db import connection, models
from psycopg.types.json import Jsonb

# Fewer rows than this go by INSERT … RETURNING, one round trip; COPY needs two (the ids,
# then the rows) and pays off only once there are rows enough.
COPY_FROM = 20


def insert_rows(
    model: type[models.Model],
    columns: Sequence[str],
    rows: list[tuple[Any, ...]],
    *,
    copy: bool | None = None,
    batch_size: int | None = None,
) -> list[int]:
    """Insert `rows` (values in `columns` order, attribute names) and return their ids in
    the same order; columns left out get their model defaults. `copy`: None chooses COPY on
    PostgreSQL. Call inside the caller's transaction."""
    if not rows:
        return []
    if copy is None:
        copy = connection.vendor == "postgresql" and len(rows) >= COPY_FROM
    if copy:
        return _copy(model, columns, rows)
    objs = [model(**dict(zip(columns, row, strict=True))) for row in rows]
    model._default_manager.bulk_create(objs, batch_size=batch_size)
    return [obj.pk for obj in objs]


def insert_objects(objs: list[Any]) -> list[Any]:
    """Save unsaved instances of one model, as bulk_create does (every concrete field, the
    pks set on them), with COPY on PostgreSQL. Call inside the caller's transaction."""
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql" or len(objs) < COPY_FROM:
        return model._default_manager.bulk_create(objs)
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = [f.attname for f in fields]
    # A choice's member (MatchState.AWAITING) is written as its value, as Django would.
    choices = {i for i, f in enumerate(fields) if f.choices}
    rows = [
        tuple(
            getattr(v, "value", v) if i in choices else v
            for i, v in enumerate(getattr(o, c) for c in columns)
        )
        for o in objs
    ]
    for obj, pk in zip(objs, _copy(model, columns, rows), strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def _copy(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> list[int]:
    meta = model._meta
    pk = meta.pk
    assert pk is not None
    by_name = {f.attname: f for f in meta.concrete_fields}
    rest = [f for f in meta.concrete_fields if not f.primary_key and f.attname not in columns]
    defaults = tuple(
        Jsonb(f.get_default()) if isinstance(f, models.JSONField) else f.get_default() for f in rest
    )
    json = [i for i, c in enumerate(columns) if isinstance(by_name[c], models.JSONField)]
    quote = connection.ops.quote_name
    names = [_column(f) for f in (pk, *(by_name[c] for c in columns), *rest)]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(rows)],
        )
        ids = sorted(r[0] for r in cursor.fetchall())
        sql = f"COPY {quote(meta.db_table)} ({', '.join(quote(n) for n in names)}) FROM STDIN"
        started = time.monotonic()
        # Errors read as Django's (an IntegrityError for a unique or foreign key).
        with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
            write = copy.write_row
            for id_, row in zip(ids, rows, strict=True):
                values = (
                    row
                    if not json
                    else tuple(Jsonb(v) if i in json else v for i, v in enumerate(row))
                )
                write((id_, *values, *defaults))
        if connection.queries_logged:  # counted like any query (Django's cursor does not see it)
            seconds = time.monotonic() - started
            connection.queries_log.append(
                {"sql": f"{sql} -- {len(rows)} rows", "time": f"{seconds:.3f}"}
            )
    return ids


def _column(field: models.Field) -> str:
    """A concrete field's column (only fields with no column of their own lack one)."""
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return field.column
