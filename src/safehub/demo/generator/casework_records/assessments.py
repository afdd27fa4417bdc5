"""The child and family assessment: started, child seen, completed, authorised."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import ASSESSMENT_FACTORS, VisitKind
from safehub.core.workdays import working_days_between
from safehub.demo.generator import casework_text as words
from safehub.demo.generator.casework_records.base import CaseBase, EpisodeSpec
from safehub.demo.generator.casework_records.care import CarePlanning
from safehub.demo.generator.casework_records.common import (
    DAY,
    DUE_LABELS,
    NO_FACTORS,
    _assessment_due,
    _stamp,
    _wd,
)
from safehub.demo.generator.casework_records.rows import ASSESSMENT, Row
from safehub.demo.generator.families import YEAR

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class AssessmentRecords(CaseBase):
    def assessment(
        self,
        episode: Row,
        start: date,
        seen: date | None,
        completed: date | None,
        authorised: date | None,
        *,
        factors: list[str],
        summary: str,
        cutoff: date,
    ) -> Row:
        """An assessment as far as it had got by `cutoff`."""
        rng = self.rng
        seen = seen if seen and seen <= cutoff else None
        completed = completed if completed and completed <= cutoff and seen else None
        authorised = authorised if authorised and authorised <= cutoff and completed else None
        due_date = _assessment_due(episode["referral_date"])
        worker = self.worker(start)
        alone = seen is not None and self.age(seen) >= 4 * YEAR and rng.random() < 0.7
        row = self.add(
            ASSESSMENT,
            episode_id=episode,
            start_date=start,
            due_date=due_date,
            child_seen_date=seen,
            child_seen_alone=alone,
            factors=factors if completed else [],
            completed_date=completed,
            completed_by_id=self.worker(completed) if completed else None,
            authorised_date=authorised,
            authorised_by_id=self.manager(authorised) if authorised else None,
            summary=self.fill(summary) if completed else "",
            created_at=_stamp(start, 11),
            updated_at=_stamp(authorised or completed or seen or start, 15),
        )
        # The episode's clock, running since the referral, carries on as the assessment's.
        self.complete(episode, "assessment")
        self.register(row, "assessment", DUE_LABELS["assessment"], due_date, start)
        self.event(
            events.ASSESSMENT_STARTED,
            start,
            f"Child and family assessment started; due {due_date:%-d %B %Y}",
            row,
            worker,
        )
        if completed:
            self.complete(row, "assessment")
            self.register(row, "authorise", DUE_LABELS["authorise"], completed, completed)
            self.event(
                events.ASSESSMENT_COMPLETED,
                completed,
                "Assessment completed; factors: " + ", ".join(factors),
                row,
                worker,
            )
        if authorised:
            self.complete(row, "authorise")
            late = authorised > due_date
            self.event(
                events.ASSESSMENT_AUTHORISED,
                authorised,
                "Assessment authorised" + (" after the 45-working-day timescale" if late else ""),
                row,
                self.manager(authorised),
            )
        return row


class AssessmentPlanning(CarePlanning):
    def _factors(self, case: Case, spec: EpisodeSpec, kind: str) -> list[str]:
        rng = self.rng
        if kind == "nfa" and rng.random() < 0.35:
            return [NO_FACTORS]
        found: list[str] = []
        if spec.contact is not None:
            found = [
                f
                for f in spec.contact.submission.get("concern_factors", [])
                if f in ASSESSMENT_FACTORS
            ]
        extra = {
            "cp": ["16A", "17A", "3B", "4B", "2B", "18C"],
            "cla": ["16A", "3B", "2B", "1B", "4B"],
            "cin": ["4B", "3B", "6B", "5B", "7A", "14A", "20"],
            "nfa": ["3B", "4B", "20", "14A"],
        }[kind]
        if case.age(spec.start) >= 11 * YEAR:
            extra = [*extra, "10A", "11A", "24A", "15A", "13A"]
        for _ in range(rng.randint(1, 3)):
            found.append(rng.choice(extra))
        return sorted(set(found))

    def _assess(
        self,
        case: Case,
        episode: Row,
        spec: EpisodeSpec,
        kind: str,
        *,
        cutoff: date,
        done_by: date | None = None,
    ) -> tuple[date, date | None]:
        """The episode's first assessment, as far as it got by `cutoff` (`done_by`: it must
        be authorised by then). Returns (start, date authorised or None)."""
        rng = self.rng
        referral = spec.start
        start = min(spec.day_opened + timedelta(days=rng.randint(0, 2)), cutoff)
        # Working days from the referral: past the statutory timescale if slow, else within it.
        timescale = due.ASSESSMENT_WORKING_DAYS
        if done_by is None:
            days = rng.randint(timescale + 1, 80) if spec.slow else rng.randint(10, timescale - 1)
        else:
            room = working_days_between(referral, done_by) - 1
            days = (
                rng.randint(timescale + 1, min(80, room))
                if spec.slow and room >= timescale + 1
                else rng.randint(8, max(8, min(timescale - 1, room)))
            )
        completed = max(_wd(referral, days), start + DAY)
        authorised = completed + timedelta(days=rng.choice([0, 0, 1, 1, 2, 3, 5]))
        if done_by is not None and authorised > done_by:
            authorised = done_by
            completed = max(start + DAY, min(completed, done_by - timedelta(days=2)))
            authorised = max(authorised, completed)
        seen = start + timedelta(days=rng.randint(0, max(0, min(10, (completed - start).days))))
        summary = rng.choice(
            words.ASSESSMENT_SUMMARIES[
                "cp" if kind in ("cp", "cla") else "nfa" if kind == "nfa" else "cin"
            ]
        )
        case.assessment(
            episode,
            start,
            seen,
            completed,
            authorised,
            factors=self._factors(case, spec, kind),
            summary=summary,
            cutoff=cutoff,
        )
        if seen <= cutoff:
            case.visit(episode, VisitKind.CIN, None, seen, seen=True)
        return start, authorised if authorised <= cutoff else None
