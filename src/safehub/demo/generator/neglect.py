"""Demoshire's neglect profile tool: the neutral template SafeHub ships, training in it, and
the profiles practitioners have completed with it.

- Training: every printed sign-in whose role completes or signs off profiles (trained 200
  days before `as_of`, for three years), and about three in five of the other staff who
  could, trained at some point in the last four years (so some training has lapsed).
- Partners' profiles: about one trained school or health practitioner in four has completed
  a profile of a child their agency works with, signed off by the child's team manager or
  the MASH manager; each printed partner sign-in has one signed off, one completed and
  waiting for sign-off, and one in progress (its first area graded).
- Profiles: about three in four children on a child protection plan for neglect have a first
  profile, completed within six weeks of the plan starting by a trained practitioner of the
  team the child is allocated to; about three in five of those have a repeat three to seven
  months later, where time allows, with grades more often better than worse. A team manager
  of the same team (or, where none may, the MASH manager) signs most of them off within ten
  days.

Deterministic from the seed. The profiles, their grades and plans are written in bulk as
profiles in progress; each is then completed and signed off through the services
(`profile_complete`, `profile_sign_off`, on the day it happened), so the scores come from
the service's roll-up and the chronology holds the entries a real completion leaves."""

import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db.models import Q

from safehub.access.models import InvolvementKind
from safehub.access.policy import Action, Decision, neglect_profile_decisions, rules_for
from safehub.access.roles import Role
from safehub.casework.codes import CategoryOfAbuse
from safehub.casework.models import Allocation, CPPlan
from safehub.demo.generator.organisations import PRINTED_SIGNINS
from safehub.neglect.models import (
    Item,
    ItemGrade,
    NeglectProfile,
    PlannedAction,
    ProfileStatus,
    ProfileTemplate,
    TrainingRecord,
)
from safehub.neglect.services import template_load_file
from safehub.neglect.services.profiles import profile_complete, profile_sign_off
from safehub.organisations.models import User
from safehub.people.models import Person

DEMO_TEMPLATE = (
    Path(__file__).resolve().parents[2] / "neglect" / "profiles" / "demoshire-neglect-profile.json"
)
TRAINED_SHARE = 0.6
PROFILED_SHARE = 0.75
REPEAT_SHARE = 0.6
TOOL_YEARS = 3  # the tool came into use three years before the demo's day
LONDON = ZoneInfo("Europe/London")
FAMILY_VIEWS = [
    "Mum says money has been very tight since the move and the children go without sometimes.",
    "Dad feels the school is picking on the family; he agrees the house needs sorting.",
    "The children say they like it when Nan visits because there is always dinner.",
    "Mum says she is exhausted and wants help with mornings before school.",
]
EVIDENCE = [
    "Seen on the home visit; discussed with the parent.",
    "Reported by school and confirmed at the core group.",
    "Health visitor's observation at the last contact.",
    "Seen on two visits a week apart.",
]
ACTIONS = [
    ("Referral to the food bank and help with a benefits check", "Family support worker"),
    ("Weekly check of the children's bedrooms on visits", "Allocated social worker"),
    ("Health visitor to review weight and dental registration", "Health visitor"),
    ("School to provide breakfast club and spare uniform", "Designated safeguarding lead"),
]


def seed_neglect(as_of: date, seed: int = 0) -> tuple[int, int]:
    """Load the demo template, record training and the profiles. Returns how many people
    were trained and how many profiles were completed."""
    template, _ = template_load_file(path=DEMO_TEMPLATE)
    rng = random.Random(f"demoshire-neglect-{seed}")
    trained = _train(template, as_of, rng)
    current = sum(1 for _, _, until in trained if until >= as_of)
    completed = _profile(template, trained, as_of, rng)
    partners = random.Random(f"demoshire-neglect-partners-{seed}")
    return current, completed + _partner_profiles(template, trained, as_of, partners)


Trained = tuple[User, date, date]  # who, from, until


