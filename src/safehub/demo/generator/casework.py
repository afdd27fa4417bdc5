"""Which families the council knows, who works with them, what is restricted, and the
chronology partners and workers have written about them.

The first families are "showcase" families that give the printed sign-ins real work: the
same caseload for `social.worker` at every scale, a long-history child, restricted records
on both sides of the allow-list, conferences chaired by `cp.chair`.
"""

import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from string import Formatter
from zoneinfo import ZoneInfo

from safehub.access.models import InvolvementKind
from safehub.access.roles import Role
from safehub.demo.generator import data, summaries
from safehub.demo.generator.families import YEAR, FamilyBuilder, Shape
from safehub.demo.generator.organisations import (
    CASE_TEAMS,
    COUNCIL,
    CP_TEAM,
    HEALTH_TRUST,
    HOUSING,
    KNOWN_SHARE,
    NORTH,
    POLICE,
    SOUTH,
    TEACHER_SCHOOL,
    OrgPlan,
)
from safehub.demo.generator.plan import (
    PlannedEvent,
    PlannedFamily,
    PlannedInvolvement,
    PlannedPerson,
    school_at,
)
from safehub.people import events as people_events
from safehub.people.codes import PersonKind, Sex

LONDON = ZoneInfo("Europe/London")
LONG_HISTORY_LINKS = (520, 560)
# Children allocated to the printed `social.worker` at every scale (the last showcase family
# may take it a few past this).
SHOWCASE_CASELOAD = 24
PARTNER_SOURCE_TYPES = {
    "school": "education.record",
    "trust": "health.record",
    "health": "health.record",
    "gp": "health.record",
    "police": "police.occurrence",
    "housing": "housing.case",
}
UNKNOWN_FAMILY_EVENTS = [
    "SCHOOL_ATTENDANCE_CONCERN",
    "HEALTH_VISITOR_CONTACT",
    "EMERGENCY_DEPARTMENT_ATTENDANCE",
    "MISSED_HEALTH_APPOINTMENT",
    "POLICE_CHILD_CONCERN",
    "GP_CONCERN",
]


@dataclass
class CaseSpec:
    worker: str
    shape: Shape = field(default_factory=Shape)
    long_history: bool = False
    chair: str = ""
    restricted: str = ""
    allow: tuple[str, ...] = ()
    granted_by: str = ""
    school_always: bool = False  # every school-age child's school contributes
    since_days: tuple[int, int] = (30, 4 * YEAR)


