"""Settings shared by every environment. Values come from the environment; the defaults are
the safe ones (DEBUG off, no demo accounts, embedded SQLite under var/)."""

import hashlib
import hmac
from datetime import timedelta
from pathlib import Path

import environ

from safehub.config.databases import replica_database

PROJECT_ROOT = Path(__file__).resolve().parents[4]
SRC_DIR = PROJECT_ROOT / "src" / "safehub"
VAR_DIR = PROJECT_ROOT / "var"

env = environ.Env()
environ.Env.read_env(PROJECT_ROOT / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

# The demo council ("Demoshire") and its sign-ins exist only when this is on. Production
# settings force it off, and the sign-in backend refuses demo accounts whenever it is off.
DEMO_MODE = env.bool("DEMO_MODE", default=False)

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'safehub.sqlite3'}")}
# Every request runs in one transaction, so an access and its audit row commit together
# and a failed audit write fails the request.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several users at once on the embedded database. Page reads write audit rows, so every
    # request may write: each transaction takes SQLite's one write lock when it begins
    # (IMMEDIATE), and a request that finds it taken waits its turn for up to 20 seconds
    # (the busy timeout) instead of failing with "database is locked" when it first writes.
    # Write-ahead logging lets reads outside a transaction go on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # No JIT compilation: a page's query is planned with costs above PostgreSQL's JIT
    # threshold (correlated lookups per row) yet runs in milliseconds, and compiling it took
    # seconds (ADR 0033: the registers, measured at the county scale).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
    # Prepared statements (ADR 0067): parameters sent apart from the SQL, and a statement
    # prepared once a connection has run it PREPARE_THRESHOLD times, so PostgreSQL parses
    # and plans it once rather than on every page (about a third of its CPU under load).
    # safehub.core.prepared binds on the client the rare statement longer than the protocol
    # carries, and keeps PREPARED_MAX statements a connection. -1 turns them off, for a
    # connection pooler that cannot carry them (PgBouncer in transaction mode before 1.21).
    prepare_threshold = env.int("PREPARE_THRESHOLD", default=2)
    if prepare_threshold >= 0:
        options["server_side_binding"] = True
        options["prepare_threshold"] = prepare_threshold
PREPARED_MAX = env.int("PREPARED_MAX", default=500)

# A PostgreSQL streaming replica the reports and returns read from (ADR 0049,
# safehub.core.replica). Unset, there is one database and nothing is routed.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
# How long a report waits for the replica to replay what the primary had committed when it
# began, before reading the primary instead; and, once the replica could not be reached,
# how long reports read the primary before trying it again.
REPLICA_MAX_WAIT_MS = env.int("REPLICA_MAX_WAIT_MS", default=500)
REPLICA_RETRY_SECONDS = env.int("REPLICA_RETRY_SECONDS", default=30)
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = replica_database(env.db_url_config(DATABASE_REPLICA_URL), DATABASES)
    DATABASE_ROUTERS = ["safehub.core.replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisations.User"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "safehub.core",
    "safehub.organisations",
    "safehub.access",
    "safehub.audit",
    "safehub.people",
    "safehub.chronology",
    "safehub.notifications",
    "safehub.frontdoor",
    "safehub.casework",
    "safehub.partners",
    "safehub.hardtosee",
    "safehub.sharing",
    "safehub.neglect",
    "safehub.leaving_care",
    "safehub.permanence",
    "safehub.careplanning",
    "safehub.multiagency",
    "safehub.concerns",
    "safehub.subjectaccess",
    "safehub.retention",
    "safehub.insight",
    "django_q",
    "safehub.returns",
    "safehub.ui",
    "safehub.api",
    "safehub.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safehub.core.middleware.SecurityHeadersMiddleware",
    "safehub.core.middleware.RequestSizeLimitMiddleware",
    "safehub.audit.middleware.RefusalAuditMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safehub.access.middleware.SignedInDeviceMiddleware",
    "safehub.access.middleware.ResolvedUserMiddleware",
    "safehub.access.middleware.SessionLimitsMiddleware",
    "safehub.access.middleware.SecondFactorRequiredMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "safehub.core.middleware.DomainErrorMiddleware",
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "safehub.access.backends.StaffBackend",
]

ROOT_URLCONF = "safehub.config.urls"
WSGI_APPLICATION = "safehub.config.wsgi.application"
LOGIN_URL = "ui:sign-in"
LOGIN_REDIRECT_URL = "ui:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "safehub.ui.jinja2.environment",
            "context_processors": [
                "safehub.ui.context_processors.csrf_once",
                "safehub.access.context_processors.session_timeout",
            ],
        },
    },
]
# Django's form widgets render through the same single engine.
FORM_RENDERER = "django.forms.renderers.Jinja2"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]

