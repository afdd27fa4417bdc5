"""The chronology page, the household view and the court export read a fixed number of
queries, however long the chronology (the page is one index range scan; see ADR 0023)."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.chronology.models import ChronologyLink
from safehub.chronology.services import chronology_append
from safehub.core.workdays import LONDON
from safehub.multiagency.models import EntryNote

pytestmark = pytest.mark.django_db

START = datetime(2025, 1, 6, 9, 0, tzinfo=LONDON)


def _grow(fed, count: int) -> None:
    """`count` more entries from every partner (some restricted), several marked and
    analysed, by two workers."""
    child, senders = fed["child"], fed["senders"]
    kinds = [
        (senders["school"], "PARTNER_SUSPENSION", False),
        (senders["police"], "PARTNER_MISSING_EPISODE", False),
        (senders["police"], "PARTNER_EXPLOITATION_INTELLIGENCE", True),
        (senders["health"], "PARTNER_WAS_NOT_BROUGHT", False),
    ]
    for n in range(count):
        sender, code, restricted = kinds[n % len(kinds)]
        entry = chronology_append(
            actor=sender,
            persons=[child],
            event_type=code,
            summary=f"Entry {n}.",
            occurred_at=START + timedelta(days=n * 3),
            restricted=restricted,
        )
        if n % 5 == 0:
            for author in ("social_worker", "team_manager"):
                EntryNote.objects.create(
                    person=child,
                    entry=entry,
                    author=fed["users"][author],
                    key_event=True,
                    analysis=f"Note on {n}.",
                )


def _count(client, url, params=None) -> int:
    assert client.get(url, params or {}).status_code == 200  # the session is written once
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


@pytest.fixture
def fed_with_users(fed, users):
    return {**fed, "users": users}


PAGES = [
    ("multiagency:chronology", None),
    ("multiagency:chronology", {"category": "police", "significance": "1"}),
    ("multiagency:household", None),
    ("multiagency:court-export", {"format": "csv"}),
]
# Partners may not export the court chronology (test_court_export.py).
CASES = [
    (role, name, params)
    for role in ("social_worker", "colleague", "partner_practitioner")
    for name, params in PAGES
    if not (role == "partner_practitioner" and name == "multiagency:court-export")
]


@pytest.mark.parametrize(("role", "name", "params"), CASES)
def test_queries_do_not_grow_with_the_chronology(
    fed_with_users, client_for, still_clock, role, name, params
):
    child = fed_with_users["child"]
    url = reverse(name, args=[child.pk])
    client = client_for(role)
    _grow(fed_with_users, 8)
    short = _count(client, url, params)
    _grow(fed_with_users, 120)
    assert ChronologyLink.objects.filter(person=child).count() == 4 + 8 + 120
    assert _count(client, url, params) == short
