"""The client's address behind a configured number of trusted proxies: one answer for the
audit trail, the public form's rate limits and sign-in lockouts, and a client cannot choose
it by sending its own X-Forwarded-For."""

import logging
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.core.client_ip import client_ip
from safehub.frontdoor.tests.test_public_report import CHILD

PROXY = "10.0.0.1"  # the council's load balancer, as the app sees it (REMOTE_ADDR)
CLIENT = "203.0.113.7"  # the real client, as the load balancer saw it
SPOOF = "198.51.100.66"  # what the client claims to be


def _ip(xff: str | None, remote: str = PROXY) -> str:
    headers: dict[str, Any] = {"REMOTE_ADDR": remote}  # WSGI environ extras
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return client_ip(RequestFactory().get("/", **headers))


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


# --- The one function ---------------------------------------------------------------------


def test_with_no_trusted_proxy_x_forwarded_for_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert _ip(SPOOF, remote=CLIENT) == CLIENT
    assert _ip(None, remote=CLIENT) == CLIENT


@pytest.mark.parametrize(
    "xff",
    [
        CLIENT,  # the proxy's own entry only
        f"{SPOOF}, {CLIENT}",  # the client sent a fake entry; the proxy appended the truth
        f"{SPOOF}, 192.0.2.1, {CLIENT}",
        f"unknown, {SPOOF},{CLIENT}",
    ],
)
def test_with_one_trusted_proxy_the_right_most_entry_wins(settings: Any, xff: str) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip(xff) == CLIENT


def test_with_two_trusted_proxies_the_second_from_the_right_wins(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert _ip(f"{SPOOF}, {CLIENT}, 10.0.0.2") == CLIENT


def test_a_client_address_on_the_councils_network_is_kept(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip(f"{SPOOF}, 10.20.30.40") == "10.20.30.40"


def test_without_the_proxys_entry_the_nearest_proxy_is_the_answer(settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert _ip(CLIENT) == PROXY  # one entry where two proxies should have written
    settings.TRUSTED_PROXY_COUNT = 1
    assert _ip(None) == PROXY


def test_a_malformed_header_never_yields_an_address_the_client_wrote(
    settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.WARNING, logger="safehub.security"):
        # An unbalanced quote from the client swallows the entry the proxy appended.
        assert _ip(f'"{SPOOF}, {CLIENT}') == PROXY
    assert "X-Forwarded-For could not be read" in caplog.text


# --- The audit trail ----------------------------------------------------------------------


def test_the_audit_row_records_the_client_behind_the_trusted_proxy(
    settings: Any, people: Any, client_for: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    person = people["involved"]
    client_for("social_worker").get(
        reverse("people:person-detail", args=[person.pk]),
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{SPOOF}, {CLIENT}",
    )
    assert AuditEvent.objects.get(person_id=person.pk).ip_address == CLIENT


def test_with_no_proxy_the_audit_row_ignores_a_forged_header(
    settings: Any, people: Any, client_for: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    person = people["involved"]
    client_for("social_worker").get(
        reverse("people:person-detail", args=[person.pk]),
        REMOTE_ADDR=CLIENT,
        HTTP_X_FORWARDED_FOR=SPOOF,
    )
    assert AuditEvent.objects.get(person_id=person.pk).ip_address == CLIENT


# --- Rate limits --------------------------------------------------------------------------


def _post_child(xff: str | None, remote: str = PROXY) -> int:
    headers: dict[str, Any] = {"REMOTE_ADDR": remote}  # WSGI environ extras
    if xff is not None:
        headers["HTTP_X_FORWARDED_FOR"] = xff
    return Client(**headers).post(reverse("report:child"), CHILD).status_code


@pytest.mark.django_db
def test_behind_a_proxy_the_rate_limit_counts_per_client_not_per_proxy(
    settings: Any, still_clock: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PUBLIC_REPORT_PAGE_RATE = "3/h"
    # The same client, inventing a new address before each post: still one client.
    assert [_post_child(f"192.0.2.{n}, {CLIENT}") for n in range(3)] == [302, 302, 302]
    assert _post_child(f"192.0.2.99, {CLIENT}") == 429
    # Another client through the same proxy is not limited by the first.
    assert _post_child("203.0.113.8") == 302


@pytest.mark.django_db
def test_with_no_proxy_a_forged_header_does_not_escape_the_rate_limit(
    settings: Any, still_clock: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    settings.PUBLIC_REPORT_PAGE_RATE = "3/h"
    statuses = [_post_child(f"192.0.2.{n}", remote=CLIENT) for n in range(4)]
    assert statuses == [302, 302, 302, 429]


# --- Sign-in lockouts ---------------------------------------------------------------------


def test_sign_in_failures_are_recorded_against_the_client_behind_the_proxy(
    settings: Any, users: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{SPOOF}, {CLIENT}").post(
        reverse("ui:sign-in"), {"username": "mash", "password": "wrong-password"}
    )
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT]
