"""Reads of people that pages and the API share. Every selector takes the actor and applies
the access policy's scope; single records come through `people.fetchers.access_person`."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from django.db.models import Q
from django.utils import timezone
from rapidfuzz import fuzz

from safehub.access.models import Involvement, InvolvementKind
from safehub.access.policy import Disclosure, disclosures, visible_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.core.exceptions import PermissionDeniedError
from safehub.organisations.models import User, staff_name, team_label
from safehub.people.codes import NameKind
from safehub.people.models import Person, PersonAddress, PersonName, Relationship
from safehub.people.names import name_key, name_sound

MAX_RESULTS = 25  # the best few; more means the search needs narrowing
MAX_CANDIDATES = 300  # rows read per search branch
PRE_RANKED = 50  # people loaded in full for the final ranking


@dataclass(frozen=True)
class SearchCriteria:
    name: str = ""
    date_of_birth: date | None = None
    nhs_number: str = ""
    upn: str = ""
    postcode: str = ""

    def is_empty(self) -> bool:
        return not (
            name_key(self.name)
            or self.date_of_birth
            or self.nhs_number
            or self.upn
            or self.postcode
        )

    def for_audit(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v}


class _Place(NamedTuple):
    town: str
    postcode: str


class _Lived(NamedTuple):
    place: _Place
    end_date: date | None


@dataclass
class SearchResult:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    address: _Place | None = None  # where they live now


def _name_tokens(name: str) -> list[str]:
    return [t for t in (name_key(part) for part in name.replace(",", " ").split()) if t]


def _given_match(token: str) -> Q:
    """A first name that starts with the token, sounds like it, or (typed in full) shares
    its first two letters."""
    condition = Q(given_key__startswith=token) | Q(given_sound=name_sound(token))
    if len(token) >= 4:
        condition |= Q(given_key__startswith=token[:2])
    return condition


def _name_branches(tokens: list[str]) -> list[Q]:
    """Simple conditions, each served by one index, whose union is the candidate set.

    One token: a last name starting with it or sounding like it, or an exact first name.
    Two or more: any token may be the last name and another a first name. The last name
    is found by its first two letters (so a misspelling after them, "Smiht", is still
    found) or by its sound ("Jonson"); the first name narrows it.
    """
    if len(tokens) == 1:
        token = tokens[0]
        return [
            Q(family_key__startswith=token),
            Q(family_sound=name_sound(token)),
            Q(given_key=token),
        ]
    branches = []
    for i, family in enumerate(tokens):
        for j, given in enumerate(tokens):
            if i == j:
                continue
            narrow = family[:2] if len(family) >= 4 else family
            # Exact last names first, so a common one is never crowded out by near misses.
            branches.append(Q(family_key=family) & _given_match(given))
            branches.append(Q(family_key__startswith=narrow) & _given_match(given))
            branches.append(Q(family_sound=name_sound(family)) & _given_match(given))
    return branches


class _NameRow(NamedTuple):
    person_id: int
    kind: str
    given_name: str
    family_name: str
    given_key: str
    family_key: str
    given_sound: str
    family_sound: str
    date_of_birth: date | None


_SPELLING = ("kind", "given_key", "family_key", "given_sound", "family_sound")


def _spelling_score(spelling: tuple[str, ...], typed: list[tuple[str, str]]) -> float:
    kind, given_key, family_key, given_sound, family_sound = spelling
    return _compare_name(
        _NameRow(0, kind, "", "", given_key, family_key, given_sound, family_sound, None), typed
    )[0]


def _name_candidates(tokens: list[str], scope: Any, criteria: SearchCriteria) -> set[int]:
    """The people worth loading: the union of the branches (each a small indexed query,
    capped on its own so no broad branch crowds out the others), pre-ranked on the matched
    name and date of birth alone so only the best few are loaded in full."""
    typed = [(t, name_sound(t)) for t in tokens]
    born = criteria.date_of_birth
    best: dict[int, float] = {}
    # Common names come back hundreds of times; each distinct spelling is compared once.
    # Only what the score depends on is read: the kind of name, its keys and sounds.
    scores: dict[tuple[str, ...], float] = {}
    for branch in _name_branches(tokens):
        rows = PersonName.objects.filter(branch, person__in=scope).values_list(
            "person_id", *_SPELLING, "person__date_of_birth"
        )[:MAX_CANDIDATES]
        for person_id, *spelling_list, date_of_birth in rows:
            spelling = tuple(spelling_list)
            score = scores.get(spelling)
            if score is None:
                score = scores[spelling] = _spelling_score(spelling, typed)
            if born and date_of_birth == born:
                score += 40
            if score > best.get(person_id, -1.0):
                best[person_id] = score
    ranked = sorted(best, key=lambda pid: -best[pid])
    return set(ranked[:PRE_RANKED])


def person_search(*, actor: User, criteria: SearchCriteria) -> list[SearchResult]:
    """Ranked people matching any of the criteria, each with the reasons it matched. Only
    people the actor may see are considered; restricted records appear only to their
    allow-list. One audit row records the search and whom it returned."""
    from safehub.access.policy import can_search_people

    if not can_search_people(actor):
        raise PermissionDeniedError()
    if criteria.is_empty():
        return []
    tokens = _name_tokens(criteria.name)
    scope = visible_persons(actor, Person.objects.all(), for_search=True)
    candidate_ids: set[int] = set()
    if tokens:
        candidate_ids |= _name_candidates(tokens, scope, criteria)
    exact = Q()
    if criteria.nhs_number:
        exact |= Q(nhs_number=criteria.nhs_number)
    if criteria.upn:
        exact |= Q(upn=criteria.upn)
    if criteria.date_of_birth and not tokens:
        exact |= Q(date_of_birth=criteria.date_of_birth)
    if criteria.postcode and not tokens:
        exact |= Q(addresses__address__postcode=criteria.postcode)
    if exact:
        candidate_ids |= set(scope.filter(exact).values_list("pk", flat=True)[:MAX_CANDIDATES])
    results = _rank(_load_candidates(candidate_ids), criteria, [(t, name_sound(t)) for t in tokens])
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        subject_ids=[r.person.pk for r in results],
        object_type="people.Person",
        detail={"criteria": criteria.for_audit(), "results": len(results)},
    )
    return results


@dataclass(frozen=True)
class _Candidate:
    person: Person
    names: list[_NameRow]
    lived: list[_Lived]  # newest first


def _load_candidates(ids: set[int]) -> list[_Candidate]:
    """The candidates with their names and addresses, newest first: three plain queries
    grouped here, which for fifty people costs a fraction of what building a prefetched
    queryset for each of them does."""
    if not ids:
        return []
    people = list(Person.objects.filter(pk__in=ids))
    names: dict[int, list[_NameRow]] = {p.pk: [] for p in people}
    for row in (
        PersonName.objects.filter(person_id__in=ids)
        .order_by("kind")
        .values_list(*_NameRow._fields[:-1], "person__date_of_birth")
    ):
        names[row[0]].append(_NameRow._make(row))
    lived: dict[int, list[_Lived]] = {p.pk: [] for p in people}
    for person_id, end, town, postcode in (
        PersonAddress.objects.filter(person_id__in=ids)
        .order_by("-start_date")
        .values_list("person_id", "end_date", "address__town", "address__postcode")
    ):
        lived[person_id].append(_Lived(_Place(town, postcode), end))
    return [_Candidate(p, names[p.pk], lived[p.pk]) for p in people]


def _rank(
    candidates: list[_Candidate], criteria: SearchCriteria, tokens: list[tuple[str, str]]
) -> list[SearchResult]:
    results = []
    for candidate in candidates:
        result = SearchResult(person=candidate.person, score=0.0)
        _score_identifiers(result, criteria)
        if tokens:
            _score_names(result, candidate.names, tokens)
        _score_address(result, candidate.lived, criteria)
        if result.score > 0:
            results.append(result)
    results.sort(key=lambda r: (-r.score, r.person.family_name, r.person.given_name))
    return results[:MAX_RESULTS]


def _score_identifiers(result: SearchResult, criteria: SearchCriteria) -> None:
    person = result.person
    if criteria.nhs_number and person.nhs_number == criteria.nhs_number:
        result.score += 100
        result.reasons.append("NHS number matches")
    if criteria.upn and person.upn == criteria.upn:
        result.score += 100
        result.reasons.append("UPN matches")
    if criteria.date_of_birth and person.date_of_birth:
        if person.date_of_birth == criteria.date_of_birth:
            result.score += 40
            result.reasons.append("Date of birth matches")
        elif person.date_of_birth.year == criteria.date_of_birth.year:
            result.score += 8
            result.reasons.append("Born the same year")


def _score_names(
    result: SearchResult, names: list[_NameRow], tokens: list[tuple[str, str]]
) -> None:
    """The best-matching of the person's names, compared token by token."""
    best, best_reasons = 0.0, []
    for name in names:
        score, reasons = _compare_name(name, tokens)
        if score > best:
            best, best_reasons = score, reasons
    result.score += best
    result.reasons.extend(best_reasons)


