"""Reads for the casework pages: one child's casework, a worker's caseload ("my work") and a
team manager's view of the team. Each runs a fixed number of queries however long the
child's history or the caseload is (tests/test_pages.py and test_selectors.py count them).

The caller has already passed the access check for a child; the caseload and team lists
hide the names of restricted children from anyone who may not open them."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import (
    Count,
    Exists,
    OuterRef,
    Prefetch,
    QuerySet,
    Window,
)

from safehub.access.models import RestrictedAccess
from safehub.access.policy import case_holding_roles, chair_roles, visible_persons
from safehub.audit.services import audit_list
from safehub.casework.codes import (
    HEALTH_ASSESSMENTS,
    SHORT_BREAKS,
    ConferenceKind,
    EpisodeKind,
    HealthCheckKind,
    Section47Outcome,
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
    EducationPlan,
    Episode,
    HealthCheck,
    MissingEpisode,
    NoteDraft,
    Offence,
    Oversight,
    PeriodOfCare,
    ReviewRecommendation,
    Section47,
    StrategyDiscussion,
    StrengthsAndDifficulties,
    SubstanceMisuse,
    UASCStatus,
    Visit,
)
from safehub.casework.sections import (
    ChildRead,
    MyWorkRead,
    Section,
    child_holds,
    my_work_probes,
    my_work_sections,
    register_child_probe,
)
from safehub.casework.timescales import add_months
from safehub.core.paging import page_number
from safehub.core.statements import fixed_read, group_by
from safehub.organisations.models import User
from safehub.people.models import Person

LATEST = 10  # visits, notes, missing episodes and oversight records shown on the page
SOON_DAYS = 7  # "my work" shows what is overdue or due within a week


# --- Due dates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """An open piece of statutory work and where it stands on `today`."""

    item: DueItem
    days: int  # days until due; negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def state(self) -> str:
        if self.days < 0:
            return "overdue"
        if self.days == 0:
            return "today"
        return "soon" if self.days <= SOON_DAYS else "later"


def _due(items: list[DueItem], today: date) -> list[Due]:
    return [
        Due(item, (item.due_date - today).days)
        for item in sorted(items, key=lambda i: (i.due_date, i.pk))
    ]


# --- One child's casework ----------------------------------------------------------------


@dataclass(frozen=True)
class CareHealth:
    """Where a child in care stands on health and education: the latest of each record in
    their current (or last) period of care, and the next health assessment and PEP due."""

    initial_assessment: HealthCheck | None
    latest_assessment: HealthCheck | None
    dental: HealthCheck | None
    immunisations: HealthCheck | None
    developmental: HealthCheck | None
    sdq: StrengthsAndDifficulties | None
    pep: EducationPlan | None
    assessment_due: Due | None
    pep_due: Due | None


@dataclass
class ChildCasework:
    episodes: list[Episode]
    # Each kind of record across every episode, newest first.
    assessments: list[Assessment]
    strategies: list[StrategyDiscussion]
    enquiries: list[Section47]
    conferences: list[Conference]
    cp_plans: list[CPPlan]
    cin_plans: list[CINPlan]
    care_periods: list[PeriodOfCare]
    open_cin: Episode | None
    open_early_help: Episode | None
    assessment: Assessment | None  # the open CIN episode's assessment not yet authorised
    enquiry: Section47 | None  # an open section 47 enquiry
    awaiting_icpc: Section47 | None  # concluded "hold a conference", conference not held
    cp_plan: CPPlan | None
    cin_plan: CINPlan | None
    care: PeriodOfCare | None
    placement: CareEpisode | None
    care_health: CareHealth | None  # of the current period of care, else the last one
    uasc: UASCStatus | None
    visit_kind: str
    visits: list[Visit]
    visit_count: int
    notes: list[CaseNote]
    note_count: int
    missing: list[MissingEpisode]
    missing_count: int
    allocation: Allocation | None
    allocations: list[Allocation]
    oversight: list[Oversight]
    oversight_count: int
    due: list[Due]
    holds: frozenset[str]  # the registered child probes that found rows (`child_holds`)
    overdue_count: int = field(init=False)

    def __post_init__(self) -> None:
        self.overdue_count = sum(1 for d in self.due if d.overdue)


# The casework page shows no record's stamps (when the row was created or last changed), so
# its reads leave them out: two date-times parsed a row, on a page of a few hundred rows
# (ADR 0062). Nor does it show more of a member of staff than their name.
_STAMPS = ("created_at", "updated_at")
_STAFF_SHOWN = {"id", "username", "first_name", "last_name"}


def _staff(relation: str) -> list[str]:
    """What `defer` leaves out of the member of staff at `relation`: all but their name."""
    return [
        f"{relation}__{f.name}" for f in User._meta.concrete_fields if f.name not in _STAFF_SHOWN
    ]


def _read(name: str, build: Any, child: Any) -> list[Any]:
    """The child's rows of one kind, by a read compiled once (ADR 0063)."""
    return fixed_read(f"casework.page.{name}", build, child.pk)


