"""Reads for the neglect app: a profile's sheet by area, the template's items, and the
previous profile of the same child to show movement."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from safehub.access.policy import (
    Action,
    Decision,
    SignOff,
    may_sign_off,
    neglect_profile_decisions,
    visible_persons,
)
from safehub.audit.services import audit_list
from safehub.neglect.models import (
    Area,
    ItemGrade,
    NeglectProfile,
    PlannedAction,
    ProfileDraft,
    ProfileStatus,
    ProfileTemplate,
    TrainingRecord,
)
from safehub.people.codes import RelationshipType
from safehub.people.models import Person, Relationship

SIBLING_TYPES = [
    RelationshipType.SIBLING,
    RelationshipType.HALF_SIBLING,
    RelationshipType.STEP_SIBLING,
]


def sibling_ids(child: Any) -> set[int]:
    """The people recorded as the child's brothers and sisters (whole, half and step)."""
    return set(
        Relationship.objects.filter(
            subject=child, type__in=SIBLING_TYPES, end_date__isnull=True
        ).values_list("other_id", flat=True)
    )


def current_templates() -> list[ProfileTemplate]:
    """The newest version of each template name."""
    newest: dict[str, ProfileTemplate] = {}
    for template in ProfileTemplate.objects.order_by("name", "-loaded_at", "-pk"):
        newest.setdefault(template.name, template)
    return list(newest.values())


def profile_grades(profile: NeglectProfile) -> list[ItemGrade]:
    return list(
        ItemGrade.objects.filter(profile=profile)
        .select_related("item__area", "item__sub_area")
        .order_by("item__area__position", "item__position")
    )


@dataclass(frozen=True)
class AreaMovement:
    title: str
    previous: int | None
    current: int | None

    @property
    def change(self) -> int | None:
        if self.previous is None or self.current is None:
            return None
        return self.current - self.previous


def previous_profile(profile: NeglectProfile) -> NeglectProfile | None:
    """The child's last completed profile before this one."""
    return (
        NeglectProfile.objects.filter(
            Q(status=ProfileStatus.COMPLETED) | Q(status=ProfileStatus.SIGNED_OFF),
            child_id=profile.child_id,
            pk__lt=profile.pk,
        )
        .order_by("-pk")
        .first()
    )


def area_movement(profile: NeglectProfile, previous: NeglectProfile) -> list[AreaMovement]:
    """Each area's score now beside its score last time, matched by the area's title (the
    two may use different versions of the template)."""
    areas = {
        a.pk: a.title
        for a in Area.objects.filter(template_id__in=[profile.template_id, previous.template_id])
    }
    before = {areas.get(int(k)): v for k, v in previous.area_scores.items()}
    rows = []
    for area in Area.objects.filter(template_id=profile.template_id).order_by("position"):
        rows.append(
            AreaMovement(
                title=area.title,
                previous=before.get(area.title),
                current=profile.area_scores.get(str(area.pk)),
            )
        )
    return rows


def profile_drafts(*, actor: Any, profile: NeglectProfile) -> dict[str, Any]:
    """`actor`'s own unsaved drafts of the profile's boxes, by box."""
    return {d.box: d for d in ProfileDraft.objects.filter(author=actor, profile=profile)}


@dataclass
class AreaSheet:
    area: Area
    grades: list[ItemGrade]
    score: int | None

    @property
    def graded(self) -> int:
        return sum(1 for g in self.grades if g.grade is not None and g.evidence)


def profile_sheet(profile: NeglectProfile) -> list[AreaSheet]:
    """The profile area by area: each item's grade and evidence, and the area's score once
    completed. Two queries."""
    by_area: dict[int, list[ItemGrade]] = {}
    for grade in profile_grades(profile):
        by_area.setdefault(grade.item.area_id, []).append(grade)
    return [
        AreaSheet(
            area=area,
            grades=by_area.get(area.pk, []),
            score=profile.area_scores.get(str(area.pk)),
        )
        for area in Area.objects.filter(template_id=profile.template_id).order_by("position")
    ]


def profile_actions(profile: NeglectProfile) -> list[PlannedAction]:
    return list(PlannedAction.objects.filter(profile=profile).order_by("position"))


def profiles_for_child(child: Any) -> list[NeglectProfile]:
    """Every profile covering the child (as its subject or as a sibling), newest first."""
    return list(
        NeglectProfile.objects.filter(Q(child=child) | Q(siblings=child))
        .select_related("template", "started_by", "completed_by", "signed_off_by")
        .distinct()
        .order_by("-pk")
    )


def template_list() -> list[ProfileTemplate]:
    """Every template loaded, each version, with how many areas and items it has."""
    return list(
        ProfileTemplate.objects.annotate(
            area_count=Count("areas", distinct=True), item_count=Count("areas__items")
        ).order_by("name", "-loaded_at", "-pk")
    )


