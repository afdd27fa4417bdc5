"""A CIN census file read into tables, one row per record, each keyed to its child
(`LAchildID`), episode (`CINdetailsID`), assessment or plan and carrying the line it came
from: the shape the DfE's rules are written against, so each rule is a few column
operations over every child at once. Dates become datetimes (a date that is not one
becomes missing, which the schema check has already reported)."""

from typing import Any, cast

import pandas as pd
from lxml import etree

from safehub.returns.cin.spec import YES_NO

COLUMNS: dict[str, tuple[str, ...]] = {
    "children": (
        "LAchildID",
        "UPN",
        "FormerUPN",
        "UPNunknown",
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
        "Sex",
        "PersonDeathDate",
        "Ethnicity",
        "line",
    ),
    "disabilities": ("LAchildID", "Disability", "line"),
    "cin": (
        "LAchildID",
        "CINdetailsID",
        "CINreferralDate",
        "ReferralSource",
        "PrimaryNeedCode",
        "CINclosureDate",
        "ReasonForClosure",
        "DateOfInitialCPC",
        "ReferralNFA",
        "line",
    ),
    "assessments": (
        "LAchildID",
        "CINdetailsID",
        "AssessmentID",
        "AssessmentActualStartDate",
        "AssessmentInternalReviewDate",
        "AssessmentAuthorisationDate",
        "factors",
        "line",
    ),
    "factors": ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentFactors", "line"),
    "cinplans": ("LAchildID", "CINdetailsID", "CINPlanStartDate", "CINPlanEndDate", "line"),
    "s47": (
        "LAchildID",
        "CINdetailsID",
        "S47ActualStartDate",
        "InitialCPCtarget",
        "DateOfInitialCPC",
        "ICPCnotRequired",
        "line",
    ),
    "cpp": (
        "LAchildID",
        "CINdetailsID",
        "CPPID",
        "CPPstartDate",
        "CPPendDate",
        "InitialCategoryOfAbuse",
        "LatestCategoryOfAbuse",
        "NumberOfPreviousCPP",
        "line",
    ),
    "reviews": ("LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate", "line"),
}
DATES = {
    "PersonBirthDate",
    "ExpectedPersonBirthDate",
    "PersonDeathDate",
    "CINreferralDate",
    "CINclosureDate",
    "DateOfInitialCPC",
    "AssessmentActualStartDate",
    "AssessmentInternalReviewDate",
    "AssessmentAuthorisationDate",
    "CINPlanStartDate",
    "CINPlanEndDate",
    "S47ActualStartDate",
    "InitialCPCtarget",
    "CPPstartDate",
    "CPPendDate",
    "CPPreviewDate",
}
BOOLS = {"ReferralNFA", "ICPCnotRequired"}


def _split(element: etree._Element | None) -> tuple[dict[str, Any], list[etree._Element]]:
    """The values directly inside `element` by tag (blank text counts as missing), and the
    elements inside it that hold others. One pass over its children: the reader touches each
    element once, which is what keeps 50,000 children within a few seconds."""
    values: dict[str, Any] = {}
    groups: list[etree._Element] = []
    if element is None:
        return values, groups
    for e in element:
        if len(e):
            groups.append(e)
        elif isinstance(e.tag, str):
            text = e.text
            values.setdefault(e.tag, (text.strip() or None) if text else None)
    return values, groups


def _texts(element: etree._Element) -> list[tuple[str | None, int | None]]:
    """The values of a list element (disabilities, factors, review dates), each with the
    list's line (reading every value's own line costs more than it tells)."""
    line = cast(Any, element).sourceline  # lxml-stubs mistype it
    return [((e.text or "").strip() or None, line) for e in element]


