"""What the referrer told us, carried into the records of the people it is about.

A contact names children and adults and says how they are related, where the children live
and which school they go to. Nothing of that reaches a person's record by itself: a new
record's form is filled in from it for the worker to check (`person_prefill`), and once the
people are linked the contact page offers each relationship, address and school the records
do not already hold (`contact_suggestions`) for the worker to confirm, one at a time or all
at once (`services.contact_carry_over`, which writes through the people services).
"""

from dataclasses import dataclass, field
from datetime import date
from itertools import combinations
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from safehub.access.policy import Disclosure, disclosures
from safehub.core.identifiers import clean_postcode
from safehub.frontdoor.codes import Described, SubjectRole, described_in_words
from safehub.frontdoor.models import Contact, ContactSubject
from safehub.organisations.models import User
from safehub.people.codes import PersonKind, RelationshipType, Sex
from safehub.people.models import Person, PersonAddress, Relationship

# "<subject> is <type> of the first child", for each way a referrer may describe someone.
RELATIONSHIP_FOR: dict[str, RelationshipType] = {
    Described.MOTHER: RelationshipType.PARENT,
    Described.FATHER: RelationshipType.PARENT,
    Described.STEP_PARENT: RelationshipType.STEP_PARENT,
    Described.GRANDPARENT: RelationshipType.GRANDPARENT,
    Described.CARER: RelationshipType.CARER,
    Described.SIBLING: RelationshipType.SIBLING,
    Described.HALF_SIBLING: RelationshipType.HALF_SIBLING,
    Described.STEP_SIBLING: RelationshipType.STEP_SIBLING,
    Described.OTHER_RELATIVE: RelationshipType.OTHER_RELATIVE,
    Described.HOUSEHOLD_MEMBER: RelationshipType.HOUSEHOLD_MEMBER,
}
SEX_FOR: dict[str, Sex] = {Described.MOTHER: Sex.FEMALE, Described.FATHER: Sex.MALE}
PARENTS = (Described.MOTHER, Described.FATHER)
UNBORN_GIVEN_NAME = "Unborn"  # how a baby not yet named is recorded (as the demo does)


def described(subject: ContactSubject) -> str:
    """How the referrer related this person to the first child: the code the form asked
    for, else what their words say."""
    return subject.relationship_to_child or described_in_words(subject.relationship)


def _said(subject: ContactSubject) -> str:
    code = described(subject)
    label = Described(code).label.lower() if code else ""
    if subject.relationship and subject.relationship.lower() != label:
        return f"{label} (“{subject.relationship}”)" if label else f"“{subject.relationship}”"
    return label


# --- A new record, filled in from the referral ------------------------------------------


def person_prefill(
    *, contact: Contact, subject: ContactSubject
) -> tuple[dict[str, Any], dict[str, str]]:
    """The new-record form's answers (person details, current address) from everything
    the referrer said about `subject`, for the worker to check before anything is saved."""
    code = described(subject)
    if subject.is_unborn:
        kind = PersonKind.UNBORN
    else:
        kind = PersonKind.CHILD if subject.role == SubjectRole.CHILD else PersonKind.ADULT
    given, family = subject.given_name, subject.family_name
    if kind == PersonKind.UNBORN and not given:
        given = UNBORN_GIVEN_NAME
        family = family or _mother_family_name(contact)
    data: dict[str, Any] = {
        "kind": kind,
        "given_name": given,
        "family_name": family,
        "date_of_birth": subject.date_of_birth,
        "expected_date_of_birth": subject.expected_date_of_birth,
        "sex": SEX_FOR.get(code, Sex.UNKNOWN),
        "nhs_number": subject.nhs_number,
        "upn": subject.upn,
        "school": subject.school,
    }
    return data, told_address(subject, list(contact.subjects.all()))


def told_address(subject: ContactSubject, subjects: list[ContactSubject]) -> dict[str, str]:
    """Where the referrer said this person lives. An unborn baby lives where their mother
    does, so the address given for the baby is the mother's too."""
    source = subject
    if not (subject.address_line_1 or subject.postcode) and described(subject) == (
        Described.MOTHER
    ):
        source = next((s for s in subjects if s.role == SubjectRole.CHILD and s.is_unborn), subject)
    return {"line_1": source.address_line_1, "town": source.town, "postcode": source.postcode}


def _mother_family_name(contact: Contact) -> str:
    for subject in contact.subjects.all():
        if subject.role == SubjectRole.ADULT and described(subject) == Described.MOTHER:
            return subject.family_name
    return ""


