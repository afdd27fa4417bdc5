"""Demoshire's casework records (`casework.models`) for the children the council knows, in
roughly the national proportions (shared/domain/reference.md sections 1, 2, 4, 5), and
their loading.

Every child of a family with an allocated worker has an episode of need that is still
open, in the state the worker's team suggests: under assessment, a section 47 enquiry, a
child protection plan (about 12% of children in need; about 23% with an earlier plan), a
child in need plan, or looked after (about 20%: periods of care made of SSDA903 episodes,
placement moves with reasons, legal status changes, reviews, missing episodes); early-help
families have an early-help episode. Referrals decided by the MASH (`frontdoor.py`) open
the episodes the real decision would have opened, on the day the contact was received and
with its source; children in families the council otherwise does not know are assessed and
mostly closed (no further action, or early help), and the most recent are still being
assessed. Some children have closed episodes before the current one; the long-history
children about a decade of them.

Records are written as the services would have left them (`casework/services.py`): the
rules hold (a plan starts on its initial conference, no two plans overlap, nothing after an
RC8/RC9 closure, nothing before the referral or after yesterday), and the open `DueItem`
rows are what the services would have registered and not yet closed, computed with
`casework.timescales` by replaying the same register/complete steps in date order. Most
statutory work is in time; some is overdue. Allocations link to the child's
allocated-worker involvement; earlier allocations have their own ended involvements.

The chronology gets what the services append, except the routine records (visits, core
groups, supervision, ordinary case notes), which stay on the casework page: at the large
scale they would add millions of entries to the person pages' timelines.

The planner has its own seeded Random and runs after the contact planner, so adding
casework leaves families and contacts as they were (apart from involvement dates, and the
involvements that allocations and conference chairs need).
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from safehub.access.models import InvolvementKind
from safehub.access.roles import Role
from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    AllocationReason,
    CategoryOfAbuse,
    ClosureReason,
    ConferenceKind,
    ConferenceOutcome,
    EarlyHelpClosure,
    EpisodeKind,
    LegalStatus,
    MissingKind,
    PlacementChangeReason,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
    Section47Outcome,
    StrategyOutcome,
    VisitKind,
)
from safehub.casework.models import (
    Allocation,
    Assessment,
    CareEpisode,
    CareReview,
    CaseNote,
    CINPlan,
    CINPlanReview,
    Conference,
    CoreGroup,
    CPPlan,
    DueItem,
    Episode,
    MissingEpisode,
    Oversight,
    PeriodOfCare,
    Section47,
    StrategyDiscussion,
    Visit,
)
from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.core.workdays import add_working_days, working_days_between
from safehub.demo.generator import casework_text as words
from safehub.demo.generator import data
from safehub.demo.generator.families import YEAR
from safehub.demo.generator.frontdoor import SOURCES
from safehub.demo.generator.identifiers import postcode
from safehub.demo.generator.organisations import (
    CASE_TEAMS,
    CIC_TEAM,
    COUNCIL,
    CP_TEAM,
    EARLY_HELP,
    NORTH,
    SOUTH,
    OrgPlan,
)
from safehub.demo.generator.plan import PlannedContact, PlannedFamily, PlannedInvolvement
from safehub.frontdoor.codes import ASSESSMENT_FACTORS, REFERRAL_DECISIONS, Decision, Status
from safehub.frontdoor.models import Contact
from safehub.people import events as people_events
from safehub.people.codes import PersonKind, Sex

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
NEEDS = {"N1": 57, "N2": 9, "N3": 3, "N4": 8, "N5": 16, "N6": 2, "N8": 4, "N0": 1}
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
}


def _pick(rng: random.Random, weighted: dict[Any, float]) -> Any:
    return rng.choices(list(weighted), list(weighted.values()))[0]


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


# --- rows ------------------------------------------------------------------------------------
# A planned row is its table and its values in the table's column order. Column kinds say how
# a value becomes what the database holds: v as is, p a person (index in the family),
# u a username, r another planned row (its id), s another planned row (its id as text),
# t a team (agency, name), c a planned contact, i a planned involvement, a the council.


class Table:
    def __init__(self, model: Any, columns: str) -> None:
        self.model = model
        pairs = [c.split(":") for c in columns.split()]
        self.names = tuple(name for name, _ in pairs)
        self.kinds = tuple(kind for _, kind in pairs)
        self.index = {name: i for i, name in enumerate(self.names)}


class Row:
    __slots__ = ("pk", "table", "values")

    def __init__(self, table: Table, **values: Any) -> None:
        if values.keys() != table.index.keys():
            raise KeyError(f"{table.model.__name__}: {set(values) ^ set(table.index)}")
        self.table = table
        self.values = [values[name] for name in table.names]
        self.pk: int | None = None

    def __getitem__(self, name: str) -> Any:
        return self.values[self.table.index[name]]

    def __setitem__(self, name: str, value: Any) -> None:
        self.values[self.table.index[name]] = value


_T = "created_at:v updated_at:v"
EPISODE = Table(
    Episode,
    "kind:v child_id:p contact_id:c referral_date:v referral_source:v "
    f"primary_need:v closure_date:v closure_reason:v opened_by_id:u {_T}",
)
ASSESSMENT = Table(
    Assessment,
    "episode_id:r start_date:v due_date:v child_seen_date:v "
    "child_seen_alone:v factors:v completed_date:v "
    f"authorised_date:v authorised_by_id:u summary:v {_T}",
)
STRATEGY = Table(
    StrategyDiscussion,
    f"episode_id:r held_on:v participants:v outcome:v notes:v recorded_by_id:u {_T}",
)
SECTION47 = Table(
    Section47, f"episode_id:r strategy_id:r start_date:v icpc_target:v end_date:v outcome:v {_T}"
)
CP_PLAN = Table(
    CPPlan,
    "episode_id:r child_id:p start_date:v initial_category:v "
    f"latest_category:v previous_plans:v end_date:v {_T}",
)
CONFERENCE = Table(
    Conference,
    "episode_id:r kind:v section47_id:r plan_id:r held_on:v "
    f"outcome:v category:v chair_id:u recorded_by_id:u {_T}",
)
CORE_GROUP = Table(CoreGroup, f"plan_id:r held_on:v notes:v recorded_by_id:u {_T}")
CIN_PLAN = Table(CINPlan, f"episode_id:r child_id:p start_date:v end_date:v review_notes:v {_T}")
CIN_REVIEW = Table(CINPlanReview, f"plan_id:r held_on:v recorded_by_id:u {_T}")
PERIOD = Table(
    PeriodOfCare,
    f"child_id:p episode_id:r start_date:v end_date:v reason_ceased:v care_plan_date:v {_T}",
)
CARE_EPISODE = Table(
    CareEpisode,
    "period_id:r start_date:v reason_new_episode:v "
    "legal_status:v placement_type:v provider:v carer_name:v "
    "home_postcode:v placement_postcode:v urn:v end_date:v "
    f"reason_ceased:v reason_place_change:v {_T}",
)
CARE_REVIEW = Table(CareReview, f"period_id:r held_on:v recorded_by_id:u {_T}")
MISSING = Table(
    MissingEpisode,
    "child_id:p kind:v start_date:v end_date:v "
    "return_interview_offered:v return_interview_accepted:v "
    f"recorded_by_id:u {_T}",
)
VISIT = Table(
    Visit,
    "child_id:p episode_id:r kind:v visited_on:v child_seen:v "
    f"child_seen_alone:v bedroom_seen:v note:v recorded_by_id:u {_T}",
)
CASE_NOTE = Table(CaseNote, f"child_id:p author_id:u occurred_at:v text:v significant:v {_T}")
ALLOCATION = Table(
    Allocation,
    "child_id:p worker_id:u team_id:t start_date:v end_date:v "
    f"reason:v involvement_id:i allocated_by_id:u {_T}",
)
OVERSIGHT = Table(
    Oversight, f"child_id:p kind:v held_on:v discussion:v actions:v manager_id:u {_T}"
)
DUE_ITEM = Table(
    DueItem, f"child_id:p kind:v label:v due_date:v source_type:v source_id:s done_on:v {_T}"
)
ENTRY = Table(
    ChronologyEntry,
    "occurred_at:v recorded_at:v recorded_by_id:u "
    "source_agency_id:a event_type:v category:v significance:v "
    "summary:v source_type:v source_id:s",
)
LINK = Table(ChronologyLink, "entry_id:r person_id:p occurred_at:v")
TABLES = [
    EPISODE,
    ASSESSMENT,
    STRATEGY,
    SECTION47,
    CP_PLAN,
    CONFERENCE,
    CORE_GROUP,
    CIN_PLAN,
    CIN_REVIEW,
    PERIOD,
    CARE_EPISODE,
    CARE_REVIEW,
    MISSING,
    VISIT,
    CASE_NOTE,
    ALLOCATION,
    OVERSIGHT,
    DUE_ITEM,
    ENTRY,
    LINK,
]
CASEWORK_TABLES = [t.model for t in TABLES[:-2]]
# Read from indexes alone by the team page (casework migration 0002): vacuumed after loading.
INDEX_ONLY_TABLES = [Episode, Allocation]
COUNTED = {
    EPISODE: "episodes",
    ASSESSMENT: "assessments",
    CP_PLAN: "cp_plans",
    CIN_PLAN: "cin_plans",
    PERIOD: "care_periods",
    CARE_EPISODE: "care_episodes",
    VISIT: "visits",
    CASE_NOTE: "case_notes",
    ALLOCATION: "allocations",
    OVERSIGHT: "oversight",
    DUE_ITEM: "due_items",
    MISSING: "missing_episodes",
}
COUNT_KEYS = list(COUNTED.values())


@dataclass
class FamilyCasework:
    rows: list[Row] = field(default_factory=list)


# --- one child's records, as the services would write them ---------------------------------


class Case:
    """The records of one child, written through small stand-ins for the casework services:
    each keeps the same rules and registers and completes the same due items."""

    def __init__(self, planner: "CaseworkPlanner", fam: PlannedFamily, child: int) -> None:
        self.p = planner
        self.rng = planner.rng
        self.fam = fam
        self.child = child
        self.person = fam.persons[child]
        self.rows = fam.casework.rows
        self.due: dict[tuple[int, str], list[Any]] = {}
        self.cp_plans_ended = 0
        self.missing_until: date | None = None
        self.worker_at: list[tuple[date, str]] = []  # (from, username): who held the case
        self.chair_involvement: PlannedInvolvement | None = None
        self.previous_cp = False  # wants an earlier child protection plan in this episode
        self.first_referral: date | None = None
        self.early_help: list[tuple[date, date | None]] = []
        self.placement: Row | None = None  # the current 903 episode of a period of care
        self.long = fam.long_history == child

    # --- plumbing -------------------------------------------------------------------------

    def add(self, table: Table, **values: Any) -> Row:
        row = Row(table, **values)
        self.rows.append(row)
        return row

    def register(self, source: Row, kind: str, label: str, due_date: date, on: date) -> None:
        # As update_or_create on the open item: one per (source, kind). `on` is when it was
        # last (re)registered, which is where the work it tracks carries on from.
        self.due[(id(source), kind)] = [source, kind, label, due_date, on]

    def complete(self, source: Row, kind: str) -> None:
        self.due.pop((id(source), kind), None)

    def complete_source(self, source: Row) -> None:
        for key in [k for k in self.due if k[0] == id(source)]:
            del self.due[key]

    def event(
        self,
        code: str,
        day: date,
        summary: str,
        source: Row,
        by: str,
        significance: int = Significance.MEDIUM,
    ) -> None:
        when = _stamp(day)
        entry = self.add(
            ENTRY,
            occurred_at=when,
            recorded_at=when,
            recorded_by_id=by,
            source_agency_id=None,
            event_type=code,
            category=_category(code),
            significance=int(significance),
            summary=summary,
            source_type=source.table.model._meta.label,
            source_id=source,
        )
        self.add(LINK, entry_id=entry, person_id=self.child, occurred_at=when)

    def worker(self, day: date) -> str:
        """Who held the case on `day` (the current worker if nobody is recorded)."""
        holder = self.worker_at[0][1] if self.worker_at else self.p.fallback_worker
        for start, username in self.worker_at:
            if start <= day:
                holder = username
        return holder

    def manager(self, day: date) -> str:
        return self.p.manager_of(self.worker(day))

    def finish(self) -> None:
        """The due items still open become rows; the child's record is created before their
        first episode (moving its creation entry with it)."""
        first, person = self.first_referral, self.person
        if (
            first is not None
            and person.created_at is not None
            and (person.created_at.date() > first)
        ):
            day = max(first - timedelta(days=self.rng.randint(0, 3)), person.date_of_birth or first)
            created = datetime.combine(
                day, time(self.rng.randint(9, 16), self.rng.randint(0, 59)), tzinfo=LONDON
            )
            for event in self.fam.events:
                if event.event_type == people_events.PERSON_CREATED and (
                    event.persons == [self.child]
                ):
                    event.occurred_at = created
            person.created_at = created
        for source, kind, label, due_date, on in self.due.values():
            self.add(
                DUE_ITEM,
                child_id=self.child,
                kind=kind,
                label=label,
                due_date=due_date,
                source_type=source.table.model._meta.label,
                source_id=source,
                done_on=None,
                created_at=_stamp(on, 9),
                updated_at=_stamp(on, 9),
            )

    def fill(self, template: str) -> str:
        person = self.person
        he, him, his = {Sex.MALE: ("he", "him", "his"), Sex.FEMALE: ("she", "her", "her")}.get(
            person.sex, ("they", "them", "their")
        )
        parent = self.p.parent_name(self.fam)
        return template.format(
            child=person.current.given,
            parent=parent,
            he=he,
            him=him,
            his=his,
            pct=self.rng.randint(70, 96),
            town=self.rng.choice(data.TOWNS)[0],
        )

    # --- episodes -----------------------------------------------------------------------------

    def episode_open(
        self,
        kind: str,
        referral: date,
        opened: date,
        *,
        source: str,
        need: str,
        contact: PlannedContact | None,
        by: str,
    ) -> Row:
        self.first_referral = min(self.first_referral or referral, referral)
        episode = self.add(
            EPISODE,
            kind=kind,
            child_id=self.child,
            contact_id=contact,
            referral_date=referral,
            referral_source=source,
            primary_need=need,
            closure_date=None,
            closure_reason="",
            opened_by_id=by,
            created_at=_stamp(opened, 10),
            updated_at=_stamp(opened, 10),
        )
        label = EpisodeKind(kind).label
        self.event(
            events.EPISODE_OPENED,
            referral,
            f"{label} episode opened (referral {referral:%-d %B %Y})",
            episode,
            by,
            Significance.HIGH,
        )
        return episode

    def episode_close(self, episode: Row, day: date, reason: str, by: str) -> None:
        episode["closure_date"], episode["closure_reason"] = day, reason
        episode["updated_at"] = _stamp(day, 16)
        if episode["kind"] == EpisodeKind.CIN:
            self.due.clear()  # the service closes every open item of the child
            label = ClosureReason(reason).label
        else:
            label = EarlyHelpClosure(reason).label
        self.event(
            events.EPISODE_CLOSED, day, f"Episode closed: {label}", episode, by, Significance.HIGH
        )

    # --- assessment ---------------------------------------------------------------------------

    def assessment(
        self,
        episode: Row,
        start: date,
        seen: date | None,
        completed: date | None,
        authorised: date | None,
        *,
        factors: list[str],
        summary: str,
        cutoff: date,
    ) -> Row:
        """An assessment as far as it had got by `cutoff`."""
        rng = self.rng
        seen = seen if seen and seen <= cutoff else None
        completed = completed if completed and completed <= cutoff and seen else None
        authorised = authorised if authorised and authorised <= cutoff and completed else None
        due_date = _assessment_due(episode["referral_date"])
        worker = self.worker(start)
        alone = bool(seen) and self.age(seen) >= 4 * YEAR and rng.random() < 0.7
        row = self.add(
            ASSESSMENT,
            episode_id=episode,
            start_date=start,
            due_date=due_date,
            child_seen_date=seen,
            child_seen_alone=alone,
            factors=factors if completed else [],
            completed_date=completed,
            authorised_date=authorised,
            authorised_by_id=self.manager(authorised) if authorised else None,
            summary=self.fill(summary) if completed else "",
            created_at=_stamp(start, 11),
            updated_at=_stamp(authorised or completed or seen or start, 15),
        )
        self.register(row, "assessment", DUE_LABELS["assessment"], due_date, start)
        self.event(
            events.ASSESSMENT_STARTED,
            start,
            f"Child and family assessment started; due {due_date:%-d %B %Y}",
            row,
            worker,
        )
        if completed:
            self.complete(row, "assessment")
            self.register(row, "authorise", DUE_LABELS["authorise"], completed, completed)
            self.event(
                events.ASSESSMENT_COMPLETED,
                completed,
                "Assessment completed; factors: " + ", ".join(factors),
                row,
                worker,
            )
        if authorised:
            self.complete(row, "authorise")
            late = authorised > due_date
            self.event(
                events.ASSESSMENT_AUTHORISED,
                authorised,
                "Assessment authorised" + (" after the 45-working-day timescale" if late else ""),
                row,
                self.manager(authorised),
            )
        return row

    # --- child protection ---------------------------------------------------------------------

    def strategy(self, episode: Row, held: date, outcome: str) -> tuple[Row, Row | None]:
        rng = self.rng
        by = self.worker(held)
        row = self.add(
            STRATEGY,
            episode_id=episode,
            held_on=held,
            participants=rng.choice(words.STRATEGY_PARTICIPANTS),
            outcome=outcome,
            notes=rng.choice(words.STRATEGY_NOTES),
            recorded_by_id=by,
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.event(
            events.STRATEGY_DISCUSSION,
            held,
            f"Strategy discussion: {StrategyOutcome(outcome).label}",
            row,
            by,
            Significance.HIGH,
        )
        if outcome != StrategyOutcome.SECTION_47:
            return row, None
        target = _icpc_due(held)
        enquiry = self.add(
            SECTION47,
            episode_id=episode,
            strategy_id=row,
            start_date=held,
            icpc_target=target,
            end_date=None,
            outcome="",
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.register(enquiry, "icpc", DUE_LABELS["icpc"], target, held)
        self.event(
            events.SECTION_47_STARTED,
            held,
            f"Section 47 enquiry started; initial conference due by {target:%-d %B %Y}",
            enquiry,
            by,
            Significance.HIGH,
        )
        return row, enquiry

    def conclude(self, enquiry: Row, day: date, outcome: str) -> None:
        enquiry["end_date"], enquiry["outcome"] = day, outcome
        enquiry["updated_at"] = _stamp(day, 15)
        if outcome == Section47Outcome.NO_ICPC:
            self.complete(enquiry, "icpc")
        self.event(
            events.SECTION_47_CONCLUDED,
            day,
            f"Section 47 enquiry concluded: {Section47Outcome(outcome).label}",
            enquiry,
            self.worker(day),
            Significance.HIGH,
        )

    def icpc(
        self,
        episode: Row,
        enquiry: Row,
        held: date,
        *,
        plan: bool,
        category: str,
        chair: str,
        open_cin: Row | None,
    ) -> Row | None:
        """The initial conference; a plan starts the same day and ends any child in need
        plan (census 2885, 4001)."""
        cp = None
        if plan:
            if open_cin is not None:
                self.cin_end(open_cin, held, by_cp=True)
            cp = self.add(
                CP_PLAN,
                episode_id=episode,
                child_id=self.child,
                start_date=held,
                initial_category=category,
                latest_category=category,
                previous_plans=self.cp_plans_ended,
                end_date=None,
                created_at=_stamp(held, 13),
                updated_at=_stamp(held, 13),
            )
            self.register(
                cp, "core_group", "Hold the first core group", _core_group_due(held), held
            )
            self.register(
                cp,
                "cp_review",
                "Hold the first review conference",
                due.cp_review_due(held, first=True),
                held,
            )
            self.register(
                cp, "cp_visit", "Visit the child (child protection plan)", _cp_visit_due(held), held
            )
            previous = self.cp_plans_ended
            self.event(
                events.CP_PLAN_STARTED,
                held,
                f"Child protection plan started: {CategoryOfAbuse(category).label}"
                + (f" (previous plans: {previous})" if previous else ""),
                cp,
                chair,
                Significance.CRITICAL,
            )
        outcome = ConferenceOutcome.PLAN if plan else ConferenceOutcome.NO_PLAN
        conference = self.add(
            CONFERENCE,
            episode_id=episode,
            kind=ConferenceKind.INITIAL,
            section47_id=enquiry,
            plan_id=cp,
            held_on=held,
            outcome=outcome,
            category=category if plan else "",
            chair_id=chair,
            recorded_by_id=chair,
            created_at=_stamp(held, 13),
            updated_at=_stamp(held, 13),
        )
        self.complete(enquiry, "icpc")
        late = held > enquiry["icpc_target"]
        self.event(
            events.CONFERENCE_HELD,
            held,
            f"Initial child protection conference: {ConferenceOutcome(outcome).label}"
            + (" (after the 15-working-day timescale)" if late else ""),
            conference,
            chair,
            Significance.CRITICAL,
        )
        return cp

    def core_group(self, plan: Row, held: date) -> None:
        self.add(
            CORE_GROUP,
            plan_id=plan,
            held_on=held,
            notes=self.rng.choice(words.CORE_GROUP_NOTES),
            recorded_by_id=self.worker(held),
            created_at=_stamp(held, 11),
            updated_at=_stamp(held, 11),
        )
        self.complete(plan, "core_group")

    def cp_review(self, plan: Row, held: date, *, end: bool, chair: str) -> None:
        category = ""
        if self.rng.random() < 0.15:
            category = _pick(self.rng, CATEGORIES)
            plan["latest_category"] = category
        outcome = ConferenceOutcome.END if end else ConferenceOutcome.CONTINUE
        conference = self.add(
            CONFERENCE,
            episode_id=plan["episode_id"],
            kind=ConferenceKind.REVIEW,
            section47_id=None,
            plan_id=plan,
            held_on=held,
            outcome=outcome,
            category=category,
            chair_id=chair,
            recorded_by_id=chair,
            created_at=_stamp(held, 13),
            updated_at=_stamp(held, 13),
        )
        self.complete(plan, "cp_review")
        plan["updated_at"] = _stamp(held, 13)
        if end:
            plan["end_date"] = held
            self.complete_source(plan)
            self.cp_plans_ended += 1
            self.event(
                events.CP_PLAN_ENDED,
                held,
                "Child protection plan ended",
                plan,
                chair,
                Significance.CRITICAL,
            )
        else:
            self.register(
                plan,
                "cp_review",
                "Hold the next review conference",
                due.cp_review_due(held, first=False),
                held,
            )
        self.event(
            events.CONFERENCE_HELD,
            held,
            f"Review child protection conference: {ConferenceOutcome(outcome).label}",
            conference,
            chair,
            Significance.HIGH,
        )

    # --- child in need plans ------------------------------------------------------------------

    def cin_start(self, episode: Row, start: date) -> Row:
        plan = self.add(
            CIN_PLAN,
            episode_id=episode,
            child_id=self.child,
            start_date=start,
            end_date=None,
            review_notes="",
            created_at=_stamp(start, 11),
            updated_at=_stamp(start, 11),
        )
        self.register(
            plan,
            "cin_review",
            "Review the child in need plan",
            due.cin_plan_review_due(start, first=True),
            start,
        )
        self.register(
            plan, "cin_visit", "Visit the child (child in need plan)", _cin_visit_due(start), start
        )
        self.event(
            events.CIN_PLAN_STARTED, start, "Child in need plan started", plan, self.worker(start)
        )
        return plan

    def cin_review(self, plan: Row, held: date) -> None:
        by = self.worker(held)
        review = self.add(
            CIN_REVIEW,
            plan_id=plan,
            held_on=held,
            recorded_by_id=by,
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.complete(plan, "cin_review")
        self.register(
            plan,
            "cin_review",
            "Review the child in need plan",
            due.cin_plan_review_due(held, first=False),
            held,
        )
        self.event(events.CIN_PLAN_REVIEWED, held, "Child in need plan reviewed", review, by)

    def cin_end(self, plan: Row, day: date, *, by_cp: bool = False) -> None:
        plan["end_date"] = day
        plan["updated_at"] = _stamp(day, 12)
        self.complete_source(plan)
        self.event(
            events.CIN_PLAN_ENDED,
            day,
            "Child in need plan ended: a child protection plan started"
            if by_cp
            else "Child in need plan ended",
            plan,
            self.worker(day),
        )

    # --- children in care ---------------------------------------------------------------------

    def care_start(self, episode: Row, start: date, placement: dict[str, str]) -> Row:
        period = self.add(
            PERIOD,
            child_id=self.child,
            episode_id=episode,
            start_date=start,
            end_date=None,
            reason_ceased="",
            care_plan_date=None,
            created_at=_stamp(start, 15),
            updated_at=_stamp(start, 15),
        )
        current = self.add(
            CARE_EPISODE,
            period_id=period,
            start_date=start,
            reason_new_episode=ReasonNewEpisode.S,
            **placement,
            end_date=None,
            reason_ceased="",
            reason_place_change="",
            created_at=_stamp(start, 15),
            updated_at=_stamp(start, 15),
        )
        self.placement = current
        self.register(period, "care_plan", "Write the care plan", _care_plan_due(start), start)
        self.register(
            period,
            "care_review",
            "Hold the first looked-after review",
            due.care_review_due(start, number=1),
            start,
        )
        self.register(
            period,
            "cla_visit",
            "Visit the child in their placement",
            due.care_visit_due(date.min, start),
            start,
        )
        self.event(
            events.CARE_STARTED,
            start,
            f"Became looked after: {LegalStatus(placement['legal_status']).label}; "
            f"placed {PlacementType(placement['placement_type']).label.lower()}",
            period,
            self.worker(start),
            Significance.CRITICAL,
        )
        return period

    def care_change(self, period: Row, day: date, placement: dict[str, str], reason: str) -> str:
        old = self.placement
        rne = _reason_new_episode(old, placement)
        old["end_date"], old["reason_ceased"] = day, ReasonCeased.X1
        old["reason_place_change"] = reason if rne != ReasonNewEpisode.L else ""
        old["updated_at"] = _stamp(day, 12)
        self.placement = self.add(
            CARE_EPISODE,
            period_id=period,
            start_date=day,
            reason_new_episode=rne,
            **placement,
            end_date=None,
            reason_ceased="",
            reason_place_change="",
            created_at=_stamp(day, 12),
            updated_at=_stamp(day, 12),
        )
        if rne != ReasonNewEpisode.L:
            self.register(
                period,
                "cla_visit",
                "Visit the child in their new placement",
                due.care_visit_due(date.min, day),
                day,
            )
        self.event(
            events.PLACEMENT_CHANGED,
            day,
            f"{ReasonNewEpisode(rne).label}: now "
            f"{PlacementType(placement['placement_type']).label.lower()}",
            self.placement,
            self.worker(day),
            Significance.HIGH,
        )
        return rne

    def care_plan(self, period: Row, day: date) -> None:
        period["care_plan_date"] = day
        self.complete(period, "care_plan")
        self.event(events.CARE_PLAN, day, "Care plan written", period, self.worker(day))

    def care_review(self, period: Row, held: date, number: int, iro: str) -> None:
        review = self.add(
            CARE_REVIEW,
            period_id=period,
            held_on=held,
            recorded_by_id=iro,
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.complete(period, "care_review")
        self.register(
            period,
            "care_review",
            "Hold the next looked-after review",
            due.care_review_due(held, number=number + 1),
            held,
        )
        self.event(events.CARE_REVIEW, held, f"Looked-after review {number}", review, iro)

    def care_end(self, period: Row, day: date, reason: str) -> None:
        current = self.placement
        current["end_date"], current["reason_ceased"] = day, reason
        current["updated_at"] = _stamp(day, 12)
        period["end_date"], period["reason_ceased"] = day, reason
        period["updated_at"] = _stamp(day, 12)
        self.complete_source(period)
        self.event(
            events.CARE_ENDED,
            day,
            f"Ceased to be looked after: {ReasonCeased(reason).label}",
            period,
            self.worker(day),
            Significance.CRITICAL,
        )

    def missing(self, start: date, end: date) -> None:
        rng = self.rng
        kind = MissingKind.MISSING if rng.random() < 0.8 else MissingKind.AWAY
        offered = rng.random() < 0.85
        by = self.worker(start)
        row = self.add(
            MISSING,
            child_id=self.child,
            kind=kind,
            start_date=start,
            end_date=end,
            return_interview_offered=offered,
            return_interview_accepted=(rng.random() < 0.55) if offered else None,
            recorded_by_id=by,
            created_at=_stamp(end, 10),
            updated_at=_stamp(end, 10),
        )
        self.missing_until = end
        self.event(
            events.MISSING_EPISODE,
            start,
            f"{MissingKind(kind).label} from {start:%-d %B %Y}",
            row,
            by,
            Significance.HIGH,
        )

    # --- visits, notes, oversight -------------------------------------------------------------

    def visit(
        self,
        episode: Row,
        kind: str,
        source: Row | None,
        day: date,
        *,
        seen: bool,
        next_due: date | None = None,
    ) -> None:
        rng = self.rng
        age = self.age(day)
        alone = seen and age >= 4 * YEAR and rng.random() < 0.6
        bedroom = seen and rng.random() < (0.45 if kind != VisitKind.CLA else 0.3)
        note = ""
        if rng.random() < 0.5:
            pool = words.CARE_VISIT_NOTES if kind == VisitKind.CLA else words.VISIT_NOTES
            note = self.fill(rng.choice(pool)) if seen else "Child not seen: nobody at home."
        by = self.worker(day)
        self.add(
            VISIT,
            child_id=self.child,
            episode_id=episode,
            kind=kind,
            visited_on=day,
            child_seen=seen,
            child_seen_alone=alone,
            bedroom_seen=bedroom,
            note=note,
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        if source is not None and seen and next_due is not None:
            due_kind = {
                VisitKind.CP: "cp_visit",
                VisitKind.CIN: "cin_visit",
                VisitKind.CLA: "cla_visit",
            }[kind]
            self.complete(source, due_kind)
            self.register(
                source,
                due_kind,
                f"Visit the child ({VisitKind(kind).label.lower()})",
                next_due,
                day,
            )

    def note(self, day: date, *, significant: bool = False) -> None:
        rng = self.rng
        text = self.fill(rng.choice(words.SIGNIFICANT_NOTES if significant else words.CASE_NOTES))
        when = datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=LONDON)
        by = self.worker(day)
        row = self.add(
            CASE_NOTE,
            child_id=self.child,
            author_id=by,
            occurred_at=when,
            text=text,
            significant=significant,
            created_at=when,
            updated_at=when,
        )
        if significant:
            entry = self.add(
                ENTRY,
                occurred_at=when,
                recorded_at=when,
                recorded_by_id=by,
                source_agency_id=None,
                event_type=events.CASE_NOTE,
                category=_category(events.CASE_NOTE),
                significance=int(Significance.HIGH),
                summary=text[:500],
                source_type="casework.CaseNote",
                source_id=row,
            )
            self.add(LINK, entry_id=entry, person_id=self.child, occurred_at=when)

    def oversight(self, day: date, manager: str) -> None:
        rng = self.rng
        kind = "supervision" if rng.random() < 0.8 else "oversight"
        self.add(
            OVERSIGHT,
            child_id=self.child,
            kind=kind,
            held_on=day,
            discussion=self.fill(rng.choice(words.SUPERVISION)),
            actions=self.fill(rng.choice(words.SUPERVISION_ACTIONS)),
            manager_id=manager,
            created_at=_stamp(day, 15),
            updated_at=_stamp(day, 15),
        )

    def age(self, day: date) -> int:
        born = self.person.date_of_birth or self.person.expected_date_of_birth
        return (day - born).days


def _reason_new_episode(old: Row, new: dict[str, str]) -> str:
    """As `services._reason_new_episode`: what changed decides the RNE code."""
    legal = old["legal_status"] != new["legal_status"]
    placement = old["placement_type"] != new["placement_type"] or (
        old["placement_postcode"] != new["placement_postcode"]
    )
    carer = old["carer_name"] != new["carer_name"]
    if legal and placement and carer:
        return ReasonNewEpisode.B
    if legal and placement:
        return ReasonNewEpisode.U
    if legal:
        return ReasonNewEpisode.L
    return ReasonNewEpisode.P if carer else ReasonNewEpisode.T


@lru_cache(maxsize=64)
def _category(code: str) -> str:
    return registry.get(code).category


# --- the plan of one episode ----------------------------------------------------------------


@dataclass
class EpisodeSpec:
    """An episode before its records are made: when it starts, the latest it may close
    (closed episodes) or that it is still open, and what happens in it (`kind`: nfa, cin, cp,
    cla for closed episodes; the state it is in for an open one)."""

    start: date
    kind: str
    end: date | None = None
    open: bool = False
    contact: PlannedContact | None = None
    opened: date | None = None  # when the MASH decision was signed off
    slow: bool = False  # its assessment takes longer than 45 working days

    @property
    def day_opened(self) -> date:
        return self.opened or self.start


@dataclass
class FamilyDates:
    """Dates brothers and sisters share: the same conference, the same day into care."""

    recent: date
    s47: date
    cp_start: date
    care_start: date
    stepdown: date


class CaseworkPlanner:
    """Adds casework records to each planned family as it streams past. Pure: no database."""

    def __init__(self, org: OrgPlan, *, seed: int, today: date) -> None:
        self.rng = random.Random(f"demoshire-casework-{seed}")
        self.today = today
        self.yesterday = today - DAY
        self.staff = {s.username: s for s in org.staff}
        self.area: dict[str, str] = {}
        for area, workers in org.workers.items():
            for s in workers:
                self.area[s.username] = area
        for s in org.staff:
            if s.printed and s.team in CASE_TEAMS:
                self.area[s.username] = s.team
        self.managers: dict[str, list[str]] = {}
        for s in org.staff:
            if s.role == Role.TEAM_MANAGER and s.agency == COUNCIL:
                self.managers.setdefault(s.team, []).append(s.username)
        for names in self.managers.values():
            names.sort(key=lambda u: u != "team.manager")
        self.assessors = org.workers[NORTH] + org.workers[SOUTH]
        self.workers = org.workers
        self.chairs = [s.username for s in org.chairs[1:]] or [org.chairs[0].username]
        self.fallback_worker = org.workers[NORTH][0].username
        self.showcase = iter(SHOWCASE_STATES)
        self.showcase_families = 0
        self.stall = STALL
        self.slow = False

    def attach(self, families: Iterator[PlannedFamily]) -> Iterator[PlannedFamily]:
        for family in families:
            self.plan(family)
            yield family

    def manager_of(self, username: str) -> str:
        team = self.staff[username].team
        return self.managers.get(team, ["team.manager"])[0]

    @staticmethod
    def parent_name(fam: PlannedFamily) -> str:
        for role in ("mother", "father", "grandparent"):
            for person in fam.persons:
                if person.role == role and person.resident:
                    return person.current.given
        return "mum"

    def _after(self, day: date, low: int, high: int) -> date:
        return day + timedelta(days=self.rng.randint(low, high))

    # --- a family ---------------------------------------------------------------------------

    def plan(self, fam: PlannedFamily) -> None:
        fam.casework = FamilyCasework()
        rng = self.rng
        children = [
            i
            for i, p in enumerate(fam.persons)
            if p.role == "child" and p.kind in (PersonKind.CHILD, PersonKind.UNBORN)
        ]
        if not children:
            return
        referrals = self._referrals(fam)
        area = self.area.get(fam.allocated_to, "")
        state, showcase = "", fam.allocated_to == "social.worker"
        if fam.allocated_to and area != EARLY_HELP:
            if showcase:
                self.showcase_families += 1
                state = (
                    {1: "cp", 2: "cin_plan"}.get(self.showcase_families)
                    or next(self.showcase, "")
                    or _pick(rng, STATES[NORTH])
                )
            else:
                state = _pick(rng, STATES[area])
        self.stall = SHOWCASE_STALL if showcase else STALL
        self.slow = showcase and state == "assessment"  # one overdue assessment at least
        dates = self._family_dates(overdue=self.slow)
        chairs = {
            v.person: v for v in fam.involvements if v.kind == InvolvementKind.CONFERENCE_CHAIR
        }
        for i in children:
            own = state
            if state and state != "cla" and not showcase and rng.random() > SIBLING_SAME:
                own = _pick(rng, STATES[area])
            if state == "cla" and area == CIC_TEAM and rng.random() < 0.1:
                own = "cin_plan"
            case = Case(self, fam, i)
            case.chair_involvement = chairs.get(i)
            self._child(case, own, area, dates, referrals.get(i, []))
            case.finish()

    def _family_dates(self, *, overdue: bool) -> FamilyDates:
        rng, today = self.rng, self.today
        cp_days = _pick(rng, {(5, 180): 45, (181, 365): 30, (366, 730): 21, (731, 1100): 4})
        care_days = _pick(rng, {(12, 365): 35, (366, 900): 35, (901, 2200): 30})
        recent = today - timedelta(days=rng.randint(66, 80) if overdue else rng.randint(3, 75))
        return FamilyDates(
            recent=recent,
            s47=today - timedelta(days=rng.randint(2, 40)),
            cp_start=today - timedelta(days=rng.randint(*cp_days)),
            care_start=today - timedelta(days=rng.randint(*care_days)),
            stepdown=today - timedelta(days=rng.randint(20, 300)),
        )

    def _referrals(self, fam: PlannedFamily) -> dict[int, list[PlannedContact]]:
        """The MASH referrals about each child: decided and signed off, so each opened an
        episode of need or joined the one already open."""
        out: dict[int, list[PlannedContact]] = {}
        for contact in fam.contacts:
            if contact.status != Status.DECIDED or contact.decision not in REFERRAL_DECISIONS:
                continue
            for subject in contact.subjects:
                if subject.role == "child" and subject.person is not None:
                    out.setdefault(subject.person, []).append(contact)
        for contacts in out.values():
            contacts.sort(key=lambda c: c.received_at)
        return out

    # --- a child ------------------------------------------------------------------------------

    def _child(
        self, case: Case, state: str, area: str, dates: FamilyDates, referrals: list[PlannedContact]
    ) -> None:
        rng, fam, person = self.rng, case.fam, case.person
        own = next(
            (
                v
                for v in fam.involvements
                if v.person == case.child
                and v.kind == InvolvementKind.ALLOCATED_WORKER
                and v.user == fam.allocated_to
            ),
            None,
        )
        if person.kind == PersonKind.UNBORN:
            if state:
                self._unborn(case, own)
            return
        anchor = own.start_date if own is not None else None
        born = person.date_of_birth + timedelta(days=rng.randint(7, 30))
        earliest = born
        if person.created_at is not None:
            earliest = max(earliest, person.created_at.date())
        if earliest > self.yesterday - 3 * DAY:
            return  # a newborn the council has only just recorded
        specs: list[EpisodeSpec] = []
        current: EpisodeSpec | None = None
        if state and anchor is not None:
            start = dates.recent if state == "assessment" else anchor
            current = EpisodeSpec(
                min(max(start, earliest), self.yesterday - 2 * DAY),
                state,
                open=True,
                slow=self.slow or rng.random() < SLOW_ASSESSMENT,
            )
        elif area == EARLY_HELP and anchor is not None:
            self._early_help(case, max(anchor, earliest), closed=False)
        # Earlier episodes may predate the record as planned: it is then created before them.
        history_from = max(born, self.today - timedelta(days=6 * YEAR))
        previous_cp = state == "cp" and rng.random() < PREVIOUS_CP_SHARE
        if fam.long_history == case.child:
            history_from = max(
                born + timedelta(days=2 * YEAR), self.today - timedelta(days=int(10.5 * YEAR))
            )
            specs += self._history(
                history_from, current.start if current else self.today, chain=True
            )
        elif current is not None and (previous_cp or rng.random() < PREVIOUS_EPISODE_SHARE):
            specs += self._history(
                born if previous_cp else history_from,
                current.start,
                chain=False,
                want_cp=previous_cp,
            )
        elif current is None and rng.random() < UNKNOWN_HISTORY_SHARE:
            specs += self._history(history_from, self.today - timedelta(days=2 * YEAR), chain=False)
        # No room for an earlier episode with a plan: the earlier plan is in this one.
        case.previous_cp = previous_cp and not any(s.kind == "cp" for s in specs)
        if current is not None:
            specs.append(current)
        specs = self._with_referrals(specs, referrals)
        for spec in specs:
            if spec.open:
                self._open_episode(case, spec, dates, area, own)
            else:
                self._closed_episode(case, spec)

    def _history(
        self, start: date, before: date, *, chain: bool, want_cp: bool = False
    ) -> list[EpisodeSpec]:
        """Closed episodes between `start` and some weeks before `before`: one, or (`chain`)
        as many as fit: about a decade for the long-history children."""
        rng = self.rng
        limit = before - timedelta(days=rng.randint(30, 120))
        out: list[EpisodeSpec] = []
        cursor = start
        kinds = ["cin", "cp", "nfa", "cla", "cin", "cp"]
        minimum = {"nfa": 40, "cin": 150, "cp": 200, "cla": 200}
        while True:
            room = (limit - cursor).days
            if room < 60:
                break
            if chain:
                kind = kinds[len(out) % len(kinds)]
                length = rng.randint(minimum[kind], 640) if kind != "nfa" else rng.randint(40, 80)
                begin = cursor + timedelta(days=rng.randint(20, 160))
            else:
                kind = "cp" if want_cp else _pick(rng, {"nfa": 45, "cin": 40, "cp": 10, "cla": 5})
                length = {
                    "nfa": rng.randint(40, 80),
                    "cin": rng.randint(150, 420),
                    "cp": rng.randint(240, 700),
                    "cla": rng.randint(200, 600),
                }[kind]
                begin = cursor + timedelta(days=rng.randint(0, max(0, room - length)))
            end = min(begin + timedelta(days=length), limit)
            if (end - begin).days < minimum[kind]:
                if (limit - begin).days >= minimum["nfa"]:
                    out.append(
                        EpisodeSpec(
                            begin,
                            "nfa",
                            end=min(limit, begin + timedelta(days=rng.randint(40, 80))),
                        )
                    )
                break
            out.append(EpisodeSpec(begin, kind, end=end, slow=rng.random() < SLOW_ASSESSMENT))
            if not chain:
                break
            cursor = end + DAY
        return out

    def _with_referrals(
        self, specs: list[EpisodeSpec], referrals: list[PlannedContact]
    ) -> list[EpisodeSpec]:
        """Make the episodes agree with the MASH referrals: each referral either opened an
        episode (on the day it was received, with its source) or joined the one open."""
        for contact in referrals:
            day = contact.received_at.astimezone(LONDON).date()
            opened = min(contact.signed_off_at.astimezone(LONDON).date(), self.yesterday)
            if any(s.start <= day <= (self.today if s.open else s.end) for s in specs):
                continue  # the episode already open: the referral joins its work
            later = [s for s in specs if s.start > day]
            nearest = min(later, key=lambda s: s.start) if later else None
            if (
                nearest is not None
                and nearest.contact is None
                and (nearest.start - day).days <= (150 if nearest.open else 60)
            ):
                nearest.start, nearest.contact, nearest.opened = day, contact, opened
                continue
            limit = nearest.start - timedelta(days=20) if nearest else self.yesterday
            recent = nearest is None and (self.today - day).days < 70
            slow = self.rng.random() < SLOW_ASSESSMENT
            if recent:
                specs.append(
                    EpisodeSpec(day, "recent", open=True, contact=contact, opened=opened, slow=slow)
                )
            elif (limit - opened).days >= 40:
                close = min(
                    limit,
                    opened
                    + timedelta(
                        days=self.rng.randint(80, 125) if slow else self.rng.randint(35, 75)
                    ),
                )
                specs.append(
                    EpisodeSpec(day, "nfa", end=close, contact=contact, opened=opened, slow=slow)
                )
            elif nearest is not None and nearest.contact is None:
                nearest.start, nearest.contact, nearest.opened = day, contact, opened
            specs.sort(key=lambda s: s.start)
        return specs

    # --- episodes -----------------------------------------------------------------------------

    def _open(self, case: Case, spec: EpisodeSpec, *, need: bool) -> Row:
        rng = self.rng
        if spec.contact is not None:
            source, by = spec.contact.submission["referral_source"], spec.contact.signed_off_by
        else:
            source, by = _pick(rng, SOURCE_WEIGHTS), case.worker(spec.start)
        return case.episode_open(
            EpisodeKind.CIN,
            spec.start,
            spec.day_opened,
            source=source,
            need=_pick(rng, NEEDS) if need else "",
            contact=spec.contact,
            by=by,
        )

    def _factors(self, case: Case, spec: EpisodeSpec, kind: str) -> list[str]:
        rng = self.rng
        if kind == "nfa" and rng.random() < 0.35:
            return [NO_FACTORS]
        found: list[str] = []
        if spec.contact is not None:
            found = [
                f
                for f in spec.contact.submission.get("concern_factors", [])
                if f in ASSESSMENT_FACTORS
            ]
        extra = {
            "cp": ["16A", "17A", "3B", "4B", "2B", "18C"],
            "cla": ["16A", "3B", "2B", "1B", "4B"],
            "cin": ["4B", "3B", "6B", "5B", "7A", "14A", "20"],
            "nfa": ["3B", "4B", "20", "14A"],
        }[kind]
        if case.age(spec.start) >= 11 * YEAR:
            extra = [*extra, "10A", "11A", "24A", "15A", "13A"]
        for _ in range(rng.randint(1, 3)):
            found.append(rng.choice(extra))
        return sorted(set(found))

    def _assess(
        self,
        case: Case,
        episode: Row,
        spec: EpisodeSpec,
        kind: str,
        *,
        cutoff: date,
        done_by: date | None = None,
    ) -> tuple[date, date | None]:
        """The episode's first assessment, as far as it got by `cutoff` (`done_by`: it must
        be authorised by then). Returns (start, date authorised or None)."""
        rng = self.rng
        referral = spec.start
        start = min(spec.day_opened + timedelta(days=rng.randint(0, 2)), cutoff)
        if done_by is None:
            days = rng.randint(46, 80) if spec.slow else rng.randint(10, 44)
        else:
            room = working_days_between(referral, done_by) - 1
            days = (
                rng.randint(46, min(80, room))
                if spec.slow and room >= 46
                else rng.randint(8, max(8, min(44, room)))
            )
        completed = max(_wd(referral, days), start + DAY)
        authorised = completed + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
        if done_by is not None and authorised > done_by:
            authorised = done_by
            completed = max(start + DAY, min(completed, done_by - timedelta(days=2)))
            authorised = max(authorised, completed)
        seen = start + timedelta(days=rng.randint(0, max(0, min(10, (completed - start).days))))
        summary = rng.choice(
            words.ASSESSMENT_SUMMARIES[
                "cp" if kind in ("cp", "cla") else "nfa" if kind == "nfa" else "cin"
            ]
        )
        case.assessment(
            episode,
            start,
            seen,
            completed,
            authorised,
            factors=self._factors(case, spec, kind),
            summary=summary,
            cutoff=cutoff,
        )
        if seen <= cutoff:
            case.visit(episode, VisitKind.CIN, None, seen, seen=True)
        return start, authorised if authorised <= cutoff else None

    def _strategy_referral(
        self, case: Case, episode: Row, spec: EpisodeSpec, cutoff: date
    ) -> date | None:
        """A referral for a strategy discussion: held within a day; a section 47 in most,
        concluded without a conference. Returns the date the last of it ended (None: the
        enquiry is still open)."""
        rng = self.rng
        held = min(spec.day_opened + timedelta(days=rng.randint(0, 1)), cutoff)
        with_s47 = rng.random() < 0.6
        _, enquiry = case.strategy(
            episode, held, StrategyOutcome.SECTION_47 if with_s47 else StrategyOutcome.NO_SECTION_47
        )
        if enquiry is None:
            return held
        ends = (
            min(_wd(held, rng.randint(3, 10)), cutoff)
            if spec.end
            else _wd(held, rng.randint(3, 10))
        )
        if ends > cutoff:
            return None
        case.conclude(enquiry, ends, Section47Outcome.NO_ICPC)
        return ends

    def _closed_episode(self, case: Case, spec: EpisodeSpec) -> None:
        """An episode that closed on `spec.end`, its work all done and concluded by then."""
        rng = self.rng
        close = spec.end
        assert close is not None
        limit = close - timedelta(days=rng.randint(0, 10))
        worker = self._worker_for(spec.kind)
        case.worker_at = [(spec.start, worker)]
        episode = self._open(case, spec, need=spec.kind != "nfa")
        kind = spec.kind
        last = spec.start
        if (
            spec.contact is not None
            and spec.contact.decision == Decision.STRATEGY
            and (kind == "nfa")
        ):
            last = self._strategy_referral(case, episode, spec, limit) or limit
        share = {"nfa": 1.0, "cin": 0.3, "cp": 0.2, "cla": 0.25}[kind]
        done_by = min(
            limit,
            spec.start
            + timedelta(days=110 if spec.slow else max(20, int((limit - spec.start).days * share))),
        )
        _, authorised = self._assess(case, episode, spec, kind, cutoff=limit, done_by=done_by)
        assert authorised is not None
        last = max(last, authorised)
        reason = ClosureReason.RC7
        if kind == "nfa":
            reason = ClosureReason.RC8 if rng.random() < 0.65 else ClosureReason.RC9
        elif kind == "cin":
            plan = case.cin_start(episode, self._after(authorised, 1, 10))
            last = limit - timedelta(days=rng.randint(0, 10))
            self._cin_run(case, episode, plan, last, stall=False)
            case.cin_end(plan, last)
        elif kind == "cp":
            plan_from = self._after(authorised, 1, 10)
            span = (limit - plan_from).days
            cp_end = plan_from + timedelta(days=int(span * rng.uniform(0.6, 0.8)))
            icpc, enquiry = self._cp_prelude(case, episode, plan_from)
            chair = rng.choice(self.chairs)
            plan = self._icpc(case, episode, enquiry, icpc, chair, None)
            self._cp_run(case, episode, plan, icpc, cp_end, chair)
            step = case.cin_start(episode, self._after(cp_end, 0, 7))
            last = max(limit - timedelta(days=rng.randint(0, 10)), step["start_date"] + DAY)
            self._cin_run(case, episode, step, last, stall=False)
            case.cin_end(step, last)
        else:  # looked after for a while, then home or with an order
            begin = self._after(authorised, 1, 10)
            period = self._care(case, episode, begin, limit - timedelta(days=rng.randint(5, 20)))
            last = period["end_date"]
            ceased = period["reason_ceased"]
            if ceased == ReasonCeased.E41:
                reason = ClosureReason.RC3
            elif ceased in (ReasonCeased.E45, ReasonCeased.E47):
                reason = ClosureReason.RC4
        assert last <= close
        self._notes(case, spec.start, close, every=(20, 45) if case.long else (30, 70))
        case.episode_close(episode, close, reason, case.manager(close))
        self._allocation(case, worker, spec.day_opened, close, AllocationReason.NEW)
        if reason == ClosureReason.RC9:
            self._early_help(case, self._after(close, 1, 14), closed=True)

    def _open_episode(
        self,
        case: Case,
        spec: EpisodeSpec,
        dates: FamilyDates,
        area: str,
        involvement: PlannedInvolvement | None,
    ) -> None:
        """The episode still open, ending in its state on the reference date."""
        rng = self.rng
        state = spec.kind
        yesterday = self.yesterday
        if state == "recent":  # a referral being assessed, for a family with no worker yet
            worker = rng.choice(self.assessors).username
            involvement = None
            allocated = (self.today - spec.day_opened).days > 5 or rng.random() < 0.4
        else:
            worker = case.fam.allocated_to
            allocated = True
        case.worker_at = [(spec.start, worker)]
        moved = self._handover(case, spec, state, dates, area) if allocated else None
        if moved is not None:
            case.worker_at = [(spec.start, moved[0]), (moved[1], worker)]
        episode = self._open(case, spec, need=state not in ("recent", "assessment", "s47"))
        if not allocated:
            return  # waiting for a team to take it
        if (
            state == "recent"
            and spec.contact is not None
            and (spec.contact.decision == Decision.STRATEGY)
        ):
            concluded = self._strategy_referral(case, episode, spec, yesterday)
        else:
            concluded = spec.start
        kind = {"cp": "cp", "s47": "cp", "stepdown": "cp", "cla": "cla"}.get(state, "cin")
        start, authorised = self._assess(case, episode, spec, kind, cutoff=yesterday)
        base = authorised or start
        open_cin: Row | None = None
        if state == "recent":
            close = self._after(authorised, 1, 10) if authorised else None
            if close is not None and concluded is not None and close <= yesterday:
                close = max(close, concluded)
                self._notes(case, spec.start, close, every=(15, 40))
                reason = ClosureReason.RC8 if rng.random() < 0.65 else ClosureReason.RC9
                case.episode_close(episode, close, reason, case.manager(close))
                self._allocation(case, worker, spec.day_opened, close, AllocationReason.NEW)
                return
        elif state in ("assessment", "cin_plan") and authorised is not None:
            plan_day = self._after(authorised, 1, 10)
            if plan_day <= yesterday:
                open_cin = case.cin_start(episode, plan_day)
        elif state == "stepdown" and authorised is not None:
            strategy = self._after(authorised, 1, 20)
            end = max(dates.stepdown, strategy + timedelta(days=90))
            if end >= yesterday - timedelta(days=10):
                state = "cp"
            else:
                icpc, enquiry = self._cp_prelude(case, episode, strategy)
                chair = self._chair(case, icpc)
                plan = self._icpc(case, episode, enquiry, icpc, chair, None)
                self._cp_run(case, episode, plan, icpc, end, chair)
                open_cin = case.cin_start(episode, self._after(end, 0, 7))
        if state == "cp":
            icpc = max(dates.cp_start, base + timedelta(days=21))
            if icpc > yesterday:
                state = "s47"
            else:
                self._cp_state(case, episode, base, start, icpc, authorised is not None)
        if state == "s47":
            open_cin = self._s47_state(case, episode, dates, start, authorised)
        if state == "cla":
            open_cin = self._cla_state(case, episode, dates, area, start, authorised)
        if open_cin is not None:
            self._cin_run(case, episode, open_cin, None, stall=True)
        long = case.long
        self._notes(
            case,
            spec.start if long else max(spec.start, self.today - timedelta(days=540)),
            yesterday,
            every=(10, 30) if long else (20, 50),
        )
        current_from = spec.day_opened
        if moved is not None:
            self._allocation(case, moved[0], spec.day_opened, moved[1], AllocationReason.NEW)
            current_from = moved[1]
        self._allocation(
            case,
            worker,
            current_from,
            None,
            moved[2] if moved else AllocationReason.NEW,
            involvement=involvement,
        )
        self._oversight(case, max(current_from, self.today - timedelta(days=365)))

    def _cp_state(
        self, case: Case, episode: Row, base: date, start: date, icpc: date, assessed: bool
    ) -> None:
        """On a child protection plan since `icpc`: before it perhaps an earlier plan and a
        child in need plan (which the conference ends)."""
        rng = self.rng
        open_cin = None
        earlier = self._after(base, 1, 10)
        chair = self._chair(case, icpc)
        if assessed and (icpc - earlier).days > 170 and case.previous_cp:
            first, enquiry = self._cp_prelude(case, episode, earlier)
            plan = self._icpc(case, episode, enquiry, first, chair, None)
            first_end = first + timedelta(days=rng.randint(90, max(91, (icpc - first).days - 75)))
            self._cp_run(case, episode, plan, first, first_end, chair)
            earlier = self._after(first_end, 0, 7)
        strategy = self._strategy_day(icpc, start)
        if assessed and (strategy - earlier).days > 45:
            open_cin = case.cin_start(episode, earlier)
            self._cin_run(case, episode, open_cin, strategy, stall=False)
        enquiry = self._enquiry(case, episode, strategy, icpc)
        plan = self._icpc(case, episode, enquiry, icpc, chair, open_cin)
        self._cp_run(case, episode, plan, icpc, None, chair)

    def _s47_state(
        self, case: Case, episode: Row, dates: FamilyDates, start: date, authorised: date | None
    ) -> Row | None:
        """A section 47 enquiry in the last weeks: still open, or concluded and waiting for
        (or just had) its initial conference. Returns an open child in need plan, if any."""
        rng, yesterday = self.rng, self.yesterday
        held = max(dates.s47, start)
        open_cin = None
        if authorised is not None and (held - authorised).days > 45:
            open_cin = case.cin_start(episode, self._after(authorised, 1, 10))
            self._cin_run(case, episode, open_cin, held, stall=False)
        _, enquiry = case.strategy(episode, held, StrategyOutcome.SECTION_47)
        assert enquiry is not None
        ends = _wd(held, rng.randint(4, 12))
        if ends > yesterday:
            return open_cin
        conference = rng.random() < 0.6
        case.conclude(
            enquiry, ends, Section47Outcome.ICPC if conference else Section47Outcome.NO_ICPC
        )
        if not conference:
            return open_cin
        target = enquiry["icpc_target"]
        icpc = (
            _wd(target, rng.randint(1, 8))
            if rng.random() < LATE_ICPC
            else max(ends, target - timedelta(days=rng.randint(0, 5)))
        )
        if icpc > yesterday:
            return open_cin  # waiting for the conference
        chair = self._chair(case, icpc)
        if rng.random() < 0.85:
            plan = self._icpc(case, episode, enquiry, icpc, chair, open_cin)
            self._cp_run(case, episode, plan, icpc, None, chair)
            return None
        case.icpc(episode, enquiry, icpc, plan=False, category="", chair=chair, open_cin=None)
        plan_day = self._after(icpc, 0, 10)
        if open_cin is None and plan_day <= yesterday:
            open_cin = case.cin_start(episode, plan_day)
        return open_cin

    def _cla_state(
        self,
        case: Case,
        episode: Row,
        dates: FamilyDates,
        area: str,
        start: date,
        authorised: date | None,
    ) -> Row | None:
        """Looked after since about the family's date (recently, if a team other than
        children in care holds the case: care proceedings); before it perhaps a child in
        need plan, then a child protection plan, each ended when care began."""
        rng, yesterday = self.rng, self.yesterday
        begin = max(dates.care_start, start + timedelta(days=12))
        if area != CIC_TEAM:
            begin = max(begin, self.today - timedelta(days=rng.randint(12, 400)))
        if begin > yesterday - 2 * DAY or case.age(begin) >= 17 * YEAR:
            plan_day = self._after(authorised, 1, 10) if authorised is not None else None
            if plan_day is not None and plan_day <= yesterday:
                return case.cin_start(episode, plan_day)
            return None
        if authorised is not None and (begin - authorised).days > 60:
            cin = case.cin_start(episode, self._after(authorised, 1, 10))
            icpc = cin["start_date"] + timedelta(days=rng.randint(60, 200))
            if rng.random() < 0.4 and (begin - icpc).days > 60:
                strategy = self._strategy_day(icpc, cin["start_date"] + DAY)
                self._cin_run(case, episode, cin, strategy, stall=False)
                enquiry = self._enquiry(case, episode, strategy, icpc)
                chair = self._chair(case, icpc)
                plan = self._icpc(case, episode, enquiry, icpc, chair, cin)
                self._cp_run(case, episode, plan, icpc, begin, chair)
            else:
                self._cin_run(case, episode, cin, begin, stall=False)
                case.cin_end(cin, begin)
        iro = self._chair(case, begin)
        self._care(case, episode, begin, None, iro=iro)
        return None

    def _handover(
        self, case: Case, spec: EpisodeSpec, state: str, dates: FamilyDates, area: str
    ) -> tuple[str, date, str] | None:
        """(earlier worker, date the case moved to the current one, reason), if it moved:
        from an assessment team as the work progressed, or for the usual reasons."""
        rng = self.rng
        if state == "recent" or case.fam.allocated_to in ("social.worker", "social.worker2"):
            return None
        room = (self.yesterday - spec.day_opened).days
        if room < 60:
            return None
        if area in (CP_TEAM, CIC_TEAM) and rng.random() < 0.6:
            when = dates.cp_start if area == CP_TEAM else dates.care_start
            when = min(max(when, spec.day_opened + timedelta(days=30)), self.yesterday)
            return rng.choice(self.assessors).username, when, AllocationReason.TSPROC
        if rng.random() < 0.3:
            earlier = rng.choice(self.workers.get(area) or self.assessors).username
            if earlier == case.fam.allocated_to:
                return None
            return (
                earlier,
                spec.day_opened + timedelta(days=rng.randint(30, room)),
                _pick(rng, REALLOCATION),
            )
        return None

    # --- child protection ---------------------------------------------------------------------

    def _strategy_day(self, icpc: date, floor: date) -> date:
        """The strategy discussion before a conference on `icpc`: mostly within 15 working
        days of it."""
        rng = self.rng
        lead = rng.randint(16, 24) if rng.random() < LATE_ICPC else rng.randint(6, 15)
        day = icpc - timedelta(days=int(lead * 7 / 5))
        return min(max(day, floor), icpc)

    def _enquiry(self, case: Case, episode: Row, strategy: date, icpc: date) -> Row:
        """Strategy discussion on `strategy`, a section 47 concluding that a conference is
        needed by `icpc`."""
        _, enquiry = case.strategy(episode, strategy, StrategyOutcome.SECTION_47)
        assert enquiry is not None
        case.conclude(
            enquiry,
            strategy + timedelta(days=self.rng.randint(0, max(0, (icpc - strategy).days))),
            Section47Outcome.ICPC,
        )
        return enquiry

    def _cp_prelude(self, case: Case, episode: Row, strategy: date) -> tuple[date, Row]:
        """A strategy discussion on `strategy` and its section 47; the conference mostly
        within 15 working days. Returns (conference date, enquiry)."""
        rng = self.rng
        target = _icpc_due(strategy)
        icpc = (
            _wd(target, rng.randint(1, 8))
            if rng.random() < LATE_ICPC
            else target - timedelta(days=rng.randint(0, 5))
        )
        icpc = max(icpc, strategy + DAY)
        return icpc, self._enquiry(case, episode, strategy, icpc)

    def _icpc(
        self, case: Case, episode: Row, enquiry: Row, held: date, chair: str, open_cin: Row | None
    ) -> Row:
        plan = case.icpc(
            episode,
            enquiry,
            held,
            plan=True,
            category=_pick(self.rng, CATEGORIES),
            chair=chair,
            open_cin=open_cin,
        )
        assert plan is not None
        return plan

    def _cp_run(
        self, case: Case, episode: Row, plan: Row, start: date, end: date | None, chair: str
    ) -> None:
        """Core groups, review conferences and visits while the plan lasts; a review ends it
        on `end`, or it is still open."""
        rng = self.rng
        stop = end or self.today
        # Core groups: the first within 10 working days (mostly), then every 4 to 6 weeks.
        first = _core_group_due(start)
        held = (
            _wd(first, rng.randint(1, 8))
            if rng.random() < 0.12
            else max(start + DAY, first - timedelta(days=rng.randint(0, 6)))
        )
        if end is not None or rng.random() >= self.stall["review"] / 2:
            while held < stop:
                case.core_group(plan, held)
                held += timedelta(days=rng.randint(28, 42))
        self._reviews(
            start,
            stop,
            end is None,
            due.cp_review_due(start, first=True),
            lambda d: due.cp_review_due(d, first=False),
            lambda d: case.cp_review(plan, d, end=False, chair=chair),
        )
        self._visit_run(
            case, episode, VisitKind.CP, plan, start, end, _cp_visit_due(start), _cp_visit_due
        )
        if end is not None:
            case.cp_review(plan, end, end=True, chair=chair)

    def _chair(self, case: Case, held: date) -> str:
        """The chair (or IRO) of the child's conferences and reviews, involved from the
        first of them."""
        involvement = case.chair_involvement
        if involvement is None:
            involvement = PlannedInvolvement(
                case.child,
                InvolvementKind.CONFERENCE_CHAIR,
                held,
                user=self.rng.choice(self.chairs),
            )
            case.fam.involvements.append(involvement)
            case.chair_involvement = involvement
        involvement.start_date = min(involvement.start_date, held)
        return involvement.user

    # --- child in need plans ------------------------------------------------------------------

    def _cin_run(
        self, case: Case, episode: Row, plan: Row, end: date | None, *, stall: bool
    ) -> None:
        """Reviews and visits from where the plan's due dates stand until `end` (exclusive;
        None: the plan is open and they go on to the reference date)."""
        review = case.due[(id(plan), "cin_review")]
        visit = case.due[(id(plan), "cin_visit")]
        stop = end or self.today
        self._reviews(
            review[4],
            stop,
            end is None and stall,
            review[3],
            lambda d: due.cin_plan_review_due(d, first=False),
            lambda d: case.cin_review(plan, d),
        )
        self._visit_run(
            case, episode, VisitKind.CIN, plan, visit[4], end, visit[3], _cin_visit_due, stall=stall
        )

    # --- recurring work -----------------------------------------------------------------------

    def _reviews(
        self,
        start: date,
        stop: date,
        open_ended: bool,
        first_due: date,
        next_due: Callable[[date], date],
        record: Callable[[date], None],
    ) -> None:
        """Reviews on their schedule before `stop`, mostly on time; an open run is sometimes
        left with the next one overdue."""
        rng = self.rng
        held_on: list[tuple[date, date]] = []  # (held, the due date it met)
        due_date, last = first_due, start
        while True:
            if rng.random() < 0.1:
                held = due_date + timedelta(days=rng.randint(1, 20))
            else:
                held = due_date - timedelta(days=rng.randint(0, 14))
            held = max(held, last + DAY)
            if held >= stop:
                break
            held_on.append((held, due_date))
            last, due_date = held, next_due(held)
        if (
            open_ended
            and held_on
            and rng.random() < self.stall["review"]
            and (held_on[-1][1] < self.today)
        ):
            held_on.pop()  # the last one was not held: it is overdue
        for held, _ in held_on:
            record(held)

    def _visit_run(
        self,
        case: Case,
        episode: Row,
        kind: str,
        source: Row,
        start: date,
        end: date | None,
        first_due: date,
        next_due: Callable[[date], date],
        *,
        stall: bool = True,
    ) -> None:
        """Statutory visits after `start` until `end` (or open), mostly before the one due;
        an open run is sometimes left overdue."""
        rng = self.rng
        stop = end or self.today
        if end is None and stall and rng.random() < self.stall["visit"]:
            late_by = rng.randint(1, 15)
            cut = self.today - timedelta(days=late_by)
            while cut > start and next_due(cut) > self.today - timedelta(days=late_by):
                cut -= DAY
            stop = min(stop, cut + DAY)
        due_date, last = first_due, start
        spread = 4 if kind == VisitKind.CP else 8
        while True:
            if rng.random() < 0.07:
                when = due_date + timedelta(days=rng.randint(1, 8))
            else:
                when = due_date - timedelta(days=rng.randint(0, spread))
            when = max(when, last + DAY)
            if when >= stop:
                break
            if rng.random() < 0.06 and (when - last).days > 4:
                case.visit(
                    episode, kind, source, when - timedelta(days=rng.randint(1, 3)), seen=False
                )
            due_date = next_due(when)
            case.visit(episode, kind, source, when, seen=True, next_due=due_date)
            last = when

    def _notes(self, case: Case, start: date, end: date, *, every: tuple[int, int]) -> None:
        rng = self.rng
        day = start + timedelta(days=rng.randint(1, every[1]))
        while day <= end:
            case.note(day, significant=rng.random() < 0.05)
            day += timedelta(days=rng.randint(*every))

    def _oversight(self, case: Case, start: date) -> None:
        rng = self.rng
        day = start + timedelta(days=rng.randint(7, 60))
        while day <= self.yesterday:
            case.oversight(day, case.manager(day))
            day += timedelta(days=rng.randint(42, 70))

    # --- children in care ---------------------------------------------------------------------

    def _care(
        self, case: Case, episode: Row, start: date, end: date | None, *, iro: str = ""
    ) -> Row:
        """A period of care from `start`: placements, legal status, care plan, reviews, visits
        and missing episodes; it ends on `end` (home, or an order) or is still open."""
        rng = self.rng
        iro = iro or rng.choice(self.chairs)
        stop = end or self.today
        age = case.age(start)
        # Mostly care proceedings: an interim order, the full order about 26 weeks later;
        # some accommodated under section 20, a few after an emergency order.
        if rng.random() < 0.22:
            legal = [(start, LegalStatus.V2)]
            if rng.random() < 0.25:
                legal.append((self._after(start, 60, 300), LegalStatus.C1))
        elif rng.random() < 0.1:
            legal = [(start, LegalStatus.L2), (self._after(start, 1, 8), LegalStatus.C1)]
        else:
            legal = [(start, LegalStatus.C1)]
        if legal[-1][1] == LegalStatus.C1:
            legal.append((self._after(legal[-1][0], 100, 280), LegalStatus.C2))
        home = self._home_postcode(case)
        placement = self._placement(case, start, legal[0][1], home)
        period = case.care_start(episode, start, placement)
        changes: dict[date, str] = dict(legal[1:])
        rate = 1.0 if age >= 12 * YEAR else 0.55  # placement moves a year
        move = start
        while True:
            move += timedelta(days=int(rng.expovariate(rate) * YEAR) + 14)
            if move >= stop:
                break
            changes.setdefault(move, "")
        care_plan_day = (
            _wd(start, rng.randint(0, 10))
            if rng.random() < 0.9
            else self._after(_care_plan_due(start), 1, 15)
        )
        if care_plan_day < stop:
            case.care_plan(period, care_plan_day)
        self._care_reviews(case, period, start, stop, end is None, iro)
        legal_now, placed = legal[0][1], start
        for day in [*sorted(d for d in changes if start < d < stop), None]:
            item = case.due[(id(period), "cla_visit")]
            # Visits in this stretch come after the last change (its placement sets the clock).
            self._visit_run(
                case,
                episode,
                VisitKind.CLA,
                period,
                max(item[4], placed),
                day or end,
                item[3],
                lambda d, s=placed: due.care_visit_due(d, s),
                stall=day is None,
            )
            if day is None:
                break
            status = changes[day]
            if status:
                legal_now = status
                if rng.random() < 0.3:
                    placement = self._placement(case, day, legal_now, home)
                else:
                    placement = {**placement, "legal_status": legal_now}
            elif rng.random() < 0.1 and placement["placement_type"] in ("U6", "U3"):
                placement = {
                    **placement,
                    "placement_type": {"U6": "U4", "U3": "U1"}[placement["placement_type"]],
                }
            else:
                placement = self._placement(case, day, legal_now, home)
            current = case.placement
            if all(current[k] == v for k, v in placement.items()):
                continue  # nothing changed after all
            reason = (
                PlacementChangeReason.PLACE
                if (
                    placement["carer_name"] == current["carer_name"]
                    and placement["placement_type"] != current["placement_type"]
                )
                else (_pick(rng, PLACE_CHANGE))
            )
            case.care_change(period, day, placement, reason)
            # The services count the next visit from the start of the current 903 episode.
            placed = day
        self._missing(case, start, stop)
        if end is not None:
            case.care_end(period, end, self._care_leaving(case, end, legal_now))
        return period

    def _care_reviews(
        self, case: Case, period: Row, start: date, stop: date, open_ended: bool, iro: str
    ) -> None:
        held = [0]

        def record(day: date) -> None:
            held[0] += 1
            case.care_review(period, day, held[0], iro)

        # The clock after review n is care_review_due(review n, number=n + 1).
        planned = [0]

        def next_due(day: date) -> date:
            planned[0] += 1
            return due.care_review_due(day, number=planned[0] + 1)

        self._reviews(
            start, stop, open_ended, due.care_review_due(start, number=1), next_due, record
        )

    def _care_leaving(self, case: Case, end: date, legal: str) -> str:
        rng = self.rng
        if case.age(end) < 5 * YEAR and legal == LegalStatus.C2 and rng.random() < 0.3:
            return ReasonCeased.E45
        if legal == LegalStatus.C2 and rng.random() < 0.2:
            return rng.choice([ReasonCeased.E41, ReasonCeased.E47])
        return _pick(
            rng,
            {ReasonCeased.E4A: 60, ReasonCeased.E4B: 15, ReasonCeased.E13: 15, ReasonCeased.E8: 10},
        )

    def _placement(self, case: Case, day: date, legal: str, home: str) -> dict[str, str]:
        """Where a child of this age is placed: mostly foster care, some kinship care,
        children's homes for teenagers, supported accommodation at 16 and 17."""
        rng = self.rng
        age = case.age(day)
        if age < YEAR:
            options = {"U6": 55, "U5": 15, "U3": 15, "R3": 5, "U4": 10}
        elif age < 12 * YEAR:
            options = {"U6": 40, "U4": 30, "U3": 10, "U1": 6, "P1": 6, "K2": 3, "U5": 5}
        elif age < 16 * YEAR:
            options = {"U4": 35, "U6": 25, "K2": 20, "U1": 6, "U3": 6, "P1": 5, "K1": 1, "S1": 2}
        else:
            options = {"U4": 25, "U6": 15, "K2": 20, "H5": 30, "U1": 5, "P1": 5}
        kind = _pick(rng, options)
        if kind == "P1" and legal not in (LegalStatus.C1, LegalStatus.C2):
            kind = "U6"  # 903 rule 378: not placed with parents under section 20
        provider = {
            "P1": "PR0",
            "U1": "PR1",
            "U3": "PR1",
            "R3": "PR4",
            "K1": "PR2",
            "S1": "PR4",
        }.get(kind) or (
            _pick(rng, {"PR4": 70, "PR5": 15, "PR1": 15})
            if kind in ("K2", "H5")
            else _pick(rng, {"PR1": 60, "PR4": 32, "PR5": 8})
        )
        urn = ""
        if kind in ("K2", "K1", "R3", "S1"):
            carer = rng.choice(words.HOMES)
            urn = f"SC{rng.randint(100_000, 999_999)}"
        elif kind == "H5":
            carer = rng.choice(words.SUPPORTED)
        elif kind == "P1":
            carer = ""
        elif kind in ("U1", "U3"):
            carer = (
                f"{rng.choice(['Grandparents', 'Aunt', 'Uncle', 'Family friend'])} "
                f"({case.person.current.family})"
            )
        else:
            carer = (
                f"{rng.choice(['Mr and Mrs', 'Ms', 'Mr', 'Mrs'])} "
                f"{rng.choice(words.CARER_FAMILIES)}"
            )
        return {
            "legal_status": legal,
            "placement_type": kind,
            "provider": provider,
            "carer_name": carer,
            "home_postcode": home,
            "placement_postcode": home if kind == "P1" else self._any_postcode(),
            "urn": urn,
        }

    def _home_postcode(self, case: Case) -> str:
        for home in case.fam.residences:
            if home.end_date is None and case.child in home.members:
                return home.postcode
        return case.fam.residences[0].postcode if case.fam.residences else ""

    def _any_postcode(self) -> str:
        rng = self.rng
        _, _, districts = rng.choice(data.TOWNS)
        return postcode(
            rng.choice(districts),
            rng.randint(1, 9),
            rng.randint(0, 399),
            data.POSTCODE_UNIT_LETTERS,
        )

    def _missing(self, case: Case, start: date, stop: date) -> None:
        """Missing or away: a share of the teenagers, one to five times, never overlapping
        (903 rule 574)."""
        rng = self.rng
        if case.age(stop) < 12 * YEAR or rng.random() > 0.3:
            return
        day = self._after(start, 5, 60)
        if case.missing_until is not None:
            day = max(day, case.missing_until + 2 * DAY)
        for _ in range(rng.randint(1, 5)):
            back = day + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
            if back >= min(stop, self.yesterday):
                break
            case.missing(day, back)
            day = self._after(back, 7, 90)

    # --- early help and unborn children --------------------------------------------------------

    def _early_help(self, case: Case, start: date, *, closed: bool) -> None:
        """An early-help episode from `start`: open (a family the early help team works with)
        or, after a referral closed to early help, closed some months later if that is past
        (and it does not overlap another)."""
        rng = self.rng
        if start > self.yesterday - DAY:
            return
        end = self._after(start, 60, 270) if closed else None
        if end is not None and end > self.yesterday:
            return
        if any(
            start <= (other_end or self.today) and other_start <= (end or self.today)
            for other_start, other_end in case.early_help
        ):
            return
        case.early_help.append((start, end))
        worker = case.fam.allocated_to or rng.choice(self.workers[EARLY_HELP]).username
        episode = case.episode_open(
            EpisodeKind.EARLY_HELP,
            start,
            start,
            source=_pick(rng, EH_SOURCES),
            need="",
            contact=None,
            by=worker,
        )
        if end is not None:
            case.episode_close(episode, end, _pick(rng, EH_CLOSURES), worker)

    def _unborn(self, case: Case, involvement: PlannedInvolvement | None) -> None:
        """A pre-birth assessment: referred within 40 weeks of the expected birth (census
        8606), being assessed, the baby not yet seen."""
        rng = self.rng
        expected = case.person.expected_date_of_birth
        earliest = max(expected - timedelta(days=270), self.today - timedelta(days=60))
        if case.person.created_at is not None:
            earliest = max(earliest, case.person.created_at.date())
        referral = min(earliest + timedelta(days=rng.randint(0, 20)), self.yesterday - DAY)
        worker = case.fam.allocated_to
        case.worker_at = [(referral, worker)]
        spec = EpisodeSpec(referral, "assessment", open=True)
        episode = self._open(case, spec, need=False)
        start = min(self._after(referral, 0, 2), self.yesterday)
        case.assessment(
            episode, start, None, None, None, factors=[], summary="", cutoff=self.yesterday
        )
        self._allocation(
            case, worker, referral, None, AllocationReason.NEW, involvement=involvement
        )

    # --- allocation --------------------------------------------------------------------------

    def _worker_for(self, kind: str) -> str:
        area = {"cp": CP_TEAM, "cla": CIC_TEAM}.get(kind)
        return self.rng.choice(self.workers[area] if area else self.assessors).username

    def _allocation(
        self,
        case: Case,
        worker: str,
        start: date,
        end: date | None,
        reason: str,
        involvement: PlannedInvolvement | None = None,
    ) -> None:
        """The allocation and the involvement that gives the worker access: the family's own
        for the current worker of a known family, its own (ended, for earlier workers)
        otherwise."""
        team = (COUNCIL, self.staff[worker].team)
        if involvement is None:
            involvement = PlannedInvolvement(
                case.child,
                InvolvementKind.ALLOCATED_WORKER,
                start,
                user=worker,
                team=team,
                end_date=end,
            )
            case.fam.involvements.append(involvement)
        else:
            involvement.start_date = start
        manager = self.manager_of(worker)
        allocation = case.add(
            ALLOCATION,
            child_id=case.child,
            worker_id=worker,
            team_id=team,
            start_date=start,
            end_date=end,
            reason=reason,
            involvement_id=involvement,
            allocated_by_id=manager,
            created_at=_stamp(start, 10),
            updated_at=_stamp(end or start, 10),
        )
        staff = self.staff[worker]
        case.event(
            events.ALLOCATED,
            start,
            f"Allocated to {staff.first_name} {staff.last_name} ({team[1]})"
            + (f": {AllocationReason(reason).label}" if reason != AllocationReason.NEW else ""),
            allocation,
            manager,
        )


