"""Settings for `make run`: the embedded SQLite database and the demo council."""

import os

os.environ.setdefault("SECRET_KEY", "local-development-only-not-a-secret-" + "x" * 20)
os.environ.setdefault("DEMO_MODE", "true")

from safehub.config.settings.base import *  # noqa: F403

STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise expects it
