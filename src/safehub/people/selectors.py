"""Reads of people that pages and the API share. Every selector takes the actor and applies
the access policy's scope; single records come through `people.fetchers.access_person`."""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, QuerySet
from django.utils import timezone

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import (
    Disclosure,
    OpenInvolvement,
    RestrictedEntryScope,
    can_search_people,
    disclosures,
    restricted_entry_scope,
    visible_persons,
)
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.core.statements import fixed_read
from safehub.organisations.models import Agency, AgencyKind, User, staff_name, team_label
from safehub.people.candidates import Place, Query, find_candidates
from safehub.people.codes import NameKind
from safehub.people.models import Person, PersonAddress, PersonName, Relationship
from safehub.people.names import name_key

MAX_RESULTS = 25  # the best few; more means the search needs narrowing


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: date | None = None
    age: int | None = None  # approximate, in whole years
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        """An age alone finds nobody in particular: it narrows a name or a postcode."""
        return not (
            name_key(self.name)
            or self.date_of_birth
            or self.nhs_number
            or self.upn
            or self.postcode
        )

    def for_audit(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v is not None and v != ""}

    def as_query(self) -> Query:
        return Query(
            name=self.name,
            date_of_birth=self.date_of_birth,
            age=self.age,
            postcode=self.postcode,
            nhs_number=self.nhs_number,
            upn=self.upn,
        )


@dataclass
class SearchResult:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    address: Place | None = None  # where they live now
    strong: bool = False  # identifiers, or the whole name with a date of birth or postcode


def person_search(*, actor: User, criteria: SearchCriteria) -> list[SearchResult]:
    """Ranked people matching any of the criteria, each with the reasons it matched, from
    the candidate engine the MASH's suggested records use too. Only people the actor may
    see are considered; restricted records appear only to their allow-list. One audit row
    records the search and whom it returned."""
    if not can_search_people(actor):
        raise PermissionDeniedError()
    if criteria.is_empty():
        return []
    scope = visible_persons(actor, Person.objects.all(), for_search=True)
    results = [
        SearchResult(c.person, c.score, c.reasons, c.address, c.strong)
        for c in find_candidates(scope=scope, query=criteria.as_query(), limit=MAX_RESULTS)
    ]
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        subject_ids=[r.person.pk for r in results],
        object_type="people.Person",
        detail={"criteria": criteria.for_audit(), "results": len(results)},
    )
    return results


@dataclass(frozen=True)
class InvolvementRow:
    """Who is involved with the person, as the page lists them."""

    kind: str
    start_date: date
    worker: str | None
    job_title: str
    team: str | None
    agency: str | None

    @property
    def kind_label(self) -> str:
        return InvolvementKind(self.kind).label


WITHHELD_NAME = "A person you cannot see"


@dataclass(frozen=True)
class Relative:
    """A relationship as the person page and the export show it. `person_id`, `name` and
    `born` describe the relative only if the reader may see them (the policy's
    `Disclosure.SHOWN`); otherwise they are None, WITHHELD_NAME and None, so a name the
    reader may not see never reaches a template."""

    relationship_id: int
    type: str  # this person is <type> of the relative
    has_parental_responsibility: bool
    start_date: date | None
    end_date: date | None
    person_id: int | None
    name: str
    born: date | None

    @property
    def shown(self) -> bool:
        return self.person_id is not None


@dataclass(frozen=True)
class HouseholdMember:
    person_id: int | None
    name: str
    born: date | None

    @property
    def shown(self) -> bool:
        return self.person_id is not None


@dataclass
class PersonProfile:
    person: Person
    current_name: PersonName | None
    other_names: list[PersonName]
    addresses: list[PersonAddress]
    relationships: list[Relative]
    involvements: list[InvolvementRow]
    household: list[HouseholdMember]
    # Whose restricted partner entries on this timeline the reader sees whole, weighed by
    # the policy from the open involvements read for the page.
    restricted_entries: RestrictedEntryScope


# Each list reads only the columns the person page and the export show, so a relative or a
# worker is not loaded whole (a user row carries its password hash and permissions flags).
_OTHER_PERSON = (
    "other__given_name",
    "other__family_name",
    "other__date_of_birth",
    "other__expected_date_of_birth",
    "other__is_restricted",
)
_HOUSEHOLD_MEMBER = (
    "person__given_name",
    "person__family_name",
    "person__date_of_birth",
    "person__is_restricted",
)
_INVOLVEMENT_COLUMNS = (
    "user_id",  # with the team's, for the policy's restricted-entry scope, not shown
    "team_id",
    "kind",
    "start_date",
    "user__username",
    "user__first_name",
    "user__last_name",
    "user__job_title",
    "team__name",
    "team__agency__name",
    "agency__name",
)


def _names(person: Any) -> QuerySet[PersonName]:
    return PersonName.objects.filter(person=person).order_by("kind", "-created_at")


def _addresses(person: Any) -> QuerySet[PersonAddress]:
    return (
        PersonAddress.objects.filter(person=person)
        .select_related("address")
        .order_by("end_date", "-start_date")
    )


def _relationships(person: Any) -> QuerySet[Relationship]:
    return (
        Relationship.objects.filter(subject=person)
        .select_related("other")
        .only(
            "subject_id",
            "other_id",
            "type",
            "has_parental_responsibility",
            "start_date",
            "end_date",
            *_OTHER_PERSON,
        )
        .order_by("end_date", "type", "other__date_of_birth")
    )


