"""How casework pages obtain the child they record for: the person fetcher, with the
decision the policy says recording casework needs (`policy.casework_action`)."""

from typing import Any

from safehub.access.policy import Action, casework_action, decide_allocation
from safehub.casework.selectors import is_waiting
from safehub.organisations.models import User
from safehub.people.fetchers import access_person
from safehub.people.models import Person


def access_child(
    *, actor: User, person_id: Any, conference: bool = False, shown: bool = True
) -> Person:
    """The child, if `actor` may record casework for them (`conference`: a conference or
    review, which the child's chair records too). The fetch audits the view when the page
    shows the child (`shown`)."""
    action = casework_action(actor, conference=conference)
    return access_person(
        actor=actor, person_id=person_id, action=action, shown=shown or action is Action.VIEW
    )


def read_child(*, actor: User, person_id: Any) -> Person:
    """The child for the casework page (read only)."""
    return access_person(actor=actor, person_id=person_id, action=Action.VIEW)


def access_child_to_allocate(*, actor: User, person_id: Any) -> Person:
    """The child, if `actor` may allocate them (`policy.decide_allocation`)."""
    return access_person(
        actor=actor,
        person_id=person_id,
        action=Action.EDIT,
        decide_with=lambda child: decide_allocation(actor, child, waiting=is_waiting(child)),
    )