def _attach(parents: list[Any], rows: list[Any], link: str, to_attr: str) -> None:
    """Each parent's rows (by the rows' foreign key `link`, in the rows' order) as
    `parent.<to_attr>`, each row knowing its parent, as a prefetch would leave them."""
    groups = group_by(rows, f"{link}_id")
    field = rows[0]._meta.get_field(link) if rows else None
    for parent in parents:
        mine = groups.get(parent.pk, [])
        for row in mine:
            field.set_cached_value(row, parent)  # type: ignore[union-attr]
        setattr(parent, to_attr, mine)


def _read_onto(
    parents: list[Any], child: Any, name: str, rows: Any, link: str, to_attr: str
) -> list[Any]:
    """The child's rows of one kind (`rows` given the child's key) shared out onto `parents`
    as `_attach` does; not read at all when there are no parents to hang them on."""
    found = _read(name, rows, child) if parents else []
    _attach(parents, found, link, to_attr)
    return found


def _episodes(child: Any, *, in_care: bool) -> list[Episode]:
    """Every episode, newest first, with everything recorded on it: up to seventeen queries
    (a kind of record the child has none of skips what hangs off it); the periods of care
    and their records only for a child the casework page's probe found has been in care
    (`CARE_PROBE`). Each kind is read for the whole child by a read compiled once (ADR
    0063) and shared out among the episodes. Who recorded a strategy discussion, core group
    or review, and who opened an episode, the page does not show, so they are not read
    (ADR 0062)."""
    episodes = _read(
        "episodes",
        lambda c: Episode.objects.defer(*_STAMPS).filter(child=c).order_by("-referral_date", "-pk"),
        child,
    )
    if not episodes:
        return []
    _read_onto(
        episodes,
        child,
        "assessments",
        lambda c: Assessment.objects.filter(episode__child=c)
        .defer(*_STAMPS, *_staff("authorised_by"))
        .select_related("authorised_by")
        .order_by("-start_date", "-pk"),
        "episode",
        "assessment_list",
    )
    _read_onto(
        episodes,
        child,
        "strategies",
        lambda c: StrategyDiscussion.objects.filter(episode__child=c)
        .defer(*_STAMPS)
        .order_by("-held_on", "-pk"),
        "episode",
        "strategy_list",
    )
    _read_onto(
        episodes,
        child,
        "enquiries",
        lambda c: Section47.objects.filter(episode__child=c)
        .defer(*_STAMPS)
        .order_by("-start_date", "-pk"),
        "episode",
        "enquiry_list",
    )
    _read_onto(
        episodes,
        child,
        "conferences",
        lambda c: Conference.objects.filter(episode__child=c)
        .defer(*_STAMPS, *_staff("chair"))
        .select_related("chair")
        .order_by("-held_on", "-pk"),
        "episode",
        "conference_list",
    )
    cp_plans = _read_onto(
        episodes,
        child,
        "cp_plans",
        lambda c: CPPlan.objects.filter(episode__child=c)
        .defer(*_STAMPS)
        .order_by("-start_date", "-pk"),
        "episode",
        "cp_plan_list",
    )
    _read_onto(
        cp_plans,
        child,
        "core_groups",
        lambda c: CoreGroup.objects.filter(plan__episode__child=c)
        .defer(*_STAMPS)
        .order_by("-held_on", "-pk"),
        "plan",
        "core_group_list",
    )
    cin_plans = _read_onto(
        episodes,
        child,
        "cin_plans",
        lambda c: CINPlan.objects.filter(episode__child=c)
        .defer(*_STAMPS)
        .order_by("-start_date", "-pk"),
        "episode",
        "cin_plan_list",
    )
    _read_onto(
        cin_plans,
        child,
        "cin_plan_reviews",
        lambda c: CINPlanReview.objects.filter(plan__episode__child=c)
        .defer(*_STAMPS)
        .order_by("-held_on", "-pk"),
        "plan",
        "review_list",
    )
    _attach(episodes, _care_periods(child) if in_care else [], "episode", "care_list")
    return episodes


def _care_periods(child: Any) -> list[PeriodOfCare]:
    """The child's periods of care, newest first, each with its placements, reviews (and
    their recommendations) and health and education records: up to nine queries, a kind of
    record no period holds skipping its own."""
    periods = _read(
        "care_periods",
        lambda c: PeriodOfCare.objects.defer(*_STAMPS)
        .filter(episode__child=c)
        .annotate(**_care_record_probes())
        .order_by("-start_date", "-pk"),
        child,
    )
    if not periods:
        return []
    _read_onto(
        periods,
        child,
        "placements",
        lambda c: CareEpisode.objects.filter(period__episode__child=c)
        .defer(*_STAMPS)
        .order_by("-start_date", "-pk"),
        "period",
        "placement_list",
    )
    reviews = _read_onto(
        periods,
        child,
        "care_reviews",
        lambda c: CareReview.objects.filter(period__episode__child=c)
        .defer(*_STAMPS)
        .order_by("-held_on", "-pk"),
        "period",
        "review_list",
    )
    _read_onto(
        reviews,
        child,
        "recommendations",
        lambda c: ReviewRecommendation.objects.filter(review__period__episode__child=c)
        .defer(*_STAMPS)
        .order_by("due_date", "pk"),
        "review",
        "recommendation_list",
    )
    for prefetch in _care_health_prefetches():
        to_attr = str(prefetch.to_attr)
        held = to_attr not in _OFTEN_NONE or any(getattr(p, f"holds_{to_attr}") for p in periods)
        rows = (
            _read(
                to_attr,
                lambda c, q=prefetch.queryset: q.filter(period__episode__child=c),
                child,
            )
            if held
            else []
        )
        _attach(periods, rows, "period", to_attr)
    return periods


