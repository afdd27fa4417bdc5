"""The person whose information-sharing log a page shows or adds to: the person fetcher,
with the policy's decision for the log (`policy.decide_sharing_log`), audited there."""

from typing import Any

from safehub.access.policy import Action, decide_sharing_log
from safehub.organisations.models import User
from safehub.people.fetchers import access_person
from safehub.people.models import Person


def access_sharing_person(*, actor: User, person_id: Any, action: Action = Action.VIEW) -> Person:
    return access_person(
        actor=actor,
        person_id=person_id,
        action=action,
        decide_with=lambda person: decide_sharing_log(actor, person, action),
    )
