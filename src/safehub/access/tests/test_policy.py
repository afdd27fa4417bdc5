"""Properties of the policy that pages rely on."""

from safehub.access.policy import Action, Decision, can_edit_viewable_person, decide


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