# Sessions: idle expiry and an absolute lifetime, both enforced by
# access.middleware.SessionLimitsMiddleware from the last-seen time, which it writes back once
# a minute rather than on every page.
SESSION_IDLE_SECONDS = env.int("SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=12 * 60 * 60)
# Pages warn this long before the idle limit and offer more time (WCAG 2.2 SC 2.2.1).
SESSION_WARNING_SECONDS = env.int("SESSION_WARNING_SECONDS", default=5 * 60)
# The stored session outlives the idle limit (the middleware, not the store, ends it), so a
# form sent just after the limit is still known to be its author's and kept as a draft.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
# A form kept from an ended session waits this long for its author to sign in again.
EXPIRED_FORM_KEEP_HOURS = env.int("EXPIRED_FORM_KEEP_HOURS", default=24)
# Django's database sessions, read with a statement of our own (ADR 0064).
SESSION_ENGINE = "safehub.core.sessions"
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# How many reverse proxies of the council's own stand between the internet and the app,
# each appending to X-Forwarded-For. The audit trail, the public form's rate limits and
# sign-in lockouts all take the client's address from `core.client_ip.client_ip`; with 0
# (no proxy) X-Forwarded-For is ignored. See docs/how-to/production-database.md.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "safehub.core.client_ip.client_ip"
AXES_CLIENT_IP_CALLABLE = "safehub.core.client_ip.client_ip"

# Lockout by username (council staff share NAT addresses, so never by IP alone). Wrong
# passwords and wrong security codes count together (access.services); a right code clears
# the count, a right password alone does not, so codes cannot be guessed a few at a time
# between passwords.
AXES_FAILURE_LIMIT = env.int("LOCKOUT_FAILURES", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = False
# Never keep what was typed with a failed attempt: codes, or a break-glass reason.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code", "reason"]
AXES_LOCKOUT_CALLABLE = "safehub.access.views_auth.locked_out"
AXES_VERBOSE = False
# Lockout is by username on purpose (see above); attempts against one account are capped
# whatever address or browser they come from.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_ENABLE_ADMIN = False

OTP_TOTP_ISSUER = "SafeHub"
OTP_TOTP_THROTTLE_FACTOR = 1

# How long a break-glass grant on a restricted record lasts.
BREAK_GLASS_HOURS = env.int("BREAK_GLASS_HOURS", default=4)

# Sealing the audit trail (ADR 0011). `audit_seal` digests batches of audit rows with an
# HMAC under this key. Without AUDIT_SEAL_KEY the key is derived from SECRET_KEY, which is
# fine for the embedded demo; production settings require a key of its own, so rotating
# SECRET_KEY does not orphan every seal, and the seal key can be held apart from it.
AUDIT_SEAL_KEY = (
    env.str("AUDIT_SEAL_KEY", default="")
    or hmac.new(SECRET_KEY.encode(), b"safehub.audit.seal", hashlib.sha256).hexdigest()
)
# A row is sealed only once it is this old, so that a request still running (its audit row
# has an id but is not yet committed, so the sealer cannot see it) has committed by then.
# It must be longer than the longest transaction that writes an audit row; see the
# comment in audit/sealing.py.
AUDIT_SEAL_SETTLE_SECONDS = env.int("AUDIT_SEAL_SETTLE_SECONDS", default=300)
AUDIT_SEAL_BATCH_ROWS = env.int("AUDIT_SEAL_BATCH_ROWS", default=10_000)

# The front door (MASH). Urgency sets the decision clock: an immediate contact (a child in
# danger now) within this many hours of receipt, day or night; an urgent one by the end of
# the day it came in; any other within this many working days of receipt. Where the council
# requires it, a manager signs decisions off before the referrer is told.
MASH_IMMEDIATE_HOURS = env.int("MASH_IMMEDIATE_HOURS", default=2)
MASH_DECISION_WORKING_DAYS = env.int("MASH_DECISION_WORKING_DAYS", default=1)
# A MASH decision to hold a strategy discussion: held within this many working days of it.
STRATEGY_DISCUSSION_WORKING_DAYS = env.int("STRATEGY_DISCUSSION_WORKING_DAYS", default=1)
MASH_MANAGER_SIGNOFF = env.bool("MASH_MANAGER_SIGNOFF", default=True)
# Statutory visits: the council's local standards, in working days.
CP_VISIT_WORKING_DAYS = env.int("CP_VISIT_WORKING_DAYS", default=10)
CIN_VISIT_WORKING_DAYS = env.int("CIN_VISIT_WORKING_DAYS", default=20)

# Public "report a worry" form: submissions allowed per address per hour.
PUBLIC_REPORT_RATE = env.str("PUBLIC_REPORT_RATE", default="10/h")
PUBLIC_REPORT_PAGE_RATE = env.str("PUBLIC_REPORT_PAGE_RATE", default="300/h")
# Where notification e-mails come from (the outbox relay sends them).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="safehub@demoshire.example")
# Where staff reach SafeHub (e.g. https://safehub.council.example), for the link an e-mail
# gives to the page it is about; without it the e-mail says to sign in and open Messages.
SITE_URL = env.str("SITE_URL", default="")
# Who a practitioner without current neglect-profile training is told to contact: the
# council's neglect lead (a name, a team mailbox or a phone number, in a sentence).
NEGLECT_LEAD_CONTACT = env.str(
    "NEGLECT_LEAD_CONTACT",
    default="the council's neglect lead (ask the safeguarding partnership's training team)",
)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = Path(env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail")))
# The readiness check (/readyz) fails once a message due for delivery has waited this long:
# the outbox relay is not running or not keeping up.
OUTBOX_READY_MAX_AGE_SECONDS = env.int("OUTBOX_READY_MAX_AGE_SECONDS", default=300)

# The job queue (ADR 0038): django-q2 with its ORM broker, so jobs live in the application's
# own database (SQLite for `make run`, PostgreSQL in production) and commit with the request
# that asks for them. A worker (`manage.py qcluster`) claims a job by stamping it locked until
# now + JOB_RETRY_SECONDS; a job whose worker died is offered again after that, and never
# sooner, so JOB_TIMEOUT_SECONDS (after which the cluster stops a job itself) must be shorter.
JOB_TIMEOUT_SECONDS = env.int("JOB_TIMEOUT_SECONDS", default=1800)
JOB_RETRY_SECONDS = env.int("JOB_RETRY_SECONDS", default=JOB_TIMEOUT_SECONDS + 60)
Q_CLUSTER = {
    "name": "safehub",
    "orm": "default",
    "workers": env.int("JOB_WORKERS", default=1),
    "timeout": JOB_TIMEOUT_SECONDS,
    "retry": JOB_RETRY_SECONDS,
    "max_attempts": env.int("JOB_MAX_ATTEMPTS", default=3),
    "ack_failures": True,
    "poll": env.float("JOB_POLL_SECONDS", default=1.0),
    "save_limit": 500,
    "catch_up": False,
    "recycle": 100,
    "label": "Jobs",
}
# A running job says it is alive at least this often (with its progress); one silent for
# longer may be claimed again by a worker the queue offers it to (insight.services.job_run).
JOB_LEASE_SECONDS = env.int("JOB_LEASE_SECONDS", default=120)
# The council's population aged under 18 (ONS mid-year estimate), for rates per 10,000
# children. Unset, the dashboard counts the children under 18 on record and says so.
CHILD_POPULATION = env.int("CHILD_POPULATION", default=0)

# Rate limits count in the cache, so production needs a cache every app server shares
# (CACHE_URL, e.g. redis://...). The embedded default is per process, which
# `check --deploy` refuses (safehub.core.checks).
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://safehub")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # A Redis that stops answering fails a request (and the readiness check) in a second
    # rather than holding a worker until gunicorn's timeout.
    CACHES["default"].setdefault("OPTIONS", {}).update(
        {"socket_connect_timeout": 1, "socket_timeout": 1}
    )
RATELIMIT_USE_CACHE = "default"
RATELIMIT_VIEW = "safehub.ui.views.rate_limited"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [PROJECT_ROOT / "build" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "safehub.ui.views.csrf_failure"

# A larger body is refused with 413 and this limit in words (RequestSizeLimitMiddleware).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 400

# LOG_FORMAT=json writes one JSON object a line (production's default), each carrying the
# request id the response's X-Request-ID header gives (core.logging); "text" is for people.
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "safehub.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            "timestamp": False,
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # One line per request (core.middleware), when LOG_REQUESTS is on.
    "loggers": {
        "safehub.request": {
            "level": "INFO" if env.bool("LOG_REQUESTS", default=False) else "WARNING"
        }
    },
}

# The council's three-digit DfE local authority code, the LEA in every return's header. The
# demo council Demoshire uses 873 (its UPNs carry it); a council sets its own.
LA_CODE = env.str("SAFEHUB_LA_CODE", default="873")
