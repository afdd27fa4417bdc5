"""deploy/gunicorn.conf.py as gunicorn reads it (ADR 0029): the app loaded in the master
before forking (so gc.freeze has something to freeze), (2 x cores) + 1 sync workers unless
WEB_CONCURRENCY says otherwise, a request timeout well inside the audit sealer's settling
window, and no access log of its own (the app logs requests without their query strings).
That the master really freezes its objects is shown by test_serve_prod.py on the real stack."""

import multiprocessing
import runpy
from pathlib import Path

from django.conf import settings

CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_workers_default_to_twice_the_cores_plus_one(monkeypatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    config = runpy.run_path(str(CONFIG))
    assert config["workers"] == multiprocessing.cpu_count() * 2 + 1
    assert config["worker_class"] == "sync"
    assert config["preload_app"] is True
    assert config["wsgi_app"] == "safehub.config.wsgi:application"


def test_the_environment_sizes_and_binds_it(monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    monkeypatch.setenv("GUNICORN_BIND", "127.0.0.1:9001")
    config = runpy.run_path(str(CONFIG))
    assert config["workers"] == 3
    assert config["bind"] == "127.0.0.1:9001"


def test_a_request_ends_well_before_its_audit_rows_are_sealed(monkeypatch):
    monkeypatch.delenv("GUNICORN_TIMEOUT", raising=False)
    config = runpy.run_path(str(CONFIG))
    assert config["timeout"] * 5 <= settings.AUDIT_SEAL_SETTLE_SECONDS
    assert config["accesslog"] is None
    assert callable(config["when_ready"])
    assert callable(config["pre_fork"])


def test_workers_are_replaced_at_spread_out_counts(monkeypatch):
    """Workers that start together serve about as many requests each: a jitter of half the
    limit keeps their replacements (each starting cold) from coming in one wave."""
    monkeypatch.delenv("GUNICORN_MAX_REQUESTS", raising=False)
    config = runpy.run_path(str(CONFIG))
    assert config["max_requests"] == 10_000
    assert config["max_requests_jitter"] == 5_000
    monkeypatch.setenv("GUNICORN_MAX_REQUESTS", "4000")
    config = runpy.run_path(str(CONFIG))
    assert (config["max_requests"], config["max_requests_jitter"]) == (4000, 2000)


def test_the_master_compiles_every_template_before_forking(monkeypatch):
    """Compiled once in the master and shared with every worker, instead of compiled by each
    worker on first use and again by each replacement (max_requests)."""
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2
    from jinja2 import Template
    from jinja2.utils import LRUCache

    config = runpy.run_path(str(CONFIG))
    engine = engines["jinja2"]
    assert isinstance(engine, Jinja2)
    env = engine.env
    cache = env.cache
    assert isinstance(cache, LRUCache)
    cache.clear()
    compiled = config["compile_templates"]()
    names = env.list_templates()
    assert compiled == len(names) > 100
    assert "layouts/base.html" in names
    assert any(n.startswith("govuk_frontend_jinja/") for n in names)
    # Each is now in the engine's cache: the workers forked from here never compile it.
    loaded = {key[1] for key in cache}
    assert set(names) <= loaded
    assert all(isinstance(t, Template) for t in cache.values())
    assert len(names) < cache.capacity  # none pushed out by another
