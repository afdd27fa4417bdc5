"""The plan of Demoshire's organisations and staff: pure data, no database.

The printed sign-ins are fixed; everyone else is drawn from a seeded Random and Faker, and
the number of workers follows the number of people so caseloads stay about 20 children.
Case-holding teams have at most twelve social workers: each area (North, South, ...) is as
many teams as it needs ("Assessment Team North", "Assessment Team North 2", ...), each with
its team manager, and `team.manager`'s team (Assessment Team North, with `social.worker`)
has exactly twelve at every scale.
"""

import hashlib
import math
import random
from dataclasses import dataclass, field, replace

from faker import Faker

from safehub.access.roles import Role
from safehub.demo.generator import data
from safehub.organisations.models import AgencyKind, EmploymentType
from safehub.people.names import name_key

DEMO_PASSWORD = "demoshire-demo-2026"  # noqa: S105 - the published password of demo accounts
EMAIL_DOMAIN = "demoshire.example"

COUNCIL = "Demoshire County Council"
HEALTH_TRUST = "Demoshire Healthcare NHS Trust"
POLICE = "Demoshire Police"
HOUSING = "Greenway Homes Housing Association"
VOLUNTARY = "Families First Demoshire"
ADULT_SERVICES = "Demoshire Adult Recovery and Probation Partnership"
TEACHER_SCHOOL = "Ashby Primary School"

MASH = "MASH"
NORTH = "Assessment Team North"
SOUTH = "Assessment Team South"
CP_TEAM = "Child Protection Team"
CIC_TEAM = "Children in Care Team"
EARLY_HELP = "Early Help Team"
SAFEGUARDING_UNIT = "Safeguarding Unit"
PERFORMANCE = "Performance and Insight"
INFORMATION_GOVERNANCE = "Information Governance"
IT_DESK = "IT Service Desk"
# The safeguarding children partnership's business unit, hosted by the council.
PARTNERSHIP = "Safeguarding Children Partnership"
COUNCIL_TEAMS = [
    MASH,
    NORTH,
    SOUTH,
    CP_TEAM,
    CIC_TEAM,
    EARLY_HELP,
    SAFEGUARDING_UNIT,
    PERFORMANCE,
    INFORMATION_GOVERNANCE,
    IT_DESK,
    PARTNERSHIP,
]
# Teams that hold cases, with their share of the known families.
CASE_TEAMS = {NORTH: 0.22, SOUTH: 0.22, CP_TEAM: 0.20, CIC_TEAM: 0.12, EARLY_HELP: 0.24}
PARTNER_TEAM = "Safeguarding"
HEALTH_VISITING = "Health Visiting"
POLICE_TEAM = "Public Protection Unit"

# Share of families known to the council, and the caseload the staffing is sized for.
KNOWN_SHARE = 0.15
CHILDREN_PER_WORKER = 20
TEAM_SIZE = 12  # case-holding social workers in one team


@dataclass(frozen=True)
class StaffPlan:
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str
    team: str
    job_title: str
    employment_type: str = EmploymentType.PERMANENT
    printed: bool = False

    @property
    def email(self) -> str:
        return f"{self.username}@{EMAIL_DOMAIN}"


