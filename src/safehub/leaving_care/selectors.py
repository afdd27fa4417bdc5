"""Reads for the care leaver pages: the section on the young person's casework page and
the personal adviser's part of "my work". Each runs a fixed number of queries however long
the history; the caller has passed the access check for a single young person, and the
adviser's list hides restricted names from an adviser who may not open them."""

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from safehub.casework.models import DueItem
from safehub.casework.sections import ChildRead, MyWorkRead
from safehub.casework.selectors import Due
from safehub.leaving_care.codes import Category
from safehub.leaving_care.eligibility import age_on, category_on
from safehub.leaving_care.models import BirthdayRecord, CareLeaver, PathwayPlan, StayingPut
from safehub.leaving_care.services import care_history
from safehub.organisations.models import User
from safehub.people.models import Person

SOURCE = CareLeaver._meta.label
# The casework page's probe: whether the young person has a leaving-care record.
RECORD_PROBE = "leaving_care.record"
PLANS_SHOWN = 3


@dataclass
class CareLeaverSection:
    age: int | None
    category: Category | None
    leaver: CareLeaver | None
    plans: list[PathwayPlan]  # newest first, the latest few
    staying_put: StayingPut | None  # the running arrangement, else the latest
    birthdays: list[BirthdayRecord]  # by age
    due: list[Due]

    @property
    def shown(self) -> bool:
        """Only young people with a leaving-care category or record get the section."""
        return self.category is not None or self.leaver is not None


def care_leaver_section(
    *, child: Person, today: date, read: ChildRead | None = None
) -> CareLeaverSection:
    """Six queries whatever the history (two when the young person has no leaving-care
    record); four (one) on the casework page, which has read the child's care history and
    due dates (`read`)."""
    dob = child.date_of_birth
    leaver = (
        CareLeaver.objects.select_related("personal_adviser").filter(child=child).first()
        if dob and (read is None or read.has(RECORD_PROBE))
        else None
    )
    category = (
        category_on(
            dob,
            care_history(child, read),
            today,
            support_to_25=bool(leaver and leaver.support_to_25),
        )
        if dob and age_on(dob, today) >= 16
        else None
    )
    if leaver is None:
        return CareLeaverSection(
            age=age_on(dob, today) if dob else None,
            category=category,
            leaver=None,
            plans=[],
            staying_put=None,
            birthdays=[],
            due=[],
        )
    plans = list(leaver.plans.order_by("-plan_date", "-pk")[:PLANS_SHOWN])
    arrangements = list(leaver.staying_put.order_by("-start_date", "-pk")[:1])
    items = (
        read.due({SOURCE}, str(leaver.pk))
        if read is not None
        else list(
            DueItem.objects.filter(
                source_type=SOURCE, source_id=str(leaver.pk), done_on=None
            ).order_by("due_date", "pk")
        )
    )
    return CareLeaverSection(
        age=age_on(dob, today) if dob else None,
        category=category,
        leaver=leaver,
        plans=plans,
        staying_put=arrangements[0] if arrangements else None,
        birthdays=list(leaver.birthdays.order_by("age")),
        due=[Due(i, (i.due_date - today).days) for i in items],
    )


@dataclass
class AdviserRow:
    child: Person
    visible: bool  # false: restricted, and the adviser must break the glass to open it
    due: list[Due]


def adviser_work(*, actor: User, today: date, read: MyWorkRead) -> list[AdviserRow]:
    """The young people `actor` is personal adviser to, with their pathway plan reviews
    and birthday records due, soonest first: two queries, and a third for the policy's
    answer on any of them "my work" (`read`) has not already decided. "My work" records
    those named in its one audit row (ADR 0062)."""
    leavers = list(advised_by(actor).select_related("child").order_by("pk"))
    if not leavers:
        return []
    by_leaver: dict[str, list[Due]] = {str(c.pk): [] for c in leavers}
    for item in DueItem.objects.filter(
        source_type=SOURCE, source_id__in=list(by_leaver), done_on=None
    ).order_by("due_date", "pk"):
        by_leaver[item.source_id].append(Due(item, (item.due_date - today).days))
    visible = read.visible(actor, {c.child_id for c in leavers})
    rows = [
        AdviserRow(child=c.child, visible=c.child_id in visible, due=by_leaver[str(c.pk)])
        for c in leavers
    ]
    rows.sort(key=lambda r: (r.due[0].item.due_date if r.due else date.max, r.child.pk))
    return rows


def advised_by(actor: User) -> QuerySet[CareLeaver]:
    """The care leavers `actor` is personal adviser to ("my work"'s probe asks this too)."""
    return CareLeaver.objects.filter(personal_adviser=actor)


def care_leaver_for(child: Person) -> CareLeaver | None:
    return CareLeaver.objects.select_related("personal_adviser").filter(child=child).first()
