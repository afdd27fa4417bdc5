"""A profile from start to sign-off: the policy decides whose profile may be worked on,
completion needs every grade and its evidence, scores roll up by the template's rule, a
completed profile keeps its template version, the person who completed it never signs it
off, a second editor gets a conflict, and every read and write is audited."""

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Action
from safehub.audit.models import AuditEvent
from safehub.audit.services import refusals_written_after
from safehub.chronology.models import ChronologyEntry
from safehub.core.exceptions import ConcurrentEditError, NotFound, PermissionDeniedError
from safehub.neglect import events
from safehub.neglect.fetchers import access_profile
from safehub.neglect.models import Item, NeglectProfile, ProfileStatus, ProfileTemplate
from safehub.neglect.selectors import area_movement, previous_profile
from safehub.neglect.services import (
    profile_complete,
    profile_record_grades,
    profile_record_plan,
    profile_sign_off,
    profile_start,
    template_load,
)
from safehub.neglect.tests.conftest import template_data
from safehub.people.models import Person, Relationship

pytestmark = pytest.mark.django_db

REVIEW = date(2027, 2, 23)


def items(template: ProfileTemplate) -> list[Item]:
    return list(Item.objects.filter(area__template=template).order_by("area__position", "position"))


def fill(actor: Any, profile: NeglectProfile, grades: list[int]) -> NeglectProfile:
    """Grade every item (in template order) with evidence, and record the plan."""
    rows = {
        item.pk: (grade, f"Seen on the visit: {item.title}")
        for item, grade in zip(items(profile.template), grades, strict=True)
    }
    profile_record_grades(
        actor=actor, profile=profile, expected_version=profile.version, grades=rows
    )
    return profile_record_plan(
        actor=actor,
        profile=profile,
        expected_version=profile.version,
        family_views="Mum says money has been tight since the move.",
        actions=[
            {"action": "Referral to the food bank", "owner_name": "Jo Smith", "due_date": REVIEW}
        ],
        review_date=REVIEW,
    )


def test_a_trained_worker_completes_and_a_manager_signs_off(trained, people, template) -> None:
    sw, tm, child = trained["social_worker"], trained["team_manager"], people["involved"]
    profile = profile_start(actor=sw, child=child, template=template)
    fill(sw, profile, [2, 3, 4])
    profile = profile_complete(actor=sw, profile=profile, expected_version=profile.version)
    areas = {a.title: a.pk for a in template.areas.all()}
    # Physical care: (2 + 3) / 2 = 2.5 -> 3; safety: 4; overall (3 + 4) / 2 = 3.5 -> 4.
    assert profile.area_scores == {
        str(areas["Physical care"]): 3,
        str(areas["Safety"]): 4,
    }
    assert (profile.overall_score, profile.status, profile.completed_by) == (
        4,
        ProfileStatus.COMPLETED,
        sw,
    )
    assert [a.owner_name for a in profile.actions.all()] == ["Jo Smith"]
    profile = profile_sign_off(actor=tm, profile=profile, expected_version=profile.version)
    assert (profile.status, profile.signed_off_by) == (ProfileStatus.SIGNED_OFF, tm)
    entries = ChronologyEntry.objects.filter(source_type="neglect.NeglectProfile")
    credited = {e.event_type: e.done_by for e in entries}
    assert credited == {
        events.NEGLECT_PROFILE_STARTED: sw,
        events.NEGLECT_PROFILE_COMPLETED: sw,
        events.NEGLECT_PROFILE_SIGNED_OFF: tm,
    }
    assert entries.get(event_type=events.NEGLECT_PROFILE_COMPLETED).summary == (
        "Neglect profile completed (Test profile (version 1)): overall grade 4"
    )


def test_the_max_rule_takes_the_highest_grade(trained, people) -> None:
    template, _ = template_load(
        data=template_data(version="max", roll_up={"area": "max", "overall": "mean"})
    )
    sw = trained["social_worker"]
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    fill(sw, profile, [1, 3, 2])
    profile = profile_complete(actor=sw, profile=profile, expected_version=profile.version)
    assert sorted(profile.area_scores.values()) == [2, 3]
    assert profile.overall_score == 3  # (3 + 2) / 2 = 2.5 -> 3