def _care_health_prefetches() -> list[Prefetch]:
    """A period of care's health and education records, newest first: five queries."""
    return [
        Prefetch(
            "health_checks",
            to_attr="health_list",
            queryset=HealthCheck.objects.defer(*_STAMPS).order_by("-held_on", "-pk"),
        ),
        Prefetch(
            "sdqs",
            to_attr="sdq_list",
            queryset=StrengthsAndDifficulties.objects.defer(*_STAMPS).order_by(
                "-completed_on", "-pk"
            ),
        ),
        Prefetch(
            "substance_misuse",
            to_attr="substance_list",
            queryset=SubstanceMisuse.objects.defer(*_STAMPS).order_by("-identified_on", "-pk"),
        ),
        Prefetch(
            "offences",
            to_attr="offence_list",
            queryset=Offence.objects.defer(*_STAMPS).order_by("-outcome_on", "-pk"),
        ),
        Prefetch(
            "education_plans",
            to_attr="pep_list",
            queryset=EducationPlan.objects.defer(*_STAMPS).order_by("-held_on", "-pk"),
        ),
    ]


# Most periods of care have no SDQ, substance misuse, offence or PEP recorded (at `county`
# 82%, 99%, 99.7% and 62% have none), so the casework page asks whether each period holds
# any of those with its read of the periods, and reads only the kinds some period holds
# (ADR 0058). Health checks nearly every period has, so they are read as before.
_OFTEN_NONE = ("sdq_list", "substance_list", "offence_list", "pep_list")


def _care_record_probes() -> dict[str, Exists]:
    """For each kind of `_OFTEN_NONE`, whether the period of care holds any, by to_attr."""
    return {
        f"holds_{p.to_attr}": Exists(p.queryset.filter(period=OuterRef("pk")))  # type: ignore[union-attr]
        for p in _care_health_prefetches()
        if p.to_attr in _OFTEN_NONE
    }


def _care_health(period: PeriodOfCare | None, due: list[Due]) -> CareHealth | None:
    if period is None:
        return None
    checks = period.health_list  # type: ignore[attr-defined]

    def latest(*kinds: str) -> HealthCheck | None:
        return _first(checks, lambda c: c.kind in kinds)

    source = (period._meta.label, str(period.pk))

    def due_for(kind: str) -> Due | None:
        return _first(
            due, lambda d: d.item.kind == kind and (d.item.source_type, d.item.source_id) == source
        )

    return CareHealth(
        initial_assessment=latest(HealthCheckKind.INITIAL),
        latest_assessment=latest(*HEALTH_ASSESSMENTS),
        dental=latest(HealthCheckKind.DENTAL),
        immunisations=latest(HealthCheckKind.IMMUNISATIONS),
        developmental=latest(HealthCheckKind.DEVELOPMENTAL),
        sdq=_first(period.sdq_list, lambda _: True),  # type: ignore[attr-defined]
        pep=_first(period.pep_list, lambda _: True),  # type: ignore[attr-defined]
        assessment_due=due_for("health_assessment"),
        pep_due=due_for("pep"),
    )


def recommendation_for(child: Any, recommendation_id: int) -> ReviewRecommendation | None:
    return (
        ReviewRecommendation.objects.select_related("review__period")
        .filter(review__period__child=child, pk=recommendation_id)
        .first()
    )


def uasc_status_for(child: Any) -> UASCStatus | None:
    return UASCStatus.objects.filter(child=child).first()


# Few children are unaccompanied asylum seekers: the casework page asks with the sections'
# probes and reads the status only for those who are.
UASC_PROBE = "casework.uasc"
register_child_probe(UASC_PROBE, lambda child: UASCStatus.objects.filter(child=child))
# Most children have never been in care: their page skips the periods of care (ADR 0058).
CARE_PROBE = "casework.care"
register_child_probe(CARE_PROBE, lambda child: PeriodOfCare.objects.filter(child=child))


def _across(episodes: list[Episode], attr: str, *date_fields: str) -> list[Any]:
    rows = [row for episode in episodes for row in getattr(episode, attr)]
    return sorted(rows, key=lambda r: (*(getattr(r, f) for f in date_fields), r.pk), reverse=True)


def _first(rows: Any, test: Any) -> Any:
    return next((row for row in rows if test(row)), None)


def _latest(name: str, rows: Any, child: Any, *order: str) -> tuple[list[Any], int]:
    """The newest LATEST of the child's rows (`rows` given the child's key) and how many
    there are in all, in one query compiled once (ADR 0063): the count rides on each row as
    a window over every matching row, taken before the LIMIT."""
    shown = _read(
        name,
        lambda c: rows(c).annotate(_total=Window(Count("pk"))).order_by(*order)[:LATEST],
        child,
    )
    return shown, shown[0]._total if shown else 0


