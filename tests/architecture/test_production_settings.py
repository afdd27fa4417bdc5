"""Production settings pass Django's deployment checks, and keep demo mode off."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env() -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEMO_MODE", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        SECRET_KEY="deploy-check-" + "k7Qz9" * 10,
        AUDIT_SEAL_KEY="seal-check-" + "p4Xw2" * 10,
        ALLOWED_HOSTS="safehub.example",
        DATABASE_URL=f"sqlite:///{ROOT / 'var' / 'deploy-check.sqlite3'}",
        CACHE_URL="redis://127.0.0.1:6379/0",  # named, not connected to
        DJANGO_SETTINGS_MODULE="safehub.config.settings.production",
        DEMO_MODE="true",
        DEBUG="true",
    )  # asked for, and overruled
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_refuses_a_cache_each_process_keeps_to_itself():
    env = _production_env()
    del env["CACHE_URL"]  # the embedded default: a cache per process
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "safehub.E001" in result.stderr
    assert "not shared between app servers" in result.stderr


def test_production_will_not_start_without_a_seal_key_of_its_own():
    env = _production_env()
    del env["AUDIT_SEAL_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "AUDIT_SEAL_KEY" in result.stderr


def test_check_deploy_refuses_a_weak_seal_key():
    env = {**_production_env(), "AUDIT_SEAL_KEY": "short"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "safehub.E002" in result.stderr


def test_production_forces_demo_mode_and_debug_off():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DEMO_MODE, settings.DEBUG, settings.SESSION_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**_production_env(), "PYTHONPATH": str(ROOT / "src")},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.split() == ["False", "False", "True"], result.stderr


def test_seed_demo_refuses_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo", "--scale", "small"],
        cwd=ROOT,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "demo" in (result.stdout + result.stderr).lower()