# --- loading -------------------------------------------------------------------------------------


def write_casework(
    loader: Any, planned: list[tuple[PlannedFamily, list[int]]], involvement_ids: list[int]
) -> None:
    """Insert the batch's casework rows, table by table in dependency order, with the
    loader's writer (COPY on PostgreSQL)."""
    users, teams = loader.users, loader.teams
    council = loader.agencies[COUNCIL]
    involvements: dict[int, int] = {}
    position = 0
    for fam, _ in planned:
        for v in fam.involvements:
            involvements[id(v)] = involvement_ids[position]
            position += 1
    references = [c.reference for fam, _ in planned for c in fam.contacts]
    contacts = (
        dict(Contact.objects.filter(reference__in=references).values_list("reference", "pk"))
        if references
        else {}
    )
    by_table: dict[Table, list[tuple[Row, list[int]]]] = {t: [] for t in TABLES}
    for fam, pks in planned:
        work = getattr(fam, "casework", None)
        if work is None:
            continue
        for row in work.rows:
            by_table[row.table].append((row, pks))

    def resolve(kind: str, value: Any, pks: list[int]) -> Any:
        if kind == "v":
            return value
        if kind == "p":
            return pks[value]
        if kind == "u":
            return users[value] if value else None
        if kind == "r":
            return value.pk if value is not None else None
        if kind == "s":
            return str(value.pk)
        if kind == "t":
            return teams[value]
        if kind == "c":
            return contacts[value.reference] if value is not None else None
        if kind == "i":
            return involvements[id(value)]
        return council  # "a"

    counts = loader.counts
    for table in TABLES:
        items = by_table[table]
        if not items:
            continue
        kinds = table.kinds
        rows = [
            tuple(
                v if k == "v" else resolve(k, v, pks)
                for k, v in zip(kinds, row.values, strict=True)
            )
            for row, pks in items
        ]
        ids = loader.writer.insert(table.model, table.names, rows)
        for (row, _), pk in zip(items, ids, strict=True):
            row.pk = pk
        if table in COUNTED:
            counts[COUNTED[table]] = counts.get(COUNTED[table], 0) + len(ids)
        elif table is ENTRY:
            counts["entries"] += len(ids)
        elif table is LINK:
            counts["links"] += len(ids)
