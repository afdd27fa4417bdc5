"""Structured logs: every line carries the id of the request it was written in (the one
the response's X-Request-ID header and the audit rows give), so a log line, a user's
report of a problem and the audit trail can be joined."""

import logging

from safehub.core.context import current_origin


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request) to every record a handler writes."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            # Django logs a failed request once the middleware has finished with it; the
            # request it passes along still carries its id.
            request = getattr(record, "request", None)
            record.request_id = current_origin.get().request_id or getattr(
                request, "request_id", ""
            )
        return True
