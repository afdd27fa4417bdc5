"""Prepared statements on PostgreSQL (ADR 0067).

With parameters sent apart from the SQL (the backend's `server_side_binding`), psycopg
prepares a statement once a connection has run it `PREPARE_THRESHOLD` times, and PostgreSQL
then skips parsing and, once it settles on a generic plan, planning. Two things stood in the
way of having that on by default:

- The extended protocol carries at most 65,535 parameters a statement, and some reads
  (figures over a whole council) send longer `IN` lists. `Cursor` binds such a statement's
  parameters into its text on the client, as Django does when server-side binding is off;
  a statement that long is run once and would not be worth preparing anyway.
- psycopg keeps 100 prepared statements a connection and drops the least recently used
  beyond that. A day's pages run more distinct statements than that, so they were dropped
  and prepared again all the time; `PREPARED_MAX` sets the size.
"""

from typing import Any

import psycopg
from django.db.backends.postgresql.base import ServerBindingCursor as DjangoServerBindingCursor

# The most parameters PostgreSQL's extended protocol carries in one statement (an Int16).
MAX_BOUND_PARAMETERS = 65_535
# django-stubs declare Django's cursor without its psycopg base class.
_ServerBindingCursor: Any = DjangoServerBindingCursor


class Cursor(_ServerBindingCursor):
    """Django's server-binding cursor, binding on the client the rare statement with more
    parameters than the protocol carries."""

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Any:
        if params is not None and len(params) > MAX_BOUND_PARAMETERS:
            # The same adapters as the connection's own: mogrify writes each value as the
            # literal a client-binding cursor would send.
            query = psycopg.ClientCursor(self.connection).mogrify(query, params)
            return super().execute(query, prepare=False)
        return super().execute(query, params, **kwargs)


def configure(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: on a PostgreSQL connection with server-side binding, the
    cursor above and the size of psycopg's prepared-statement cache."""
    options = connection.settings_dict.get("OPTIONS", {})
    if connection.vendor != "postgresql" or options.get("server_side_binding") is not True:
        return
    from django.conf import settings

    connection.connection.cursor_factory = Cursor
    connection.connection.prepared_max = settings.PREPARED_MAX