def test_completion_is_refused_while_an_item_lacks_a_grade_or_evidence(
    trained, people, template
) -> None:
    sw = trained["social_worker"]
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    fill(sw, profile, [2, 2, 2])
    food, clothing, _ = items(template)
    profile_record_grades(
        actor=sw,
        profile=profile,
        expected_version=profile.version,
        grades={food.pk: (None, "Fridge empty"), clothing.pk: (3, "")},
    )
    with pytest.raises(ValidationError) as raised:
        profile_complete(actor=sw, profile=profile, expected_version=profile.version)
    assert raised.value.messages == [
        "The profile cannot be completed yet: area 1, item 1 (Food) has no grade; "
        "area 1, item 2 (Clothing) has no evidence"
    ]
    assert NeglectProfile.objects.get().status == ProfileStatus.IN_PROGRESS


def test_a_grade_outside_one_to_five_is_refused(trained, people, template) -> None:
    sw = trained["social_worker"]
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    with pytest.raises(ValidationError) as raised:
        profile_record_grades(
            actor=sw,
            profile=profile,
            expected_version=profile.version,
            grades={items(template)[0].pk: (6, "x")},
        )
    assert raised.value.message_dict == {
        f"item-{items(template)[0].pk}-grade": ["Choose a grade from 1 to 5"]
    }


def test_a_completed_profile_keeps_its_template_version(trained, people, template) -> None:
    sw = trained["social_worker"]
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    fill(sw, profile, [1, 1, 1])
    profile_complete(actor=sw, profile=profile, expected_version=profile.version)
    template_load(data=template_data(version="2"))
    assert NeglectProfile.objects.get().template.version == "1"
    with pytest.raises(ValidationError, match="can no longer be changed"):
        profile_record_grades(
            actor=sw, profile=profile, expected_version=profile.version, grades={}
        )


def test_the_person_who_completed_it_may_not_sign_it_off(trained, people, template) -> None:
    tm, sw = trained["team_manager"], trained["social_worker"]
    profile = profile_start(actor=tm, child=people["involved"], template=template)
    fill(tm, profile, [1, 2, 3])
    profile_complete(actor=tm, profile=profile, expected_version=profile.version)
    with pytest.raises(ValidationError) as raised:
        profile_sign_off(actor=tm, profile=profile, expected_version=profile.version)
    assert raised.value.message_dict == {
        "signed_off": ["Someone other than the person who did this must sign it off"]
    }
    with pytest.raises(PermissionDeniedError, match="Only a manager"):
        profile_sign_off(actor=sw, profile=profile, expected_version=profile.version)
    assert NeglectProfile.objects.get().status == ProfileStatus.COMPLETED


def test_a_second_editor_gets_a_conflict_and_nothing_is_written(trained, people, template):
    sw, colleague = trained["social_worker"], trained["colleague"]
    Involvement.objects.create(
        person=people["involved"], kind=InvolvementKind.ALLOCATED_WORKER, user=colleague
    )
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    opened_by_both = profile.version
    food = items(template)[0]
    profile_record_grades(
        actor=sw,
        profile=profile,
        expected_version=opened_by_both,
        grades={food.pk: (2, "First")},
    )
    theirs = NeglectProfile.objects.get(pk=profile.pk)
    with pytest.raises(ConcurrentEditError):
        profile_record_grades(
            actor=colleague,
            profile=theirs,
            expected_version=opened_by_both,
            grades={food.pk: (5, "Second")},
        )
    kept = profile.grades.get(item=food)
    assert (kept.grade, kept.evidence) == (2, "First")


def test_a_child_the_worker_cannot_see_is_not_found_and_the_refusal_audited(
    trained, people, template
) -> None:
    sw = trained["social_worker"]
    # As in a request: the refusal is written once the refused transaction has rolled back.
    with refusals_written_after(), pytest.raises(NotFound):
        profile_start(actor=sw, child=people["unrelated"], template=template)
    refusal = AuditEvent.objects.get(action="refused")
    assert (refusal.actor, refusal.person_id) == (sw, people["unrelated"].pk)
    assert not NeglectProfile.objects.exists()


def test_roles_without_the_capability_are_refused(users, people, template) -> None:
    for role in ("cp_chair_iro", "data_protection_officer"):
        with pytest.raises(NotFound):
            profile_start(actor=users[role], child=people["involved"], template=template)


