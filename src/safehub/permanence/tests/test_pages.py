"""The court and adoption section of the casework page: its query count does not grow with
the history it shows (hearings, extensions, orders), and its record links follow the stage."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.permanence import services

pytestmark = pytest.mark.django_db


def test_the_section_query_count_does_not_grow_with_history(
    sw: Any, child: Any, client_for: Any
) -> None:
    client = client_for("social_worker")
    url = reverse("casework:child-casework", args=[child.pk])

    def count() -> int:
        assert client.get(url).status_code == 200  # the session's write is not the page's
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url)
        assert b"Court and adoption" in page.content
        return len(queries)

    proceedings = services.proceedings_issue(
        actor=sw, child=child, application="care", issued_on=date(2026, 3, 2), court="Family Court"
    )
    order = services.liberty_order_record(
        actor=sw,
        child=child,
        made_on=date(2026, 3, 3),
        review_by=date(2026, 4, 1),
        court="High Court",
    )

    def more(start: date, n: int) -> None:
        for i in range(n):
            services.hearing_record(
                actor=sw,
                proceedings=proceedings,
                held_on=start + timedelta(days=i),
                kind="cmh",
                interim_order="none",
            )

    more(date(2026, 3, 9), 1)
    services.timetable_extend(
        actor=sw,
        proceedings=proceedings,
        granted_on=date(2026, 8, 20),
        new_end=date(2026, 9, 25),
        reason="Expert evidence",
    )
    first = count()
    more(date(2026, 4, 1), 12)
    services.timetable_extend(
        actor=sw,
        proceedings=proceedings,
        granted_on=date(2026, 9, 1),
        new_end=date(2026, 11, 13),
        reason="Further assessment",
    )
    services.liberty_order_end(actor=sw, order=order, ended_on=date(2026, 5, 1))
    services.liberty_order_record(
        actor=sw,
        child=child,
        made_on=date(2026, 5, 2),
        review_by=date(2026, 12, 1),
        court="High Court",
    )
    assert count() == first


def test_the_links_follow_the_stage(sw: Any, child: Any, client_for: Any) -> None:
    client = client_for("social_worker")
    url = reverse("casework:child-casework", args=[child.pk])
    page = client.get(url).content.decode()
    assert "Start pre-proceedings" in page
    assert "Record a hearing" not in page
    services.pre_proceedings_start(actor=sw, child=child, started_on=date(2026, 9, 1))
    page = client.get(url).content.decode()
    assert "Record the letter before proceedings and the meeting" in page
    assert "Start pre-proceedings" not in page
    services.proceedings_issue(
        actor=sw, child=child, application="care", issued_on=date(2026, 10, 5), court="Family Court"
    )
    page = client.get(url).content.decode()
    assert "Record a hearing" in page
    assert "Record the letter before proceedings" not in page
