"""The CIN rules that share a shape, as one table: a date outside the census year, an end
before its start, something before the referral or after the child's death, work on a
referral that led to no further action, a missing or unknown code, more than one record
still open, a record that starts while another like it is still running. Each shape is
written once below; each rule is a row naming its code, its message (the DfE's meaning in
our words) and the columns it looks at, so a rule is still found by searching for its code.
Rules with a shape of their own are in `rules.py`, `rules_children.py` and `rules_links.py`."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from safehub.returns.cin.checks import (
    ALL_YEARS,
    CIN_RULES,
    Context,
    Tables,
    found,
    with_referral,
)
from safehub.returns.cin.spec import CODE_SETS
from safehub.returns.registry import Check

# The DfE's module each table of `tables.py` stands for, as findings name it.
MODULE = {
    "children": "ChildIdentifiers",
    "cin": "CINdetails",
    "assessments": "Assessments",
    "cinplans": "CINPlanDates",
    "s47": "Section47",
    "cpp": "ChildProtectionPlans",
    "reviews": "Reviews",
}


# --- The shapes ----------------------------------------------------------------------------------


def outside_year(table: str, column: str) -> Check:
    """`column`, where given, falls outside the census year."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = t[table]
        day = f[column]
        return found(f, day.notna() & ((day < ctx.start) | (day > ctx.end)), column)

    return check


def missing_or_after_year(table: str, column: str) -> Check:
    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = t[table]
        return found(f, f[column].isna() | (f[column] > ctx.end), column)

    return check


def before(table: str, earlier: str, later: str) -> Check:
    """`later` is dated before `earlier` on the same row (both given)."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = t[table]
        return found(f, f[later] < f[earlier], earlier, later)

    return check


def same_day(table: str, first: str, second: str) -> Check:
    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = t[table]
        return found(f, f[first] == f[second], first)

    return check


def after_death(table: str, column: str) -> Check:
    """`column` is dated after the child's date of death."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        deaths = t["children"][["LAchildID", "PersonDeathDate"]].dropna()
        f = t[table].merge(deaths.drop_duplicates("LAchildID"), on="LAchildID", how="left")
        return found(f, f[column] > f["PersonDeathDate"], column, "PersonDeathDate")

    return check


def before_referral(table: str, column: str) -> Check:
    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = with_referral(t, t[table])
        return found(f, f[column] < f["CINreferralDate"], column)

    return check


def on_nfa_referral(table: str, column: str) -> Check:
    """A record of `table` on an episode whose referral led to no further action."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = with_referral(t, t[table])
        return found(f, f["ReferralNFA"].eq(True), column)

    return check


def not_a_code(table: str, column: str, code_set: str, *, required: bool) -> Check:
    """`column` holds a value outside its code set (or, where `required`, nothing)."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        f = t[table]
        value = f[column]
        bad = value.notna() & ~value.isin(CODE_SETS[code_set])
        return found(f, bad | value.isna() if required else bad, column)

    return check


@dataclass(frozen=True)
class Span:
    """Records of one table that run from `start` to `end`; one with no end is running at
    the year's end unless `ended` says it finished undated (a section 47 enquiry that
    needed no conference)."""

    table: str
    start: str
    end: str
    ended: str | None = None

    def frame(self, t: Tables) -> pd.DataFrame:
        f = t[self.table]
        stopped = f[self.ended] if self.ended else pd.Series(False, index=f.index)
        return pd.DataFrame(
            {
                "LAchildID": f["LAchildID"],
                "CINdetailsID": f["CINdetailsID"],
                "from": f[self.start],
                "to": f[self.end],
                "running": f[self.end].isna() & ~stopped.astype(bool),
            }
        )


