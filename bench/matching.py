"""Matching benchmark: how often `people.matching.match_candidates` puts the right record in
front of a MASH worker when a referrer describes someone imperfectly.

    python bench/matching.py --scale county --database-url postgres://postgres@127.0.0.1:5432/safehub_bench

On the loaded demo council (loaded first if the database is empty, as bench/run.py does),
known duplicates are made from real person records, one perturbation kind at a time: a
typo in the first or last name, first and last names swapped, a nickname for the first
name (the `nicknames` package used in reverse: William -> Bill), a different surname with
the same first name and the date of birth or the postcode, no date of birth, and some
combinations; plus "new" people who are on no record, to count false candidates. Each is
matched as the demo MASH worker, inside a transaction that is rolled back (matching writes
an audit row per search).

Recorded per kind and overall: recall@1/3/5 (the right record within the first 1, 3, 5
candidates shown), precision (the share of shown candidates that are the right person), the
candidates shown to "new" people, and latency median/p95. Results are JSON in
bench/results/<time>-matching-<scale>-<database>.json. Target: the right record in the top
3 in at least 95% of the cases where it exists.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import _dataset, _load, _percentile, _prepare  # noqa: E402

SEED = 20261123
TARGET_RECALL_AT_3 = 0.95
WARMUP = 10
NEW_PERSON = "new_person"


@dataclass(frozen=True)
class Record:
    """What the council holds about one person."""

    pk: int
    given: str
    family: str
    born: date | None
    postcode: str
    former: tuple[str, ...]  # every family name the person has been known by


@dataclass(frozen=True)
class Case:
    kind: str
    given: str
    family: str
    born: date | None
    postcode: str
    expected: int | None  # the record that should be found; None for a new person


# --- perturbations -----------------------------------------------------------------------------

KEYBOARD_NEIGHBOURS = {
    "a": "qswz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def one_edit(name: str, rng: random.Random) -> str:
    """One typing slip: a neighbouring key, a letter dropped or doubled, or two letters
    swapped. The first letter slips in about one case in twelve, as in real referrals."""
    letters = [i for i, ch in enumerate(name) if ch.isalpha()]
    if len(letters) < 3:
        return name + name[-1].lower()
    for _ in range(20):
        i = letters[0] if rng.random() < 0.08 else rng.choice(letters[1:])
        ch = name[i]
        kind = rng.choice(["neighbour", "drop", "double", "swap"])
        if kind == "neighbour":
            swap = rng.choice(KEYBOARD_NEIGHBOURS.get(ch.lower(), "e"))
            out = name[:i] + (swap.upper() if ch.isupper() else swap) + name[i + 1 :]
        elif kind == "drop":
            out = name[:i] + name[i + 1 :]
        elif kind == "double":
            out = name[:i] + ch.lower() + name[i:] if i else name[0] + name[0].lower() + name[1:]
        else:
            if i + 1 >= len(name) or not name[i + 1].isalpha():
                continue
            first, second = name[i + 1], name[i]
            if i == 0:
                first, second = first.upper(), second.lower()
            out = name[:i] + first + second + name[i + 2 :]
        if out.lower() != name.lower():
            return out
    return name + name[-1].lower()


@cache
def _nicknamer():  # type: ignore[no-untyped-def]
    from nicknames import NickNamer

    return NickNamer()


def _nicknames(given: str) -> list[str]:
    """What the record's first name is often shortened to (William -> Bill, Will ...)."""
    from safehub.people.names import name_key

    key = name_key(given)
    return sorted(
        n.capitalize() for n in _nicknamer().nicknames_of(key) if n.isalpha() and n != key
    )


def _other_surname(record: Record, rng: random.Random) -> str:
    from safehub.demo.generator import data

    while True:
        family = rng.choices(data.BRITISH_SURNAMES, data.BRITISH_SURNAME_WEIGHTS)[0]
        if family not in record.former:
            return family


def _typo_given(r: Record, rng: random.Random) -> Case:
    return Case("typo_given", one_edit(r.given, rng), r.family, r.born, _maybe(r, rng), r.pk)


def _typo_family(r: Record, rng: random.Random) -> Case:
    return Case("typo_family", r.given, one_edit(r.family, rng), r.born, _maybe(r, rng), r.pk)


def _swapped(r: Record, rng: random.Random) -> Case:
    return Case("swapped", r.family, r.given, r.born, _maybe(r, rng), r.pk)


def _nickname(r: Record, rng: random.Random) -> Case | None:
    names = _nicknames(r.given)
    if not names:
        return None
    return Case("nickname", rng.choice(names), r.family, r.born, _maybe(r, rng), r.pk)


def _changed_surname_dob(r: Record, rng: random.Random) -> Case:
    return Case("changed_surname_dob", r.given, _other_surname(r, rng), r.born, "", r.pk)


def _changed_surname_postcode(r: Record, rng: random.Random) -> Case | None:
    if not r.postcode:
        return None
    return Case("changed_surname_postcode", r.given, _other_surname(r, rng), None, r.postcode, r.pk)