class _Reader:
    def __init__(self) -> None:
        self.rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in COLUMNS}
        self.cin_id = self.assessment_id = self.cpp_id = 0

    def child(self, child: etree._Element) -> None:
        ids: dict[str, Any] = {}
        ethnicity = None
        episodes = []
        for part in child:
            if part.tag == "ChildIdentifiers":
                ids = _split(part)[0]
            elif part.tag == "ChildCharacteristics":
                traits, groups = _split(part)
                ethnicity = traits.get("Ethnicity")
                for g in groups:
                    if g.tag == "Disabilities":
                        self.rows["disabilities"] += [
                            (ids.get("LAchildID"), code, line) for code, line in _texts(g)
                        ]
            elif part.tag == "CINdetails":
                episodes.append(part)
        la_id = ids.get("LAchildID")
        self.rows["children"].append(
            (la_id, *(ids.get(c) for c in _IDENTIFIERS), ethnicity, child.sourceline)
        )
        for details in episodes:
            self.episode(la_id, details)

    def episode(self, la_id: Any, details: etree._Element) -> None:
        self.cin_id += 1
        values, groups = _split(details)
        self.rows["cin"].append(
            (la_id, self.cin_id, *(values.get(c) for c in _CIN), details.sourceline)
        )
        for g in groups:
            if g.tag == "Assessments":
                self.assessment(la_id, g)
            elif g.tag == "CINPlanDates":
                v = _split(g)[0]
                self.rows["cinplans"].append(
                    (
                        la_id,
                        self.cin_id,
                        v.get("CINPlanStartDate"),
                        v.get("CINPlanEndDate"),
                        g.sourceline,
                    )
                )
            elif g.tag == "Section47":
                v = _split(g)[0]
                self.rows["s47"].append(
                    (la_id, self.cin_id, *(v.get(c) for c in _S47), g.sourceline)
                )
            elif g.tag == "ChildProtectionPlans":
                self.plan(la_id, g)

    def assessment(self, la_id: Any, a: etree._Element) -> None:
        self.assessment_id += 1
        values, groups = _split(a)
        factors = [f for g in groups if g.tag == "FactorsIdentifiedAtAssessment" for f in _texts(g)]
        self.rows["factors"] += [
            (la_id, self.cin_id, self.assessment_id, code, line) for code, line in factors
        ]
        self.rows["assessments"].append(
            (
                la_id,
                self.cin_id,
                self.assessment_id,
                *(values.get(c) for c in _ASSESSMENT),
                len(factors),
                a.sourceline,
            )
        )

    def plan(self, la_id: Any, plan: etree._Element) -> None:
        self.cpp_id += 1
        values, groups = _split(plan)
        self.rows["cpp"].append(
            (la_id, self.cin_id, self.cpp_id, *(values.get(c) for c in _CPP), plan.sourceline)
        )
        for g in groups:
            if g.tag == "Reviews":
                self.rows["reviews"] += [
                    (la_id, self.cin_id, self.cpp_id, day, line) for day, line in _texts(g)
                ]


_IDENTIFIERS = COLUMNS["children"][1:-2]
_CIN = COLUMNS["cin"][2:-1]
_S47 = COLUMNS["s47"][2:-1]
_CPP = COLUMNS["cpp"][3:-1]
_ASSESSMENT = COLUMNS["assessments"][3:-2]


def read_tables(root: etree._Element) -> tuple[dict[str, str | None], dict[str, pd.DataFrame]]:
    """The header's values and the tables of the file whose root element is `root`."""
    header = (
        _split(root.find("Header/CollectionDetails"))[0] | _split(root.find("Header/Source"))[0]
    )
    reader = _Reader()
    children = root.find("Children")
    for child in () if children is None else children:
        if child.tag == "Child":
            reader.child(child)
    return header, {name: _frame(name, reader.rows[name]) for name in COLUMNS}


def _frame(name: str, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS[name]))
    for column in frame.columns:
        if column in DATES:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        elif column in BOOLS:
            # Kept apart: whether the flag was a yes or no at all (rule 8568 asks).
            frame[f"{column}Given"] = frame[column].isin(YES_NO)
            frame[column] = frame[column].isin(("true", "TRUE", "1"))
    if "NumberOfPreviousCPP" in frame:
        frame["NumberOfPreviousCPP"] = pd.to_numeric(frame["NumberOfPreviousCPP"], errors="coerce")
    return frame
