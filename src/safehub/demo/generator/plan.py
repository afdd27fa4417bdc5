"""Plain records the planners produce and the loader writes. Person references inside a
family are indexes into `PlannedFamily.persons`; staff and agencies are referred to by
username and name, so a plan never depends on database ids."""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from safehub.frontdoor.codes import REFERRAL_DECISIONS
from safehub.frontdoor.services import decision_due
from safehub.people.codes import Sex

# (he, his, him) by sex; anyone else is "they".
PRONOUNS: dict[str, tuple[str, str, str]] = {
    Sex.MALE: ("he", "his", "him"),
    Sex.FEMALE: ("she", "her", "her"),
}
THEY = ("they", "their", "them")


# Children in need by primary need, roughly as in England (per cent; N7 and N9 rare).
PRIMARY_NEEDS = {"N1": 58, "N2": 9, "N3": 3, "N4": 8, "N5": 16, "N6": 2, "N8": 4}


def steady_pick(weighted: dict[str, int], key: int) -> str:
    """A weighted choice made from `key` rather than the demo's random stream, so adding it
    moves nothing else in the council."""
    point = key % sum(weighted.values())
    for value, weight in weighted.items():
        if point < weight:
            return value
        point -= weight
    raise AssertionError("unreachable")


@dataclass
class PlannedName:
    kind: str
    given: str
    middle: str
    family: str


@dataclass
class PlannedPerson:
    kind: str
    sex: str
    gender_current: str
    date_of_birth: date | None
    expected_date_of_birth: date | None
    ethnicity: str
    names: list[PlannedName]  # names[0] is the current name
    first_language: str = ""
    interpreter_needed: bool = False
    date_of_birth_estimated: bool = False
    disabilities: list[str] = field(default_factory=list)
    nhs_number: str = ""
    upn: str = ""
    upn_unknown: str = ""  # why a child has no UPN (census UPNunknown)
    is_restricted: bool = False
    restriction_reason: str = ""
    created_at: datetime | None = None
    # Planning only: which school they attend (agency names) and whether they live here.
    primary: str = ""
    secondary: str = ""
    resident: bool = True
    role: str = ""  # mother, father, partner, ex_partner, child, grandparent
    age: int = 0  # days old on the reference date; negative for the unborn

    @property
    def current(self) -> PlannedName:
        return self.names[0]

    @property
    def born(self) -> date:
        """The date of birth of someone already born (the unborn have only `due`)."""
        if self.date_of_birth is None:
            raise ValueError(f"{self.role or self.kind} {self.current.given} is not born yet")
        return self.date_of_birth

    @property
    def due(self) -> date:
        """The expected date of birth of an unborn child."""
        if self.expected_date_of_birth is None:
            raise ValueError(f"{self.role or self.kind} {self.current.given} has no due date")
        return self.expected_date_of_birth

    @property
    def recorded_at(self) -> datetime:
        """When the record was created, once the planner has said (`created_at`)."""
        if self.created_at is None:
            raise ValueError(f"{self.current.given}'s record has no creation time yet")
        return self.created_at


@dataclass
class PlannedRelationship:
    subject: int
    other: int
    type: str
    pair_key: uuid.UUID
    has_parental_responsibility: bool = False
    start_date: date | None = None
    end_date: date | None = None


@dataclass
class PlannedResidence:
    """One address and the household living there for a period."""

    line_1: str
    line_2: str
    town: str
    postcode: str
    start_date: date
    end_date: date | None
    members: list[int]


@dataclass
class PlannedInvolvement:
    person: int
    kind: str
    start_date: date
    user: str = ""
    team: tuple[str, str] | None = None  # (agency name, team name)
    agency: str = ""
    end_date: date | None = None


@dataclass
class PlannedEvent:
    event_type: str
    occurred_at: datetime
    persons: list[int]
    summary: str
    significance: int = 1
    agency: str = ""
    recorded_by: str = ""
    source_type: str = ""
    source_id: str = ""  # "" with source_type "people.Person": the loader puts the pk in
    time_known: bool = True  # False: known by its date alone, placed at midday


