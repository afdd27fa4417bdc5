"""Hooks for apps built on casework to add a section to the child's casework page and to
"my work" (leaving care does both), without casework importing them. Each hook is called
with the signed-in user, and the child or the day, and returns a section to render or
None; apps register theirs in their AppConfig.ready(). A child's section is also given
what the casework page has already read of the child (`ChildRead`), to use rather than
read it again."""

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.casework.models import CareEpisode, DueItem, PeriodOfCare
from safehub.organisations.models import User
from safehub.people.models import Person


@dataclass(frozen=True)
class Section:
    template: str  # a Jinja template included in the page; it reads `section.context`
    context: dict[str, Any]
    title: str = ""  # for the page's contents list
    anchor: str = ""


@dataclass(frozen=True)
class ChildRead:
    """What the casework page has read of the child before drawing the sections."""

    care_periods: list[PeriodOfCare]  # newest first, each with `placement_list`, newest first
    open_due: list[DueItem]  # every open due date of the child, soonest first

    @property
    def current_period(self) -> PeriodOfCare | None:
        """The open period of care (a child has at most one)."""
        return next((p for p in self.care_periods if p.end_date is None), None)

    def placements(self, period: PeriodOfCare) -> list[CareEpisode]:
        return list(period.placement_list)  # type: ignore[attr-defined]

    def due(
        self,
        source_types: Collection[str],
        source_id: str | None = None,
        kinds: Collection[str] | None = None,
    ) -> list[DueItem]:
        """The open due dates set by `source_types` (for one record of theirs, of `kinds`),
        soonest first, as the sections' own queries would have returned them."""
        return [
            i
            for i in self.open_due
            if i.source_type in source_types
            and (source_id is None or i.source_id == source_id)
            and (kinds is None or i.kind in kinds)
        ]


ChildSection = Callable[[User, Person, date, ChildRead], Section | None]
MyWorkSection = Callable[[User, date], Section | None]
_child_sections: list[ChildSection] = []
_my_work_sections: list[MyWorkSection] = []


def register_child_section(hook: ChildSection) -> None:
    if hook not in _child_sections:
        _child_sections.append(hook)


def register_my_work_section(hook: MyWorkSection) -> None:
    if hook not in _my_work_sections:
        _my_work_sections.append(hook)


def child_sections(actor: User, child: Person, today: date, read: ChildRead) -> list[Section]:
    return [s for hook in _child_sections if (s := hook(actor, child, today, read)) is not None]


def my_work_sections(actor: User, today: date) -> list[Section]:
    return [s for hook in _my_work_sections if (s := hook(actor, today)) is not None]
