"""Health and readiness: what the health endpoints report (ui.views).

`health` answers "can this app server serve?" (its database answers): the proxy and the
load balancer route by it. `readiness` answers "is the whole service working?": the
database, the shared cache, and every check an app above registers (the outbox relay's
backlog, from `notifications`), for the deploy step that waits for a new release and for
monitoring. A stuck relay makes the service not ready without taking every app server out
of the load balancer (ADR 0029).

`ui` knows nothing of the apps built on it, so they register their checks here from their
AppConfig.ready(), the way Django's system checks are registered."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import caches
from django.db import connections


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    # What the check saw, in JSON-safe values (never an exception's text: it could carry a
    # connection string).
    detail: dict[str, Any] = field(default_factory=dict)


Check = Callable[[datetime], CheckResult]

_READINESS_CHECKS: dict[str, Check] = {}


def register_readiness_check(name: str, check: Check) -> None:
    """Add a check to `readiness`. Registering a name again replaces the check."""
    _READINESS_CHECKS[name] = check


def database_check(now: datetime) -> CheckResult:
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return CheckResult(ok=False, detail={"vendor": connection.vendor})
    return CheckResult(ok=True, detail={"vendor": connection.vendor})


def cache_check(now: datetime) -> CheckResult:
    """A value written to the shared cache reads back: the rate limits count there."""
    cache = caches["default"]
    key = f"safehub:ready:{uuid.uuid4().hex}"
    try:
        cache.set(key, now.isoformat(), timeout=10)
        ok = cache.get(key) == now.isoformat()
        cache.delete(key)
    except Exception:
        ok = False
    return CheckResult(ok=ok, detail={"backend": type(cache).__name__})


def _run(check: Check, now: datetime) -> CheckResult:
    """A check that raises has failed; the endpoint still answers, with 503."""
    try:
        return check(now)
    except Exception:
        return CheckResult(ok=False)


def _report(checks: dict[str, Check], now: datetime) -> tuple[bool, dict[str, Any]]:
    results = {name: _run(check, now) for name, check in checks.items()}
    healthy = all(result.ok for result in results.values())
    body: dict[str, Any] = {"status": "ok" if healthy else "error"}
    for name, result in results.items():
        body[name] = {"status": "ok" if result.ok else "error", **result.detail}
    return healthy, body


def health(*, now: datetime) -> tuple[bool, dict[str, Any]]:
    return _report({"database": database_check}, now)


def readiness(*, now: datetime) -> tuple[bool, dict[str, Any]]:
    return _report({"database": database_check, "cache": cache_check, **_READINESS_CHECKS}, now)