# The sign-ins printed after seeding, in the order a newcomer would try them.
PRINTED_SIGNINS = [
    StaffPlan(
        "mash.worker",
        "Priya",
        "Shah",
        Role.MASH_WORKER,
        COUNCIL,
        MASH,
        "Senior practitioner, MASH",
        printed=True,
    ),
    StaffPlan(
        "mash.manager",
        "Deborah",
        "Mensah",
        Role.MASH_MANAGER,
        COUNCIL,
        MASH,
        "MASH manager",
        printed=True,
    ),
    StaffPlan(
        "social.worker",
        "Hannah",
        "Price",
        Role.SOCIAL_WORKER,
        COUNCIL,
        NORTH,
        "Social worker",
        printed=True,
    ),
    StaffPlan(
        "social.worker2",
        "Tom",
        "Okafor",
        Role.SOCIAL_WORKER,
        COUNCIL,
        SOUTH,
        "Social worker (locum)",
        EmploymentType.AGENCY,
        printed=True,
    ),
    StaffPlan(
        "team.manager",
        "Claire",
        "Doughty",
        Role.TEAM_MANAGER,
        COUNCIL,
        NORTH,
        "Team manager",
        printed=True,
    ),
    StaffPlan(
        "cp.chair",
        "Richard",
        "Hale",
        Role.CP_CHAIR_IRO,
        COUNCIL,
        SAFEGUARDING_UNIT,
        "Child protection chair",
        printed=True,
    ),
    StaffPlan(
        "teacher.dsl",
        "Joanne",
        "Fletcher",
        Role.PARTNER_PRACTITIONER,
        TEACHER_SCHOOL,
        PARTNER_TEAM,
        "Designated safeguarding lead",
        printed=True,
    ),
    StaffPlan(
        "health.visitor",
        "Aisha",
        "Begum",
        Role.PARTNER_PRACTITIONER,
        HEALTH_TRUST,
        HEALTH_VISITING,
        "Health visitor",
        printed=True,
    ),
    StaffPlan(
        "analyst",
        "Megan",
        "Lloyd",
        Role.PERFORMANCE_ANALYST,
        COUNCIL,
        PERFORMANCE,
        "Performance analyst",
        printed=True,
    ),
    StaffPlan(
        "partnership",
        "Owen",
        "Pritchard",
        Role.PARTNERSHIP_OFFICER,
        COUNCIL,
        PARTNERSHIP,
        "Safeguarding partnership business manager",
        printed=True,
    ),
    StaffPlan(
        "dpo",
        "Graham",
        "Ashworth",
        Role.DATA_PROTECTION_OFFICER,
        COUNCIL,
        INFORMATION_GOVERNANCE,
        "Data protection officer",
        printed=True,
    ),
    StaffPlan(
        "sysadmin",
        "Imran",
        "Qureshi",
        Role.SYSTEM_ADMINISTRATOR,
        COUNCIL,
        IT_DESK,
        "Systems administrator",
        printed=True,
    ),
    # A second administrator approves access the first asks for (and the other way round).
    StaffPlan(
        "sysadmin2",
        "Ruth",
        "Okafor",
        Role.SYSTEM_ADMINISTRATOR,
        COUNCIL,
        IT_DESK,
        "IT security lead",
        printed=True,
    ),
]


def totp_key_for(username: str) -> str:
    """The demo TOTP secret of `username`, as the 40 hex characters TOTPDevice.key holds.
    Derived from the username so the printed secret survives a re-seed."""
    return hashlib.sha256(b"safehub-demo:" + username.encode()).digest()[:20].hex()


@dataclass(frozen=True)
class AgencyPlan:
    name: str
    kind: str
    teams: tuple[str, ...]
    urn: str = ""
    ods_code: str = ""
    town: str = ""
    establishment: str = ""  # DfE establishment number, for schools


@dataclass
class OrgPlan:
    agencies: list[AgencyPlan]
    staff: list[StaffPlan]
    primaries_by_town: dict[str, list[AgencyPlan]] = field(default_factory=dict)
    secondaries_by_town: dict[str, list[AgencyPlan]] = field(default_factory=dict)
    gps_by_town: dict[str, list[AgencyPlan]] = field(default_factory=dict)
    # Case-holding workers by area (a CASE_TEAMS key, whichever of the area's teams they are
    # in), printed workers excluded (their caseloads are curated).
    workers: dict[str, list[StaffPlan]] = field(default_factory=dict)
    chairs: list[StaffPlan] = field(default_factory=list)
    mash_workers: list[StaffPlan] = field(default_factory=list)

    @property
    def primaries(self) -> list[AgencyPlan]:
        return [a for schools in self.primaries_by_town.values() for a in schools]

    def primary_for(self, town: str) -> list[AgencyPlan]:
        return self.primaries_by_town.get(town) or self.primaries

    def secondary_for(self, town: str) -> list[AgencyPlan]:
        return self.secondaries_by_town.get(town) or [
            a for schools in self.secondaries_by_town.values() for a in schools
        ]

    def gp_for(self, town: str) -> list[AgencyPlan]:
        return self.gps_by_town.get(town) or [a for gps in self.gps_by_town.values() for a in gps]


