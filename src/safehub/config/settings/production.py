"""Production settings: everything secure, nothing demo. SECRET_KEY, AUDIT_SEAL_KEY and
DATABASE_URL must be set; start-up fails without them."""

import os

os.environ["DEMO_MODE"] = "false"
# JSON lines with the request id, and a line per request, unless the environment says else.
os.environ.setdefault("LOG_FORMAT", "json")
os.environ.setdefault("LOG_REQUESTS", "true")
os.environ.setdefault("LOG_LEVEL", "INFO")

from safehub.config.settings.base import *  # noqa: F403
from safehub.config.settings.base import env

DEBUG = False
DEMO_MODE = False
# The audit seals' key: required, and not derived from SECRET_KEY (ADR 0011).
AUDIT_SEAL_KEY = env.str("AUDIT_SEAL_KEY")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 63072000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_NAME = "__Host-csrftoken"
WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
