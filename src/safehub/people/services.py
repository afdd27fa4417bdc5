"""Every change to a person's record. Each service runs in one transaction that also writes
its audit row and chronology entry, so nothing is half-saved."""

import uuid
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from safehub.access.guards import check_person_writes
from safehub.access.models import Involvement, InvolvementKind
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.chronology.services import chronology_append
from safehub.core.identifiers import clean_postcode
from safehub.core.models import versioned_update
from safehub.organisations.models import User
from safehub.people import events
from safehub.people.codes import (
    INVERSE,
    OLDER_GENERATION,
    NameKind,
    PersonKind,
    RelationshipType,
)
from safehub.people.models import (
    Address,
    Household,
    NameSpelling,
    Person,
    PersonAddress,
    PersonName,
    Relationship,
)
from safehub.people.names import name_key, name_sound, spelling_lookups
from safehub.people.validation import clean_name, clean_person_data

# Fields a person create/update may set; anything else in the input is ignored.
PERSON_FIELDS = (
    "kind",
    "given_name",
    "family_name",
    "date_of_birth",
    "date_of_birth_estimated",
    "expected_date_of_birth",
    "date_of_death",
    "sex",
    "gender_current",
    "ethnicity",
    "first_language",
    "interpreter_needed",
    "disabilities",
    "nhs_number",
    "upn",
    "upn_unknown",
    "former_upn",
    "school",
    "school_agency",
)
FIELD_LABELS = {
    "kind": "Type of person",
    "given_name": "First name",
    "middle_names": "Middle names",
    "family_name": "Last name",
    "date_of_birth": "Date of birth",
    "date_of_birth_estimated": "Date of birth estimated",
    "expected_date_of_birth": "Expected date of birth",
    "date_of_death": "Date of death",
    "sex": "Sex",
    "gender_current": "Gender",
    "ethnicity": "Ethnicity",
    "first_language": "First language",
    "interpreter_needed": "Interpreter needed",
    "disabilities": "Disabilities",
    "nhs_number": "NHS number",
    "upn": "UPN",
    "upn_unknown": "Why the UPN is not known",
    "former_upn": "Former UPN",
    "school": "School or nursery",
    "school_agency": "School on SafeHub",
}


def _name_row(person: Person, kind: str, given: str, middle: str, family: str) -> PersonName:
    return PersonName(
        person=person,
        kind=kind,
        given_name=given,
        middle_names=middle,
        family_name=family,
        given_key=name_key(given),
        family_key=name_key(family),
        given_sound=name_sound(given),
        family_sound=name_sound(family),
        born=person.date_of_birth,
    )


def name_spellings_record(names: list[str]) -> None:
    """Make each name findable by its spellings (`people.names`). Rows are shared by
    everyone with the same name, so this adds nothing for a name already known."""
    rows = {(lookup, name_key(name)) for name in names for lookup in spelling_lookups(name)}
    NameSpelling.objects.bulk_create(
        [NameSpelling(lookup=lookup, key=key) for lookup, key in sorted(rows)],
        ignore_conflicts=True,
        batch_size=2_000,
    )


def _save_name(row: PersonName) -> PersonName:
    row.save()
    name_spellings_record([row.given_name, row.family_name])
    return row


def _check_unique_identifiers(cleaned: dict[str, Any], *, exclude_pk: int | None) -> None:
    errors = {}
    others = Person.objects.exclude(pk=exclude_pk) if exclude_pk else Person.objects.all()
    if cleaned.get("nhs_number") and others.filter(nhs_number=cleaned["nhs_number"]).exists():
        errors["nhs_number"] = "Another person's record already has this NHS number"
    if cleaned.get("upn") and others.filter(upn=cleaned["upn"]).exists():
        errors["upn"] = "Another person's record already has this UPN"
    if errors:
        raise ValidationError(errors)