def _towns_for(rng: random.Random, count: int) -> list[str]:
    """One per town first (biggest first), then by population weight."""
    towns = [t for t, _, _ in data.TOWNS]
    weights = [w for _, w, _ in data.TOWNS]
    picked = towns[:count]
    picked += rng.choices(towns, weights=weights, k=max(0, count - len(towns)))
    return picked


def _unique_name(rng: random.Random, forms: list, town: str, taken: set[str]) -> str:
    templates = [f for f, _ in forms] if isinstance(forms[0], tuple) else forms
    weights = [w for _, w in forms] if isinstance(forms[0], tuple) else None
    for _ in range(200):
        template = rng.choices(templates, weights=weights)[0]
        name = template.format(
            stem=rng.choice(data.SCHOOL_STEMS), saint=rng.choice(data.SAINTS), town=town
        )
        if name not in taken:
            taken.add(name)
            return name
    name = f"{town} {rng.choice(data.SCHOOL_STEMS)} {len(taken)}"
    taken.add(name)
    return name


def plan_organisation(
    *, persons: int, primaries: int, secondaries: int, gp_practices: int, seed: int
) -> OrgPlan:
    rng = random.Random(f"demoshire-organisations-{seed}")
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    taken = {COUNCIL, HEALTH_TRUST, POLICE, HOUSING, VOLUNTARY, ADULT_SERVICES, TEACHER_SCHOOL}
    agencies = [
        AgencyPlan(COUNCIL, AgencyKind.COUNCIL, tuple(COUNCIL_TEAMS)),
        AgencyPlan(
            HEALTH_TRUST, AgencyKind.HEALTH_TRUST, (PARTNER_TEAM, HEALTH_VISITING), ods_code="RXX"
        ),
        AgencyPlan(POLICE, AgencyKind.POLICE, (POLICE_TEAM, PARTNER_TEAM)),
        AgencyPlan(HOUSING, AgencyKind.HOUSING, (PARTNER_TEAM,)),
        AgencyPlan(VOLUNTARY, AgencyKind.VOLUNTARY, (PARTNER_TEAM,)),
        AgencyPlan(ADULT_SERVICES, AgencyKind.ADULT_SERVICES, (PARTNER_TEAM,)),
    ]
    plan = OrgPlan(agencies=agencies, staff=[])
    urns = rng.sample(range(110_000, 150_000), primaries + secondaries)
    for i, town in enumerate(_towns_for(rng, primaries)):
        name = TEACHER_SCHOOL if i == 0 else _unique_name(rng, data.PRIMARY_FORMS, town, taken)
        school = AgencyPlan(
            name,
            AgencyKind.SCHOOL,
            (PARTNER_TEAM,),
            urn=str(urns[i]),
            town=town,
            establishment=f"{2001 + i:04d}",
        )
        agencies.append(school)
        plan.primaries_by_town.setdefault(town, []).append(school)
    for i, town in enumerate(_towns_for(rng, secondaries)):
        name = _unique_name(rng, data.SECONDARY_FORMS, town, taken)
        school = AgencyPlan(
            name,
            AgencyKind.SCHOOL,
            (PARTNER_TEAM,),
            urn=str(urns[primaries + i]),
            town=town,
            establishment=f"{4001 + i:04d}",
        )
        agencies.append(school)
        plan.secondaries_by_town.setdefault(town, []).append(school)
    ods = rng.sample(range(1000, 10_000), gp_practices)
    for i, town in enumerate(_towns_for(rng, gp_practices)):
        name = _unique_name(rng, data.GP_FORMS, town, taken)
        practice = AgencyPlan(
            name, AgencyKind.GP_PRACTICE, (PARTNER_TEAM,), ods_code=f"D8{ods[i]:04d}", town=town
        )
        agencies.append(practice)
        plan.gps_by_town.setdefault(town, []).append(practice)
    _plan_staff(plan, rng, fake, persons)
    # Adult services' liaison officer comes after everyone else (and from its own generator),
    # so adding them changed nobody planned before.
    plan.staff.append(
        StaffPlan(
            "adult.services.liaison",
            "Morgan",
            "Ellis",
            Role.PARTNER_PRACTITIONER,
            ADULT_SERVICES,
            PARTNER_TEAM,
            "Safeguarding liaison officer",
        )
    )
    return plan


