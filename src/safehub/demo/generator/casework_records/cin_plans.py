"""Child in need plans: started, reviewed, visited, ended."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import VisitKind
from safehub.demo.generator.casework_records.allocation import AllocationPlanning
from safehub.demo.generator.casework_records.base import CaseBase
from safehub.demo.generator.casework_records.common import _cin_visit_due, _stamp
from safehub.demo.generator.casework_records.rows import CIN_PLAN, CIN_REVIEW, Row

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class CinPlanRecords(CaseBase):
    def cin_start(self, episode: Row, start: date) -> Row:
        plan = self.add(
            CIN_PLAN,
            episode_id=episode,
            child_id=self.child,
            start_date=start,
            end_date=None,
            review_notes="",
            created_at=_stamp(start, 11),
            updated_at=_stamp(start, 11),
        )
        self.register(
            plan,
            "cin_review",
            "Review the child in need plan",
            due.cin_plan_review_due(start, first=True),
            start,
        )
        self.register(
            plan, "cin_visit", "Visit the child (child in need plan)", _cin_visit_due(start), start
        )
        self.event(
            events.CIN_PLAN_STARTED, start, "Child in need plan started", plan, self.worker(start)
        )
        return plan

    def cin_review(self, plan: Row, held: date) -> None:
        by = self.worker(held)
        review = self.add(
            CIN_REVIEW,
            plan_id=plan,
            held_on=held,
            recorded_by_id=by,
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.complete(plan, "cin_review")
        self.register(
            plan,
            "cin_review",
            "Review the child in need plan",
            due.cin_plan_review_due(held, first=False),
            held,
        )
        self.event(events.CIN_PLAN_REVIEWED, held, "Child in need plan reviewed", review, by)

    def cin_end(self, plan: Row, day: date, *, by_cp: bool = False) -> None:
        plan["end_date"] = day
        plan["updated_at"] = _stamp(day, 12)
        self.complete_source(plan)
        self.event(
            events.CIN_PLAN_ENDED,
            day,
            "Child in need plan ended: a child protection plan started"
            if by_cp
            else "Child in need plan ended",
            plan,
            self.worker(day),
        )


class CinPlanPlanning(AllocationPlanning):
    def _cin_run(
        self,
        case: Case,
        episode: Row,
        plan: Row,
        end: date | None,
        *,
        stall: bool,
        ending: bool = False,
    ) -> None:
        """Reviews and visits from where the plan's due dates stand until `end` (exclusive;
        None: the plan is open and they go on to the reference date). Only a plan `ending`
        at `end` may have been late with them: one still running has been on time."""
        review = case.due[(id(plan), "cin_review")]
        visit = case.due[(id(plan), "cin_visit")]
        stop = end or self.today
        self._reviews(
            review[4],
            stop,
            end is None and stall,
            review[3],
            lambda d: due.cin_plan_review_due(d, first=False),
            lambda d: case.cin_review(plan, d),
            punctual=not ending,
        )
        self._visit_run(
            case,
            episode,
            VisitKind.CIN,
            plan,
            visit[4],
            end,
            visit[3],
            _cin_visit_due,
            stall=stall,
            punctual=not ending,
        )
