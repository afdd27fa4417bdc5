"""The casework planner: each family's children, their current state and earlier episodes."""

from collections.abc import Iterator
from datetime import date, timedelta

from safehub.access.models import InvolvementKind
from safehub.demo.generator.casework_records.base import EpisodeSpec, FamilyDates
from safehub.demo.generator.casework_records.case import Case
from safehub.demo.generator.casework_records.common import (
    DAY,
    LONDON,
    PREVIOUS_CP_SHARE,
    PREVIOUS_EPISODE_SHARE,
    SHOWCASE_STALL,
    SIBLING_SAME,
    SLOW_ASSESSMENT,
    STALL,
    STATES,
    UNKNOWN_HISTORY_SHARE,
    _pick,
)
from safehub.demo.generator.casework_records.episodes import EpisodePlanning
from safehub.demo.generator.casework_records.rows import FamilyCasework
from safehub.demo.generator.families import YEAR
from safehub.demo.generator.organisations import CIC_TEAM, EARLY_HELP, NORTH
from safehub.demo.generator.plan import PlannedContact, PlannedFamily
from safehub.frontdoor.codes import REFERRAL_DECISIONS, Decision, Status
from safehub.people.codes import PersonKind


class CaseworkPlanner(EpisodePlanning):
    """Adds casework records to each planned family as it streams past. Pure: no database."""

    def attach(self, families: Iterator[PlannedFamily]) -> Iterator[PlannedFamily]:
        for family in families:
            self.plan(family)
            yield family

    # --- a family ---------------------------------------------------------------------------

    def plan(self, fam: PlannedFamily) -> None:
        fam.casework = FamilyCasework()
        rng = self.rng
        referrals = self._referrals(fam)
        # The family's children, and any other child in law the MASH referred (a mother of
        # sixteen): a referral about her opens her casework like anyone's.
        children = [
            i
            for i, p in enumerate(fam.persons)
            if p.kind in (PersonKind.CHILD, PersonKind.UNBORN)
            and (p.role == "child" or i in referrals)
        ]
        if not children:
            return
        area = self.area.get(fam.allocated_to, "")
        state, showcase = "", fam.allocated_to == "social.worker"
        if fam.allocated_to and area != EARLY_HELP:
            if showcase:
                self.showcase_families += 1
                state = (
                    {1: "cp", 2: "cin_plan"}.get(self.showcase_families)
                    or next(self.showcase, "")
                    or _pick(rng, STATES[NORTH])
                )
            else:
                state = _pick(rng, STATES[area])
        self.stall = SHOWCASE_STALL if showcase else STALL
        self.slow = showcase and state == "assessment"  # one overdue assessment at least
        dates = self._family_dates(overdue=self.slow)
        chairs = {
            v.person: v for v in fam.involvements if v.kind == InvolvementKind.CONFERENCE_CHAIR
        }
        for i in children:
            own = state
            if state and state != "cla" and not showcase and rng.random() > SIBLING_SAME:
                own = _pick(rng, STATES[area])
            if state == "cla" and area == CIC_TEAM and rng.random() < 0.1:
                own = "cin_plan"
            if fam.persons[i].role != "child":
                own = ""  # a young parent's casework is what her own referrals opened
            case = Case(self, fam, i)
            case.chair_involvement = chairs.get(i)
            self._child(case, own, area, dates, referrals.get(i, []))
            case.finish()

    def _family_dates(self, *, overdue: bool) -> FamilyDates:
        rng, today = self.rng, self.today
        cp_days = _pick(rng, {(5, 180): 45, (181, 365): 30, (366, 730): 21, (731, 1100): 4})
        care_days = _pick(rng, {(12, 365): 35, (366, 900): 35, (901, 2200): 30})
        recent = today - timedelta(days=rng.randint(66, 80) if overdue else rng.randint(3, 75))
        return FamilyDates(
            recent=recent,
            s47=today - timedelta(days=rng.randint(2, 40)),
            cp_start=today - timedelta(days=rng.randint(*cp_days)),
            care_start=today - timedelta(days=rng.randint(*care_days)),
            stepdown=today - timedelta(days=rng.randint(20, 300)),
        )

    def _referrals(self, fam: PlannedFamily) -> dict[int, list[PlannedContact]]:
        """The MASH referrals about each child: decided and signed off, so each opened an
        episode of need or joined the one already open."""
        out: dict[int, list[PlannedContact]] = {}
        for contact in fam.contacts:
            if contact.status != Status.DECIDED or contact.decision not in REFERRAL_DECISIONS:
                continue
            for subject in contact.subjects:
                if subject.role == "child" and subject.person is not None:
                    out.setdefault(subject.person, []).append(contact)
        for contacts in out.values():
            contacts.sort(key=lambda c: c.received_at)
        return out

    # --- a child ------------------------------------------------------------------------------

    def _child(
        self, case: Case, state: str, area: str, dates: FamilyDates, referrals: list[PlannedContact]
    ) -> None:
        rng, fam, person = self.rng, case.fam, case.person
        own = next(
            (
                v
                for v in fam.involvements
                if v.person == case.child
                and v.kind == InvolvementKind.ALLOCATED_WORKER
                and v.user == fam.allocated_to
            ),
            None,
        )
        if person.kind == PersonKind.UNBORN:
            if state:
                self._unborn(case, own)
            return
        anchor = own.start_date if own is not None else None
        born = person.born + timedelta(days=rng.randint(7, 30))
        earliest = born
        if person.created_at is not None:
            earliest = max(earliest, person.created_at.date())
        if earliest > self.yesterday - 3 * DAY:
            return  # a newborn the council has only just recorded
        specs: list[EpisodeSpec] = []
        current: EpisodeSpec | None = None
        if state and anchor is not None:
            start = dates.recent if state == "assessment" else anchor
            current = EpisodeSpec(
                min(max(start, earliest), self.yesterday - 2 * DAY),
                state,
                open=True,
                slow=self.slow or rng.random() < SLOW_ASSESSMENT,
            )
        elif area == EARLY_HELP and anchor is not None:
            self._early_help(case, max(anchor, earliest), closed=False)
        # Earlier episodes may predate the record as planned: it is then created before them.
        history_from = max(born, self.today - timedelta(days=6 * YEAR))
        previous_cp = state == "cp" and rng.random() < PREVIOUS_CP_SHARE
        if fam.long_history == case.child:
            history_from = max(
                born + timedelta(days=2 * YEAR), self.today - timedelta(days=int(10.5 * YEAR))
            )
            specs += self._history(
                history_from, current.start if current else self.today, chain=True
            )
        elif current is not None and (previous_cp or rng.random() < PREVIOUS_EPISODE_SHARE):
            specs += self._history(
                born if previous_cp else history_from,
                current.start,
                chain=False,
                want_cp=previous_cp,
            )
        elif current is None and rng.random() < UNKNOWN_HISTORY_SHARE:
            specs += self._history(history_from, self.today - timedelta(days=2 * YEAR), chain=False)
        # No room for an earlier episode with a plan: the earlier plan is in this one.
        case.previous_cp = previous_cp and not any(s.kind == "cp" for s in specs)
        if current is not None:
            specs.append(current)
        specs = self._with_referrals(specs, referrals)
        for spec in specs:
            if spec.open:
                self._open_episode(case, spec, dates, area, own)
            else:
                self._closed_episode(case, spec)

    def _history(
        self, start: date, before: date, *, chain: bool, want_cp: bool = False
    ) -> list[EpisodeSpec]:
        """Closed episodes between `start` and some weeks before `before`: one, or (`chain`)
        as many as fit: about a decade for the long-history children."""
        rng = self.rng
        limit = before - timedelta(days=rng.randint(30, 120))
        out: list[EpisodeSpec] = []
        cursor = start
        kinds = ["cin", "cp", "nfa", "cla", "cin", "cp"]
        minimum = {"nfa": 40, "cin": 150, "cp": 200, "cla": 200}
        while True:
            room = (limit - cursor).days
            if room < 60:
                break
            if chain:
                kind = kinds[len(out) % len(kinds)]
                length = rng.randint(minimum[kind], 640) if kind != "nfa" else rng.randint(40, 80)
                begin = cursor + timedelta(days=rng.randint(20, 160))
            else:
                kind = "cp" if want_cp else _pick(rng, {"nfa": 45, "cin": 40, "cp": 10, "cla": 5})
                length = {
                    "nfa": rng.randint(40, 80),
                    "cin": rng.randint(150, 420),
                    "cp": rng.randint(240, 700),
                    "cla": rng.randint(200, 600),
                }[kind]
                begin = cursor + timedelta(days=rng.randint(0, max(0, room - length)))
            end = min(begin + timedelta(days=length), limit)
            if (end - begin).days < minimum[kind]:
                if (limit - begin).days >= minimum["nfa"]:
                    out.append(
                        EpisodeSpec(
                            begin,
                            "nfa",
                            end=min(limit, begin + timedelta(days=rng.randint(40, 80))),
                        )
                    )
                break
            out.append(EpisodeSpec(begin, kind, end=end, slow=rng.random() < SLOW_ASSESSMENT))
            if not chain:
                break
            cursor = end + DAY
        return out

    def _with_referrals(
        self, specs: list[EpisodeSpec], referrals: list[PlannedContact]
    ) -> list[EpisodeSpec]:
        """Make the episodes agree with the MASH referrals: each referral either opened an
        episode (on the day it was received, with its source) or joined the one open."""
        for contact in referrals:
            day = contact.received_at.astimezone(LONDON).date()
            assert contact.signed_off_at is not None  # a referral is a signed-off decision
            opened = min(contact.signed_off_at.astimezone(LONDON).date(), self.yesterday)
            running = next((s for s in specs if s.start <= day <= s.runs_until(self.today)), None)
            if running is not None:  # the episode already open: the referral joins its work
                if contact.decision == Decision.STRATEGY:
                    running.joined.append(contact)
                continue
            later = [s for s in specs if s.start > day]
            nearest = min(later, key=lambda s: s.start) if later else None
            if (
                nearest is not None
                and nearest.contact is None
                and (nearest.start - day).days <= (150 if nearest.open else 60)
            ):
                nearest.start, nearest.contact, nearest.opened = day, contact, opened
                continue
            limit = nearest.start - timedelta(days=20) if nearest else self.yesterday
            recent = nearest is None and (self.today - day).days < 70
            slow = self.rng.random() < SLOW_ASSESSMENT
            if recent:
                specs.append(
                    EpisodeSpec(day, "recent", open=True, contact=contact, opened=opened, slow=slow)
                )
            elif (limit - opened).days >= 40:
                close = min(
                    limit,
                    opened
                    + timedelta(
                        days=self.rng.randint(80, 125) if slow else self.rng.randint(35, 75)
                    ),
                )
                specs.append(
                    EpisodeSpec(day, "nfa", end=close, contact=contact, opened=opened, slow=slow)
                )
            elif nearest is not None and nearest.contact is None:
                nearest.start, nearest.contact, nearest.opened = day, contact, opened
            specs.sort(key=lambda s: s.start)
        return specs
