"""Reads for the care planning pages and API: the section on the child's casework page,
the IRO's list of children and reviews due, and the records one kind at a time for the
API. Each runs a fixed number of queries however long the history; the caller has passed
the access check for a single child, and the IRO's list hides the names of restricted
children the IRO may not open."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch

from safehub.access.policy import visible_persons
from safehub.audit.services import audit_list
from safehub.careplanning.models import (
    DelegatedDecision,
    Plan,
    PlanKind,
    PlanVersion,
    ReviewingOfficer,
    ReviewingOfficerContact,
)
from safehub.careplanning.services import (
    current_period,
    placement_among,
    placement_began,
)
from safehub.casework.models import Conference, CPPlan, DueItem, PeriodOfCare
from safehub.casework.sections import ChildRead
from safehub.casework.selectors import Due
from safehub.casework.services.care import IRO_CONTACT_DUE, IRO_DUE, PLACEMENT_PLAN_DUE
from safehub.core.statements import fixed_read
from safehub.organisations.models import User
from safehub.people.models import Person

SOURCE = PeriodOfCare._meta.label
# The statutory items this section shows: the plans' clocks, the IRO's, and the review the
# care plan is looked at in.
DUE_KINDS = ("care_plan", PLACEMENT_PLAN_DUE, IRO_DUE, IRO_CONTACT_DUE, "care_review")
IRO_LIST_KINDS = ("care_review", IRO_CONTACT_DUE)


@dataclass
class CarePlanningSection:
    period: PeriodOfCare
    iro: ReviewingOfficer | None
    last_contact: ReviewingOfficerContact | None
    care_plan: Plan | None
    placement_plan: Plan | None
    permanence_plan: Plan | None
    delegated: list[DelegatedDecision]  # the current placement's, in force
    due: list[Due]

    @property
    def next_review(self) -> Due | None:
        """The care plan is looked at in each review: the next one is its review date."""
        return next((d for d in self.due if d.item.kind == "care_review"), None)


def _due(items: list[DueItem], today: date) -> list[Due]:
    return [Due(i, (i.due_date - today).days) for i in items]


def care_planning_section(
    *, child: Person, today: date, read: ChildRead | None = None
) -> CarePlanningSection | None:
    """Seven queries for a child in care, one for anyone else; four and none on the
    casework page, which has read the child's periods of care and due dates (`read`)."""
    if read is None:
        period = current_period(child)
        if period is None:
            return None
        placement = placement_began(period)
        items = list(
            DueItem.objects.filter(
                source_type=SOURCE, source_id=str(period.pk), kind__in=DUE_KINDS, done_on=None
            ).order_by("due_date", "pk")
        )
    else:
        period = read.current_period
        if period is None:
            return None
        placement = placement_among(read.placements(period))
        items = read.due({SOURCE}, str(period.pk), DUE_KINDS)
    # Read by statements compiled once (ADR 0063): the page draws this section often.
    plans = {
        (p.kind, p.placement_id): p
        for p in fixed_read(
            "careplanning.section.plans",
            lambda k: Plan.objects.filter(period=k).select_related("updated_by"),
            period.pk,
        )
    }
    iro = fixed_read(
        "careplanning.section.iro",
        lambda k: ReviewingOfficer.objects.select_related("iro")
        .filter(period=k, end_date__isnull=True)
        .order_by("pk")[:1],
        period.pk,
    )
    contact = fixed_read(
        "careplanning.section.last_contact",
        lambda k: ReviewingOfficerContact.objects.filter(period=k).order_by("-contact_on", "-pk")[
            :1
        ],
        period.pk,
    )
    return CarePlanningSection(
        period=period,
        iro=iro[0] if iro else None,
        last_contact=contact[0] if contact else None,
        care_plan=plans.get((PlanKind.CARE, None)),
        placement_plan=plans.get((PlanKind.PLACEMENT, placement.pk)) if placement else None,
        permanence_plan=plans.get((PlanKind.PERMANENCE, None)),
        delegated=fixed_read(
            "careplanning.section.delegated",
            lambda k: DelegatedDecision.objects.filter(
                placement=k, withdrawn_on__isnull=True
            ).order_by("agreed_on", "pk"),
            placement.pk,
        )
        if placement
        else [],
        due=_due(items, today),
    )


def plan_for(child: Person, kind: str) -> Plan | None:
    """The plan of `kind` for the child's current period (and placement) of care."""
    period = current_period(child)
    if period is None:
        return None
    placement = placement_began(period) if kind == PlanKind.PLACEMENT else None
    return Plan.objects.filter(period=period, kind=kind, placement=placement).first()


def delegated_decision_for(child: Person, record_id: int) -> DelegatedDecision | None:
    return DelegatedDecision.objects.filter(period__child=child, pk=record_id).first()