def child_casework(*, child: Any, today: date) -> ChildCasework:
    """Everything the child's casework page shows, in a fixed number of queries whatever the
    history (a related list that is empty skips the queries for what hangs off it)."""
    holds = child_holds(child)
    episodes = _episodes(child, in_care=CARE_PROBE in holds)
    open_cin = _first(episodes, lambda e: e.is_open and e.kind == EpisodeKind.CIN)
    open_eh = _first(episodes, lambda e: e.is_open and e.kind == EpisodeKind.EARLY_HELP)
    plans = _across(episodes, "cp_plan_list", "start_date")
    cin_plans = _across(episodes, "cin_plan_list", "start_date")
    periods = _across(episodes, "care_list", "start_date")
    assessment = enquiry = awaiting = None
    if open_cin:
        assessment = _first(open_cin.assessment_list, lambda a: a.authorised_date is None)
        enquiry = _first(open_cin.enquiry_list, lambda s: s.end_date is None)
        held = {
            c.section47_id for c in open_cin.conference_list if c.kind == ConferenceKind.INITIAL
        }
        awaiting = _first(
            open_cin.enquiry_list, lambda s: s.outcome == Section47Outcome.ICPC and s.pk not in held
        )
    cp_plan = _first(plans, lambda p: p.end_date is None)
    cin_plan = _first(cin_plans, lambda p: p.end_date is None)
    care = _first(periods, lambda p: p.end_date is None)
    placement = _first(care.placement_list, lambda e: e.end_date is None) if care else None
    # The same order as services.visit_kind_for, without asking the database again.
    visit_kind = VisitKind.CP if cp_plan else VisitKind.CLA if care else VisitKind.CIN

    visits, visit_count = _latest(
        "visits",
        lambda c: Visit.objects.filter(child=c)
        .select_related("recorded_by")
        .defer(*_STAMPS, *_staff("recorded_by")),
        child,
        "-visited_on",
        "-pk",
    )
    notes, note_count = _latest(
        "notes",
        lambda c: CaseNote.objects.filter(child=c)
        .select_related("author")
        .defer(*_STAMPS, *_staff("author")),
        child,
        "-occurred_at",
        "-pk",
    )
    missing, missing_count = _latest(
        "missing",
        lambda c: MissingEpisode.objects.filter(child=c).defer(*_STAMPS),
        child,
        "-start_date",
        "-pk",
    )
    oversight, oversight_count = _latest(
        "oversight",
        lambda c: Oversight.objects.filter(child=c)
        .select_related("manager")
        .defer(*_STAMPS, *_staff("manager")),
        child,
        "-held_on",
        "-pk",
    )
    allocations = _read(
        "allocations",
        lambda c: Allocation.objects.filter(child=c)
        .select_related("worker", "team", "allocated_by")
        .defer(*_STAMPS, *_staff("worker"), *_staff("allocated_by"))
        .order_by("-start_date", "-pk"),
        child,
    )
    due = _due(
        _read(
            "open_due",
            lambda c: DueItem.objects.filter(child=c, done_on__isnull=True).defer(*_STAMPS),
            child,
        ),
        today,
    )
    return ChildCasework(
        episodes=episodes,
        assessments=_across(episodes, "assessment_list", "start_date"),
        strategies=_across(episodes, "strategy_list", "held_on"),
        enquiries=_across(episodes, "enquiry_list", "start_date"),
        conferences=_across(episodes, "conference_list", "held_on"),
        cp_plans=plans,
        cin_plans=cin_plans,
        care_periods=periods,
        open_cin=open_cin,
        open_early_help=open_eh,
        assessment=assessment,
        enquiry=enquiry,
        awaiting_icpc=awaiting,
        cp_plan=cp_plan,
        cin_plan=cin_plan,
        care=care,
        placement=placement,
        care_health=_care_health(care or (periods[0] if periods else None), due),
        uasc=_first(_read("uasc", lambda c: UASCStatus.objects.filter(child=c), child), bool)
        if UASC_PROBE in holds
        else None,
        visit_kind=visit_kind,
        visits=visits,
        visit_count=visit_count,
        notes=notes,
        note_count=note_count,
        missing=missing,
        missing_count=missing_count,
        allocation=_first(allocations, lambda a: a.end_date is None),
        allocations=allocations,
        oversight=oversight,
        oversight_count=oversight_count,
        due=due,
        holds=holds,
    )


def child_read(work: ChildCasework) -> ChildRead:
    """What the sections other apps add to the casework page may take from it."""
    return ChildRead(
        care_periods=work.care_periods, open_due=[d.item for d in work.due], holds=work.holds
    )


# --- Records of one child, for the action forms -------------------------------------------
# Each returns the record only when it belongs to `child`, so an id from another child's
# page is "not found" rather than a way round the access check.


def episode_for(child: Any, episode_id: int) -> Episode | None:
    return Episode.objects.filter(child=child, pk=episode_id).first()


