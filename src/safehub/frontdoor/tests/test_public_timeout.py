"""The public form after its answers were left for too long: the person is told what
happened, and what they sent after it is kept for them (never silently dropped)."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from safehub.frontdoor.tests.test_public_report import (
    ADDRESS,
    CHILD,
    WHAT,
    page_url,
    text_of,
)

pytestmark = pytest.mark.django_db
DELETED = "Your earlier answers were deleted"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def _after_the_limit(settings: Any) -> Any:
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS + 60)
    return time_machine.travel(later, tick=True)


def test_a_page_sent_after_the_limit_is_kept_and_the_person_told(settings) -> None:
    client = Client()
    client.post(page_url("child"), CHILD)
    client.post(page_url("address"), ADDRESS)
    with _after_the_limit(settings):
        response = client.post(page_url("what-happened"), WHAT)
        assert response["Location"] == page_url("child")  # the first question again
        first = text_of(client.get(page_url("child")))
        assert DELETED in first
        assert "did not move on to a new page for 30 minutes" in first
        assert "The answers on the page you had just sent are kept" in first
        assert "Amelia" not in first  # the earlier answers are gone, as the start page says
        # Told once, not on every page.
        client.post(page_url("child"), CHILD)
        client.post(page_url("address"), ADDRESS)
        kept = text_of(client.get(page_url("what-happened")))
        assert DELETED not in kept
        assert WHAT["concern_summary"] in kept  # what they sent after the limit is there
        assert client.post(page_url("what-happened"), WHAT).status_code == 302


def test_coming_back_after_the_limit_says_so(settings) -> None:
    client = Client()
    client.post(page_url("child"), CHILD)
    with _after_the_limit(settings):
        page = text_of(client.get(page_url("address")))
        assert DELETED in page
        assert "The answers on the page you had just sent are kept" not in page
        assert client.get(page_url("check"))["Location"] == page_url("start")


def test_sending_after_the_limit_goes_to_the_first_question_which_says_why(settings) -> None:
    client = Client()
    client.post(page_url("child"), CHILD)
    with _after_the_limit(settings):
        response = client.post(page_url("submit"), {"token": "anything"})
        assert response["Location"] == page_url("child")
        assert DELETED in text_of(client.get(page_url("child")))


def test_answers_within_the_limit_are_kept(settings) -> None:
    client = Client()
    client.post(page_url("child"), CHILD)
    later = timezone.now() + timedelta(seconds=settings.SESSION_IDLE_SECONDS - 60)
    with time_machine.travel(later, tick=True):
        page = text_of(client.get(page_url("child")))
        assert "Amelia" in page
        assert DELETED not in page
