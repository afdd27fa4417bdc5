"""CIN rules about the child: the shape of a UPN, the reason one is missing, birth and age,
disabilities. Each in our own words from the DfE's published rules (reference.md 1.5); the
tables are those of `tables.py`."""

from datetime import date

import pandas as pd

from safehub.core.identifiers import UPN_LETTERS
from safehub.returns.cin.checks import ALL_YEARS, CIN_RULES, Context, Tables, found

# Characters 2-4 of a UPN: the LA that issued it, an LA code from April 1998 on or a
# "pseudo LA" code (the DfE's list as the published rule 1530 carries it from 2023-24).
LA_CODES = frozenset(
    f"{n:03d}"
    for first, last in (
        (1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373),
        (380, 384), (390, 394), (420, 420), (660, 681), (701, 708), (800, 803), (805, 808),
        (810, 813), (815, 816), (820, 823), (825, 826), (830, 831), (835, 841), (845, 846),
        (850, 852), (855, 857), (860, 861), (865, 896), (908, 909), (916, 916), (919, 919),
        (921, 921), (925, 926), (928, 929), (931, 931), (933, 933), (935, 938), (940, 943),
    )
    for n in range(first, last + 1)
)  # fmt: skip
UPN_LAST = f"[0-9{UPN_LETTERS}]"  # the 13th character: a digit, or a letter in a temporary UPN
# Reasons a UPN is missing that say why a child of school age has none (UN1 is "under
# six, not at school yet").
SCHOOL_AGE_REASONS = ("UN2", "UN3", "UN4", "UN5", "UN6", "UN7")


def _upns(t: Tables) -> tuple[pd.DataFrame, "pd.Series[str]"]:
    c = t["children"]
    return c, c["UPN"].fillna("")


@CIN_RULES.rule(
    "1530",
    "UPN is not valid: characters 2-4 are not a recognised LA code.",
    table="ChildIdentifiers",
    fields=("UPN",),
    years=ALL_YEARS,
)
def upn_la_code(t: Tables, ctx: Context) -> pd.DataFrame:
    c, upn = _upns(t)
    return found(c, (upn != "") & ~upn.str[1:4].isin(LA_CODES), "UPN")


@CIN_RULES.rule(
    "1540",
    "UPN is not valid: characters 5-12 are not all digits.",
    table="ChildIdentifiers",
    fields=("UPN",),
    years=ALL_YEARS,
)
def upn_digits(t: Tables, ctx: Context) -> pd.DataFrame:
    c, upn = _upns(t)
    return found(c, (upn != "") & ~upn.str[4:12].str.fullmatch("[0-9]{8}"), "UPN")


@CIN_RULES.rule(
    "1550",
    "UPN is not valid: character 13 is neither a digit nor a UPN letter.",
    table="ChildIdentifiers",
    fields=("UPN",),
    years=ALL_YEARS,
)
def upn_last_character(t: Tables, ctx: Context) -> pd.DataFrame:
    c, upn = _upns(t)
    whole = upn.str.len() == 13
    return found(c, whole & ~upn.str.fullmatch(f".{{12}}{UPN_LAST}"), "UPN")


@CIN_RULES.rule(
    "1560Q",
    "Former UPN is not in the form of a UPN (a letter, 11 digits, then a digit or letter).",
    table="ChildIdentifiers",
    fields=("FormerUPN",),
    years=ALL_YEARS,
)
def former_upn_shape(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    former = c["FormerUPN"]
    shaped = former.fillna("").str.fullmatch(f"[A-Z][0-9]{{11}}{UPN_LAST}")
    return found(c, former.notna() & ~shaped, "FormerUPN")


def _acted_on(t: Tables) -> "pd.Series[str]":
    """The children with a referral that led to further action."""
    e = t["cin"]
    return e.loc[~e["ReferralNFA"], "LAchildID"]


@CIN_RULES.rule(
    "8770Q",
    "A child of school age referred for further action has no UPN and no reason for it other "
    "than UN1 (under school age).",
    table="ChildIdentifiers",
    fields=("UPN", "UPNunknown"),
    years=ALL_YEARS,
)
def school_age_without_upn(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    # Of school age: five by the 31 August that began the census year's school year.
    school_age = c["PersonBirthDate"] <= pd.Timestamp(date(ctx.census.end.year - 6, 8, 31))
    unexplained = c["UPN"].isna() & ~c["UPNunknown"].isin(SCHOOL_AGE_REASONS)
    asked = school_age & c["LAchildID"].isin(_acted_on(t))
    return found(c, asked & unexplained, "UPNunknown")


@CIN_RULES.rule(
    "8772",
    "The reason the UPN is missing is UN7 (referral with no further action), but a referral "
    "of the child led to further action.",
    table="ChildIdentifiers",
    fields=("UPNunknown", "ReferralNFA"),
    years=ALL_YEARS,
)
def un7_with_further_action(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, (c["UPNunknown"] == "UN7") & c["LAchildID"].isin(_acted_on(t)), "UPNunknown")


@CIN_RULES.rule(
    "8530Q",
    "The expected date of birth is outside the range for this census: from 30 days before "
    "the reference date to nine months after it, both days included.",
    table="ChildIdentifiers",
    fields=("ExpectedPersonBirthDate",),
    years=ALL_YEARS,
)
def expected_birth_in_range(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    due = c["ExpectedPersonBirthDate"]
    earliest = ctx.end - pd.DateOffset(days=30)
    latest = ctx.end + pd.DateOffset(months=9)
    return found(c, (due < earliest) | (due > latest), "ExpectedPersonBirthDate")


@CIN_RULES.rule(
    "8775Q",
    "The child is over 25 and has an episode open after their 25th birthday.",
    table="ChildIdentifiers",
    fields=("PersonBirthDate", "CINclosureDate"),
    years=ALL_YEARS,
)
def over_25(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    older = c[c["PersonBirthDate"] < ctx.end - pd.DateOffset(years=25)]
    e = t["cin"].merge(older[["LAchildID", "PersonBirthDate"]], on="LAchildID")
    birthday = e["PersonBirthDate"] + pd.DateOffset(years=25)
    late = e.loc[e["CINclosureDate"].isna() | (e["CINclosureDate"] > birthday), "LAchildID"]
    return found(c, c["LAchildID"].isin(late), "PersonBirthDate")


@CIN_RULES.rule(
    "8590",
    "The child has no episode of need (CINdetails).",
    table="ChildIdentifiers",
    fields=("LAchildID",),
    years=ALL_YEARS,
)
def child_without_episode(t: Tables, ctx: Context) -> pd.DataFrame:
    c = t["children"]
    return found(c, c["LAchildID"].notna() & ~c["LAchildID"].isin(t["cin"]["LAchildID"]))


@CIN_RULES.rule(
    "8790",
    "Disability NONE is given with other disabilities.",
    table="Disabilities",
    fields=("Disability",),
    years=ALL_YEARS,
)
def no_disability_alone(t: Tables, ctx: Context) -> pd.DataFrame:
    d = t["disabilities"]
    several = d.groupby("LAchildID")["Disability"].transform("size") > 1
    return found(d, (d["Disability"] == "NONE") & several)


@CIN_RULES.rule(
    "8794",
    "The child has the same disability code more than once.",
    table="Disabilities",
    fields=("Disability",),
    years=ALL_YEARS,
)
def disability_twice(t: Tables, ctx: Context) -> pd.DataFrame:
    d = t["disabilities"]
    twice = d["Disability"].notna() & d.duplicated(["LAchildID", "Disability"], keep="first")
    return found(d, twice, "Disability")