def test_a_partner_practitioner_profiles_a_child_their_agency_works_with(
    trained, people, template
) -> None:
    dsl = trained["partner_practitioner"]
    profile = profile_start(actor=dsl, child=people["involved"], template=template)
    assert profile.started_by == dsl
    assert access_profile(actor=dsl, profile_id=profile.pk) == profile


def test_siblings_must_be_visible_and_brothers_or_sisters(trained, people, template) -> None:
    sw, child = trained["social_worker"], people["involved"]
    sibling = Person.objects.get(
        pk=Relationship.objects.filter(subject=child).values_list("other_id", flat=True)[0]
    )
    with pytest.raises(NotFound):  # sw is not involved with the sibling
        profile_start(actor=sw, child=child, template=template, siblings=[sibling])
    Involvement.objects.create(
        person=sibling, kind=InvolvementKind.ALLOCATED_WORKER, user=sw, team=sw.team
    )
    with pytest.raises(ValidationError, match="brothers and sisters"):
        profile_start(actor=sw, child=child, template=template, siblings=[people["same_team"]])
    profile = profile_start(actor=sw, child=child, template=template, siblings=[sibling])
    assert list(profile.siblings.all()) == [sibling]
    entry = ChronologyEntry.objects.get(event_type=events.NEGLECT_PROFILE_STARTED)
    assert set(entry.links.values_list("person_id", flat=True)) == {child.pk, sibling.pk}


def test_every_read_and_write_is_audited(trained, people, template) -> None:
    sw, tm, child = trained["social_worker"], trained["team_manager"], people["involved"]
    profile = profile_start(actor=sw, child=child, template=template)
    fill(sw, profile, [1, 2, 3])
    profile_complete(actor=sw, profile=profile, expected_version=profile.version)
    access_profile(actor=tm, profile_id=profile.pk)
    profile_sign_off(actor=tm, profile=profile, expected_version=profile.version)
    rows = AuditEvent.objects.filter(object_type="neglect.NeglectProfile").order_by("pk")
    assert [(r.action, r.actor_username, r.person_id) for r in rows] == [
        ("create", "sw", child.pk),
        ("change", "sw", child.pk),  # grades
        ("change", "sw", child.pk),  # plan
        ("change", "sw", child.pk),  # completed
        ("view", "tm", child.pk),
        ("change", "tm", child.pk),  # signed off
    ]


def test_a_profile_is_not_found_for_someone_who_cannot_see_the_child(
    trained, users, people, template
) -> None:
    profile = profile_start(
        actor=trained["social_worker"], child=people["involved"], template=template
    )
    with refusals_written_after(), pytest.raises(NotFound):
        access_profile(actor=users["south_worker"], profile_id=profile.pk)
    with refusals_written_after(), pytest.raises(NotFound):
        access_profile(actor=users["south_worker"], profile_id="nonsense", action=Action.EDIT)
    refused = AuditEvent.objects.filter(action="refused", actor=users["south_worker"])
    assert refused.count() == 2
    assert not AuditEvent.objects.filter(
        action="view", actor=users["south_worker"], object_type="neglect.NeglectProfile"
    ).exists()


def test_the_review_date_must_be_in_the_future(trained, people, template) -> None:
    sw = trained["social_worker"]
    profile = profile_start(actor=sw, child=people["involved"], template=template)
    with pytest.raises(ValidationError) as raised:
        profile_record_plan(
            actor=sw,
            profile=profile,
            expected_version=profile.version,
            family_views="",
            actions=[],
            review_date=date(2026, 11, 23) - timedelta(days=1),
        )
    assert raised.value.message_dict == {"review_date": ["The review date must be in the future"]}


def test_a_repeat_profile_shows_the_movement_per_area(trained, people, template) -> None:
    sw = trained["social_worker"]
    first = profile_start(actor=sw, child=people["involved"], template=template)
    fill(sw, first, [4, 4, 5])
    profile_complete(actor=sw, profile=first, expected_version=first.version)
    again = profile_start(actor=sw, child=people["involved"], template=template)
    assert previous_profile(again) == first
    fill(sw, again, [2, 2, 3])
    again = profile_complete(actor=sw, profile=again, expected_version=again.version)
    movement = area_movement(again, first)
    assert [(m.title, m.previous, m.current, m.change) for m in movement] == [
        ("Physical care", 4, 2, -2),
        ("Safety", 5, 3, -2),
    ]
