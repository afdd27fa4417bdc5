"""The SSDA903 return as CSV files, year by year: each file once, with its name, its columns
in the DfE's order, each column's type and code set. From shared/domain/reference.md
section 2 and the SafeHub code sets the records already use, so the export writes, and the
validator reads, the same description.

Years are named by the collection year they cover ("2024-25": 1 April 2024 to 31 March
2025). 2024-25 and 2025-26 share one layout (the social worker episodes arrived in 2023-24;
the deprivation-of-liberty file is new in 2026-27, which SafeHub does not yet produce).
A file is recognised by its columns, not its name: councils name their files as they like."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

# Column types: "id" (the child's ID, 1 to 10 characters), "date" (dd/mm/yyyy), "code" (one
# of `codes`), "flag" (0 or 1), "int", "text", "postcode", "upn".
DATE_FORMAT = "%d/%m/%Y"
CODE_SETS_FILE = Path(__file__).with_name("code_sets.json")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    codes: str = ""  # the code set's name in CODE_SETS, for "code" columns


@dataclass(frozen=True)
class File:
    key: str  # how SafeHub names the table ("episodes")
    title: str  # how the DfE names the file ("Episodes")
    filename: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


@dataclass(frozen=True)
class CollectionYear:
    name: str  # "2024-25"
    start: date
    end: date


def _year(first: int) -> CollectionYear:
    return CollectionYear(
        f"{first}-{(first + 1) % 100:02d}", date(first, 4, 1), date(first + 1, 3, 31)
    )


YEARS: dict[str, CollectionYear] = {y.name: y for y in (_year(2024), _year(2025))}

# The code sets are the records' (`casework.codes`, `people.codes`, `leaving_care.codes`,
# `permanence.codes`), written out by `manage.py returns_rules_doc` (`ssda903/codes.py`) so
# that the validator reads them without loading Django's models (ADR 0059); a test fails
# when the file and the records' choices differ.
CODE_SETS: dict[str, tuple[str, ...]] = {
    name: tuple(values)
    for name, values in json.loads(CODE_SETS_FILE.read_text(encoding="utf-8")).items()
}

CHILD, DOB = Column("CHILD", "id"), Column("DOB", "date")

FILES: tuple[File, ...] = (
    File(
        "header",
        "Header",
        "header.csv",
        (
            CHILD,
            Column("SEX", "code", "sex"),
            DOB,
            Column("ETHNIC", "code", "ethnicity"),
            Column("UPN", "upn"),
            Column("MOTHER", "code", "mother"),
            Column("MC_DOB", "date"),
        ),
    ),
    File(
        "episodes",
        "Episodes",
        "episodes.csv",
        (
            CHILD,
            Column("DECOM", "date"),
            Column("RNE", "code", "rne"),
            Column("LS", "code", "ls"),
            Column("CIN", "code", "cin"),
            Column("PLACE", "code", "place"),
            Column("PLACE_PROVIDER", "code", "provider"),
            Column("DEC", "date"),
            Column("REC", "code", "rec"),
            Column("REASON_PLACE_CHANGE", "code", "place_change"),
            Column("HOME_POST", "postcode"),
            Column("PL_POST", "postcode"),
            Column("URN", "text"),
        ),
    ),
    File(
        "uasc",
        "UASC",
        "uasc.csv",
        (CHILD, Column("SEX", "code", "sex"), DOB, Column("DUC", "date")),
    ),
    File(
        "reviews",
        "Reviews",
        "reviews.csv",
        (CHILD, DOB, Column("REVIEW", "date"), Column("REVIEW_CODE", "code", "review_code")),
    ),
    File(
        "ad1",
        "AD1",
        "ad1.csv",
        (
            CHILD,
            DOB,
            Column("DATE_INT", "date"),
            Column("DATE_MATCH", "date"),
            Column("FOSTER_CARE", "flag"),
            Column("NB_ADOPTR", "code", "nb_adoptr"),
            Column("SEX_ADOPTR", "code", "sex_adoptr"),
            Column("LS_ADOPTR", "code", "ls_adoptr"),
        ),
    ),
    File(
        "placed_adoption",
        "PlacedAdoption",
        "placed_for_adoption.csv",
        (
            CHILD,
            DOB,
            Column("DATE_PLACED", "date"),
            Column("DATE_PLACED_CEASED", "date"),
            Column("REASON_PLACED_CEASED", "code", "reason_placed_ceased"),
        ),
    ),
    File(
        "prev_perm",
        "PrevPerm",
        "previous_permanence.csv",
        (
            CHILD,
            DOB,
            Column("PREV_PERM", "code", "prev_perm"),
            Column("LA_PERM", "text"),
            Column("DATE_PERM", "date"),
        ),
    ),
    File(
        "missing",
        "Missing",
        "missing.csv",
        (
            CHILD,
            DOB,
            Column("MISSING", "code", "missing"),
            Column("MIS_START", "date"),
            Column("MIS_END", "date"),
        ),
    ),
    File(
        "oc2",
        "OC2",
        "oc2.csv",
        (
            CHILD,
            DOB,
            Column("SDQ_SCORE", "int"),
            Column("SDQ_REASON", "code", "sdq_reason"),
            Column("CONVICTED", "flag"),
            Column("HEALTH_CHECK", "flag"),
            Column("IMMUNISATIONS", "flag"),
            Column("TEETH_CHECK", "flag"),
            Column("HEALTH_ASSESSMENT", "flag"),
            Column("SUBSTANCE_MISUSE", "flag"),
            Column("INTERVENTION_RECEIVED", "flag"),
            Column("INTERVENTION_OFFERED", "flag"),
        ),
    ),
    File(
        "oc3",
        "OC3",
        "oc3.csv",
        (
            CHILD,
            DOB,
            Column("IN_TOUCH", "code", "in_touch"),
            Column("ACTIV", "code", "activ"),
            Column("ACCOM", "code", "accom"),
        ),
    ),
    File(
        "sw_episodes",
        "SWEpisodes",
        "social_worker_episodes.csv",
        (
            CHILD,
            DOB,
            Column("SW_ID", "text"),
            Column("SW_DECOM", "date"),
            Column("SW_DEC", "date"),
            Column("SW_REASON", "code", "sw_reason"),
        ),
    ),
)

# Both years in SafeHub have this layout; a year that changes it gets its own tuple.
LAYOUTS: dict[str, tuple[File, ...]] = dict.fromkeys(YEARS, FILES)
BY_KEY: dict[str, File] = {f.key: f for f in FILES}
DATE_COLUMNS = frozenset(c.name for f in FILES for c in f.columns if c.type == "date")


def year_named(name: str) -> CollectionYear:
    if name not in YEARS:
        raise ValueError(f"SafeHub does not produce the 903 for {name}")
    return YEARS[name]