def clean_address(data: dict[str, Any]) -> dict[str, str]:
    errors, out = {}, {}
    for field, label, limit in (
        ("line_1", "the first line of the address", 120),
        ("town", "the town or city", 80),
    ):
        value = " ".join(str(data.get(field) or "").split())
        if not value:
            errors[field] = f"Enter {label}"
        elif len(value) > limit:
            errors[field] = f"Enter {label} in {limit} characters or fewer"
        out[field] = value
    out["line_2"] = " ".join(str(data.get("line_2") or "").split())[:120]
    try:
        out["postcode"] = clean_postcode(str(data.get("postcode") or ""))
    except ValidationError as error:
        errors["postcode"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    return out


@transaction.atomic
def person_create(
    *, actor: User, data: dict[str, Any], address: dict[str, Any] | None = None
) -> Person:
    cleaned = clean_person_data(data)
    address_data = clean_address(address) if address and any(address.values()) else None
    _check_unique_identifiers(cleaned, exclude_pk=None)
    person = Person.objects.create(
        **{f: cleaned[f] for f in PERSON_FIELDS}, created_by=actor, updated_by=actor
    )
    _save_name(
        _name_row(
            person,
            NameKind.CURRENT,
            cleaned["given_name"],
            cleaned["middle_names"],
            cleaned["family_name"],
        )
    )
    if address_data:
        _move(person, address_data, start_date=timezone.localdate())
    # The recording team keeps sight of the person it recorded.
    Involvement.objects.create(
        person=person,
        kind=InvolvementKind.TEAM if actor.team_id else InvolvementKind.ALLOCATED_WORKER,
        team_id=actor.team_id,
        user=None if actor.team_id else actor,
    )
    audit_record(
        actor=actor,
        action=AuditAction.CREATE,
        person_id=person.pk,
        object_type="people.Person",
        object_id=person.pk,
    )
    chronology_append(
        actor=actor,
        persons=[person],
        event_type=events.PERSON_CREATED,
        summary=f"Record created for {person.full_name}",
        source=person,
    )
    return person


@transaction.atomic
def person_update(
    *, actor: User, person: Person, expected_version: int, data: dict[str, Any]
) -> tuple[Person, list[str]]:
    """Save new details if nobody else saved since `expected_version`; returns the person and
    the names of the fields that changed. A changed last name keeps the old one as a former
    name, so search still finds the person under it."""
    check_person_writes(actor, [person])
    current_name = person.names.filter(kind=NameKind.CURRENT).first()
    before = {f: getattr(person, f) for f in PERSON_FIELDS}
    before["middle_names"] = current_name.middle_names if current_name else ""
    given = {k: v for k, v in data.items() if k in (*PERSON_FIELDS, "middle_names", "school_urn")}
    if given.get("school", before["school"]) != before["school"] and not (
        {"school_agency", "school_urn"} & set(given)
    ):
        # A new school named without saying which agency it is: no longer the old one.
        given["school_agency"] = None
    merged = {**before, **given}
    cleaned = clean_person_data(merged)
    _keep_census_details(before, cleaned)
    _check_unique_identifiers(cleaned, exclude_pk=person.pk)
    changed = [f for f in (*PERSON_FIELDS, "middle_names") if cleaned[f] != before[f]]
    if person.version != expected_version:
        # Fail fast on a stale form even when the values happen to match.
        versioned_update(instance=person, expected_version=expected_version, data={})
    if not changed:
        return person, []
    versioned_update(
        instance=person,
        expected_version=expected_version,
        data={**{f: cleaned[f] for f in PERSON_FIELDS if f in changed}, "updated_by": actor},
    )
    if {"given_name", "family_name", "middle_names"} & set(changed):
        _replace_current_name(person, cleaned, keep_old=("family_name" in changed))
    if "date_of_birth" in changed:
        # Search reads the birthday beside each name (ADR 0031).
        person.names.update(born=cleaned["date_of_birth"])
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=person.pk,
        object_type="people.Person",
        object_id=person.pk,
        detail={"fields": changed},
    )
    event = (
        events.DEATH_RECORDED
        if "date_of_death" in changed and cleaned["date_of_death"]
        else events.PERSON_DETAILS_CHANGED
    )
    labels = ", ".join(FIELD_LABELS[f].lower() for f in changed)
    chronology_append(
        actor=actor, persons=[person], event_type=event, summary=f"Changed: {labels}", source=person
    )
    return person, changed


def _keep_census_details(before: dict[str, Any], cleaned: dict[str, Any]) -> None:
    """What the census needs of a child is never blanked once recorded: the disability
    answer (census: one for every child in need, "No disability" included), and a UPN or
    the reason there is none. A UPN replaced or removed is kept as the former UPN."""
    errors = {}
    if before["disabilities"] and not cleaned["disabilities"]:
        errors["disabilities"] = (
            "Select the disabilities the person has, or 'No disability': "
            "this cannot be left blank once recorded"
        )
    had = before["upn"] or before["upn_unknown"]
    if (
        had
        and cleaned["kind"] == PersonKind.CHILD
        and not (cleaned["upn"] or cleaned["upn_unknown"])
    ):
        errors["upn_unknown"] = "Enter the UPN, or select why it is not known"
    if errors:
        raise ValidationError(errors)
    if before["upn"] and cleaned["upn"] != before["upn"]:
        cleaned["former_upn"] = before["upn"]


