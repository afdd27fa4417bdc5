"""`make serve-prod`'s stack, brought up for real from nothing: a new PostgreSQL database
(created, migrated, the demo council loaded), Redis, gunicorn with the production settings,
the outbox relay, the audit sealer and nginx ending TLS, on ports chosen now, everything else
under a temporary directory. The smoke test (scripts/smoke_prod.py) then goes through the
proxy: readiness, a sign-in with password and TOTP code, a page and its assets, a public
report. Ctrl-C then stops everything, and the database is dropped.

It runs in the suite's PostgreSQL run (DATABASE_URL names the server; the stack gets a
database of its own there) and says so when skipped in the SQLite run."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import TEST_TODAY
from scripts.serve_prod import SERVING
from scripts.smoke_prod import smoke

from safehub.demo.generator import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
# Set-up takes about 20 s on a quiet machine; a busy one (the suite on 2 cores) is slower.
STARTUP_SECONDS = 240


def _postgres_server() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip(
            "The production stack needs PostgreSQL: it runs in the suite's PostgreSQL run "
            "(DATABASE_URL=postgres://...), not on SQLite."
        )
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    try:
        psycopg.connect(admin, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        pytest.skip(f"No PostgreSQL server answered at {admin}: {error}")
    return admin


@pytest.fixture
def stack(tmp_path: Path) -> Any:
    admin = _postgres_server()
    name = f"safehub_smoke_{uuid.uuid4().hex[:8]}"
    database_url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    output = tmp_path / "serve-prod.out"
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        },
        # Seal at once rather than after 5 minutes, so the sealer shows it is working.
        "AUDIT_SEAL_SETTLE_SECONDS": "1",
    }
    argv = [sys.executable, "scripts/serve_prod.py", "--port", "0", "--workers", "2"]
    argv += ["--database-url", database_url, "--state-dir", str(tmp_path / "state")]
    argv += ["--as-of", TEST_TODAY.isoformat(), "--seal-interval", "2"]
    with output.open("wb") as out:
        process = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        url = _wait_for_serving(process, output)
        yield {
            "process": process,
            "url": url,
            "state": tmp_path / "state",
            "output": output,
            "database_url": database_url,
        }
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_for_serving(process: subprocess.Popen[bytes], output: Path) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        text = output.read_text(errors="replace")
        for line in text.splitlines():
            if line.startswith(SERVING):
                return line.removeprefix(SERVING).strip()
        if process.poll() is not None:
            pytest.fail(f"serve_prod.py exited {process.returncode}:\n{text}")
        time.sleep(0.5)
    pytest.fail(f"not serving after {STARTUP_SECONDS} s:\n{output.read_text(errors='replace')}")


def _json_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]


def _port_open(url: str) -> bool:
    parts = urlsplit(url)
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((parts.hostname or "", parts.port or 443)) == 0


@pytest.mark.serve_prod
def test_the_production_stack_comes_up_serves_through_the_proxy_and_stops(stack):
    state: Path = stack["state"]
    url: str = stack["url"]
    assert url.startswith("https://127.0.0.1:")
    secrets = dict(line.split("=", 1) for line in (state / "secrets.env").read_text().splitlines())
    manage_env = {
        **os.environ,
        **secrets,
        "DJANGO_SETTINGS_MODULE": "safehub.config.settings.production_demo",
        "DATABASE_URL": stack["database_url"],
    }

    def code() -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", "demo_totp", "social.worker"],
            cwd=ROOT,
            env=manage_env,
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    seen = smoke(
        url,
        cafile=str(state / "tls" / "cert.pem"),
        username="social.worker",
        password=DEMO_PASSWORD,
        code=code,
    )
    assert seen["reference"]
    assert "/sign-in/" not in seen["home_url"]

    # gunicorn froze what the app loaded before its workers forked (ADR 0029).
    app_log = _json_lines(state / "logs" / "gunicorn.log")
    frozen = [line for line in app_log if line["message"].startswith("gc.freeze:")]
    assert frozen, "gunicorn's master did not freeze its start-up objects"
    assert int(frozen[0]["message"].split()[1]) > 50_000
    # Structured logs: the app's line for the signed-in page and nginx's line for it carry
    # the request id the response gave.
    request_id = seen["home_request_id"]
    assert any(
        line.get("logger") == "safehub.request" and line.get("request_id") == request_id
        for line in app_log
    )
    access_log = _json_lines(state / "logs" / "nginx-access.log")
    assert any(line["request_id"] == request_id for line in access_log)
    # The sealer runs as its own process and seals the audit trail.
    assert _eventually(lambda: "audit: sealed" in _log(state, "audit-sealer"), seconds=30)

    # Ctrl-C stops everything, in order, and nothing is left on the ports.
    stack["process"].send_signal(signal.SIGINT)
    assert stack["process"].wait(timeout=60) == 0
    assert "Stopped." in stack["output"].read_text()
    assert not _port_open(url)


def _log(state: Path, name: str) -> str:
    path = state / "logs" / f"{name}.log"
    return path.read_text(errors="replace") if path.exists() else ""


def _eventually(condition: Any, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(1)
    return False
