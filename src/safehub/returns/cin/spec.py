"""The CIN census file, year by year: the element tree (names, order, how many, which code set
or type each holds) and the code sets, from shared/domain/reference.md section 1 and the
SafeHub code sets in `casework.codes` and `people.codes`. The XSD (`schema.py`), the census
writer (`export.py`) and the reader (`tables.py`) all follow this one description, so they
cannot disagree about the order of an element or a code.

Years are named by the census year they cover ("2024-25": 1 April 2024 to 31 March 2025;
the header's Year is the year it ends, 2025, and its ReferenceDate 31 March of that year).
2024-25 replaced GenderCurrent (0/1/2/9) with Sex (M/F/U). The published validator carries
2025-26 with no change of rules or structure, so 2025-26 is described by the same tree; the
pre-proceedings module seen in draft test files is not in either year until the DfE
specification is confirmed (reference.md 1.4)."""

from dataclasses import dataclass
from datetime import date

from safehub.casework.codes import (
    ASSESSMENT_FACTORS,
    CategoryOfAbuse,
    ClosureReason,
    PrimaryNeed,
    ReferralSource,
)
from safehub.people.codes import Disability, Ethnicity, Sex


@dataclass(frozen=True)
class Leaf:
    """An element that holds a value: its type is a code set's name or a base type."""

    name: str
    type: str
    required: bool = False
    repeats: bool = False


@dataclass(frozen=True)
class Group:
    """An element that holds others, in this order."""

    name: str
    parts: tuple["Leaf | Group", ...]
    required: bool = False
    repeats: bool = False


# Base types: "date" (YYYY-MM-DD), "bool" (true/false/TRUE/FALSE/1/0), "int" (0 or more),
# "text" (any), "childid" (1 to 50 characters; rules 1570/1580 say more), "upn", "year".
YES_NO = ("true", "false", "TRUE", "FALSE", "1", "0")

# Factors 18A and 19A were split into B/C variants in the 2021 schema; files may still
# carry them, and from 2024-25 queries 8945Q and 8950Q ask about them.
RETIRED_FACTORS = ("18A", "19A")
NO_FACTORS = "21"
# Closed after assessment: with no further action (RC8) or referred to early help (RC9).
NFA_CLOSURES = ("RC8", "RC9")

CODE_SETS: dict[str, tuple[str, ...]] = {
    "referral_source": tuple(ReferralSource.values),
    "primary_need": tuple(PrimaryNeed.values),
    "closure_reason": tuple(ClosureReason.values),
    "category_of_abuse": tuple(CategoryOfAbuse.values),
    "factor": (*ASSESSMENT_FACTORS, NO_FACTORS, *RETIRED_FACTORS),
    "disability": tuple(Disability.values),
    "ethnicity": tuple(Ethnicity.values),
    "sex": tuple(Sex.values),
    # UN1-UN7 are all valid in the file; SafeHub offers UN1-UN5 by hand and derives UN7.
    "upn_unknown": tuple(f"UN{n}" for n in range(1, 8)),
}

