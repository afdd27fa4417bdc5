"""Where the current request came from, for the audit trail. Set by middleware (pages) and
the API's authentication; read by `audit.services.audit_record`."""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestOrigin:
    ip_address: str | None = None
    request_id: str = ""
    channel: str = "system"


current_origin: ContextVar[RequestOrigin] = ContextVar("current_origin", default=RequestOrigin())  # noqa: B039 - frozen
