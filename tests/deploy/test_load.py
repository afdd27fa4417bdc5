"""The load test's scenarios against a live production stack, and the outbox relay killed
mid-delivery (bench/load, ADR 0046).

A tiny Locust run (ten users, think time cut to a fraction of a second) through nginx proves
that every kind of request the load test makes succeeds: sign-in with password and TOTP,
search, the person page, my work, the casework page, visits and case notes with their
autosaved drafts, the MASH queue and a contact, partner events by API token and the public
form. Everything the server acknowledged is then found in the database exactly once
(bench/load/verify.py).

Both run in the suite's PostgreSQL run, like the stack's smoke test."""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from conftest import TEST_TODAY

from tests.deploy.test_serve_prod import _postgres_server

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench" / "load"))
from stack import serve  # type: ignore[import-not-found]  # noqa: E402

# Every kind of request the Locust users make (bench/load/locustfile.py).
REQUESTS = {
    "GET sign-in",
    "POST sign-in",
    "GET my work",
    "GET search",
    "POST search",
    "GET person page",
    "GET casework page",
    "GET visit form",
    "POST autosave",
    "POST record visit",
    "GET note form",
    "POST record note",
    "GET MASH queue",
    "GET contact page",
    "POST partner events API",
    "GET public form page",
    "POST public form page",
    "POST public report sent",
}


@pytest.fixture
def live_stack(tmp_path: Path) -> Any:
    admin = _postgres_server()
    name = f"safehub_load_{uuid.uuid4().hex[:8]}"
    database_url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    try:
        with serve(
            database_url,
            port=0,
            state=tmp_path / "state",
            workers=2,
            as_of=TEST_TODAY.isoformat(),
            startup_seconds=420,
        ) as served:
            yield served
    finally:
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.serve_prod
def test_a_tiny_locust_run_makes_every_kind_of_request_without_an_error(live_stack, tmp_path):
    out, ledger = tmp_path / "load.json", tmp_path / "ledger.jsonl"
    subprocess.run(
        [
            *[sys.executable, "bench/load/run.py", "--url", live_stack.url],
            *["--cafile", str(live_stack.cafile), "--database-url", live_stack.database_url],
            *["--state-dir", str(tmp_path), "--steps", "10", "--step-seconds", "25"],
            *["--settle-seconds", "3", "--spawn-rate", "10", "--think", "0.1,0.3"],
            *["--sign-in-seconds", "150"],
            *["--ledger", str(ledger), "--out", str(out)],
        ],
        cwd=ROOT,
        check=True,
        timeout=420,
    )
    step = json.loads(out.read_text())["steps"][0]
    seen = {**step["ramp_by_request"]}
    for name, counts in step["by_request"].items():
        seen[name] = {
            "requests": seen.get(name, {}).get("requests", 0) + counts["requests"],
            "failures": seen.get(name, {}).get("failures", 0) + counts["failures"],
        }
    assert set(seen) >= REQUESTS, f"never made: {REQUESTS - set(seen)}"
    failed = {name: c["failures"] for name, c in seen.items() if c["failures"]}
    assert not failed, f"failed: {failed}; errors: {step['errors']}"

    proof = _verify(live_stack.database_url, ledger, live_stack.state / "mail")
    for kind in ("reports", "visits", "notes", "partner_events"):
        assert proof["acknowledged"][kind]["acknowledged"] > 0, kind
    assert proof["lost"] == 0
    assert proof["done_twice"] == 0


def _verify(database_url: str, ledger: Path, mail: Path) -> dict[str, Any]:
    result = subprocess.run(
        [
            *[sys.executable, "bench/load/verify.py", "--database-url", database_url],
            *["--ledger", str(ledger), "--mail-dir", str(mail)],
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.stdout.strip(), result.stderr
    return dict(json.loads(result.stdout))


def _relay(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "outbox_relay", "--loop", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.serve_prod
@pytest.mark.django_db(transaction=True)
def test_the_outbox_relay_killed_mid_delivery_loses_and_duplicates_nothing(tmp_path, users):
    from django.db import connection

    from safehub.notifications.models import Channel, Notification, OutboxMessage

    if connection.vendor != "postgresql":
        pytest.skip(
            "The relay runs as its own process on PostgreSQL (SKIP LOCKED), as in production"
        )
    recipients = list(users.values())
    # A backlog, as the relay finds after a mail outage: half inbox messages, half e-mails.
    OutboxMessage.objects.bulk_create(
        OutboxMessage(
            channel=Channel.EMAIL if i % 2 else Channel.INBOX,
            dedupe_key=f"backlog-{i}",
            recipient_user=recipients[i % len(recipients)],
            subject="A child was allocated to you",
            body=f"Backlog message {i}",
            link="/my-work/",
        )
        for i in range(1200)
    )
    db = connection.settings_dict
    mail = tmp_path / "mail"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "safehub.config.settings.local",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail),
    }
    relay = _relay(env)
    sent = OutboxMessage.objects.filter(sent_at__isnull=False)
    deadline = time.monotonic() + 60
    while sent.count() < 50 and time.monotonic() < deadline:
        time.sleep(0.05)
    relay.send_signal(signal.SIGKILL)  # mid-delivery: no chance to finish what it holds
    relay.wait()
    at_kill = sent.count()
    assert 0 < at_kill < 1200, "the relay was not caught part-way through the backlog"

    relay = _relay(env)
    try:
        deadline = time.monotonic() + 120
        while sent.count() < 1200 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        relay.terminate()
        relay.wait()

    unsent = OutboxMessage.objects.filter(sent_at__isnull=True)
    assert not unsent.exists(), [(m.pk, m.attempts, m.last_error) for m in unsent]  # none lost
    inbox = OutboxMessage.objects.filter(channel=Channel.INBOX)
    assert Notification.objects.filter(message__in=inbox).count() == inbox.count() == 600
    written: dict[str, int] = {}
    for path in mail.glob("*"):
        for line in path.read_text().splitlines():
            if line.lower().startswith("message-id:"):
                key = line.split(":", 1)[1].strip()
                written[key] = written.get(key, 0) + 1
    emails = [m.message_id for m in OutboxMessage.objects.filter(channel=Channel.EMAIL)]
    assert all(written.get(mid, 0) >= 1 for mid in emails)  # every e-mail went
    # Each went once: an e-mail sent in the instant between handing it to the mail server
    # and recording it as sent would go again, under the same Message-ID (ADR 0046).
    assert sum(written.get(mid, 0) - 1 for mid in emails) <= 1
    assert len(written) == 600
