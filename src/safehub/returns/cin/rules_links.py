"""CIN rules that tie an episode's modules together: what a closed episode must show, what
must come with what (an assessment before a section 47, a conference before a plan), work
still open at the year's end, and counts over the whole return. Each in our own words from
the DfE's published rules (reference.md 1.5); the tables are those of `tables.py`."""

from datetime import timedelta

import pandas as pd

from safehub.core.workdays import last_working_day_on_or_before
from safehub.returns.cin.checks import (
    ALL_YEARS,
    CIN_RULES,
    Context,
    Tables,
    found,
    nothing,
    whole_return,
    with_referral,
)
from safehub.returns.cin.spec import NFA_CLOSURES, NO_FACTORS


def _episode_dates(t: Tables) -> pd.DataFrame:
    """Every dated piece of work on an episode, one row each: episode and date."""
    pieces = [
        (t["cin"], "DateOfInitialCPC"),
        (t["assessments"], "AssessmentActualStartDate"),
        (t["assessments"], "AssessmentAuthorisationDate"),
        (t["s47"], "S47ActualStartDate"),
        (t["s47"], "DateOfInitialCPC"),
        (t["cpp"], "CPPendDate"),
        (t["cinplans"], "CINPlanStartDate"),
        (t["cinplans"], "CINPlanEndDate"),
    ]
    return pd.concat(
        pd.DataFrame({"CINdetailsID": f["CINdetailsID"], "day": f[column]}) for f, column in pieces
    ).dropna()


@CIN_RULES.rule(
    "8565",
    "Work is dated after the episode closed (an assessment, section 47 enquiry, conference, "
    "child in need plan or the end of a child protection plan).",
    table="CINdetails",
    fields=("CINclosureDate",),
    years=ALL_YEARS,
)
def activity_after_closure(t: Tables, ctx: Context) -> pd.DataFrame:
    latest = _episode_dates(t).groupby("CINdetailsID", as_index=False)["day"].max()
    e = t["cin"].merge(latest, on="CINdetailsID", how="left")
    return found(e, e["CINclosureDate"] < e["day"], "CINclosureDate")