def assessment_for(child: Any, assessment_id: int) -> Assessment | None:
    return (
        Assessment.objects.select_related("episode")
        .filter(episode__child=child, pk=assessment_id)
        .first()
    )


def enquiry_for(child: Any, enquiry_id: int) -> Section47 | None:
    return (
        Section47.objects.select_related("episode")
        .filter(episode__child=child, pk=enquiry_id)
        .first()
    )


def cp_plan_for(child: Any, plan_id: int) -> CPPlan | None:
    return CPPlan.objects.select_related("episode").filter(child=child, pk=plan_id).first()


def cin_plan_for(child: Any, plan_id: int) -> CINPlan | None:
    return CINPlan.objects.select_related("episode").filter(child=child, pk=plan_id).first()


def care_period_for(child: Any, period_id: int) -> PeriodOfCare | None:
    return PeriodOfCare.objects.select_related("episode").filter(child=child, pk=period_id).first()


def current_placement(period: PeriodOfCare) -> CareEpisode | None:
    return period.episodes.filter(end_date__isnull=True).first()


def current_allocation(child: Any) -> Allocation | None:
    return (
        Allocation.objects.select_related("worker", "team")
        .filter(child=child, end_date__isnull=True)
        .first()
    )


def draft_for(*, actor: User, child: Any, kind: str) -> NoteDraft | None:
    """What `actor` was last typing for this child, if anything."""
    return NoteDraft.objects.filter(author=actor, child=child, kind=kind).exclude(text="").first()


def team_workers(actor: User) -> list[User]:
    """Who a team manager can allocate to: the case-holding staff of their own team."""
    if not actor.team_id:
        return []
    return list(
        User.objects.filter(
            team_id=actor.team_id, role__in=case_holding_roles(), is_active=True
        ).order_by("last_name", "first_name")
    )


def conference_chairs() -> list[tuple[int, str]]:
    """Who may be named as a conference's chair: the active staff of the chairing roles
    (the service also refuses the child's own social worker)."""
    chairs = User.objects.filter(role__in=chair_roles(), is_active=True).order_by(
        "last_name", "first_name"
    )
    return [(u.pk, u.get_full_name() or u.username) for u in chairs]


def _unallocated_episodes() -> Any:
    allocated = Allocation.objects.filter(child=OuterRef("child"), end_date__isnull=True)
    return Episode.objects.filter(kind=EpisodeKind.CIN, closure_date__isnull=True).exclude(
        Exists(allocated)
    )


def _waiting(actor: User) -> list[tuple[Episode, bool]]:
    """The open child-in-need episodes nobody is allocated to, longest waiting first, each
    with its child, and whether `actor` is on the child's allow-list.

    Two small queries rather than one join: the planner cannot know how few children are
    waiting (at a million people it expects tens of thousands, not tens), and joining the
    children in the same query had it read every person (bench/README.md). The episodes
    come from the open-episode index alone (casework migration 0002)."""
    episodes = list(
        _unallocated_episodes().only("referral_date", "child_id").order_by("referral_date", "pk")
    )
    children = (
        {
            p.pk: p
            for p in Person.objects.filter(pk__in={e.child_id for e in episodes}).annotate(
                allowed=Exists(RestrictedAccess.objects.filter(person=OuterRef("pk"), user=actor))
            )
        }
        if episodes
        else {}
    )
    for e in episodes:
        e.child = children[e.child_id]
    return [(e, children[e.child_id].allowed) for e in episodes]


def is_waiting(child: Any) -> bool:
    """Whether the child waits for a worker: an open child-in-need episode, nobody
    allocated."""
    return _unallocated_episodes().filter(child_id=child.pk).exists()


# --- A worker's caseload -----------------------------------------------------------------


@dataclass
class CaseloadRow:
    child: Person
    allocation: Allocation
    visible: bool  # false: a restricted record the worker must open by breaking the glass
    due: list[Due]  # overdue or due within a week, worst first
    next_due: Due | None  # the soonest open item, however far off


@dataclass
class MyWork:
    rows: list[CaseloadRow]  # children with work due first (worst first), then the rest
    due: list[tuple[Due, CaseloadRow]]  # every item overdue or due this week, worst first
    # What other apps add to the page (`casework.sections`), the people each names recorded
    # in the page's audit row.
    sections: list[Section] = field(default_factory=list)

    @property
    def overdue_count(self) -> int:
        return sum(1 for d, _ in self.due if d.overdue)


def _visible_child(actor: User) -> Exists:
    """Whether `actor` may see the child of each row of an allocation query: `visible_persons`
    as a subquery, so the answer comes with the allocation rather than in a query of its own."""
    return Exists(visible_persons(actor, Person.objects.filter(pk=OuterRef("child_id"))))


# What the page shows of each allocated child and of the allocation (ADR 0062: a full
# Person is some forty fields, most of them never drawn here).
_MY_WORK_FIELDS = (
    "child_id",
    "start_date",
    "child__given_name",
    "child__family_name",
    "child__date_of_birth",
)


