"""Hooks for apps built on casework to add a section to the child's casework page and to
"my work" (leaving care does both), without casework importing them. Each hook is called
with the signed-in user, and the child or the day, and returns a section to render or
None; apps register theirs in their AppConfig.ready(). A child's section is also given
what the casework page has already read of the child (`ChildRead`), to use rather than
read it again.

Most children have none of most kinds of record a section shows, and most workers have
nothing in most sections of "my work", so each section asking "is there anything?" on its
own cost a query each. A section may instead register a probe (the rows it would read, as
a queryset) and the page asks every probe at once, in one query of `EXISTS` clauses
(ADR 0055): a child's probes ride on `ChildRead.holds`, and a "my work" section whose probe
finds nothing is not called.

A "my work" section is given what the page has read (`MyWorkRead`: the policy's answer for
each child allocated to the worker) and does not write its own audit row: it says whom it
names (`Section.shown`) and the page records them with its own children in one row (ADR
0062)."""

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet

from safehub.access.policy import visible_persons
from safehub.casework.models import CareEpisode, DueItem, PeriodOfCare
from safehub.organisations.models import User
from safehub.people.models import Person


@dataclass(frozen=True)
class Section:
    template: str  # a Jinja template included in the page; it reads `section.context`
    context: dict[str, Any]
    title: str = ""  # for the page's contents list
    anchor: str = ""
    # A "my work" section: the list it is (as `audit_list` names lists) and the people it
    # names, which the page records in its one audit row.
    listed: str = ""
    shown: tuple[int, ...] = ()


@dataclass(frozen=True)
class ChildRead:
    """What the casework page has read of the child before drawing the sections."""

    care_periods: list[PeriodOfCare]  # newest first, each with `placement_list`, newest first
    open_due: list[DueItem]  # every open due date of the child, soonest first
    # The registered child probes that found rows (`child_holds`); None when not asked.
    holds: frozenset[str] | None = None

    def has(self, probe: str) -> bool:
        """Whether the child may have rows of `probe`: False only when the probe was asked
        and found none, so a section reads them whenever it cannot be sure."""
        return self.holds is None or probe in self.holds

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


@dataclass(frozen=True)
class MyWorkRead:
    """What "my work" has read before drawing its sections: whether the worker may see each
    child allocated to them, as the policy (`visible_persons`) answered for this request."""

    seen: Mapping[int, bool]

    def visible(self, actor: User, person_ids: Collection[int]) -> set[int]:
        """Of `person_ids`, those `actor` may see: the page's answers where it has them, the
        policy asked in one query for the rest (none when the page has them all)."""
        unknown = {i for i in person_ids if i not in self.seen}
        found = {i for i in person_ids if self.seen.get(i)}
        if unknown:
            found.update(
                visible_persons(actor, Person.objects.filter(pk__in=unknown)).values_list(
                    "pk", flat=True
                )
            )
        return found


ChildSection = Callable[[User, Person, date, ChildRead], Section | None]
MyWorkSection = Callable[[User, date, MyWorkRead], Section | None]
# A section of a team manager's team page: counts and links, naming nobody (the page's lists
# of children are casework's own).
TeamSection = Callable[[User, datetime], Section | None]
# A child's rows of one kind, given a reference to the child's key (an OuterRef).
ChildProbe = Callable[[Any], QuerySet[Any]]
# The rows a "my work" section would show the signed-in user, or at least all of them.
MyWorkProbe = Callable[[User], QuerySet[Any]]
_child_sections: list[ChildSection] = []
_child_probes: dict[str, ChildProbe] = {}
_my_work_sections: list[tuple[MyWorkSection, MyWorkProbe | None]] = []
_team_sections: list[TeamSection] = []


def register_child_section(hook: ChildSection) -> None:
    if hook not in _child_sections:
        _child_sections.append(hook)


def register_child_probe(name: str, rows: ChildProbe) -> None:
    """`name` (the app's label first) is what `ChildRead.has` is asked."""
    _child_probes.setdefault(name, rows)


def register_team_section(hook: TeamSection) -> None:
    if hook not in _team_sections:
        _team_sections.append(hook)


