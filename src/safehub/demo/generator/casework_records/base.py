"""The base of one child's records (`CaseBase`), the plan of one episode, and the planner's own
state (`PlannerBase`); each area adds its part to these."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from safehub.access.roles import Role
from safehub.casework import timescales as due
from safehub.chronology.models import Significance
from safehub.demo.generator import data
from safehub.demo.generator.casework_records.common import (
    DAY,
    DUE_LABELS,
    LONDON,
    SHOWCASE_STATES,
    STALL,
    _category,
    _stamp,
)
from safehub.demo.generator.casework_records.rows import (
    CIN_PLAN,
    CP_PLAN,
    DUE_ITEM,
    ENTRY,
    LINK,
    PERIOD,
    Row,
    Table,
)
from safehub.demo.generator.families import YEAR
from safehub.demo.generator.organisations import CASE_TEAMS, COUNCIL, NORTH, SOUTH, OrgPlan
from safehub.demo.generator.plan import (
    PRONOUNS,
    THEY,
    PlannedContact,
    PlannedFamily,
    PlannedInvolvement,
)
from safehub.people import events as people_events

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.planner import CaseworkPlanner

# The records that say what a child is on: a plan, or looked after.
_PLANS = {CP_PLAN: "cp", CIN_PLAN: "cin", PERIOD: "care"}


class CaseBase:
    """One child's records and the plumbing every area's stand-ins use: rows, due items
    registered and completed as the services would, chronology entries, who held the case."""

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
        self.has_uasc = False  # one status a child (casework.UASCStatus)

    @property
    def current_placement(self) -> Row:
        """The 903 episode of the period of care the child is in."""
        if self.placement is None:
            raise ValueError("the child is not in care")
        return self.placement

    def add(self, table: Table, **values: Any) -> Row:
        row = Row(table, **values)
        self.rows.append(row)
        return row

    def register(self, source: Row, kind: str, label: str, due_date: date, on: date) -> None:
        # As update_or_create on the open item: one per (source, kind). `on` is when it was
        # last (re)registered, which is where the work it tracks carries on from.
        self.due[(id(source), kind)] = [source, kind, label, due_date, on]

    def strategy_decided(self, episode: Row, contact: PlannedContact, on: date) -> None:
        """A MASH decision to hold a strategy discussion, signed off on `on`: due the
        council's working days after the decision, until a discussion is recorded."""
        assert contact.decided_at is not None  # a decided contact
        decided = contact.decided_at.astimezone(LONDON).date()
        due_date = due.strategy_discussion_due(decided)
        self.register(episode, "strategy", DUE_LABELS["strategy"], due_date, on)

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
        *,
        at: datetime | None = None,
    ) -> None:
        """As the casework services record it: done and recorded by `by`, on `day` with no
        time (at midday), or at the moment `at` for an event SafeHub timed itself."""
        when = at or _stamp(day)
        entry = self.add(
            ENTRY,
            occurred_at=when,
            time_known=at is not None,
            done_by_id=by,
            done_by_label="",
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
        he, his, him = PRONOUNS.get(person.sex, THEY)
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

    def age(self, day: date) -> int:
        born = self.person.date_of_birth or self.person.due
        return (day - born).days

    def situation(self, day: date) -> set[str]:
        """What the child's records say of them on `day`, in casework_text.SITUATIONS'
        terms, so a note says nothing the records do not bear out."""
        age = self.age(day)
        found = set()
        if age < 5 * YEAR:
            found.add("under5")
        if age >= 4 * YEAR:
            found.add("talks")
        if 4 * YEAR + 180 <= age < 18 * YEAR:
            found.add("school")
        for row in self.rows:
            if row.table in _PLANS and row["child_id"] == self.child:
                end = row["end_date"]
                if row["start_date"] <= day and (end is None or day <= end):
                    found.add(_PLANS[row.table])
        if found & {"cp", "cin", "care"}:
            found.add("plan")
        if "care" not in found:
            found.add("home")
        return found

    def words(self, pool: list[tuple[str, frozenset[str]]], day: date) -> str:
        """A note from `pool` that fits the child on `day`, filled in."""
        situation = self.situation(day)
        fitting = [text for text, needs in pool if needs <= situation]
        return self.fill(self.rng.choice(fitting)) if fitting else ""


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
    # Later referrals for a strategy discussion that joined the episode while it was open.
    joined: list[PlannedContact] = field(default_factory=list)

    @property
    def day_opened(self) -> date:
        return self.opened or self.start

    def runs_until(self, today: date) -> date:
        """`today` for an open episode; for a closed one, the latest it may close."""
        if self.open:
            return today
        if self.end is None:
            raise ValueError("a closed episode has the latest day it may close")
        return self.end


@dataclass
class FamilyDates:
    """Dates brothers and sisters share: the same conference, the same day into care."""

    recent: date
    s47: date
    cp_start: date
    care_start: date
    stepdown: date


class PlannerBase:
    """The planner's state (staff, teams, chairs, its seeded Random) and small helpers."""

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
        self.uasc_children = 0  # so even the smallest council has one (casework.UASCStatus)

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