# --- The IRO's own list --------------------------------------------------------------------


@dataclass
class IroRow:
    child: Person
    allocation: ReviewingOfficer
    visible: bool  # false: restricted, and the IRO must break the glass to open it
    due: list[Due]  # the next review and the contact before it, soonest first


def iro_work(*, actor: User, today: date) -> list[IroRow]:
    """The children `actor` is independent reviewing officer for, with their next review
    and the contact due before it, soonest first: three queries and one audit row."""
    allocations = list(
        ReviewingOfficer.objects.filter(iro=actor, end_date__isnull=True)
        .select_related("child")
        .order_by("pk")
    )
    if not allocations:
        return []
    by_period: dict[str, list[DueItem]] = {str(a.period_id): [] for a in allocations}
    for item in DueItem.objects.filter(
        source_type=SOURCE, source_id__in=list(by_period), kind__in=IRO_LIST_KINDS, done_on=None
    ).order_by("due_date", "pk"):
        by_period[item.source_id].append(item)
    ids = {a.child_id for a in allocations}
    visible = set(
        visible_persons(actor, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    rows = [
        IroRow(
            child=a.child,
            allocation=a,
            visible=a.child_id in visible,
            due=_due(by_period[str(a.period_id)], today),
        )
        for a in allocations
    ]
    rows.sort(key=lambda r: (r.due[0].item.due_date if r.due else date.max, r.child.pk))
    audit_list(
        actor=actor,
        listed="careplanning.iro_work",
        person_ids=[r.child.pk for r in rows if r.visible],
    )
    return rows


# --- The chair's child protection plans ----------------------------------------------------

CP_PLAN = CPPlan._meta.label


@dataclass
class ChairedRow:
    plan: CPPlan
    last: Conference  # the latest conference of the plan, which `actor` chaired
    visible: bool  # false: restricted, and the chair must break the glass to open it
    due: list[Due]  # the next review conference


def chaired_plans(*, actor: User, today: date) -> list[ChairedRow]:
    """The open child protection plans whose latest conference `actor` chaired, with the
    next review conference due, soonest first: the chair who held the last conference
    holds the next. Three queries and one audit row."""
    conferences = (
        Conference.objects.filter(plan__end_date__isnull=True, plan__isnull=False)
        .filter(plan__in=Conference.objects.filter(chair=actor).values("plan_id"))
        .select_related("plan", "plan__child")
        .order_by("plan_id", "held_on", "pk")
    )
    latest: dict[CPPlan, Conference] = {}
    for conference in conferences:
        if conference.plan is not None:
            latest[conference.plan] = conference  # the last, in the order read
    mine = {plan: c for plan, c in latest.items() if c.chair_id == actor.pk}
    if not mine:
        return []
    items: dict[str, list[DueItem]] = {str(plan.pk): [] for plan in mine}
    for item in DueItem.objects.filter(
        source_type=CP_PLAN, source_id__in=list(items), kind="cp_review", done_on=None
    ).order_by("due_date", "pk"):
        items[item.source_id].append(item)
    ids = {plan.child_id for plan in mine}
    visible = set(
        visible_persons(actor, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    rows = [
        ChairedRow(plan, c, plan.child_id in visible, _due(items[str(plan.pk)], today))
        for plan, c in mine.items()
    ]
    rows.sort(key=lambda r: (r.due[0].item.due_date if r.due else date.max, r.plan.pk))
    audit_list(
        actor=actor,
        listed="careplanning.chaired_plans",
        person_ids=[r.plan.child_id for r in rows if r.visible],
    )
    return rows


# --- One kind of record for the API --------------------------------------------------------


def plans_for_child(child: Person) -> list[Plan]:
    """Every plan in every period of care, newest period first, each with its versions:
    two queries."""
    return list(
        Plan.objects.filter(period__child=child)
        .select_related("updated_by")
        .order_by("-period__start_date", "kind", "-pk")
        .prefetch_related(
            Prefetch(
                "versions",
                to_attr="version_list",
                queryset=PlanVersion.objects.select_related("saved_by").order_by("-version"),
            )
        )
    )


def reviewing_officers_for_child(child: Person) -> list[ReviewingOfficer]:
    """Every IRO the child has had, the current first: one query."""
    return list(
        ReviewingOfficer.objects.filter(child=child)
        .select_related("iro")
        .order_by("end_date", "-start_date", "-pk")
    )


def iro_contacts_for_child(child: Person) -> list[ReviewingOfficerContact]:
    return list(
        ReviewingOfficerContact.objects.filter(period__child=child)
        .select_related("iro")
        .order_by("-contact_on", "-pk")
    )


def delegated_decisions_for_child(child: Person) -> list[DelegatedDecision]:
    return list(DelegatedDecision.objects.filter(period__child=child).order_by("-agreed_on", "-pk"))
