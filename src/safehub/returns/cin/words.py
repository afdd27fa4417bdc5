"""The census's element names and codes in plain English, for the worker who puts a finding
right on a child's record ("my work"): a finding's values as the check saw them,
"S47ActualStartDate 2026-11-12", read "Section 47 enquiry started 12 November 2026". The
data manager's pages keep the census's own names, which are what the DfE's guidance uses."""

from datetime import date

from safehub.casework.codes import (
    ASSESSMENT_FACTORS,
    CategoryOfAbuse,
    ClosureReason,
    PrimaryNeed,
    ReferralSource,
)
from safehub.people.codes import Disability, Ethnicity, Sex
from safehub.returns.cin.spec import CHILD, Group, Leaf

FIELD_LABELS: dict[str, str] = {
    "LAchildID": "Child's council ID",
    "UPN": "Unique pupil number",
    "FormerUPN": "Former unique pupil number",
    "UPNunknown": "Why there is no unique pupil number",
    "PersonBirthDate": "Date of birth",
    "ExpectedPersonBirthDate": "Expected date of birth",
    "Sex": "Sex",
    "PersonDeathDate": "Date of death",
    "Ethnicity": "Ethnicity",
    "Disability": "Disability",
    "CINreferralDate": "Referral date",
    "ReferralSource": "Referral source",
    "PrimaryNeedCode": "Primary need",
    "CINclosureDate": "Episode closed",
    "ReasonForClosure": "Reason for closure",
    "DateOfInitialCPC": "Initial child protection conference",
    "ReferralNFA": "Referral ended in no further action",
    "AssessmentActualStartDate": "Assessment started",
    "AssessmentInternalReviewDate": "Assessment reviewed",
    "AssessmentAuthorisationDate": "Assessment authorised",
    "AssessmentFactors": "Factor identified at assessment",
    "CINPlanStartDate": "Child in need plan started",
    "CINPlanEndDate": "Child in need plan ended",
    "S47ActualStartDate": "Section 47 enquiry started",
    "InitialCPCtarget": "Initial conference due",
    "ICPCnotRequired": "Initial conference not needed",
    "CPPstartDate": "Child protection plan started",
    "CPPendDate": "Child protection plan ended",
    "InitialCategoryOfAbuse": "Initial category of abuse",
    "LatestCategoryOfAbuse": "Latest category of abuse",
    "NumberOfPreviousCPP": "Previous child protection plans",
    "CPPreviewDate": "Child protection review",
}

# Each code set's labels, by the name `spec` gives it.
CODE_LABELS: dict[str, dict[str, str]] = {
    "referral_source": dict(ReferralSource.choices),
    "primary_need": dict(PrimaryNeed.choices),
    "closure_reason": dict(ClosureReason.choices),
    "category_of_abuse": dict(CategoryOfAbuse.choices),
    "factor": ASSESSMENT_FACTORS,
    "disability": dict(Disability.choices),
    "ethnicity": dict(Ethnicity.choices),
    "sex": dict(Sex.choices),
}
YES = {"true", "1"}


def _leaves(group: Group) -> dict[str, Leaf]:
    found: dict[str, Leaf] = {}
    for part in group.parts:
        found |= _leaves(part) if isinstance(part, Group) else {part.name: part}
    return found


LEAVES = _leaves(CHILD)


def plain_detail(detail: str) -> str:
    """A finding's stored values ("ReasonForClosure RC8; CINclosureDate 2026-05-01") with
    each element's name, date and code in plain English. A part it does not recognise is
    left as the check wrote it."""
    return "; ".join(_plain_part(part) for part in detail.split("; ") if part)


def _plain_part(part: str) -> str:
    name, _, value = part.partition(" ")
    leaf = LEAVES.get(name)
    if leaf is None or name not in FIELD_LABELS:
        return part
    return f"{FIELD_LABELS[name]}: {_plain_value(leaf, value)}"


def _plain_value(leaf: Leaf, value: str) -> str:
    if value == "(blank)":
        return "not recorded"
    if leaf.type == "date":
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B %Y}"
    if leaf.type == "bool":
        return "yes" if value.lower() in YES else "no"
    label = CODE_LABELS.get(leaf.type, {}).get(value)
    return f"{label} ({value})" if label else value
