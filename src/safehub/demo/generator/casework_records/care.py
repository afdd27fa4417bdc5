"""Children in care: periods of care and their SSDA903 episodes (placements, legal status),
care plans, looked-after reviews, leaving care."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from safehub.casework import events
from safehub.casework import timescales as due
from safehub.casework.codes import (
    LegalStatus,
    PlacementChangeReason,
    PlacementType,
    ReasonCeased,
    ReasonNewEpisode,
    VisitKind,
)
from safehub.casework.services.care import _reason_new_episode
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
from safehub.demo.generator.casework_records.rows import CARE_EPISODE, CARE_REVIEW, PERIOD, Row
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

    def care_review(self, period: Row, held: date, number: int, iro: str) -> None:
        review = self.add(
            CARE_REVIEW,
            period_id=period,
            held_on=held,
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
            case.care_change(period, day, placement, reason)
            # The services count the next visit from the start of the current 903 episode.
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
            case.care_review(period, day, held[0], iro)

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
