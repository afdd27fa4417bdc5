"""The DfE's CIN census validation rules that SafeHub checks, each in our own words, each a
few column operations over every child at once (`tables.py` describes the tables; `checks.py`
holds what the rule modules share). Rule
numbers and meanings are from shared/domain/reference.md section 1.5 and the published
rule list; `docs/cin-validation-rules.md` lists what each year runs (`manage.py
returns_rules_doc`), and `returns/tests/test_cin_rules.py` breaks a clean file once for
every rule and expects that rule, and only the rules meant, to say so."""

import pandas as pd

from safehub.core.identifiers import UPN_LETTERS, upn_check_letter

# Importing these registers the rules they hold (rules that share a shape; rules across
# modules) with CIN_RULES, so whoever imports this module has every rule.
from safehub.returns.cin import rule_table, rules_children, rules_links  # noqa: F401
from safehub.returns.cin.checks import (
    ALL_YEARS,
    CIN_RULES,
    SEX_YEARS,
    Context,
    Tables,
    found,
    nothing,
    weekend,
    whole_return,
    working_days_back,
)
from safehub.returns.cin.spec import CODE_SETS, NFA_CLOSURES, NO_FACTORS
from safehub.returns.registry import Check

__all__ = ["CIN_RULES", "Context"]


# --- The header ------------------------------------------------------------------------------


@CIN_RULES.rule(
    "100",
    "The header's ReferenceDate must be 31 March of the collection year.",
    table="Header",
    fields=("ReferenceDate",),
    years=ALL_YEARS,
    la_level=True,
)
def reference_date(t: Tables, ctx: Context) -> pd.DataFrame:
    if ctx.reference_date == ctx.census.end:
        return nothing()
    return whole_return(f"ReferenceDate {ctx.reference_date}")


# --- Child identifiers -------------------------------------------------------------------------


