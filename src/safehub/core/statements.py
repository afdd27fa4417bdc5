"""Reads whose SQL is compiled once per process and run with each request's keys (ADR 0063).

A page that reads a few dozen kinds of record about one child spends more of its Python in
Django turning each queryset into SQL than in anything else (a third of the casework page's
calls at `county`), yet the SQL is the same on every request but for the child's key. A read
declared here is built and compiled once, with stand-in keys, per database connection's
vendor; each later call puts the real keys where the stand-ins were and lets Django's own
model iterable turn the rows into model instances, as the queryset would have.

The rules that make this hold, checked when the read is first compiled:
- the read depends on its keys alone: each stand-in key must appear among the SQL's
  parameters, and no parameter may be a date (a day frozen into a statement kept for the life
  of the process would go stale at midnight);
- `fixed_read`'s queryset is evaluated as model instances and `fixed_rows`'s as a
  `values_list` of tuples; neither prefetches (a prefetch would be compiled on every call, so
  a read states its related rows as reads of their own).

    visits = fixed_read("casework.visits", lambda child: Visit.objects.filter(child=child), 7)
    days = fixed_rows("casework.days", lambda c: Visit.objects.filter(child=c).values_list("pk"), 7)
"""

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesListIterable
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# Stand-in keys no row has: negative, and far apart so no real parameter is mistaken for one.
_STAND_INS = (-7_000_001, -7_000_002, -7_000_003)
# A date as a parameter: a date object, or (SQLite's adapted form) its ISO text.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (place among the parameters, which key goes there)


_compiled: dict[tuple[str, str, str], _Compiled] = {}  # by alias, vendor and name
_models: dict[str, type[Model]] = {}  # the model each named read returns


def _compile(
    build: Callable[..., QuerySet[Any]], keys: int, alias: str | None, iterable: type
) -> _Compiled:
    queryset = build(*_STAND_INS[:keys])
    queryset = queryset.using(alias) if alias else queryset
    if (
        getattr(queryset, "_prefetch_related_lookups", ())
        or queryset._iterable_class is not iterable
    ):
        raise ImproperlyConfigured(
            "a fixed read returns model instances (fixed_rows: tuples) and prefetches nothing"
        )
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    slots = tuple(
        (place, _STAND_INS.index(value))
        for place, value in enumerate(params)
        if value in _STAND_INS[:keys]
    )
    if sorted({key for _, key in slots}) != list(range(keys)):
        raise ImproperlyConfigured("each of a fixed read's keys must be one of its parameters")
    if any(isinstance(p, date | datetime) or _ISO_DAY.match(str(p)) for p in params):
        raise ImproperlyConfigured("a fixed read must not depend on the day")
    return _Compiled(queryset, compiler, sql, tuple(params), slots)


class _Query:
    """The part of a query Django's model iterable asks for: its compiler."""

    def __init__(self, compiler: SQLCompiler) -> None:
        self._compiler = compiler

    def get_compiler(self, *args: Any, **kwargs: Any) -> SQLCompiler:
        return self._compiler


class _Evaluation:
    """The part of a queryset Django's model iterable asks for, holding one call's compiler."""

    _known_related_objects: dict[Any, Any] = {}

    def __init__(self, alias: str, model: type[Model], compiler: SQLCompiler) -> None:
        self.db = alias
        self.model = model
        self.query = _Query(compiler)


def _statement(
    name: str, build: Callable[..., QuerySet[Any]], keys: tuple[int, ...], iterable: type
) -> tuple[_Compiled, SQLCompiler]:
    """The read compiled once under `name`, and a compiler for this call that runs it with
    `keys`."""
    model = _models.get(name)
    # Where the read goes is the routers' decision on each call (a report's reads may go to
    # the replica, core.replica), as it would be for the queryset.
    alias = router.db_for_read(model) if model is not None else None
    found = _compiled.get((alias, connections[alias].vendor, name)) if alias else None
    if found is None:
        found = _compile(build, len(keys), alias, iterable)
        alias = found.queryset.db
        _models[name] = found.queryset.model
        _compiled[(alias, connections[alias].vendor, name)] = found
    assert alias is not None
    params: list[Any] = list(found.params)
    for place, key in found.slots:
        params[place] = keys[key]
    # A copy per call: the compiled one keeps the SQL and the shape of its rows, this one
    # this thread's connection and this call's keys.
    compiler = copy.copy(found.compiler)
    compiler.connection = connections[alias]
    statement = (found.sql, tuple(params))
    compiler.as_sql = lambda *args, **kwargs: statement  # type: ignore[method-assign]
    return found, compiler


def fixed_read(name: str, build: Callable[..., QuerySet[M]], *keys: int) -> list[M]:
    """The rows of `build(*keys)`, compiled once per database alias and vendor under `name`
    (the app's label first). `build` must be the same function of its keys on every call."""
    found, compiler = _statement(name, build, keys, ModelIterable)
    evaluation = _Evaluation(found.queryset.db, found.queryset.model, compiler)
    return list(ModelIterable(evaluation))  # type: ignore[arg-type]


def fixed_rows(name: str, build: Callable[..., QuerySet[Any]], *keys: int) -> list[tuple[Any, ...]]:
    """The tuples of `build(*keys)`, a `values_list` read, compiled once as `fixed_read`'s
    reads are (the same rules), each value converted as the queryset would have."""
    _, compiler = _statement(name, build, keys, ValuesListIterable)
    return [tuple(row) for row in compiler.results_iter(tuple_expected=True)]


def group_by(rows: Sequence[T], attribute: str) -> dict[Any, list[T]]:
    """`rows` in lists by the value of `attribute`, each list in the rows' order."""
    groups: dict[Any, list[T]] = {}
    for row in rows:
        groups.setdefault(getattr(row, attribute), []).append(row)
    return groups
