"""The one candidate engine behind person search and the MASH's suggested records.

Whatever the name says, a person is a candidate if they share the date of birth (also with
day and month swapped), live or lived at the postcode, or hold the NHS number or UPN; and if
any of their names (current, birth, former, alias) is one slip, a sound, a known form or
one half of a double-barrelled name away from what was typed (`people.names`). Each
source is a small indexed query, capped, inside the reader's access scope; the candidates
are then scored on plain rows, and only the best are loaded as records. Every point a
candidate scores comes with a reason a worker can read.

Search (`people.selectors.person_search`) and matching (`people.matching.match_candidates`)
differ only in how many they show and how strong a candidate must be.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from safehub.people.codes import NameKind, RelationshipType
from safehub.people.models import NameSpelling, Person, PersonAddress, PersonName, Relationship
from safehub.people.names import (
    given_variants,
    name_key,
    name_parts,
    sound_codes,
    typed_lookups,
)

MAX_ROWS = 300  # rows read per candidate query
MAX_EXACT = 1000  # names close to both parts: a common name must not push the right one out
CLOSE_KEYS = 30  # stored spellings kept for each typed name, closest first
PRE_RANKED = 50  # candidates scored in full (addresses, parents' names) and loaded
AGE_SLACK = 1  # "about 7" means 6 to 8
# A postcode unit is a handful of households, so living there says more than a shared
# surname; a postcode typed but not on the record counts a little against.
POSTCODE_CURRENT, POSTCODE_FORMER, POSTCODE_ELSEWHERE = 28, 12, -5
# A different first name counts against (surnames change; first names rarely do), so a
# shared surname and birthday do not outrank the same first name and birthday.
GIVEN_DIFFERS = -8
AGE_AGREES, AGE_DIFFERS = 15, -15
IDENTIFIER = 100
SAME_NAME = 30.0  # a name part typed exactly as stored
# The relationships that make the other person a parent or carer of the candidate.
RAISED_BY = (RelationshipType.CHILD, RelationshipType.STEP_CHILD, RelationshipType.CARED_FOR)


@dataclass(frozen=True)
class Query:
    """What a worker or a referrer knows about someone. `name` is free text in any order
    (the search box); a referral gives `given_name` and `family_name` apart."""

    name: str = ""
    given_name: str = ""
    family_name: str = ""
    date_of_birth: date | None = None
    age: int | None = None  # approximate, in whole years
    postcode: str = ""
    nhs_number: str = ""
    upn: str = ""


class Place(NamedTuple):
    town: str
    postcode: str


@dataclass
class Candidate:
    person: Person
    score: float
    reasons: list[str] = field(default_factory=list)
    # Identifiers, or every name part typed agreeing beside a date of birth or postcode.
    strong: bool = False
    address: Place | None = None  # where they live now


def find_candidates(*, scope: QuerySet, query: Query, limit: int) -> list[Candidate]:
    """Up to `limit` people in `scope` who could be the person described, best first. Some
    part of a name must agree when a name was given; a shared birthday alone is not a
    reason to offer someone. The number of queries depends on the words typed, never on
    how many people there are."""
    typed = _Typed.of(query)
    facts = _gather(scope, typed)
    scored = [s for s in (_score(row, typed, facts) for row in _rows(facts)) if s]
    scored.sort(key=lambda s: (-s.score, s.pk))
    best = scored[:PRE_RANKED]
    _add_addresses(best, typed)
    _add_parents(best, typed)
    shown = sorted((s for s in best if s.eligible(typed)), key=lambda s: (-s.score, s.pk))
    people = Person.objects.in_bulk([s.pk for s in shown[:limit]])
    return [
        Candidate(people[s.pk], round(s.score, 1), s.reasons(), s.strong, s.home)
        for s in shown[:limit]
        if s.pk in people
    ]


# --- what was typed ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    """One typed name (a first name, or a last name of one or more parts)."""

    typed: str
    key: str
    parts: tuple[str, ...]  # the keys of a hyphenated or several-word name, else ()

    @classmethod
    def of(cls, typed: str) -> "_Name | None":
        key = name_key(typed)
        if not key:
            return None
        parts = tuple(p for p in name_parts(typed) if p != key)
        return cls(typed.strip(), key, parts if len(parts) > 1 else ())


@dataclass(frozen=True)
class _Reading:
    """One way to read what was typed: which words are the first name and the last."""

    given: _Name | None
    family: _Name | None
    swapped: bool = False


@dataclass(frozen=True)
class _Typed:
    readings: tuple[_Reading, ...]
    born: date | None
    born_between: tuple[date, date] | None  # from an approximate age
    postcode: str
    nhs_number: str
    upn: str

    @classmethod
    def of(cls, q: Query) -> "_Typed":
        return cls(
            _readings(q),
            q.date_of_birth,
            None if q.date_of_birth or q.age is None else _born_between(q.age),
            q.postcode,
            q.nhs_number,
            q.upn,
        )

    @property
    def names(self) -> set[_Name]:
        return {n for r in self.readings for n in (r.given, r.family) if n}


def _readings(q: Query) -> tuple[_Reading, ...]:
    """As typed and the other way round. A single word may be either name; of several, the
    first is the first name and the rest the last name (or the last word the first name)."""
    if name_key(q.given_name) or name_key(q.family_name):
        given, family = _Name.of(q.given_name), _Name.of(q.family_name)
        return (_Reading(given, family), _Reading(family, given, swapped=True))
    words = [w for w in q.name.replace(",", " ").split() if name_key(w)][:4]
    if not words:
        return ()
    if len(words) == 1:
        only = _Name.of(words[0])
        return (_Reading(None, only), _Reading(only, None))
    return (
        _Reading(_Name.of(words[0]), _Name.of(" ".join(words[1:]))),
        _Reading(_Name.of(words[-1]), _Name.of(" ".join(words[:-1])), swapped=True),
    )


def _born_between(age: int) -> tuple[date, date]:
    today = timezone.localdate()
    oldest, youngest = age + AGE_SLACK + 1, max(age - AGE_SLACK, 0)
    return _years_before(today, oldest) + timedelta(days=1), _years_before(today, youngest)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _swapped_day_month(born: date) -> date | None:
    if born.day > 12 or born.day == born.month:
        return None
    return born.replace(month=born.day, day=born.month)


# --- finding candidates -----------------------------------------------------------------------


@dataclass
class _Facts:
    """What the candidate queries learned: who, and which sources found them."""

    ids: set[int] = field(default_factory=set)
    # The names the name lookups matched, with the date of birth: (born, {name row})
    named: dict[int, tuple[date | None, set[tuple[str, ...]]]] = field(default_factory=dict)
    others_asked: bool = False  # date of birth, postcode or identifiers typed
    close: dict[str, dict[str, None]] = field(default_factory=dict)  # typed key -> stored keys
    at_postcode: dict[int, bool] = field(default_factory=dict)  # person -> lives there now
    identified: dict[int, list[str]] = field(default_factory=dict)


_NAME = ("kind", "given_name", "family_name", "given_key", "family_key")  # a name row, as scored


def _gather(scope: QuerySet, typed: _Typed) -> _Facts:
    """Broad lookups (one word, everyone born that day) read inside the scope, so common
    words cannot crowd out the reader's own people; narrow ones (both names close, the
    postcode) read plain indexes and are narrowed to the scope once, together."""
    facts = _Facts()
    facts.close = _close_keys(typed.names)
    narrow: set[int] = set()
    conditions = _name_conditions(typed, facts.close)
    for condition, cap, broad in conditions:
        if typed.born_between:
            condition &= Q(born__range=typed.born_between)
        names = PersonName.objects.filter(condition)
        if broad:
            names = names.filter(person__in=scope)
        for pk, born, *name in names.values_list("person_id", "born", *_NAME)[:cap]:
            facts.named.setdefault(pk, (born, set()))[1].add(tuple(name))
            (facts.ids if broad else narrow).add(pk)
    facts.others_asked = bool(typed.born or typed.postcode or typed.nhs_number or typed.upn)
    if typed.born:
        days = [d for d in (typed.born, _swapped_day_month(typed.born)) if d]
        facts.ids |= set(
            scope.filter(date_of_birth__in=days).values_list("pk", flat=True)[:MAX_ROWS]
        )
    if typed.postcode:
        for pk, ended in (
            PersonAddress.objects.filter(address__postcode=typed.postcode)
            .values_list("person_id", "end_date")
            .order_by(F("end_date").asc(nulls_first=True))[:MAX_ROWS]  # current first
        ):
            facts.at_postcode[pk] = facts.at_postcode.get(pk, False) or ended is None
        narrow |= set(facts.at_postcode)
    if typed.postcode or not all(broad for _, _, broad in conditions):
        unseen = narrow - facts.ids or {0}  # asked even so: a fixed number of queries
        facts.ids |= set(scope.filter(pk__in=unseen).values_list("pk", flat=True))
    _gather_identifiers(scope, typed, facts)
    return facts


def _gather_identifiers(scope: QuerySet, typed: _Typed, facts: _Facts) -> None:
    wanted = Q()
    if typed.nhs_number:
        wanted |= Q(nhs_number=typed.nhs_number)
    if typed.upn:
        wanted |= Q(upn=typed.upn)
    if not wanted:
        return
    for pk, nhs, upn in scope.filter(wanted).values_list("pk", "nhs_number", "upn")[:MAX_ROWS]:
        found = facts.identified.setdefault(pk, [])
        if typed.nhs_number and nhs == typed.nhs_number:
            found.append("NHS number matches")
        if typed.upn and upn == typed.upn:
            found.append("UPN matches")
        facts.ids.add(pk)


def _close_keys(names: set[_Name]) -> dict[str, dict[str, None]]:
    """For each typed name (and each part of a hyphenated one), the stored keys it could
    be, closest first, in one query over the spellings table. Nicknames and the typed key
    itself need no table."""
    keys = {k for n in names for k in (n.key, *n.parts)}
    wanted = {k: typed_lookups(k) for k in keys}
    found: dict[str, set[str]] = {k: {k} | set(given_variants(k)) for k in keys}
    lookups = set().union(*wanted.values()) if wanted else set()
    if lookups:
        for lookup, key in NameSpelling.objects.filter(lookup__in=lookups).values_list(
            "lookup", "key"
        ):
            for typed, theirs in wanted.items():
                if lookup in theirs:
                    found[typed].add(key)
    return {typed: dict.fromkeys(_closest(typed, stored)) for typed, stored in found.items()}


def _closest(typed: str, stored: set[str]) -> list[str]:
    return sorted(stored, key=lambda key: -_closeness(typed, key))[:CLOSE_KEYS]


def _closeness(typed: str, stored: str) -> float:
    return _part_score(typed, (), stored, stored, given=True)[0] or fuzz.ratio(typed, stored) / 10


def _keys_for(name: _Name, close: dict[str, dict[str, None]]) -> list[str]:
    keys = dict(close.get(name.key, {}))
    for part in name.parts:
        keys.update(close.get(part, {}))
    return list(keys)


def _name_conditions(typed: _Typed, close: dict[str, dict[str, None]]) -> list[tuple[Q, int, bool]]:
    """Simple conditions, each served by one index, with their cap and whether they are
    broad: both names close to what was typed; the last name close and the first name
    starting as typed ("Jo Smith"); both starting as typed ("Jo Smi"). A single word
    (broad): a close or starting last name, or a close first name."""
    conditions: list[tuple[Q, int, bool]] = []
    for reading in typed.readings:
        given, family = reading.given, reading.family
        if given and family:
            families, givens = _keys_for(family, close), _keys_for(given, close)
            given_starts = _starts("given_key", given.key)
            conditions += [
                (Q(family_key__in=families, given_key__in=givens), MAX_EXACT, False),
                (Q(family_key__in=families) & given_starts, MAX_ROWS, False),
                (_starts("family_key", family.key) & given_starts, MAX_ROWS, False),
            ]
        elif family:
            conditions += [
                (Q(family_key__in=_keys_for(family, close)), MAX_ROWS, True),
                (_starts("family_key", family.key), MAX_ROWS, True),
            ]
        elif given:
            conditions.append((Q(given_key__in=_keys_for(given, close)), MAX_ROWS, True))
    return conditions


def _starts(field_name: str, prefix: str) -> Q:
    """Keys are a-z only, so a prefix is a range: unlike LIKE, which SQLite compares
    without case and so cannot read from an index, a range is an index read everywhere."""
    if prefix.endswith("z"):
        return Q(**{f"{field_name}__startswith": prefix})
    following = prefix[:-1] + chr(ord(prefix[-1]) + 1)
    return Q(**{f"{field_name}__gte": prefix, f"{field_name}__lt": following})


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class _Row:
    """One candidate as plain values, and what scoring made of them."""

    pk: int
    born: date | None
    # (kind, given name, family name, given key, family key)
    names: list[tuple[str, ...]] = field(default_factory=list)
    score: float = 0.0
    name_reasons: list[str] = field(default_factory=list)
    other_reasons: list[str] = field(default_factory=list)
    name_agrees: bool = False  # some part of a name agrees
    given_agrees: bool = False
    all_parts_agree: bool = False  # every name part typed agrees
    reading: "_Reading | None" = None  # the reading of what was typed that the names fit
    # How many things had to be forgiven (a name that is close but not the same, names
    # the other way round, a parent's surname, a birthday with day and month swapped or a
    # few days out, a postcode they never lived at), and whether a date of birth or age
    # typed disagrees outright.
    slips: int = 0
    contradicted: bool = False
    family_differs: bool = False
    evidence: bool = False  # date of birth or postcode agrees
    identified: bool = False
    home: Place | None = None

    def reasons(self) -> list[str]:
        return self.name_reasons + self.other_reasons

    def eligible(self, typed: _Typed) -> bool:
        if self.identified or self.name_agrees:
            return True
        return not typed.readings and self.score > 0

    @property
    def strong(self) -> bool:
        """An identifier; or every name part typed agreeing beside a date of birth or
        postcode, with nothing typed disagreeing and at most one slip forgiven. A single
        mistake is how workers type; two near things together are how a different person
        looks at a million records (Wallis for Wyatt and a birthday read the other way)."""
        if self.identified:
            return True
        return self.all_parts_agree and self.evidence and not self.contradicted and self.slips <= 1


def _rows(facts: _Facts) -> list[_Row]:
    """Each candidate with the names the lookups matched; those found only by date of
    birth, postcode or an identifier with all their names (asked whenever one of those was
    typed, so the number of queries does not depend on whom they find)."""
    rows = {
        pk: _Row(pk, born, sorted(names))
        for pk, (born, names) in facts.named.items()
        if pk in facts.ids
    }
    if facts.others_asked:
        rest = facts.ids - rows.keys()
        for pk, born, *name in PersonName.objects.filter(person_id__in=rest or [0]).values_list(
            "person_id", "born", *_NAME
        ):
            rows.setdefault(pk, _Row(pk, born)).names.append(tuple(name))
    for row in rows.values():
        row.identified = row.pk in facts.identified
        row.other_reasons += facts.identified.get(row.pk, [])
        if row.pk in facts.at_postcode:
            _postcode_agrees(row, current=facts.at_postcode[row.pk])
    return list(rows.values())


def _score(row: _Row, typed: _Typed, facts: _Facts) -> _Row | None:
    """Names, date of birth or age, identifiers; the postcode where the postcode query
    found them. None if a name was typed and no part of any of their names agrees, unless
    an identifier matches."""
    if typed.readings:
        _score_names(row, typed)
        if not row.name_agrees and not row.identified:
            return None
    if row.identified:
        row.score += IDENTIFIER * len(facts.identified[row.pk])
    _score_birth(row, typed)
    return row


class _NameScore(NamedTuple):
    score: float
    reasons: list[str]
    given_agrees: bool  # or no first name was typed
    family_agrees: bool  # or no last name was typed
    reading: "_Reading | None" = None
    slips: int = 0


_NO_NAME = _NameScore(0.0, [], False, False)


def _score_names(row: _Row, typed: _Typed) -> None:
    best = _NO_NAME
    for kind, given, family, given_key, family_key in row.names:
        for reading in typed.readings:
            found = _score_reading(reading, kind, (given, family, given_key, family_key))
            if found.score > best.score:
                best = found
    row.score += best.score
    row.name_reasons = best.reasons
    row.name_agrees = best.score > 0
    row.given_agrees = best.given_agrees
    row.all_parts_agree = best.given_agrees and best.family_agrees
    row.reading = best.reading
    row.slips += best.slips
    row.family_differs = row.name_agrees and not best.family_agrees


def _score_reading(reading: _Reading, kind: str, stored: tuple[str, str, str, str]) -> _NameScore:
    given, family, given_key, family_key = stored
    g_score, g_why = _typed_part(reading.given, given, given_key, given=True)
    f_score, f_why = _typed_part(reading.family, family, family_key, given=False)
    score = g_score + f_score - (4 if reading.swapped else 0)
    if reading.given and not g_score:
        score += GIVEN_DIFFERS
    if score <= 0:
        return _NO_NAME
    reasons = []
    if g_why:
        reasons.append(f"First name {given} {g_why}")
    if f_why:
        reasons.append(f"Last name {family} {f_why}")
    if reading.family and not f_score:
        reasons.append(f"Last name {family} differs")
    if reading.swapped:
        reasons.append("Names entered the other way round")
    if kind != NameKind.CURRENT:
        score *= 0.95
        reasons.append(f"{_KIND_LABEL.get(kind, 'Other name')}: {given} {family}")
    slips = sum(1 for part in (g_score, f_score) if 0 < part < SAME_NAME) + reading.swapped
    return _NameScore(
        score,
        reasons,
        not reading.given or g_score > 0,
        not reading.family or f_score > 0,
        reading,
        slips,
    )


_KIND_LABEL: dict[str, str] = {
    NameKind.ALIAS: "Also known as",
    NameKind.FORMER: "Former name",
    NameKind.BIRTH: "Name at birth",
}


def _typed_part(
    typed: _Name | None, stored: str, stored_key: str, *, given: bool
) -> tuple[float, str]:
    if typed is None:
        return 0.0, ""
    return _part_score(typed.key, typed.parts, stored, stored_key, given=given, shown=typed.typed)


def _part_score(
    key: str,
    parts: tuple[str, ...],
    stored: str,
    stored_key: str,
    *,
    given: bool,
    shown: str = "",
) -> tuple[float, str]:
    """How one typed name compares with one stored name, and the reason in words."""
    shown = shown or key
    if not key or not stored_key:
        return 0.0, ""
    if key == stored_key:
        return SAME_NAME, "matches"
    if given and stored_key in given_variants(key):
        return 25.0, f"is a known form of “{shown}”"
    if stored_key in parts or key in _stored_parts(stored):
        return 24.0, f"shares a part with “{shown}”"
    if min(len(key), len(stored_key)) >= 3 and OSA.distance(key, stored_key) <= 1:
        return 24.0, "is spelt similarly"
    if _sounds(key) & _sounds(stored_key):
        return 22.0, "sounds the same"
    if stored_key.startswith(key) and len(key) >= 2:
        return 15.0, f"starts with “{shown}”"
    ratio = fuzz.ratio(key, stored_key)
    if ratio >= 75:
        return ratio / 4.5, "is spelt similarly"
    return 0.0, ""


@lru_cache(maxsize=20_000)
def _sounds(key: str) -> frozenset[str]:
    return frozenset(sound_codes(key))


@lru_cache(maxsize=20_000)
def _stored_parts(stored: str) -> frozenset[str]:
    parts = name_parts(stored)
    return frozenset(p for p in parts if len(p) >= 2) if len(parts) > 1 else frozenset()


def _score_birth(row: _Row, typed: _Typed) -> None:
    born, told = row.born, typed.born
    if born and told:
        if born == told:
            row.score += 40
            row.evidence = True
            row.other_reasons.append("Date of birth matches")
        elif born == _swapped_day_month(told):
            row.score += 30
            row.evidence = True
            row.slips += 1
            row.other_reasons.append("Date of birth matches with day and month swapped")
        elif abs((born - told).days) <= 31:
            row.score += 10
            row.slips += 1
            row.other_reasons.append("Date of birth within a month")
        else:
            row.score -= 25
            row.contradicted = True
            row.other_reasons.append("Date of birth differs")
    elif born and typed.born_between:
        earliest, latest = typed.born_between
        if earliest <= born <= latest:
            row.score += AGE_AGREES
            row.other_reasons.append("Age is about the age given")
        else:
            row.score += AGE_DIFFERS
            row.contradicted = True
            row.other_reasons.append("Age differs from the age given")


def _postcode_agrees(row: _Row, *, current: bool) -> None:
    row.score += POSTCODE_CURRENT if current else POSTCODE_FORMER
    row.evidence = True
    row.other_reasons.append(
        "Lives at this postcode" if current else "Used to live at this postcode"
    )


def _add_addresses(rows: list[_Row], typed: _Typed) -> None:
    """Where each lives now (search shows it), and a postcode typed but not theirs."""
    by_pk = {row.pk: row for row in rows}
    if not by_pk:
        return
    lived: dict[int, list[tuple[str, str, bool]]] = {}
    for pk, town, postcode, ended in (
        PersonAddress.objects.filter(person_id__in=by_pk)
        .order_by("-start_date")
        .values_list("person_id", "address__town", "address__postcode", "end_date")
    ):
        lived.setdefault(pk, []).append((town, postcode, ended is None))
    for pk, places in lived.items():
        row = by_pk[pk]
        row.home = next((Place(town, pc) for town, pc, now in places if now), None)
        if typed.postcode and not any(pc == typed.postcode for _, pc, _ in places):
            # They may have moved somewhere the council does not know yet: forgiven once.
            row.score += POSTCODE_ELSEWHERE
            row.slips += 1


def _add_parents(rows: list[_Row], typed: _Typed) -> None:
    """A child known by a parent's or carer's last name: the name typed is theirs. The
    parent is never named in the reason (the reader may not be allowed to see them)."""
    if not rows or not any(r.family for r in typed.readings):
        return
    # Asked whenever a last name was typed, so a search's queries do not depend on whom
    # it finds.
    differs = {row.pk: row for row in rows if row.family_differs}
    parents: dict[int, set[str]] = {}
    for pk, family in Relationship.objects.filter(
        subject_id__in=differs or [0], type__in=RAISED_BY, end_date__isnull=True
    ).values_list("subject_id", "other__names__family_key"):
        if family:
            parents.setdefault(pk, set()).add(family)
    for pk, families in parents.items():
        _credit_parent_name(differs[pk], families)


def _credit_parent_name(row: _Row, families: set[str]) -> None:
    """Only for the reading the child's first name fits: one typed word cannot be both the
    child's first name and the parent's surname."""
    reading = row.reading
    if reading is None or reading.family is None:
        return
    typed_family = reading.family
    best = max(
        _part_score(typed_family.key, typed_family.parts, f, f, given=False)[0] for f in families
    )
    if best > 0:
        row.score += best * 0.8
        row.name_reasons = [
            r for r in row.name_reasons if not (r.startswith("Last name") and "differs" in r)
        ]
        row.name_reasons.append(f"Known by a parent’s or carer’s last name, {typed_family.typed}")
        row.all_parts_agree = row.given_agrees
        row.slips += 1