def _caseload_due(worker: Any) -> QuerySet[DueItem]:
    """The open due dates of the children allocated to `worker`."""
    allocated = Allocation.objects.filter(worker=worker, end_date__isnull=True)
    return DueItem.objects.filter(done_on__isnull=True, child__in=allocated.values("child")).only(
        "child_id", "kind", "label", "due_date"
    )


def my_work(*, actor: User, today: date) -> MyWork:
    """The worker's allocated children and their statutory work, in two queries, then the
    sections other apps add; one audit row names every person the page shows (ADR 0062)."""
    # The "my work" sections' probes ride along too (ADR 0058); with no allocation to carry
    # them, the sections ask them themselves.
    probes = my_work_probes(actor)
    allocations = list(
        Allocation.objects.filter(worker=actor, end_date__isnull=True)
        .select_related("child")
        .only(*_MY_WORK_FIELDS)
        .annotate(visible=_visible_child(actor), **probes)
    )
    by_child: dict[int, list[DueItem]] = {a.child_id: [] for a in allocations}
    # Read by a statement compiled once (ADR 0063), so by the worker rather than by the list
    # of children just read; a child allocated since is not on the page and is left out.
    for item in fixed_read("casework.my_work.due", _caseload_due, actor.pk) if by_child else []:
        if item.child_id in by_child:
            by_child[item.child_id].append(item)
    seen = {a.child_id: bool(a.visible) for a in allocations}
    horizon = today + timedelta(days=SOON_DAYS)
    rows = []
    for allocation in allocations:
        items = _due(by_child[allocation.child_id], today)
        rows.append(
            CaseloadRow(
                child=allocation.child,
                allocation=allocation,
                visible=seen[allocation.child_id],
                due=[d for d in items if d.item.due_date <= horizon],
                next_due=items[0] if items else None,
            )
        )
    # Worst first: most overdue, then soonest due; then the rest by their next due date,
    # and those with nothing open by name.
    rows.sort(
        key=lambda r: (
            (0, r.next_due.item.due_date, "", "")
            if r.next_due
            else (1, date.max, r.child.family_name.lower(), r.child.given_name.lower())
        )
    )
    due = sorted(
        ((d, row) for row in rows for d in row.due),
        key=lambda pair: (pair[0].item.due_date, pair[0].item.pk),
    )
    probed = {k: getattr(allocations[0], k) for k in probes} if allocations else None
    sections = my_work_sections(actor, today, MyWorkRead(seen), probed)
    # One row for the page: its own children and every person a section names, with which
    # section named whom.
    named = {s.listed: sorted(set(s.shown)) for s in sections if s.shown}
    audit_list(
        actor=actor,
        listed="casework.my_work",
        person_ids=[r.child.pk for r in rows if r.visible] + [i for s in sections for i in s.shown],
        detail={"sections": named} if named else None,
    )
    return MyWork(rows=rows, due=due, sections=sections)


# --- A team manager's view of the team ---------------------------------------------------


@dataclass
class WorkerRow:
    worker: User
    caseload: int
    overdue: int


@dataclass
class TeamWork:
    workers: list[WorkerRow]
    overdue: list[tuple[Due, Allocation, bool]]  # (item, its allocation, name visible)
    unallocated: list[Episode]
    restricted_unallocated: int  # waiting, but restricted: counted, not named


def team_work(*, actor: User, today: date) -> TeamWork:
    """Caseloads and overdue work across the manager's team, worst first, and the children
    waiting for a worker, longest first: five queries (four when nobody is waiting)."""
    if actor.team_id is None:  # no team, so no team's allocations (every one has a team)
        team_allocations = Allocation.objects.none()
    else:
        team_allocations = Allocation.objects.filter(team_id=actor.team_id, end_date__isnull=True)
    # Whether the manager may see each child comes with the allocation (`visible_persons`
    # as a subquery), which leaves the waiting children their two queries.
    allocations = list(
        team_allocations.select_related("child", "worker").annotate(visible=_visible_child(actor))
    )
    by_child = {a.child_id: a for a in allocations}
    overdue_items = list(
        DueItem.objects.filter(
            done_on__isnull=True, due_date__lt=today, child__in=team_allocations.values("child")
        )
    )
    visible = {a.child_id for a in allocations if a.visible}
    overdue: list[tuple[Due, Allocation, bool]] = [
        (d, by_child[d.item.child_id], d.item.child_id in visible)
        for d in _due(overdue_items, today)
        if d.item.child_id in by_child
    ]
    caseload: dict[int, int] = {}
    late: dict[int, int] = {}
    for allocation in allocations:
        caseload[allocation.worker_id] = caseload.get(allocation.worker_id, 0) + 1
    for _, held, _ in overdue:
        late[held.worker_id] = late.get(held.worker_id, 0) + 1
    workers = [
        WorkerRow(worker=w, caseload=caseload.get(w.pk, 0), overdue=late.get(w.pk, 0))
        for w in team_workers(actor)
    ]
    waiting = _waiting(actor)
    shown = [e for e, allowed in waiting if not e.child.is_restricted or allowed]
    audit_list(
        actor=actor,
        listed="casework.team_work",
        person_ids=[a.child_id for _, a, named in overdue if named] + [e.child_id for e in shown],
    )
    return TeamWork(
        workers=workers,
        overdue=overdue,
        unallocated=shown,
        restricted_unallocated=len(waiting) - len(shown),
    )