def _closed(t: Tables, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame`'s rows on closed episodes, with the episode's closure date."""
    e = t["cin"]
    closed = e.loc[e["CINclosureDate"].notna(), ["CINdetailsID", "CINclosureDate"]]
    return frame.merge(closed, on="CINdetailsID")


@CIN_RULES.rule(
    "8867",
    "The episode is closed but an assessment on it is not completed (no authorisation date).",
    table="Assessments",
    fields=("AssessmentAuthorisationDate", "CINclosureDate"),
    years=ALL_YEARS,
)
def closed_with_open_assessment(t: Tables, ctx: Context) -> pd.DataFrame:
    a = _closed(t, t["assessments"])
    return found(a, a["AssessmentAuthorisationDate"].isna(), "CINclosureDate")


@CIN_RULES.rule(
    "8868",
    "The episode is closed but a section 47 enquiry on it is not finished: it needs either an "
    "initial conference date or 'conference not required', and not both.",
    table="Section47",
    fields=("DateOfInitialCPC", "ICPCnotRequired", "CINclosureDate"),
    years=ALL_YEARS,
)
def closed_with_open_s47(t: Tables, ctx: Context) -> pd.DataFrame:
    s = _closed(t, t["s47"])
    held = s["DateOfInitialCPC"].notna()
    return found(s, held == s["ICPCnotRequired"], "CINclosureDate")


def _assessed_episodes(t: Tables) -> "pd.Series[int]":
    return t["assessments"]["CINdetailsID"]


@CIN_RULES.rule(
    "8825Q",
    "The episode was closed after assessment (RC8 or RC9) but has no assessment.",
    table="CINdetails",
    fields=("ReasonForClosure",),
    years=ALL_YEARS,
)
def nfa_closure_without_assessment(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    unassessed = ~e["CINdetailsID"].isin(_assessed_episodes(t))
    return found(e, e["ReasonForClosure"].isin(NFA_CLOSURES) & unassessed, "ReasonForClosure")


@CIN_RULES.rule(
    "2991Q",
    "A section 47 enquiry is recorded on an episode with no assessment.",
    table="Section47",
    fields=("S47ActualStartDate",),
    years=ALL_YEARS,
)
def s47_without_assessment(t: Tables, ctx: Context) -> pd.DataFrame:
    s = t["s47"]
    return found(s, ~s["CINdetailsID"].isin(_assessed_episodes(t)), "S47ActualStartDate")


@CIN_RULES.rule(
    "8873Q",
    "The episode's only assessment found no factors (21), yet it was closed for a reason other "
    "than RC8 or RC9 (closed after assessment).",
    table="Assessments",
    fields=("AssessmentFactors", "ReasonForClosure"),
    years=ALL_YEARS,
)
def no_factors_closed_otherwise(t: Tables, ctx: Context) -> pd.DataFrame:
    # An open episode has no reason for closure yet, so only closed ones are asked about.
    f = t["factors"]
    a = with_referral(t, t["assessments"])
    only = a.groupby("CINdetailsID")["AssessmentID"].transform("size") == 1
    none_found = a["AssessmentID"].isin(f.loc[f["AssessmentFactors"] == NO_FACTORS, "AssessmentID"])
    other_reason = a["ReasonForClosure"].notna() & ~a["ReasonForClosure"].isin(NFA_CLOSURES)
    return found(a, only & none_found & other_reason, "ReasonForClosure")


@CIN_RULES.rule(
    "8898",
    "An assessment gives the same factor more than once.",
    table="Assessments",
    fields=("AssessmentFactors",),
    years=ALL_YEARS,
)
def factor_twice(t: Tables, ctx: Context) -> pd.DataFrame:
    f = t["factors"]
    twice = f["AssessmentFactors"].notna() & f.duplicated(["AssessmentID", "AssessmentFactors"])
    return found(f, twice, "AssessmentFactors")


@CIN_RULES.rule(
    "8736",
    "An assessment not completed by the year's end started outside the census year.",
    table="Assessments",
    fields=("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    years=ALL_YEARS,
)
def open_assessment_from_another_year(t: Tables, ctx: Context) -> pd.DataFrame:
    a = t["assessments"]
    start = a["AssessmentActualStartDate"]
    outside = (start < ctx.start) | (start > ctx.end)
    return found(a, a["AssessmentAuthorisationDate"].isna() & outside, "AssessmentActualStartDate")


@CIN_RULES.rule(
    "8740",
    "A section 47 enquiry with no initial conference by the year's end (and one not ruled "
    "out) started outside the census year.",
    table="Section47",
    fields=("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
    years=ALL_YEARS,
)
def open_s47_from_another_year(t: Tables, ctx: Context) -> pd.DataFrame:
    s = t["s47"]
    start = s["S47ActualStartDate"]
    waiting = s["DateOfInitialCPC"].isna() & ~s["ICPCnotRequired"]
    outside = (start < ctx.start) | (start > ctx.end)
    return found(s, waiting & outside, "S47ActualStartDate")


@CIN_RULES.rule(
    "8615",
    "A section 47 enquiry's start date is missing where it has an initial conference, or is "
    "after that conference.",
    table="Section47",
    fields=("S47ActualStartDate", "DateOfInitialCPC"),
    years=ALL_YEARS,
)
def s47_after_conference(t: Tables, ctx: Context) -> pd.DataFrame:
    s = t["s47"]
    start, held = s["S47ActualStartDate"], s["DateOfInitialCPC"]
    bad = (start > held) | (held.notna() & start.isna())
    return found(s, bad, "S47ActualStartDate", "DateOfInitialCPC")


@CIN_RULES.rule(
    "8569Q",
    "A referral dated before the working day before the census year began is marked as no "
    "further action (such a referral is not in this year's census).",
    table="CINdetails",
    fields=("CINreferralDate", "ReferralNFA"),
    years=ALL_YEARS,
)
def old_nfa_referral(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    eve = last_working_day_on_or_before(ctx.census.start - timedelta(days=1))
    old = e["CINreferralDate"] < pd.Timestamp(eve)
    return found(e, old & e["ReferralNFA"], "CINreferralDate")


@CIN_RULES.rule(
    "8568",
    "Whether the referral led to no further action (ReferralNFA) is missing or not a yes or "
    "no (true, false, 1 or 0).",
    table="CINdetails",
    fields=("ReferralNFA",),
    years=ALL_YEARS,
)
def referral_nfa_given(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    return found(e, ~e["ReferralNFAGiven"])


@CIN_RULES.rule(
    "8585Q",
    "The episode was closed because the child died (RC2), but the child has no date of death.",
    table="CINdetails",
    fields=("ReasonForClosure", "PersonDeathDate"),
    years=ALL_YEARS,
)
def died_without_death_date(t: Tables, ctx: Context) -> pd.DataFrame:
    e = t["cin"]
    c = t["children"]
    dead = c.loc[c["PersonDeathDate"].notna(), "LAchildID"]
    return found(
        e, (e["ReasonForClosure"] == "RC2") & ~e["LAchildID"].isin(dead), "ReasonForClosure"
    )


@CIN_RULES.rule(
    "8730",
    "A child protection plan's number of previous plans is missing.",
    table="ChildProtectionPlans",
    fields=("NumberOfPreviousCPP",),
    years=ALL_YEARS,
)
def previous_plans_missing(t: Tables, ctx: Context) -> pd.DataFrame:
    p = t["cpp"]
    number = p["NumberOfPreviousCPP"]
    return found(p, number.isna() | (number < 0), "NumberOfPreviousCPP")


@CIN_RULES.rule(
    "8842Q",
    "A child protection review has no date.",
    table="Reviews",
    fields=("CPPreviewDate",),
    years=ALL_YEARS,
)
def review_without_date(t: Tables, ctx: Context) -> pd.DataFrame:
    r = t["reviews"]
    return found(r, r["CPPreviewDate"].isna())


def _conference_days(t: Tables) -> pd.DataFrame:
    """Each initial conference held on an episode: on the episode or on one of its section 47
    enquiries (not one marked 'conference not required')."""
    e, s = t["cin"], t["s47"]
    s = s[~s["ICPCnotRequired"]]
    return pd.concat(
        [
            pd.DataFrame({"CINdetailsID": e["CINdetailsID"], "day": e["DateOfInitialCPC"]}),
            pd.DataFrame({"CINdetailsID": s["CINdetailsID"], "day": s["DateOfInitialCPC"]}),
        ]
    ).dropna()


@CIN_RULES.rule(
    "2885",
    "A child protection plan starting in the census year does not start on the day of an "
    "initial conference on its episode.",
    table="ChildProtectionPlans",
    fields=("CPPstartDate",),
    years=ALL_YEARS,
)
def plan_starts_at_conference(t: Tables, ctx: Context) -> pd.DataFrame:
    p = t["cpp"]
    held = pd.MultiIndex.from_frame(_conference_days(t)[["CINdetailsID", "day"]])
    starts = pd.MultiIndex.from_arrays([p["CINdetailsID"], p["CPPstartDate"]])
    in_year = (p["CPPstartDate"] >= ctx.start) & (p["CPPstartDate"] <= ctx.end)
    return found(p, in_year & ~starts.isin(held), "CPPstartDate")


@CIN_RULES.rule(
    "2883",
    "More child protection plans start in the census year than initial conferences are held in it.",
    table="ChildProtectionPlans",
    fields=("CPPstartDate", "DateOfInitialCPC"),
    years=ALL_YEARS,
    la_level=True,
)
def more_plans_than_conferences(t: Tables, ctx: Context) -> pd.DataFrame:
    def in_year(days: "pd.Series[pd.Timestamp]") -> int:
        return int(((days >= ctx.start) & (days <= ctx.end)).sum())

    plans = in_year(t["cpp"]["CPPstartDate"])
    conferences = in_year(t["cin"]["DateOfInitialCPC"]) + in_year(t["s47"]["DateOfInitialCPC"])
    if plans <= conferences:
        return nothing()
    return whole_return(f"{plans} plans, {conferences} conferences")


@CIN_RULES.rule(
    "4003",
    "A child protection review is held while a child in need plan is open (a review on the "
    "day the protection plan ended excepted).",
    table="Reviews",
    fields=("CPPreviewDate", "CINPlanStartDate", "CINPlanEndDate"),
    years=ALL_YEARS,
)
def review_during_cin_plan(t: Tables, ctx: Context) -> pd.DataFrame:
    r = t["reviews"].merge(t["cpp"][["CPPID", "CPPendDate"]], on="CPPID", how="left")
    r = r.reset_index(names="row")
    plans = t["cinplans"][["LAchildID", "CINPlanStartDate", "CINPlanEndDate"]]
    pairs = r.merge(plans, on="LAchildID")
    day, end = pairs["CPPreviewDate"], pairs["CINPlanEndDate"]
    during = (day >= pairs["CINPlanStartDate"]) & (end.isna() | (day < end))
    closing = day == pairs["CPPendDate"]
    return found(r, r["row"].isin(pairs.loc[during & ~closing, "row"]), "CPPreviewDate")
