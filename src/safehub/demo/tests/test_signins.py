"""`make run` prints the demo sign-ins once, with the address it serves on: username, role,
password and TOTP secret, and the secret printed is the one the account's authenticator
uses. A port already taken stops `make run` before it prints anything."""

import base64
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp

from safehub.demo.generator import DEMO_PASSWORD, generate
from safehub.organisations.models import User

pytestmark = pytest.mark.django_db


def test_demo_signins_prints_what_a_newcomer_needs(capsys):
    generate("small", persons=120)
    capsys.readouterr()
    call_command("demo_signins", url="http://127.0.0.1:8123/")
    out = capsys.readouterr().out
    assert "is at http://127.0.0.1:8123/" in out
    assert out.count("authenticator secret (TOTP)") == 1
    assert "make totp USER=" in out
    line = next(row for row in out.splitlines() if row.startswith("social.worker "))
    secret = line.split()[-1]
    assert DEMO_PASSWORD in line
    user = User.objects.get(username="social.worker")
    assert user.check_password(DEMO_PASSWORD)
    device = user.totpdevice_set.get(confirmed=True)
    assert base64.b32decode(secret) == device.bin_key
    assert device.verify_token(f"{totp(base64.b32decode(secret)):06d}")


def test_demo_signins_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_signins")


ROOT = Path(__file__).resolve().parents[4]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_run_prints_the_signins_once_with_the_port_it_serves_on():
    """What `make run HOST=… PORT=…` would run (make -n runs nothing): seeding prints no
    sign-ins, demo_signins prints them once with the address runserver is given."""
    plan = subprocess.run(
        [shutil.which("make") or "make", "-n", "run", "HOST=127.0.0.2", "PORT=8123"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = plan.splitlines()
    seeding = [line for line in lines if "seed_demo" in line]
    assert seeding
    assert all("--no-signins" in line for line in seeding)
    printing = [line for line in lines if "demo_signins" in line]
    assert len(printing) == 1
    assert "--url http://127.0.0.2:8123/" in printing[0]
    assert any("runserver 127.0.0.2:8123" in line for line in lines)
    assert any("SITE_URL:-http://127.0.0.2:8123" in line for line in lines)  # e-mail links
    check = next(i for i, line in enumerate(lines) if "check_port.py 127.0.0.2 8123" in line)
    assert check < lines.index(printing[0])


def test_a_port_in_use_stops_make_run_before_it_prints_anything():
    script = ROOT / "scripts" / "check_port.py"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        busy = subprocess.run(
            [sys.executable, str(script), "127.0.0.1", str(port)], capture_output=True, text=True
        )
    assert busy.returncode == 1
    assert f"Port {port} on 127.0.0.1 is in use" in busy.stderr
    assert f"make run PORT={port + 1}" in busy.stderr
    free = subprocess.run(
        [sys.executable, str(script), "127.0.0.1", str(port)], capture_output=True, text=True
    )
    assert free.returncode == 0, free.stderr
