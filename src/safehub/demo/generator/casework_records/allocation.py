"""Allocation: who holds the case, and the involvement that gives them access."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from safehub.access.models import InvolvementKind
from safehub.casework import events
from safehub.casework.codes import AllocationReason
from safehub.demo.generator.casework_records.common import _stamp
from safehub.demo.generator.casework_records.rows import ALLOCATION
from safehub.demo.generator.casework_records.visits_notes import RecurringWork
from safehub.demo.generator.organisations import CIC_TEAM, COUNCIL, CP_TEAM
from safehub.demo.generator.plan import PlannedInvolvement

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class AllocationPlanning(RecurringWork):
    def _worker_for(self, kind: str) -> str:
        area = {"cp": CP_TEAM, "cla": CIC_TEAM}.get(kind)
        return self.rng.choice(self.workers[area] if area else self.assessors).username

    def _allocation(
        self,
        case: Case,
        worker: str,
        start: date,
        end: date | None,
        reason: str,
        involvement: PlannedInvolvement | None = None,
    ) -> None:
        """The allocation and the involvement that gives the worker access: the family's own
        for the current worker of a known family, its own (ended, for earlier workers)
        otherwise."""
        team = (COUNCIL, self.staff[worker].team)
        if involvement is None:
            involvement = PlannedInvolvement(
                case.child,
                InvolvementKind.ALLOCATED_WORKER,
                start,
                user=worker,
                team=team,
                end_date=end,
            )
            case.fam.involvements.append(involvement)
        else:
            involvement.start_date = start
        manager = self.manager_of(worker)
        allocation = case.add(
            ALLOCATION,
            child_id=case.child,
            worker_id=worker,
            team_id=team,
            start_date=start,
            end_date=end,
            reason=reason,
            involvement_id=involvement,
            allocated_by_id=manager,
            created_at=_stamp(start, 10),
            updated_at=_stamp(end or start, 10),
        )
        staff = self.staff[worker]
        case.event(
            events.ALLOCATED,
            start,
            f"Allocated to {staff.first_name} {staff.last_name} ({team[1]})"
            + (f": {AllocationReason(reason).label}" if reason != AllocationReason.NEW else ""),
            allocation,
            manager,
        )
