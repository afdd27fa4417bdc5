"""Properties of the policy that pages rely on."""

from typing import Any

from conftest import TEST_TODAY

from safehub.access.models import Involvement
from safehub.access.policy import (
    Action,
    Decision,
    SignOff,
    can_edit_viewable_person,
    decide,
    decide_many,
    may_sign_off,
    neglect_profile_decisions,
)


def test_edit_shortcut_agrees_with_decide_wherever_viewing_is_allowed(users, people):
    checked = 0
    for user in users.values():
        for person in people.values():
            if decide(user, person, Action.VIEW) is Decision.ALLOW:
                checked += 1
                assert can_edit_viewable_person(user) == (
                    decide(user, person, Action.EDIT) is Decision.ALLOW
                ), (user, person)
    assert checked > 10


def test_unknown_or_inactive_users_get_nothing(users, people):
    worker = users["mash_worker"]
    worker.is_active = False
    assert decide(worker, people["unrelated"], Action.VIEW) is Decision.DENY
    worker.is_active = True
    worker.role = "frobnicator"
    assert decide(worker, people["unrelated"], Action.VIEW) is Decision.DENY


# Who may work on (EDIT) or read (VIEW) a neglect profile about each test person, by hand:
# the roles that complete or supervise profiles, for the children they may see; a restricted
# child needs the glass broken first. A = allowed, D = refused, B = break the glass.
NEGLECT_PROFILE = {
    "partner_practitioner":    "A D D D D",
    "mash_worker":             "D D D D D",
    "social_worker":           "A A D B A",
    "team_manager":            "A A D B B",
    "cp_chair_iro":            "D D D D D",
    "performance_analyst":     "D D D D D",
    "data_protection_officer": "D D D D D",
    "system_administrator":    "D D D D D",
}  # fmt: skip
RELATIONS = ["involved", "same_team", "unrelated", "restricted", "restricted_allowed"]
OUTCOME = {"A": Decision.ALLOW, "D": Decision.DENY, "B": Decision.BREAK_GLASS}


def test_neglect_profile_decisions_for_every_role_and_relation(users, people):
    persons = [people[r] for r in RELATIONS]
    for role, row in NEGLECT_PROFILE.items():
        expected = {p.pk: OUTCOME[o] for p, o in zip(persons, row.split(), strict=True)}
        for action in (Action.VIEW, Action.EDIT):
            assert neglect_profile_decisions(users[role], persons, action) == expected, (
                role,
                action,
            )


def test_neglect_profile_sign_off_is_a_supervisors_and_never_the_completers(users):
    manager, worker = users["team_manager"], users["social_worker"]
    assert may_sign_off(manager, SignOff.NEGLECT_PROFILE, done_by_id=worker.pk)
    assert not may_sign_off(manager, SignOff.NEGLECT_PROFILE, done_by_id=manager.pk)
    assert not may_sign_off(worker, SignOff.NEGLECT_PROFILE, done_by_id=manager.pk)
    # Its own member, not an alias of the assessment's.
    assert SignOff.NEGLECT_PROFILE is not SignOff.ASSESSMENT


def test_the_restricted_entry_scope_weighs_involvements_already_read_as_it_reads_them(
    users: Any, people: Any
) -> None:
    """The person page hands the policy the open involvements it lists instead of letting
    it read them again (ADR 0055); every reader must get the same scope either way."""
    from safehub.access.models import Involvement, InvolvementKind
    from safehub.access.policy import OpenInvolvement, restricted_entry_scope

    child = people["involved"]
    # A second allocation, to the colleague, so "the worker, not their teammate" is weighed.
    Involvement.objects.create(
        person=child,
        user=users["colleague"],
        team=users["colleague"].team,
        kind=InvolvementKind.ALLOCATED_WORKER,
    )
    opened = 0
    for actor in users.values():
        for person in people.values():
            listed: list[OpenInvolvement] = list(
                Involvement.objects.filter(person=person, end_date__isnull=True).values_list(
                    "kind", "user_id", "team_id"
                )
            )
            read = restricted_entry_scope(actor, [person])
            assert restricted_entry_scope(actor, [person], {person.pk: listed}) == read, (
                actor.username,
                person.pk,
            )
            opened += read.sees_all_of(person.pk)
    assert opened  # some reader does see some person's restricted entries whole


def test_one_person_is_decided_as_they_would_be_among_many(users, people):
    """`decide` for one unrestricted person reads their involvement with a statement of its
    own (compiled once per scope, ADR 0064); it must agree with the query that decides many,
    for every role and relation, and after an involvement ends."""
    persons = list(people.values())
    for action in (Action.VIEW, Action.EDIT):
        for role, user in users.items():
            together = decide_many(user, persons, action)
            for person in persons:
                assert decide(user, person, action) is together[person.pk], (role, person, action)
    reached = people["involved"]
    assert decide(users["social_worker"], reached, Action.VIEW) is Decision.ALLOW
    Involvement.objects.filter(person=reached).update(end_date=TEST_TODAY)
    for role in ("social_worker", "team_manager", "partner_practitioner", "cp_chair_iro"):
        assert decide(users[role], reached, Action.VIEW) is Decision.DENY, role
