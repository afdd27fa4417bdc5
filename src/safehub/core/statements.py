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

# Stand-in keys no row has: negative, and far apart so no real parameter is mistaken for one;
# for a text key (a reference, a token's hash), text no one types.
_STAND_INS = (-7_000_001, -7_000_002, -7_000_003)
_TEXT_STAND_INS = ("\x1dstand-in-1\x1d", "\x1dstand-in-2\x1d", "\x1dstand-in-3\x1d")
# A date as a parameter: a date object, or (SQLite's adapted form) its ISO text.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class _Compiled:
    queryset: QuerySet[Any]
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    slots: tuple[tuple[int, int], ...]  # (place among the parameters, which key goes there)
    kinds: tuple[type, ...]  # each key's type: int or str


_compiled: dict[tuple[str, str, str], _Compiled] = {}  # by alias, vendor and name
_models: dict[str, type[Model]] = {}  # the model each named read returns


def _stand_ins(kinds: tuple[type, ...]) -> tuple[Any, ...]:
    return tuple(
        (_STAND_INS if kind is int else _TEXT_STAND_INS)[i] for i, kind in enumerate(kinds)
    )


def _compile(
    build: Callable[..., QuerySet[Any]], kinds: tuple[type, ...], alias: str | None, iterable: type
) -> _Compiled:
    stand_ins = _stand_ins(kinds)
    queryset = build(*stand_ins)
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
        (place, stand_ins.index(value))
        for place, value in enumerate(params)
        if type(value) in (int, str) and value in stand_ins
    )
    if sorted({key for _, key in slots}) != list(range(len(kinds))):
        raise ImproperlyConfigured("each of a fixed read's keys must be one of its parameters")
    if any(isinstance(p, date | datetime) or _ISO_DAY.match(str(p)) for p in params):
        raise ImproperlyConfigured("a fixed read must not depend on the day")
    return _Compiled(queryset, compiler, sql, tuple(params), slots, kinds)


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
    name: str, build: Callable[..., QuerySet[Any]], keys: tuple[int | str, ...], iterable: type
) -> tuple[_Compiled, SQLCompiler]:
    """The read compiled once under `name`, and a compiler for this call that runs it with
    `keys`."""
    kinds = tuple(type(key) for key in keys)
    if any(kind is not int and kind is not str for kind in kinds):
        raise TypeError("a fixed read's keys are whole numbers or text")
    model = _models.get(name)
    # Where the read goes is the routers' decision on each call (a report's reads may go to
    # the replica, core.replica), as it would be for the queryset.
    alias = router.db_for_read(model) if model is not None else None
    found = _compiled.get((alias, connections[alias].vendor, name)) if alias else None
    if found is None:
        found = _compile(build, kinds, alias, iterable)
        alias = found.queryset.db
        _models[name] = found.queryset.model
        _compiled[(alias, connections[alias].vendor, name)] = found
    assert alias is not None
    if kinds != found.kinds:
        raise TypeError(f"{name} was compiled for keys of types {found.kinds}, not {kinds}")
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


def fixed_read(name: str, build: Callable[..., QuerySet[M]], *keys: int | str) -> list[M]:
    """The rows of `build(*keys)`, compiled once per database alias and vendor under `name`
    (the app's label first). `build` must be the same function of its keys on every call."""
    found, compiler = _statement(name, build, keys, ModelIterable)
    evaluation = _Evaluation(found.queryset.db, found.queryset.model, compiler)
    return list(ModelIterable(evaluation))  # type: ignore[arg-type]


def fixed_rows(
    name: str, build: Callable[..., QuerySet[Any]], *keys: int | str
) -> list[tuple[Any, ...]]:
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


def as_prefetched(parent: Model, relation: str, rows: list[Any]) -> None:
    """Leave `rows` (a fixed read of `parent`'s reverse relation `relation`, in the order a
    prefetch would read them) on `parent` as `prefetch_related(relation)` would have:
    `parent.<relation>.all()` gives them without a query, and each row knows its parent."""
    rel = parent._meta.get_field(relation)
    for row in rows:
        rel.field.set_cached_value(row, parent)  # type: ignore[union-attr]
    queryset = getattr(parent, relation).get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    cache = parent.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[rel.cache_name] = queryset  # type: ignore[union-attr]