# --- One child's records, one kind at a time (the API) -------------------------------------
# The same records the casework page shows, read one kind at a time so that a partner system
# asking for a child's visits does not load their care history too. Each runs a fixed number
# of queries whatever the history. The caller has already passed the access check.


def episodes_for_child(child: Any) -> list[Episode]:
    """Episodes of need and early help, newest referral first: one query."""
    return list(
        Episode.objects.filter(child=child)
        .select_related("opened_by")
        .order_by("-referral_date", "-pk")
    )


def assessments_for_child(child: Any) -> list[Assessment]:
    """Assessments across every episode, newest first: one query."""
    return list(
        Assessment.objects.filter(episode__child=child)
        .select_related("completed_by", "authorised_by")
        .order_by("-start_date", "-pk")
    )


def strategies_for_child(child: Any) -> list[StrategyDiscussion]:
    return list(
        StrategyDiscussion.objects.filter(episode__child=child)
        .select_related("recorded_by")
        .order_by("-held_on", "-pk")
    )


def enquiries_for_child(child: Any) -> list[Section47]:
    return list(Section47.objects.filter(episode__child=child).order_by("-start_date", "-pk"))


def conferences_for_child(child: Any) -> list[Conference]:
    return list(
        Conference.objects.filter(episode__child=child)
        .select_related("chair", "recorded_by")
        .order_by("-held_on", "-pk")
    )


def cp_plans_for_child(child: Any) -> list[CPPlan]:
    """Child protection plans, newest first, each with its core groups: two queries."""
    return list(
        CPPlan.objects.filter(child=child)
        .order_by("-start_date", "-pk")
        .prefetch_related(
            Prefetch(
                "core_groups",
                to_attr="core_group_list",
                queryset=CoreGroup.objects.select_related("recorded_by").order_by(
                    "-held_on", "-pk"
                ),
            )
        )
    )


def cin_plans_for_child(child: Any) -> list[CINPlan]:
    """Child-in-need plans, newest first, each with its reviews: two queries."""
    return list(
        CINPlan.objects.filter(child=child)
        .order_by("-start_date", "-pk")
        .prefetch_related(
            Prefetch(
                "reviews",
                to_attr="review_list",
                queryset=CINPlanReview.objects.select_related("recorded_by").order_by(
                    "-held_on", "-pk"
                ),
            )
        )
    )


def care_periods_for_child(child: Any) -> list[PeriodOfCare]:
    """Periods of care, newest first, each with its 903 episodes (legal status and
    placement) and reviews: three queries."""
    return list(
        PeriodOfCare.objects.filter(child=child)
        .order_by("-start_date", "-pk")
        .prefetch_related(
            Prefetch(
                "episodes",
                to_attr="placement_list",
                queryset=CareEpisode.objects.order_by("-start_date", "-pk"),
            ),
            Prefetch(
                "reviews",
                to_attr="review_list",
                queryset=CareReview.objects.select_related("recorded_by").order_by(
                    "-held_on", "-pk"
                ),
            ),
        )
    )


def allocations_for_child(child: Any) -> list[Allocation]:
    """Who has held the case, the current allocation first: one query."""
    return list(
        Allocation.objects.filter(child=child)
        .select_related("worker", "team__agency", "allocated_by")
        .order_by("-start_date", "-pk")
    )


PAGE_SIZE = 25


@dataclass(frozen=True)
class RecordPage:
    rows: list[Any]
    page: int
    pages: int
    total: int