def _compare_name(name: _NameRow, tokens: list[tuple[str, str]]) -> tuple[float, list[str]]:
    parts = {
        "last name": (name.family_key, name.family_sound),
        "first name": (name.given_key, name.given_sound),
    }
    score, reasons, used = 0.0, [], set()
    for token in tokens:
        best = (0.0, "", "")
        for label, value in parts.items():
            if label in used or not value[0]:
                continue
            candidate = _similarity(token, value)
            if candidate[0] > best[0]:
                best = (candidate[0], label, candidate[1])
        if best[0] > 0:
            used.add(best[1])
            score += best[0]
            reasons.append(f"{best[1].capitalize()} {best[2]}")
    if score and name.kind != NameKind.CURRENT:
        score *= 0.9
        label = "also known as" if name.kind == NameKind.ALIAS else "former name"
        reasons.append(f"Matched {label} {name.given_name} {name.family_name}")
    return score, reasons


def _similarity(token: tuple[str, str], value: tuple[str, str]) -> tuple[float, str]:
    """(key, sound) of what was typed against (key, sound) of a stored name."""
    (typed, typed_sound), (stored, stored_sound) = token, value
    if typed == stored:
        return 30.0, "matches exactly"
    if stored.startswith(typed):
        return 22.0, f"starts with “{typed}”"
    if typed_sound and typed_sound == stored_sound:
        return 20.0, "sounds the same"
    ratio = fuzz.ratio(typed, stored)
    if ratio >= 70:
        return ratio / 5, "is spelt similarly"
    return 0.0, ""