def starts_during(
    table: str,
    start: str,
    other: Span,
    *,
    within: str = "LAchildID",
    last_day_inside: bool = True,
    twins_apart: bool = False,
) -> Check:
    """A `table` record starts while a record of `other` (sharing `within`: the child or the
    episode) is running: on or after its start and before its end (on its end too, where
    `last_day_inside`), or with no end by the year's end. Within one table a record is not
    compared with itself, nor, where `twins_apart`, with an exact copy of itself (the DfE
    treats a repeated record as one)."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        rows = t[table]
        pairs = _pairs(rows, t, within, start, other)
        if other.table == table:
            pairs = pairs[pairs["row"] != pairs["other"]]
            if twins_apart:
                same_end = (pairs["ends"] == pairs["to"]) | (
                    pairs["ends"].isna() & pairs["to"].isna()
                )
                pairs = pairs[~((pairs["starts"] == pairs["from"]) & same_end)]
        starts, to = pairs["starts"], pairs["to"]
        before_end = starts <= to if last_day_inside else starts < to
        running = pairs["running"] & (starts <= ctx.end)
        inside = (starts >= pairs["from"]) & (before_end | running)
        hit = pd.Series(rows.index.isin(pairs.loc[inside, "row"]), index=rows.index)
        return found(rows, hit, start)

    return check


def more_than_one_running(span: Span, within: str) -> Check:
    """More than one `span` record sharing `within` (the child or the episode) is still
    running: each of them is found."""

    def check(t: Tables, ctx: Context) -> pd.DataFrame:
        rows = t[span.table]
        running = span.frame(t)["running"]
        return found(rows, running & rows[within].where(running).duplicated(keep=False))

    return check


def _pairs(rows: pd.DataFrame, t: Tables, within: str, start: str, other: Span) -> pd.DataFrame:
    """Each row of `rows` beside each `other` record sharing its `within`: the row's start
    and (within one table) its own end, the other's span and whether it is still running."""
    mine = pd.DataFrame({within: rows[within], "starts": rows[start], "row": rows.index})
    if other.end in rows:  # the same table: a row's own end, to tell a repeated record
        mine["ends"] = rows[other.end]
    others = other.frame(t).reset_index(names="other")
    return mine.merge(others[[within, "from", "to", "running", "other"]], on=within)


# --- The rules -----------------------------------------------------------------------------------

CIN_PLAN = Span("cinplans", "CINPlanStartDate", "CINPlanEndDate")
CP_PLAN = Span("cpp", "CPPstartDate", "CPPendDate")
ASSESSMENT = Span("assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate")
SECTION_47 = Span("s47", "S47ActualStartDate", "DateOfInitialCPC", ended="ICPCnotRequired")


@dataclass(frozen=True)
class Row:
    code: str
    message: str
    table: str  # the table of `tables.py` its findings point into
    fields: tuple[str, ...]
    check: Check
    module: str = ""  # where it is not the table's own module


