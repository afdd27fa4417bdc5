"""Visits, case notes, supervision and missing episodes, and the recurring work of any plan:
reviews and statutory visits on their schedules."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from safehub.casework import events
from safehub.casework.codes import MissingKind, VisitKind
from safehub.casework.services import VISIT_DUE_KIND
from safehub.chronology.models import Significance
from safehub.demo.generator import casework_text as words
from safehub.demo.generator.casework_records.base import CaseBase, PlannerBase
from safehub.demo.generator.casework_records.common import DAY, LONDON, _category, _stamp
from safehub.demo.generator.casework_records.rows import (
    CASE_NOTE,
    ENTRY,
    LINK,
    MISSING,
    OVERSIGHT,
    VISIT,
    Row,
)
from safehub.demo.generator.families import YEAR

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class VisitNoteRecords(CaseBase):
    def missing(self, start: date, end: date, *, looked_after: bool = True) -> None:
        rng = self.rng
        # "Away" (from a placement without permission) is a looked-after child's only.
        away = looked_after and rng.random() >= 0.8
        kind = MissingKind.AWAY if away else MissingKind.MISSING
        offered = rng.random() < 0.85
        by = self.worker(start)
        row = self.add(
            MISSING,
            child_id=self.child,
            kind=kind,
            start_date=start,
            end_date=end,
            return_interview_offered=offered,
            return_interview_accepted=(rng.random() < 0.55) if offered else None,
            recorded_by_id=by,
            created_at=_stamp(end, 10),
            updated_at=_stamp(end, 10),
        )
        self.missing_until = end
        self.event(
            events.MISSING_EPISODE,
            start,
            f"{MissingKind(kind).label} from {start:%-d %B %Y}",
            row,
            by,
            Significance.HIGH,
        )

    def visit(
        self,
        episode: Row,
        kind: str,
        source: Row | None,
        day: date,
        *,
        seen: bool,
        next_due: date | None = None,
    ) -> None:
        rng = self.rng
        age = self.age(day)
        alone = seen and age >= 4 * YEAR and rng.random() < 0.6
        bedroom = seen and rng.random() < (0.45 if kind != VisitKind.CLA else 0.3)
        note = ""
        if rng.random() < 0.5:
            pool = words.CARE_VISIT_NOTES if kind == VisitKind.CLA else words.VISIT_NOTES
            note = (
                self._visit_words(pool, day, kind, planned=source is not None)
                if seen
                else "Child not seen: nobody in."
            )
        by = self.worker(day)
        visit = self.add(
            VISIT,
            child_id=self.child,
            episode_id=episode,
            kind=kind,
            visited_on=day,
            child_seen=seen,
            child_seen_alone=alone,
            bedroom_seen=bedroom,
            note=note,
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        # On the chronology as `visit_record` puts it there: the registers read a child's
        # last professional contact from these entries.
        was = ("seen alone" if alone else "seen") if seen else "not seen"
        self.event(
            events.VISIT,
            day,
            f"{VisitKind(kind).label}: child {was}" + ("; bedroom seen" if bedroom else ""),
            visit,
            by,
        )
        if source is not None and seen and next_due is not None:
            due_kind = VISIT_DUE_KIND[kind]
            self.complete(source, due_kind)
            self.register(
                source,
                due_kind,
                f"Visit the child ({VisitKind(kind).label.lower()})",
                next_due,
                day,
            )

    def _visit_words(
        self, pool: list[tuple[str, frozenset[str]]], day: date, kind: str, *, planned: bool
    ) -> str:
        """A visit's note fits the child's age and the kind of visit (at the placement for
        a looked-after child, at home otherwise); a plan it speaks of is the one the visit
        is for (an assessment visit has none)."""
        situation = {n for n in self.situation(day) if n in ("under5", "talks", "school")}
        situation.add("care" if kind == VisitKind.CLA else "home")
        if planned:
            situation.add("plan")
        if kind == VisitKind.CP:
            situation.add("cp")
        fitting = [text for text, needs in pool if needs <= situation]
        return self.fill(self.rng.choice(fitting))

    def note(self, day: date, *, significant: bool = False) -> None:
        text = self.words(words.SIGNIFICANT_NOTES if significant else words.CASE_NOTES, day)
        if not text:
            return  # nothing significant that fits the child that day
        rng = self.rng
        when = datetime.combine(day, time(rng.randint(8, 18), rng.randint(0, 59)), tzinfo=LONDON)
        by = self.worker(day)
        row = self.add(
            CASE_NOTE,
            child_id=self.child,
            author_id=by,
            occurred_at=when,
            text=text,
            significant=significant,
            created_at=when,
            updated_at=when,
        )
        if significant:
            entry = self.add(
                ENTRY,
                occurred_at=when,
                time_known=True,
                done_by_id=by,
                done_by_label="",
                recorded_at=when,
                recorded_by_id=by,
                source_agency_id=None,
                event_type=events.CASE_NOTE,
                category=_category(events.CASE_NOTE),
                significance=int(Significance.HIGH),
                summary=text[:500],
                source_type="casework.CaseNote",
                source_id=row,
            )
            self.add(LINK, entry_id=entry, person_id=self.child, occurred_at=when)

    def oversight(self, day: date, manager: str) -> None:
        rng = self.rng
        kind = "supervision" if rng.random() < 0.8 else "oversight"
        self.add(
            OVERSIGHT,
            child_id=self.child,
            kind=kind,
            held_on=day,
            discussion=self.words(words.SUPERVISION, day),
            actions=self.words(words.SUPERVISION_ACTIONS, day),
            manager_id=manager,
            created_at=_stamp(day, 15),
            updated_at=_stamp(day, 15),
        )


class RecurringWork(PlannerBase):
    def _reviews(
        self,
        start: date,
        stop: date,
        open_ended: bool,
        first_due: date,
        next_due: Callable[[date], date],
        record: Callable[[date], None],
        *,
        punctual: bool,
    ) -> None:
        """Reviews on their schedule before `stop`: every one on time for a plan still
        running (`punctual`), mostly on time for one that has ended; an open run is
        sometimes left with the next one overdue, the plan's one lapse."""
        rng = self.rng
        held_on: list[tuple[date, date]] = []  # (held, the due date it met)
        due_date, last = first_due, start
        while True:
            if not punctual and rng.random() < 0.1:
                held = due_date + timedelta(days=rng.randint(1, 20))
            else:
                held = due_date - timedelta(days=rng.randint(0, 14))
            held = max(held, last + DAY)
            if held >= stop:
                break
            held_on.append((held, due_date))
            last, due_date = held, next_due(held)
        if (
            open_ended
            and held_on
            and rng.random() < self.stall["review"]
            and (held_on[-1][1] < self.today)
        ):
            held_on.pop()  # the last one was not held: it is overdue
        for held, _ in held_on:
            record(held)

    def _visit_run(
        self,
        case: Case,
        episode: Row,
        kind: str,
        source: Row,
        start: date,
        end: date | None,
        first_due: date,
        next_due: Callable[[date], date],
        *,
        stall: bool = True,
        punctual: bool,
    ) -> None:
        """Statutory visits after `start` until `end` (or open): each before the one due
        for a plan still running (`punctual`), mostly for one that has ended; an open run
        is sometimes left overdue, lately."""
        rng = self.rng
        stop = end or self.today
        if end is None and stall and rng.random() < self.stall["visit"]:
            late_by = rng.randint(1, 15)
            cut = self.today - timedelta(days=late_by)
            while cut > start and next_due(cut) > self.today - timedelta(days=late_by):
                cut -= DAY
            stop = min(stop, cut + DAY)
        due_date, last = first_due, start
        spread = 4 if kind == VisitKind.CP else 8
        while True:
            if not punctual and rng.random() < 0.07:
                when = due_date + timedelta(days=rng.randint(1, 8))
            else:
                when = due_date - timedelta(days=rng.randint(0, spread))
            when = max(when, last + DAY)
            if when >= stop:
                break
            if rng.random() < 0.06 and (when - last).days > 4:
                case.visit(
                    episode, kind, source, when - timedelta(days=rng.randint(1, 3)), seen=False
                )
            due_date = next_due(when)
            case.visit(episode, kind, source, when, seen=True, next_due=due_date)
            last = when

    def _notes(self, case: Case, start: date, end: date, *, every: tuple[int, int]) -> None:
        rng = self.rng
        day = start + timedelta(days=rng.randint(1, every[1]))
        while day <= end:
            case.note(day, significant=rng.random() < 0.05)
            day += timedelta(days=rng.randint(*every))

    def _oversight(self, case: Case, start: date) -> None:
        rng = self.rng
        day = start + timedelta(days=rng.randint(7, 60))
        while day <= self.yesterday:
            case.oversight(day, case.manager(day))
            day += timedelta(days=rng.randint(42, 70))

    def _missing(self, case: Case, start: date, stop: date, *, looked_after: bool = True) -> None:
        """Missing or away: a share of the teenagers, one to five times, never overlapping
        (903 rule 574); fewer of those living at home, who go missing from home only."""
        rng = self.rng
        if case.age(stop) < 12 * YEAR or rng.random() > (0.3 if looked_after else 0.12):
            return
        day = self._after(start, 5, 60)
        if case.missing_until is not None:
            day = max(day, case.missing_until + 2 * DAY)
        for _ in range(rng.randint(1, 5)):
            back = day + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3]))
            if back >= min(stop, self.yesterday):
                break
            case.missing(day, back, looked_after=looked_after)
            day = self._after(back, 7, 90)