def _replace_current_name(person: Person, cleaned: dict[str, Any], *, keep_old: bool) -> None:
    old = person.names.filter(kind=NameKind.CURRENT).first()
    if old and keep_old:
        PersonName.objects.filter(pk=old.pk).update(kind=NameKind.FORMER)
    elif old:
        old.delete()
    _save_name(
        _name_row(
            person,
            NameKind.CURRENT,
            cleaned["given_name"],
            cleaned["middle_names"],
            cleaned["family_name"],
        )
    )


@transaction.atomic
def person_name_add(
    *,
    actor: User,
    person: Person,
    kind: str,
    given_name: str,
    middle_names: str = "",
    family_name: str,
) -> PersonName:
    check_person_writes(actor, [person])
    errors = {}
    if kind not in (NameKind.FORMER, NameKind.ALIAS, NameKind.BIRTH):
        errors["kind"] = "Select the type of name"
    cleaned = {}
    for field, value, label, required in (
        ("given_name", given_name, "a first name", True),
        ("middle_names", middle_names, "middle names", False),
        ("family_name", family_name, "a last name", True),
    ):
        try:
            cleaned[field] = clean_name(value, label=label, required=required)
        except ValidationError as error:
            errors[field] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    row = _save_name(
        _name_row(
            person, kind, cleaned["given_name"], cleaned["middle_names"], cleaned["family_name"]
        )
    )
    _touch(actor, person, ["names"])
    return row


def _touch(actor: User, person: Person, what: list[str]) -> None:
    """A change to a person's satellite records (names, addresses, relationships) is still a
    change to the person, audited once. The version is left alone: it guards the details
    form, which these changes do not touch."""
    Person.objects.filter(pk=person.pk).update(updated_at=timezone.now(), updated_by=actor)
    audit_record(
        actor=actor,
        action=AuditAction.CHANGE,
        person_id=person.pk,
        object_type="people.Person",
        object_id=person.pk,
        detail={"fields": what},
    )


def _move(
    person: Person,
    address_data: dict[str, str],
    *,
    start_date: date,
    household: Household | None = None,
) -> PersonAddress:
    address = Address.objects.create(**address_data)
    PersonAddress.objects.filter(person=person, end_date__isnull=True).update(
        end_date=start_date - timedelta(days=1)
    )
    return PersonAddress.objects.create(
        person=person, address=address, household=household, start_date=start_date
    )


@transaction.atomic
def person_move(
    *, actor: User, person: Person, address: dict[str, Any], start_date: date | None
) -> PersonAddress:
    """Record that a person now lives at `address` from `start_date`; the previous address
    ends the day before."""
    check_person_writes(actor, [person])
    cleaned = clean_address(address)
    today = timezone.localdate()
    if start_date is None:
        raise ValidationError({"start_date": "Enter the date they moved in"})
    if start_date > today:
        raise ValidationError({"start_date": "Date they moved in must be today or in the past"})
    current = PersonAddress.objects.filter(person=person, end_date__isnull=True).first()
    if current and current.start_date and start_date <= current.start_date:
        raise ValidationError(
            {"start_date": "Date they moved in must be after they moved to their current address"}
        )
    row = _move(person, cleaned, start_date=start_date)
    _touch(actor, person, ["addresses"])
    chronology_append(
        actor=actor,
        persons=[person],
        event_type=events.ADDRESS_CHANGED,
        summary=f"Moved to {cleaned['town']} {cleaned['postcode']}",
        occurred_on=start_date,  # the day they moved; nobody records the hour
        source=row,
    )
    return row


def _born(person: Person) -> date | None:
    return person.date_of_birth or person.expected_date_of_birth


