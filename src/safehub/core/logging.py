"""Structured logs: every line carries the id of the request it was written in (the one
the response's X-Request-ID header and the audit rows give), so a log line, a user's
report of a problem and the audit trail can be joined."""

import logging

from safehub.core.context import current_origin


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request) to every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_origin.get().request_id
        return True
