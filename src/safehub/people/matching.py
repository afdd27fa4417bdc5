"""Suggest existing records for a person named in a contact, with the reasons for each.

Matching only suggests: a worker confirms a link, nothing is merged automatically. It must
survive what referrers really type: misspellings, first and last names swapped, nicknames
("Bill" for William), a surname changed since the record was made, no date of birth.
Candidates come from small indexed queries; scoring then weighs name, date of birth and
address together.
"""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from django.db.models import Q
from nicknames import NickNamer
from rapidfuzz import fuzz

from safehub.access.policy import visible_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_record
from safehub.people.models import Person, PersonAddress, PersonName
from safehub.people.names import name_key, name_sound

MAX_ROWS = 200  # per candidate query
SHOWN = 5  # candidates offered to the worker
MIN_SCORE = 40  # below this a record is not worth a worker's time


@dataclass
class MatchCandidate:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Described:
    """A person as a referrer described them."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    postcode: str = ""


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def given_variants(given: str) -> frozenset[str]:
    """The name itself, its nicknames and the names it is short for ("bill" -> william,
    billy, will ...). Keys only, lower case."""
    key = name_key(given)
    if not key:
        return frozenset()
    namer = _nicknamer()
    variants = {key} | namer.nicknames_of(key) | namer.canonicals_of(key)
    for canonical in namer.canonicals_of(key):
        variants |= namer.nicknames_of(canonical)
    return frozenset(name_key(v) for v in variants if name_key(v))


def match_candidates(*, actor: Any, described: Described, purpose: str = "",
                     limit: int = SHOWN) -> list[MatchCandidate]:
    """The best few people `actor` may see who could be the person described, best first.
    One audit row records the search and whom it suggested."""
    scope = visible_persons(actor, Person.objects.all(), for_search=True)
    ids = _candidate_ids(scope, described)
    people = _load(ids)
    ranked = sorted((c for c in (_score(p, described) for p in people) if c.score >= MIN_SCORE),
                    key=lambda c: (-c.score, c.person.pk))[:limit]
    audit_record(actor=actor, action=AuditAction.SEARCH,
                 subject_ids=[c.person.pk for c in ranked], object_type="people.Person",
                 detail={"purpose": purpose or "match", "results": len(ranked)})
    return ranked


def _candidate_ids(scope: Any, d: Described) -> set[int]:
    given, family = name_key(d.given_name), name_key(d.family_name)
    names = set(given_variants(d.given_name)) if given else set()
    branches: list[Q] = []
    for first, last in ((given, family), (family, given)):  # as typed, and swapped
        if not last:
            continue
        by_last = Q(family_key=last) | Q(family_sound=name_sound(last))
        if len(last) >= 4:
            by_last |= Q(family_key__startswith=last[:3])
        if first:
            firsts = given_variants(first) if first == given else {first}
            by_first = Q(given_key__in=firsts) | Q(given_sound=name_sound(first))
            by_first |= Q(given_key__startswith=first[:2])
            branches.append(by_last & by_first)
        else:
            branches.append(by_last)
    ids: set[int] = set()
    for branch in branches:
        ids |= set(PersonName.objects.filter(branch, person__in=scope)
                   .values_list("person_id", flat=True)[:MAX_ROWS])
    # A changed or misheard surname: the first name with the date of birth or the postcode.
    if names and d.date_of_birth:
        ids |= set(scope.filter(date_of_birth=d.date_of_birth)
                   .values_list("pk", flat=True)[:MAX_ROWS])
    if names and d.postcode:
        ids |= set(PersonName.objects.filter(
            given_key__in=names, person__in=scope,
            person__addresses__address__postcode=d.postcode,
        ).values_list("person_id", flat=True)[:MAX_ROWS])
    if not names and d.date_of_birth and family:
        ids |= set(scope.filter(date_of_birth=d.date_of_birth)
                   .values_list("pk", flat=True)[:MAX_ROWS])
    return ids


def _load(ids: set[int]) -> list[Person]:
    if not ids:
        return []
    from django.db.models import Prefetch

    return list(Person.objects.filter(pk__in=ids).prefetch_related(
        "names", Prefetch("addresses", queryset=PersonAddress.objects.select_related(
            "address"))))


def _score(person: Person, d: Described) -> MatchCandidate:
    candidate = MatchCandidate(person=person, score=0.0)
    _score_name(candidate, d)
    _score_birth(candidate, d)
    _score_postcode(candidate, d)
    return candidate


def _part(typed: str, stored: str, *, given: bool) -> tuple[float, str]:
    typed_key, stored_key = name_key(typed), stored
    if not typed_key or not stored_key:
        return 0.0, ""
    if typed_key == stored_key:
        return 30.0, "matches"
    if given and stored_key in given_variants(typed):
        return 25.0, f"is a known form of “{typed}”"
    if name_sound(typed_key) == name_sound(stored_key):
        return 22.0, "sounds the same"
    ratio = fuzz.ratio(typed_key, stored_key)
    if ratio >= 75:
        return ratio / 4.5, "is spelt similarly"
    if stored_key.startswith(typed_key) and len(typed_key) >= 2:
        return 15.0, f"starts with “{typed_key}”"
    return 0.0, ""


def _score_name(candidate: MatchCandidate, d: Described) -> None:
    best: tuple[float, list[str]] = (0.0, [])
    for name in candidate.person.names.all():
        for swapped in (False, True):
            first, last = ((d.family_name, d.given_name) if swapped
                           else (d.given_name, d.family_name))
            g_score, g_why = _part(first, name.given_key, given=True)
            f_score, f_why = _part(last, name.family_key, given=False)
            score = g_score + f_score - (4 if swapped else 0)
            reasons = []
            if g_why:
                reasons.append(f"First name {name.given_name} {g_why}")
            if f_why:
                reasons.append(f"Last name {name.family_name} {f_why}")
            if swapped and score > 0:
                reasons.append("Names entered the other way round")
            if name.kind != "current" and score > 0:
                score *= 0.95
                reasons.append(f"Matched a former name or alias: {name.given_name} "
                               f"{name.family_name}")
            if score > best[0]:
                best = (score, reasons)
    candidate.score += best[0]
    candidate.reasons.extend(best[1])


def _score_birth(candidate: MatchCandidate, d: Described) -> None:
    born, told = candidate.person.date_of_birth, d.date_of_birth
    if not born or not told:
        return
    if born == told:
        candidate.score += 40
        candidate.reasons.append("Date of birth matches")
    elif (born.day, born.month, born.year) == (told.month, told.day, told.year):
        candidate.score += 20
        candidate.reasons.append("Date of birth matches with day and month swapped")
    elif abs((born - told).days) <= 31:
        candidate.score += 10
        candidate.reasons.append("Date of birth within a month")
    elif born.year != told.year:
        candidate.score -= 25
        candidate.reasons.append("Date of birth differs")


def _score_postcode(candidate: MatchCandidate, d: Described) -> None:
    if not d.postcode:
        return
    for row in candidate.person.addresses.all():
        if row.address.postcode == d.postcode:
            current = row.end_date is None
            candidate.score += 20 if current else 10
            candidate.reasons.append("Lives at this postcode" if current
                                     else "Used to live at this postcode")
            return
