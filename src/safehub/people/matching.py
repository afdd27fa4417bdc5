"""Suggest existing records for a person named in a contact, with the reasons for each.

Matching only suggests: a worker confirms a link, nothing is merged automatically. It must
survive what referrers really type: misspellings, first and last names swapped, nicknames
("Bill" for William), a surname changed since the record was made, no date of birth.
Candidates come from small indexed queries; scoring then weighs name, date of birth and
address together, on plain rows, and only the few shown are loaded as records.

Benchmarked by bench/matching.py (recall of the right record within the first three shown,
per kind of mistake, and how often someone on no record is offered a false candidate).
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
from safehub.organisations.models import User
from safehub.people.models import Person, PersonAddress, PersonName
from safehub.people.names import name_key, name_sound

MAX_ROWS = 200  # per candidate query
MAX_EXACT = 1000  # exact-name rows: a very common name must not push the right one out
SHOWN = 5  # candidates offered to the worker
MIN_SCORE = 40  # below this a record is not worth a worker's time
# Far below the best is noise beside it (the brothers and sisters at the same postcode).
SHOWN_WITHIN = 25
# A postcode unit is a handful of households, so living there says more than a shared
# surname; a postcode typed but not on the record counts a little against.
POSTCODE_CURRENT, POSTCODE_FORMER, POSTCODE_ELSEWHERE = 28, 12, -5
# A different first name counts against (surnames change; first names rarely do), so a
# shared surname and birthday do not outrank the same first name and birthday.
GIVEN_DIFFERS = -8


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


def match_candidates(
    *, actor: User, described: Described, purpose: str = "", limit: int = SHOWN
) -> list[MatchCandidate]:
    """The best few people `actor` may see who could be the person described, best first.
    One audit row records the search and whom it suggested."""
    scope = visible_persons(actor, Person.objects.all(), for_search=True)
    typed = _Typed.of(described)
    # Names and birth first; addresses are read only for those a postcode could still
    # lift to MIN_SCORE (a common name brings hundreds of candidates, few of them close).
    on_names = [(row, _score(row, typed)) for row in _rows(_candidate_ids(scope, described))]
    hopeful = [(row, s) for row, s in on_names if s and s.score + POSTCODE_CURRENT >= MIN_SCORE]
    if typed.postcode:
        _add_postcodes([row for row, _ in hopeful])
        for row, s in hopeful:
            _score_postcode(s, row.postcodes, typed.postcode)
    scored = [s for _, s in hopeful if s.score >= MIN_SCORE]
    best = sorted(scored, key=lambda s: (-s.score, s.pk))[:limit]
    best = [s for s in best if s.score >= best[0].score - SHOWN_WITHIN]
    people = Person.objects.in_bulk([s.pk for s in best])
    ranked = [
        MatchCandidate(person=people[s.pk], score=s.score, reasons=s.reasons)
        for s in best
        if s.pk in people
    ]
    audit_record(
        actor=actor,
        action=AuditAction.SEARCH,
        subject_ids=[c.person.pk for c in ranked],
        object_type="people.Person",
        detail={"purpose": purpose or "match", "results": len(ranked)},
    )
    return ranked


# --- finding candidates -----------------------------------------------------------------------


def _candidate_ids(scope: Any, d: Described) -> set[int]:
    """Everyone worth scoring, narrowed to `scope` once at the end (each lookup stays a
    plain index read; a scope subquery in each costs SQLite a scan of every person)."""
    given, family = name_key(d.given_name), name_key(d.family_name)
    ids: set[int] = set()
    for first, last in ((given, family), (family, given)):  # as typed, and swapped
        if not last:
            continue
        firsts = (given_variants(first) if first == given else {first}) if first else set()
        # Exact names in full first: the sound and prefix rows below are capped, and a
        # common name must not crowd out the record that matches exactly.
        exact = Q(family_key=last) & Q(given_key__in=firsts) if firsts else Q(family_key=last)
        ids |= _names(exact, MAX_EXACT)
        near = Q(family_key=last) | Q(family_sound=name_sound(last))
        if len(last) >= 4:
            near |= _starts("family_key", last[:3])
        if first:
            near &= (
                Q(given_key__in=firsts)
                | Q(given_sound=name_sound(first))
                | _starts("given_key", first[:2])
            )
        ids |= _names(near, MAX_ROWS)
    # A changed or misheard surname (or a misspelt first letter): everyone born that day,
    # and everyone who lives or lived at the postcode (a handful of households); scoring
    # then keeps only those whose names agree in part.
    if d.date_of_birth and (given or family):
        ids |= set(
            Person.objects.filter(date_of_birth=d.date_of_birth).values_list("pk", flat=True)[
                :MAX_ROWS
            ]
        )
    if d.postcode and (given or family):
        ids |= set(
            PersonAddress.objects.filter(address__postcode=d.postcode).values_list(
                "person_id", flat=True
            )[:MAX_ROWS]
        )
    return set(scope.filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()


def _names(condition: Q, cap: int) -> set[int]:
    return set(PersonName.objects.filter(condition).values_list("person_id", flat=True)[:cap])


def _starts(field: str, prefix: str) -> Q:
    """Keys are a-z only, so a prefix is a range: unlike LIKE, which SQLite compares
    without case and so cannot read from an index, a range is an index read everywhere."""
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": following})


@dataclass
class _Row:
    """What scoring needs to know about one candidate, as plain values."""

    pk: int
    born: date | None
    # (kind, given name, family name, given key, family key, given sound, family sound)
    names: list[tuple[str, ...]] = field(default_factory=list)
    postcodes: list[tuple[str, bool]] = field(default_factory=list)  # (postcode, current)


def _rows(ids: set[int]) -> list[_Row]:
    if not ids:
        return []
    rows: dict[int, _Row] = {}
    for pk, born, *name in PersonName.objects.filter(person_id__in=ids).values_list(
        "person_id",
        "person__date_of_birth",
        "kind",
        "given_name",
        "family_name",
        "given_key",
        "family_key",
        "given_sound",
        "family_sound",
    ):
        rows.setdefault(pk, _Row(pk, born)).names.append(tuple(name))
    return list(rows.values())


def _add_postcodes(rows: list[_Row]) -> None:
    """Every postcode each person lives or lived at, with whether it is current."""
    by_pk = {row.pk: row for row in rows}
    if not by_pk:
        return
    for pk, postcode, ended in PersonAddress.objects.filter(person_id__in=by_pk).values_list(
        "person_id", "address__postcode", "end_date"
    ):
        by_pk[pk].postcodes.append((postcode, ended is None))


# --- scoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    """One typed name part, with its key and sound worked out once per search."""

    typed: str
    key: str
    sound: str

    @classmethod
    def of(cls, typed: str) -> "_Name":
        key = name_key(typed)
        return cls(typed, key, name_sound(key) if key else "")


@dataclass(frozen=True)
class _Typed:
    given: _Name
    family: _Name
    born: date | None
    postcode: str

    @classmethod
    def of(cls, d: Described) -> "_Typed":
        return cls(_Name.of(d.given_name), _Name.of(d.family_name), d.date_of_birth, d.postcode)


@dataclass
class _Scored:
    pk: int
    score: float
    reasons: list[str]


def _score(row: _Row, typed: _Typed) -> _Scored | None:
    """On names and date of birth (the postcode is scored after, for the few it could
    matter to). None if no part of any of the person's names agrees: a shared birthday or
    street alone is not a reason to suggest someone."""
    scored = _score_name(row, typed)
    if scored.score <= 0:
        return None
    _score_birth(scored, row.born, typed.born)
    return scored


def _part(typed: _Name, stored_key: str, stored_sound: str, *, given: bool) -> tuple[float, str]:
    if not typed.key or not stored_key:
        return 0.0, ""
    if typed.key == stored_key:
        return 30.0, "matches"
    if given and stored_key in given_variants(typed.typed):
        return 25.0, f"is a known form of “{typed.typed}”"
    if typed.sound == stored_sound:
        return 22.0, "sounds the same"
    ratio = fuzz.ratio(typed.key, stored_key)
    if ratio >= 75:
        return ratio / 4.5, "is spelt similarly"
    if stored_key.startswith(typed.key) and len(typed.key) >= 2:
        return 15.0, f"starts with “{typed.key}”"
    return 0.0, ""


def _score_name(row: _Row, typed: _Typed) -> _Scored:
    best = _Scored(row.pk, 0.0, [])
    for kind, given, family, given_key, family_key, given_sound, family_sound in row.names:
        for swapped in (False, True):
            first, last = (typed.family, typed.given) if swapped else (typed.given, typed.family)
            g_score, g_why = _part(first, given_key, given_sound, given=True)
            f_score, f_why = _part(last, family_key, family_sound, given=False)
            score = g_score + f_score - (4 if swapped else 0)
            if first.key and not g_score:
                score += GIVEN_DIFFERS
            if score <= best.score:
                continue
            reasons = []
            if g_why:
                reasons.append(f"First name {given} {g_why}")
            if f_why:
                reasons.append(f"Last name {family} {f_why}")
            if last.key and not f_score:
                reasons.append(f"Last name {family} differs")
            if swapped:
                reasons.append("Names entered the other way round")
            if kind != "current":
                score *= 0.95
                reasons.append(f"Matched a former name or alias: {given} {family}")
            if score > best.score:
                best = _Scored(row.pk, score, reasons)
    return best


def _score_birth(scored: _Scored, born: date | None, told: date | None) -> None:
    if not born or not told:
        return
    if born == told:
        scored.score += 40
        scored.reasons.append("Date of birth matches")
    elif (born.day, born.month, born.year) == (told.month, told.day, told.year):
        scored.score += 20
        scored.reasons.append("Date of birth matches with day and month swapped")
    elif abs((born - told).days) <= 31:
        scored.score += 10
        scored.reasons.append("Date of birth within a month")
    else:
        scored.score -= 25
        scored.reasons.append("Date of birth differs")


def _score_postcode(scored: _Scored, postcodes: list[tuple[str, bool]], told: str) -> None:
    if not told:
        return
    found = [current for postcode, current in postcodes if postcode == told]
    if found:
        current = any(found)
        scored.score += POSTCODE_CURRENT if current else POSTCODE_FORMER
        scored.reasons.append(
            "Lives at this postcode" if current else "Used to live at this postcode"
        )
    elif postcodes:
        scored.score += POSTCODE_ELSEWHERE
