"""Reads for the permanence section of the child's casework page and the prospective
adopters' pages. The section runs a fixed number of queries however long the history; the
caller has passed the permanence decision for the child."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypedDict, TypeVar

from django.db.models import Count, Exists, F, OuterRef, QuerySet

from safehub.access.policy import can_work_adopters, visible_persons
from safehub.audit.models import AuditAction
from safehub.audit.services import audit_list, audit_record
from safehub.casework.models import DueItem, PeriodOfCare
from safehub.casework.sections import ChildRead
from safehub.casework.selectors import Due
from safehub.core.statements import fixed_read
from safehub.organisations.models import User
from safehub.people.models import Person
from safehub.permanence.codes import FINAL_LEGAL_STATUS, FinalOrder
from safehub.permanence.models import (
    Adopters,
    Adoption,
    Extension,
    Hearing,
    LibertyOrder,
    PermanenceBefore,
    Proceedings,
)
from safehub.permanence.timescales import TIMETABLE_WEEKS, week_of_timetable

SOURCES = (Proceedings._meta.label, LibertyOrder._meta.label)


@dataclass
class Clock:
    """Where the 26 weeks stand: the week the proceedings are in (or ended in), the day
    the timetable ends, and whether the final order came within the first 26 weeks."""

    week: int
    ends: date
    extended: bool
    within_26_weeks: bool | None  # None while running


@dataclass
class Scorecard:
    """The adoption scorecard's two timings for this child, in days (thresholds are the
    DfE's and are not held here): A1 entering care to moving in with the adopters, A2 the
    placement order to the match."""

    entered_care_to_placed: int | None
    order_to_match: int | None


@dataclass
class PermanenceSection:
    proceedings: Proceedings | None  # the open one, else the latest
    hearings: list[Hearing]
    extensions: list[Extension]
    clock: Clock | None
    final_legal_status: str
    liberty: list[LibertyOrder]  # newest first
    adoption: Adoption | None  # the open one, else the latest
    scorecard: Scorecard | None
    show_adopters: bool
    before: PermanenceBefore | None
    due: list[Due] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        return any((self.proceedings, self.liberty, self.adoption, self.before))


class Held(TypedDict):
    proceedings: bool
    liberty: bool
    adoption: bool
    before: bool


# Each kind of court and adoption record, as the casework page's probes name it.
HELD_KINDS: dict[str, type[Proceedings | LibertyOrder | Adoption | PermanenceBefore]] = {
    "proceedings": Proceedings,
    "liberty": LibertyOrder,
    "adoption": Adoption,
    "before": PermanenceBefore,
}


def held_probe(kind: str) -> str:
    return f"permanence.{kind}"


def held_rows(kind: str, child: Any) -> QuerySet[Any]:
    """The child's records of `kind` (`child` a person or a reference to one's key)."""
    return HELD_KINDS[kind].objects.filter(child=child)


def _held(child: Person, read: ChildRead | None = None) -> Held:
    """Which kinds of court and adoption record the child has: what the casework page's
    probes found (`read`), else one query."""
    if read is not None and read.holds is not None:
        return Held(
            proceedings=read.has(held_probe("proceedings")),
            liberty=read.has(held_probe("liberty")),
            adoption=read.has(held_probe("adoption")),
            before=read.has(held_probe("before")),
        )
    return (
        Person.objects.filter(pk=child.pk)
        .annotate(**{k: Exists(held_rows(k, OuterRef("pk"))) for k in HELD_KINDS})
        .values(*HELD_KINDS)
        .get()
    )


def _clock(p: Proceedings, today: date) -> Clock | None:
    if p.issued_on is None or p.timetable_ends is None:
        return None
    upto = p.final_order_on or today
    first_end = p.issued_on.toordinal() + TIMETABLE_WEEKS * 7 - 1
    return Clock(
        week=week_of_timetable(p.issued_on, upto),
        ends=p.timetable_ends,
        extended=bool(p.extensions_count),  # type: ignore[attr-defined]
        within_26_weeks=(
            None if p.final_order_on is None else p.final_order_on.toordinal() <= first_end
        ),
    )


def _entered_care_by(child: Person, day: date, read: ChildRead | None) -> date | None:
    """When the child last came into care on or before `day`."""
    if read is not None:
        return max((p.start_date for p in read.care_periods if p.start_date <= day), default=None)
    return (
        PeriodOfCare.objects.filter(child=child, start_date__lte=day)
        .order_by("-start_date")
        .values_list("start_date", flat=True)
        .first()
    )


M = TypeVar("M")


def _one(rows: list[M]) -> M | None:
    return rows[0] if rows else None


def _of(proceedings: Proceedings | None, rows: list[M]) -> list[M]:
    """`rows` of `proceedings`, each knowing it, as its related manager would leave them."""
    for row in rows:
        row.proceedings = proceedings  # type: ignore[attr-defined]
    return rows


def permanence_section(
    *, actor: User, child: Person, today: date, read: ChildRead | None = None
) -> PermanenceSection:
    """At most nine queries whatever the history; one for a child with no court or
    adoption records (most children on a casework page). On the casework page, which has
    read the child's periods of care and due dates (`read`), at most seven."""
    held = _held(child, read)
    # Read by statements compiled once (ADR 0063): the casework page draws this section.
    # The open one (no end dates) sorts first on both databases, then the latest ended.
    current = _one(
        fixed_read(
            "permanence.section.proceedings",
            lambda k: Proceedings.objects.filter(child=k)
            .annotate(extensions_count=Count("extensions"))
            .order_by(
                F("final_order_on").desc(nulls_first=True),
                F("pre_ended").desc(nulls_first=True),
                "-pk",
            )[:1],
            child.pk,
        )
        if held["proceedings"]
        else []
    )
    hearings = _of(
        current,
        fixed_read(
            "permanence.section.hearings",
            lambda k: Hearing.objects.filter(proceedings=k).order_by("held_on", "pk"),
            current.pk,
        )
        if current
        else [],
    )
    extensions = _of(
        current,
        fixed_read(
            "permanence.section.extensions",
            lambda k: Extension.objects.filter(proceedings=k).order_by("granted_on", "pk"),
            current.pk,
        )
        if current and current.extensions_count  # type: ignore[attr-defined]
        else [],
    )
    liberty = (
        fixed_read(
            "permanence.section.liberty",
            lambda k: LibertyOrder.objects.filter(child=k).order_by("-made_on", "-pk"),
            child.pk,
        )
        if held["liberty"]
        else []
    )
    adoption = _one(
        fixed_read(
            "permanence.section.adoption",
            lambda k: Adoption.objects.filter(child=k)
            .select_related("adopters")
            .order_by(
                F("order_on").desc(nulls_first=True),
                F("reversed_on").desc(nulls_first=True),
                "-pk",
            )[:1],
            child.pk,
        )
        if held["adoption"]
        else []
    )
    before = PermanenceBefore.objects.filter(child=child).first() if held["before"] else None
    scorecard = None
    if adoption is not None:
        entered = _entered_care_by(child, adoption.decided_on, read)
        scorecard = Scorecard(
            entered_care_to_placed=(adoption.placed_on - entered).days
            if adoption.placed_on and entered
            else None,
            order_to_match=(adoption.matched_on - adoption.placement_order_on).days
            if adoption.matched_on and adoption.placement_order_on
            else None,
        )
    # Only proceedings and liberty orders set this section's clocks.
    items: list[DueItem] = []
    if (held["proceedings"] or held["liberty"]) and read is not None:
        items = read.due(SOURCES)
    elif held["proceedings"] or held["liberty"]:
        items = list(
            DueItem.objects.filter(child=child, source_type__in=SOURCES, done_on=None).order_by(
                "due_date", "pk"
            )
        )
    final = (
        FINAL_LEGAL_STATUS.get(FinalOrder(current.final_order))
        if current and current.final_order
        else None
    )
    return PermanenceSection(
        proceedings=current,
        hearings=hearings,
        extensions=extensions,
        clock=_clock(current, today) if current else None,
        final_legal_status=final or "",
        liberty=liberty,
        adoption=adoption,
        scorecard=scorecard,
        show_adopters=can_work_adopters(actor),
        before=before,
        due=[Due(i, (i.due_date - today).days) for i in items],
    )