CHILD = Group(
    "Child",
    (
        Group(
            "ChildIdentifiers",
            (
                Leaf("LAchildID", "childid", required=True),
                Leaf("UPN", "upn"),
                Leaf("FormerUPN", "upn"),
                Leaf("UPNunknown", "upn_unknown"),
                Leaf("PersonBirthDate", "date"),
                Leaf("ExpectedPersonBirthDate", "date"),
                Leaf("Sex", "sex", required=True),
                Leaf("PersonDeathDate", "date"),
            ),
            required=True,
        ),
        Group(
            "ChildCharacteristics",
            (
                Leaf("Ethnicity", "ethnicity", required=True),
                Group(
                    "Disabilities",
                    (Leaf("Disability", "disability", required=True, repeats=True),),
                ),
            ),
            required=True,
        ),
        Group(
            "CINdetails",
            (
                Leaf("CINreferralDate", "date", required=True),
                Leaf("ReferralSource", "referral_source", required=True),
                Leaf("PrimaryNeedCode", "primary_need"),
                Leaf("CINclosureDate", "date"),
                Leaf("ReasonForClosure", "closure_reason"),
                Leaf("DateOfInitialCPC", "date"),
                Leaf("ReferralNFA", "bool", required=True),
                Group(
                    "Assessments",
                    (
                        Leaf("AssessmentActualStartDate", "date", required=True),
                        Leaf("AssessmentInternalReviewDate", "date"),
                        Leaf("AssessmentAuthorisationDate", "date"),
                        Group(
                            "FactorsIdentifiedAtAssessment",
                            (Leaf("AssessmentFactors", "factor", required=True, repeats=True),),
                        ),
                    ),
                    repeats=True,
                ),
                Group(
                    "CINPlanDates",
                    (
                        Leaf("CINPlanStartDate", "date", required=True),
                        Leaf("CINPlanEndDate", "date"),
                    ),
                    repeats=True,
                ),
                Group(
                    "Section47",
                    (
                        Leaf("S47ActualStartDate", "date", required=True),
                        Leaf("InitialCPCtarget", "date"),
                        Leaf("DateOfInitialCPC", "date"),
                        Leaf("ICPCnotRequired", "bool", required=True),
                    ),
                    repeats=True,
                ),
                Group(
                    "ChildProtectionPlans",
                    (
                        Leaf("CPPstartDate", "date", required=True),
                        Leaf("CPPendDate", "date"),
                        Leaf("InitialCategoryOfAbuse", "category_of_abuse"),
                        Leaf("LatestCategoryOfAbuse", "category_of_abuse"),
                        Leaf("NumberOfPreviousCPP", "int"),
                        Group(
                            "Reviews", (Leaf("CPPreviewDate", "date", required=True, repeats=True),)
                        ),
                    ),
                    repeats=True,
                ),
            ),
            required=True,
            repeats=True,
        ),
    ),
    required=True,
    repeats=True,
)

HEADER = Group(
    "Header",
    (
        Group(
            "CollectionDetails",
            (
                Leaf("Collection", "collection", required=True),
                Leaf("Year", "year", required=True),
                Leaf("ReferenceDate", "date", required=True),
            ),
            required=True,
        ),
        Group(
            "Source",
            (
                Leaf("SourceLevel", "source_level", required=True),
                Leaf("LEA", "lea", required=True),
                Leaf("SoftwareCode", "text", required=True),
                Leaf("Release", "text", required=True),
                Leaf("SerialNo", "serial", required=True),
                Leaf("DateTime", "datetime", required=True),
            ),
            required=True,
        ),
    ),
    required=True,
)

ROOT = "Message"


@dataclass(frozen=True)
class CensusYear:
    name: str  # "2024-25"
    start: date
    end: date  # the ReferenceDate
    xsd: str  # file name in xsd/

    @property
    def header_year(self) -> int:
        return self.end.year


def _year(first: int) -> CensusYear:
    name = f"{first}-{(first + 1) % 100:02d}"
    return CensusYear(
        name, date(first, 4, 1), date(first + 1, 3, 31), f"cin_{first}_{first + 1 - 2000}.xsd"
    )


YEARS: dict[str, CensusYear] = {y.name: y for y in (_year(2024), _year(2025))}
LATEST = "2025-26"


def live_year(day: date) -> CensusYear:
    """The census year `day` falls in, cut at `day`, for checking the live records as they
    stand (ADR 0043): its own dates, with the rules and format of the year SafeHub knows for
    it, or of the latest it knows (a year the DfE has not changed carries the last one's)."""
    first = day.year if day >= date(day.year, 4, 1) else day.year - 1
    known = YEARS.get(_year(first).name) or YEARS[LATEST]
    return CensusYear(known.name, date(first, 4, 1), day, known.xsd)


def year_named(name: str) -> CensusYear:
    """The census year called `name` ("2024-25"), or a plain-English ValueError."""
    try:
        return YEARS[name]
    except KeyError:
        known = ", ".join(YEARS)
        raise ValueError(f"SafeHub knows the CIN census for {known}, not {name!r}.") from None


def year_ending(header_year: int) -> CensusYear | None:
    """The census year whose header Year is `header_year` (2025 for 2024-25)."""
    return next((y for y in YEARS.values() if y.header_year == header_year), None)
