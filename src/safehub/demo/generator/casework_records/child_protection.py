"""Child protection: strategy discussions, section 47 enquiries, conferences, core groups and
plans (which end any child in need plan)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from safehub.access.models import InvolvementKind
from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    CategoryOfAbuse,
    ConferenceKind,
    ConferenceOutcome,
    Section47Outcome,
    StrategyOutcome,
    VisitKind,
)
from safehub.chronology.models import Significance
from safehub.demo.generator import casework_text as words
from safehub.demo.generator.casework_records.base import EpisodeSpec, FamilyDates
from safehub.demo.generator.casework_records.cin_plans import CinPlanPlanning, CinPlanRecords
from safehub.demo.generator.casework_records.common import (
    CATEGORIES,
    DAY,
    DUE_LABELS,
    LATE_ICPC,
    LONDON,
    _core_group_due,
    _cp_visit_due,
    _icpc_due,
    _on_a_weekday,
    _pick,
    _stamp,
    _wd,
)
from safehub.demo.generator.casework_records.rows import (
    CONFERENCE,
    CORE_GROUP,
    CP_PLAN,
    SECTION47,
    STRATEGY,
    Row,
)
from safehub.demo.generator.plan import PlannedInvolvement
from safehub.frontdoor.codes import Decision

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class ChildProtectionRecords(CinPlanRecords):
    def strategy(self, episode: Row, held: date, outcome: str) -> tuple[Row, Row | None]:
        rng = self.rng
        by = self.worker(held)
        self.complete(episode, "strategy")  # the discussion a MASH decision asked for
        row = self.add(
            STRATEGY,
            episode_id=episode,
            held_on=held,
            participants=rng.choice(words.STRATEGY_PARTICIPANTS),
            outcome=outcome,
            notes=rng.choice(words.STRATEGY_NOTES),
            recorded_by_id=by,
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        summary = f"Strategy discussion: {StrategyOutcome(outcome).label}"
        waiting = self._enquiry_before_conference(episode)
        if waiting is not None:  # as the service: one more discussion of that enquiry
            summary += self._redate_conference(episode, waiting)
        self.event(events.STRATEGY_DISCUSSION, held, summary, row, by, Significance.HIGH)
        if outcome != StrategyOutcome.SECTION_47:
            return row, None
        target = _icpc_due(held)
        enquiry = self.add(
            SECTION47,
            episode_id=episode,
            strategy_id=row,
            start_date=held,
            icpc_target=target,
            end_date=None,
            outcome="",
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.register(enquiry, "icpc", DUE_LABELS["icpc"], target, held)
        self.event(
            events.SECTION_47_STARTED,
            held,
            f"Section 47 enquiry started; initial conference due by {target:%-d %B %Y}",
            enquiry,
            by,
            Significance.HIGH,
        )
        return row, enquiry

    def _enquiry_before_conference(self, episode: Row) -> Row | None:
        held = {r["section47_id"] for r in self.rows if r.table is CONFERENCE}
        waiting = [
            r
            for r in self.rows
            if r.table is SECTION47
            and r["episode_id"] is episode
            and (r["end_date"] is None or r["outcome"] == Section47Outcome.ICPC)
            and all(r is not h for h in held)
        ]
        return waiting[-1] if waiting else None

    def _redate_conference(self, episode: Row, enquiry: Row) -> str:
        """The initial conference 15 working days after the enquiry's last discussion."""
        latest = max(
            r["held_on"]
            for r in self.rows
            if r.table is STRATEGY
            and r["episode_id"] is episode
            and r["held_on"] >= enquiry["start_date"]
        )
        target = _icpc_due(latest)
        enquiry["icpc_target"] = target
        if (id(enquiry), "icpc") in self.due:
            self.register(enquiry, "icpc", DUE_LABELS["icpc"], target, latest)
        return f"; initial child protection conference due by {target:%-d %B %Y}"

    def conclude(self, enquiry: Row, day: date, outcome: str) -> None:
        enquiry["end_date"], enquiry["outcome"] = day, outcome
        enquiry["updated_at"] = _stamp(day, 15)
        if outcome == Section47Outcome.NO_ICPC:
            self.complete(enquiry, "icpc")
        self.event(
            events.SECTION_47_CONCLUDED,
            day,
            f"Section 47 enquiry concluded: {Section47Outcome(outcome).label}",
            enquiry,
            self.worker(day),
            Significance.HIGH,
        )

    def icpc(
        self,
        episode: Row,
        enquiry: Row,
        held: date,
        *,
        plan: bool,
        category: str,
        chair: str,
        open_cin: Row | None,
    ) -> Row | None:
        """The initial conference; a plan starts the same day and ends any child in need
        plan (census 2885, 4001)."""
        cp = None
        if plan:
            if open_cin is not None:
                self.cin_end(open_cin, held, by_cp=True)
            cp = self.add(
                CP_PLAN,
                episode_id=episode,
                child_id=self.child,
                start_date=held,
                initial_category=category,
                latest_category=category,
                previous_plans=self.cp_plans_ended,
                end_date=None,
                created_at=_stamp(held, 13),
                updated_at=_stamp(held, 13),
            )
            self.register(
                cp, "core_group", "Hold the first core group", _core_group_due(held), held
            )
            self.register(
                cp,
                "cp_review",
                "Hold the first review conference",
                due.cp_review_due(held, first=True),
                held,
            )
            self.register(
                cp, "cp_visit", "Visit the child (child protection plan)", _cp_visit_due(held), held
            )
            previous = self.cp_plans_ended
            self.event(
                events.CP_PLAN_STARTED,
                held,
                f"Child protection plan started: {CategoryOfAbuse(category).label}"
                + (f" (previous plans: {previous})" if previous else ""),
                cp,
                chair,
                Significance.CRITICAL,
            )
        outcome = ConferenceOutcome.PLAN if plan else ConferenceOutcome.NO_PLAN
        conference = self.add(
            CONFERENCE,
            episode_id=episode,
            kind=ConferenceKind.INITIAL,
            section47_id=enquiry,
            plan_id=cp,
            held_on=held,
            outcome=outcome,
            category=category if plan else "",
            chair_id=chair,
            recorded_by_id=chair,
            created_at=_stamp(held, 13),
            updated_at=_stamp(held, 13),
        )
        self.complete(enquiry, "icpc")
        late = held > enquiry["icpc_target"]
        self.event(
            events.CONFERENCE_HELD,
            held,
            f"Initial child protection conference: {ConferenceOutcome(outcome).label}"
            + (" (after the 15-working-day timescale)" if late else ""),
            conference,
            chair,
            Significance.CRITICAL,
        )
        return cp

    def core_group(self, plan: Row, held: date) -> None:
        self.add(
            CORE_GROUP,
            plan_id=plan,
            held_on=held,
            notes=self.rng.choice(words.CORE_GROUP_NOTES),
            recorded_by_id=self.worker(held),
            created_at=_stamp(held, 11),
            updated_at=_stamp(held, 11),
        )
        self.complete(plan, "core_group")

    def cp_review(self, plan: Row, held: date, *, end: bool, chair: str) -> None:
        category = ""
        if self.rng.random() < 0.15:
            category = _pick(self.rng, CATEGORIES)
            plan["latest_category"] = category
        outcome = ConferenceOutcome.END if end else ConferenceOutcome.CONTINUE
        conference = self.add(
            CONFERENCE,
            episode_id=plan["episode_id"],
            kind=ConferenceKind.REVIEW,
            section47_id=None,
            plan_id=plan,
            held_on=held,
            outcome=outcome,
            category=category,
            chair_id=chair,
            recorded_by_id=chair,
            created_at=_stamp(held, 13),
            updated_at=_stamp(held, 13),
        )
        self.complete(plan, "cp_review")
        plan["updated_at"] = _stamp(held, 13)
        if end:
            plan["end_date"] = held
            self.complete_source(plan)
            self.cp_plans_ended += 1
            self.event(
                events.CP_PLAN_ENDED,
                held,
                "Child protection plan ended",
                plan,
                chair,
                Significance.CRITICAL,
            )
        else:
            self.register(
                plan,
                "cp_review",
                "Hold the next review conference",
                due.cp_review_due(held, first=False),
                held,
            )
        self.event(
            events.CONFERENCE_HELD,
            held,
            f"Review child protection conference: {ConferenceOutcome(outcome).label}",
            conference,
            chair,
            Significance.HIGH,
        )