def training_list(
    *, agency_id: int | None = None, template_name: str | None = None
) -> list[TrainingRecord]:
    """Training records, newest first, filtered by agency and template name. Staff data:
    nobody's case is in it."""
    records = TrainingRecord.objects.select_related("practitioner", "agency")
    if agency_id:
        records = records.filter(agency_id=agency_id)
    if template_name:
        records = records.filter(template_name=template_name)
    return list(records.order_by("-completed_on", "-pk")[:500])


def training_filters() -> tuple[list[tuple[int, str]], list[str]]:
    """The agencies with training recorded and the template names loaded, for the filter."""
    agencies = (
        TrainingRecord.objects.values_list("agency_id", "agency__name")
        .distinct()
        .order_by("agency__name")
    )
    names = ProfileTemplate.objects.values_list("name", flat=True).distinct().order_by("name")
    return list(agencies), list(names)


def sibling_choices(*, actor: Any, child: Any) -> list[Any]:
    """The child's brothers and sisters a profile could also cover: those `actor` may
    profile too (the others are not named)."""
    siblings = list(Person.objects.filter(pk__in=sibling_ids(child)).order_by("date_of_birth"))
    decisions = neglect_profile_decisions(actor, siblings, Action.EDIT)
    return [s for s in siblings if decisions.get(s.pk) is Decision.ALLOW]


@dataclass(frozen=True)
class ProfileWork:
    """A practitioner's neglect profiles still to do something with: those waiting for
    their sign-off (a supervisor's), and their own not yet signed off."""

    to_sign_off: list[NeglectProfile]
    in_progress: list[NeglectProfile]
    awaiting_sign_off: list[NeglectProfile]
    # Profiles waiting for the reader's sign-off about children they may see, named or not:
    # past SIGN_OFF_SHOWN, or covering a sibling they may not see (counted, not named).
    waiting_total: int = 0

    @property
    def shown(self) -> set[int]:
        """Everyone the lists name: each profile's child and the siblings it covers."""
        profiles = [*self.to_sign_off, *self.in_progress, *self.awaiting_sign_off]
        return {p.pk for profile in profiles for p in _covered(profile)}


def _covered(profile: NeglectProfile) -> list[Person]:
    return [profile.child, *profile.siblings.all()]


# The longest-waiting profiles a supervisor's list names; the rest are counted.
SIGN_OFF_SHOWN = 50


def profile_work(*, actor: Any) -> ProfileWork:
    """The lists of the "Neglect profiles" page, audited as one list naming everyone shown.
    A profile is listed only when the policy lets `actor` read a profile about every child
    it covers: a restricted child's profile is not listed to someone who would need to
    break the glass to open it. Profiles to sign off are narrowed to children the reader
    may see in the database (a MASH manager may have thousands, a team manager their
    team's few), the longest waiting named and the rest counted."""
    profiles = NeglectProfile.objects.select_related(
        "child", "template", "completed_by__agency", "completed_by__team__agency"
    ).prefetch_related("siblings")
    own = list(
        profiles.filter(
            Q(started_by=actor, status=ProfileStatus.IN_PROGRESS)
            | Q(completed_by=actor, status=ProfileStatus.COMPLETED)
        ).order_by("completed_on", "pk")
    )
    waiting: list[NeglectProfile] = []
    waiting_total = 0
    if may_sign_off(actor, SignOff.NEGLECT_PROFILE, done_by_id=None):
        queue = visible_persons(
            actor,
            profiles.filter(status=ProfileStatus.COMPLETED).exclude(completed_by=actor),
            person="child_id",
            restricted="child__is_restricted",
        )
        waiting_total = queue.count()
        waiting = list(queue.order_by("completed_on", "pk")[:SIGN_OFF_SHOWN])
    readable = _readable(actor, own + waiting)
    work = ProfileWork(
        to_sign_off=[p for p in waiting if p.pk in readable],
        in_progress=[
            p for p in reversed(own) if p.pk in readable and p.status == ProfileStatus.IN_PROGRESS
        ],
        awaiting_sign_off=[
            p for p in own if p.pk in readable and p.status == ProfileStatus.COMPLETED
        ],
        waiting_total=waiting_total,
    )
    audit_list(actor=actor, listed="neglect.profile_work", person_ids=work.shown)
    return work


def _readable(actor: Any, profiles: list[NeglectProfile]) -> set[int]:
    """Of `profiles`, those `actor` may read: the policy asked once for every child they
    cover."""
    people = {p.pk: p for profile in profiles for p in _covered(profile)}
    decisions = neglect_profile_decisions(actor, people.values(), Action.VIEW)
    return {
        profile.pk
        for profile in profiles
        if all(decisions.get(p.pk) is Decision.ALLOW for p in _covered(profile))
    }
