"""Settings for the test suite. DATABASE_URL picks SQLite (default) or PostgreSQL."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("DEMO_MODE", "true")

from django.db.backends.signals import connection_created

from safehub.audit.db_guard import lift_for_test_suite
from safehub.config.settings.base import *  # noqa: F403
from safehub.config.settings.base import DATABASES, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; tests only
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}
    # OPTIONS stay as in base.py: the tests run on the same SQLite set-up users get.
AXES_FAILURE_LIMIT = 5

# The one place the audit tables' guard is lifted: every connection the suite opens may
# empty them, because Django's flush between transactional tests (live server, concurrency)
# empties every table. Updating or deleting audit rows stays refused (audit.db_guard).
connection_created.connect(lift_for_test_suite, dispatch_uid="safehub-test-audit-reset")

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise expects it