class ChildProtectionPlanning(CinPlanPlanning):
    def _cp_state(
        self, case: Case, episode: Row, base: date, start: date, icpc: date, assessed: bool
    ) -> None:
        """On a child protection plan since `icpc`: before it perhaps an earlier plan and a
        child in need plan (which the conference ends)."""
        rng = self.rng
        open_cin = None
        earlier = self._after(base, 1, 10)
        chair = self._chair(case, icpc)
        if assessed and (icpc - earlier).days > 170 and case.previous_cp:
            first, enquiry = self._cp_prelude(case, episode, earlier)
            plan = self._icpc(case, episode, enquiry, first, chair, None)
            first_end = first + timedelta(days=rng.randint(90, max(91, (icpc - first).days - 75)))
            self._cp_run(case, episode, plan, first, first_end, chair)
            earlier = self._after(first_end, 0, 7)
        strategy = self._strategy_day(icpc, start)
        if assessed and (strategy - earlier).days > 45:
            open_cin = case.cin_start(episode, earlier)
            self._cin_run(case, episode, open_cin, strategy, stall=False, ending=True)
        enquiry = self._enquiry(case, episode, strategy, icpc)
        plan = self._icpc(case, episode, enquiry, icpc, chair, open_cin)
        self._cp_run(case, episode, plan, icpc, None, chair)

    def _s47_state(
        self, case: Case, episode: Row, dates: FamilyDates, start: date, authorised: date | None
    ) -> Row | None:
        """A section 47 enquiry in the last weeks: still open, or concluded and waiting for
        (or just had) its initial conference. Returns an open child in need plan, if any."""
        rng, yesterday = self.rng, self.yesterday
        held = max(dates.s47, start)
        open_cin = None
        if authorised is not None and (held - authorised).days > 45:
            open_cin = case.cin_start(episode, self._after(authorised, 1, 10))
            self._cin_run(case, episode, open_cin, held, stall=False)
        _, enquiry = case.strategy(episode, held, StrategyOutcome.SECTION_47)
        assert enquiry is not None
        ends = _wd(held, rng.randint(4, 12))
        if ends > yesterday:
            return open_cin
        conference = rng.random() < 0.6
        case.conclude(
            enquiry, ends, Section47Outcome.ICPC if conference else Section47Outcome.NO_ICPC
        )
        if not conference:
            return open_cin
        target = enquiry["icpc_target"]
        icpc = (
            _wd(target, rng.randint(1, 8))
            if rng.random() < LATE_ICPC
            else max(ends, target - timedelta(days=rng.randint(0, 5)))
        )
        icpc = _on_a_weekday(icpc, earliest=ends)
        if icpc > yesterday:
            return open_cin  # waiting for the conference
        chair = self._chair(case, icpc)
        if rng.random() < 0.85:
            plan = self._icpc(case, episode, enquiry, icpc, chair, open_cin)
            self._cp_run(case, episode, plan, icpc, None, chair)
            return None
        case.icpc(episode, enquiry, icpc, plan=False, category="", chair=chair, open_cin=None)
        plan_day = self._after(icpc, 0, 10)
        if open_cin is None and plan_day <= yesterday:
            open_cin = case.cin_start(episode, plan_day)
        return open_cin

    def _strategy_referral(
        self, case: Case, episode: Row, spec: EpisodeSpec, cutoff: date
    ) -> date | None:
        """A referral for a strategy discussion: held within a day; a section 47 in most,
        concluded without a conference. Returns the date the last of it ended (None: the
        enquiry is still open)."""
        rng = self.rng
        held = min(spec.day_opened + timedelta(days=rng.randint(0, 1)), cutoff)
        with_s47 = rng.random() < 0.6
        _, enquiry = case.strategy(
            episode, held, StrategyOutcome.SECTION_47 if with_s47 else StrategyOutcome.NO_SECTION_47
        )
        if enquiry is None:
            return held
        ends = (
            min(_wd(held, rng.randint(3, 10)), cutoff)
            if spec.end
            else _wd(held, rng.randint(3, 10))
        )
        if ends > cutoff:
            return None
        case.conclude(enquiry, ends, Section47Outcome.NO_ICPC)
        return ends

    def _strategy_decisions(
        self, case: Case, episode: Row, spec: EpisodeSpec, *, hold: bool = True
    ) -> None:
        """Each MASH decision to hold a strategy discussion while the episode was open, in the
        order they were signed off, registered as the service does; with `hold`, each got a
        discussion within a day unless one was already held on or after the decision."""
        decisions = sorted(
            (
                c
                for c in [spec.contact, *spec.joined]
                if c is not None and c.decision == Decision.STRATEGY and c.signed_off_at
            ),
            key=lambda c: c.signed_off_at or c.received_at,
        )
        for contact in decisions:
            assert contact.signed_off_at is not None
            signed = min(contact.signed_off_at.astimezone(LONDON).date(), self.yesterday)
            case.strategy_decided(episode, contact, signed)  # again for the episode's own
            if not hold:
                continue
            held = [
                r["held_on"]
                for r in case.rows
                if r.table is STRATEGY and r["episode_id"] is episode
            ]
            if any(day >= signed for day in held):
                case.complete(episode, "strategy")
            else:
                day = min(signed + timedelta(days=self.rng.randint(0, 1)), self.yesterday)
                case.strategy(episode, day, StrategyOutcome.NO_SECTION_47)

    def _strategy_day(self, icpc: date, floor: date) -> date:
        """The strategy discussion before a conference on `icpc`: mostly within 15 working
        days of it."""
        rng = self.rng
        timescale = due.ICPC_WORKING_DAYS
        lead = (
            rng.randint(timescale + 1, 24)
            if rng.random() < LATE_ICPC
            else rng.randint(6, timescale)
        )
        day = icpc - timedelta(days=int(lead * 7 / 5))
        return min(max(day, floor), icpc)

    def _enquiry(self, case: Case, episode: Row, strategy: date, icpc: date) -> Row:
        """Strategy discussion on `strategy`, a section 47 concluding that a conference is
        needed by `icpc`."""
        _, enquiry = case.strategy(episode, strategy, StrategyOutcome.SECTION_47)
        assert enquiry is not None
        case.conclude(
            enquiry,
            strategy + timedelta(days=self.rng.randint(0, max(0, (icpc - strategy).days))),
            Section47Outcome.ICPC,
        )
        return enquiry

    def _cp_prelude(self, case: Case, episode: Row, strategy: date) -> tuple[date, Row]:
        """A strategy discussion on `strategy` and its section 47; the conference mostly
        within 15 working days. Returns (conference date, enquiry)."""
        rng = self.rng
        target = _icpc_due(strategy)
        icpc = (
            _wd(target, rng.randint(1, 8))
            if rng.random() < LATE_ICPC
            else target - timedelta(days=rng.randint(0, 5))
        )
        icpc = _on_a_weekday(max(icpc, strategy + DAY), earliest=strategy + DAY)
        return icpc, self._enquiry(case, episode, strategy, icpc)

    def _icpc(
        self, case: Case, episode: Row, enquiry: Row, held: date, chair: str, open_cin: Row | None
    ) -> Row:
        plan = case.icpc(
            episode,
            enquiry,
            held,
            plan=True,
            category=_pick(self.rng, CATEGORIES),
            chair=chair,
            open_cin=open_cin,
        )
        assert plan is not None
        return plan

    def _cp_run(
        self, case: Case, episode: Row, plan: Row, start: date, end: date | None, chair: str
    ) -> None:
        """Core groups, review conferences and visits while the plan lasts; a review ends it
        on `end`, or it is still open. A plan still running has had all of it on time, but
        for one lapse some have now: the next review or visit overdue, or (before any review
        is near) the first core group not yet held. A plan that ended may have been late."""
        rng = self.rng
        stop = end or self.today
        punctual = end is None
        first_review = due.cp_review_due(start, first=True)
        # Core groups: the first within 10 working days (mostly), then every 4 to 6 weeks,
        # so the core group has met before every review conference.
        first = _core_group_due(start)
        held = (
            _wd(first, rng.randint(1, 8))
            if not punctual and rng.random() < 0.12
            else max(start + DAY, first - timedelta(days=rng.randint(0, 6)))
        )
        lapsed = (
            punctual
            and first < self.today
            and first_review - timedelta(days=14) > self.today  # no review held yet
            and rng.random() < self.stall["review"]
        )
        while held < stop and not lapsed:
            case.core_group(plan, held)
            held += timedelta(days=rng.randint(28, 42))
        self._reviews(
            start,
            stop,
            end is None,
            first_review,
            lambda d: due.cp_review_due(d, first=False),
            lambda d: case.cp_review(plan, d, end=False, chair=chair),
            punctual=punctual,
        )
        self._visit_run(
            case,
            episode,
            VisitKind.CP,
            plan,
            start,
            end,
            _cp_visit_due(start),
            _cp_visit_due,
            punctual=punctual,
        )
        if end is not None:
            case.cp_review(plan, end, end=True, chair=chair)

    def _chair(self, case: Case, held: date) -> str:
        """The chair (or IRO) of the child's conferences and reviews, involved from the
        first of them."""
        involvement = case.chair_involvement
        if involvement is None:
            involvement = PlannedInvolvement(
                case.child,
                InvolvementKind.CONFERENCE_CHAIR,
                held,
                user=self.rng.choice(self.chairs),
            )
            case.fam.involvements.append(involvement)
            case.chair_involvement = involvement
        involvement.start_date = min(involvement.start_date, held)
        return involvement.user
