"""Key events and analysis: a practitioner's own note on an entry, stored, shown, audited,
refused in plain English when bad, and never silently overwritten."""

import pytest
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.multiagency.models import EntryNote

pytestmark = pytest.mark.django_db


def _entry(child, words):
    return ChronologyLink.objects.get(person=child, entry__summary__contains=words).entry


def _note_url(child, entry):
    return reverse("multiagency:entry-note", args=[child.pk, entry.pk])


def test_a_social_worker_marks_a_key_event_and_adds_analysis(fed, client_for):
    child = fed["child"]
    entry = _entry(child, "Officers attended")
    client = client_for("social_worker")
    assert client.get(_note_url(child, entry)).status_code == 200
    response = client.post(
        _note_url(child, entry),
        {
            "key_event": "true",
            "analysis": "Second call-out this year; Amelia saw it.",
            "version": "",
        },
    )
    assert response.status_code == 302
    note = EntryNote.objects.get(entry=entry, person=child)
    assert note.key_event
    assert note.author.username == "sw"
    assert note.version == 1
    audit = AuditEvent.objects.get(object_type="multiagency.EntryNote", object_id=str(note.pk))
    assert audit.action == "create"
    assert audit.person_id == child.pk
    page = client.get(reverse("multiagency:chronology", args=[child.pk])).content.decode()
    assert "Key event: Domestic abuse incident: child present" in page
    assert "Second call-out this year; Amelia saw it." in page
    assert "Analysis by Sw Tester" in page
    key_only = client.get(
        reverse("multiagency:chronology", args=[child.pk]), {"key_events": "true"}
    ).content.decode()
    assert "1 entry matches the filter" in key_only


def test_a_stale_edit_is_refused_and_changes_nothing(fed, client_for):
    child = fed["child"]
    entry = _entry(child, "Officers attended")
    client = client_for("social_worker")
    client.post(_note_url(child, entry), {"analysis": "First thoughts.", "version": ""})
    note = EntryNote.objects.get(entry=entry)
    client.post(_note_url(child, entry), {"analysis": "Second thoughts.", "version": "1"})
    # The same worker, in a tab opened before the second save, saves on version 1 again.
    stale = client.post(_note_url(child, entry), {"analysis": "Older tab.", "version": "1"})
    assert stale.status_code == 409
    assert "Your changes were not saved" in stale.content.decode()
    note.refresh_from_db()
    assert note.analysis == "Second thoughts."
    assert note.version == 2
    # A second "first" save (from a page opened before there was a note) is refused too.
    again = client.post(_note_url(child, entry), {"analysis": "New tab.", "version": ""})
    assert again.status_code == 409
    assert EntryNote.objects.count() == 1


def test_each_practitioner_keeps_their_own_analysis(fed, client_for):
    child = fed["child"]
    entry = _entry(child, "cut hand")
    client_for("social_worker").post(_note_url(child, entry), {"analysis": "Mine.", "version": ""})
    client_for("team_manager").post(
        _note_url(child, entry), {"key_event": "true", "analysis": "The manager's.", "version": ""}
    )
    notes = EntryNote.objects.filter(entry=entry).order_by("pk")
    assert [n.analysis for n in notes] == ["Mine.", "The manager's."]
    page = (
        client_for("social_worker")
        .get(reverse("multiagency:chronology", args=[child.pk]))
        .content.decode()
    )
    assert "Analysis by Sw Tester" in page
    assert "Analysis by Tm Tester" in page


def test_analysis_that_a_spreadsheet_would_run_is_refused_and_nothing_saved(fed, client_for):
    child = fed["child"]
    entry = _entry(child, "cut hand")
    response = client_for("social_worker").post(
        _note_url(child, entry), {"analysis": '=HYPERLINK("http://evil")', "version": ""}
    )
    assert response.status_code == 200
    assert "Your analysis must not start with =, + or @" in response.content.decode()
    assert not EntryNote.objects.exists()


def test_a_partner_neither_writes_nor_reads_analysis(fed, client_for):
    child = fed["child"]
    entry = _entry(child, "Came to school")
    client_for("social_worker").post(
        _note_url(child, entry), {"analysis": "Council view only.", "version": ""}
    )
    partner = client_for("partner_practitioner")
    assert partner.get(_note_url(child, entry)).status_code == 404
    assert (
        partner.post(_note_url(child, entry), {"analysis": "x", "version": ""}).status_code == 404
    )
    page = partner.get(reverse("multiagency:chronology", args=[child.pk])).content.decode()
    assert "Came to school" in page
    assert "Council view only." not in page


def test_a_restricted_entry_kept_from_a_worker_cannot_be_annotated(fed, client_for):
    child = fed["child"]
    entry = _entry(child, "Restricted information from")
    colleague = client_for("colleague")
    assert colleague.get(_note_url(child, entry)).status_code == 404
    assert client_for("social_worker").get(_note_url(child, entry)).status_code == 200


def test_an_entry_of_another_child_is_not_found(fed, client_for, people):
    entry = _entry(fed["child"], "Came to school")
    other = people["same_team"]
    assert client_for("social_worker").get(_note_url(other, entry)).status_code == 404
