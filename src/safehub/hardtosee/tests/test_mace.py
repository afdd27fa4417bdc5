"""MACE panels: recorded with attendees by agency, the children and contexts discussed each
with a risk from the closed list, actions with owners and due dates tracked to done, and
"your MACE actions" showing what is overdue."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from safehub.audit.models import AuditEvent
from safehub.chronology.models import ChronologyLink
from safehub.core.exceptions import ConcurrentEditError, NotFound, PermissionDeniedError
from safehub.hardtosee.models import MaceAction, MaceDiscussion, MacePanel
from safehub.hardtosee.selectors import mace_panel_detail, my_mace_actions
from safehub.hardtosee.services import (
    context_create,
    mace_action_add,
    mace_action_done,
    mace_discuss,
    mace_panel_create,
    mace_panel_update_notes,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 23)


@pytest.fixture
def panel(users, council) -> MacePanel:
    return mace_panel_create(
        actor=users["mash_worker"],
        held_on=date(2026, 11, 2),
        chair_id=users["team_manager"].pk,
        attendees=[(council["la"].pk, "Priya Shah"), (council["school"].pk, "Tom Reed")],
        notes="",
        today=TODAY,
    )


def test_a_panel_needs_a_past_date_a_chair_and_attendees(users, council):
    def create(**changes):
        fields = {
            "actor": users["mash_worker"],
            "held_on": date(2026, 11, 2),
            "chair_id": users["team_manager"].pk,
            "attendees": [(council["la"].pk, "Priya Shah")],
            "notes": "",
            "today": TODAY,
        }
        return mace_panel_create(**(fields | changes))

    for changes, field in [
        ({"held_on": date(2026, 11, 24)}, "held_on"),
        ({"chair_id": users["partner_practitioner"].pk}, "chair"),
        ({"attendees": []}, "attendees"),
        ({"attendees": [(999_999, "Someone")]}, "attendees"),
    ]:
        with pytest.raises(ValidationError) as error:
            create(**changes)
        assert field in error.value.message_dict
    assert not MacePanel.objects.exists()
    with pytest.raises(PermissionDeniedError):
        create(actor=users["social_worker"])


def test_children_and_contexts_discussed_with_a_risk_each(users, people, panel):
    mace_discuss(actor=users["mash_worker"], panel=panel, person=people["involved"], risk="high")
    park = context_create(actor=users["mash_worker"], data={"kind": "place", "name": "Park"})
    mace_discuss(actor=users["mash_worker"], panel=panel, context=park, risk="very_high")
    with pytest.raises(ValidationError):
        mace_discuss(actor=users["mash_worker"], panel=panel, context=park, risk="severe")
    assert MaceDiscussion.objects.count() == 2
    entry = ChronologyLink.objects.get(person=people["involved"]).entry
    assert entry.event_type == "MACE_DISCUSSED"
    assert "graded high" in entry.summary
    # A manager cannot record a child outside their team as discussed.
    with pytest.raises(NotFound):
        mace_discuss(
            actor=users["team_manager"], panel=panel, person=people["unrelated"], risk="low"
        )
    # Each child is shown as the reader may see them.
    mace_discuss(actor=users["mash_worker"], panel=panel, person=people["unrelated"], risk="low")
    _, discussed, _ = mace_panel_detail(actor=users["team_manager"], panel=panel, as_of=TODAY)
    shown = [d.shown.name if d.shown else d.discussion.context_id for d in discussed]
    assert shown == [people["involved"].full_name, park.pk, None]


def test_actions_are_tracked_to_done_and_overdue_shows(users, panel):
    sw = users["social_worker"]
    late = mace_action_add(
        actor=users["mash_worker"],
        panel=panel,
        description="Visit the family with the police",
        owner_id=sw.pk,
        due_on=date(2026, 11, 16),
    )
    soon = mace_action_add(
        actor=users["mash_worker"],
        panel=panel,
        description="Share the disruption plan with the school",
        owner_id=sw.pk,
        due_on=date(2026, 11, 30),
    )
    with pytest.raises(ValidationError):
        mace_action_add(
            actor=users["mash_worker"],
            panel=panel,
            description="Before the panel",
            owner_id=sw.pk,
            due_on=date(2026, 11, 1),
        )
    rows = my_mace_actions(actor=sw, as_of=TODAY)
    assert [(r.action.pk, r.overdue) for r in rows] == [(late.pk, True), (soon.pk, False)]
    # On the due date it is not yet overdue; the day after it is.
    assert not my_mace_actions(actor=sw, as_of=date(2026, 11, 16))[0].overdue
    # Someone else may not mark it done; its owner may, once.
    with pytest.raises(PermissionDeniedError):
        mace_action_done(actor=users["colleague"], action=late, expected_version=1, on=TODAY)
    mace_action_done(actor=sw, action=late, expected_version=1, on=TODAY)
    assert [r.action.pk for r in my_mace_actions(actor=sw, as_of=TODAY)] == [soon.pk]
    stale = MaceAction.objects.get(pk=late.pk)
    stale.done_on = None
    with pytest.raises(ConcurrentEditError):
        mace_action_done(actor=users["mash_worker"], action=stale, expected_version=1, on=TODAY)
    assert MaceAction.objects.get(pk=late.pk).done_by == sw


def test_an_action_says_which_child_or_context_it_is_about(users, people, panel, client_for):
    child = people["involved"]
    about_child = mace_discuss(actor=users["mash_worker"], panel=panel, person=child, risk="high")
    park = context_create(
        actor=users["mash_worker"], data={"kind": "place", "name": "Riverside skate park"}
    )
    about_park = mace_discuss(actor=users["mash_worker"], panel=panel, context=park, risk="low")
    for owner, about in (("social_worker", about_child), ("south_worker", about_child)):
        mace_action_add(
            actor=users["mash_worker"],
            panel=panel,
            description="Speak to the child's school about who collects them",
            owner_id=users[owner].pk,
            due_on=date(2026, 11, 30),
            about_id=about.pk,
        )
    mace_action_add(
        actor=users["mash_worker"],
        panel=panel,
        description="Ask the park's owners about lighting",
        owner_id=users["social_worker"].pk,
        due_on=date(2026, 12, 1),
        about_id=str(about_park.pk),
    )
    created = AuditEvent.objects.filter(object_type="hardtosee.MaceAction", action="create")
    assert [e.person_id for e in created.order_by("pk")] == [child.pk, child.pk, None]
    # Only what this panel discussed.
    other = mace_panel_create(
        actor=users["mash_worker"],
        held_on=date(2026, 11, 9),
        chair_id=users["team_manager"].pk,
        attendees=[(panel.attendees.first().agency_id, "Priya Shah")],
        notes="",
        today=TODAY,
    )
    for wrong in (about_child.pk, "999999", "x"):
        with pytest.raises(ValidationError) as error:
            mace_action_add(
                actor=users["mash_worker"],
                panel=other,
                description="Wrong panel",
                owner_id=users["social_worker"].pk,
                due_on=date(2026, 11, 30),
                about_id=wrong,
            )
        assert error.value.message_dict == {
            "about": ["Select what the action is about from the list"]
        }
    # The owner sees the child by name if the policy lets them, with one audit row naming
    # them; the context by its name.
    mine = my_mace_actions(actor=users["social_worker"], as_of=TODAY)
    assert [r.about_label for r in mine] == [child.full_name, "Riverside skate park (a place)"]
    (listed,) = AuditEvent.objects.filter(object_type="hardtosee.my_mace_actions")
    assert listed.subject_ids == f",{child.pk},"
    # A worker in another area is not told who the child is (the policy's words for a
    # child it does not let them see).
    [theirs] = my_mace_actions(actor=users["south_worker"], as_of=TODAY)
    assert theirs.about_label == "A child you cannot see"
    # A restricted record, whose existence the policy keeps from the reader: the action
    # still says it is about a child, and nothing more.
    other_child = mace_discuss(
        actor=users["mash_worker"], panel=panel, person=people["unrelated"], risk="low"
    )
    people["unrelated"].is_restricted = True
    people["unrelated"].save(update_fields=["is_restricted"])
    mace_action_add(
        actor=users["mash_worker"],
        panel=panel,
        description="Check the school roll",
        owner_id=users["partner_practitioner"].pk,
        due_on=date(2026, 11, 30),
        about_id=other_child.pk,
    )
    [partners] = my_mace_actions(actor=users["partner_practitioner"], as_of=TODAY)
    assert partners.about is None
    assert partners.about_label == "A child you cannot see"
    page = client_for("partner_practitioner").get(reverse("hardtosee:my-actions"))
    chair = users["team_manager"].get_full_name()
    assert f"A child you cannot see: ask the panel's chair, {chair}" in page.content.decode()
    south = AuditEvent.objects.get(object_type="hardtosee.my_mace_actions", actor_username="sw3")
    assert south.subject_ids == ""


def test_panel_notes_are_never_silently_overwritten(users, panel):
    mace_panel_update_notes(
        actor=users["mash_worker"], panel=panel, expected_version=1, notes="Agreed a plan."
    )
    old = MacePanel.objects.get(pk=panel.pk)
    with pytest.raises(ConcurrentEditError):
        mace_panel_update_notes(
            actor=users["team_manager"], panel=old, expected_version=1, notes="Mine"
        )
    assert MacePanel.objects.get(pk=panel.pk).notes == "Agreed a plan."


def test_recording_a_panel_through_the_pages(client_for, users, council, people):
    client = client_for("mash_worker")
    bad = client.post(reverse("hardtosee:panel-new"), {"agency_1": council["la"].pk})
    text = bad.content.decode()
    assert "Enter the date of the panel" in text
    assert "Select the chair" in text
    assert "Enter the name of attendee 1" in text
    response = client.post(
        reverse("hardtosee:panel-new"),
        {
            "held_on-day": "2",
            "held_on-month": "11",
            "held_on-year": "2026",
            "chair": users["team_manager"].pk,
            "agency_1": council["la"].pk,
            "name_1": "Priya Shah",
            "agency_2": council["school"].pk,
            "name_2": "Tom Reed",
        },
    )
    panel = MacePanel.objects.get()
    assert response["Location"] == reverse("hardtosee:panel", args=[panel.pk])
    client.post(
        reverse("hardtosee:panel-child", args=[panel.pk]),
        {"person": people["involved"].pk, "risk": "medium"},
    )
    client.post(
        reverse("hardtosee:panel-action", args=[panel.pk]),
        {
            "description": "Refer to the exploitation team",
            "about": MaceDiscussion.objects.get(panel=panel).pk,
            "owner": users["social_worker"].pk,
            "due_on-day": "20",
            "due_on-month": "11",
            "due_on-year": "2026",
        },
    )
    page = client.get(reverse("hardtosee:panel", args=[panel.pk])).content.decode()
    assert people["involved"].full_name in page
    assert "Medium" in page
    assert "Refer to the exploitation team" in page
    assert "Overdue" in page
    mine = client_for("social_worker").get(reverse("hardtosee:my-actions")).content.decode()
    assert "Refer to the exploitation team" in mine
    person_page = reverse("people:person-detail", args=[people["involved"].pk])
    assert f'<a class="govuk-link" href="{person_page}">{people["involved"].full_name}</a>' in mine
    assert "1 overdue" in mine
    action = MaceAction.objects.get()
    done = client_for("social_worker").post(
        reverse("hardtosee:action-done", args=[action.pk]), {"version": action.version}
    )
    assert done.status_code == 302
    assert MaceAction.objects.get().done_on == TODAY