def team_sections(actor: User, now: datetime) -> list[Section]:
    return [s for hook in _team_sections if (s := hook(actor, now)) is not None]


def register_my_work_section(hook: MyWorkSection, probe: MyWorkProbe | None = None) -> None:
    """`probe`, when given, must find a row whenever `hook` would return a section."""
    if all(hook is not h for h, _ in _my_work_sections):
        _my_work_sections.append((hook, probe))


# The probes' query is the same for every child but the child's key, and building it (a
# subquery per probe) cost the casework page more Python than any other of its queries, so
# it is compiled once per database and set of probes and run with each child's key (ADR
# 0058). This holds because a child probe is a function of the child's key alone.
# A date as a parameter: a date object, or (SQLite's adapted form) its ISO text.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY = -7  # a key no child has, to find where the child's key goes among the parameters


@cache
def _holds_statement(vendor: str, names: tuple[str, ...]) -> tuple[str, tuple[Any, ...]]:
    """The probes' SQL for `vendor`'s database, and its parameters without the child's."""
    query = (
        Person.objects.filter(pk=_KEY)
        .annotate(
            **{f"probe_{i}": Exists(_child_probes[n](OuterRef("pk"))) for i, n in enumerate(names)}
        )
        .values_list(*(f"probe_{i}" for i in range(len(names))))
    )
    sql, params = query.query.sql_with_params()
    # The outer WHERE comes after every probe in the statement: the key is the last one.
    if not params or params[-1] != _KEY or _KEY in params[:-1]:
        raise ImproperlyConfigured("a child probe's query must not hold the child key's place")
    # The statement is kept for the life of the process: a date in it would stay the first
    # request's day, so a probe that needs one must not be a child probe.
    if any(isinstance(p, date | datetime) or _ISO_DAY.match(str(p)) for p in params):
        raise ImproperlyConfigured("a child probe's query must not depend on the day")
    return sql, tuple(params[:-1])


def child_holds(child: Person) -> frozenset[str]:
    """The registered child probes that find rows for `child`: one query for them all."""
    if not _child_probes:
        return frozenset()
    names = tuple(_child_probes)
    sql, params = _holds_statement(connection.vendor, names)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params, child.pk))
        found = cursor.fetchone()
    if found is None:  # no such person: nothing of theirs to find
        return frozenset()
    return frozenset(n for n, hit in zip(names, found, strict=True) if hit)


def child_sections(actor: User, child: Person, today: date, read: ChildRead) -> list[Section]:
    return [s for hook in _child_sections if (s := hook(actor, child, today, read)) is not None]


def my_work_probes(actor: User) -> dict[str, Exists]:
    """Every "my work" section's probe as an annotation, for a query the page makes anyway
    to carry (the worker's allocations): a probe refers to nothing of the outer row, so the
    database answers it once however many rows there are."""
    return {
        f"section_probe_{i}": Exists(p(actor))
        for i, (_, p) in enumerate(_my_work_sections)
        if p is not None
    }


def _my_work_found(actor: User, probed: Mapping[str, bool] | None) -> list[bool]:
    """Which sections' probes find rows (True for a section without one): the answers of
    `my_work_probes` when a query carried them, else one query of their own."""
    if probed is None:
        probes = my_work_probes(actor)
        row = (
            User.objects.filter(pk=actor.pk).annotate(**probes).values_list(*probes).get()
            if probes
            else ()
        )
        probed = dict(zip(probes, row, strict=True))
    found = probed
    return [found.get(f"section_probe_{i}", True) for i in range(len(_my_work_sections))]


def my_work_sections(
    actor: User, today: date, read: MyWorkRead, probed: Mapping[str, bool] | None = None
) -> list[Section]:
    """`probed`: the answers of `my_work_probes` if a query of the page carried them. The
    sections write no audit row: the caller records each one's `shown` (ADR 0062)."""
    found = _my_work_found(actor, probed)
    return [
        s
        for (hook, _), hit in zip(_my_work_sections, found, strict=True)
        if hit and (s := hook(actor, today, read)) is not None
    ]
