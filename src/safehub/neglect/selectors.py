"""Reads for the neglect app: a profile's sheet by area, the template's items, and the
previous profile of the same child to show movement."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from safehub.neglect.models import (
    Area,
    ItemGrade,
    NeglectProfile,
    ProfileStatus,
    ProfileTemplate,
)
from safehub.people.codes import RelationshipType
from safehub.people.models import Relationship

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