class FamilyPlanner:
    """Yields planned families until the person target is met. Pure: no database."""

    def __init__(
        self, org: OrgPlan, *, seed: int, today: date, persons: int, long_history_children: int
    ) -> None:
        self.org = org
        self.rng = random.Random(f"demoshire-families-{seed}")
        self.today = today
        self.target = persons
        self.long_history_children = long_history_children
        self.builder = FamilyBuilder(org, self.rng, today, households=persons // 4)
        self.caseload: Counter[str] = Counter()
        self.team_families: Counter[str] = Counter()
        self.staff = {s.username: s for s in org.staff}
        self.reference = 0
        expected_families = max(1, persons // 4)
        self.extra_restricted = (2 + persons // 10_000) / expected_families

    def families(self) -> Iterator[PlannedFamily]:
        specs = self._showcase()
        planned, index = 0, 0
        while planned < self.target:
            spec = next(specs, None)
            family = self.builder.family(index, spec.shape if spec else None)
            self._casework(family, spec)
            planned += len(family.persons)
            index += 1
            yield family

    # --- who works with whom --------------------------------------------------------------

    def _showcase(self) -> Iterator[CaseSpec]:
        rng, org = self.rng, self.org
        yield CaseSpec(
            "social.worker",
            Shape(
                "blended",
                3,
                eldest_days=14 * YEAR + 100,
                town=data.COUNTY_TOWN,
                primary=TEACHER_SCHOOL,
            ),
            long_history=True,
            chair="cp.chair",
            school_always=True,
            since_days=(3 * YEAR, 4 * YEAR),
        )
        yield CaseSpec(
            "social.worker",
            Shape("couple", 2, town=data.COUNTY_TOWN, primary=TEACHER_SCHOOL),
            restricted="Relative of a member of staff",
            allow=("social.worker",),
            granted_by="team.manager",
            school_always=True,
        )
        while self.caseload["social.worker"] < SHOWCASE_CASELOAD:
            structure = rng.choice(
                ["couple", "single", "single", "grandparent", "three_generation"]
            )
            shape = Shape(structure, 2, town=data.COUNTY_TOWN, primary=TEACHER_SCHOOL)
            yield CaseSpec("social.worker", shape, school_always=True)
        south_manager = next(
            s.username for s in org.staff if s.team == SOUTH and s.role == Role.TEAM_MANAGER
        )
        yield CaseSpec(
            "social.worker2",
            Shape("single", 2),
            restricted="High profile",
            allow=("social.worker2",),
            granted_by=south_manager,
        )
        while self.caseload["social.worker2"] < 10:
            yield CaseSpec("social.worker2", Shape(min_children=2))
        colleague = org.workers[NORTH][0].username
        yield CaseSpec(
            colleague,
            Shape("couple", 2),
            restricted="Adoption",
            allow=(colleague,),
            granted_by="team.manager",
        )
        for _ in range(2):
            yield CaseSpec(
                rng.choice(org.workers[CP_TEAM]).username, Shape(min_children=2), chair="cp.chair"
            )
        for _ in range(self.long_history_children - 1):
            spec = self._random_spec()
            spec.long_history = True
            spec.shape = Shape(
                rng.choice(["couple", "single", "blended", "three_generation"]),
                min_children=2,
                eldest_days=rng.randint(13 * YEAR, 16 * YEAR),
            )
            spec.since_days = (2 * YEAR, 4 * YEAR)
            yield spec

    def _random_spec(self) -> CaseSpec:
        rng = self.rng
        # Each team gets its share of the known families by quota, not by chance: the few
        # dozen families of the small council would otherwise swing the looked-after and
        # child protection figures far from the shares the teams stand for.
        placed = sum(self.team_families.values()) + 1
        team = max(CASE_TEAMS, key=lambda t: CASE_TEAMS[t] * placed - self.team_families[t])
        self.team_families[team] += 1
        worker = rng.choice(self.org.workers[team]).username
        chair = rng.choice(self.org.chairs[1:]).username if team == CP_TEAM else ""
        return CaseSpec(worker, chair=chair)

    def _casework(self, fam: PlannedFamily, spec: CaseSpec | None) -> None:
        rng = self.rng
        if spec is None and rng.random() < KNOWN_SHARE:
            spec = self._random_spec()
        if spec is None:
            self._record_created(fam, self.today - timedelta(days=rng.randint(20, 10 * YEAR)))
            if rng.random() < 0.12:
                weights = [summaries.BASE_WEIGHTS[c] for c in UNKNOWN_FAMILY_EVENTS]
                for _ in range(rng.randint(1, 2)):
                    self._event(
                        fam, UNKNOWN_FAMILY_EVENTS, weights, since=self.today, span=3 * YEAR
                    )
            if rng.random() < self.extra_restricted:
                person = rng.choice(fam.persons)
                person.is_restricted = True
                person.restriction_reason = rng.choice(data.RESTRICTION_REASONS)
            return
        since = self.today - timedelta(days=rng.randint(*spec.since_days))
        fam.allocated_to = spec.worker
        fam.created_by = rng.choice(self.org.mash_workers).username
        self._record_created(fam, since - timedelta(days=rng.randint(0, 10)))
        self._events_for(fam, spec, since)
        self._involve(fam, spec, since)
        if spec.restricted:
            candidates = [
                i
                for i in fam.children()
                if fam.persons[i].kind == PersonKind.CHILD and i != fam.long_history
            ]
            chosen = candidates[-1] if candidates else fam.children()[-1]
            fam.persons[chosen].is_restricted = True
            fam.persons[chosen].restriction_reason = spec.restricted
            fam.restricted_access += [(chosen, user, spec.granted_by) for user in spec.allow]
        self.caseload[spec.worker] += len(fam.children())

    def _record_created(self, fam: PlannedFamily, opened: date) -> None:
        rng = self.rng
        latest = self.today - timedelta(days=1)
        for i, person in enumerate(fam.persons):
            if person.kind == PersonKind.UNBORN:
                day = max(opened, person.due - timedelta(days=250))
            else:
                day = max(opened, person.born + timedelta(days=rng.randint(1, 20)))
            day = min(day, latest)
            person.created_at = datetime.combine(
                day, time(rng.randint(9, 16), rng.randint(0, 59)), tzinfo=LONDON
            )
            name = person.current
            fam.events.append(
                PlannedEvent(
                    people_events.PERSON_CREATED,
                    person.created_at,
                    [i],
                    f"Record created for {name.given} {name.family}",
                    agency=COUNCIL,
                    recorded_by=fam.created_by,
                    source_type="people.Person",
                )
            )

    def _involve(self, fam: PlannedFamily, spec: CaseSpec, since: date) -> None:
        rng = self.rng
        worker = self.staff[spec.worker]
        team = (COUNCIL, worker.team)
        police = any(e.event_type == "POLICE_DOMESTIC_ABUSE_NOTIFICATION" for e in fam.events)
        police_involved = police and rng.random() < 0.5
        chaired = min(since + timedelta(days=rng.randint(15, 60)), self.today - timedelta(days=1))
        for i, person in enumerate(fam.persons):
            start = max(since, person.recorded_at.date())
            fam.involvements.append(
                PlannedInvolvement(
                    i, InvolvementKind.ALLOCATED_WORKER, start, user=worker.username, team=team
                )
            )
            if person.role != "child":
                continue
            school = self._school_at(person, person.age) if person.kind == "child" else ""
            if school and (rng.random() < 0.5 or (spec.school_always and school == TEACHER_SCHOOL)):
                fam.involvements.append(
                    PlannedInvolvement(i, InvolvementKind.CONTRIBUTING_AGENCY, start, agency=school)
                )
            if person.age < 5 * YEAR and (spec.school_always or rng.random() < 0.7):
                fam.involvements.append(
                    PlannedInvolvement(
                        i, InvolvementKind.CONTRIBUTING_AGENCY, start, agency=HEALTH_TRUST
                    )
                )
            if police_involved:
                fam.involvements.append(
                    PlannedInvolvement(i, InvolvementKind.CONTRIBUTING_AGENCY, start, agency=POLICE)
                )
            if spec.chair:
                fam.involvements.append(
                    PlannedInvolvement(
                        i, InvolvementKind.CONFERENCE_CHAIR, max(start, chaired), user=spec.chair
                    )
                )

    # --- chronology ------------------------------------------------------------------------

    def _events_for(self, fam: PlannedFamily, spec: CaseSpec, since: date) -> None:
        rng = self.rng
        profiles = rng.sample(list(summaries.PROFILES), k=rng.choice([1, 2]))
        codes = list(summaries.BASE_WEIGHTS)
        weights = [
            summaries.BASE_WEIGHTS[c] * max(summaries.PROFILES[p].get(c, 1.0) for p in profiles)
            for c in codes
        ]
        for _ in range(rng.randint(18, 72)):
            self._event(fam, codes, weights, since=since, span=5 * YEAR)
        children = [i for i in fam.children() if fam.persons[i].kind == PersonKind.CHILD]
        if spec.long_history and children:
            focus = max(children, key=lambda i: fam.persons[i].age)
            fam.long_history = focus
            teen = [
                summaries.BASE_WEIGHTS[c]
                * max(
                    summaries.PROFILES["adolescent"].get(c, 1),
                    summaries.PROFILES["neglect"].get(c, 1),
                )
                for c in codes
            ]
            span = min(int(6.5 * YEAR), fam.persons[focus].age - 5 * YEAR)
            wanted = rng.randint(*LONG_HISTORY_LINKS)
            linked = sum(1 for e in fam.events if focus in e.persons)
            for _ in range(wanted * 10):
                if linked >= wanted:
                    break
                linked += self._event(fam, codes, teen, since=since, span=span, focus=focus)
        for home in fam.residences[1:]:
            if home.end_date is not None:
                current = fam.residences[0]
                moved = [i for i in home.members if i in current.members]
                if moved and current.start_date < self.today:
                    fam.events.append(
                        PlannedEvent(
                            people_events.ADDRESS_CHANGED,
                            datetime.combine(current.start_date, time(12), tzinfo=LONDON),
                            moved,
                            f"Moved to {current.town} {current.postcode}",
                            agency=COUNCIL,
                            time_known=False,  # as person_move records it: the day only
                        )
                    )

    def _event(
        self,
        fam: PlannedFamily,
        codes: list[str],
        weights: Sequence[float],
        *,
        since: date,
        span: int,
        focus: int | None = None,
    ) -> bool:
        rng = self.rng
        latest = self.today - timedelta(days=1)
        for _ in range(6):
            code = rng.choices(codes, weights)[0]
            if code == "SOCIAL_CARE_NOTE":
                if since >= latest:
                    continue
                when = since + timedelta(days=rng.randint(0, (latest - since).days))
            else:
                when = self.today - timedelta(days=rng.randint(1, max(1, span)))
            text, significance, who = rng.choice(summaries.TEMPLATES[code])
            picked = self._subjects(fam, who, when, focus)
            if picked is None:
                continue
            subjects, child, parent, partner = picked
            names = _placeholders(text)
            if ("partner" in names and partner is None) or ("parent" in names and parent is None):
                continue
            if parent is not None and parent.sex != Sex.FEMALE and _about_her(text):
                continue
            source = summaries.SOURCES[code]
            agency = self._agency(fam, source, child, when)
            if not agency:
                continue
            if rng.random() < 0.2:
                significance = min(4, max(1, significance + rng.choice([-1, 1])))
            hours = summaries.EVENT_HOURS.get(code) or summaries.HOURS[source]
            occurred = datetime.combine(
                when, time(rng.randint(*hours), rng.randint(0, 59)), tzinfo=LONDON
            )
            summary = text.format(
                **self._context(fam, text, subjects, child, parent, partner, occurred)
            )
            source_type, source_id = "", ""
            if source in PARTNER_SOURCE_TYPES:
                self.reference += 1
                source_type = PARTNER_SOURCE_TYPES[source]
                source_id = f"{summaries.REFERENCE_PREFIX[source]}-{self.reference:08d}"
            fam.events.append(
                PlannedEvent(
                    code,
                    occurred,
                    subjects,
                    summary,
                    significance,
                    agency=agency,
                    recorded_by=fam.allocated_to if code == "SOCIAL_CARE_NOTE" else "",
                    source_type=source_type,
                    source_id=source_id,
                )
            )
            return focus is None or focus in subjects
        return False

    def _age_at(self, person: PlannedPerson, when: date) -> int:
        return person.age - (self.today - when).days

    def _school_at(self, person: PlannedPerson, age: int) -> str:
        return school_at(person, age)

    def _subjects(
        self,
        fam: PlannedFamily,
        who: str,
        when: date,
        focus: int | None,
    ) -> tuple[list[int], PlannedPerson | None, PlannedPerson | None, PlannedPerson | None] | None:
        """(people linked, the child it is about, the parent named, the partner named)."""
        rng = self.rng
        persons = fam.persons
        ages = [self._age_at(p, when) for p in persons]
        kids = [i for i, p in enumerate(persons) if p.role == "child" and ages[i] >= 0]
        unborn = [
            i for i, p in enumerate(persons) if p.kind == PersonKind.UNBORN and -250 <= ages[i] < 0
        ]
        adults = [
            i
            for i, p in enumerate(persons)
            if p.role != "child" and p.resident and ages[i] >= 16 * YEAR
        ]
        women = [i for i in adults if persons[i].sex == Sex.FEMALE]
        main = women[0] if women else (adults[0] if adults else None)
        others = [i for i in adults if i != main and persons[i].role in ("father", "partner")]
        if not others:
            others = [
                i
                for i, p in enumerate(persons)
                if not p.resident and p.role in ("father", "ex_partner") and ages[i] >= 16 * YEAR
            ]
        partner_index = others[0] if others else None
        partner = persons[partner_index] if partner_index is not None else None
        parent = persons[main] if main is not None else None

        def one_child(condition: Callable[[int], bool]) -> tuple | None:
            pool = [i for i in kids if condition(i)]
            if focus is not None:
                pool = [i for i in pool if i == focus]
            if not pool:
                return None
            chosen = rng.choice(pool)
            return [chosen], persons[chosen], parent, partner

        if who == summaries.SCHOOL:
            return one_child(lambda i: bool(self._school_at(persons[i], ages[i])))
        if who == summaries.BABY:
            return one_child(lambda i: ages[i] < 5 * YEAR)
        if who == summaries.TEEN:
            return one_child(lambda i: 11 * YEAR <= ages[i] < 18 * YEAR)
        if who == summaries.CHILD:
            return one_child(lambda i: True)
        if who == summaries.ADULT:
            if focus is not None or not adults:
                return None
            chosen = rng.choice(adults)
            return [chosen], None, persons[chosen], partner
        if who == summaries.PREGNANCY:
            if focus is not None or not unborn or main is None:
                return None
            mother = next((i for i in adults if (i, unborn[0]) in self._parents(fam)), None)
            if mother is None:
                return None
            return [mother, unborn[0]], persons[unborn[0]], persons[mother], partner
        linked = kids + unborn
        if who == summaries.HOUSEHOLD:
            if not adults:
                return None
            linked = adults + linked
            if partner_index is not None and partner_index not in linked:
                linked.append(partner_index)
        if not kids or (focus is not None and focus not in linked):
            return None
        child = persons[focus] if focus is not None else persons[rng.choice(kids)]
        return sorted(linked), child, parent, partner

    @staticmethod
    def _parents(fam: PlannedFamily) -> set[tuple[int, int]]:
        return {(r.subject, r.other) for r in fam.relationships if r.type == "parent"}

    def _agency(
        self, fam: PlannedFamily, source: str, child: PlannedPerson | None, when: date
    ) -> str:
        if source == "school":
            return self._school_at(child, self._age_at(child, when)) if child else ""
        if source == "health":
            source = "trust" if self.rng.random() < 0.6 else "gp"
        return {
            "council": COUNCIL,
            "trust": HEALTH_TRUST,
            "gp": fam.gp,
            "police": POLICE,
            "housing": HOUSING,
        }[source]

    def _context(
        self,
        fam: PlannedFamily,
        text: str,
        subjects: list[int],
        child: PlannedPerson | None,
        parent: PlannedPerson | None,
        partner: PlannedPerson | None,
        occurred: datetime,
    ) -> dict[str, object]:
        """Values for the placeholders `text` uses (and only those, to keep it quick)."""
        rng = self.rng
        values: dict[str, object] = {}
        for name in _placeholders(text):
            if name == "child":
                values[name] = child.current.given if child else ""
            elif name == "parent":
                values[name] = parent.current.given if parent else ""
            elif name == "partner":
                values[name] = partner.current.given if partner else ""
            elif name in ("pronoun", "pronoun_pos"):
                he, his = PRONOUNS.get(child.sex if child else "U", ("they", "their"))
                values[name] = he if name == "pronoun" else his
            elif name == "n":
                values[name] = (
                    sum(1 for i in subjects if fam.persons[i].role == "child")
                    if len(subjects) > 1
                    else rng.randint(2, 9)
                )
            elif name == "days":
                values[name] = rng.randint(2, 10)
            elif name == "pct":
                values[name] = rng.randint(68, 91)
            elif name == "time":
                values[name] = f"{occurred.hour:02d}:{occurred.minute:02d}"
            elif name == "hospital":
                values[name] = data.HOSPITAL
            elif name == "amount":
                values[name] = f"{rng.randint(3, 48) * 50:,}"
            elif name in ("weeks", "months"):
                age = self._age_at(child, occurred.date()) if child else 0
                values["weeks"] = max(8, 40 + age // 7) if age < 0 else 20
                values["months"] = max(1, age // 30)
            elif name == "town":
                values[name] = rng.choice(data.TOWNS)[0]
        return values


PRONOUNS = {"M": ("he", "his"), "F": ("she", "her")}


@lru_cache(maxsize=512)
def _placeholders(text: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in Formatter().parse(text) if name)


@lru_cache(maxsize=512)
def _about_her(text: str) -> bool:
    """Whether the template speaks of the parent as "she"/"her" (so not for a father)."""
    words = set(text.replace("{", " ").replace("}", " ").replace("'", " ").split())
    return bool(words & {"she", "her"})
