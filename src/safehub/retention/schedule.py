"""The retention schedule as data (`schedule.json`): record classes, when each applies,
the date its period runs from, how many years, and the rule it rests on. Read and checked
here; a mistake in the file is named by its place and stops the schedule loading."""

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from safehub.casework.timescales import add_months

SCHEDULE_FILE = Path(__file__).with_name("schedule.json")
APPLIES_WHEN = {"adopted", "looked_after", "child_protection", "any_record"}
ANCHORS = {"birth", "adoption_order"}


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class RecordClass:
    code: str
    label: str
    applies_when: str
    anchor: str
    years: int
    rule: str
    death_under_18_years: int | None = None

    def keep_until(
        self, *, born: date | None, died: date | None, anchor_day: date | None
    ) -> date | None:
        """The day the class's period ends for one child, or None if it cannot be worked out
        (no date of birth, no adoption order date)."""
        if self.anchor == "birth":
            if born is None:
                return None
            if self.death_under_18_years and died and died < add_months(born, 12 * 18):
                return add_months(died, 12 * self.death_under_18_years)
            return add_months(born, 12 * self.years)
        return add_months(anchor_day, 12 * self.years) if anchor_day else None


@dataclass(frozen=True)
class Schedule:
    name: str
    version: int
    classes: tuple[RecordClass, ...]

    def by_code(self, code: str) -> RecordClass:
        return next(c for c in self.classes if c.code == code)

    @property
    def shortest_birth_years(self) -> int:
        return min(c.years for c in self.classes if c.anchor == "birth")


def parse_schedule(raw: dict[str, Any]) -> Schedule:
    classes = []
    for n, item in enumerate(raw.get("classes") or []):
        where = f"classes[{n}]"
        if item.get("applies_when") not in APPLIES_WHEN:
            raise ScheduleError(f"{where}.applies_when must be one of {sorted(APPLIES_WHEN)}")
        if item.get("anchor") not in ANCHORS:
            raise ScheduleError(f"{where}.anchor must be one of {sorted(ANCHORS)}")
        if not isinstance(item.get("years"), int) or item["years"] < 1:
            raise ScheduleError(f"{where}.years must be a whole number of years, 1 or more")
        if not str(item.get("rule", "")).strip():
            raise ScheduleError(f"{where}.rule must cite the rule the period rests on")
        classes.append(
            RecordClass(
                code=item["code"],
                label=item["label"],
                applies_when=item["applies_when"],
                anchor=item["anchor"],
                years=item["years"],
                rule=item["rule"],
                death_under_18_years=item.get("death_under_18_years"),
            )
        )
    if not classes:
        raise ScheduleError("classes must list at least one record class")
    return Schedule(
        name=raw.get("name", ""), version=int(raw.get("version", 1)), classes=tuple(classes)
    )


@cache
def current_schedule() -> Schedule:
    return parse_schedule(json.loads(SCHEDULE_FILE.read_text()))