def _train(template: ProfileTemplate, as_of: date, rng: random.Random) -> list[Trained]:
    printed = {s.username for s in PRINTED_SIGNINS}
    capable = [
        user
        for user in User.objects.filter(agency__isnull=False, is_active=True).order_by("pk")
        if rules_for(user).can_profile_neglect or rules_for(user).can_supervise_neglect_profiles
    ]
    trained: list[Trained] = []
    records = []
    for user in capable:
        if user.username in printed:
            completed = as_of - timedelta(days=200)
        elif rng.random() < TRAINED_SHARE:
            completed = as_of - timedelta(days=rng.randint(30, 4 * 365))
        else:
            continue
        expires = completed + timedelta(days=3 * 365)
        trained.append((user, completed, expires))
        records.append(
            TrainingRecord(
                practitioner=user,
                agency_id=user.agency_id,
                template_name=template.name,
                course="Using the Demoshire neglect profile (one day)",
                provider="Demoshire Safeguarding Children Partnership",
                completed_on=completed,
                expires_on=expires,
            )
        )
    TrainingRecord.objects.bulk_create(records)
    return trained


def _teams(
    trained: list[Trained],
) -> tuple[dict[int | None, list[Trained]], dict[int | None, list[User]]]:
    practitioners: dict[int | None, list[Trained]] = defaultdict(list)
    supervisors: dict[int | None, list[User]] = defaultdict(list)
    for user, since, until in trained:
        if rules_for(user).can_profile_neglect:
            practitioners[user.team_id].append((user, since, until))
        if rules_for(user).can_supervise_neglect_profiles:
            supervisors[user.team_id].append(user)
    return practitioners, supervisors


def _trained_on(workers: list[Trained], on: date) -> list[User]:
    return [user for user, since, until in workers if since <= on <= until]


def _allocated_team(child_ids: list[int]) -> dict[int, int]:
    """Each child's team: the latest allocation's."""
    team: dict[int, int] = {}
    for child_id, team_id in (
        Allocation.objects.filter(child_id__in=child_ids)
        .order_by("child_id", "start_date", "pk")
        .values_list("child_id", "team_id")
    ):
        team[child_id] = team_id
    return team


def _profile(
    template: ProfileTemplate, trained: list[Trained], as_of: date, rng: random.Random
) -> int:
    neglect = Q(initial_category=CategoryOfAbuse.NEG) | Q(latest_category=CategoryOfAbuse.NEG)
    plans = list(
        CPPlan.objects.filter(
            neglect,
            start_date__lte=as_of - timedelta(days=20),
            start_date__gte=as_of - timedelta(days=TOOL_YEARS * 365),
        )
        .select_related("child")
        .order_by("pk")
    )
    teams = _allocated_team([p.child_id for p in plans])
    practitioners, supervisors = _teams(trained)
    mash_managers = _mash_managers()
    items = list(
        Item.objects.filter(area__template=template).order_by("area__position", "position")
    )
    planned: list[Planned] = []
    for plan in plans:
        team = teams.get(plan.child_id)
        first_on = plan.start_date + timedelta(days=rng.randint(5, 40))
        workers = _trained_on(practitioners.get(team, []), first_on)
        if not workers or first_on >= as_of or rng.random() >= PROFILED_SHARE:
            continue
        # Only those the policy lets work on (or, signing off, read) this child's profile
        # today: a restricted child's allow-list leaves most of a team out.
        workers = _allowed(workers, plan, Action.EDIT)
        if not workers:
            continue
        grades = [rng.choices([2, 3, 4, 5], weights=[1, 3, 4, 2])[0] for _ in items]
        # The team's supervisors first; the MASH manager when none of them may (ADR 0075).
        signers = _allowed(supervisors.get(team, []) + mash_managers, plan, Action.VIEW)
        planned.append(_one(template, plan, items, grades, first_on, workers, signers, as_of, rng))
        repeat_on = first_on + timedelta(days=rng.randint(90, 210))
        workers = _allowed(_trained_on(practitioners.get(team, []), repeat_on), plan, Action.EDIT)
        if workers and repeat_on < as_of and rng.random() < REPEAT_SHARE:
            moved = [
                min(5, max(1, g + rng.choices([-2, -1, 0, 1], weights=[2, 4, 3, 1])[0]))
                for g in grades
            ]
            planned.append(
                _one(template, plan, items, moved, repeat_on, workers, signers, as_of, rng)
            )
    profiles = NeglectProfile.objects.bulk_create([p.profile for p in planned])
    ItemGrade.objects.bulk_create(
        ItemGrade(profile=profile, item=item, grade=grade, evidence=rng.choice(EVIDENCE))
        for profile, plan in zip(profiles, planned, strict=True)
        for item, grade in zip(items, plan.grades, strict=True)
    )
    PlannedAction.objects.bulk_create(
        PlannedAction(
            profile=profile,
            position=1,
            action=action,
            owner_name=owner,
            due_date=(profile.completed_on or as_of) + timedelta(days=28),
        )
        for profile in profiles
        for action, owner in [rng.choice(ACTIONS)]
    )
    for written in planned:
        _complete_and_sign(written)
    return len(profiles)