def open_proceedings(child: Person) -> Proceedings | None:
    return Proceedings.objects.filter(
        child=child, final_order_on__isnull=True, pre_ended__isnull=True
    ).first()


def running_liberty_order(child: Person) -> LibertyOrder | None:
    return LibertyOrder.objects.filter(child=child, ended_on__isnull=True).first()


def approved_adopters(on: date | None = None) -> list[Adopters]:
    """Adopters approved (by `on` if given) and not yet matched with a child still open."""
    rows = Adopters.objects.filter(approved_on__isnull=False).order_by("names", "pk")
    if on is not None:
        rows = rows.filter(approved_on__lte=on)
    return list(rows)


def adopters_list(*, actor: User) -> list[Adopters]:
    """Every prospective adopters' record, for the roles that work with them: one audit row
    (adopters are not person records, so the row names the list, not people)."""
    rows = list(Adopters.objects.order_by("-enquiry_on", "pk"))
    audit_record(
        actor=actor,
        action=AuditAction.LIST,
        object_type="permanence.adopters_list",
        detail={"shown": len(rows)},
    )
    return rows


def adopters_matches(*, actor: User, adopters: Adopters) -> list[tuple[Adoption, bool]]:
    """The children matched with these adopters, each with whether `actor` may see them (a
    child the policy hides is counted, never named); the names shown are audited."""
    rows = list(adopters.matches.select_related("child").order_by("-matched_on", "-pk"))
    ids = {a.child_id for a in rows}
    visible = set(
        visible_persons(actor, Person.objects.filter(pk__in=ids)).values_list("pk", flat=True)
    )
    if rows:
        audit_list(actor=actor, listed="permanence.adopters_matches", person_ids=visible)
    return [(a, a.child_id in visible) for a in rows]
