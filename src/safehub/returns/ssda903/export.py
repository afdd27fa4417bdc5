"""The SSDA903 produced from live records: every child looked after at some time in the
period, their episodes, reviews, missing periods, UASC status, adoption and previous
permanence, the OC2 (`casework.selectors.oc2_rows`), the OC3 and social worker episodes
(`leaving_care.returns`), as they stood on its last day (an end, a reason or a reversal
after it is left blank).

A fixed number of set-based queries whatever the council's size. Which children may be
included is the caller's (the access policy's) decision: the `children` queryset passed
in; rows from the shared selectors are kept only for children in it."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from safehub.casework.models import (
    CareEpisode,
    CareReview,
    MissingEpisode,
    PeriodOfCare,
    UASCStatus,
)
from safehub.casework.selectors import OC2Row, oc2_rows
from safehub.leaving_care.eligibility import birthday
from safehub.leaving_care.returns import oc3_rows, sw_episodes
from safehub.people.codes import RelationshipType, Sex
from safehub.people.models import Person, Relationship
from safehub.permanence.models import Adoption, PermanenceBefore
from safehub.returns.ssda903.spec import DATE_FORMAT, CollectionYear

ADOPTED = ("E11", "E12")


@dataclass
class Files903:
    """Each file's rows (values already as the CSV writes them), by the spec's keys."""

    rows: dict[str, list[list[str]]] = field(default_factory=dict)
    children: list[int] = field(default_factory=list)  # everyone named, in the header


def _d(day: date | None) -> str:
    return f"{day:{DATE_FORMAT}}" if day else ""


def _upto(day: date | None, end: date) -> date | None:
    """A date as known on `end`: one after it has not happened yet."""
    return day if day is not None and day <= end else None


def _flag(value: bool | int | None) -> str:
    return "" if value is None else str(int(value))


def produce_903(
    children: QuerySet[Person], year: CollectionYear, start: date, end: date
) -> Files903:
    touches = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    periods = PeriodOfCare.objects.filter(touches, child__in=children)
    episodes = list(
        CareEpisode.objects.filter(touches, period__in=periods.values("pk"))
        .order_by("period__child_id", "start_date", "pk")
        .values(
            "period__child_id",
            "start_date",
            "reason_new_episode",
            "legal_status",
            "placement_type",
            "provider",
            "end_date",
            "reason_ceased",
            "reason_place_change",
            "home_postcode",
            "placement_postcode",
            "urn",
            "period__episode__primary_need",
        )
    )
    in_care = {e["period__child_id"] for e in episodes}
    files = Files903()
    files.rows["episodes"] = [_episode(e, end) for e in episodes]
    files.rows["reviews"] = _reviews(periods, start, end)
    files.rows["missing"] = _missing(in_care, start, end)
    files.rows["prev_perm"] = _prev_perm(periods, start, end)
    adopted = {
        e["period__child_id"]
        for e in episodes
        if _upto(e["end_date"], end) and e["reason_ceased"] in ADOPTED
    }
    files.rows["ad1"], files.rows["placed_adoption"] = _adoption(in_care, adopted, start, end)
    shared = _shared_rows(year, start, end)
    allowed = set(children.filter(pk__in=shared.keys()).values_list("pk", flat=True))
    for key in ("oc2", "oc3", "sw_episodes"):
        files.rows[key] = [row for child, k, row in shared.rows if k == key and child in allowed]
    named = in_care | {child for child, _, _ in shared.rows if child in allowed}
    people = {
        p["pk"]: p
        for p in Person.objects.filter(pk__in=named).values(
            "pk", "sex", "date_of_birth", "ethnicity", "upn", "upn_unknown"
        )
    }
    _add_dob(files, people)
    files.rows["uasc"] = _uasc(named, people, start, end)
    files.rows["header"] = _header(people, _mothers(people, end))
    files.children = sorted(people)
    return files


def _episode(e: Any, end: date) -> list[str]:
    ended = _upto(e["end_date"], end)
    return [
        str(e["period__child_id"]),
        _d(e["start_date"]),
        e["reason_new_episode"],
        e["legal_status"],
        e["period__episode__primary_need"] or "",
        e["placement_type"],
        e["provider"],
        _d(ended),
        e["reason_ceased"] if ended else "",
        e["reason_place_change"] if ended else "",
        e["home_postcode"],
        e["placement_postcode"],
        e["urn"],
    ]


# Rows that do not carry the child's DOB yet get it once the people are read: the value
# "DOB" in a row is a marker the header's date replaces.
DOB_MARK = "\0dob"


def _reviews(periods: QuerySet[PeriodOfCare], start: date, end: date) -> list[list[str]]:
    return [
        [str(child), DOB_MARK, _d(held), code]
        for child, held, code in CareReview.objects.filter(
            period__in=periods.values("pk"), held_on__gte=start, held_on__lte=end
        )
        .order_by("period__child_id", "held_on", "pk")
        .values_list("period__child_id", "held_on", "participation")
    ]


def _missing(children: set[int], start: date, end: date) -> list[list[str]]:
    touches = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    return [
        [str(child), DOB_MARK, kind, _d(began), _d(_upto(ended, end))]
        for child, kind, began, ended in MissingEpisode.objects.filter(touches, child__in=children)
        .order_by("child_id", "start_date", "pk")
        .values_list("child_id", "kind", "start_date", "end_date")
    ]


def _prev_perm(periods: QuerySet[PeriodOfCare], start: date, end: date) -> list[list[str]]:
    """For children who started to be looked after in the period."""
    starters = periods.filter(start_date__gte=start, start_date__lte=end).values("child")
    return [
        [str(child), DOB_MARK, kind, la, _d(on)]
        for child, kind, la, on in PermanenceBefore.objects.filter(child__in=starters)
        .order_by("child_id")
        .values_list("child_id", "kind", "local_authority", "on")
    ]


def _adoption(
    in_care: set[int], adopted: set[int], start: date, end: date
) -> tuple[list[list[str]], list[list[str]]]:
    """AD1 for each child adopted in the period; PlacedAdoption for each decision that a
    looked-after child should be placed for adoption that stood at some time in it."""
    decisions = list(
        Adoption.objects.filter(child__in=in_care, decided_on__lte=end)
        .exclude(reversed_on__lt=start)
        .select_related("adopters")
        .order_by("child_id", "decided_on", "pk")
    )
    ad1, placed = [], []
    for a in decisions:
        reversed_on = _upto(a.reversed_on, end)
        placed.append(
            [
                str(a.child_id),
                DOB_MARK,
                _d(a.decided_on),
                _d(reversed_on),
                a.reversal_reason if reversed_on else "",
            ]
        )
        if a.child_id in adopted and a.adopters is not None:
            ad1.append(
                [
                    str(a.child_id),
                    DOB_MARK,
                    _d(a.decided_on),
                    _d(_upto(a.matched_on, end)),
                    _flag(a.by_foster_carer),
                    str(a.adopters.number),
                    a.adopters.sexes,
                    a.adopters.legal_status,
                ]
            )
    return ad1, placed


@dataclass
class _Shared:
    rows: list[tuple[int, str, list[str]]] = field(default_factory=list)

    def keys(self) -> set[int]:
        return {child for child, _, _ in self.rows}


def _shared_rows(year: CollectionYear, start: date, end: date) -> _Shared:
    """OC2, OC3 and social worker episodes from the selectors that already make them,
    kept to the period."""
    shared = _Shared()
    for r in oc2_rows(year_end=end):
        shared.rows.append((r.child_id, "oc2", _oc2(r, end)))
    for o in oc3_rows(year.start.year):
        if start <= birthday(o.dob, o.age) <= end:
            shared.rows.append(
                (o.child, "oc3", [str(o.child), DOB_MARK, o.in_touch, o.activ, o.accom])
            )
    for s in sw_episodes(year.start.year):
        if s.sw_decom <= end and (s.sw_dec is None or s.sw_dec >= start):
            dec = _upto(s.sw_dec, end)
            shared.rows.append(
                (
                    s.child,
                    "sw_episodes",
                    [
                        str(s.child),
                        DOB_MARK,
                        s.sw_id,
                        _d(s.sw_decom),
                        _d(dec),
                        s.sw_reason if dec else "",
                    ],
                )
            )
    return shared


def _oc2(r: OC2Row, end: date) -> list[str]:
    """The selector's row as the 903 asks it: CONVICTED only from age 10 at the year's end,
    INTERVENTION_OFFERED only where no intervention was received (rules 542, 158)."""
    under_10 = r.date_of_birth is None or birthday(r.date_of_birth, 10) > end
    return [
        str(r.child_id),
        DOB_MARK,
        "" if r.sdq_score is None else str(r.sdq_score),
        r.sdq_reason,
        "" if under_10 else _flag(r.convicted),
        _flag(r.health_check),
        _flag(r.immunisations),
        _flag(r.teeth_check),
        _flag(r.health_assessment),
        _flag(r.substance_misuse),
        _flag(r.intervention_received),
        "" if r.intervention_received == 1 else _flag(r.intervention_offered),
    ]


def _add_dob(files: Files903, people: dict[int, Any]) -> None:
    for rows in files.rows.values():
        for row in rows:
            if len(row) > 1 and row[1] == DOB_MARK:
                person = people.get(int(row[0]))
                row[1] = _d(person["date_of_birth"]) if person else ""


def _mothers(people: dict[int, Any], end: date) -> dict[int, date]:
    """Each girl's first child's date of birth, for those who are mothers by `end`."""
    girls = [pk for pk, p in people.items() if p["sex"] == Sex.FEMALE]
    first: dict[int, date] = {}
    for mother, born in Relationship.objects.filter(
        subject__in=girls, type=RelationshipType.PARENT, other__date_of_birth__lte=end
    ).values_list("subject_id", "other__date_of_birth"):
        if born is not None and (mother not in first or born < first[mother]):
            first[mother] = born
    return first


def _uasc(named: Iterable[int], people: dict[int, Any], start: date, end: date) -> list[list[str]]:
    rows = []
    for child, ceased in (
        UASCStatus.objects.filter(child__in=list(named), started_on__lte=end)
        .exclude(ceased_on__lt=start)
        .order_by("child_id")
        .values_list("child_id", "ceased_on")
    ):
        p = people[child]
        rows.append([str(child), p["sex"] or "", _d(p["date_of_birth"]), _d(_upto(ceased, end))])
    return rows


def _header(people: dict[int, Any], mothers: dict[int, date]) -> list[list[str]]:
    rows = []
    for pk in sorted(people):
        p = people[pk]
        girl = p["sex"] == Sex.FEMALE
        rows.append(
            [
                str(pk),
                p["sex"] or "",
                _d(p["date_of_birth"]),
                p["ethnicity"] or "",
                p["upn"] or p["upn_unknown"] or "",
                ("1" if pk in mothers else "0") if girl else "",
                _d(mothers.get(pk)),
            ]
        )
    return rows
