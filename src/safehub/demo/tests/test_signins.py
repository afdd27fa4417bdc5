"""`make run` prints the demo sign-ins: username, role, password and TOTP secret, and the
secret printed is the one the account's authenticator uses."""

import base64

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp

from safehub.demo.generator import DEMO_PASSWORD, generate
from safehub.organisations.models import User

pytestmark = pytest.mark.django_db


def test_demo_signins_prints_what_a_newcomer_needs(capsys):
    generate("small", persons=120)
    capsys.readouterr()
    call_command("demo_signins")
    out = capsys.readouterr().out
    assert f"password: {DEMO_PASSWORD}" in out
    assert "make totp USER=" in out
    line = next(row for row in out.splitlines() if row.startswith("social.worker "))
    secret = line.split()[-1]
    user = User.objects.get(username="social.worker")
    assert user.check_password(DEMO_PASSWORD)
    device = user.totpdevice_set.get(confirmed=True)
    assert base64.b32decode(secret) == device.bin_key
    assert device.verify_token(f"{totp(base64.b32decode(secret)):06d}")


def test_demo_signins_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="demo mode"):
        call_command("demo_signins")
