"""Contexts: their own chronology, the people linked to them (each shown as the policy
says, every link audited and on the person's chronology), and edits that never overwrite
someone else's."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.audit.models import AuditAction, AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.core.exceptions import ConcurrentEditError, NotFound, PermissionDeniedError
from safehub.hardtosee.models import Context, ContextEntry, ContextPerson
from safehub.hardtosee.selectors import context_chronology, context_people
from safehub.hardtosee.services import (
    context_create,
    context_link_person,
    context_note,
    context_unlink_person,
    context_update,
)
from safehub.hardtosee.tests.conftest import subjects

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def park(users) -> Context:
    return context_create(
        actor=users["mash_worker"],
        data={"kind": "place", "name": "Riverside Park", "location": "DM1", "description": ""},
    )


def test_a_context_is_created_and_audited(users, park):
    assert park.version == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, object_type="hardtosee.Context", object_id=str(park.pk)
    ).exists()


def test_bad_context_details_save_nothing(users):
    with pytest.raises(ValidationError) as error:
        context_create(actor=users["mash_worker"], data={"kind": "moon", "name": "X"})
    assert error.value.message_dict == {"kind": ["Select what kind of context it is"]}
    with pytest.raises(ValidationError):
        context_create(actor=users["mash_worker"], data={"kind": "place", "name": "=cmd()"})
    assert not Context.objects.exists()


def test_only_the_register_roles_record_contexts(users):
    with pytest.raises(PermissionDeniedError):
        context_create(actor=users["social_worker"], data={"kind": "place", "name": "Park"})


def test_the_context_has_its_own_chronology(users, park):
    context_note(
        actor=users["mash_worker"],
        context=park,
        summary="Police report older youths selling drugs near the skate ramp.",
        occurred_on=date(2026, 11, 1),
        significance=3,
        today=TODAY,
    )
    page = context_chronology(context=park)
    assert page.total == 1
    assert page.entries[0].summary.startswith("Police report")
    assert page.entries[0].type_label == "Information about a context"
    # On nobody's chronology: it is about the place.
    assert not ChronologyLink.objects.exists()
    with pytest.raises(ValidationError):
        context_note(
            actor=users["mash_worker"],
            context=park,
            summary="Later",
            occurred_on=date(2026, 11, 24),
            significance=3,
            today=TODAY,
        )
    assert ContextEntry.objects.count() == 1


def test_linking_a_child_is_a_change_to_their_record(users, people, park):
    child = people["involved"]
    link = context_link_person(
        actor=users["mash_worker"],
        context=park,
        person=child,
        reason="Seen there late at night with older youths",
        on=TODAY,
    )
    assert ChronologyLink.objects.filter(person=child, entry__event_type="CONTEXT_LINKED").exists()
    assert context_chronology(context=park).total == 1
    assert AuditEvent.objects.filter(
        action=AuditAction.CHANGE, person_id=child.pk, object_type="hardtosee.ContextPerson"
    ).exists()
    with pytest.raises(ValidationError):
        context_link_person(
            actor=users["mash_worker"], context=park, person=child, reason="Again", on=TODAY
        )
    context_unlink_person(actor=users["mash_worker"], link=link, on=TODAY)
    link.refresh_from_db()
    assert link.ended_on == TODAY
    assert context_chronology(context=park).total == 2


def test_a_manager_links_only_children_they_may_change(users, people, park):
    with pytest.raises(NotFound):
        context_link_person(
            actor=users["team_manager"],
            context=park,
            person=people["unrelated"],
            reason="Seen there",
            on=TODAY,
        )
    assert not ContextPerson.objects.exists()


def test_each_person_linked_is_shown_as_the_policy_says(users, people, park):
    for relation in ("involved", "unrelated", "restricted"):
        ContextPerson.objects.create(
            context=park, person=people[relation], reason="Seen there", linked_on=TODAY
        )
    shown = context_people(actor=users["team_manager"], context=park)
    names = [p.shown.name for p in shown]
    # Their own team's child by name; South's as "a person you cannot see"; the
    # restricted record not at all.
    assert names == [people["involved"].full_name, None]
    audit = AuditEvent.objects.get(action=AuditAction.LIST, object_type="hardtosee.context_people")
    assert subjects(audit) == [people["involved"].pk]


def test_an_edit_from_an_old_version_is_refused(users, park):
    data = {"kind": "place", "name": "Riverside Park (north end)", "location": "DM1"}
    context_update(actor=users["mash_worker"], context=park, expected_version=1, data=data)
    stale = Context.objects.get(pk=park.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError):
        context_update(
            actor=users["team_manager"],
            context=stale,
            expected_version=1,
            data={**data, "name": "Overwritten"},
        )
    assert Context.objects.get(pk=park.pk).name == "Riverside Park (north end)"


def test_the_edit_page_says_someone_else_saved_first(client_for, park):
    url = reverse("hardtosee:context-edit", args=[park.pk])
    data = {"kind": "place", "name": "Riverside", "location": "", "description": "", "version": 1}
    first = client_for("mash_worker").post(url, data)
    assert first.status_code == 302
    second = client_for("team_manager").post(url, {**data, "name": "Mine"})
    assert second.status_code == 409
    assert "Someone else changed this context" in second.content.decode()
    assert Context.objects.get().name == "Riverside"


def test_the_context_page_links_and_notes(client_for, people, park):
    client = client_for("mash_worker")
    url = reverse("hardtosee:context", args=[park.pk])
    bad = client.post(
        reverse("hardtosee:context-link", args=[park.pk]), {"person": "abc", "reason": ""}
    )
    text = bad.content.decode()
    assert "Enter the SafeHub ID as a number, like 1042" in text
    assert "Enter why they are linked" in text
    done = client.post(
        reverse("hardtosee:context-link", args=[park.pk]),
        {"person": people["unrelated"].pk, "reason": "Seen there"},
    )
    assert done.status_code == 302
    note = client.post(
        reverse("hardtosee:context-note", args=[park.pk]),
        {
            "occurred_on-day": "2",
            "occurred_on-month": "11",
            "occurred_on-year": "2026",
            "summary": "CCTV shows a group gathering after dark.",
            "significance": "2",
        },
    )
    assert note.status_code == 302
    page = client.get(url).content.decode()
    assert people["unrelated"].full_name in page
    assert "CCTV shows a group gathering after dark." in page