def _plan_staff(plan: OrgPlan, rng: random.Random, fake: Faker, persons: int) -> None:
    usernames = {s.username for s in PRINTED_SIGNINS}
    staff = list(PRINTED_SIGNINS)

    def add(
        role: str,
        agency: str,
        team: str,
        title: str,
        agency_share: float = 0.03,
    ) -> StaffPlan:
        female = rng.random() < 0.7
        first = fake.first_name_female() if female else fake.first_name_male()
        last = fake.last_name()
        base = f"{name_key(first)}.{name_key(last)}"
        username, n = base, 1
        while username in usernames:
            n += 1
            username = f"{base}{n}"
        usernames.add(username)
        kind = EmploymentType.AGENCY if rng.random() < agency_share else EmploymentType.PERMANENT
        member = StaffPlan(username, first, last, role, agency, team, title, kind)
        staff.append(member)
        return member

    open_children = persons * KNOWN_SHARE * 0.55
    workers_total = max(10, math.ceil(open_children / CHILDREN_PER_WORKER))
    for team, share in CASE_TEAMS.items():
        count = max(3, round(workers_total * share))
        # The printed worker of North/South is one of the team's workers.
        count -= sum(1 for s in PRINTED_SIGNINS if s.team == team and s.role == Role.SOCIAL_WORKER)
        for _ in range(count):
            title = (
                "Family support worker"
                if team == EARLY_HELP
                else rng.choices(
                    ["Social worker", "Senior social worker", "Advanced practitioner"],
                    weights=[6, 3, 1],
                )[0]
            )
            member = add(Role.SOCIAL_WORKER, COUNCIL, team, title, agency_share=0.15)
            plan.workers.setdefault(team, []).append(member)
        manager_count = 1 + count // 10
        for i in range(manager_count - (1 if team == NORTH else 0)):
            add(
                Role.TEAM_MANAGER,
                COUNCIL,
                team,
                "Team manager" if i == 0 else "Assistant team manager",
            )
    for i in range(max(3, persons // 8_000)):
        member = add(
            Role.MASH_WORKER,
            COUNCIL,
            MASH,
            "MASH social worker" if i % 3 else "MASH information officer",
        )
        plan.mash_workers.append(member)
    plan.mash_workers.insert(0, next(s for s in PRINTED_SIGNINS if s.username == "mash.worker"))
    add(Role.TEAM_MANAGER, COUNCIL, MASH, "MASH team manager")
    plan.chairs.append(next(s for s in PRINTED_SIGNINS if s.username == "cp.chair"))
    for _ in range(max(2, persons // 8_000)):
        title = rng.choice(["Child protection chair", "Independent reviewing officer"])
        plan.chairs.append(add(Role.CP_CHAIR_IRO, COUNCIL, SAFEGUARDING_UNIT, title))
    add(Role.TEAM_MANAGER, COUNCIL, SAFEGUARDING_UNIT, "Safeguarding unit manager")
    for _ in range(1 + persons // 250_000):
        add(Role.PERFORMANCE_ANALYST, COUNCIL, PERFORMANCE, "Performance analyst")
    add(
        Role.DATA_PROTECTION_OFFICER,
        COUNCIL,
        INFORMATION_GOVERNANCE,
        "Information governance officer",
    )
    add(Role.SYSTEM_ADMINISTRATOR, COUNCIL, IT_DESK, "IT support analyst")
    for agency in plan.agencies:
        if agency.kind == AgencyKind.SCHOOL and agency.name != TEACHER_SCHOOL:
            add(
                Role.PARTNER_PRACTITIONER, agency.name, PARTNER_TEAM, "Designated safeguarding lead"
            )
        elif agency.kind == AgencyKind.GP_PRACTICE:
            add(Role.PARTNER_PRACTITIONER, agency.name, PARTNER_TEAM, "GP safeguarding lead")
    for _ in range(max(2, persons // 15_000)):
        add(Role.PARTNER_PRACTITIONER, HEALTH_TRUST, HEALTH_VISITING, "Health visitor")
    add(Role.PARTNER_PRACTITIONER, HEALTH_TRUST, PARTNER_TEAM, "Named nurse for safeguarding")
    for _ in range(max(2, persons // 30_000)):
        add(
            Role.PARTNER_PRACTITIONER,
            POLICE,
            POLICE_TEAM,
            "Detective constable, Public Protection Unit",
        )
    for _ in range(max(1, persons // 50_000)):
        add(Role.PARTNER_PRACTITIONER, HOUSING, PARTNER_TEAM, "Tenancy sustainment officer")
    add(Role.PARTNER_PRACTITIONER, VOLUNTARY, PARTNER_TEAM, "Family support worker")
    # Added last, so everyone above is the same person whatever the team sizes.
    printed = {
        team: sum(1 for s in PRINTED_SIGNINS if s.team == team and s.role == Role.SOCIAL_WORKER)
        for team in CASE_TEAMS
    }
    while len(plan.workers[NORTH]) + printed[NORTH] < TEAM_SIZE:
        plan.workers[NORTH].append(
            add(Role.SOCIAL_WORKER, COUNCIL, NORTH, "Social worker", agency_share=0.15)
        )
    managers = {
        team: [s for s in staff if s.team == team and s.role == Role.TEAM_MANAGER]
        for team in CASE_TEAMS
    }
    for team, workers in plan.workers.items():
        while len(managers[team]) < math.ceil((len(workers) + printed[team]) / TEAM_SIZE):
            managers[team].append(add(Role.TEAM_MANAGER, COUNCIL, team, "Team manager"))
    plan.staff = staff
    _teams_of_twelve(plan, managers)


def _teams_of_twelve(plan: OrgPlan, managers: dict[str, list[StaffPlan]]) -> None:
    """Split each case-holding area into teams of at most TEAM_SIZE social workers, the
    printed worker in the first; one manager leads each team and any others assist."""
    moved: dict[str, StaffPlan] = {}
    added: list[str] = []
    for area in CASE_TEAMS:
        printed = [s for s in PRINTED_SIGNINS if s.team == area and s.role == Role.SOCIAL_WORKER]
        holders = printed + plan.workers[area]
        units = [holders[i : i + TEAM_SIZE] for i in range(0, len(holders), TEAM_SIZE)]
        names = [area] + [f"{area} {n}" for n in range(2, len(units) + 1)]
        added += names[1:]
        for unit, name in zip(units, names, strict=True):
            for member in unit:
                if not member.printed and name != area:
                    moved[member.username] = replace(member, team=name)
        leads = sorted(managers[area], key=lambda s: not s.printed)  # team.manager leads North
        for i, manager in enumerate(leads):
            if manager.printed:
                continue
            lead = i < len(units)
            moved[manager.username] = replace(
                manager,
                team=names[i % len(units)],
                job_title="Team manager" if lead else "Assistant team manager",
            )
    plan.staff = [moved.get(s.username, s) for s in plan.staff]
    plan.workers = {
        area: [moved.get(s.username, s) for s in workers] for area, workers in plan.workers.items()
    }
    council = plan.agencies[0]
    plan.agencies[0] = replace(council, teams=council.teams + tuple(added))