TABLE: tuple[Row, ...] = (
    # Dates inside the census year
    Row("8620", "An episode's closure date is outside the census year.",
        "cin", ("CINclosureDate",), outside_year("cin", "CINclosureDate")),
    Row("8696", "An assessment's completion (authorisation) date is outside the census year.",
        "assessments", ("AssessmentAuthorisationDate",),
        outside_year("assessments", "AssessmentAuthorisationDate")),
    Row("8715", "A section 47 enquiry's initial conference is dated outside the census year.",
        "s47", ("DateOfInitialCPC",), outside_year("s47", "DateOfInitialCPC")),
    Row("4013", "A child in need plan's end date is outside the census year.",
        "cinplans", ("CINPlanEndDate",), outside_year("cinplans", "CINPlanEndDate")),
    Row("8930", "A child protection plan's end date is outside the census year.",
        "cpp", ("CPPendDate",), outside_year("cpp", "CPPendDate")),
    Row("8545Q", "The child's date of death is outside the census year.",
        "children", ("PersonDeathDate",), outside_year("children", "PersonDeathDate")),
    Row("4010", "A child in need plan's start date is missing or after the census year ends.",
        "cinplans", ("CINPlanStartDate",), missing_or_after_year("cinplans", "CINPlanStartDate")),
    Row("8720", "A child protection plan's start date is missing or after the census year ends.",
        "cpp", ("CPPstartDate",), missing_or_after_year("cpp", "CPPstartDate")),
    # An end before its start
    Row("8630", "An episode closes before its referral date.",
        "cin", ("CINreferralDate", "CINclosureDate"),
        before("cin", "CINreferralDate", "CINclosureDate")),
    Row("8608", "An assessment is completed (authorised) before it started.",
        "assessments", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        before("assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate")),
    Row("4011", "A child in need plan ends before it starts.",
        "cinplans", ("CINPlanStartDate", "CINPlanEndDate"),
        before("cinplans", "CINPlanStartDate", "CINPlanEndDate")),
    Row("8925", "A child protection plan ends before it starts.",
        "cpp", ("CPPstartDate", "CPPendDate"), before("cpp", "CPPstartDate", "CPPendDate")),
    Row("8535Q", "The child's date of death is before their date of birth.",
        "children", ("PersonBirthDate", "PersonDeathDate"),
        before("children", "PersonBirthDate", "PersonDeathDate")),
    Row("4012Q", "A child in need plan starts and ends on the same day.",
        "cinplans", ("CINPlanStartDate", "CINPlanEndDate"),
        same_day("cinplans", "CINPlanStartDate", "CINPlanEndDate")),
    # Nothing before the referral
    Row("1103", "An assessment starts before its episode's referral date.",
        "assessments", ("AssessmentActualStartDate",),
        before_referral("assessments", "AssessmentActualStartDate")),
    Row("4015", "A child in need plan starts before its episode's referral date.",
        "cinplans", ("CINPlanStartDate",), before_referral("cinplans", "CINPlanStartDate")),
    Row("2889", "A section 47 enquiry starts before its episode's referral date.",
        "s47", ("S47ActualStartDate",), before_referral("s47", "S47ActualStartDate")),
    Row("1105", "A child protection plan starts before its episode's referral date.",
        "cpp", ("CPPstartDate",), before_referral("cpp", "CPPstartDate")),
    Row("1104", "A section 47 enquiry's initial conference is dated before the episode's "
        "referral date.",
        "s47", ("DateOfInitialCPC", "CINreferralDate"), before_referral("s47", "DateOfInitialCPC")),
    # Nothing after the child's death
    Row("8555Q", "The child is referred after their date of death.",
        "cin", ("CINreferralDate", "PersonDeathDate"), after_death("cin", "CINreferralDate")),
    Row("4008", "A child in need plan starts after the child's date of death.",
        "cinplans", ("CINPlanStartDate", "PersonDeathDate"),
        after_death("cinplans", "CINPlanStartDate")),
    Row("4009Q", "A child in need plan ends after the child's date of death.",
        "cinplans", ("CINPlanEndDate", "PersonDeathDate"),
        after_death("cinplans", "CINPlanEndDate")),
    Row("8915", "A child protection plan starts after the child's date of death.",
        "cpp", ("CPPstartDate", "PersonDeathDate"), after_death("cpp", "CPPstartDate")),
    Row("8920", "A child protection plan ends after the child's date of death.",
        "cpp", ("CPPendDate", "PersonDeathDate"), after_death("cpp", "CPPendDate")),
    # Nothing on a referral that led to no further action
    Row("8831", "An assessment is recorded on an episode whose referral led to no further "
        "action.",
        "assessments", ("AssessmentActualStartDate", "ReferralNFA"),
        on_nfa_referral("assessments", "AssessmentActualStartDate")),
    Row("4000", "A child in need plan is recorded on an episode whose referral led to no "
        "further action.",
        "cinplans", ("CINPlanStartDate", "ReferralNFA"),
        on_nfa_referral("cinplans", "CINPlanStartDate")),
    Row("8832", "A child protection plan is recorded on an episode whose referral led to no "
        "further action.",
        "cpp", ("CPPstartDate", "ReferralNFA"), on_nfa_referral("cpp", "CPPstartDate")),
    # Codes
    Row("4220", "Ethnicity is missing or not a valid code.",
        "children", ("Ethnicity",), not_a_code("children", "Ethnicity", "ethnicity", required=True),
        module="ChildCharacteristics"),
    Row("8866", "Referral source is missing or not a valid code.",
        "cin", ("ReferralSource",),
        not_a_code("cin", "ReferralSource", "referral_source", required=True)),
    Row("8650", "Primary need is not a valid code.",
        "cin", ("PrimaryNeedCode",),
        not_a_code("cin", "PrimaryNeedCode", "primary_need", required=False)),
    Row("8640", "Reason for closure is not a valid code.",
        "cin", ("ReasonForClosure",),
        not_a_code("cin", "ReasonForClosure", "closure_reason", required=False)),
    Row("8905", "A child protection plan's initial category of abuse is missing or not a "
        "valid code.",
        "cpp", ("InitialCategoryOfAbuse",),
        not_a_code("cpp", "InitialCategoryOfAbuse", "category_of_abuse", required=True)),
    Row("8910", "A child protection plan's latest category of abuse is missing or not a "
        "valid code.",
        "cpp", ("LatestCategoryOfAbuse",),
        not_a_code("cpp", "LatestCategoryOfAbuse", "category_of_abuse", required=True)),
    # One at a time
    Row("4004", "A child has more than one open child in need plan.",
        "cinplans", ("CINPlanEndDate",), more_than_one_running(CIN_PLAN, "LAchildID")),
    Row("8935", "A child has more than one open child protection plan.",
        "cpp", ("CPPendDate",), more_than_one_running(CP_PLAN, "LAchildID")),
    Row("8896", "An episode has more than one assessment still open (no authorisation date).",
        "assessments", ("AssessmentAuthorisationDate",),
        more_than_one_running(ASSESSMENT, "CINdetailsID")),
    Row("8839", "An episode has more than one section 47 enquiry still open (no initial "
        "conference, and one not ruled out).",
        "s47", ("DateOfInitialCPC", "ICPCnotRequired"),
        more_than_one_running(SECTION_47, "CINdetailsID")),
    Row("4014", "A child's child in need plans overlap: one starts before another ended.",
        "cinplans", ("CINPlanStartDate", "CINPlanEndDate"),
        starts_during("cinplans", "CINPlanStartDate", CIN_PLAN)),
    Row("8940", "A child's child protection plans overlap: one starts before another ended.",
        "cpp", ("CPPstartDate", "CPPendDate"), starts_during("cpp", "CPPstartDate", CP_PLAN)),
    Row("8863Q", "An assessment starts while another on the same episode is still going on.",
        "assessments", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
        starts_during("assessments", "AssessmentActualStartDate", ASSESSMENT,
                      within="CINdetailsID", twins_apart=True)),
    Row("8890", "A section 47 enquiry starts while another on the same episode is still going "
        "on (no initial conference yet, and one not ruled out).",
        "s47", ("S47ActualStartDate",),
        starts_during("s47", "S47ActualStartDate", SECTION_47,
                      within="CINdetailsID", twins_apart=True)),
    Row("4016", "A child in need plan starts while a child protection plan is open.",
        "cinplans", ("CINPlanStartDate", "CPPstartDate", "CPPendDate"),
        starts_during("cinplans", "CINPlanStartDate", CP_PLAN, last_day_inside=False)),
    Row("4017", "A child protection plan starts while a child in need plan is open.",
        "cpp", ("CPPstartDate", "CINPlanStartDate", "CINPlanEndDate"),
        starts_during("cpp", "CPPstartDate", CIN_PLAN, last_day_inside=False)),
)  # fmt: skip


def _register(rows: tuple[Row, ...], register: Callable[..., Callable[[Check], Check]]) -> None:
    for row in rows:
        module = row.module or MODULE[row.table]
        register(row.code, row.message, table=module, fields=row.fields, years=ALL_YEARS)(row.check)


_register(TABLE, CIN_RULES.rule)