def _missing_dob(r: Record, rng: random.Random) -> Case | None:
    if not r.postcode:
        return None
    return Case("missing_dob", r.given, r.family, None, r.postcode, r.pk)


def _typo_missing_dob(r: Record, rng: random.Random) -> Case | None:
    if not r.postcode:
        return None
    return Case("typo_missing_dob", r.given, one_edit(r.family, rng), None, r.postcode, r.pk)


def _swapped_typo(r: Record, rng: random.Random) -> Case:
    return Case("swapped_typo", one_edit(r.family, rng), r.given, r.born, _maybe(r, rng), r.pk)


def _nickname_changed_surname(r: Record, rng: random.Random) -> Case | None:
    names = _nicknames(r.given)
    if not names:
        return None
    return Case(
        "nickname_changed_surname", rng.choice(names), _other_surname(r, rng), r.born, "", r.pk
    )


def _exact(r: Record, rng: random.Random) -> Case:
    return Case("exact", r.given, r.family, r.born, _maybe(r, rng), r.pk)


def _maybe(r: Record, rng: random.Random) -> str:
    """Referrers give the postcode about half the time."""
    return r.postcode if rng.random() < 0.5 else ""


PERTURBATIONS: dict[str, Callable[[Record, random.Random], Case | None]] = {
    "typo_given": _typo_given,
    "typo_family": _typo_family,
    "swapped": _swapped,
    "nickname": _nickname,
    "changed_surname_dob": _changed_surname_dob,
    "changed_surname_postcode": _changed_surname_postcode,
    "missing_dob": _missing_dob,
    "typo_missing_dob": _typo_missing_dob,
    "swapped_typo": _swapped_typo,
    "nickname_changed_surname": _nickname_changed_surname,
}


# --- the cases ---------------------------------------------------------------------------------


def _records(rng: random.Random, wanted: int) -> list[Record]:
    """Random people with a date of birth and a current name, as a MASH worker may see
    them (restricted records are out of search for them)."""
    from safehub.people.codes import PersonKind
    from safehub.people.models import Person, PersonAddress, PersonName

    top = Person.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = rng.sample(range(1, top + 1), min(top, wanted * 3))
    people = list(
        Person.objects.filter(
            pk__in=ids,
            is_restricted=False,
            date_of_birth__isnull=False,
            kind__in=[PersonKind.CHILD, PersonKind.ADULT],
        )
        .order_by("pk")
        .values_list("pk", "given_name", "family_name", "date_of_birth")[:wanted]
    )
    pks = [p[0] for p in people]
    postcodes = dict(
        PersonAddress.objects.filter(person__in=pks, end_date__isnull=True).values_list(
            "person_id", "address__postcode"
        )
    )
    families: dict[int, set[str]] = {}
    for pk, family in PersonName.objects.filter(person__in=pks).values_list(
        "person_id", "family_name"
    ):
        families.setdefault(pk, set()).add(family)
    return [
        Record(
            pk,
            given,
            family,
            born,
            postcodes.get(pk, ""),
            tuple(sorted(families.get(pk, {family}))),
        )
        for pk, given, family, born in people
    ]


def _new_people(rng: random.Random, count: int) -> list[Case]:
    """People on no record: a plausible name, a child's date of birth and a real postcode
    (new families move into existing streets)."""
    from django.utils import timezone

    from safehub.demo.generator import data
    from safehub.people.models import Address, Person

    postcodes = list(Address.objects.order_by("pk").values_list("postcode", flat=True)[:5000])
    today = timezone.localdate()
    cases: list[Case] = []
    while len(cases) < count:
        given = rng.choice(data.CHILD_FEMALE + data.CHILD_MALE)
        family = rng.choices(data.BRITISH_SURNAMES, data.BRITISH_SURNAME_WEIGHTS)[0]
        born = today - timedelta(days=rng.randint(100, 17 * 365))
        if Person.objects.filter(
            given_name__iexact=given, family_name__iexact=family, date_of_birth=born
        ).exists():
            continue
        postcode = rng.choice(postcodes) if rng.random() < 0.5 else ""
        cases.append(
            Case(NEW_PERSON, given, family, born if rng.random() < 0.8 else None, postcode, None)
        )
    return cases


def build_cases(rng: random.Random, per_kind: int) -> list[Case]:
    records = _records(rng, per_kind * 4)
    cases: list[Case] = []
    for kind, make in [("exact", _exact), *PERTURBATIONS.items()]:
        made = 0
        for record in rng.sample(records, len(records)):
            case = make(record, rng)
            if case is not None:
                cases.append(case)
                made += 1
            if made >= per_kind:
                break
        if made < per_kind:
            print(f"{kind}: only {made} cases", file=sys.stderr)
    cases += _new_people(rng, per_kind)
    rng.shuffle(cases)
    return cases


