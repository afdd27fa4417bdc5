"""Demoshire's front door: contacts about the planned families, in the proportions a county
MASH sees them, and their loading.

Each family may bring contacts: open ones (new, in triage, awaiting sign-off) and ones
decided over the last two years. Channels, CIN referral sources, urgencies, RAG and level of
need, partner information requests and consent follow the source; about 40% of decided
contacts become referrals, and about 22% of referrals are re-referrals within 12 months.
Children are linked to the family's records once a MASH worker has triaged the contact;
until then the referrer's description stands, sometimes misspelt, with a nickname, the names
swapped, another surname or no date of birth, so matching has real work to do. Some
contacts name a child who is not on record at all.

The planner has its own seeded Random, so adding contacts leaves the families as they were;
quotas (not dice) set how many contacts there are, so every scale gets its target.
"""

import hashlib
import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from nicknames import NickNamer

from safehub.chronology import registry
from safehub.chronology.models import ChronologyEntry, ChronologyLink, Significance
from safehub.demo.generator import data
from safehub.demo.generator import frontdoor_text as text
from safehub.demo.generator.families import YEAR
from safehub.demo.generator.organisations import (
    COUNCIL,
    HEALTH_TRUST,
    HEALTH_VISITING,
    HOUSING,
    MASH,
    POLICE,
    TEACHER_SCHOOL,
    OrgPlan,
    StaffPlan,
)
from safehub.demo.generator.plan import (
    PRONOUNS,
    THEY,
    PlannedConsent,
    PlannedContact,
    PlannedFamily,
    PlannedPerson,
    PlannedRequest,
    PlannedSubject,
)
from safehub.frontdoor import events
from safehub.frontdoor.codes import (
    REFERRAL_DECISIONS,
    URGENCY_RANK,
    Channel,
    Decision,
    Rag,
    ReferralSource,
    RequestStatus,
    Status,
    SubjectRole,
)
from safehub.frontdoor.models import ConsentRecord, Contact, ContactSubject, InformationRequest
from safehub.frontdoor.services import (
    _REFERENCE_ALPHABET,
    information_due_at,
    referrer_label,
)
from safehub.frontdoor.validation import PUBLIC_RELATIONSHIPS
from safehub.organisations.models import AgencyKind
from safehub.people import events as people_events
from safehub.people.codes import PersonKind, Sex
from safehub.people.names import name_key

LONDON = ZoneInfo("Europe/London")
HISTORY_DAYS = 730  # decided contacts reach back two years
DECIDED_PER_PERSON = 0.08  # decided contacts over those two years, per person
# Contacts per person in families the council already knows, against other families:
# about 40% of contacts are about the known sixth of the population.
KNOWN_WEIGHT = 3.5
# The mean weight expected (about 16% of people are known), counted as this many people
# seen before the first family, so the showcase families at the start are not short-changed.
EXPECTED_MEAN_WEIGHT, PRIOR_PEOPLE = 0.16 * KNOWN_WEIGHT + 0.84, 2_000
OPEN_STATUSES = {Status.NEW: 40, Status.IN_TRIAGE: 45, Status.AWAITING_SIGN_OFF: 15}
# With the earlier referrals planted below, about 40% of decided contacts become referrals
# (assessment or strategy).
DECISIONS = {
    Decision.NFA: 22,
    Decision.ADVICE: 17,
    Decision.EARLY_HELP: 29,
    Decision.ASSESSMENT: 25,
    Decision.STRATEGY: 7,
}
# Minutes from receipt to the MASH's decision, by urgency: the soonest, the usual latest
# (inside the urgency's clock, `frontdoor.services.decision_due`) and the latest when late.
DECISION_MINUTES = {
    "immediate": (10, 100, 5 * 60),
    "urgent": (30, 6 * 60, 20 * 60),
    "routine": (60, 20 * 60, 40 * 60),
}
# A referral in the year before is planted for these shares of referrals and of open
# contacts; with the repeats that happen anyway, about 22% of referrals are re-referrals.
EARLIER_REFERRAL_SHARE = {"referral": 0.3, "open": 0.08}
NOT_ON_RECORD_SHARE = 0.06  # contacts about a child the council has no record of
PARTNER_SHOWCASE = {"teacher.dsl": (TEACHER_SCHOOL, "2A"), "health.visitor": (HEALTH_TRUST, "3B")}
SHOWCASE_STATUSES = [Status.NEW, Status.IN_TRIAGE, Status.DECIDED]
# How referrers describe someone they have not been linked to yet.
DESCRIPTIONS = {"exact": 50, "typo": 15, "nickname": 8, "swapped": 5, "no_dob": 15, "surname": 7}
# When each channel's contacts arrive (hours of the day); the rest in office hours.
CHANNEL_HOURS: dict[str, tuple[int, int]] = {Channel.API: (0, 23), Channel.PUBLIC: (6, 23)}
# How often a contact in each status has an information request (otherwise 0.45).
REQUEST_CHANCE: dict[str, float] = {Status.IN_TRIAGE: 0.55, Status.AWAITING_SIGN_OFF: 0.6}
RATINGS: dict[str, tuple[list[Rag], list[str]]] = {  # decision -> (RAG, level of need)
    Decision.NFA: ([Rag.GREEN], ["1", "2"]),
    Decision.ADVICE: ([Rag.GREEN, Rag.AMBER], ["1", "2"]),
    Decision.EARLY_HELP: ([Rag.AMBER, Rag.GREEN], ["2", "3"]),
    Decision.ASSESSMENT: ([Rag.AMBER, Rag.RED], ["3", "4", "4"]),
    Decision.STRATEGY: ([Rag.RED], ["4"]),
}


@dataclass(frozen=True)
class Source:
    code: str
    weight: int
    words: str  # which concern texts fit (frontdoor_text)
    agency: str  # police, school, health_visiting, trust, gp, housing, council or ""
    channels: dict[str, int]


