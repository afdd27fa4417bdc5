"""The CIN census read from live records: every child with a child-in-need episode open at
some time in the period (referred in it, or open at its start), each episode with the
assessments, plans, section 47 enquiries, conferences and reviews that touch the period,
as they stood on its last day (a closure, completion or plan end after it is not yet known).

A fixed number of set-based queries whatever the council's size (one per table, each over
the episodes in scope), grouped in memory by episode, then handed to the writer child by
child. Which children may be included is the caller's (the access policy's) decision: the
`children` queryset passed in."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from safehub.casework.codes import ConferenceKind, EpisodeKind, Section47Outcome
from safehub.casework.models import (
    Assessment,
    CINPlan,
    Conference,
    CPPlan,
    Episode,
    Section47,
)
from safehub.people.codes import PersonKind, Sex
from safehub.people.models import Person
from safehub.returns.cin.spec import CensusYear

SOFTWARE = "SafeHub"
RELEASE = "0.1"


def census_header(census: CensusYear, reference_date: date, now: datetime) -> dict[str, Any]:
    return {
        "CollectionDetails": {
            "Collection": "CIN",
            "Year": census.header_year,
            "ReferenceDate": reference_date,
        },
        "Source": {
            "SourceLevel": "L",
            "LEA": settings.LA_CODE,
            "SoftwareCode": SOFTWARE,
            "Release": RELEASE,
            "SerialNo": "001",
            "DateTime": now,
        },
    }


def episodes_in(children: QuerySet[Person], start: date, end: date) -> QuerySet[Episode]:
    """The child-in-need episodes open at some time from `start` to `end`."""
    return (
        Episode.objects.filter(kind=EpisodeKind.CIN, child__in=children, referral_date__lte=end)
        .exclude(closure_date__lt=start)
        .order_by("child_id", "referral_date", "pk")
    )


def _by(rows: Any, key: str) -> dict[int, list[dict[str, Any]]]:
    grouped: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _upto(day: date | None, end: date) -> date | None:
    """A date as known on `end`: one after it has not happened yet."""
    return day if day is not None and day <= end else None


def census_children(children: QuerySet[Person], start: date, end: date) -> Iterator[dict[str, Any]]:
    """Each child's census record (dicts the writer takes), in LAchildID order."""
    episodes = episodes_in(children, start, end)
    in_scope = episodes.values("pk")
    touches = Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    assessments = _by(
        Assessment.objects.filter(episode__in=in_scope, start_date__lte=end)
        .exclude(authorised_date__lt=start)
        .order_by("start_date", "pk")
        .values("episode_id", "start_date", "authorised_date", "factors"),
        "episode_id",
    )
    cin_plans = _by(
        CINPlan.objects.filter(touches, episode__in=in_scope)
        .order_by("start_date", "pk")
        .values("episode_id", "start_date", "end_date"),
        "episode_id",
    )
    conferences = list(
        Conference.objects.filter(episode__in=in_scope, held_on__lte=end)
        .order_by("held_on", "pk")
        .values("episode_id", "kind", "section47_id", "plan_id", "held_on")
    )
    initial = [c for c in conferences if c["kind"] == ConferenceKind.INITIAL]
    icpc_of_s47 = {c["section47_id"]: c["held_on"] for c in initial if c["section47_id"]}
    # An ICPC after a section 47 enquiry is recorded with the enquiry; the episode's own
    # DateOfInitialCPC is for one held without an enquiry in the episode (rule 2884).
    first_icpc: dict[int, date] = {}
    for c in initial:
        if not c["section47_id"]:
            first_icpc.setdefault(c["episode_id"], c["held_on"])
    reviews = _by(
        (c for c in conferences if c["kind"] == ConferenceKind.REVIEW and c["plan_id"]),
        "plan_id",
    )
    # An enquiry is in the year's return while it runs in the year, or when the initial
    # conference it led to is held in the year (ended on 19 March, conference on 1 April):
    # else the plan made at that conference has no conference in the file (rules 2883, 2885).
    enquiries = _by(
        (
            s
            for s in Section47.objects.filter(episode__in=in_scope, start_date__lte=end)
            .order_by("start_date", "pk")
            .values("pk", "episode_id", "start_date", "icpc_target", "outcome", "end_date")
            if s["end_date"] is None
            or s["end_date"] >= start
            or icpc_of_s47.get(s["pk"], date.min) >= start
        ),
        "episode_id",
    )
    cp_plans = _by(
        CPPlan.objects.filter(touches, episode__in=in_scope)
        .order_by("start_date", "pk")
        .values(
            "pk",
            "episode_id",
            "start_date",
            "end_date",
            "initial_category",
            "latest_category",
            "previous_plans",
        ),
        "episode_id",
    )
    people = {
        p["pk"]: p
        for p in Person.objects.filter(pk__in=episodes.values("child_id")).values(
            "pk",
            "kind",
            "upn",
            "former_upn",
            "upn_unknown",
            "date_of_birth",
            "expected_date_of_birth",
            "sex",
            "date_of_death",
            "ethnicity",
            "disabilities",
        )
    }
    by_child = _by(episodes.values(), "child_id")
    for child_id in sorted(by_child):
        details = [
            _episode(
                e,
                end,
                assessments=assessments.get(e["id"], []),
                cin_plans=cin_plans.get(e["id"], []),
                enquiries=enquiries.get(e["id"], []),
                icpc_of_s47=icpc_of_s47,
                first_icpc=first_icpc.get(e["id"]),
                cp_plans=cp_plans.get(e["id"], []),
                reviews=reviews,
            )
            for e in by_child[child_id]
        ]
        yield _child(people[child_id], details, end)


