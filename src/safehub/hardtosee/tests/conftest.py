from datetime import date
from typing import Any

from conftest import make_person

from safehub.access.models import Involvement, InvolvementKind
from safehub.chronology.services import chronology_append
from safehub.hardtosee.selectors import partner_code
from safehub.hardtosee.services import register_facts_for

AS_OF = date(2026, 11, 20)


def happened(actor: Any, person: Any, code: str, on: date) -> None:
    """Something on the child's chronology: a partner event code (`ehe_registered`) or a
    chronology code (`VISIT`)."""
    event_type = code if code.isupper() else partner_code(code)
    chronology_append(
        actor=actor, persons=[person], event_type=event_type, summary=code, occurred_on=on
    )


def allocate(person: Any, user: Any, start: date = date(2026, 1, 5)) -> None:
    """Allocated to `user` (and their team) since `start`, so the child is known to a
    service on the days the tests ask about. Written directly to choose the start (the
    allocation service starts today); its register row is then worked out again, as the
    service's chronology entry does (tests/test_register_facts.py shows it does)."""
    Involvement.objects.create(
        person=person,
        kind=InvolvementKind.ALLOCATED_WORKER,
        user=user,
        team=user.team,
        start_date=start,
    )
    register_facts_for([person.pk])


def subjects(audit: Any) -> list[int]:
    return sorted(int(i) for i in audit.subject_ids.strip(",").split(",") if i)


def child(given: str, born: date = date(2014, 3, 3), **fields: Any) -> Any:
    """A child's record, with its register row, as creating one through the service (which
    appends "record created") leaves it."""
    person = make_person(given, "Register", born, **fields)
    register_facts_for([person.pk])
    return person
