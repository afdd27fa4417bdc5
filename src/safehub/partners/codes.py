"""The closed vocabulary of partner events: every type a partner may send, the kind of agency
that sends it, what else it must carry, and its plain-English label.

An agency sends only its own kind's types: a school cannot report an arrest, the police
cannot report an exclusion. Each type is also a chronology event (`events.py` declares them
from this list), so a filed event lands on the timeline under its own label.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from django.db import models

from safehub.organisations.models import AgencyKind


class Sector(enum.StrEnum):
    """The kinds of agency that send partner events, as the vocabulary groups them."""

    EDUCATION = "education"
    POLICE = "police"
    HEALTH = "health"
    HOUSING = "housing"
    ADULT_SERVICES = "adult_services"


SECTOR_LABELS = {
    Sector.EDUCATION: "Education",
    Sector.POLICE: "Police",
    Sector.HEALTH: "Health",
    Sector.HOUSING: "Housing",
    Sector.ADULT_SERVICES: "Adult services",
}

# Which agencies belong to which sector. A council, a voluntary group or an "other" agency
# sends no partner events (the council records its own work in SafeHub directly).
SECTOR_OF_KIND: dict[str, Sector] = {
    AgencyKind.SCHOOL: Sector.EDUCATION,
    AgencyKind.POLICE: Sector.POLICE,
    AgencyKind.GP_PRACTICE: Sector.HEALTH,
    AgencyKind.HEALTH_TRUST: Sector.HEALTH,
    AgencyKind.HOUSING: Sector.HOUSING,
    AgencyKind.ADULT_SERVICES: Sector.ADULT_SERVICES,
}

# The chronology's categories (chronology.models.Category) for each sector. Adult services
# report on the adults a child lives with, so their events read as family and household.
CATEGORY_OF_SECTOR = {
    Sector.EDUCATION: "education",
    Sector.POLICE: "police",
    Sector.HEALTH: "health",
    Sector.HOUSING: "housing",
    Sector.ADULT_SERVICES: "family",
}


class Needs(enum.Flag):
    """What a type must carry besides the common fields."""

    NOTHING = 0
    PERIOD = enum.auto()  # period_start, period_end and attendance_percent
    REASON = enum.auto()  # reason (why they attended)


@dataclass(frozen=True)
class PartnerEventType:
    code: str  # as partners send it: lower_snake
    label: str
    sector: Sector
    needs: Needs = Needs.NOTHING
    # An unplanned attendance: the allocated social worker of a child on a plan or in care
    # hears of it at once.
    unscheduled: bool = False
    # Highest attendance (percent) the type allows: persistent absence is 10% of sessions
    # missed or more, severe absence 50% or more (DfE definitions).
    attendance_at_most: float | None = None
    # About a baby not yet born: the date may come before the child's date of birth.
    pre_birth: bool = False

    @property
    def chronology_code(self) -> str:
        return f"PARTNER_{self.code.upper()}"

    @property
    def category(self) -> str:
        return CATEGORY_OF_SECTOR[self.sector]


_E, _P, _H, _HO, _A = (
    Sector.EDUCATION,
    Sector.POLICE,
    Sector.HEALTH,
    Sector.HOUSING,
    Sector.ADULT_SERVICES,
)

EVENT_TYPES: tuple[PartnerEventType, ...] = (
    # Education
    PartnerEventType("attendance", "School attendance for a period", _E, Needs.PERIOD),
    PartnerEventType(
        "persistent_absence", "Persistent absence", _E, Needs.PERIOD, attendance_at_most=90
    ),
    PartnerEventType("severe_absence", "Severe absence", _E, Needs.PERIOD, attendance_at_most=50),
    PartnerEventType("suspension", "Suspension from school", _E),
    PartnerEventType("permanent_exclusion", "Permanent exclusion from school", _E),
    PartnerEventType("ehe_registered", "Registered for elective home education", _E),
    PartnerEventType("ehe_ended", "Elective home education ended", _E),
    PartnerEventType("child_missing_education", "Child missing education", _E),
    PartnerEventType(
        "dsl_welfare_concern", "Welfare concern from the designated safeguarding lead", _E
    ),
    # Police
    PartnerEventType("domestic_abuse_child_present", "Domestic abuse incident: child present", _P),
    PartnerEventType(
        "domestic_abuse_child_in_household",
        "Domestic abuse incident: child lives in the household",
        _P,
    ),
    PartnerEventType("missing_episode", "Reported missing", _P),
    PartnerEventType("return_from_missing", "Returned from missing", _P),
    PartnerEventType("exploitation_intelligence", "Intelligence about exploitation", _P),
    PartnerEventType("household_adult_arrested", "Adult in the household arrested", _P),
    PartnerEventType("household_adult_released", "Adult in the household released", _P),
    # Health
    PartnerEventType(
        "ed_attendance",
        "Emergency department attendance",
        _H,
        Needs.REASON,
        unscheduled=True,
    ),
    PartnerEventType("was_not_brought", "Was not brought to a health appointment", _H),
    PartnerEventType("health_visitor_contact", "Health visitor contact", _H),
    PartnerEventType("pre_birth_concern", "Pre-birth concern", _H, pre_birth=True),
    PartnerEventType(
        "unscheduled_attendance",
        "Unscheduled health attendance (urgent care, walk-in or out of hours)",
        _H,
        Needs.REASON,
        unscheduled=True,
    ),
    # Housing
    PartnerEventType("eviction_notice", "Eviction notice served", _HO),
    PartnerEventType("temporary_accommodation", "Placed in temporary accommodation", _HO),
    PartnerEventType("overcrowding", "Overcrowded housing", _HO),
    # Adult services, about the adults in a child's household
    PartnerEventType("substance_misuse", "Adult in treatment for substance misuse", _A),
    PartnerEventType("mental_health_crisis", "Adult mental-health crisis", _A),
    PartnerEventType("probation", "Adult under probation supervision", _A),
)
BY_CODE: dict[str, PartnerEventType] = {t.code: t for t in EVENT_TYPES}


def types_for_kind(agency_kind: str) -> list[PartnerEventType]:
    """The types an agency of this kind may send (none for a council or voluntary group)."""
    sector = SECTOR_OF_KIND.get(agency_kind)
    return [t for t in EVENT_TYPES if t.sector == sector] if sector else []


def type_label(code: str) -> str:
    found = BY_CODE.get(code)
    return found.label if found else code


class Significance(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


# The chronology's significance (chronology.models.Significance) for each.
CHRONOLOGY_SIGNIFICANCE = {Significance.LOW: 1, Significance.MEDIUM: 2, Significance.HIGH: 3}


class MatchState(models.TextChoices):
    MATCHED_BY_IDENTIFIER = "identifier", "Matched by NHS number or UPN"
    MATCHED_BY_WORKER = "worker", "Matched by a MASH worker"
    AWAITING = "awaiting", "Waiting to be matched"
    SENT_BACK = "sent_back", "Sent back"


class Channel(models.TextChoices):
    API = "api", "API"
    CSV = "csv", "CSV upload"
