"""In production the public form's rate limits count in a cache every app server shares
(CACHE_URL; `check --deploy` refuses one that is not). Here against the real Redis: posts
counted by another process count against the same address here too."""

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safehub.frontdoor.tests.test_public_report import CHILD

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[4]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
RATE = "3/d"  # a day's window, so the two processes always count in the same one

# Another app server: a separate process counting two public-form posts from 127.0.0.1,
# as the view's rate limit does, in the shared cache.
OTHER_SERVER = """
import time_machine
time_machine.travel({now}, tick=True).start()  # the suite's pinned clock
import django
django.setup()
from django.test import RequestFactory
from django_ratelimit.core import is_ratelimited
request = RequestFactory().post("/report/child/", REMOTE_ADDR="127.0.0.1")
for _ in range(2):
    assert not is_ratelimited(request, group="public-report-pages", key="ip", rate="{rate}",
                              method="POST", increment=True)
"""


def _shared_cache() -> Any:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis answered at {REDIS_URL}")
    client.flushdb()
    return client


def test_posts_counted_by_another_app_server_count_here(settings: Any) -> None:
    redis_client = _shared_cache()
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    settings.PUBLIC_REPORT_PAGE_RATE = RATE
    other = subprocess.run(
        [sys.executable, "-c", OTHER_SERVER.format(now=time.time(), rate=RATE)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "CACHE_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "safehub.config.settings.test",
        },
    )
    assert other.returncode == 0, other.stderr
    assert redis_client.dbsize() > 0  # the other server's count is in Redis

    client, url = Client(), reverse("report:child")
    assert client.post(url, CHILD).status_code == 302  # the third post of the day
    assert client.post(url, CHILD).status_code == 429  # the fourth, whichever server
    redis_client.flushdb()