def _housemates(household: Any, person: Any) -> QuerySet[PersonAddress]:
    """The others living at the household now, youngest last."""
    return (
        PersonAddress.objects.filter(household_id=household, end_date__isnull=True)
        .exclude(person=person)
        .select_related("person")
        .only("person_id", *_HOUSEHOLD_MEMBER)
        .order_by("person__date_of_birth")
    )


def person_profile(*, actor: User, person: Person) -> PersonProfile:
    """Everything the person page shows about `person` beyond the chronology, in a fixed
    number of queries. The caller has already passed `access_person` for `person`; every
    other person the profile names (relatives, the household) is shown as the policy's
    `disclosures` says for `actor`."""
    involvements = _involvements(person)
    # The page's own reads, compiled once and run with the person's key (ADR 0063); who else
    # they name is decided below, by the policy, as before.
    names = fixed_read("people.profile.names", _names, person.pk)
    addresses = fixed_read("people.profile.addresses", _addresses, person.pk)
    relationships = fixed_read("people.profile.relationships", _relationships, person.pk)
    current = next((n for n in names if n.kind == NameKind.CURRENT), None)
    household_id = next(
        (a.household_id for a in addresses if a.end_date is None and a.household_id), None
    )
    housemates = (
        [
            row.person
            for row in fixed_read("people.profile.housemates", _housemates, household_id, person.pk)
        ]
        if household_id
        else []
    )
    shown = disclosures(actor, [r.other for r in relationships] + housemates)
    return PersonProfile(
        person=person,
        current_name=current,
        other_names=[n for n in names if n.kind != NameKind.CURRENT],
        addresses=addresses,
        relationships=[
            _relative(r, shown[r.other_id])
            for r in relationships
            if shown[r.other_id] is not Disclosure.OMITTED
        ],
        involvements=[row for row, _ in involvements],
        household=[
            _housemate(p, shown[p.pk]) for p in housemates if shown[p.pk] is not Disclosure.OMITTED
        ],
        restricted_entries=restricted_entry_scope(
            actor, [person], open_involvements={person.pk: [i for _, i in involvements]}
        ),
    )


def _relative(row: Relationship, shown: Disclosure) -> Relative:
    other, visible = row.other, shown is Disclosure.SHOWN
    return Relative(
        relationship_id=row.pk,
        type=row.type,
        has_parental_responsibility=row.has_parental_responsibility,
        start_date=row.start_date,
        end_date=row.end_date,
        person_id=other.pk if visible else None,
        name=other.full_name if visible else WITHHELD_NAME,
        born=(other.date_of_birth or other.expected_date_of_birth) if visible else None,
    )


def _housemate(person: Person, shown: Disclosure) -> HouseholdMember:
    visible = shown is Disclosure.SHOWN
    return HouseholdMember(
        person_id=person.pk if visible else None,
        name=person.full_name if visible else WITHHELD_NAME,
        born=person.date_of_birth if visible else None,
    )


def _involvements(person: Person) -> list[tuple[InvolvementRow, OpenInvolvement]]:
    """Every open involvement of the person: as the page lists it, and as the policy weighs
    it."""
    rows = (
        Involvement.objects.filter(person=person, end_date__isnull=True)
        .order_by("kind")
        .values_list(*_INVOLVEMENT_COLUMNS)
    )
    out = []
    for user_id, team_id, kind, start, username, first, last, job, team, agency_of, agency in rows:
        shown = InvolvementRow(
            kind=kind,
            start_date=start,
            worker=staff_name(first, last, username) if username else None,
            job_title=job or "",
            team=team_label(team, agency_of) if team else None,
            agency=agency,
        )
        out.append((shown, (kind, user_id, team_id)))
    return out


def person_age(person: Person, today: date | None = None) -> int | None:
    if not person.date_of_birth:
        return None
    today = today or timezone.localdate()
    born = person.date_of_birth
    end = person.date_of_death or today
    return end.year - born.year - ((end.month, end.day) < (born.month, born.day))


# --- The child's school (ADR 0033) ---------------------------------------------------------


def school_choices() -> list[tuple[str, str]]:
    """The schools SafeHub knows, for the person form: id and "name (URN)"."""
    schools = Agency.objects.filter(kind=AgencyKind.SCHOOL).order_by("name", "pk")
    return [(str(a.pk), f"{a.name} (URN {a.urn})" if a.urn else a.name) for a in schools]


def school_name_key(name: str) -> str:
    """A school's name as compared when a record's school, written as text before schools
    were referenced, is mapped to the school agency: case, spacing and punctuation ignored,
    "&" read as "and". Nothing looser: a near miss stays unmatched for a person to settle."""
    text = name.casefold().replace("&", " and ")
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def school_agencies_by_key(schools: Iterable[tuple[int, str]]) -> dict[str, int]:
    """School agency ids by `school_name_key` of their names (id, name pairs); a key two
    schools share maps to neither."""
    found: dict[str, set[int]] = {}
    for pk, name in schools:
        found.setdefault(school_name_key(name), set()).add(pk)
    return {key: next(iter(ids)) for key, ids in found.items() if len(ids) == 1}


@dataclass(frozen=True)
class UnmatchedSchool:
    name: str
    people: int


def schools_unmatched() -> list[UnmatchedSchool]:
    """Schools named on records that name no school agency: each name once, with how many
    records name it, most first (for `manage.py schools_unmatched`; no person is named)."""
    rows = (
        Person.objects.filter(school_agency__isnull=True)
        .exclude(school="")
        .values("school")
        .annotate(people=Count("pk"))
        .order_by("-people", "school")
    )
    return [UnmatchedSchool(r["school"], r["people"]) for r in rows]
