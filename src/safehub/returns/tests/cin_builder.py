"""A clean CIN census in memory (every module used, every rule satisfied) that tests break one
way at a time, written through the real writer."""

import copy
import io
from datetime import UTC, date, datetime
from typing import Any, cast

from lxml import etree

from safehub.core.identifiers import upn_check_letter
from safehub.returns.cin.writer import write_census

DISABILITIES = ["MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "AUT"]


def upn(n: int) -> str:
    body = f"8731234{24}{n:03d}"
    return upn_check_letter(body) + body


def header(year: int = 2025) -> dict[str, Any]:
    return {
        "CollectionDetails": {
            "Collection": "CIN",
            "Year": year,
            "ReferenceDate": date(year, 3, 31),
        },
        "Source": {
            "SourceLevel": "L",
            "LEA": "873",
            "SoftwareCode": "SafeHub",
            "Release": "0.1",
            "SerialNo": "001",
            "DateTime": datetime(year, 4, 2, 9, 0, tzinfo=UTC),
        },
    }


def episode() -> dict[str, Any]:
    """Referred, assessed, a CIN plan, a section 47 enquiry, an ICPC (a Thursday) and a
    child protection plan from it, reviewed."""
    return {
        "CINreferralDate": date(2024, 6, 3),
        "ReferralSource": "2A",
        "PrimaryNeedCode": "N1",
        "ReferralNFA": False,
        "Assessments": [
            {
                "AssessmentActualStartDate": date(2024, 6, 4),
                "AssessmentAuthorisationDate": date(2024, 7, 1),
                "FactorsIdentifiedAtAssessment": {"AssessmentFactors": ["3B", "4B"]},
            }
        ],
        "CINPlanDates": [
            {"CINPlanStartDate": date(2024, 7, 2), "CINPlanEndDate": date(2024, 9, 2)}
        ],
        "Section47": [
            {
                "S47ActualStartDate": date(2024, 9, 3),
                "InitialCPCtarget": date(2024, 9, 20),
                "DateOfInitialCPC": date(2024, 9, 19),
                "ICPCnotRequired": False,
            }
        ],
        "ChildProtectionPlans": [
            {
                "CPPstartDate": date(2024, 9, 19),
                "InitialCategoryOfAbuse": "NEG",
                "LatestCategoryOfAbuse": "NEG",
                "NumberOfPreviousCPP": 0,
                "Reviews": {"CPPreviewDate": [date(2024, 12, 10)]},
            }
        ],
    }


def child(n: int) -> dict[str, Any]:
    return {
        "ChildIdentifiers": {
            "LAchildID": f"C{n}",
            "UPN": upn(n),
            "PersonBirthDate": date(2015, 5, 1),
            "Sex": "F" if n % 2 else "M",
        },
        "ChildCharacteristics": {
            "Ethnicity": "WBRI",
            "Disabilities": {
                "Disability": [DISABILITIES[n % 10], DISABILITIES[(n + 1) % 10]]
                if n < 10
                else ["NONE"]
            },
        },
        "CINdetails": [episode()],
    }


def clean() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    return header(), [child(n) for n in range(12)]


def texts(root: etree._Element, path: str) -> list[str]:
    """The text values `path` (an XPath) selects in a census."""
    return [str(v) for v in cast(list[Any], root.xpath(path))]


def elements(root: etree._Element, path: str) -> list[etree._Element]:
    return cast(list[etree._Element], root.xpath(path))


def xml(head: dict[str, Any], children: list[dict[str, Any]]) -> bytes:
    out = io.BytesIO()
    write_census(out, copy.deepcopy(head), copy.deepcopy(children))
    return out.getvalue()
