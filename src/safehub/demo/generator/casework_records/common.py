"""The proportions Demoshire's casework aims at (national shapes, reference.md sections 1, 2,
4, 5), and the small helpers every area uses: weighted picks, cached working-day and
statutory clocks, timestamps."""

import random
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from safehub.casework import timescales as due
from safehub.casework.codes import (
    AllocationReason,
    CategoryOfAbuse,
    EarlyHelpClosure,
    PlacementChangeReason,
)
from safehub.chronology import registry
from safehub.core.workdays import add_working_days
from safehub.demo.generator.frontdoor import SOURCES
from safehub.demo.generator.organisations import CIC_TEAM, CP_TEAM, NORTH, SOUTH
from safehub.demo.generator.plan import PRIMARY_NEEDS

LONDON = ZoneInfo("Europe/London")
NO_FACTORS = "21"
DAY = timedelta(days=1)

# The current state of a known family's children, by the allocated worker's area.
STATES = {
    NORTH: {"assessment": 30, "cin_plan": 49, "s47": 4, "cp": 3, "cla": 9, "other": 5},
    SOUTH: {"assessment": 30, "cin_plan": 49, "s47": 4, "cp": 3, "cla": 9, "other": 5},
    CP_TEAM: {"cp": 34, "s47": 8, "stepdown": 42, "cla": 7, "assessment": 5, "other": 4},
    CIC_TEAM: {"cla": 100},
}
SIBLING_SAME = 0.85  # brothers and sisters usually share the family's state
# `social.worker`'s families after the first two, in order: a mix of work at every scale.
SHOWCASE_STATES = [
    "assessment",
    "cin_plan",
    "s47",
    "cla",
    "cin_plan",
    "assessment",
    "cp",
    "cin_plan",
    "stepdown",
    "cin_plan",
    "cla",
    "cin_plan",
]
# Children on a plan who had one before: England about 23% (a little more is asked, as a very
# young child sometimes leaves no room for one).
PREVIOUS_CP_SHARE = 0.27
PREVIOUS_EPISODE_SHARE = 0.25  # known children with a closed episode before this one
UNKNOWN_HISTORY_SHARE = 0.03  # children of other families with an old closed episode
STALL = {"visit": 0.12, "review": 0.06}  # open statutory work left overdue
SHOWCASE_STALL = {"visit": 0.3, "review": 0.15}
LATE_ICPC = 0.2  # national: about 75-80% of ICPCs within 15 working days
SLOW_ASSESSMENT = 0.17  # national: about 80-85% of assessments within 45 working days
CATEGORIES = {
    CategoryOfAbuse.NEG: 50,
    CategoryOfAbuse.EMO: 36,
    CategoryOfAbuse.PHY: 8,
    CategoryOfAbuse.SAB: 4,
    CategoryOfAbuse.MUL: 2,
}
NEEDS = PRIMARY_NEEDS
PLACE_CHANGE = {
    PlacementChangeReason.CARPL: 30,
    PlacementChangeReason.CREQB: 15,
    PlacementChangeReason.CREQO: 10,
    PlacementChangeReason.CHILD: 8,
    PlacementChangeReason.STAND: 4,
    PlacementChangeReason.ALLEG: 3,
    PlacementChangeReason.LAREQ: 10,
    PlacementChangeReason.CLOSE: 5,
    PlacementChangeReason.APPRR: 2,
    PlacementChangeReason.OTHER: 13,
}
REALLOCATION = {
    AllocationReason.LEFTRL: 30,
    AllocationReason.MANAGE: 20,
    AllocationReason.ABSENC: 12,
    AllocationReason.ORGRST: 8,
    AllocationReason.FCONTA: 6,
    AllocationReason.CHCHAN: 3,
    AllocationReason.PCCHAN: 6,
    AllocationReason.OTHERS: 15,
}
EH_CLOSURES = {
    EarlyHelpClosure.OUTCOMES_MET: 55,
    EarlyHelpClosure.STEPPED_UP: 10,
    EarlyHelpClosure.DECLINED: 15,
    EarlyHelpClosure.MOVED: 5,
    EarlyHelpClosure.OTHER: 15,
}
EH_SOURCES = {"2A": 40, "3B": 15, "3A": 10, "1C": 10, "8": 15, "4": 10}
SOURCE_WEIGHTS = {s.code: s.weight for s in SOURCES}
DUE_LABELS = {
    "assessment": "Complete the child and family assessment",
    "authorise": "Authorise the assessment",
    "icpc": "Hold the initial child protection conference",
    "strategy": "Hold the strategy discussion",
}


def _pick(rng: random.Random, weighted: Mapping[Any, float]) -> Any:
    return rng.choices(list(weighted), list(weighted.values()))[0]


def _on_a_weekday(day: date, *, earliest: date) -> date:
    """No initial conference at a weekend (census 8875): the Friday before, unless that is
    too early, then the Monday after."""
    if day.weekday() < 5:
        return day
    friday = day - timedelta(days=day.weekday() - 4)
    return friday if friday >= earliest else day + timedelta(days=7 - day.weekday())


@lru_cache(maxsize=100_000)
def _wd(start: date, days: int) -> date:
    return add_working_days(start, days)


# The statutory clocks, cached: the same dates come up again and again.
_assessment_due = lru_cache(maxsize=50_000)(due.assessment_due)
_icpc_due = lru_cache(maxsize=50_000)(due.icpc_due)
_core_group_due = lru_cache(maxsize=50_000)(due.first_core_group_due)
_cp_visit_due = lru_cache(maxsize=100_000)(due.cp_visit_due)
_cin_visit_due = lru_cache(maxsize=100_000)(due.cin_visit_due)
_care_plan_due = lru_cache(maxsize=50_000)(due.care_plan_due)


def _stamp(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=LONDON)


@lru_cache(maxsize=64)
def _category(code: str) -> str:
    return registry.get(code).category