@transaction.atomic
def relationship_create(
    *,
    actor: User,
    subject: Person,
    other: Person,
    type: str,
    start_date: date | None = None,
    has_parental_responsibility: bool = False,
) -> Relationship:
    """Record "subject is <type> of other" and its inverse together. Both records change,
    so the actor must be allowed to change both people."""
    check_person_writes(actor, [subject, other])
    if type not in INVERSE:
        raise ValidationError({"type": "Select how they are related"})
    if subject.pk == other.pk:
        raise ValidationError({"other": "A person cannot be related to themselves"})
    if type in OLDER_GENERATION:
        _check_generations(older=subject, younger=other, type=type)
    if INVERSE[type] in OLDER_GENERATION:
        _check_generations(older=other, younger=subject, type=INVERSE[type])
    if Relationship.objects.filter(
        subject=subject, other=other, type=type, end_date__isnull=True
    ).exists():
        raise ValidationError({"type": "This relationship is already recorded"})
    if start_date and start_date > timezone.localdate():
        raise ValidationError({"start_date": "Start date must be today or in the past"})
    pair = uuid.uuid4()
    forward = Relationship.objects.create(
        subject=subject,
        other=other,
        type=type,
        start_date=start_date,
        pair_key=pair,
        has_parental_responsibility=has_parental_responsibility and type in OLDER_GENERATION,
    )
    Relationship.objects.create(
        subject=other,
        other=subject,
        type=INVERSE[type],
        start_date=start_date,
        pair_key=pair,
        has_parental_responsibility=has_parental_responsibility
        and INVERSE[type] in OLDER_GENERATION,
    )
    for person in (subject, other):
        _touch(actor, person, ["relationships"])
    _family_entries(actor, forward, events.RELATIONSHIP_RECORDED, "{} added to the family network")
    return forward


def _family_entries(actor: User, row: Relationship, event_type: str, wording: str) -> None:
    """One chronology entry for each of the pair, each from that person's side ("Parent
    added to the family network" on the child's). Neither names the other: each timeline
    is read by people who may not be allowed to see the other person."""
    for person, other_is in ((row.subject, INVERSE[row.type]), (row.other, row.type)):
        chronology_append(
            actor=actor,
            persons=[person],
            event_type=event_type,
            summary=wording.format(RelationshipType(other_is).label),
            source=row,
        )


def _check_generations(*, older: Person, younger: Person, type: str) -> None:
    label = RelationshipType(type).label.lower()
    if older.kind == PersonKind.UNBORN:
        raise ValidationError({"type": f"An unborn child cannot be a {label}"})
    older_born, younger_born = _born(older), _born(younger)
    if older_born and younger_born and older_born >= younger_born:
        raise ValidationError(
            {"type": f"A {label} must be born before the person they are {label} of"}
        )
    # No loops: the younger person cannot already be an older generation of the older one,
    # directly or through others (A parent of B, B parent of C: C cannot be A's parent),
    # which dates of birth alone miss when they are not known.
    if _is_older_generation(younger, of=older):
        raise ValidationError(
            {
                "type": f"{younger.full_name} is already recorded as an older "
                f"generation of {older.full_name}"
            }
        )


MAX_GENERATIONS = 8  # further than any family record goes; bounds the walk


def _is_older_generation(person: Person, *, of: Person) -> bool:
    """Whether `of` descends from `person` through current older-generation relationships:
    one query per generation."""
    frontier, seen = {person.pk}, {person.pk}
    for _ in range(MAX_GENERATIONS):
        below = set(
            Relationship.objects.filter(
                subject__in=frontier,
                type__in=OLDER_GENERATION,
                end_date__isnull=True,
            ).values_list("other_id", flat=True)
        )
        if of.pk in below:
            return True
        frontier = below - seen
        if not frontier:
            return False
        seen |= frontier
    return False


@transaction.atomic
def relationship_end(
    *, actor: User, person: Person, relationship_id: int, end_date: date | None
) -> None:
    row = Relationship.objects.filter(
        pk=relationship_id, subject=person, end_date__isnull=True
    ).first()
    if row is None:
        raise ValidationError({"relationship": "That relationship is not open"})
    # Ending it changes the other person's record too, so they must be open to the actor.
    check_person_writes(actor, [row.subject, row.other])
    end = end_date or timezone.localdate()
    if row.start_date and end < row.start_date:
        raise ValidationError({"end_date": "End date must be after the start date"})
    Relationship.objects.filter(Q(pair_key=row.pair_key)).update(end_date=end)
    for p in (row.subject, row.other):
        _touch(actor, p, ["relationships"])
    _family_entries(actor, row, events.RELATIONSHIP_ENDED, "{} relationship ended")