SOURCES = [
    Source("6", 28, text.POLICE, "police", {Channel.API: 8, Channel.PHONE: 2}),
    Source("2A", 19, text.SCHOOL, "school", {Channel.PROFESSIONAL: 85, Channel.PHONE: 15}),
    Source("2B", 2, text.COUNCIL, "council", {Channel.PHONE: 1}),
    Source("3A", 3, text.GP, "gp", {Channel.PROFESSIONAL: 7, Channel.PHONE: 3}),
    Source(
        "3B", 3, text.HEALTH_VISITING, "health_visiting", {Channel.PROFESSIONAL: 7, Channel.API: 3}
    ),
    Source("3C", 1, text.SCHOOL, "trust", {Channel.PROFESSIONAL: 1}),
    Source("3D", 2, text.HEALTH_VISITING, "trust", {Channel.PROFESSIONAL: 1, Channel.PHONE: 1}),
    Source("3E", 3, text.HOSPITAL, "trust", {Channel.API: 6, Channel.PHONE: 4}),
    Source("3F", 4, text.HOSPITAL, "trust", {Channel.PROFESSIONAL: 6, Channel.API: 4}),
    Source("4", 2, text.HOUSING, "housing", {Channel.PROFESSIONAL: 6, Channel.PHONE: 4}),
    Source("5A", 3, text.COUNCIL, "council", {Channel.PHONE: 1}),
    Source("5B", 1, text.COUNCIL, "council", {Channel.PHONE: 1}),
    Source("5C", 2, text.COUNCIL, "", {Channel.PHONE: 1}),
    Source("5D", 4, text.COUNCIL, "council", {Channel.PHONE: 1}),
    Source("7", 3, text.OTHER, "", {Channel.PHONE: 1}),
    Source("8", 4, text.OTHER, "", {Channel.PHONE: 1}),
    Source("10", 1, text.OTHER, "", {Channel.PHONE: 1}),
    Source("1A", 4, text.PUBLIC, "", {Channel.PUBLIC: 7, Channel.PHONE: 3}),
    Source("1B", 3, text.PUBLIC, "", {Channel.PUBLIC: 8, Channel.PHONE: 2}),
    Source("1C", 1, text.SELF, "", {Channel.PUBLIC: 6, Channel.PHONE: 4}),
    Source("1D", 2, text.PUBLIC, "", {Channel.PUBLIC: 8, Channel.PHONE: 2}),
    Source("9", 2, text.PUBLIC, "", {Channel.PUBLIC: 1}),
]
BY_CODE = {s.code: s for s in SOURCES}
PUBLIC_LABELS: dict[str, str] = {
    ReferralSource.FAMILY: PUBLIC_RELATIONSHIPS["family"][0],
    ReferralSource.ACQUAINTANCE: PUBLIC_RELATIONSHIPS["acquaintance"][0],
    ReferralSource.SELF: PUBLIC_RELATIONSHIPS["self"][0],
    ReferralSource.OTHER_INDIVIDUAL: PUBLIC_RELATIONSHIPS["other"][0],
}
ADULT_LABELS = {
    "mother": "Mother",
    "father": "Father",
    "partner": "Mother's partner",
    "grandparent": "Grandparent",
    "ex_partner": "Mother's former partner",
}


class Quota:
    """Whole contacts from a running fractional share, so totals hit their targets."""

    def __init__(self, start: float) -> None:
        self.owed = start

    def take(self, share: float) -> int:
        self.owed += share
        whole = int(self.owed) if self.owed > 0 else 0
        self.owed -= whole
        return whole


@cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@cache
def _nicknames(given: str) -> tuple[str, ...]:
    """Short forms of a first name, sorted so choices from them are repeatable."""
    key = name_key(given)
    found = set(_nicknamer().nicknames_of(key))
    if given in data.NICKNAMES:
        found.add(name_key(data.NICKNAMES[given]))
    return tuple(sorted(n.capitalize() for n in found if n.isalpha() and n != key))


def typo(name: str, rng: random.Random) -> str:
    """One slip of the keyboard or the ear: neighbouring letters swapped, a letter dropped
    or doubled, or a vowel changed. The first letter is kept: people rarely miss it."""
    letters = [i for i in range(1, len(name)) if name[i].isalpha()]
    if len(letters) < 3:
        return name + name[-1]
    for _ in range(10):
        i = rng.choice(letters)
        kind = rng.choice(["swap", "drop", "double", "vowel"])
        if kind == "swap" and i + 1 < len(name) and name[i + 1].isalpha():
            out = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        elif kind == "drop":
            out = name[:i] + name[i + 1 :]
        elif kind == "double":
            out = name[:i] + name[i] + name[i:]
        elif kind == "vowel" and name[i] in "aeiou":
            out = name[:i] + rng.choice([v for v in "aeiouy" if v != name[i]]) + name[i + 1 :]
        else:
            continue
        if out.lower() != name.lower():
            return out
    return name[:-1] if len(name) > 3 else name + name[-1]


