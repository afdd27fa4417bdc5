"""gunicorn's settings for SafeHub (ADR 0029). Every value can be overridden from the
environment named beside it; `gunicorn -c deploy/gunicorn.conf.py safehub.config.wsgi`.

Workers: SafeHub's requests are synchronous and mostly wait on PostgreSQL, so sync workers,
(2 x cores) + 1 of them: enough that a worker waiting on the database leaves the cores
busy, few enough that each has a database connection and memory to spare. A host that
runs other things (PostgreSQL itself, the relay) sets WEB_CONCURRENCY lower.

gc.freeze(): the app is loaded once in the master (preload_app), then everything it made
at start-up (Django, the URL resolver, Jinja's compiled templates, the bank-holiday
calendar: several hundred thousand objects) is moved to the permanent generation before
the workers fork. Full (generation 2) collections then stop walking those objects on every
request that triggers one, and the workers' shared copy-on-write pages are not dirtied by
the collector's reference-count writes. bench/README.md ("3 December: every rule in one
place") measured the team page's p95 doubled by such collections."""

import gc
import logging
import multiprocessing
import os
from typing import Any

wsgi_app = "safehub.config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
preload_app = True
# Well under AUDIT_SEAL_SETTLE_SECONDS (300): a request's audit rows must commit before the
# sealer may seal past them (docs/how-to/production-database.md).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# A worker is replaced after this many requests, which bounds any slow growth in memory
# (about 1 MB a thousand requests, measured). The jitter is half as many again: workers that
# start together serve about as many requests each, and with a jitter of a tenth all five
# were replaced within ten seconds of each other every minute and a half under load, each
# starting cold (about 0.3 s of CPU before its caches and its database connection's are
# warm), which at 1,000 users was enough to tip a saturated machine (bench/README.md,
# "6 December, night").
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 2
# The proxy in front ends TLS and sets X-Forwarded-Proto; only it may connect.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app logs one JSON line per request itself (core.middleware, without query strings,
# which can hold a searched-for name), so gunicorn's own access log stays off.
accesslog = None
errorlog = "-"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}


def when_ready(server: Any) -> None:
    """In the master, after the app is loaded and before the first worker forks."""
    # The master must not hand an open database connection to its workers.
    from django.db import connections
    from django.template import engines
    from django.urls import resolve

    # Load what Django otherwise loads on each worker's first request (every URLconf and
    # the views and API behind it, the template engine), so it is shared and frozen too.
    resolve("/")
    engines.all()
    # Compile every template now, once, rather than in each worker on first use and again in
    # each replacement worker (max_requests): about 1.6 s of CPU for all of them, paid before
    # this change by every worker gunicorn started, every couple of minutes under load.
    compiled = compile_templates()
    connections.close_all()
    gc.collect()
    gc.freeze()
    server.log.info(
        "gc.freeze: %d start-up objects (%d templates compiled) frozen before forking",
        gc.get_freeze_count(),
        compiled,
    )


def compile_templates() -> int:
    """Every template the Jinja2 engine can load, compiled into its cache; how many."""
    from django.template import engines

    count = 0
    for engine in engines.all():
        env = getattr(engine, "env", None)
        if env is None:
            continue
        for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".txt"))):
            env.get_template(name)
            count += 1
    return count


def pre_fork(server: Any, worker: Any) -> None:
    # A worker replaced later forks from the same master: freeze anything made since.
    gc.freeze()


def post_fork(server: Any, worker: Any) -> None:
    logging.getLogger("gunicorn.error").info(
        "worker %s started with %d frozen objects", worker.pid, gc.get_freeze_count()
    )
