"""Hooks for apps built on casework to add a section to the child's casework page and to
"my work" (leaving care does both), without casework importing them. Each hook is called
with the signed-in user, and the child or the day, and returns a section to render or
None; apps register theirs in their AppConfig.ready()."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from safehub.organisations.models import User
from safehub.people.models import Person


@dataclass(frozen=True)
class Section:
    template: str  # a Jinja template included in the page; it reads `section.context`
    context: dict[str, Any]
    title: str = ""  # for the page's contents list
    anchor: str = ""


ChildSection = Callable[[User, Person, date], Section | None]
MyWorkSection = Callable[[User, date], Section | None]
_child_sections: list[ChildSection] = []
_my_work_sections: list[MyWorkSection] = []


def register_child_section(hook: ChildSection) -> None:
    if hook not in _child_sections:
        _child_sections.append(hook)


def register_my_work_section(hook: MyWorkSection) -> None:
    if hook not in _my_work_sections:
        _my_work_sections.append(hook)


def child_sections(actor: User, child: Person, today: date) -> list[Section]:
    return [s for hook in _child_sections if (s := hook(actor, child, today)) is not None]


def my_work_sections(actor: User, today: date) -> list[Section]:
    return [s for hook in _my_work_sections if (s := hook(actor, today)) is not None]