# --- Suggestions once people are linked -------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    """One thing the referrer said that a record does not hold yet. `key` names it in a
    form; the service works the suggestions out again and applies the ones named, so a
    page cannot make it write anything else."""

    key: str
    kind: str  # "relationship", "address" or "school"
    said: str  # what the referrer told us
    record: str  # what the record says now
    change: str  # what confirming records
    person: Person
    other: Person | None = None
    relationship_type: str = ""
    value: dict[str, str] = field(default_factory=dict)
    # Why it cannot be confirmed here ("" when it can).
    blocked: str = ""

    @property
    def actionable(self) -> bool:
        return not self.blocked


@dataclass(frozen=True)
class _Tie:
    subject: ContactSubject  # is <type> of other
    type: RelationshipType
    other: ContactSubject
    said: str


def _described_ties(subjects: list[ContactSubject]) -> list[_Tie]:
    """Every relationship the referrer described or plainly implied: each person to the
    first child, a parent's partner to the parents named, and the parents named to the
    first child's full brothers and sisters (who are then each other's siblings too)."""
    children = [s for s in subjects if s.role == SubjectRole.CHILD]
    if not children:
        return []
    first = children[0]
    ties, parents, siblings = [], [], []
    for s in subjects:
        code = described(s) if s is not first else ""
        if code in RELATIONSHIP_FOR:
            ties.append(_Tie(s, RELATIONSHIP_FOR[code], first, _said(s)))
        if code in PARENTS:
            parents.append(s)
        if code == Described.SIBLING:
            siblings.append(s)
    for s in subjects:
        if s is not first and described(s) == Described.PARENTS_PARTNER:
            ties += [
                _Tie(s, RelationshipType.PARTNER, p, f"partner of the child's {described(p)}")
                for p in parents
            ]
    for p in parents:
        ties += [
            _Tie(
                p,
                RelationshipType.PARENT,
                c,
                f"{described(p)} of {first.full_name}, whose brother or sister this is",
            )
            for c in siblings
        ]
    ties += [
        _Tie(a, RelationshipType.SIBLING, b, f"both brothers or sisters of {first.full_name}")
        for a, b in combinations(siblings, 2)
    ]
    return ties


def contact_suggestions(*, actor: User, contact: Contact) -> list[Suggestion]:
    """What the referrer said that the linked records do not hold yet, in a fixed number
    of queries. Only people the actor may see are considered: a suggestion names them."""
    subjects = list(contact.subjects.select_related("person"))
    linked = [s for s in subjects if s.person is not None]
    if not linked:
        return []
    shown = disclosures(actor, [s.person for s in linked], linked_to_readers_work=True)
    visible = [s for s in linked if s.person and shown[s.person.pk] is Disclosure.SHOWN]
    ids = {s.person.pk for s in visible if s.person}
    related = set(
        Relationship.objects.filter(
            subject_id__in=ids, other_id__in=ids, end_date__isnull=True
        ).values_list("subject_id", "other_id")
    )
    suggestions = _relationship_suggestions(_described_ties(subjects), ids, related)
    current = {
        row.person_id: row
        for row in PersonAddress.objects.filter(
            person_id__in=ids, end_date__isnull=True
        ).select_related("address")
    }
    received = timezone.localdate(contact.received_at)
    for s in visible:
        told = told_address(s, subjects)
        address = _address_suggestion(
            s, told, current.get(s.person.pk if s.person else 0), received
        )
        if address:
            suggestions.append(address)
        school = _school_suggestion(s)
        if school:
            suggestions.append(school)
    return suggestions


def _relationship_suggestions(
    ties: list[_Tie], ids: set[int], related: set[tuple[int, int]]
) -> list[Suggestion]:
    out, seen = [], set()
    for tie in ties:
        a, b = tie.subject.person, tie.other.person
        if a is None or b is None or a.pk not in ids or b.pk not in ids or a.pk == b.pk:
            continue
        pair = frozenset((a.pk, b.pk))
        # Already related in the records (however they are recorded), or suggested once.
        if (a.pk, b.pk) in related or pair in seen:
            continue
        seen.add(pair)
        label = tie.type.label.lower()
        out.append(
            Suggestion(
                key=f"relationship:{a.pk}:{tie.type.value}:{b.pk}",
                kind="relationship",
                said=f"{tie.subject.full_name}: {tie.said}",
                record="Not related in the records",
                change=f"{a.full_name} is {b.full_name}’s {label}",
                person=a,
                other=b,
                relationship_type=tie.type.value,
            )
        )
    return out


def _comparable_postcode(text: str) -> str:
    try:
        return clean_postcode(text)
    except ValidationError:  # as told, not a valid postcode: compare the letters alone
        return "".join(text.split()).upper()


def _same_place(a_line: str, a_postcode: str, b_line: str, b_postcode: str) -> bool:
    if _comparable_postcode(a_postcode) != _comparable_postcode(b_postcode):
        return False
    return not a_line or " ".join(a_line.lower().split()) == " ".join(b_line.lower().split())


def _address_suggestion(
    subject: ContactSubject, told: dict[str, str], current: PersonAddress | None, received: date
) -> Suggestion | None:
    if not (told["line_1"] or told["postcode"]):
        return None
    said = ", ".join(p for p in (told["line_1"], told["town"], told["postcode"]) if p)
    if current is not None and _same_place(
        told["line_1"], told["postcode"], current.address.line_1, current.address.postcode
    ):
        return None
    person = subject.person
    assert person is not None
    blocked = ""
    if not (told["line_1"] and told["town"] and told["postcode"]):
        blocked = "The referrer did not give the whole address: find it out, then record a move"
    elif current is not None and current.start_date and current.start_date >= received:
        blocked = "The record's address was recorded since this contact came in"
    return Suggestion(
        key=f"address:{subject.pk}",
        kind="address",
        said=f"{subject.full_name} lives at {said}",
        record=str(current.address) if current else "No address recorded",
        change=f"{person.full_name} lives at {said} (from {received:%-d %B %Y})",
        person=person,
        value=told,
        blocked=blocked,
    )


def _school_suggestion(subject: ContactSubject) -> Suggestion | None:
    person = subject.person
    assert person is not None
    told = " ".join(subject.school.split())
    if not told or told.lower() == " ".join(person.school.split()).lower():
        return None
    return Suggestion(
        key=f"school:{subject.pk}",
        kind="school",
        said=f"{subject.full_name} goes to {told}",
        record=person.school or "No school recorded",
        change=f"{person.full_name}’s school or nursery is {told}",
        person=person,
        value={"school": told},
    )
