"""The child's multi-agency chronology page, read back from events partners sent through
the API: filters, paging, the restricted entries kept from those not allowed, key events and
analysis, and its audit rows."""

import pytest
from django.urls import reverse

from safehub.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

RESTRICTED_WORDS = "Seen getting into cars with older men"


def _page(client, child, **params):
    return client.get(reverse("multiagency:chronology", args=[child.pk]), params)


def test_the_social_worker_reads_every_partner_event_sent_through_the_api(fed, client_for):
    response = _page(client_for("social_worker"), fed["child"])
    assert response.status_code == 200
    text = response.content.decode()
    assert "4 entries, newest first" in text
    assert "Came to school hungry three days running" in text
    assert "Officers attended a domestic incident" in text
    assert "Attended the emergency department with a cut hand" in text
    # The allocated worker reads the restricted report in the partner's own words.
    assert RESTRICTED_WORDS in text
    assert "entries hidden" not in text
    assert "entry hidden" not in text
    view = AuditEvent.objects.filter(action="view", person_id=fed["child"].pk).count()
    assert view == 1


@pytest.mark.parametrize(
    ("params", "expected", "absent"),
    [
        ({"category": "police"}, ["Officers attended"], ["Came to school", "cut hand"]),
        ({"significance": "1"}, ["cut hand"], ["Officers attended", "Came to school"]),
        (
            {"event_type": "PARTNER_ED_ATTENDANCE"},
            ["cut hand"],
            ["Officers attended", "Came to school"],
        ),
        (
            {
                "date_from-day": "1",
                "date_from-month": "10",
                "date_from-year": "2026",
                "date_to-day": "31",
                "date_to-month": "10",
                "date_to-year": "2026",
            },
            ["Officers attended"],
            ["cut hand", "Came to school"],
        ),
    ],
)
def test_filters_narrow_the_chronology(fed, client_for, params, expected, absent):
    text = _page(client_for("social_worker"), fed["child"], **params).content.decode()
    for words in expected:
        assert words in text
    for words in absent:
        assert words not in text


def test_the_agency_filter_offers_the_agencies_on_the_chronology(fed, client_for):
    police = fed["senders"]["police"].agency
    client = client_for("social_worker")
    text = _page(client, fed["child"]).content.decode()
    assert "Testshire Police" in text
    narrowed = _page(client, fed["child"], agency=str(police.pk)).content.decode()
    assert "2 entries match the filter" in narrowed
    assert "Came to school" not in narrowed


def test_dates_the_wrong_way_round_are_refused_in_plain_english(fed, client_for):
    params = {
        "date_from-day": "1",
        "date_from-month": "11",
        "date_from-year": "2026",
        "date_to-day": "1",
        "date_to-month": "10",
        "date_to-year": "2026",
    }
    text = _page(client_for("social_worker"), fed["child"], **params).content.decode()
    assert "The to date must be the same as or after the from date" in text
    assert "4 entries, newest first" in text  # a filter with errors narrows nothing


def test_a_colleague_not_allocated_sees_that_an_entry_is_hidden_not_what_it_says(fed, client_for):
    text = _page(client_for("colleague"), fed["child"]).content.decode()
    assert "3 entries, newest first" in text
    assert "1 entry hidden" in text
    assert RESTRICTED_WORDS not in text
    assert "Restricted information from" not in text


def test_the_chronology_is_paged_and_the_filter_kept_in_the_page_links(fed, client_for):
    from safehub.chronology.services import chronology_append

    child = fed["child"]
    sender = fed["senders"]["police"]
    for n in range(30):
        chronology_append(
            actor=sender,
            persons=[child],
            event_type="PARTNER_MISSING_EPISODE",
            summary=f"Missing overnight number {n}.",
        )
    client = client_for("social_worker")
    first = _page(client, child, category="police").content.decode()
    assert "32 entries match the filter" in first
    assert "category=police&amp;page=2" in first
    second = _page(client, child, category="police", page="2").content.decode()
    assert "Officers attended" in second