def _page(queryset: Any, page: int | str | None, size: int) -> RecordPage:
    """One page of `queryset` (already in order); past the end, the last page. Two
    queries whatever the number of rows."""
    total = queryset.count()
    pages = max(1, -(-total // size))
    page = page_number(page, pages=pages)
    start = (page - 1) * size
    return RecordPage(
        rows=list(queryset[start : start + size]), page=page, pages=pages, total=total
    )


def visits_page_for_child(
    *, child: Any, page: int | str | None = 1, size: int = PAGE_SIZE
) -> RecordPage:
    """One page of the child's visits, newest first."""
    visits = Visit.objects.filter(child=child).select_related("recorded_by")
    return _page(visits.order_by("-visited_on", "-pk"), page, size)


def missing_page_for_child(
    *, child: Any, page: int | str | None = 1, size: int = PAGE_SIZE
) -> RecordPage:
    """One page of the child's missing episodes, newest first."""
    missing = MissingEpisode.objects.filter(child=child).select_related("recorded_by")
    return _page(missing.order_by("-start_date", "-pk"), page, size)


def visit_for(child: Any, visit_id: Any) -> Visit | None:
    return Visit.objects.select_related("recorded_by").filter(child=child, pk=visit_id).first()


def note_for(child: Any, note_id: Any) -> CaseNote | None:
    return CaseNote.objects.select_related("author").filter(child=child, pk=note_id).first()


def missing_for(child: Any, missing_id: Any) -> MissingEpisode | None:
    return (
        MissingEpisode.objects.select_related("recorded_by")
        .filter(child=child, pk=missing_id)
        .first()
    )


# --- SSDA903 OC2: children looked after continuously for 12 months at 31 March -------------


@dataclass(frozen=True)
class OC2Row:
    """One child's row of the 903 OC2 file. Flags are 1 or 0; None is left blank (a
    developmental check for a child of 5 or over, interventions where no misuse was found)."""

    child_id: int
    date_of_birth: date | None
    sdq_score: int | None
    sdq_reason: str
    convicted: int
    health_check: int | None
    immunisations: int
    teeth_check: int
    health_assessment: int
    substance_misuse: int
    intervention_received: int | None
    intervention_offered: int | None


def _add_years(day: date, years: int) -> date:
    return add_months(day, 12 * years)


def _flag(value: bool) -> int:
    return 1 if value else 0


def _oc2_row(period: PeriodOfCare, year_start: date, year_end: date) -> OC2Row:
    def in_year(day: date) -> bool:
        return year_start <= day <= year_end

    child = period.child
    checks = [c for c in period.health_list if in_year(c.held_on)]  # type: ignore[attr-defined]
    kinds = {c.kind for c in checks}
    immunised = _first(checks, lambda c: c.kind == HealthCheckKind.IMMUNISATIONS)
    sdq = _first(period.sdq_list, lambda s: in_year(s.completed_on))  # type: ignore[attr-defined]
    misuse = [m for m in period.substance_list if in_year(m.identified_on)]  # type: ignore[attr-defined]
    born = child.date_of_birth
    under_five = born is not None and year_end < _add_years(born, 5)
    return OC2Row(
        child_id=child.pk,
        date_of_birth=born,
        sdq_score=sdq.score if sdq else None,
        sdq_reason=sdq.reason if sdq else "",
        convicted=_flag(any(in_year(o.outcome_on) for o in period.offence_list)),  # type: ignore[attr-defined]
        health_check=_flag(HealthCheckKind.DEVELOPMENTAL in kinds) if under_five else None,
        immunisations=_flag(bool(immunised and immunised.up_to_date)),
        teeth_check=_flag(HealthCheckKind.DENTAL in kinds),
        health_assessment=_flag(bool(kinds & set(HEALTH_ASSESSMENTS))),
        substance_misuse=_flag(bool(misuse)),
        intervention_received=_flag(any(m.intervention_received for m in misuse))
        if misuse
        else None,
        intervention_offered=_flag(any(m.intervention_offered for m in misuse)) if misuse else None,
    )


def oc2_rows(*, year_end: date) -> list[OC2Row]:
    """The OC2 rows for the year ending `year_end` (31 March): every child looked after
    continuously from the year's first day (1 April) to its last, other than on short
    breaks, with what was recorded in the year. Seven queries however many children."""
    year_start = _add_years(year_end, -1) + timedelta(days=1)
    periods = (
        PeriodOfCare.objects.filter(start_date__lte=year_start)
        .exclude(end_date__lte=year_end)
        .select_related("child")
        .order_by("child_id", "pk")
        .prefetch_related(
            Prefetch(
                "episodes",
                to_attr="placement_list",
                queryset=CareEpisode.objects.filter(start_date__lte=year_end).order_by(
                    "-start_date", "-pk"
                ),
            ),
            *_care_health_prefetches(),
        )
    )
    rows = []
    for period in periods:
        at_year_end = _first(period.placement_list, lambda _: True)
        if at_year_end is not None and at_year_end.legal_status in SHORT_BREAKS:
            continue  # children on agreed short breaks are not in OC2
        rows.append(_oc2_row(period, year_start, year_end))
    return rows


# --- Children in care, one kind of record at a time (the API) ------------------------------


def _in_care_records(model: Any, child: Any, newest_first: str) -> list[Any]:
    """One kind of record of every period of care of the child, newest first: one query."""
    return list(
        model.objects.filter(period__child=child)
        .select_related("recorded_by")
        .order_by(f"-{newest_first}", "-pk")
    )


def health_checks_for_child(child: Any) -> list[HealthCheck]:
    return _in_care_records(HealthCheck, child, "held_on")


def sdqs_for_child(child: Any) -> list[StrengthsAndDifficulties]:
    return _in_care_records(StrengthsAndDifficulties, child, "completed_on")


def substance_misuse_for_child(child: Any) -> list[SubstanceMisuse]:
    return _in_care_records(SubstanceMisuse, child, "identified_on")


def offences_for_child(child: Any) -> list[Offence]:
    return _in_care_records(Offence, child, "outcome_on")


def education_plans_for_child(child: Any) -> list[EducationPlan]:
    return _in_care_records(EducationPlan, child, "held_on")


def care_reviews_for_child(child: Any) -> list[CareReview]:
    """Looked-after reviews, newest first, with how the child took part and the IRO's
    recommendations: two queries."""
    return list(
        CareReview.objects.filter(period__child=child)
        .select_related("recorded_by")
        .order_by("-held_on", "-pk")
        .prefetch_related(
            Prefetch(
                "recommendations",
                to_attr="recommendation_list",
                queryset=ReviewRecommendation.objects.order_by("due_date", "pk"),
            )
        )
    )
