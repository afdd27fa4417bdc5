"""Children in care: periods of care and their SSDA903 episodes (placements, legal status),
care plans, looked-after reviews, leaving care."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    HEALTH_ASSESSMENTS,
    HealthCheckKind,
    LegalStatus,
    OffenceOutcome,
    Participation,
    PlacementChangeReason,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
    SDQReason,
    VisitKind,
)
from safehub.casework.services.care import (
    HEALTH_DUE,
    PEP_AGES,
    PEP_DUE,
    _age_on,
    _reason_new_episode,
)
from safehub.chronology.models import Significance
from safehub.demo.generator import casework_text as words
from safehub.demo.generator import data
from safehub.demo.generator.casework_records.base import CaseBase, FamilyDates
from safehub.demo.generator.casework_records.child_protection import ChildProtectionPlanning
from safehub.demo.generator.casework_records.common import (
    DAY,
    PLACE_CHANGE,
    _care_plan_due,
    _on_a_weekday,
    _pick,
    _stamp,
    _wd,
)
from safehub.demo.generator.casework_records.rows import (
    CARE_EPISODE,
    CARE_REVIEW,
    HEALTH_CHECK,
    OFFENCE,
    PEP,
    PERIOD,
    SDQ,
    SUBSTANCE,
    UASC,
    Row,
)
from safehub.demo.generator.families import YEAR
from safehub.demo.generator.identifiers import postcode
from safehub.demo.generator.organisations import CIC_TEAM

if TYPE_CHECKING:
    from safehub.demo.generator.casework_records.case import Case


class CareRecords(CaseBase):
    def care_start(self, episode: Row, start: date, placement: dict[str, str]) -> Row:
        period = self.add(
            PERIOD,
            child_id=self.child,
            episode_id=episode,
            start_date=start,
            end_date=None,
            reason_ceased="",
            care_plan_date=None,
            created_at=_stamp(start, 15),
            updated_at=_stamp(start, 15),
        )
        current = self.add(
            CARE_EPISODE,
            period_id=period,
            start_date=start,
            reason_new_episode=ReasonNewEpisode.S,
            **placement,
            end_date=None,
            reason_ceased="",
            reason_place_change="",
            created_at=_stamp(start, 15),
            updated_at=_stamp(start, 15),
        )
        self.placement = current
        self.register(period, "care_plan", "Write the care plan", _care_plan_due(start), start)
        self.register(
            period,
            "care_review",
            "Hold the first looked-after review",
            due.care_review_due(start, number=1),
            start,
        )
        self.register(
            period,
            "cla_visit",
            "Visit the child in their placement",
            due.care_visit_due(date.min, start),
            start,
        )
        # As services.care._register_health_and_education.
        self.register(
            period,
            HEALTH_DUE,
            "Hold the initial health assessment",
            due.initial_health_assessment_due(start),
            start,
        )
        age = _age_on(self.person, start)
        if age is not None and PEP_AGES[0] <= age <= PEP_AGES[1]:
            self.register(
                period,
                PEP_DUE,
                "Hold the first personal education plan meeting",
                due.education_plan_due(start, first=True),
                start,
            )
        self.event(
            events.CARE_STARTED,
            start,
            f"Became looked after: {LegalStatus(placement['legal_status']).label}; "
            f"placed {PlacementType(placement['placement_type']).label.lower()}",
            period,
            self.worker(start),
            Significance.CRITICAL,
        )
        return period

    def care_change(self, period: Row, day: date, placement: dict[str, str], reason: str) -> str:
        old = self.current_placement
        rne = _reason_new_episode(old, placement)
        old["end_date"], old["reason_ceased"] = day, ReasonCeased.X1
        old["reason_place_change"] = reason if rne != ReasonNewEpisode.L else ""
        old["updated_at"] = _stamp(day, 12)
        self.placement = self.add(
            CARE_EPISODE,
            period_id=period,
            start_date=day,
            reason_new_episode=rne,
            **placement,
            end_date=None,
            reason_ceased="",
            reason_place_change="",
            created_at=_stamp(day, 12),
            updated_at=_stamp(day, 12),
        )
        if rne != ReasonNewEpisode.L:
            self.register(
                period,
                "cla_visit",
                "Visit the child in their new placement",
                due.care_visit_due(date.min, day),
                day,
            )
        self.event(
            events.PLACEMENT_CHANGED,
            day,
            f"{ReasonNewEpisode(rne).label}: now "
            f"{PlacementType(placement['placement_type']).label.lower()}",
            self.placement,
            self.worker(day),
            Significance.HIGH,
        )
        return rne

    def care_plan(self, period: Row, day: date) -> None:
        period["care_plan_date"] = day
        self.complete(period, "care_plan")
        self.event(events.CARE_PLAN, day, "Care plan written", period, self.worker(day))

    def care_review(
        self, period: Row, held: date, number: int, iro: str, participation: str
    ) -> None:
        review = self.add(
            CARE_REVIEW,
            period_id=period,
            held_on=held,
            participation=participation,
            recorded_by_id=iro,
            created_at=_stamp(held, 14),
            updated_at=_stamp(held, 14),
        )
        self.complete(period, "care_review")
        self.register(
            period,
            "care_review",
            "Hold the next looked-after review",
            due.care_review_due(held, number=number + 1),
            held,
        )
        self.event(events.CARE_REVIEW, held, f"Looked-after review {number}", review, iro)

    def health_check(
        self, period: Row, kind: str, day: date, by: str, up_to_date: bool | None = None
    ) -> None:
        """As services.health_check_record: an assessment sets the next one's clock."""
        check = self.add(
            HEALTH_CHECK,
            period_id=period,
            kind=kind,
            held_on=day,
            up_to_date=up_to_date,
            note="",
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        summary = HealthCheckKind(kind).label
        if kind in HEALTH_ASSESSMENTS:
            self.complete(period, HEALTH_DUE)
            self.register(
                period,
                HEALTH_DUE,
                "Hold the review health assessment",
                due.review_health_assessment_due(day, born=self.person.date_of_birth),
                day,
            )
            self.event(events.HEALTH_ASSESSMENT, day, summary, check, by)
            return
        if kind == HealthCheckKind.IMMUNISATIONS:
            summary += ": up to date" if up_to_date else ": not up to date"
        self.event(events.HEALTH_CHECK, day, summary, check, by)

    def sdq(self, period: Row, day: date, score: int | None, reason: str, by: str) -> None:
        row = self.add(
            SDQ,
            period_id=period,
            completed_on=day,
            score=score,
            reason=reason,
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        summary = (
            f"Strengths and difficulties score {score}"
            if score is not None
            else f"No strengths and difficulties score: {SDQReason(reason).label}"
        )
        self.event(events.SDQ_RECORDED, day, summary, row, by)

    def education_plan(self, period: Row, day: date, virtual_school: bool, by: str) -> None:
        row = self.add(
            PEP,
            period_id=period,
            held_on=day,
            virtual_school_involved=virtual_school,
            note="",
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        self.complete(period, PEP_DUE)
        self.register(
            period,
            PEP_DUE,
            "Review the personal education plan",
            due.education_plan_due(day, first=False),
            day,
        )
        school = "with" if virtual_school else "without"
        self.event(
            events.EDUCATION_PLAN,
            day,
            f"Personal education plan meeting, {school} the virtual school",
            row,
            by,
        )

    def substance_misuse(
        self, period: Row, day: date, offered: bool, received: bool, by: str
    ) -> None:
        row = self.add(
            SUBSTANCE,
            period_id=period,
            identified_on=day,
            intervention_offered=offered,
            intervention_received=received,
            note="",
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        help_given = (
            "intervention received"
            if received
            else "intervention offered"
            if offered
            else "no intervention offered"
        )
        self.event(
            events.SUBSTANCE_MISUSE,
            day,
            f"Substance misuse problem identified; {help_given}",
            row,
            by,
            Significance.HIGH,
        )

    def offence(self, period: Row, day: date, outcome: str, by: str) -> None:
        row = self.add(
            OFFENCE,
            period_id=period,
            outcome=outcome,
            outcome_on=day,
            recorded_by_id=by,
            created_at=_stamp(day, 16),
            updated_at=_stamp(day, 16),
        )
        self.event(
            events.OFFENCE_OUTCOME, day, OffenceOutcome(outcome).label, row, by, Significance.HIGH
        )

    def uasc(self, started: date, ceased: date | None, by: str) -> None:
        row = self.add(
            UASC,
            child_id=self.child,
            started_on=started,
            ceased_on=ceased,
            recorded_by_id=by,
            created_at=_stamp(ceased or started, 16),
            updated_at=_stamp(ceased or started, 16),
        )
        summary = (
            f"Unaccompanied asylum-seeking child since {started:%-d %B %Y}"
            if ceased is None
            else f"Unaccompanied asylum-seeking child status ceased on {ceased:%-d %B %Y}"
        )
        self.event(events.UASC_STATUS, ceased or started, summary, row, by)

    def care_end(self, period: Row, day: date, reason: str) -> None:
        current = self.current_placement
        current["end_date"], current["reason_ceased"] = day, reason
        current["updated_at"] = _stamp(day, 12)
        period["end_date"], period["reason_ceased"] = day, reason
        period["updated_at"] = _stamp(day, 12)
        self.complete_source(period)
        self.event(
            events.CARE_ENDED,
            day,
            f"Ceased to be looked after: {ReasonCeased(reason).label}",
            period,
            self.worker(day),
            Significance.CRITICAL,
        )


def _own_rng(case: Case, what: str, day: date) -> random.Random:
    """A generator of the case's own for records added later, so adding them leaves every
    other record of the demo as it was."""
    return random.Random(f"{what}:{case.fam.index}:{case.child}:{day.isoformat()}")


# How children aged 4 or over took part in their reviews (weights; PN0 is for the under-4s).
PARTICIPATION = {
    Participation.PN1: 40,
    Participation.PN2: 8,
    Participation.PN3: 5,
    Participation.PN4: 3,
    Participation.PN5: 12,
    Participation.PN6: 20,
    Participation.PN7: 12,
}


def _participation(case: Case, held: date) -> str:
    age = _age_on(case.person, held)
    if age is not None and age < 4:
        return Participation.PN0
    return _pick(_own_rng(case, "review", held), PARTICIPATION)


class CarePlanning(ChildProtectionPlanning):
    def _cla_state(
        self,
        case: Case,
        episode: Row,
        dates: FamilyDates,
        area: str,
        start: date,
        authorised: date | None,
    ) -> Row | None:
        """Looked after since about the family's date (recently, if a team other than
        children in care holds the case: care proceedings); before it perhaps a child in
        need plan, then a child protection plan, each ended when care began."""
        rng, yesterday = self.rng, self.yesterday
        begin = max(dates.care_start, start + timedelta(days=12))
        if area != CIC_TEAM:
            begin = max(begin, self.today - timedelta(days=rng.randint(12, 400)))
        if begin > yesterday - 2 * DAY or case.age(begin) >= 17 * YEAR:
            plan_day = self._after(authorised, 1, 10) if authorised is not None else None
            if plan_day is not None and plan_day <= yesterday:
                return case.cin_start(episode, plan_day)
            return None
        if authorised is not None and (begin - authorised).days > 60:
            cin = case.cin_start(episode, self._after(authorised, 1, 10))
            icpc = _on_a_weekday(
                cin["start_date"] + timedelta(days=rng.randint(60, 200)),
                earliest=cin["start_date"] + DAY,
            )
            if rng.random() < 0.4 and (begin - icpc).days > 60:
                strategy = self._strategy_day(icpc, cin["start_date"] + DAY)
                self._cin_run(case, episode, cin, strategy, stall=False, ending=True)
                enquiry = self._enquiry(case, episode, strategy, icpc)
                chair = self._chair(case, icpc)
                plan = self._icpc(case, episode, enquiry, icpc, chair, cin)
                self._cp_run(case, episode, plan, icpc, begin, chair)
            else:
                self._cin_run(case, episode, cin, begin, stall=False, ending=True)
                case.cin_end(cin, begin)
        iro = self._chair(case, begin)
        self._care(case, episode, begin, None, iro=iro)
        return None

    def _care(
        self, case: Case, episode: Row, start: date, end: date | None, *, iro: str = ""
    ) -> Row:
        """A period of care from `start`: placements, legal status, care plan, reviews, visits
        and missing episodes; it ends on `end` (home, or an order) or is still open."""
        rng = self.rng
        iro = iro or rng.choice(self.chairs)
        stop = end or self.today
        age = case.age(start)
        # Mostly care proceedings: an interim order, the full order about 26 weeks later;
        # some accommodated under section 20, a few after an emergency order.
        if rng.random() < 0.22:
            legal = [(start, LegalStatus.V2)]
            if rng.random() < 0.25:
                legal.append((self._after(start, 60, 300), LegalStatus.C1))
        elif rng.random() < 0.1:
            legal = [(start, LegalStatus.L2), (self._after(start, 1, 8), LegalStatus.C1)]
        else:
            legal = [(start, LegalStatus.C1)]
        if legal[-1][1] == LegalStatus.C1:
            legal.append((self._after(legal[-1][0], 100, 280), LegalStatus.C2))
        home = self._home_postcode(case)
        placement = self._placement(case, start, legal[0][1], home)
        period = case.care_start(episode, start, placement)
        changes: dict[date, str] = dict(legal[1:])
        rate = 1.0 if age >= 12 * YEAR else 0.55  # placement moves a year
        move = start
        while True:
            move += timedelta(days=int(rng.expovariate(rate) * YEAR) + 14)
            if move >= stop:
                break
            changes.setdefault(move, "")
        # A period still running has had its statutory work on time; one that ended may
        # have been late with some of it.
        punctual = end is None
        care_plan_day = (
            _wd(start, rng.randint(0, due.CARE_PLAN_WORKING_DAYS))
            if punctual or rng.random() < 0.9
            else self._after(_care_plan_due(start), 1, 15)
        )
        if care_plan_day < stop:
            case.care_plan(period, care_plan_day)
        self._care_reviews(case, period, start, stop, end is None, iro)
        self._care_health(case, period, start, stop, end is None)
        legal_now: str = legal[0][1]
        placed = start
        for day in [*sorted(d for d in changes if start < d < stop), None]:
            item = case.due[(id(period), "cla_visit")]

            def next_visit(last: date, placed: date = placed) -> date:
                return due.care_visit_due(last, placed)

            # Visits in this stretch come after the last change (its placement sets the clock).
            self._visit_run(
                case,
                episode,
                VisitKind.CLA,
                period,
                max(item[4], placed),
                day or end,
                item[3],
                next_visit,
                stall=day is None,
                punctual=punctual,
            )
            if day is None:
                break
            status = changes[day]
            if status:
                legal_now = status
                if rng.random() < 0.3:
                    placement = self._placement(case, day, legal_now, home)
                else:
                    placement = {**placement, "legal_status": legal_now}
            elif rng.random() < 0.1 and placement["placement_type"] in ("U6", "U3"):
                placement = {
                    **placement,
                    "placement_type": {"U6": "U4", "U3": "U1"}[placement["placement_type"]],
                }
            else:
                placement = self._placement(case, day, legal_now, home)
            current = case.current_placement
            if all(current[k] == v for k, v in placement.items()):
                continue  # nothing changed after all
            reason = (
                PlacementChangeReason.PLACE
                if (
                    placement["carer_name"] == current["carer_name"]
                    and placement["placement_type"] != current["placement_type"]
                )
                else (_pick(rng, PLACE_CHANGE))
            )
            # The services count the next visit from the start of the current placement,
            # which a change of legal status alone does not restart.
            if case.care_change(period, day, placement, reason) != ReasonNewEpisode.L:
                placed = day
        self._missing(case, start, stop)
        if end is not None:
            case.care_end(period, end, self._care_leaving(case, end, legal_now))
        return period

    def _care_reviews(
        self, case: Case, period: Row, start: date, stop: date, open_ended: bool, iro: str
    ) -> None:
        held = [0]

        def record(day: date) -> None:
            held[0] += 1
            case.care_review(period, day, held[0], iro, _participation(case, day))

        # The clock after review n is care_review_due(review n, number=n + 1).
        planned = [0]

        def next_due(day: date) -> date:
            planned[0] += 1
            return due.care_review_due(day, number=planned[0] + 1)

        self._reviews(
            start,
            stop,
            open_ended,
            due.care_review_due(start, number=1),
            next_due,
            record,
            punctual=open_ended,
        )

    def _care_health(
        self, case: Case, period: Row, start: date, stop: date, open_ended: bool
    ) -> None:
        """Health assessments on their clock, dental and immunisation checks with them,
        developmental checks while under five, a yearly SDQ from 4 to 16, PEPs for a child
        of school age, and for a few teenagers substance misuse, an offence or UASC status.
        Drawn from the case's own generator, so the rest of the council is unchanged."""
        born = case.person.date_of_birth
        if born is None:
            return
        rng, council_rng = _own_rng(case, "health", start), self.rng
        self.rng = rng  # the review schedules below draw from self.rng
        try:
            self._care_health_records(case, period, start, stop, open_ended, born)
        finally:
            self.rng = council_rng

    def _care_health_records(
        self, case: Case, period: Row, start: date, stop: date, open_ended: bool, born: date
    ) -> None:
        rng = self.rng
        nurse = case.worker(start)
        assessments = [0]

        def assessment(day: date) -> None:
            assessments[0] += 1
            by = case.worker(day)
            kind = HealthCheckKind.INITIAL if assessments[0] == 1 else HealthCheckKind.REVIEW
            case.health_check(period, kind, day, by)
            case.health_check(
                period, HealthCheckKind.IMMUNISATIONS, day, by, up_to_date=rng.random() < 0.86
            )
            if rng.random() < 0.85 and (day - born).days >= YEAR:
                case.health_check(period, HealthCheckKind.DENTAL, day, by)
            age = _age_on(case.person, day)
            if age is not None and age < 5:
                case.health_check(period, HealthCheckKind.DEVELOPMENTAL, day, by)

        self._reviews(
            start,
            stop,
            open_ended,
            due.initial_health_assessment_due(start),
            lambda last: due.review_health_assessment_due(last, born=born),
            assessment,
            punctual=open_ended and rng.random() < 0.9,
        )
        age = _age_on(case.person, start)
        if age is not None and PEP_AGES[0] <= age <= PEP_AGES[1]:
            self._reviews(
                start,
                stop,
                open_ended,
                due.education_plan_due(start, first=True),
                lambda last: due.education_plan_due(last, first=False),
                lambda day: case.education_plan(period, day, rng.random() < 0.8, case.worker(day)),
                punctual=open_ended,
            )
        day = start + timedelta(days=330 + rng.randint(0, 30))
        while day < stop:
            sdq_age = _age_on(case.person, day)
            if sdq_age is not None and 4 <= sdq_age <= 16:
                if rng.random() < 0.8:
                    score = max(0, min(40, round(rng.gauss(14, 7))))
                    case.sdq(period, day, score, "", case.worker(day))
                else:
                    reason = _pick(rng, {"SDQ2": 30, "SDQ3": 10, "SDQ4": 40, "SDQ5": 20})
                    case.sdq(period, day, None, reason, case.worker(day))
            day += timedelta(days=365)
        self._teenage_records(case, period, start, stop, nurse, rng)

    def _teenage_records(
        self, case: Case, period: Row, start: date, stop: date, by: str, rng: random.Random
    ) -> None:
        span = (stop - start).days
        if span < 30:
            return
        day = start + timedelta(days=rng.randint(1, span - 1))
        age = _age_on(case.person, day) or 0
        if age >= 12 and rng.random() < 0.05:
            offered = rng.random() < 0.9
            case.substance_misuse(period, day, offered, offered and rng.random() < 0.6, by)
        if age >= 12 and rng.random() < 0.04:
            outcome = _pick(rng, {"conviction": 60, "final_warning": 25, "reprimand": 15})
            case.offence(period, day, outcome, case.worker(day))
        born = case.person.date_of_birth
        at_start = _age_on(case.person, start) or 0
        # England: about 7,400 of 84,000 looked after are UASC, nearly all aged 14 to 17.
        unaccompanied = not self.uasc_children or rng.random() < 0.3
        if born and 14 <= at_start < 18 and unaccompanied and not case.has_uasc:
            case.has_uasc = True
            self.uasc_children += 1
            eighteen = due.add_months(born, 12 * 18)
            case.uasc(start, eighteen if eighteen < self.today else None, case.worker(start))

    def _care_leaving(self, case: Case, end: date, legal: str) -> str:
        rng = self.rng
        if case.age(end) < 5 * YEAR and legal == LegalStatus.C2 and rng.random() < 0.3:
            return ReasonCeased.E45
        if legal == LegalStatus.C2 and rng.random() < 0.2:
            return rng.choice([ReasonCeased.E41, ReasonCeased.E47])
        return _pick(
            rng,
            {ReasonCeased.E4A: 60, ReasonCeased.E4B: 15, ReasonCeased.E13: 15, ReasonCeased.E8: 10},
        )

    def _placement(self, case: Case, day: date, legal: str, home: str) -> dict[str, str]:
        """Where a child of this age is placed: mostly foster care, some kinship care,
        children's homes for teenagers, supported accommodation at 16 and 17."""
        rng = self.rng
        age = case.age(day)
        if age < YEAR:
            options = {"U6": 55, "U5": 15, "U3": 15, "R3": 5, "U4": 10}
        elif age < 12 * YEAR:
            options = {"U6": 40, "U4": 30, "U3": 10, "U1": 6, "P1": 6, "K2": 3, "U5": 5}
        elif age < 16 * YEAR:
            options = {"U4": 35, "U6": 25, "K2": 20, "U1": 6, "U3": 6, "P1": 5, "K1": 1, "S1": 2}
        else:
            options = {"U4": 25, "U6": 15, "K2": 20, "H5": 30, "U1": 5, "P1": 5}
        kind = _pick(rng, options)
        if kind == "P1" and legal not in (LegalStatus.C1, LegalStatus.C2):
            kind = "U6"  # 903 rule 378: not placed with parents under section 20
        provider = {
            "P1": "PR0",
            "U1": "PR1",
            "U3": "PR1",
            "R3": "PR4",
            "K1": "PR2",
            "S1": "PR4",
        }.get(kind) or (
            _pick(rng, {"PR4": 70, "PR5": 15, "PR1": 15})
            if kind in ("K2", "H5")
            else _pick(rng, {"PR1": 60, "PR4": 32, "PR5": 8})
        )
        urn = ""
        if kind in ("K2", "K1", "R3", "S1"):
            carer = rng.choice(words.HOMES)
            urn = f"SC{rng.randint(100_000, 999_999)}"
        elif kind == "H5":
            carer = rng.choice(words.SUPPORTED)
        elif kind == "P1":
            carer = ""
        elif kind in ("U1", "U3"):
            carer = (
                f"{rng.choice(['Grandparents', 'Aunt', 'Uncle', 'Family friend'])} "
                f"({case.person.current.family})"
            )
        else:
            carer = (
                f"{rng.choice(['Mr and Mrs', 'Ms', 'Mr', 'Mrs'])} "
                f"{rng.choice(words.CARER_FAMILIES)}"
            )
        return {
            "legal_status": legal,
            "placement_type": kind,
            "provider": provider,
            "carer_name": carer,
            "home_postcode": home,
            "placement_postcode": home if kind == "P1" else self._any_postcode(),
            "urn": urn,
        }

    def _home_postcode(self, case: Case) -> str:
        for home in case.fam.residences:
            if home.end_date is None and case.child in home.members:
                return home.postcode
        return case.fam.residences[0].postcode if case.fam.residences else ""

    def _any_postcode(self) -> str:
        rng = self.rng
        _, _, districts = rng.choice(data.TOWNS)
        return postcode(
            rng.choice(districts),
            rng.randint(1, 9),
            rng.randint(0, 399),
            data.POSTCODE_UNIT_LETTERS,
        )