@CIN_RULES.rule(
    "1510",
    "UPN is not valid: its first character is not the right check letter.",
    table="ChildIdentifiers",
    fields=("UPN",),
    years=ALL_YEARS,
)
def upn_check(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    upn = c["UPN"].fillna("")
    shaped = upn.str.fullmatch(f"[A-Z][0-9]{{11}}[0-9{UPN_LETTERS}]")
    expected = upn.where(shaped, "").map(lambda u: upn_check_letter(u[1:]) if u else "")
    return found(c, shaped & (upn.str[0] != expected), "UPN")


@CIN_RULES.rule(
    "1520",
    "More than one child has the same UPN.",
    table="ChildIdentifiers",
    fields=("UPN",),
    years=ALL_YEARS,
)
def upn_unique(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, c["UPN"].notna() & c["UPN"].duplicated(keep=False), "UPN")


@CIN_RULES.rule(
    "1570",
    "LAchildID must be no longer than 20 characters.",
    table="ChildIdentifiers",
    fields=("LAchildID",),
    years=SEX_YEARS,
)
def child_id_length(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, c["LAchildID"].fillna("").str.len() > 20)


@CIN_RULES.rule(
    "1580",
    "LAchildID must be letters and digits only (no spaces or symbols).",
    table="ChildIdentifiers",
    fields=("LAchildID",),
    years=SEX_YEARS,
)
def child_id_alphanumeric(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    ids = c["LAchildID"]
    return found(c, ids.notna() & ~ids.fillna("").str.fullmatch("[A-Za-z0-9]+"))


@CIN_RULES.rule(
    "4180",
    "Sex must be M, F or U.",
    table="ChildIdentifiers",
    fields=("Sex",),
    years=SEX_YEARS,
)
def sex_code(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, ~c["Sex"].isin(CODE_SETS["sex"]), "Sex")


@CIN_RULES.rule(
    "8750",
    "An unborn child's Sex must be U.",
    table="ChildIdentifiers",
    fields=("Sex", "ExpectedPersonBirthDate"),
    years=SEX_YEARS,
)
def unborn_sex(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    unborn = c["PersonBirthDate"].isna() & c["ExpectedPersonBirthDate"].notna()
    return found(c, unborn & (c["Sex"] != "U"), "Sex", "ExpectedPersonBirthDate")


@CIN_RULES.rule(
    "8500",
    "LAchildID is missing.",
    table="ChildIdentifiers",
    fields=("LAchildID",),
    years=ALL_YEARS,
)
def child_id_missing(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, c["LAchildID"].isna())


@CIN_RULES.rule(
    "8510",
    "More than one child has the same LAchildID.",
    table="ChildIdentifiers",
    fields=("LAchildID",),
    years=ALL_YEARS,
)
def child_id_unique(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, c["LAchildID"].notna() & c["LAchildID"].duplicated(keep=False))


@CIN_RULES.rule(
    "8520",
    "Date of birth is after the end of the census year.",
    table="ChildIdentifiers",
    fields=("PersonBirthDate",),
    years=ALL_YEARS,
)
def born_after_census(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, c["PersonBirthDate"] > ctx.end, "PersonBirthDate")


@CIN_RULES.rule(
    "8525Q",
    "Give either a date of birth or an expected date of birth, not both and not neither.",
    table="ChildIdentifiers",
    fields=("PersonBirthDate", "ExpectedPersonBirthDate"),
    years=ALL_YEARS,
)
def one_birth_date(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(
        c,
        c["PersonBirthDate"].notna() == c["ExpectedPersonBirthDate"].notna(),
        "PersonBirthDate",
        "ExpectedPersonBirthDate",
    )


@CIN_RULES.rule(
    "8540",
    "Disability is missing or not a valid code, for a born child with a referral that was "
    "not closed with no further action.",
    table="Disabilities",
    fields=("Disability",),
    years=ALL_YEARS,
)
def disability(t: Tables, ctx: Context) -> pd.DataFrame:
    c, d = t["children"], t["disabilities"]
    acted = t["cin"].loc[~t["cin"]["ReferralNFA"], "LAchildID"]
    asked = c[c["PersonBirthDate"].notna() & c["LAchildID"].isin(acted)]
    invalid = d.loc[~d["Disability"].isin(CODE_SETS["disability"]), "LAchildID"]
    missing = ~asked["LAchildID"].isin(d["LAchildID"])
    return found(asked, missing | asked["LAchildID"].isin(invalid))


# --- Episodes of need (CINdetails) -------------------------------------------------------------


@CIN_RULES.rule(
    "8600",
    "Referral date is missing or after the end of the census year.",
    table="CINdetails",
    fields=("CINreferralDate",),
    years=ALL_YEARS,
)
def referral_date(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    return found(
        e, e["CINreferralDate"].isna() | (e["CINreferralDate"] > ctx.end), "CINreferralDate"
    )


@CIN_RULES.rule(
    "8606",
    "Referral date is more than 40 weeks before the child's (expected) date of birth.",
    table="CINdetails",
    fields=("CINreferralDate",),
    years=ALL_YEARS,
)
def referral_long_before_birth(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    born = c["PersonBirthDate"].fillna(c["ExpectedPersonBirthDate"])
    e = t["cin"].merge(
        pd.DataFrame({"LAchildID": c["LAchildID"], "born": born}), on="LAchildID", how="left"
    )
    return found(e, e["CINreferralDate"] < e["born"] - pd.Timedelta(weeks=40), "CINreferralDate")


@CIN_RULES.rule(
    "8610",
    "Primary need is missing for a referral that led to further action.",
    table="CINdetails",
    fields=("PrimaryNeedCode", "ReferralNFA"),
    years=ALL_YEARS,
)
def primary_need(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    return found(e, ~e["ReferralNFA"] & e["PrimaryNeedCode"].isna())


@CIN_RULES.rule(
    "8805",
    "An episode has a closure date but no reason for closure.",
    table="CINdetails",
    fields=("CINclosureDate", "ReasonForClosure"),
    years=ALL_YEARS,
)
def closure_reason_missing(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    return found(e, e["CINclosureDate"].notna() & e["ReasonForClosure"].isna(), "CINclosureDate")


@CIN_RULES.rule(
    "8810",
    "An episode has a reason for closure but no closure date.",
    table="CINdetails",
    fields=("CINclosureDate", "ReasonForClosure"),
    years=ALL_YEARS,
)
def closure_date_missing(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    return found(e, e["CINclosureDate"].isna() & e["ReasonForClosure"].notna(), "ReasonForClosure")


@CIN_RULES.rule(
    "8815",
    "A child has more than one open episode (no closure date).",
    table="CINdetails",
    fields=("CINclosureDate",),
    years=ALL_YEARS,
)
def one_open_episode(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    open_ = e["CINclosureDate"].isna()
    return found(e, open_ & e["LAchildID"].where(open_).duplicated(keep=False))


@CIN_RULES.rule(
    "8816",
    "An open episode must be the child's latest: another starts after it.",
    table="CINdetails",
    fields=("CINreferralDate", "CINclosureDate"),
    years=ALL_YEARS,
)
def open_episode_is_latest(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    latest = e.groupby("LAchildID")["CINreferralDate"].transform("max")
    return found(e, e["CINclosureDate"].isna() & (e["CINreferralDate"] < latest), "CINreferralDate")


@CIN_RULES.rule(
    "8820",
    "A child's episodes overlap: one starts before an earlier one closed.",
    table="CINdetails",
    fields=("CINreferralDate", "CINclosureDate"),
    years=ALL_YEARS,
)
def episodes_overlap(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"].sort_values(["LAchildID", "CINreferralDate"], kind="stable")
    before = e.groupby("LAchildID")["CINclosureDate"].shift()
    same_child = e["LAchildID"].eq(e["LAchildID"].shift())
    overlaps = same_child & before.notna() & (e["CINreferralDate"] <= before)
    return found(e, overlaps, "CINreferralDate")


@CIN_RULES.rule(
    "2990",
    "Activity is recorded on an episode closed after assessment (RC8, no further action, or "
    "RC9, referred to early help): a child in need plan, section 47 enquiry, conference or "
    "child protection plan.",
    table="CINdetails",
    fields=("ReasonForClosure",),
    years=ALL_YEARS,
)
def activity_after_nfa_closure(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    busy = pd.concat(
        [t["cinplans"]["CINdetailsID"], t["s47"]["CINdetailsID"], t["cpp"]["CINdetailsID"]]
    )
    closed = e["ReasonForClosure"].isin(NFA_CLOSURES)
    return found(
        e,
        closed & (e["CINdetailsID"].isin(busy) | e["DateOfInitialCPC"].notna()),
        "ReasonForClosure",
    )


@CIN_RULES.rule(
    "2884",
    "The initial child protection conference is recorded both on the episode and on its "
    "section 47 enquiry; record it in one place only.",
    table="CINdetails",
    fields=("DateOfInitialCPC",),
    years=ALL_YEARS,
)
def icpc_recorded_twice(t: Tables, ctx: Context) -> pd.DataFrame:
    e, s = t["cin"], t["s47"]
    with_s47_icpc = s.loc[s["DateOfInitialCPC"].notna(), "CINdetailsID"]
    twice = e["DateOfInitialCPC"].notna() & e["CINdetailsID"].isin(with_s47_icpc)
    return found(e, twice, "DateOfInitialCPC")


@CIN_RULES.rule(
    "8875",
    "The initial child protection conference is dated on a weekend.",
    table="Section47",
    fields=("DateOfInitialCPC",),
    years=ALL_YEARS,
)
def icpc_weekend(t: Tables, ctx: Context) -> pd.DataFrame:
    e, s = t["cin"], t["s47"]
    return pd.concat(
        [
            found(e, weekend(e["DateOfInitialCPC"]), "DateOfInitialCPC"),
            found(s, weekend(s["DateOfInitialCPC"]), "DateOfInitialCPC"),
        ]
    )


# --- Assessments ---------------------------------------------------------------------------------


@CIN_RULES.rule(
    "8614",
    "Factors are given for an assessment that is not completed (no authorisation date).",
    table="Assessments",
    fields=("AssessmentAuthorisationDate", "AssessmentFactors"),
    years=ALL_YEARS,
)
def factors_before_completion(t: Tables, ctx: Context) -> pd.DataFrame:
    a = t["assessments"]
    return found(a, a["AssessmentAuthorisationDate"].isna() & (a["factors"] > 0))


@CIN_RULES.rule(
    "8670Q",
    "An assessment started more than 45 working days before the census year ended and is not "
    "completed.",
    table="Assessments",
    fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    years=ALL_YEARS,
)
def assessment_overdue(t: Tables, ctx: Context) -> pd.DataFrame:
    a = t["assessments"]
    cutoff = working_days_back(ctx.census.end, 45)
    late = (a["AssessmentActualStartDate"] < cutoff) & a["AssessmentAuthorisationDate"].isna()
    return found(a, late, "AssessmentActualStartDate")


@CIN_RULES.rule(
    "8869",
    "Factor 21 (no factors identified) is given with other factors.",
    table="Assessments",
    fields=("AssessmentFactors",),
    years=ALL_YEARS,
)
def no_factors_alone(t: Tables, ctx: Context) -> pd.DataFrame:
    f = t["factors"]
    with_21 = f.loc[f["AssessmentFactors"] == NO_FACTORS, "AssessmentID"]
    a = t["assessments"]
    return found(a, a["AssessmentID"].isin(with_21) & (a["factors"] > 1))


@CIN_RULES.rule(
    "8897Q",
    "A completed assessment gives no factors (use 21 where none were identified).",
    table="Assessments",
    fields=("AssessmentAuthorisationDate", "AssessmentFactors"),
    years=ALL_YEARS,
)
def completed_without_factors(t: Tables, ctx: Context) -> pd.DataFrame:
    a = t["assessments"]
    return found(a, a["AssessmentAuthorisationDate"].notna() & (a["factors"] == 0))


def _retired_factor(code: str) -> Check:
    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = t["factors"]
        return found(f, f["AssessmentFactors"] == code, "AssessmentFactors")

    return check


CIN_RULES.rule(
    "8945Q",
    "Factor 18A is no longer used: say whether the physical abuse was by a child (18B) or an "
    "adult (18C).",
    table="Assessments",
    fields=("AssessmentFactors",),
    years=SEX_YEARS,
)(_retired_factor("18A"))
CIN_RULES.rule(
    "8950Q",
    "Factor 19A is no longer used: say whether the sexual abuse was by a child (19B) or an "
    "adult (19C).",
    table="Assessments",
    fields=("AssessmentFactors",),
    years=SEX_YEARS,
)(_retired_factor("19A"))


# --- Child in need plans, section 47 enquiries -----------------------------------------------


@CIN_RULES.rule(
    "4001",
    "A child in need plan runs at the same time as a child protection plan.",
    table="CINPlanDates",
    fields=("CINPlanStartDate", "CINPlanEndDate"),
    years=ALL_YEARS,
)
def cin_plan_overlaps_cp_plan(t: Tables, ctx: Context) -> pd.DataFrame:
    p = t["cinplans"].reset_index(names="row")
    cp = t["cpp"][["LAchildID", "CPPstartDate", "CPPendDate"]]
    pairs = p.merge(cp, on="LAchildID")
    cp_end, cin_end = pairs["CPPendDate"], pairs["CINPlanEndDate"]
    overlap = (cp_end.isna() | (pairs["CINPlanStartDate"] < cp_end)) & (
        cin_end.isna() | (pairs["CPPstartDate"] < cin_end)
    )
    rows = pairs.loc[overlap, "row"].unique()
    return found(p, p["row"].isin(rows), "CINPlanStartDate")


@CIN_RULES.rule(
    "8675Q",
    "A section 47 enquiry started more than 15 working days before the census year ended and "
    "has neither an initial conference date nor 'conference not required'.",
    table="Section47",
    fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
    years=ALL_YEARS,
)
def icpc_overdue(t: Tables, ctx: Context) -> pd.DataFrame:
    s = t["s47"]
    cutoff = working_days_back(ctx.census.end, 15)
    waiting = s["DateOfInitialCPC"].isna() & ~s["ICPCnotRequired"]
    return found(s, waiting & (s["S47ActualStartDate"] < cutoff), "S47ActualStartDate")


@CIN_RULES.rule(
    "8870Q",
    "The target date for the initial conference falls on a weekend.",
    table="Section47",
    fields=("InitialCPCtarget",),
    years=ALL_YEARS,
)
def icpc_target_weekend(t: Tables, ctx: Context) -> pd.DataFrame:
    s = t["s47"]
    return found(s, weekend(s["InitialCPCtarget"]), "InitialCPCtarget")


# --- Child protection plans and their reviews ----------------------------------------------------


@CIN_RULES.rule(
    "8840",
    "A child protection plan starts and ends on the same day.",
    table="ChildProtectionPlans",
    fields=("CPPstartDate", "CPPendDate"),
    years=ALL_YEARS,
)
def cp_plan_same_day(t: Tables, ctx: Context) -> pd.DataFrame:
    p = t["cpp"]
    return found(p, p["CPPstartDate"] == p["CPPendDate"], "CPPstartDate")


@CIN_RULES.rule(
    "8841",
    "A child protection review is dated on or before the plan's start.",
    table="Reviews",
    fields=("CPPreviewDate", "CPPstartDate"),
    years=ALL_YEARS,
)
def review_after_plan_start(t: Tables, ctx: Context) -> pd.DataFrame:
    r = t["reviews"].merge(t["cpp"][["CPPID", "CPPstartDate"]], on="CPPID", how="left")
    return found(r, r["CPPreviewDate"] <= r["CPPstartDate"], "CPPreviewDate")


# --- The return as a whole -----------------------------------------------------------------------


@CIN_RULES.rule(
    "2886Q",
    "More than 2% of the children born have Sex U (not known).",
    table="ChildIdentifiers",
    fields=("Sex",),
    years=SEX_YEARS,
    la_level=True,
)
def few_unknown_sex(t: Tables, ctx: Context) -> pd.DataFrame:
    born = t["children"][t["children"]["PersonBirthDate"].notna()]
    if born.empty:
        return nothing()
    share = (born["Sex"] == "U").mean()
    return whole_return(f"{share:.1%} of children") if share > 0.02 else nothing()


@CIN_RULES.rule(
    "2887Q",
    "Fewer than 8 different disability codes are used across the return.",
    table="Disabilities",
    fields=("Disability",),
    years=ALL_YEARS,
    la_level=True,
)
def disability_codes_used(t: Tables, ctx: Context) -> pd.DataFrame:
    codes = t["disabilities"]["Disability"].dropna()
    used = codes[codes != "NONE"].nunique()
    return whole_return(f"{used} codes used") if used < 8 else nothing()


@CIN_RULES.rule(
    "2888Q",
    "No child has more than one disability recorded.",
    table="Disabilities",
    fields=("Disability",),
    years=ALL_YEARS,
    la_level=True,
)
def several_disabilities(t: Tables, ctx: Context) -> pd.DataFrame:
    d = t["disabilities"]
    if d.empty or d["LAchildID"].duplicated().any():
        return nothing()
    return whole_return("one disability each")
