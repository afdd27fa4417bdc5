"""The health endpoints: /healthz says whether this app server and its database answer (the
proxy routes by it); /readyz adds the shared cache and every check the apps register (the
outbox's backlog: notifications/tests/test_readiness.py). Each answers 503 with what failed,
as JSON, and never from a cache. The failures are real: a database and a Redis that are not
there."""

import socket
from typing import Any

import pytest
from django.db import connection
from django.test import Client, override_settings


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again when the probe is


@pytest.mark.django_db
def test_ready_when_the_database_cache_and_queue_are() -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == {"status": "ok", "vendor": connection.vendor}
    assert body["cache"]["status"] == "ok"
    assert body["queue"]["status"] == "ok"


@pytest.mark.django_db
def test_a_cache_that_does_not_answer_makes_the_service_not_ready_but_alive() -> None:
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        ready = Client().get("/readyz")
        alive = Client().get("/healthz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "error"
    assert ready.json()["cache"] == {"status": "error", "backend": "RedisCache"}
    assert ready.json()["database"]["status"] == "ok"
    # The load balancer keeps routing to an app server whose database answers.
    assert alive.status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_database_that_does_not_answer_fails_both_checks() -> None:
    saved = dict(connection.settings_dict)
    connection.close()
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-directory/safehub.sqlite3"
    else:
        connection.settings_dict["PORT"] = _closed_port()
        connection.settings_dict["HOST"] = "127.0.0.1"
    try:
        alive = Client().get("/healthz")
        ready = Client().get("/readyz")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    for response in (alive, ready):
        assert response.status_code == 503
        body: dict[str, Any] = response.json()
        assert body["database"] == {"status": "error", "vendor": connection.vendor}
        # What failed, never the error's text (it could carry a connection string).
        assert "nonexistent" not in response.content.decode()