@dataclass
class PlannedSubject:
    """A child or adult named in a contact. `described` is what the referrer told us, in
    the shape `frontdoor.validation.clean_submission` returns; `person` is the family
    member a MASH worker linked them to, if anyone has yet."""

    role: str
    position: int
    described: dict[str, Any]
    person: int | None = None
    linked_by: str = ""
    linked_at: datetime | None = None


@dataclass
class PlannedRequest:
    agency: str
    question: str
    requested_by: str
    requested_at: datetime
    due_at: datetime
    status: str
    answer: str = ""
    answered_by: str = ""
    answered_at: datetime | None = None


@dataclass
class PlannedConsent:
    decision: str
    reason: str
    recorded_by: str
    recorded_at: datetime


@dataclass
class PlannedContact:
    """A worry that reached the front door, with what the MASH has done about it so far.
    `submission` is the cleaned submission (children and adults come from `subjects`)."""

    reference: str
    channel: str
    received_at: datetime
    submission: dict[str, Any]
    subjects: list[PlannedSubject]
    referrer_user: str = ""
    referrer_agency: str = ""
    recorded_by: str = ""  # the MASH worker who took a telephone contact
    status: str = "new"
    assigned_to: str = ""
    rag: str = ""
    level_of_need: str = ""
    decision: str = ""
    decision_reasons: str = ""
    referrer_feedback: str = ""
    decided_by: str = ""
    decided_at: datetime | None = None
    signed_off_by: str = ""
    signed_off_at: datetime | None = None
    requests: list[PlannedRequest] = field(default_factory=list)
    consents: list[PlannedConsent] = field(default_factory=list)

    @property
    def primary_need(self) -> str:
        """An accepted referral's primary need, as the MASH recorded it (census 8610)."""
        if self.decision not in REFERRAL_DECISIONS:
            return ""
        return steady_pick(PRIMARY_NEEDS, int(self.received_at.timestamp()) // 60)

    @property
    def decision_due_at(self) -> datetime:
        """As `contact_submit` sets it: the product's clock for the contact's urgency."""
        return decision_due(self.received_at, self.submission["urgency"])

    @property
    def closed_at(self) -> datetime | None:
        return self.signed_off_at if self.status == "decided" else None

    @property
    def updated_at(self) -> datetime:
        times = [
            self.received_at,
            self.decided_at,
            self.signed_off_at,
            *(s.linked_at for s in self.subjects),
        ]
        return max(t for t in times if t is not None)


def school_at(person: PlannedPerson, age: int) -> str:
    """The school (an agency's name) a child of `age` days attends: none before the
    September after they turn four (about four and a half), their primary until eleven, then
    their secondary until eighteen if they stay on; "" for anyone else."""
    year = 365
    if age < 4 * year + 180:
        return ""
    if age >= 11 * year:
        return person.secondary if age < 18 * year else ""
    return person.primary


@dataclass
class PlannedFamily:
    index: int
    town: str
    primary: str = ""  # the school, secondary school and GP practice the family uses
    secondary: str = ""
    gp: str = ""
    together_since: date | None = None  # the couple at the heart of it set up home after this
    persons: list[PlannedPerson] = field(default_factory=list)
    relationships: list[PlannedRelationship] = field(default_factory=list)
    residences: list[PlannedResidence] = field(default_factory=list)
    involvements: list[PlannedInvolvement] = field(default_factory=list)
    # (person, username on the allow-list, username who granted it)
    restricted_access: list[tuple[int, str, str]] = field(default_factory=list)
    events: list[PlannedEvent] = field(default_factory=list)
    created_by: str = ""
    allocated_to: str = ""
    long_history: int | None = None  # the person with the long chronology, if any
    contacts: list[PlannedContact] = field(default_factory=list)  # front-door contacts
    casework: Any = None  # casework records (casework_records.FamilyCasework)

    @property
    def known(self) -> bool:
        return bool(self.allocated_to)

    def children(self) -> list[int]:
        return [i for i, p in enumerate(self.persons) if p.role == "child"]