def _allowed(users: list[User], plan: CPPlan, action: Action) -> list[User]:
    return _may(users, plan.child, action)


def _may(users: list[User], child: Person, action: Action) -> list[User]:
    return [
        u
        for u in users
        if neglect_profile_decisions(u, [child], action)[child.pk] is Decision.ALLOW
    ]


PARTNER_PROFILED_SHARE = 0.25


def _partner_profiles(
    template: ProfileTemplate, trained: list[Trained], as_of: date, rng: random.Random
) -> int:
    """Profiles by trained partner practitioners of children their agency works with, with
    the printed partner sign-ins' three (signed off, waiting, in progress). Returns how many
    were completed."""
    printed = {s.username for s in PRINTED_SIGNINS}
    items = list(
        Item.objects.filter(area__template=template).order_by("area__position", "position")
    )
    managers = _mash_managers()
    _, supervisors = _teams(trained)
    planned: list[Planned] = []
    drafts: list[NeglectProfile] = []
    for user, since, until in trained:
        if user.role != Role.PARTNER_PRACTITIONER:
            continue
        mine = user.username in printed
        if not mine and rng.random() >= PARTNER_PROFILED_SHARE:
            continue
        children = _agency_children(user, rng)
        if not children:
            continue
        days = [rng.randint(60, 700)] if not mine else [95, rng.randint(3, 8)]
        for child, ago in zip(children, days, strict=False):
            on = as_of - timedelta(days=ago)
            if not since <= on <= until:
                continue
            team = _allocated_team([child.pk]).get(child.pk)
            signers = _may(managers + supervisors.get(team, []), child, Action.VIEW)
            if not signers:
                continue
            grades = [rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 4, 3, 1])[0] for _ in items]
            waiting = mine and ago < 10  # the printed sign-in's one waiting for sign-off
            planned.append(_partner_one(template, child, grades, on, user, signers, waiting, rng))
        if mine and len(children) > len(days):
            drafts.append(_draft(template, children[len(days)], user, as_of))
    profiles = NeglectProfile.objects.bulk_create([p.profile for p in planned] + drafts)
    first_area = [i for i in items if i.area_id == items[0].area_id]
    ItemGrade.objects.bulk_create(
        [
            ItemGrade(profile=profile, item=item, grade=grade, evidence=rng.choice(EVIDENCE))
            for profile, plan in zip(profiles, planned, strict=False)
            for item, grade in zip(items, plan.grades, strict=True)
        ]
        + [
            ItemGrade(profile=draft, item=item, grade=3, evidence="Seen at the last contact.")
            for draft in drafts
            for item in first_area
        ]
    )
    PlannedAction.objects.bulk_create(
        PlannedAction(
            profile=profile,
            position=1,
            action=action,
            owner_name=owner,
            due_date=(profile.completed_on or as_of) + timedelta(days=28),
        )
        for profile in profiles[: len(planned)]
        for action, owner in [rng.choice(ACTIONS[2:])]
    )
    for written in planned:
        _complete_and_sign(written)
    return len(planned)


def _mash_managers() -> list[User]:
    """The MASH managers, the printed sign-in first."""
    printed = {s.username for s in PRINTED_SIGNINS}
    managers = list(User.objects.filter(role=Role.MASH_MANAGER, is_active=True).order_by("pk"))
    return sorted(managers, key=lambda u: u.username not in printed)


AGENCY_CHILDREN_DRAWN = 20


