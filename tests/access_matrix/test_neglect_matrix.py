"""Neglect profiles: every role × every relation × every page about a child's profiles or
one profile, from NEGLECT_VIEW and NEGLECT_EDIT in matrix.py; allowed, refused as not found
(404, nothing changed, the child not named) or sent to the break-glass page first. Then the
pages about no child that are not plain GETs: confirming a training import and the children
behind a use-and-effect figure."""

from datetime import date
from typing import Any

import pytest
from conftest import without_random_tokens
from django.urls import reverse

from safehub.neglect.models import (
    Item,
    ItemGrade,
    NeglectProfile,
    ProfileDraft,
    ProfileStatus,
    TrainingRecord,
)
from safehub.neglect.services import template_load
from safehub.neglect.tests.conftest import template_data, train
from tests.access_matrix.matrix import (
    EVERY_SIGNED_IN_ROLE,
    NEGLECT_EDIT,
    NEGLECT_VIEW,
    RELATIONS,
)

pytestmark = pytest.mark.django_db

# url name: (which profile, method). "child" pages take the person's id.
ENDPOINTS = {
    "neglect:child-profiles": ("child", "get"),
    "neglect:profile-start": ("child", "get"),
    "neglect:profile-detail": ("open", "get"),
    "neglect:profile-area": ("open", "get"),
    "neglect:profile-plan": ("open", "get"),
    "neglect:profile-draft": ("open", "post"),
    "neglect:profile-complete": ("open", "post"),
    "neglect:profile-pdf": ("done", "get"),
    "neglect:profile-sign-off": ("done", "post"),
}
# Starting a profile and working on one (the rest read, or sign off on the strength of reading).
EDITING = {
    "neglect:profile-start",
    "neglect:profile-area",
    "neglect:profile-plan",
    "neglect:profile-draft",
    "neglect:profile-complete",
}
SUPERVISORS = {"team_manager", "mash_manager"}
CASES = [
    (role, relation, name)
    for role in sorted(NEGLECT_VIEW)
    for relation in RELATIONS
    for name in sorted(ENDPOINTS)
]


def _profile(template: Any, child: Any, starter: Any, *, done: bool) -> NeglectProfile:
    profile = NeglectProfile.objects.create(child=child, template=template, started_by=starter)
    for item in Item.objects.filter(area__template=template):
        ItemGrade.objects.create(profile=profile, item=item, grade=3, evidence="Seen at home")
    if done:
        profile.status = ProfileStatus.COMPLETED
        profile.completed_by = starter
        profile.completed_on = date(2026, 11, 2)
        profile.overall_score = 3
        profile.family_views = "Dad says things are better."
        profile.save()
    return profile


@pytest.fixture
def profiles(users: Any, people: Any) -> dict[str, dict[str, NeglectProfile]]:
    template, _ = template_load(data=template_data())
    for user in users.values():
        if user.agency_id:
            train(user, template)
    return {
        relation: {
            "open": _profile(template, people[relation], users["colleague"], done=False),
            "done": _profile(template, people[relation], users["colleague"], done=True),
        }
        for relation in RELATIONS
    }


def _request(client: Any, name: str, relation: str, people: Any, profiles: Any) -> Any:
    which, method = ENDPOINTS[name]
    target = people[relation] if which == "child" else profiles[relation][which]
    args = [target.pk, 1] if name == "neglect:profile-area" else [target.pk]
    url = reverse(name, args=args)
    if method == "get":
        return client.get(url)
    item = Item.objects.filter(area__template=target.template).first()
    assert item is not None
    data = {"version": target.version, "kind": f"item-{item.pk}", "text": "Typed by the matrix"}
    return client.post(url, data)


@pytest.mark.parametrize(("role", "relation", "name"), CASES)
def test_neglect_profile_matrix(role, relation, name, users, people, profiles, client_for):
    table = NEGLECT_EDIT if name in EDITING else NEGLECT_VIEW
    expected = table[role].split()[RELATIONS.index(relation)]
    person = people[relation]
    response = _request(client_for(role), name, relation, people, profiles)
    done = profiles[relation]["done"]
    done.refresh_from_db()
    if expected == "A":
        # Allowed: the page, the PDF, a saved draft, or the service's own answer (a profile
        # not ready to complete; a sign-off by someone without the supervisor's role).
        assert response.status_code in (200, 302, 400), (role, relation, name)
        if name == "neglect:profile-sign-off":
            signed = done.status == ProfileStatus.SIGNED_OFF
            assert signed == (role in SUPERVISORS), (role, relation)
        return
    if expected == "B":
        assert response.status_code == 302, (role, relation, name)
        assert response["Location"] == reverse("people:person-break-glass", args=[person.pk])
    else:
        assert response.status_code == 404, (role, relation, name, response.status_code)
        shown = without_random_tokens(response.content)
        assert person.family_name.encode() not in shown
    assert not ProfileDraft.objects.exists()
    assert done.status == ProfileStatus.COMPLETED
    assert NeglectProfile.objects.filter(status=ProfileStatus.IN_PROGRESS).count() == len(RELATIONS)


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_training_import_confirm_matrix(role, users, client_for):
    template, _ = template_load(data=template_data())
    csv_text = (
        "practitioner,template,course,provider,completed_on,expires_on\n"
        f"sw,{template.name},Neglect course,Partnership,2026-10-01,2029-10-01\n"
    )
    response = client_for(role).post(reverse("neglect:training-confirm"), {"csv_text": csv_text})
    if role in {"team_manager", "system_administrator"}:
        assert response.status_code == 302
        assert TrainingRecord.objects.count() == 1
    else:
        assert response.status_code == 404
        assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize("role", sorted(EVERY_SIGNED_IN_ROLE))
def test_use_children_matrix(role, users, people, client_for):
    response = client_for(role).get(reverse("neglect:use-children", args=["neglect_plans"]))
    if role in {"team_manager", "performance_analyst"}:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