class ContactPlanner:
    """Adds contacts to each planned family as it streams past. Pure: no database."""

    def __init__(
        self, org: OrgPlan, *, seed: int, today: date, persons: int, open_contacts: int
    ) -> None:
        self.rng = random.Random(f"demoshire-contacts-{seed}")
        self.today = today
        self.latest = datetime.combine(today - timedelta(days=1), time(23, 30), tzinfo=LONDON)
        self.open_rate = open_contacts / persons
        self.decided_rate = DECIDED_PER_PERSON
        self.people_seen = float(PRIOR_PEOPLE)
        self.weight_seen = PRIOR_PEOPLE * EXPECTED_MEAN_WEIGHT
        self.open_quota = Quota(self.rng.random())
        self.decided_quota = Quota(self.rng.random())
        self.earlier_quota = Quota(self.rng.random())
        self.not_on_record_quota = Quota(self.rng.random())
        self.references: set[str] = set()
        self.showcase = Counter[str]()
        self.staff = {s.username: s for s in org.staff}
        self.partners: dict[str, list[StaffPlan]] = {}
        for s in org.staff:
            if s.agency != COUNCIL:
                self.partners.setdefault(s.agency, []).append(s)
        self.agency_kind = {a.name: a.kind for a in org.agencies}
        self.mash = [s.username for s in org.mash_workers]
        self.mash_weights = [3 if u == "mash.worker" else 1 for u in self.mash]
        self.managers = [
            s.username for s in org.staff if s.team == MASH and s.role == "team_manager"
        ] + ["team.manager"]

    def attach(self, families: Iterator[PlannedFamily]) -> Iterator[PlannedFamily]:
        for family in families:
            self.plan(family)
            yield family

    def plan(self, fam: PlannedFamily) -> None:
        children = [i for i, p in enumerate(fam.persons) if p.kind == PersonKind.CHILD]
        if not children:
            return
        self._showcase(fam, children)
        rng = self.rng
        share = self._share(fam)
        for _ in range(self.open_quota.take(share * self.open_rate)):
            self._contact(fam, rng.choices(list(OPEN_STATUSES), list(OPEN_STATUSES.values()))[0])
        for _ in range(self.decided_quota.take(share * self.decided_rate)):
            self._contact(fam, Status.DECIDED)

    def _share(self, fam: PlannedFamily) -> float:
        """The family's people, weighted by whether the council knows them, scaled by the
        mean weight so far: totals follow the person count whatever the known share."""
        size = len(fam.persons)
        weight = KNOWN_WEIGHT if fam.known else 1.0
        self.people_seen += size
        self.weight_seen += size * weight
        return size * weight * self.people_seen / self.weight_seen

    # --- contacts -----------------------------------------------------------------------

    def _showcase(self, fam: PlannedFamily, children: list[int]) -> None:
        """The long-history child's open contact (with partner requests for the printed
        partner users to answer), and a few referrals made by the printed partner users."""
        if fam.long_history is not None:
            contact = self._contact(
                fam, Status.IN_TRIAGE, source=BY_CODE["6"], focus=fam.long_history, anchor=True
            )
            self.open_quota.owed -= 1
            contact.assigned_to = "mash.worker"
            for subject in contact.subjects:
                subject.linked_by = "mash.worker" if subject.linked_at else ""
            contact.requests = [
                self._request(contact, fam.primary or TEACHER_SCHOOL, RequestStatus.OPEN),
                self._request(contact, HEALTH_TRUST, RequestStatus.OPEN),
                self._request(contact, POLICE, RequestStatus.ANSWERED),
            ]
        for username, (agency, code) in PARTNER_SHOWCASE.items():
            done = self.showcase[username]
            if done >= len(SHOWCASE_STATUSES):
                continue
            fits = [
                i
                for i in children
                if (
                    fam.persons[i].primary == agency
                    if code == "2A"
                    else fam.persons[i].age < 5 * YEAR
                )
            ]
            if fits:
                self.showcase[username] += 1
                if SHOWCASE_STATUSES[done] != Status.DECIDED:
                    self.open_quota.owed -= 1  # part of the open contacts, not extra
                self._contact(
                    fam,
                    SHOWCASE_STATUSES[done],
                    source=BY_CODE[code],
                    focus=fits[0],
                    referrer=self.staff[username],
                    channel=Channel.PROFESSIONAL,
                )

    def _contact(
        self,
        fam: PlannedFamily,
        status: str,
        *,
        source: Source | None = None,
        focus: int | None = None,
        referrer: StaffPlan | None = None,
        channel: str = "",
        decision: str = "",
        received: datetime | None = None,
        anchor: bool = False,
        earlier: bool = True,
    ) -> PlannedContact:
        """One contact. `anchor`: about `focus`, linked, never a stranger or a repeat."""
        rng = self.rng
        source = source or rng.choices(SOURCES, [s.weight for s in SOURCES])[0]
        children = self._children(fam, source, focus)
        if children is None:
            source, children = BY_CODE["6"], self._children(fam, BY_CODE["6"], focus)
        assert children is not None
        channel = channel or rng.choices(list(source.channels), list(source.channels.values()))[0]
        if status in (Status.DECIDED, Status.AWAITING_SIGN_OFF):
            decision = decision or rng.choices(list(DECISIONS), list(DECISIONS.values()))[0]
        not_on_record = (
            focus is None
            and referrer is None
            and decision not in REFERRAL_DECISIONS
            and self.not_on_record_quota.take(NOT_ON_RECORD_SHARE) > 0
        )
        received = received or self._received(status, channel, fam, children)
        # Only children already born when the worry reached the front door.
        children = [
            children[0],
            *(i for i in children[1:] if fam.persons[i].born < received.date()),
        ]
        agency, user = self._referrer_agency(fam, source, children, channel, referrer)
        if user is None and channel in (Channel.PROFESSIONAL, Channel.API):
            channel = Channel.PHONE  # nobody there to use the form: they rang instead
        contact = PlannedContact(
            reference=self._reference(),
            channel=channel,
            received_at=received,
            submission={},
            subjects=[],
            referrer_user=user.username if user else "",
            referrer_agency=agency,
            status=status,
            decision=decision,
        )
        if channel == Channel.PHONE:  # the caller is the referrer; a MASH worker typed it
            contact.recorded_by = self.mash[sum(map(ord, contact.reference)) % len(self.mash)]
        contact.subjects = self._subjects(
            fam, contact, source, children, not_on_record, link_focus=anchor
        )
        contact.submission = self._submission(fam, contact, source, children, user, not_on_record)
        self._triage(fam, contact, children)
        fam.contacts.append(contact)
        share = (
            EARLIER_REFERRAL_SHARE["open"]
            if status != Status.DECIDED
            else (EARLIER_REFERRAL_SHARE["referral"] if decision in REFERRAL_DECISIONS else 0)
        )
        if (
            earlier
            and share
            and not anchor
            and not not_on_record
            and self.earlier_quota.take(share)
        ):
            self._earlier_referral(fam, contact, children[0])
        return contact

    def _earlier_referral(self, fam: PlannedFamily, later: PlannedContact, child: int) -> None:
        """A referral about the same child some months before: the later one is a
        re-referral."""
        born = fam.persons[child].born
        latest_gap = min(330, (later.received_at.date() - born).days - 1)
        if latest_gap < 20:
            return
        when = later.received_at - timedelta(
            days=self.rng.randint(20, latest_gap), hours=self.rng.randint(0, 6)
        )
        self._contact(
            fam,
            Status.DECIDED,
            focus=child,
            earlier=False,
            received=when,
            decision=self.rng.choice([Decision.ASSESSMENT, Decision.ASSESSMENT, Decision.STRATEGY]),
        )
        self.decided_quota.owed -= 1  # it counts toward the decided contacts

    def _children(self, fam: PlannedFamily, source: Source, focus: int | None) -> list[int] | None:
        """The children the contact is about (the first is the one it centres on), or
        None if this source has nobody in the family to speak about."""
        persons = fam.persons
        children = [i for i, p in enumerate(persons) if p.kind == PersonKind.CHILD]
        if source.agency == "school":
            fits = [i for i in children if persons[i].primary or persons[i].secondary]
        elif source.agency == "health_visiting":
            fits = [i for i in children if persons[i].age < 5 * YEAR]
        else:
            fits = children
        if focus is None:
            if not fits:
                return None
            focus = self.rng.choice(fits)
        others = [i for i in children if i != focus]
        more = self.rng.choices([0, 1, len(others)], [55, 30, 15])[0]
        return [focus, *others[:more]]

    def _received(
        self, status: str, channel: str, fam: PlannedFamily, children: list[int]
    ) -> datetime:
        rng = self.rng
        if status == Status.NEW:
            days = rng.choices([1, 2, 3, 4, 5, 6], [60, 25, 6, 4, 3, 2])[0]
        elif status == Status.IN_TRIAGE:
            days = rng.choices([1, 2, 3, 4, 5, 6, 7], [30, 25, 15, 10, 8, 7, 5])[0]
        elif status == Status.AWAITING_SIGN_OFF:
            days = rng.choice([1, 1, 2, 3])
        else:
            youngest_focus = fam.persons[children[0]].age
            days = rng.randint(3, max(3, min(HISTORY_DAYS, youngest_focus - 1)))
        hours = CHANNEL_HOURS.get(channel, (8, 17))
        return datetime.combine(
            self.today - timedelta(days=days),
            time(rng.randint(*hours), rng.randint(0, 59)),
            tzinfo=LONDON,
        )

    def _reference(self) -> str:
        """Same alphabet and length as `frontdoor.services.new_reference`, but from the
        seeded Random so a seed always gives the same references; never repeated."""
        while True:
            reference = "".join(self.rng.choice(_REFERENCE_ALPHABET) for _ in range(8))
            if reference not in self.references:
                self.references.add(reference)
                return reference

    def _after(self, start: datetime, low_minutes: int, high_minutes: int) -> datetime:
        """A moment a while after `start`, never later than the end of yesterday."""
        later = start + timedelta(minutes=self.rng.randint(low_minutes, high_minutes))
        return min(later, max(start, self.latest))

    # --- who told us, and about whom -----------------------------------------------------

    def _referrer_agency(
        self,
        fam: PlannedFamily,
        source: Source,
        children: list[int],
        channel: str,
        referrer: StaffPlan | None,
    ) -> tuple[str, StaffPlan | None]:
        if referrer is not None:
            return referrer.agency, referrer
        agency = {
            "police": POLICE,
            "health_visiting": HEALTH_TRUST,
            "trust": HEALTH_TRUST,
            "gp": fam.gp,
            "housing": HOUSING,
            "council": COUNCIL,
        }.get(source.agency, "")
        if source.agency == "school":
            child = fam.persons[children[0]]
            agency = child.secondary or child.primary
        if not agency or channel in (Channel.PUBLIC, Channel.PHONE):
            return agency if channel == Channel.PHONE else "", None
        team = HEALTH_VISITING if source.agency == "health_visiting" else ""
        return agency, self._partner(agency, team)

    def _partner(self, agency: str, team: str = "") -> StaffPlan | None:
        staff = self.partners.get(agency, [])
        if team:
            staff = [s for s in staff if s.team == team] or staff
        return self.rng.choice(staff) if staff else None

    def _subjects(
        self,
        fam: PlannedFamily,
        contact: PlannedContact,
        source: Source,
        children: list[int],
        not_on_record: bool,
        link_focus: bool = False,
    ) -> list[PlannedSubject]:
        rng = self.rng
        public = contact.channel == Channel.PUBLIC
        subjects = []
        for position, i in enumerate(children):
            if not_on_record and position == 0:
                subjects.append(
                    PlannedSubject(
                        SubjectRole.CHILD, 0, self._stranger(fam, contact.received_at.date())
                    )
                )
                continue
            linked = self._linked(contact.status, public) or (link_focus and position == 0)
            style = (
                "exact"
                if linked
                else rng.choices(list(DESCRIPTIONS), list(DESCRIPTIONS.values()))[0]
            )
            described = self._describe(fam, i, contact, style, source)
            subjects.append(
                self._link(
                    fam,
                    PlannedSubject(
                        SubjectRole.CHILD, position, described, person=i if linked else None
                    ),
                    contact,
                )
            )
        adults = [
            i
            for i, p in enumerate(fam.persons)
            if p.resident and p.role in ("mother", "father", "partner", "grandparent")
        ]
        if adults and rng.random() < (0.35 if public else 0.65):
            chosen = adults[: rng.choice([1, 1, 2])]
            for position, i in enumerate(chosen):
                linked = (
                    not not_on_record
                    and self._linked(contact.status, public)
                    and rng.random() < 0.8
                )
                person = fam.persons[i]
                given, family = person.current.given, person.current.family
                if not linked and rng.random() < 0.25:
                    family = typo(family, rng)
                described = {
                    "given_name": given if not public or rng.random() < 0.8 else "",
                    "family_name": family,
                    "relationship": ADULT_LABELS.get(person.role, ""),
                }
                subjects.append(
                    self._link(
                        fam,
                        PlannedSubject(
                            SubjectRole.ADULT, position, described, person=i if linked else None
                        ),
                        contact,
                    )
                )
        return subjects

    def _linked(self, status: str, public: bool) -> bool:
        if status in (Status.DECIDED, Status.AWAITING_SIGN_OFF):
            return True
        if status == Status.IN_TRIAGE:
            return self.rng.random() < 0.8
        return not public and self.rng.random() < 0.2

    def _link(
        self, fam: PlannedFamily, subject: PlannedSubject, contact: PlannedContact
    ) -> PlannedSubject:
        if subject.person is not None:
            subject.linked_by = self.rng.choices(self.mash, self.mash_weights)[0]
            subject.linked_at = self._after(contact.received_at, 10, 240)
            _recorded_by(fam, subject.person, subject.linked_at)
        return subject

    def _describe(
        self, fam: PlannedFamily, i: int, contact: PlannedContact, style: str, source: Source
    ) -> dict[str, Any]:
        """A child as the referrer described them, in one of the DESCRIPTIONS styles."""
        rng, person = self.rng, fam.persons[i]
        given, family = person.current.given, person.current.family
        born: date | None = person.date_of_birth
        public = contact.channel == Channel.PUBLIC
        if style == "typo":
            if rng.random() < 0.7:
                family = typo(family, rng)
            else:
                given = typo(given, rng)
        elif style == "nickname" and _nicknames(given):
            given = rng.choice(_nicknames(given))
        elif style == "swapped":
            given, family = family, given
        elif style == "surname":
            others = sorted({n.family for p in fam.persons for n in p.names} - {family})
            family = rng.choice(others) if others else rng.choice(data.BRITISH_SURNAMES)
        if style == "no_dob" or (public and rng.random() < 0.6):
            born = None
        home = self._home(fam, i)
        knows_address = not public or rng.random() < 0.7
        school = ""
        if source.agency == "school" or (not public and rng.random() < 0.4):
            school = person.secondary or person.primary
        return {
            "given_name": given,
            "family_name": family,
            "date_of_birth": born,
            "age_description": "" if born else self._age_words(person, contact.received_at.date()),
            "address_line_1": home[0] if home and knows_address else "",
            "town": home[1] if home and knows_address else "",
            "postcode": home[2] if home and (knows_address or rng.random() < 0.3) else "",
            "school": school,
        }

    def _stranger(self, fam: PlannedFamily, when: date) -> dict[str, Any]:
        """A child the council has no record of (visiting, newly arrived, misnamed)."""
        rng = self.rng
        female = rng.random() < 0.5
        years = rng.randint(1, 16)
        home = fam.residences[0] if fam.residences else None
        return {
            "given_name": rng.choice(data.CHILD_FEMALE if female else data.CHILD_MALE),
            "family_name": rng.choices(data.BRITISH_SURNAMES, data.BRITISH_SURNAME_WEIGHTS)[0],
            "date_of_birth": when - timedelta(days=years * YEAR + rng.randint(0, 300))
            if rng.random() < 0.5
            else None,
            "age_description": f"About {years}",
            "address_line_1": "",
            "town": home.town if home else "",
            "postcode": home.postcode if home and rng.random() < 0.5 else "",
            "school": "",
        }

    @staticmethod
    def _home(fam: PlannedFamily, i: int) -> tuple[str, str, str] | None:
        for home in fam.residences:
            if home.end_date is None and i in home.members:
                return home.line_1, home.town, home.postcode
        return None

    @staticmethod
    def _age_words(person: PlannedPerson, when: date) -> str:
        born = person.date_of_birth or when
        years = max(0, (when - born).days // YEAR)
        if years < 1:
            return "A baby"
        return f"About {years}" if years < 11 else "Teenager"

    # --- what they told us ---------------------------------------------------------------

    def _submission(
        self,
        fam: PlannedFamily,
        contact: PlannedContact,
        source: Source,
        children: list[int],
        user: StaffPlan | None,
        not_on_record: bool,
    ) -> dict[str, Any]:
        """The submission as `clean_submission` would have returned it."""
        rng = self.rng
        public = contact.channel == Channel.PUBLIC
        words = source.words
        concern, factors, urgency = self._concern(
            fam, words, children, not_on_record, contact.received_at.date(), contact.decision
        )
        tried = (
            ""
            if public
            else self._fill(
                fam, rng.choice(text.WHAT_TRIED.get(words, [""])), children, not_on_record
            )
        )
        # A child in danger now is seen to within hours: none is still waiting days later.
        waiting = contact.status != Status.DECIDED
        in_danger = public and rng.random() < 0.05 and not waiting
        if public:
            urgency = "immediate" if in_danger else "routine"
        elif rng.random() < 0.4:  # the referrer's own judgement, mostly routine
            urgency = rng.choices(["immediate", "urgent", "routine"], [5, 25, 70])[0]
        if contact.decision == Decision.STRATEGY and urgency == "routine" and not public:
            urgency = "urgent"
        if waiting and urgency == "immediate":
            urgency = "urgent"
        consent, reason = "", ""
        if not public:
            consent = rng.choices(["given", "refused", "not_sought"], [60, 10, 30])[0]
            if consent == "not_sought":
                reason = rng.choice(
                    [
                        "Telling the family could put the child at greater risk.",
                        "Could not reach the family before referring.",
                    ]
                )
        return {
            "children": [s.described for s in contact.subjects if s.role == SubjectRole.CHILD],
            "adults": [s.described for s in contact.subjects if s.role == SubjectRole.ADULT],
            "in_danger_now": in_danger,
            "concern_summary": concern,
            "concern_factors": [] if public else factors,
            "what_tried": tried,
            "referrer": self._referrer(fam, contact, source, children, user),
            "family_aware": rng.choice(
                ["yes", "no", "not_sure"] if not public else ["yes", "no", "not_sure", ""]
            ),
            "urgency": urgency,
            "consent": consent,
            "consent_not_sought_reason": reason,
            "referral_source": source.code,
        }

    def _concern(
        self,
        fam: PlannedFamily,
        words: str,
        children: list[int],
        not_on_record: bool,
        on: date,
        decision: str,
    ) -> tuple[str, list[str], str]:
        """What the referrer says: one of their kind of worries that fits the child's age on
        the day (a toddler is not quoted; a baby is not drunk in town), about a mother where
        it says "she"."""
        parent = self._parent(fam)
        born = fam.persons[children[0]].date_of_birth  # None: not born yet
        age = max(0, (on - born).days // YEAR) if born else 0
        fitting = text.concerns_for(words, age, decision)
        for _ in range(5):
            template, factors, urgency, _ = self.rng.choice(fitting)
            about_her = " she " in template or " her " in template
            if parent is None or parent.sex == Sex.FEMALE or not about_her:
                break
        return self._fill(fam, template, children, not_on_record), list(factors), urgency

    def _fill(
        self, fam: PlannedFamily, template: str, children: list[int], not_on_record: bool
    ) -> str:
        rng = self.rng
        child = fam.persons[children[0]]
        parent = self._parent(fam)
        partner = next(
            (
                p
                for p in fam.persons
                if p.role in ("partner", "ex_partner")
                or (p.role == "father" and parent and parent.role == "mother")
            ),
            None,
        )
        he, his, _ = PRONOUNS.get(child.sex, THEY)
        values = {
            "child": "the child" if not_on_record else child.current.given,
            "parent": parent.current.given if parent and not not_on_record else "mum",
            "partner": partner.current.given if partner and not not_on_record else "her partner",
            "he": he,
            "his": his,
            "days": rng.randint(4, 15),
            "pct": rng.randint(62, 88),
            "time": f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
            "town": rng.choice(data.TOWNS)[0],
            "months": rng.choice([6, 9, 12, 24]),
            "amount": f"{rng.randint(6, 60) * 50:,}",
        }
        filled = template.format(**values)
        return filled[:1].upper() + filled[1:]

    @staticmethod
    def _parent(fam: PlannedFamily) -> PlannedPerson | None:
        for role in ("mother", "father", "grandparent"):
            for person in fam.persons:
                if person.role == role and person.resident:
                    return person
        return None

    def _referrer(
        self,
        fam: PlannedFamily,
        contact: PlannedContact,
        source: Source,
        children: list[int],
        user: StaffPlan | None,
    ) -> dict[str, Any]:
        rng = self.rng
        blank = {
            "anonymous": False,
            "name": "",
            "relationship": "",
            "wants_contact": False,
            "email": "",
            "phone": "",
        }
        if user is not None:
            return {
                **blank,
                "name": f"{user.first_name} {user.last_name}",
                "relationship": user.job_title,
                "email": user.email,
                "wants_contact": True,
            }
        if source.code == ReferralSource.ANONYMOUS:
            return {**blank, "anonymous": True}
        if source.code == ReferralSource.SELF:
            child = fam.persons[children[0]].current
            given, family = child.given, child.family
        else:
            female = rng.random() < 0.6
            given = rng.choice(data.ADULT_FEMALE if female else data.ADULT_MALE)
            family = rng.choices(data.BRITISH_SURNAMES, data.BRITISH_SURNAME_WEIGHTS)[0]
        relationship = PUBLIC_LABELS.get(source.code, "")
        if not relationship:
            relationship = text.REFERRER_ROLES.get(source.code, "")
            if contact.referrer_agency:
                relationship = f"{relationship or 'Staff member'}, {contact.referrer_agency}"
        wants = contact.channel != Channel.PUBLIC or rng.random() < 0.7
        phone = (
            f"07700 900{rng.randint(0, 999):03d}"
            if rng.random() < 0.5
            else f"01632 960{rng.randint(0, 999):03d}"
        )
        email = f"{name_key(given)}.{name_key(family)}{rng.randint(1, 99)}@example.com"
        return {
            **blank,
            "name": f"{given} {family}",
            "relationship": relationship,
            "wants_contact": wants,
            "email": email if rng.random() < 0.7 else "",
            "phone": phone,
        }

    # --- what the MASH did -------------------------------------------------------------

    def _triage(self, fam: PlannedFamily, contact: PlannedContact, children: list[int]) -> None:
        rng = self.rng
        if contact.status == Status.NEW:
            return
        worker = rng.choices(self.mash, self.mash_weights)[0]
        contact.assigned_to = worker
        for subject in contact.subjects:
            if subject.person is not None:
                subject.linked_by = worker
        if contact.status == Status.IN_TRIAGE:
            if rng.random() < 0.65:
                contact.rag = rng.choices([Rag.RED, Rag.AMBER, Rag.GREEN], [15, 45, 40])[0]
                contact.level_of_need = {
                    Rag.RED: "4",
                    Rag.AMBER: rng.choice("34"),
                    Rag.GREEN: rng.choice("12"),
                }[contact.rag]
        else:
            rags, levels = RATINGS[contact.decision]
            contact.rag, contact.level_of_need = rng.choice(rags), rng.choice(levels)
            late = rng.random() < 0.15
            contact.decided_by = worker
            soonest, usual, latest = DECISION_MINUTES[contact.submission["urgency"]]
            contact.decided_at = self._after(
                contact.received_at, soonest, latest if late else usual
            )
            contact.decision_reasons = self._fill(
                fam, rng.choice(text.DECISION_REASONS[contact.decision]), children, False
            )
            contact.referrer_feedback = text.FEEDBACK[contact.decision]
            if contact.status == Status.DECIDED:
                contact.signed_off_by = rng.choice(self.managers)
                contact.signed_off_at = self._after(contact.decided_at, 20, 6 * 60)
        self._requests(fam, contact)
        self._consents(fam, contact, children)

    def _requests(self, fam: PlannedFamily, contact: PlannedContact) -> None:
        rng = self.rng
        chance = REQUEST_CHANCE.get(contact.status, 0.45)
        if rng.random() >= chance:
            return
        child = next(
            (
                fam.persons[s.person]
                for s in contact.subjects
                if s.person is not None and s.role == SubjectRole.CHILD
            ),
            None,
        )
        school = (child.secondary or child.primary) if child else ""
        options = [a for a in (POLICE, HEALTH_TRUST, school, fam.gp, HOUSING) if a]
        weights = [5, 5, 4, 2, 1][: len(options)] if school else [5, 5, 2, 1]
        asked: list[str] = []
        for _ in range(rng.choice([1, 1, 2, 3])):
            agency = rng.choices(options, weights)[0]
            if agency in asked:
                continue
            asked.append(agency)
            if contact.status == Status.IN_TRIAGE and rng.random() < 0.65:
                status = RequestStatus.OPEN
            else:
                status = RequestStatus.CANCELLED if rng.random() < 0.1 else RequestStatus.ANSWERED
            contact.requests.append(self._request(contact, agency, status))

    def _request(self, contact: PlannedContact, agency: str, status: str) -> PlannedRequest:
        rng = self.rng
        kind = self.agency_kind[agency]
        question, answers = text.QUESTIONS.get(kind, text.QUESTIONS[AgencyKind.HEALTH_TRUST])
        asked_by = contact.assigned_to or self.mash[0]
        asked_at = self._after(contact.received_at, 20, 180)
        urgent = contact.submission.get("urgency") in ("immediate", "urgent")
        request = PlannedRequest(
            agency=agency,
            question=question,
            requested_by=asked_by,
            requested_at=asked_at,
            due_at=information_due_at("4h" if urgent else "next", now=asked_at),
            status=status,
        )
        if status != RequestStatus.ANSWERED:
            return request
        answerer = self._partner(agency)
        request.answer = rng.choice(answers)
        request.answered_by = answerer.username if answerer else ""
        limit = contact.decided_at or self.latest
        request.answered_at = min(self._after(asked_at, 30, 18 * 60), max(asked_at, limit))
        return request

    def _consents(self, fam: PlannedFamily, contact: PlannedContact, children: list[int]) -> None:
        rng = self.rng
        if contact.status == Status.IN_TRIAGE and rng.random() < 0.5:
            return
        given = contact.submission.get("consent")
        if contact.decision == Decision.STRATEGY and rng.random() < 0.7:
            decision = "override"
        elif given in ("given", "refused"):
            decision = given
        else:
            decision = rng.choice(["given", "not_needed", "override"])
        reason = self._fill(fam, rng.choice(text.CONSENT_REASONS[decision]), children, False)
        contact.consents.append(
            PlannedConsent(
                decision=decision,
                reason=reason,
                recorded_by=contact.assigned_to,
                recorded_at=self._after(contact.received_at, 15, 300),
            )
        )


def _recorded_by(fam: PlannedFamily, i: int, linked_at: datetime) -> None:
    """A record must exist before a worker links a contact to it: if the plan created it
    later, it was created just before the link (its creation entry moves with it)."""
    person = fam.persons[i]
    if person.created_at is None or person.created_at <= linked_at:
        return
    earliest = datetime.combine(person.date_of_birth or linked_at.date(), time(9), tzinfo=LONDON)
    created = max(earliest, linked_at - timedelta(minutes=5))
    for event in fam.events:
        if event.event_type == people_events.PERSON_CREATED and event.persons == [i]:
            event.occurred_at = created
    person.created_at = created


# --- loading -------------------------------------------------------------------------------

CONTACT_COLUMNS = (
    "reference",
    "channel",
    "referral_source",
    "received_at",
    "decision_due_at",
    "payload_hash",
    "submission",
    "referrer_user_id",
    "referrer_agency_id",
    "recorded_by_id",
    "referrer_name",
    "referrer_relationship",
    "referrer_email",
    "referrer_phone",
    "wants_contact",
    "concern_summary",
    "in_danger_now",
    "concern_factors",
    "what_tried",
    "family_aware",
    "consent",
    "consent_not_sought_reason",
    "urgency",
    "urgency_rank",
    "status",
    "assigned_to_id",
    "rag",
    "level_of_need",
    "decision",
    "decision_reasons",
    "primary_need",
    "referrer_feedback",
    "decided_by_id",
    "decided_at",
    "signed_off_by_id",
    "signed_off_at",
    "closed_at",
    "created_at",
    "updated_at",
)
SUBJECT_COLUMNS = (
    "contact_id",
    "role",
    "position",
    "given_name",
    "family_name",
    "date_of_birth",
    "age_description",
    "relationship",
    "address_line_1",
    "town",
    "postcode",
    "school",
    "expected_date_of_birth",
    "relationship_to_child",
    "nhs_number",
    "upn",
    "person_id",
    "linked_by_id",
    "linked_at",
    "created_at",
    "updated_at",
)
REQUEST_COLUMNS = (
    "contact_id",
    "agency_id",
    "question",
    "due_at",
    "requested_by_id",
    "status",
    "answer",
    "answered_by_id",
    "answered_at",
    "created_at",
    "updated_at",
)
CONSENT_COLUMNS = ("contact_id", "decision", "reason", "recorded_by_id", "created_at", "updated_at")
ENTRY_COLUMNS = (
    "occurred_at",
    "time_known",
    "done_by_id",
    "done_by_label",
    "source_agency_id",
    "recorded_at",
    "recorded_by_id",
    "event_type",
    "category",
    "significance",
    "summary",
    "source_type",
    "source_id",
)
LINK_COLUMNS = ("entry_id", "person_id", "occurred_at")
FRONT_DOOR_TABLES = [Contact, ContactSubject, InformationRequest, ConsentRecord]


def write_contacts(loader: Any, planned: list[tuple[PlannedFamily, list[int]]]) -> None:
    """Insert the batch's contacts, their subjects, requests, consents and the chronology
    entries the real services would have written, with the loader's writer."""
    insert, users, agencies = loader.writer.insert, loader.users, loader.agencies
    rows = [(c, pks) for fam, pks in planned for c in fam.contacts]
    contact_ids = insert(
        Contact, CONTACT_COLUMNS, [_contact_row(c, users, agencies) for c, _ in rows]
    )
    subjects = [
        (pk, c, s, pks) for pk, (c, pks) in zip(contact_ids, rows, strict=True) for s in c.subjects
    ]
    insert(
        ContactSubject,
        SUBJECT_COLUMNS,
        [
            (
                pk,
                str(s.role),
                s.position,
                s.described["given_name"],
                s.described["family_name"],
                s.described.get("date_of_birth"),
                s.described.get("age_description", ""),
                s.described.get("relationship", ""),
                s.described.get("address_line_1", ""),
                s.described.get("town", ""),
                s.described.get("postcode", ""),
                s.described.get("school", ""),
                s.described.get("expected_date_of_birth"),
                s.described.get("relationship_to_child", ""),
                s.described.get("nhs_number", ""),
                s.described.get("upn", ""),
                pks[s.person] if s.person is not None else None,
                users.get(s.linked_by),
                s.linked_at,
                c.received_at,
                s.linked_at or c.received_at,
            )
            for pk, c, s, pks in subjects
        ],
    )
    requests = [
        (pk, c, r, pks) for pk, (c, pks) in zip(contact_ids, rows, strict=True) for r in c.requests
    ]
    request_ids = insert(
        InformationRequest,
        REQUEST_COLUMNS,
        [
            (
                pk,
                agencies[r.agency],
                r.question,
                r.due_at,
                users[r.requested_by],
                str(r.status),
                r.answer,
                users.get(r.answered_by),
                r.answered_at,
                r.requested_at,
                r.answered_at or r.requested_at,
            )
            for pk, c, r, _ in requests
        ],
    )
    insert(
        ConsentRecord,
        CONSENT_COLUMNS,
        [
            (pk, k.decision, k.reason, users[k.recorded_by], k.recorded_at, k.recorded_at)
            for pk, (c, _) in zip(contact_ids, rows, strict=True)
            for k in c.consents
        ],
    )
    entries = _chronology(rows, contact_ids, requests, request_ids, users, agencies)
    entry_ids = insert(ChronologyEntry, ENTRY_COLUMNS, [e for e, _ in entries])
    links = insert(
        ChronologyLink,
        LINK_COLUMNS,
        [
            (entry_id, person, entry[0])
            for entry_id, (entry, people) in zip(entry_ids, entries, strict=True)
            for person in people
        ],
    )
    counts = loader.counts
    counts["contacts"] += len(contact_ids)
    counts["open_contacts"] += sum(1 for c, _ in rows if c.status != Status.DECIDED)
    counts["contact_subjects"] += len(subjects)
    counts["information_requests"] += len(request_ids)
    counts["entries"] += len(entry_ids)
    counts["links"] += len(links)


def _contact_row(c: PlannedContact, users: dict[str, int], agencies: dict[str, int]) -> tuple:
    sub = json.loads(json.dumps(c.submission, default=str))
    referrer = sub["referrer"]
    payload_hash = hashlib.sha256(json.dumps(sub, sort_keys=True).encode()).hexdigest()
    # As contact_submit stores them: a telephone caller is named, never linked to an
    # account or agency (the MASH worker who took the call is).
    online = c.channel in (Channel.PROFESSIONAL, Channel.API)
    return (
        c.reference,
        str(c.channel),
        sub["referral_source"],
        c.received_at,
        c.decision_due_at,
        payload_hash,
        sub,
        users.get(c.referrer_user) if online else None,
        agencies.get(c.referrer_agency) if online else None,
        users.get(c.recorded_by),
        referrer["name"],
        referrer["relationship"],
        referrer["email"],
        referrer["phone"],
        referrer["wants_contact"] or online,
        sub["concern_summary"],
        sub["in_danger_now"],
        sub["concern_factors"],
        sub["what_tried"],
        sub["family_aware"],
        sub["consent"],
        sub["consent_not_sought_reason"],
        sub["urgency"],
        URGENCY_RANK[sub["urgency"]],
        str(c.status),
        users.get(c.assigned_to),
        str(c.rag),
        c.level_of_need,
        str(c.decision),
        c.decision_reasons,
        c.primary_need,
        c.referrer_feedback,
        users.get(c.decided_by),
        c.decided_at,
        users.get(c.signed_off_by),
        c.signed_off_at,
        c.closed_at,
        c.received_at,
        c.updated_at,
    )


def _chronology(
    rows: list[tuple[PlannedContact, list[int]]],
    contact_ids: list[int],
    requests: list[tuple],
    request_ids: list[int],
    users: dict[str, int],
    agencies: dict[str, int],
) -> list[tuple[tuple, list[int]]]:
    """What linking, deciding, signing off and partner answers put on the people's
    chronologies, credited as the services credit them."""
    council = agencies[COUNCIL]
    out: list[tuple[tuple, list[int]]] = []
    for pk, (c, pks) in zip(contact_ids, rows, strict=True):
        source = ReferralSource(c.submission["referral_source"]).label
        first_line = _first_line(c.submission["concern_summary"])
        received = _Entry(events.CONTACT_RECEIVED, int(Significance.MEDIUM), pk)
        for s in c.subjects:
            if s.person is not None and s.role == SubjectRole.CHILD:
                summary = f"Contact {c.reference} from {source}: {first_line}"
                out.append(
                    (
                        received.row(c.received_at, summary, **_referrer(c, users, agencies)),
                        [pks[s.person]],
                    )
                )
        children = [
            pks[s.person]
            for s in c.subjects
            if s.person is not None and s.role == SubjectRole.CHILD
        ]
        if c.status != Status.DECIDED or not children or c.decided_at is None:
            continue
        label = Decision(c.decision).label
        significance = Significance.HIGH if c.decision in REFERRAL_DECISIONS else Significance.LOW
        decided = _Entry(events.CONTACT_DECISION, int(significance), pk)
        summary = f"MASH decision on contact {c.reference}: {label}"
        decider = users.get(c.decided_by)
        out.append((decided.row(c.decided_at, summary, decider, council, decider), children))
        if c.signed_off_at is not None:
            signed = _Entry(events.CONTACT_DECISION_SIGNED_OFF, int(Significance.LOW), pk)
            summary = f"Decision on contact {c.reference} signed off: {label}"
            signer = users.get(c.signed_off_by)
            out.append((signed.row(c.signed_off_at, summary, signer, council, signer), children))
    for request_id, (_, c, r, pks) in zip(request_ids, requests, strict=True):
        linked = sorted({pks[s.person] for s in c.subjects if s.person is not None})
        if r.status == RequestStatus.ANSWERED and linked and r.answered_at is not None:
            answered = _Entry(events.PARTNER_INFORMATION, int(Significance.MEDIUM), request_id)
            answered.source_type = "frontdoor.InformationRequest"
            summary = f"{r.agency} answered the MASH: {_first_line(r.answer)}"
            answerer = users.get(r.answered_by)
            row = answered.row(r.answered_at, summary, answerer, agencies[r.agency], answerer)
            out.append((row, linked))
    return out


class _Entry:
    """One kind of chronology row for one source record (a contact unless said otherwise)."""

    def __init__(self, code: str, significance: int, source_pk: int) -> None:
        self.code, self.significance, self.source_pk = code, significance, source_pk
        self.source_type = "frontdoor.Contact"

    def row(
        self,
        at: datetime,
        summary: str,
        done_by: int | None,
        agency: int | None,
        recorded_by: int | None,
        *,
        label: str = "",
        recorded_at: datetime | None = None,
    ) -> tuple:
        # In ENTRY_COLUMNS' order.
        return (
            at,
            True,
            done_by,
            label,
            agency,
            recorded_at or at,
            recorded_by,
            self.code,
            _category(self.code),
            self.significance,
            summary,
            self.source_type,
            str(self.source_pk),
        )


def _referrer(c: PlannedContact, users: dict[str, int], agencies: dict[str, int]) -> dict[str, Any]:
    """As `frontdoor.services` credits a contact: the professional who referred online and
    their agency, else the referrer as `referrer_label` describes them (never naming a
    private individual); entered by the professional, the MASH worker who took the call, or
    nobody signed in (the public form)."""
    if c.channel in (Channel.PROFESSIONAL, Channel.API):
        staff = users.get(c.referrer_user)
        return {"done_by": staff, "agency": agencies.get(c.referrer_agency), "recorded_by": staff}
    label = referrer_label(
        channel=c.channel,
        referral_source=c.submission["referral_source"],
        referrer_name=c.submission["referrer"]["name"],
    )
    recorder = users.get(c.recorded_by) if c.channel == Channel.PHONE else None
    return {"done_by": None, "agency": None, "recorded_by": recorder, "label": label}


@cache
def _category(code: str) -> str:
    return registry.get(code).category


def _first_line(words: str, limit: int = 140) -> str:
    line = words.strip().splitlines()[0] if words.strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"
