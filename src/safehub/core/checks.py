"""SafeHub's own deployment checks, run by `manage.py check --deploy`."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections

# Caches that each process keeps to itself, or that cannot count atomically: a limit
# counted in one of them is a limit per app server (or no limit at all).
_NOT_SHARED = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
    "django.core.cache.backends.db.DatabaseCache",
}


@register(Tags.caches, deploy=True)
def shared_cache_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The public form's rate limits count in the cache, so production needs one cache
    that every app server shares and that counts atomically (Redis or memcached)."""
    backend = settings.CACHES[settings.RATELIMIT_USE_CACHE]["BACKEND"]
    if backend not in _NOT_SHARED:
        return []
    return [
        Error(
            f"The cache ({backend}) is not shared between app servers, so rate limits on the "
            "public form would count per process.",
            hint="Set CACHE_URL to a shared cache, for example redis://cache.internal:6379/0.",
            id="safehub.E001",
        )
    ]


@register(Tags.security, deploy=True)
def audit_seal_key_check(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The audit seals' HMAC key (ADR 0011) must be long and not the SECRET_KEY itself."""
    key = str(getattr(settings, "AUDIT_SEAL_KEY", ""))
    if len(key) >= 32 and key != settings.SECRET_KEY:
        return []
    return [
        Error(
            "AUDIT_SEAL_KEY is shorter than 32 characters or is the SECRET_KEY, so the audit "
            "trail's seals could be forged or would break when SECRET_KEY is rotated.",
            hint="Set AUDIT_SEAL_KEY to a random value of at least 32 characters, kept "
            "apart from SECRET_KEY (see docs/how-to/production-database.md).",
            id="safehub.E002",
        )
    ]


# What the connected role may do to each audit table. Asked of PostgreSQL's catalogue; a
# superuser "has" every privilege.
_AUDIT_ROLE_SQL = """
SELECT c.relname,
       current_user,
       pg_has_role(current_user, c.relowner, 'USAGE'),
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user),
       has_table_privilege(c.oid, 'UPDATE')
         OR has_table_privilege(c.oid, 'DELETE')
         OR has_table_privilege(c.oid, 'TRUNCATE')
FROM pg_class c
WHERE c.oid IN (to_regclass('audit_auditevent'), to_regclass('audit_auditseal'))
ORDER BY c.relname
"""


@register(Tags.database, deploy=True)
def audit_role_check(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    """`check --deploy --database default`: the application connects to PostgreSQL as a
    role that neither owns the audit tables nor may update, delete or empty them
    (deploy/postgres/roles.sql). Without --database Django runs no database checks."""
    problems: list[CheckMessage] = []
    for alias in databases or ():
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(_AUDIT_ROLE_SQL)
            rows = cursor.fetchall()
        for table, user, owns, superuser, may_change in rows:
            if not (owns or superuser or may_change):
                continue
            why = (
                "is a superuser"
                if superuser
                else "owns it"
                if owns
                else "may UPDATE, DELETE or TRUNCATE it"
            )
            problems.append(
                Error(
                    f"The application connects to the database '{alias}' as {user}, which "
                    f"{why}: the audit table {table} is not protected from it.",
                    hint="Run the application as a role that owns nothing, with the grants "
                    "of deploy/postgres/roles.sql (docs/how-to/production-database.md).",
                    id="safehub.E003",
                )
            )
    return problems