# --- running and summarising ------------------------------------------------------------------


@dataclass
class Outcome:
    case: Case
    rank: int | None  # 1-based position of the right record among those shown
    shown: int
    ms: float


def run_cases(cases: list[Case]) -> list[Outcome]:
    from django.db import transaction

    from safehub.organisations.models import User
    from safehub.people.matching import match_candidates

    worker = User.objects.get(username="mash.worker")
    outcomes = []
    with transaction.atomic():
        for case in cases[:WARMUP]:
            match_candidates(actor=worker, described=_described(case))
        for case in cases:
            described = _described(case)
            started = time.perf_counter()
            found = match_candidates(actor=worker, described=described, purpose="benchmark")
            ms = (time.perf_counter() - started) * 1000
            ids = [c.person.pk for c in found]
            rank = ids.index(case.expected) + 1 if case.expected in ids else None
            outcomes.append(Outcome(case, rank, len(ids), ms))
        transaction.set_rollback(True)
    return outcomes


def _described(case: Case):  # type: ignore[no-untyped-def]
    from safehub.people.matching import Described

    return Described(
        given_name=case.given,
        family_name=case.family,
        date_of_birth=case.born,
        postcode=case.postcode,
    )


def _recall(outcomes: list[Outcome]) -> dict:
    n = len(outcomes)
    shown = sum(o.shown for o in outcomes)
    found = sum(1 for o in outcomes if o.rank)
    return {
        "cases": n,
        "recall_at_1": round(sum(1 for o in outcomes if o.rank == 1) / n, 4),
        "recall_at_3": round(sum(1 for o in outcomes if o.rank and o.rank <= 3) / n, 4),
        "recall_at_5": round(found / n, 4),
        "mean_candidates_shown": round(shown / n, 2),
        "precision_of_shown": round(found / shown, 4) if shown else None,
        **_latency(outcomes),
    }


def _latency(outcomes: list[Outcome]) -> dict:
    ms = [o.ms for o in outcomes]
    return {
        "latency_ms": {
            "median": round(statistics.median(ms), 2),
            "p95": round(_percentile(ms, 0.95), 2),
        }
    }


def summarise(outcomes: list[Outcome]) -> dict:
    existing = [o for o in outcomes if o.case.expected is not None]
    perturbed = [o for o in existing if o.case.kind != "exact"]
    new = [o for o in outcomes if o.case.expected is None]
    kinds = sorted({o.case.kind for o in existing})
    misses = [
        {
            "kind": o.case.kind,
            "typed": f"{o.case.given} {o.case.family}",
            "date_of_birth": str(o.case.born or ""),
            "postcode": o.case.postcode,
            "expected": o.case.expected,
            "rank": o.rank,
        }
        for o in perturbed
        if not o.rank or o.rank > 3
    ][:25]
    shown_to_new = [o.shown for o in new]
    return {
        "overall_perturbed": _recall(perturbed),
        "overall_including_exact": _recall(existing),
        "by_kind": {kind: _recall([o for o in existing if o.case.kind == kind]) for kind in kinds},
        "new_people": {
            "cases": len(new),
            "share_with_no_candidate": round(shown_to_new.count(0) / len(new), 4),
            "mean_candidates_shown": round(sum(shown_to_new) / len(new), 2),
            "share_with_3_or_more": round(sum(1 for s in shown_to_new if s >= 3) / len(new), 4),
            **_latency(new),
        },
        "latency_all": _latency(outcomes),
        "target_recall_at_3": TARGET_RECALL_AT_3,
        "target_met": _recall(perturbed)["recall_at_3"] >= TARGET_RECALL_AT_3,
        "examples_missed_top_3": misses,
    }


def write_result(
    benchmark: str, args: argparse.Namespace, load_seconds: float, dataset: dict, summary: dict
) -> Path:
    """One result file for a cases benchmark (matching, search) in bench/results, and its
    headline figures printed."""
    result = {
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "benchmark": benchmark,
        "scale": args.scale,
        "load_seconds": round(load_seconds, 1),
        "seed": args.seed,
        "dataset": dataset,
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        **summary,
    }
    out_dir = ROOT / "bench" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out_dir / f"{stamp}-{benchmark}-{args.scale}-{dataset['database']}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    headline = ("overall_perturbed", "by_kind", "new_people", "target_met")
    print(json.dumps({k: result[k] for k in headline if k in result}, indent=2))
    print(f"written to {path.relative_to(ROOT)}")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=["small", "county", "large"], default="large")
    parser.add_argument("--database-url", required=True)
    parser.add_argument(
        "--per-kind", type=int, default=200, help="cases per perturbation kind (and new people)"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    _prepare(args.database_url)
    load_seconds = _load(args.scale)
    dataset = _dataset()
    cases = build_cases(random.Random(args.seed), args.per_kind)
    outcomes = run_cases(cases)
    write_result("matching", args, load_seconds, dataset, summarise(outcomes))


if __name__ == "__main__":
    main()
