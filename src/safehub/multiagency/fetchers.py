"""How the multi-agency chronology's pages obtain what they show: the child through
`access_person` (fetch, decide, audit), the policy's restricted-entry scope for them, and
the household's members each as the policy's `disclosures` say, audited as a list."""

from dataclasses import dataclass
from typing import Any

from safehub.access.policy import (
    Action,
    Disclosure,
    RestrictedEntryScope,
    can_annotate_chronology,
    disclosures,
    restricted_entry_scope,
)
from safehub.audit.services import audit_list, audit_refusal
from safehub.chronology.models import ChronologyEntry
from safehub.chronology.selectors import restricted_visible
from safehub.core.exceptions import NotFound
from safehub.multiagency.selectors import Member
from safehub.organisations.models import User
from safehub.people.fetchers import access_person
from safehub.people.models import Person, PersonAddress
from safehub.people.selectors import WITHHELD_NAME


@dataclass(frozen=True)
class ChronologyAccess:
    person: Person
    scope: RestrictedEntryScope
    with_notes: bool  # may read and write key-event marks and analysis


def access_chronology(
    *, actor: User, person_id: Any, action: Action = Action.VIEW, shown: bool = True
) -> ChronologyAccess:
    """The child whose chronology `actor` opens (a VIEW or EXPORT audit row), with what of
    it the policy lets them read."""
    person = access_person(actor=actor, person_id=person_id, action=action, shown=shown)
    return ChronologyAccess(
        person=person,
        scope=restricted_entry_scope(actor, [person]),
        with_notes=can_annotate_chronology(actor),
    )


def access_court_chronology(*, actor: User, person_id: Any, export: bool) -> ChronologyAccess:
    """The court-style export is the council's casework (it carries the worker's analysis):
    anyone else is told "not found" before any record is looked up; then the person decision,
    audited as an export when the file is made (`export`), as a view for the form."""
    if not can_annotate_chronology(actor):
        audit_refusal(
            actor=actor,
            object_type="people.Person",
            object_id=str(person_id)[:60],
            detail={"action": "court_chronology"},
        )
        raise NotFound()
    action = Action.EXPORT if export else Action.VIEW
    return access_chronology(actor=actor, person_id=person_id, action=action)


def access_entry(
    *, actor: User, person_id: Any, entry_id: Any, shown: bool
) -> tuple[ChronologyAccess, ChronologyEntry]:
    """An entry of the child's chronology that `actor` may mark and analyse: on that child's
    chronology, and whole to them (a restricted entry kept from them is "not found")."""
    found = access_chronology(actor=actor, person_id=person_id, shown=shown)
    if not found.with_notes:
        raise NotFound()
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    entry = ChronologyEntry.objects.filter(pk=pk, links__person=found.person).first()
    if entry is None:
        raise NotFound()
    visible = restricted_visible(found.scope, found.person.pk)
    if visible is not None and not ChronologyEntry.objects.filter(visible, pk=entry.pk).exists():
        raise NotFound()
    return found, entry


@dataclass(frozen=True)
class Household:
    access: ChronologyAccess
    members: list[Member]
    shown: dict[int, str]  # person id -> name, the child first
    withheld: list[int]


def access_household(*, actor: User, person_id: Any) -> Household:
    """The child (audited as a view) and the members of their current household: each shown
    by name if the policy lets `actor` see them, as "a person you cannot see" if not, and
    not at all if even that would disclose (a restricted record). One list audit row names
    every member shown."""
    child = access_person(actor=actor, person_id=person_id)
    others = _housemates(child)
    shown_as = disclosures(actor, others)
    members = [Member(person_id=child.pk, name=child.full_name, is_subject=True)]
    shown = {child.pk: child.full_name}
    withheld = []
    for other in others:
        how = shown_as[other.pk]
        if how is Disclosure.SHOWN:
            members.append(Member(person_id=other.pk, name=other.full_name, is_subject=False))
            shown[other.pk] = other.full_name
        elif how is not Disclosure.OMITTED:
            members.append(Member(person_id=None, name=WITHHELD_NAME, is_subject=False))
            withheld.append(other.pk)
    audit_list(
        actor=actor,
        listed="multiagency.household",
        person_ids=shown,
        detail={"child": child.pk, "withheld": len(withheld)},
    )
    people = [child, *(o for o in others if o.pk in shown)]
    return Household(
        access=ChronologyAccess(
            person=child,
            scope=restricted_entry_scope(actor, people),
            with_notes=can_annotate_chronology(actor),
        ),
        members=members,
        shown=shown,
        withheld=withheld,
    )


def _housemates(child: Person) -> list[Person]:
    """Everyone else in the child's current household, youngest last."""
    household_id = (
        PersonAddress.objects.filter(person=child, end_date__isnull=True, household__isnull=False)
        .values_list("household_id", flat=True)
        .first()
    )
    if household_id is None:
        return []
    return [
        row.person
        for row in PersonAddress.objects.filter(household_id=household_id, end_date__isnull=True)
        .exclude(person=child)
        .select_related("person")
        .order_by("person__date_of_birth", "person_id")
    ]
