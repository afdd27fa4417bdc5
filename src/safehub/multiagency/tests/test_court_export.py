"""The court-style chronology: a chosen period (by default the two years before the as-of
date), oldest first, as a PDF read back with pypdf and as a CSV safe in a spreadsheet."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from pypdf import PdfReader

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.chronology.services import chronology_append
from safehub.core.workdays import LONDON

pytestmark = pytest.mark.django_db


def _export(client, child, **params):
    return client.get(reverse("multiagency:court-export", args=[child.pk]), params)


@pytest.fixture
def annotated(fed, client_for):
    """The police call-out marked a key event with analysis that starts with a minus, and an
    entry from three years ago (outside the default period)."""
    child = fed["child"]
    entry = ChronologyLink.objects.get(person=child, entry__summary__contains="Officers").entry
    client_for("social_worker").post(
        reverse("multiagency:entry-note", args=[child.pk, entry.pk]),
        {"key_event": "true", "analysis": "-1 for safety at home: Amelia saw it.", "version": ""},
    )
    chronology_append(
        actor=fed["senders"]["school"],
        persons=[child],
        event_type="PARTNER_SUSPENSION",
        summary='=HYPERLINK("http://example.com") suspended long ago.',
        occurred_at=datetime(2023, 6, 1, 10, 0, tzinfo=LONDON),
    )
    return child


def test_the_pdf_holds_the_last_two_years_in_court_style(annotated, client_for):
    response = _export(client_for("social_worker"), annotated, format="pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "2024-11-23-to-2026-11-23.pdf" in response["Content-Disposition"]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    flat = " ".join(text.split())
    assert "Chronology of Amelia Hart" in flat
    assert "23 November 2024 to 23 November 2026" in flat
    assert "Testshire Police" in flat
    assert "Domestic abuse incident: child present" in flat
    assert "-1 for safety at home" in flat
    assert "Sw Tester" in flat
    assert "Seen getting into cars with older men" in flat  # her worker reads it whole
    assert "suspended long ago" not in flat  # 2023: outside the period
    export = AuditEvent.objects.get(action="export", person_id=annotated.pk)
    assert export.actor_username == "sw"


def test_the_csv_is_court_style_and_safe_in_a_spreadsheet(annotated, client_for):
    response = _export(
        client_for("social_worker"),
        annotated,
        format="csv",
        **{
            "date_from-day": "1",
            "date_from-month": "1",
            "date_from-year": "2023",
            "date_to-day": "23",
            "date_to-month": "11",
            "date_to-year": "2026",
        },
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    header = rows.index(
        [
            "Date",
            "Time",
            "What happened",
            "Details",
            "Source agency",
            "Significance",
            "Key event",
            "Analysis",
        ]
    )
    body = rows[header + 1 :]
    assert len(body) == 5
    # Oldest first: the 2023 suspension, its formula neutralised.
    assert body[0][0] == "1 June 2023"
    assert body[0][3].startswith("'=HYPERLINK")
    police = next(r for r in body if r[2] == "Domestic abuse incident: child present")
    assert police[4] == "Testshire Police"
    assert police[5] == "High"
    assert police[6] == "Yes"
    assert police[7] == "Sw Tester: -1 for safety at home: Amelia saw it."
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_restricted_entries_are_counted_not_listed_for_those_not_allowed(annotated, client_for):
    response = _export(client_for("colleague"), annotated, format="csv")
    text = response.content.decode()
    assert "1 restricted partner entry hidden from this export." in text
    assert "Seen getting into cars" not in text
    assert "Restricted information from" not in text


@pytest.mark.parametrize(
    ("end", "message"),
    [
        (("1", "2", "2025"), "The end of the period must be the same as or after its start"),
        (("31", "2", "2026"), "The end of the period must be a real date"),
    ],
)
def test_a_bad_period_is_refused_in_plain_english_and_nothing_exported(
    annotated, client_for, end, message
):
    day, month, year = end
    response = _export(
        client_for("social_worker"),
        annotated,
        format="pdf",
        **{
            "date_from-day": "1",
            "date_from-month": "1",
            "date_from-year": "2026",
            "date_to-day": day,
            "date_to-month": month,
            "date_to-year": year,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_partner_may_not_export_the_court_chronology(annotated, client_for):
    response = _export(client_for("partner_practitioner"), annotated, format="pdf")
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()