def _child(person: Any, details: list[dict[str, Any]], end: date) -> dict[str, Any]:
    unborn = person["date_of_birth"] is None or person["date_of_birth"] > end
    every_nfa = all(d["ReferralNFA"] for d in details)
    # UN7: no UPN because every referral in the census ended with no further action.
    unknown = person["upn_unknown"] or ("UN7" if not person["upn"] and every_nfa else "")
    return {
        "ChildIdentifiers": {
            "LAchildID": str(person["pk"]),
            "UPN": person["upn"],
            "FormerUPN": person["former_upn"],
            "UPNunknown": "" if person["upn"] else unknown,
            "PersonBirthDate": None if unborn else person["date_of_birth"],
            "ExpectedPersonBirthDate": person["expected_date_of_birth"] if unborn else None,
            "Sex": Sex.UNKNOWN if unborn or person["kind"] == PersonKind.UNBORN else person["sex"],
            "PersonDeathDate": _upto(person["date_of_death"], end),
        },
        "ChildCharacteristics": {
            "Ethnicity": person["ethnicity"],
            "Disabilities": {"Disability": list(person["disabilities"] or [])},
        },
        "CINdetails": details,
    }


def _episode(
    e: dict[str, Any],
    end: date,
    *,
    assessments: list[dict[str, Any]],
    cin_plans: list[dict[str, Any]],
    enquiries: list[dict[str, Any]],
    icpc_of_s47: dict[int, date],
    first_icpc: date | None,
    cp_plans: list[dict[str, Any]],
    reviews: dict[int, list[dict[str, Any]]],
) -> dict[str, Any]:
    closed = _upto(e["closure_date"], end)
    return {
        "CINreferralDate": e["referral_date"],
        "ReferralSource": e["referral_source"],
        "PrimaryNeedCode": e["primary_need"],
        "CINclosureDate": closed,
        "ReasonForClosure": e["closure_reason"] if closed else "",
        "DateOfInitialCPC": first_icpc,
        "ReferralNFA": bool(e["referral_nfa"]) and closed is not None,
        "Assessments": [_assessment(a, end) for a in assessments],
        "CINPlanDates": [
            {"CINPlanStartDate": p["start_date"], "CINPlanEndDate": _upto(p["end_date"], end)}
            for p in cin_plans
        ],
        "Section47": [
            {
                "S47ActualStartDate": s["start_date"],
                "InitialCPCtarget": s["icpc_target"],
                "DateOfInitialCPC": icpc_of_s47.get(s["pk"]),
                "ICPCnotRequired": s["outcome"] == Section47Outcome.NO_ICPC
                and _upto(s["end_date"], end) is not None,
            }
            for s in enquiries
        ],
        "ChildProtectionPlans": [
            {
                "CPPstartDate": p["start_date"],
                "CPPendDate": _upto(p["end_date"], end),
                "InitialCategoryOfAbuse": p["initial_category"],
                "LatestCategoryOfAbuse": p["latest_category"],
                "NumberOfPreviousCPP": p["previous_plans"],
                "Reviews": {"CPPreviewDate": [r["held_on"] for r in reviews.get(p["pk"], [])]},
            }
            for p in cp_plans
        ],
    }


def _assessment(a: dict[str, Any], end: date) -> dict[str, Any]:
    authorised = _upto(a["authorised_date"], end)
    return {
        "AssessmentActualStartDate": a["start_date"],
        "AssessmentAuthorisationDate": authorised,
        "FactorsIdentifiedAtAssessment": (
            {"AssessmentFactors": list(a["factors"] or [])} if authorised else None
        ),
    }
