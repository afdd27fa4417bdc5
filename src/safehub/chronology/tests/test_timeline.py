"""The timeline's order and times: newest first by when it happened, to the minute, however
the entries were recorded; every entry shows its time (or says only its date is known),
who did it for which agency, and who recorded it and when."""

import json
from datetime import date, datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from safehub.chronology.selectors import chronology_page_for_person
from safehub.chronology.services import chronology_append
from safehub.core.workdays import LONDON

pytestmark = pytest.mark.django_db


def _on_23_november(hour: int, minute: int) -> datetime:
    return datetime(2026, 11, 23, hour, minute, tzinfo=LONDON)


def _append(actor: Any, person: Any, summary: str, **when: Any) -> None:
    chronology_append(
        actor=actor,
        persons=[person],
        event_type="SCHOOL_ATTENDANCE_CONCERN",
        summary=summary,
        **when,
    )


def test_entries_recorded_out_of_order_read_newest_first_to_the_minute(
    people: Any, users: Any
) -> None:
    child, worker = people["involved"], users["social_worker"]
    # Typed up in a different order from the one they happened in, all on one day.
    for hour, minute in [(9, 31), (16, 5), (9, 30), (0, 5), (23, 59), (9, 45)]:
        _append(worker, child, f"at {hour}:{minute:02d}", occurred_at=_on_23_november(hour, minute))
    _append(
        worker, child, "the day before", occurred_at=datetime(2026, 11, 22, 23, 58, tzinfo=LONDON)
    )
    summaries = [e.summary for e in chronology_page_for_person(actor=worker, person=child).entries]
    assert summaries == [
        "at 23:59",
        "at 16:05",
        "at 9:45",
        "at 9:31",
        "at 9:30",
        "at 0:05",
        "the day before",
    ]


def test_of_two_entries_at_the_same_minute_the_later_recorded_comes_first(
    people: Any, users: Any
) -> None:
    child, worker = people["involved"], users["social_worker"]
    for summary in ("first typed", "second typed", "third typed"):
        _append(worker, child, summary, occurred_at=_on_23_november(9, 30))
    summaries = [e.summary for e in chronology_page_for_person(actor=worker, person=child).entries]
    assert summaries == ["third typed", "second typed", "first typed"]


def test_a_date_only_event_sits_at_midday_and_says_its_time_is_not_known(
    people: Any, users: Any
) -> None:
    child, worker = people["involved"], users["social_worker"]
    _append(worker, child, "dated", occurred_on=date(2026, 11, 20))
    (entry,) = chronology_page_for_person(actor=worker, person=child).entries
    assert not entry.time_known
    assert entry.occurred_at == datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
    with pytest.raises(ValueError, match="not both"):
        _append(
            worker,
            child,
            "both",
            occurred_on=date(2026, 11, 20),
            occurred_at=_on_23_november(9, 0),
        )


def test_the_person_page_shows_each_entrys_time_doer_agency_and_recorder(
    people: Any, users: Any, client_for: Any
) -> None:
    child, worker, teacher = (
        people["involved"],
        users["social_worker"],
        users["partner_practitioner"],
    )
    with time_machine.travel(_on_23_november(15, 40), tick=False):
        chronology_append(
            actor=worker,
            persons=[child],
            event_type="SCHOOL_EXCLUSION",
            summary="Fixed-term exclusion, two days",
            occurred_at=_on_23_november(9, 5),
            done_by=teacher,
        )
        _append(worker, child, "Visit noted", occurred_on=date(2026, 11, 20))
    html = client_for("social_worker").get(reverse("people:person-detail", args=[child.pk]))
    page = html.content.decode()
    # Done by the teacher for the school, at 9:05am; typed in by the worker at 3:40pm.
    assert "by Dsl Tester, Elm Primary School" in page
    assert '<time datetime="2026-11-23T09:05:00+00:00">23 November 2026 at 9:05am</time>' in page
    assert "Recorded by Sw Tester on 23 November 2026 at 3:40pm" in page
    # Known only by its date: no invented time.
    assert "20 November 2026 (time not recorded)" in page
    assert "20 November 2026 at midday" not in page


def test_the_record_export_gives_each_entry_its_time_doer_and_recorder_newest_first(
    people: Any, users: Any, client_for: Any
) -> None:
    child, worker, teacher = (
        people["involved"],
        users["social_worker"],
        users["partner_practitioner"],
    )
    with time_machine.travel(_on_23_november(15, 40), tick=False):
        _append(worker, child, "earlier", occurred_at=_on_23_november(9, 5), done_by=teacher)
        _append(worker, child, "later", occurred_at=_on_23_november(11, 0))
        _append(worker, child, "dated", occurred_on=date(2026, 11, 20))
    response = client_for("social_worker").get(reverse("people:person-export", args=[child.pk]))
    assert response.status_code == 200
    entries = json.loads(response.content)["chronology"]
    assert [e["summary"] for e in entries] == ["later", "earlier", "dated"]
    assert entries[1] == {
        "occurred_at": "2026-11-23 09:05:00+00:00",
        "occurred_on": "2026-11-23",
        "type": "SCHOOL_ATTENDANCE_CONCERN",
        "summary": "earlier",
        "done_by": "Dsl Tester",
        "agency": "Elm Primary School",
        "recorded_by": "Sw Tester",
        "recorded_at": "2026-11-23 15:40:00+00:00",
    }
    assert entries[2]["occurred_at"] is None
    assert entries[2]["occurred_on"] == "2026-11-20"


def test_the_first_page_counts_every_entry_in_the_same_statement(people: Any, users: Any) -> None:
    """ADR 0058: the first page carries the count of the whole timeline, so it costs one
    query fewer than a later page, and says the same total and number of pages."""
    child, worker = people["involved"], users["social_worker"]
    for minute in range(7):
        _append(worker, child, f"at 9:{minute:02d}", occurred_at=_on_23_november(9, minute))

    def page(number: int) -> tuple[Any, int]:
        with CaptureQueriesContext(connection) as queries:
            found = chronology_page_for_person(actor=worker, person=child, page=number, size=3)
        return found, len(queries)

    (first, first_queries), (second, second_queries) = page(1), page(2)
    assert (first.total, first.pages) == (second.total, second.pages) == (7, 3)
    assert [e.summary for e in first.entries] == ["at 9:06", "at 9:05", "at 9:04"]
    assert [e.summary for e in second.entries] == ["at 9:03", "at 9:02", "at 9:01"]
    assert first_queries == second_queries - 1
