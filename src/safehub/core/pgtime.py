"""Date-times read from PostgreSQL by psycopg's compiled loader (ADR 0069).

Django registers its own loader for `timestamptz` so that each value comes back with
Django's idea of the connection's time zone. That loader subclasses psycopg's pure-Python
one, so every date-time a page reads was parsed by Python, with regular expressions,
although psycopg ships a compiled loader (about three times faster per value here). The
compiled class cannot be subclassed, so this loader holds one and gives its result the time
zone exactly as Django's does. `timezone` is the attribute Django's `create_cursor` compares
with the connection's zone before it registers its own loader again on a cursor."""

from functools import cache
from typing import Any

import psycopg
from psycopg.adapt import Loader
from psycopg.pq import Format
from psycopg.types.datetime import TimestamptzLoader as PythonTimestamptzLoader

# psycopg's own choice for the type: the compiled class with psycopg[binary] or psycopg[c],
# the Python one without (in which case Django's loader is left as it is).
_TIMESTAMPTZ = psycopg.adapters.types["timestamptz"].oid
_OWN = psycopg.adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
CompiledTimestamptzLoader = None if _OWN is PythonTimestamptzLoader else _OWN


@cache
def _loader_for(zone: Any) -> type[Loader]:
    class CompiledTzLoader(Loader):
        timezone = zone

        def __init__(self, oid: int, context: Any = None) -> None:
            super().__init__(oid, context)
            self._compiled = CompiledTimestamptzLoader(oid, context)  # type: ignore[misc]

        def load(self, data: Any) -> Any:
            return self._compiled.load(data).replace(tzinfo=self.timezone)

    return CompiledTzLoader


def install(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: on a PostgreSQL connection, the compiled loader for
    `timestamptz` in place of Django's, with the same time zone."""
    if connection.vendor != "postgresql" or CompiledTimestamptzLoader is None:
        return
    adapters = connection.connection.adapters
    current = adapters.get_loader(_TIMESTAMPTZ, Format.TEXT)
    if current is None or not issubclass(current, PythonTimestamptzLoader):
        return  # not Django's loader: someone chose another; leave theirs
    adapters.register_loader("timestamptz", _loader_for(connection.timezone))
