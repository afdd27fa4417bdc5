"""Episodes of need and early help: opened (from a MASH referral or otherwise), worked in the
state the plan gives them, closed; unborn children's pre-birth assessments."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from safehub.casework import events
from safehub.casework.codes import (
    AllocationReason,
    ClosureReason,
    EarlyHelpClosure,
    EpisodeKind,
    ReasonCeased,
)
from safehub.chronology.models import Significance
from safehub.demo.generator.casework_records.assessments import AssessmentPlanning
from safehub.demo.generator.casework_records.base import CaseBase, EpisodeSpec, FamilyDates
from safehub.demo.generator.casework_records.common import (
    DAY,
    DUE_LABELS,
    EH_CLOSURES,
    EH_SOURCES,
    NEEDS,
    REALLOCATION,
    SOURCE_WEIGHTS,
    _assessment_due,
    _on_a_weekday,
    _pick,
    _stamp,
)
from safehub.demo.generator.casework_records.rows import EPISODE, Row
from safehub.demo.generator.organisations import CIC_TEAM, CP_TEAM, EARLY_HELP
from safehub.demo.generator.plan import PlannedContact, PlannedInvolvement, steady_pick
from safehub.frontdoor.codes import Decision

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class EpisodeRecords(CaseBase):
    def episode_open(
        self,
        kind: str,
        referral: date,
        opened: date,
        *,
        source: str,
        need: str,
        contact: PlannedContact | None,
        by: str,
    ) -> Row:
        self.first_referral = min(self.first_referral or referral, referral)
        episode = self.add(
            EPISODE,
            kind=kind,
            child_id=self.child,
            contact_id=contact,
            referral_date=referral,
            referral_source=source,
            primary_need=need,
            closure_date=None,
            closure_reason="",
            opened_by_id=by,
            created_at=_stamp(opened, 10),
            updated_at=_stamp(opened, 10),
        )
        if kind == EpisodeKind.CIN:  # as the service: the assessment clock runs from here
            self.register(
                episode,
                "assessment",
                DUE_LABELS["assessment"],
                _assessment_due(referral),
                opened,
            )
        if contact is not None and contact.decision == Decision.STRATEGY:
            self.strategy_decided(episode, contact, opened)
        label = EpisodeKind(kind).label
        self.event(
            events.EPISODE_OPENED,
            referral,
            f"{label} episode opened (referral {referral:%-d %B %Y})",
            episode,
            by,
            Significance.HIGH,
            # Opened from a referral: when the MASH decision became final, as the service does.
            at=contact.closed_at if contact is not None else None,
        )
        return episode

    def episode_close(self, episode: Row, day: date, reason: str, by: str) -> None:
        episode["closure_date"], episode["closure_reason"] = day, reason
        episode["updated_at"] = _stamp(day, 16)
        if episode["kind"] == EpisodeKind.CIN:
            self.due.clear()  # the service closes every open item of the child
            label = ClosureReason(reason).label
        else:
            label = EarlyHelpClosure(reason).label
        self.event(
            events.EPISODE_CLOSED, day, f"Episode closed: {label}", episode, by, Significance.HIGH
        )


def _need(spec: EpisodeSpec, drawn: str) -> str:
    """Every child in need has a primary need (census 8610): the one the MASH recorded when
    it accepted the referral, else the one drawn, else one chosen without a draw (an episode
    whose need the planner used to leave blank), so the rest of the council stays as it was."""
    if spec.contact is not None and spec.contact.primary_need:
        return spec.contact.primary_need
    return drawn or steady_pick(NEEDS, spec.start.toordinal())


class EpisodePlanning(AssessmentPlanning):
    def _open(self, case: Case, spec: EpisodeSpec, *, need: bool) -> Row:
        rng = self.rng
        if spec.contact is not None:
            source, by = spec.contact.submission["referral_source"], spec.contact.signed_off_by
        else:
            source, by = _pick(rng, SOURCE_WEIGHTS), case.worker(spec.start)
        return case.episode_open(
            EpisodeKind.CIN,
            spec.start,
            spec.day_opened,
            source=source,
            need=_need(spec, _pick(rng, NEEDS) if need else ""),
            contact=spec.contact,
            by=by,
        )

    def _closed_episode(self, case: Case, spec: EpisodeSpec) -> None:
        """An episode that closed on `spec.end`, its work all done and concluded by then."""
        rng = self.rng
        close = spec.end
        assert close is not None
        limit = close - timedelta(days=rng.randint(0, 10))
        worker = self._worker_for(spec.kind)
        case.worker_at = [(spec.start, worker)]
        episode = self._open(case, spec, need=spec.kind != "nfa")
        kind = spec.kind
        last = spec.start
        enquired = (
            spec.contact is not None
            and spec.contact.decision == Decision.STRATEGY
            and (kind == "nfa")
        )
        if enquired:
            last = self._strategy_referral(case, episode, spec, limit) or limit
        share = {"nfa": 1.0, "cin": 0.3, "cp": 0.2, "cla": 0.25}[kind]
        done_by = min(
            limit,
            spec.start
            + timedelta(days=110 if spec.slow else max(20, int((limit - spec.start).days * share))),
        )
        _, authorised = self._assess(case, episode, spec, kind, cutoff=limit, done_by=done_by)
        assert authorised is not None
        last = max(last, authorised)
        reason = ClosureReason.RC7
        to_early_help = False
        if kind == "nfa":
            draw = rng.random()
            reason = _nfa_closure(draw, enquired=enquired)
            to_early_help = draw >= EARLY_HELP_SHARE
        elif kind == "cin":
            plan = case.cin_start(episode, self._after(authorised, 1, 10))
            last = limit - timedelta(days=rng.randint(0, 10))
            self._cin_run(case, episode, plan, last, stall=False, ending=True)
            case.cin_end(plan, last)
        elif kind == "cp":
            plan_from = self._after(authorised, 1, 10)
            span = (limit - plan_from).days
            cp_end = plan_from + timedelta(days=int(span * rng.uniform(0.6, 0.8)))
            icpc, enquiry = self._cp_prelude(case, episode, plan_from)
            chair = rng.choice(self.chairs)
            plan = self._icpc(case, episode, enquiry, icpc, chair, None)
            self._cp_run(case, episode, plan, icpc, cp_end, chair)
            step = case.cin_start(episode, self._after(cp_end, 0, 7))
            last = max(limit - timedelta(days=rng.randint(0, 10)), step["start_date"] + DAY)
            self._cin_run(case, episode, step, last, stall=False, ending=True)
            case.cin_end(step, last)
        else:  # looked after for a while, then home or with an order
            begin = self._after(authorised, 1, 10)
            period = self._care(case, episode, begin, limit - timedelta(days=rng.randint(5, 20)))
            last = period["end_date"]
            ceased = period["reason_ceased"]
            if ceased == ReasonCeased.E41:
                reason = ClosureReason.RC3
            elif ceased in (ReasonCeased.E45, ReasonCeased.E47):
                reason = ClosureReason.RC4
        assert last <= close
        self._notes(case, spec.start, close, every=(20, 45) if case.long else (30, 70))
        case.episode_close(episode, close, reason, case.manager(close))
        self._allocation(case, worker, spec.day_opened, close, AllocationReason.NEW)
        if to_early_help:  # after a section 47 enquiry too, though the episode closes RC7
            self._early_help(case, self._after(close, 1, 14), closed=True)

    def _open_episode(
        self,
        case: Case,
        spec: EpisodeSpec,
        dates: FamilyDates,
        area: str,
        involvement: PlannedInvolvement | None,
    ) -> None:
        """The episode still open, ending in its state on the reference date."""
        rng = self.rng
        state = spec.kind
        yesterday = self.yesterday
        if state == "recent":  # a referral being assessed, for a family with no worker yet
            worker = rng.choice(self.assessors).username
            involvement = None
            allocated = (self.today - spec.day_opened).days > 5 or rng.random() < 0.4
        else:
            worker = case.fam.allocated_to
            allocated = True
        case.worker_at = [(spec.start, worker)]
        moved = self._handover(case, spec, state, dates, area) if allocated else None
        if moved is not None:
            case.worker_at = [(spec.start, moved[0]), (moved[1], worker)]
        episode = self._open(case, spec, need=state not in ("recent", "assessment", "s47"))
        if not allocated:  # waiting for a team to take it
            self._strategy_decisions(case, episode, spec, hold=False)
            return
        if (
            state == "recent"
            and spec.contact is not None
            and (spec.contact.decision == Decision.STRATEGY)
        ):
            concluded = self._strategy_referral(case, episode, spec, yesterday)
        else:
            concluded = spec.start
        kind = {"cp": "cp", "s47": "cp", "stepdown": "cp", "cla": "cla"}.get(state, "cin")
        start, authorised = self._assess(case, episode, spec, kind, cutoff=yesterday)
        base = authorised or start
        open_cin: Row | None = None
        if state == "recent":
            close = self._after(authorised, 1, 10) if authorised else None
            if close is not None and concluded is not None and close <= yesterday:
                close = max(close, concluded)
                self._notes(case, spec.start, close, every=(15, 40))
                enquired = spec.contact is not None and spec.contact.decision == Decision.STRATEGY
                reason = _nfa_closure(rng.random(), enquired=enquired)
                case.episode_close(episode, close, reason, case.manager(close))
                self._allocation(case, worker, spec.day_opened, close, AllocationReason.NEW)
                return
        elif state in ("assessment", "cin_plan") and authorised is not None:
            plan_day = self._after(authorised, 1, 10)
            if plan_day <= yesterday:
                open_cin = case.cin_start(episode, plan_day)
        elif state == "stepdown" and authorised is not None:
            strategy = self._after(authorised, 1, 20)
            end = max(dates.stepdown, strategy + timedelta(days=90))
            if end >= yesterday - timedelta(days=10):
                state = "cp"
            else:
                icpc, enquiry = self._cp_prelude(case, episode, strategy)
                chair = self._chair(case, icpc)
                plan = self._icpc(case, episode, enquiry, icpc, chair, None)
                self._cp_run(case, episode, plan, icpc, end, chair)
                open_cin = case.cin_start(episode, self._after(end, 0, 7))
        if state == "cp":
            earliest = base + timedelta(days=21)
            icpc = _on_a_weekday(max(dates.cp_start, earliest), earliest=earliest)
            if icpc > yesterday:
                state = "s47"
            else:
                self._cp_state(case, episode, base, start, icpc, authorised is not None)
        if state == "s47":
            open_cin = self._s47_state(case, episode, dates, start, authorised)
        if state == "cla":
            open_cin = self._cla_state(case, episode, dates, area, start, authorised)
        if open_cin is not None:
            self._cin_run(case, episode, open_cin, None, stall=True)
        if state not in ("cla", "recent", "assessment"):
            # A teenager on a plan at home may go missing from home, recorded as any is.
            self._missing(case, spec.start, self.today, looked_after=False)
        self._strategy_decisions(case, episode, spec)
        long = case.long
        self._notes(
            case,
            spec.start if long else max(spec.start, self.today - timedelta(days=540)),
            yesterday,
            every=(10, 30) if long else (20, 50),
        )
        current_from = spec.day_opened
        if moved is not None:
            self._allocation(case, moved[0], spec.day_opened, moved[1], AllocationReason.NEW)
            current_from = moved[1]
        self._allocation(
            case,
            worker,
            current_from,
            None,
            moved[2] if moved else AllocationReason.NEW,
            involvement=involvement,
        )
        self._oversight(case, max(current_from, self.today - timedelta(days=365)))

    def _handover(
        self, case: Case, spec: EpisodeSpec, state: str, dates: FamilyDates, area: str
    ) -> tuple[str, date, str] | None:
        """(earlier worker, date the case moved to the current one, reason), if it moved:
        from an assessment team as the work progressed, or for the usual reasons."""
        rng = self.rng
        if state == "recent" or case.fam.allocated_to in ("social.worker", "social.worker2"):
            return None
        room = (self.yesterday - spec.day_opened).days
        if room < 60:
            return None
        if area in (CP_TEAM, CIC_TEAM) and rng.random() < 0.6:
            when = dates.cp_start if area == CP_TEAM else dates.care_start
            when = min(max(when, spec.day_opened + timedelta(days=30)), self.yesterday)
            return rng.choice(self.assessors).username, when, AllocationReason.TSPROC
        if rng.random() < 0.3:
            earlier = rng.choice(self.workers.get(area) or self.assessors).username
            if earlier == case.fam.allocated_to:
                return None
            return (
                earlier,
                spec.day_opened + timedelta(days=rng.randint(30, room)),
                _pick(rng, REALLOCATION),
            )
        return None

    # --- early help and unborn children --------------------------------------------------------

    def _early_help(self, case: Case, start: date, *, closed: bool) -> None:
        """An early-help episode from `start`: open (a family the early help team works with)
        or, after a referral closed to early help, closed some months later if that is past
        (and it does not overlap another)."""
        rng = self.rng
        if start > self.yesterday - DAY:
            return
        end = self._after(start, 60, 270) if closed else None
        if end is not None and end > self.yesterday:
            return
        if any(
            start <= (other_end or self.today) and other_start <= (end or self.today)
            for other_start, other_end in case.early_help
        ):
            return
        case.early_help.append((start, end))
        worker = case.fam.allocated_to or rng.choice(self.workers[EARLY_HELP]).username
        episode = case.episode_open(
            EpisodeKind.EARLY_HELP,
            start,
            start,
            source=_pick(rng, EH_SOURCES),
            need="",
            contact=None,
            by=worker,
        )
        if end is not None:
            case.episode_close(episode, end, _pick(rng, EH_CLOSURES), worker)

    def _unborn(self, case: Case, involvement: PlannedInvolvement | None) -> None:
        """A pre-birth assessment: referred within 40 weeks of the expected birth (census
        8606), being assessed, the baby not yet seen."""
        rng = self.rng
        expected = case.person.due
        earliest = max(expected - timedelta(days=270), self.today - timedelta(days=60))
        if case.person.created_at is not None:
            earliest = max(earliest, case.person.created_at.date())
        referral = min(earliest + timedelta(days=rng.randint(0, 20)), self.yesterday - DAY)
        worker = case.fam.allocated_to
        case.worker_at = [(referral, worker)]
        spec = EpisodeSpec(referral, "assessment", open=True)
        episode = self._open(case, spec, need=False)
        start = min(self._after(referral, 0, 2), self.yesterday)
        case.assessment(
            episode, start, None, None, None, factors=[], summary="", cutoff=self.yesterday
        )
        self._allocation(
            case, worker, referral, None, AllocationReason.NEW, involvement=involvement
        )


EARLY_HELP_SHARE = 0.65  # draws at or above it go on to early help


def _nfa_closure(draw: float, *, enquired: bool) -> ClosureReason:
    """How a referral that needed nothing more closes: RC8 (no further action) or RC9
    (referred to early help). Both mean closed after assessment alone, so an episode that
    had a section 47 enquiry closes RC7 instead (census rule 2990 covers RC8 and RC9)."""
    if enquired:
        return ClosureReason.RC7
    return ClosureReason.RC9 if draw >= EARLY_HELP_SHARE else ClosureReason.RC8