def _score_address(result: SearchResult, addresses: list[_Lived], criteria: SearchCriteria) -> None:
    result.address = next((a.place for a in addresses if a.end_date is None), None)
    if not criteria.postcode:
        return
    for row in addresses:
        if row.place.postcode == criteria.postcode:
            current = row.end_date is None
            result.score += 25 if current else 12
            result.reasons.append(
                "Lives at this postcode" if current else "Used to live at this postcode"
            )
            return


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


def person_profile(*, actor: User, person: Person) -> PersonProfile:
    """Everything the person page shows about `person` beyond the chronology, in a fixed
    number of queries. The caller has already passed `access_person` for `person`; every
    other person the profile names (relatives, the household) is shown as the policy's
    `disclosures` says for `actor`."""
    names = list(person.names.all().order_by("kind", "-created_at"))
    addresses = list(
        PersonAddress.objects.filter(person=person)
        .select_related("address")
        .order_by("end_date", "-start_date")
    )
    relationships = list(
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
    current = next((n for n in names if n.kind == NameKind.CURRENT), None)
    household_id = next(
        (a.household_id for a in addresses if a.end_date is None and a.household_id), None
    )
    housemates = (
        [
            row.person
            for row in PersonAddress.objects.filter(
                household_id=household_id, end_date__isnull=True
            )
            .exclude(person=person)
            .select_related("person")
            .only("person_id", *_HOUSEHOLD_MEMBER)
            .order_by("person__date_of_birth")
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
        involvements=_involvements(person),
        household=[
            _housemate(p, shown[p.pk]) for p in housemates if shown[p.pk] is not Disclosure.OMITTED
        ],
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


def _involvements(person: Person) -> list[InvolvementRow]:
    rows = (
        Involvement.objects.filter(person=person, end_date__isnull=True)
        .order_by("kind")
        .values_list(*_INVOLVEMENT_COLUMNS)
    )
    return [
        InvolvementRow(
            kind=kind,
            start_date=start,
            worker=staff_name(first, last, username) if username else None,
            job_title=job_title or "",
            team=team_label(team, team_agency) if team else None,
            agency=agency,
        )
        for kind, start, username, first, last, job_title, team, team_agency, agency in rows
    ]


def person_age(person: Person, today: date | None = None) -> int | None:
    if not person.date_of_birth:
        return None
    today = today or timezone.localdate()
    born = person.date_of_birth
    end = person.date_of_death or today
    return end.year - born.year - ((end.month, end.day) < (born.month, born.day))