def _agency_children(user: User, rng: random.Random) -> list[Person]:
    """Some of the children `user`'s agency works with that they may profile, in random
    order but those on no child protection plan first (a partner's profile is most often
    before any plan). A run of them from a random place: a hospital trust works with tens
    of thousands of children at `large`."""
    agency_children = (
        Person.objects.filter(
            kind="child",
            involvements__agency_id=user.agency_id,
            involvements__kind=InvolvementKind.CONTRIBUTING_AGENCY,
            date_of_death__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
    start = rng.randrange(max(1, agency_children.count() - AGENCY_CHILDREN_DRAWN))
    children = list(agency_children[start : start + AGENCY_CHILDREN_DRAWN])
    rng.shuffle(children)
    on_plans = set(CPPlan.objects.filter(child__in=children).values_list("child_id", flat=True))
    children.sort(key=lambda c: c.pk in on_plans)
    return _may_profile(user, children)


def _may_profile(user: User, children: list[Person]) -> list[Person]:
    decisions = neglect_profile_decisions(user, children, Action.EDIT)
    return [c for c in children if decisions[c.pk] is Decision.ALLOW]


def _partner_one(
    template: ProfileTemplate,
    child: Person,
    grades: list[int],
    on: date,
    worker: User,
    signers: list[User],
    waiting: bool,
    rng: random.Random,
) -> "Planned":
    others = [s for s in signers if s.pk != worker.pk]
    signer = None if waiting or not others else rng.choice(others)
    signed_on = on + timedelta(days=rng.randint(2, 14))
    return _planned(template, child.pk, grades, on, worker, signer, signed_on, rng)


def _draft(template: ProfileTemplate, child: Person, worker: User, as_of: date) -> NeglectProfile:
    """A profile started two days ago with its first area graded: saved, not completed."""
    started = datetime.combine(as_of - timedelta(days=2), time(14), tzinfo=LONDON)
    return NeglectProfile(
        child_id=child.pk,
        template=template,
        status=ProfileStatus.IN_PROGRESS,
        started_by=worker,
        created_at=started,
        updated_at=started + timedelta(minutes=40),
    )


def _complete_and_sign(plan: "Planned") -> None:
    """Complete (and, where a supervisor did, sign off) through the services, each on its
    day: the scores, audit rows and chronology entries are the ones a practitioner leaves."""
    profile = profile_complete(
        actor=plan.worker,
        profile=plan.profile,
        expected_version=plan.profile.version,
        now=plan.completed_at,
    )
    if plan.signer is not None and plan.signed_at is not None:
        profile_sign_off(
            actor=plan.signer, profile=profile, expected_version=profile.version, now=plan.signed_at
        )


@dataclass
class Planned:
    """A profile written in progress, and who completes and signs it off, when."""

    profile: NeglectProfile
    grades: list[int]
    worker: User
    completed_at: datetime
    signer: User | None
    signed_at: datetime | None


def _one(
    template: ProfileTemplate,
    plan: CPPlan,
    items: Sequence[Item],
    grades: list[int],
    on: date,
    workers: list[User],
    supervisors: list[User],
    as_of: date,
    rng: random.Random,
) -> Planned:
    worker = rng.choice(workers)
    signer = next((s for s in supervisors if s.pk != worker.pk), None)
    signed_on = on + timedelta(days=rng.randint(1, 10))
    if signed_on > as_of:
        signer = None
    return _planned(template, plan.child_id, grades, on, worker, signer, signed_on, rng)


def _planned(
    template: ProfileTemplate,
    child_id: int,
    grades: list[int],
    on: date,
    worker: User,
    signer: User | None,
    signed_on: date,
    rng: random.Random,
) -> Planned:
    """A profile started up to six days before `on`, completed on `on` by `worker` and, if
    there is a `signer`, signed off on `signed_on`."""
    started = datetime.combine(on - timedelta(days=rng.randint(0, 6)), time(10), tzinfo=LONDON)
    profile = NeglectProfile(
        child_id=child_id,
        template=template,
        status=ProfileStatus.IN_PROGRESS,
        started_by=worker,
        family_views=rng.choice(FAMILY_VIEWS),
        review_date=on + timedelta(days=91),
        created_at=started,
        updated_at=started,
    )
    return Planned(
        profile=profile,
        grades=grades,
        worker=worker,
        completed_at=datetime.combine(on, time(15), tzinfo=LONDON),
        signer=signer,
        signed_at=datetime.combine(signed_on, time(11), tzinfo=LONDON) if signer else None,
    )
