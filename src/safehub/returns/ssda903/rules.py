"""The DfE's SSDA903 validation rules SafeHub checks, each in our own words, each a few
column operations over every child at once (`tables.py` describes the tables: text as sent,
with a parsed twin `COLUMN@` for each date). Rule numbers and meanings are the DfE's (the
published rule list for 2024-25, reference.md section 2); `docs/903-validation-rules.md`
lists them (`manage.py returns_rules_doc`) and `returns/tests/test_903_rules.py` breaks a
clean return once for every rule and expects that rule to say so. Rules that compare with
last year's return are not run: SafeHub validates one year's files."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from safehub.returns.registry import Check, RuleSet
from safehub.returns.ssda903.spec import CODE_SETS, YEARS, CollectionYear
from safehub.returns.ssda903.tables import PARSED

S903_RULES = RuleSet("SSDA903")
ALL_YEARS = tuple(YEARS)
Tables = dict[str, pd.DataFrame]

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
SHORT_BREAKS = ("V3", "V4")
ADOPTED = ("E11", "E12")
SGO = ("E45", "E46", "E47", "E48")
OC2_ITEMS = ("CONVICTED", "HEALTH_ASSESSMENT", "IMMUNISATIONS", "TEETH_CHECK", "SUBSTANCE_MISUSE")
OC2_FLAGS = (*OC2_ITEMS, "HEALTH_CHECK", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")


@dataclass(frozen=True)
class Context:
    year: CollectionYear
    # Tables several rules derive (episodes in order, periods of care), made once per run.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def once(self, name: str, make: Callable[[], Any]) -> Any:
        if name not in self.memo:
            self.memo[name] = make()
        return self.memo[name]

    @property
    def start(self) -> pd.Timestamp:
        return pd.Timestamp(self.year.start)

    @property
    def end(self) -> pd.Timestamp:
        return pd.Timestamp(self.year.end)


def _found(frame: pd.DataFrame, mask: "pd.Series[bool]", *fields: str) -> pd.DataFrame:
    return frame.loc[mask, ["CHILD", "line", *fields]]


def _date(frame: pd.DataFrame, column: str) -> "pd.Series[pd.Timestamp]":
    return frame[column + PARSED]


def _given(frame: pd.DataFrame, column: str) -> "pd.Series[bool]":
    return frame[column] != ""


def _age(
    born: "pd.Series[pd.Timestamp]", on: "pd.Series[pd.Timestamp] | pd.Timestamp"
) -> "pd.Series[int]":
    """Whole years from `born` to `on` (missing where either is)."""
    on_s = on if isinstance(on, pd.Series) else pd.Series(on, index=born.index)
    before_birthday = (on_s.dt.month * 100 + on_s.dt.day) < (born.dt.month * 100 + born.dt.day)
    return on_s.dt.year - born.dt.year - before_birthday.astype(int)


def _with_header(t: Tables, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with each child's header DOB (as `HDOB@`) beside it."""
    header = t["header"].drop_duplicates("CHILD")[["CHILD", "DOB" + PARSED]]
    return frame.merge(header.rename(columns={"DOB" + PARSED: "HDOB@"}), on="CHILD", how="left")


def _episodes(t: Tables, c: Context) -> pd.DataFrame:
    """The episodes in order within each child, each with the next one's start and reason."""
    return c.once("episodes", lambda: _ordered_episodes(t))


def _ordered_episodes(t: Tables) -> pd.DataFrame:
    e = t["episodes"].sort_values(["CHILD", "DECOM" + PARSED, "line"], kind="stable")
    following = e.groupby("CHILD", sort=False)
    return e.assign(
        next_start=following["DECOM" + PARSED].shift(-1),
        next_rne=following["RNE"].shift(-1),
        is_last=following.cumcount(ascending=False) == 0,
        is_first=following.cumcount() == 0,
    )


def _code_rule(
    code: str, message: str, table: str, key: str, column: str, codes: str, *, blank_ok: bool
) -> None:
    allowed = CODE_SETS[codes]

    def check(t: Tables, _: Context) -> pd.DataFrame:
        frame = t[key]
        bad = ~frame[column].isin(allowed)
        if blank_ok:
            bad &= _given(frame, column)
        return _found(frame, bad, column)

    S903_RULES.rule(code, message, table=table, fields=(column,), years=ALL_YEARS)(check)


def _date_rule(
    code: str, message: str, table: str, key: str, column: str, *, blank_ok: bool
) -> None:
    def check(t: Tables, _: Context) -> pd.DataFrame:
        frame = t[key]
        bad = _date(frame, column).isna() & (_given(frame, column) | (not blank_ok))
        return _found(frame, bad, column)

    S903_RULES.rule(code, message, table=table, fields=(column,), years=ALL_YEARS)(check)


def _rule(code: str, message: str, table: str, fields: Iterable[str]) -> Callable[[Check], Check]:
    return S903_RULES.rule(code, message, table=table, fields=fields, years=ALL_YEARS)


# --- Codes and dates that are not what the file allows ------------------------------------

for _args in (
    ("101", "SEX must be M, F or U.", "Header", "header", "SEX", "sex", False),
    (
        "103",
        "ETHNIC must be one of the DfE's ethnicity codes.",
        "Header",
        "header",
        "ETHNIC",
        "ethnicity",
        False,
    ),
    (
        "143",
        "RNE (reason for new episode) must be a valid code.",
        "Episodes",
        "episodes",
        "RNE",
        "rne",
        False,
    ),
    ("144", "LS (legal status) must be a valid code.", "Episodes", "episodes", "LS", "ls", False),
    (
        "145",
        "CIN (category of need) must be N1 to N8.",
        "Episodes",
        "episodes",
        "CIN",
        "cin",
        False,
    ),
    (
        "146",
        "PLACE (placement type) must be a valid code.",
        "Episodes",
        "episodes",
        "PLACE",
        "place",
        False,
    ),
    (
        "149",
        "REC (reason episode ceased), when given, must be a valid code.",
        "Episodes",
        "episodes",
        "REC",
        "rec",
        True,
    ),
    (
        "167",
        "REVIEW_CODE (participation) must be PN0 to PN7.",
        "Reviews",
        "reviews",
        "REVIEW_CODE",
        "review_code",
        False,
    ),
    (
        "1006",
        "MISSING must be M (missing) or A (away without authorisation).",
        "Missing",
        "missing",
        "MISSING",
        "missing",
        False,
    ),
    (
        "196",
        "SDQ_REASON, when given, must be SDQ1 to SDQ5.",
        "OC2",
        "oc2",
        "SDQ_REASON",
        "sdq_reason",
        True,
    ),
    ("131", "IN_TOUCH must be a valid code.", "OC3", "oc3", "IN_TOUCH", "in_touch", False),
    (
        "132",
        "ACTIV (activity after leaving care) must be a valid code.",
        "OC3",
        "oc3",
        "ACTIV",
        "activ",
        False,
    ),
    (
        "133",
        "ACCOM (accommodation after leaving care) must be a valid code.",
        "OC3",
        "oc3",
        "ACCOM",
        "accom",
        False,
    ),
    ("175", "NB_ADOPTR must be 1 or 2.", "AD1", "ad1", "NB_ADOPTR", "nb_adoptr", False),
    (
        "176",
        "SEX_ADOPTR must be M1, F1, MM, FF or MF.",
        "AD1",
        "ad1",
        "SEX_ADOPTR",
        "sex_adoptr",
        False,
    ),
    ("177", "LS_ADOPTR must be a valid code.", "AD1", "ad1", "LS_ADOPTR", "ls_adoptr", False),
    (
        "120",
        "REASON_PLACED_CEASED, when given, must be RD1 to RD4.",
        "PlacedAdoption",
        "placed_adoption",
        "REASON_PLACED_CEASED",
        "reason_placed_ceased",
        True,
    ),
    (
        "631",
        "PREV_PERM must be P1 to P4 or Z1.",
        "PrevPerm",
        "prev_perm",
        "PREV_PERM",
        "prev_perm",
        False,
    ),
):
    _code_rule(*_args[:6], blank_ok=_args[6])

for _dates in (
    ("102", "DOB must be a date (dd/mm/yyyy).", "Header", "header", "DOB", False),
    (
        "171",
        "MC_DOB (the mother's child's date of birth), when given, must be a date.",
        "Header",
        "header",
        "MC_DOB",
        True,
    ),
    (
        "104",
        "DUC (date UASC status ceased), when given, must be a date.",
        "UASC",
        "uasc",
        "DUC",
        True,
    ),
    ("141", "DECOM (date episode began) must be a date.", "Episodes", "episodes", "DECOM", False),
    (
        "147",
        "DEC (date episode ceased), when given, must be a date.",
        "Episodes",
        "episodes",
        "DEC",
        True,
    ),
    ("166", "REVIEW must be a date.", "Reviews", "reviews", "REVIEW", False),
    ("112", "DATE_INT, when given, must be a date.", "AD1", "ad1", "DATE_INT", True),
    (
        "115",
        "DATE_PLACED must be a date.",
        "PlacedAdoption",
        "placed_adoption",
        "DATE_PLACED",
        False,
    ),
    (
        "116",
        "DATE_PLACED_CEASED, when given, must be a date.",
        "PlacedAdoption",
        "placed_adoption",
        "DATE_PLACED_CEASED",
        True,
    ),
    ("1004", "MIS_START must be a date.", "Missing", "missing", "MIS_START", False),
    ("1005", "MIS_END, when given, must be a date.", "Missing", "missing", "MIS_END", True),
):
    _date_rule(*_dates[:5], blank_ok=_dates[5])


# --- The header -----------------------------------------------------------------------------


@_rule("301", "DOB must not be after the collection year ends.", "Header", ("DOB",))
def _born_after_year(t: Tables, c: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, _date(h, "DOB") > c.end, "DOB")


@_rule(
    "351", "The child must not be over 25 at the start of the collection year.", "Header", ("DOB",)
)
def _over_25(t: Tables, c: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, _age(_date(h, "DOB"), c.start) > 25, "DOB")


@_rule(
    "174",
    "A mother's child's date of birth is given but SEX says the child is male.",
    "Header",
    ("SEX", "MC_DOB"),
)
def _male_mother(t: Tables, _: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, (h["SEX"] == "M") & _given(h, "MC_DOB"), "SEX", "MC_DOB")


@_rule(
    "611",
    "MOTHER is 1 but the date of birth of her child (MC_DOB) is blank.",
    "Header",
    ("MOTHER", "MC_DOB"),
)
def _mother_without_date(t: Tables, _: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, (h["MOTHER"] == "1") & ~_given(h, "MC_DOB"), "MOTHER", "MC_DOB")


@_rule(
    "612",
    "MC_DOB is given but MOTHER does not say the child is a mother.",
    "Header",
    ("MOTHER", "MC_DOB"),
)
def _date_without_mother(t: Tables, _: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, _given(h, "MC_DOB") & (h["MOTHER"] != "1"), "MOTHER", "MC_DOB")


@_rule(
    "621",
    "The mother's child (MC_DOB) cannot be born before the mother (DOB).",
    "Header",
    ("DOB", "MC_DOB"),
)
def _mother_younger(t: Tables, _: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, _date(h, "MC_DOB") <= _date(h, "DOB"), "DOB", "MC_DOB")


# --- Episodes: dates and continuity -------------------------------------------------------


@_rule("148", "DEC and REC must both be given or both left blank.", "Episodes", ("DEC", "REC"))
def _dec_with_rec(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, _given(e, "DEC") != _given(e, "REC"), "DEC", "REC")


@_rule(
    "356",
    "DEC (date episode ceased) is before DECOM (date it began).",
    "Episodes",
    ("DECOM", "DEC"),
)
def _ends_before_start(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, _date(e, "DEC") < _date(e, "DECOM"), "DECOM", "DEC")


@_rule("385", "DEC must be on or before the end of the collection year.", "Episodes", ("DEC",))
def _ends_after_year(t: Tables, c: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, _date(e, "DEC") > c.end, "DEC")


@_rule("353", "No episode can start before 14 October 1991.", "Episodes", ("DECOM",))
def _before_the_act(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, _date(e, "DECOM") < pd.Timestamp(1991, 10, 14), "DECOM")


@_rule("302", "The first episode starts before the child was born.", "Episodes", ("DECOM", "DOB"))
def _before_birth(t: Tables, c: Context) -> pd.DataFrame:
    e = c.once("episodes+dob", lambda: _with_header(t, t["episodes"]))
    return _found(e, _date(e, "DECOM") < e["HDOB@"], "DECOM")


@_rule(
    "142", "A later episode has started but this one has no end date.", "Episodes", ("DEC", "REC")
)
def _open_before_next(t: Tables, c: Context) -> pd.DataFrame:
    e = _episodes(t, c)
    return _found(e, ~e["is_last"] & _date(e, "DEC").isna() & ~_given(e, "DEC"), "DECOM", "DEC")


@_rule("501", "An episode starts before the previous episode ended.", "Episodes", ("DECOM", "DEC"))
def _overlapping(t: Tables, c: Context) -> pd.DataFrame:
    e = _episodes(t, c)
    return _found(e, e["next_start"] < _date(e, "DEC"), "DECOM", "DEC", "next_start")


@_rule(
    "388",
    "REC is X1 (a new episode starts the same day) but no episode starts that day.",
    "Episodes",
    ("REC",),
)
def _x1_without_next(t: Tables, c: Context) -> pd.DataFrame:
    e = _episodes(t, c)
    bad = (e["REC"] == "X1") & (e["next_start"] != _date(e, "DEC"))
    return _found(e, bad, "DEC", "REC")


@_rule(
    "357",
    "An episode that starts a period of care must have RNE S.",
    "Episodes",
    ("RNE",),
)
def _first_must_be_s(t: Tables, c: Context) -> pd.DataFrame:
    e = _episodes(t, c)
    previous = e.groupby("CHILD", sort=False)
    ended_before = previous["REC"].shift(1)
    # The first episode in the file began a period only if it began in the year: one that
    # began before it carries on from last year's return, which SafeHub does not read.
    first_this_year = e["is_first"] & (_date(e, "DECOM") >= c.start)
    starts_period = first_this_year | (ended_before.notna() & (ended_before != "X1"))
    return _found(e, starts_period & (e["RNE"] != "S"), "DECOM", "RNE")


@_rule(
    "380",
    "A period of care cannot start with a temporary placement (T0 to T4).",
    "Episodes",
    ("RNE", "PLACE"),
)
def _starts_temporary(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, (e["RNE"] == "S") & e["PLACE"].isin(TEMPORARY), "RNE", "PLACE")


# --- Episodes: legal status, placement and how long ---------------------------------------


def _days(e: pd.DataFrame, c: Context) -> "pd.Series[int]":
    """How long each episode lasted, to the year's end for one still open."""
    ended = _date(e, "DEC").fillna(c.end)
    return (ended - _date(e, "DECOM")).dt.days


@_rule(
    "361",
    "Police protection (LS L1) lasted longer than 72 hours.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _police_protection(t: Tables, c: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, (e["LS"] == "L1") & (_days(e, c) > 3), "LS", "DECOM", "DEC")


@_rule(
    "362",
    "An emergency protection order (LS L2) lasted longer than 21 days.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _epo(t: Tables, c: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, (e["LS"] == "L2") & (_days(e, c) > 21), "LS", "DECOM", "DEC")


@_rule(
    "363",
    "A child assessment order (LS L3) lasted longer than 7 days.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _assessment_order(t: Tables, c: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, (e["LS"] == "L3") & (_days(e, c) > 7), "LS", "DECOM", "DEC")


@_rule(
    "365",
    "A single short break (LS V3) must not last more than 17 days.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _short_break(t: Tables, c: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, (e["LS"] == "V3") & (_days(e, c) > 17), "LS", "DECOM", "DEC")


@_rule(
    "379",
    "A temporary placement for another reason (T4) cannot last more than 7 days.",
    "Episodes",
    ("PLACE", "DECOM"),
)
def _t4(t: Tables, c: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, (e["PLACE"] == "T4") & (_days(e, c) > 7), "PLACE", "DECOM", "DEC")


@_rule(
    "382",
    "A child on short breaks (V3, V4) cannot be in a temporary placement.",
    "Episodes",
    ("LS", "PLACE"),
)
def _short_break_temporary(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, e["LS"].isin(SHORT_BREAKS) & e["PLACE"].isin(TEMPORARY), "LS", "PLACE")


@_rule(
    "408",
    "Placed for adoption under a placement order (A5, A6) but LS is not E1 or D1.",
    "Episodes",
    ("LS", "PLACE"),
)
def _a5_a6_order(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(e, e["PLACE"].isin(("A5", "A6")) & ~e["LS"].isin(("E1", "D1")), "LS", "PLACE")


def _provider_rule(code: str, provider: str, places: tuple[str, ...]) -> None:
    listed = ", ".join(places)

    def check(t: Tables, _: Context) -> pd.DataFrame:
        e = t["episodes"]
        return _found(
            e,
            (e["PLACE_PROVIDER"] == provider) & e["PLACE"].isin(places),
            "PLACE",
            "PLACE_PROVIDER",
        )

    _rule(
        code,
        f"Placement provider {provider} cannot be used with placement {listed}.",
        "Episodes",
        ("PLACE", "PLACE_PROVIDER"),
    )(check)


_provider_rule("527", "PR1", ("P1", "R2", "R5"))
_provider_rule("528", "PR2", ("P1", "R2", "R5"))
_provider_rule("530", "PR4", ("P1",))
_provider_rule("531", "PR5", ("P1",))


@_rule(
    "550",
    "Placement provider PR0 can only be used with placement P1.",
    "Episodes",
    ("PLACE", "PLACE_PROVIDER"),
)
def _pr0(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    return _found(
        e, (e["PLACE_PROVIDER"] == "PR0") & (e["PLACE"] != "P1"), "PLACE", "PLACE_PROVIDER"
    )


@_rule(
    "526",
    "A placement provider must be given for every placement but a temporary one or Z1.",
    "Episodes",
    ("PLACE", "PLACE_PROVIDER"),
)
def _provider_missing(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    needed = ~e["PLACE"].isin((*TEMPORARY, "Z1"))
    return _found(e, needed & ~_given(e, "PLACE_PROVIDER"), "PLACE", "PLACE_PROVIDER")


def _age_rule(code: str, message: str, place: str, under: int) -> None:
    def check(t: Tables, c: Context) -> pd.DataFrame:
        e = c.once("episodes+dob", lambda: _with_header(t, t["episodes"]))
        young = _age(e["HDOB@"], _date(e, "DECOM")) < under
        return _found(e, (e["PLACE"] == place) & young, "PLACE", "DECOM")

    _rule(code, message, "Episodes", ("DECOM", "PLACE"))(check)


_age_rule("371", "A child in supported accommodation (H5) must be at least 16.", "H5", 16)
_age_rule("373", "A child placed in a residential school (S1) must be at least 4.", "S1", 4)
_age_rule("374", "A child in residential employment (P3) must be at least 14.", "P3", 14)


def _over_18_rule(code: str, message: str, reasons: tuple[str, ...]) -> None:
    def check(t: Tables, c: Context) -> pd.DataFrame:
        e = c.once("episodes+dob", lambda: _with_header(t, t["episodes"]))
        adult = _age(e["HDOB@"], _date(e, "DEC")) >= 18
        return _found(e, e["REC"].isin(reasons) & adult, "DEC", "REC")

    _rule(code, message, "Episodes", ("DEC", "REC"))(check)


_over_18_rule("386", "REC says the child was adopted, but they were 18 or over.", ADOPTED)
_over_18_rule("407", "REC is a special guardianship order, but the child was 18 or over.", SGO)


@_rule(
    "390",
    "REC says the child was adopted but the episode is not a placement for adoption.",
    "Episodes",
    ("PLACE", "REC"),
)
def _adopted_unplaced(t: Tables, _: Context) -> pd.DataFrame:
    e = t["episodes"]
    placed = e["PLACE"].isin(("A3", "A4", "A5", "A6"))
    return _found(e, e["REC"].isin(ADOPTED) & ~placed, "PLACE", "REC")


# --- Reviews and missing episodes ---------------------------------------------------------


@_rule(
    "440",
    "REVIEW_CODE says the child was under 4 (PN0) but they were 4 or over at the review.",
    "Reviews",
    ("DOB", "REVIEW", "REVIEW_CODE"),
)
def _pn0_too_old(t: Tables, _: Context) -> pd.DataFrame:
    r = t["reviews"]
    old = _age(_date(r, "DOB"), _date(r, "REVIEW")) >= 4
    return _found(r, (r["REVIEW_CODE"] == "PN0") & old, "DOB", "REVIEW", "REVIEW_CODE")


@_rule(
    "441",
    "REVIEW_CODE says the child was 4 or over but they were under 4 at the review.",
    "Reviews",
    ("DOB", "REVIEW", "REVIEW_CODE"),
)
def _pn1_too_young(t: Tables, _: Context) -> pd.DataFrame:
    r = t["reviews"]
    young = _age(_date(r, "DOB"), _date(r, "REVIEW")) < 4
    coded = r["REVIEW_CODE"].isin(CODE_SETS["review_code"]) & (r["REVIEW_CODE"] != "PN0")
    return _found(r, coded & young, "DOB", "REVIEW", "REVIEW_CODE")


@_rule("570", "MIS_START is after the end of the collection year.", "Missing", ("MIS_START",))
def _missing_after_year(t: Tables, c: Context) -> pd.DataFrame:
    m = t["missing"]
    return _found(m, _date(m, "MIS_START") > c.end, "MIS_START")


@_rule(
    "571",
    "MIS_END is before the start or after the end of the collection year.",
    "Missing",
    ("MIS_END",),
)
def _missing_end_outside(t: Tables, c: Context) -> pd.DataFrame:
    m = t["missing"]
    ended = _date(m, "MIS_END")
    return _found(m, (ended < c.start) | (ended > c.end), "MIS_END")


@_rule("586", "A missing period starts before the child was born.", "Missing", ("DOB", "MIS_START"))
def _missing_before_birth(t: Tables, _: Context) -> pd.DataFrame:
    m = t["missing"]
    return _found(m, _date(m, "MIS_START") < _date(m, "DOB"), "DOB", "MIS_START")


@_rule(
    "574",
    "A missing period starts while the one before it is still open or has not ended.",
    "Missing",
    ("MIS_START", "MIS_END"),
)
def _missing_overlap(t: Tables, _: Context) -> pd.DataFrame:
    m = t["missing"].sort_values(["CHILD", "MIS_START" + PARSED, "line"], kind="stable")
    before = m.groupby("CHILD", sort=False)
    previous_end = before["MIS_END" + PARSED].shift(1)
    has_previous = before.cumcount() > 0
    open_before = has_previous & previous_end.isna()
    return _found(m, open_before | (_date(m, "MIS_START") < previous_end), "MIS_START", "MIS_END")


# --- OC2: children looked after continuously for 12 months at 31 March --------------------


def oc2_children(t: Tables, c: Context) -> set[str]:
    return c.once("oc2_children", lambda: _oc2_children(t, c))


def _oc2_children(t: Tables, c: Context) -> set[str]:
    """Who the OC2 is about: looked after without a break from before the year began to its
    end, other than on short breaks (V3, V4) at the end. Periods of care are the runs of
    episodes joined by X1 endings."""
    e = _episodes(t, c)
    previous = e.groupby("CHILD", sort=False)["REC"].shift(1)
    e["period"] = (e["is_first"] | (previous != "X1")).cumsum()
    # The first and last episode of each period (groupby's "last" would skip a blank end).
    first = e.drop_duplicates("period", keep="first").set_index("period")
    last = e.drop_duplicates("period", keep="last").set_index("period")
    periods = pd.DataFrame(
        {
            "CHILD": first["CHILD"],
            "began": first["DECOM" + PARSED],
            "ended": last["DEC" + PARSED],
            "last_ls": last["LS"],
        }
    )
    # From the year's first day at the latest, as `casework.selectors.oc2_rows` counts it.
    long = (periods["began"] <= c.start) & (periods["ended"].isna() | (periods["ended"] > c.end))
    return set(periods.loc[long & ~periods["last_ls"].isin(SHORT_BREAKS), "CHILD"])


def _oc2_flagged(o: pd.DataFrame) -> "pd.Series[bool]":
    return pd.concat([o[f] != "" for f in (*OC2_FLAGS, "SDQ_SCORE", "SDQ_REASON")], axis=1).any(
        axis=1
    )


@_rule(
    "190",
    "OC2 items are completed for a child not looked after continuously for 12 months at 31 March.",
    "OC2",
    OC2_FLAGS,
)
def _oc2_not_eligible(t: Tables, c: Context) -> pd.DataFrame:
    o = t["oc2"]
    return _found(o, ~o["CHILD"].isin(oc2_children(t, c)) & _oc2_flagged(o))


@_rule(
    "191",
    "A child looked after continuously for 12 months at 31 March has OC2 items left blank, "
    "or no OC2 row.",
    "OC2",
    OC2_ITEMS[1:],
)
def _oc2_blank(t: Tables, c: Context) -> pd.DataFrame:
    o, cohort = t["oc2"], oc2_children(t, c)
    blank = pd.concat([o[f] == "" for f in OC2_ITEMS[1:]], axis=1).any(axis=1)
    # A child in the cohort with no OC2 row at all is shown on their first episode's line.
    e = _episodes(t, c)
    absent = e["is_first"] & e["CHILD"].isin(cohort) & ~e["CHILD"].isin(o["CHILD"])
    return pd.concat([_found(o, o["CHILD"].isin(cohort) & blank), _found(e, absent)])


@_rule("181", "OC2 items must be 0 or 1 where given.", "OC2", OC2_FLAGS)
def _oc2_flags(t: Tables, _: Context) -> pd.DataFrame:
    o = t["oc2"]
    bad = pd.concat([~o[f].isin(("", "0", "1")) for f in OC2_FLAGS], axis=1).any(axis=1)
    return _found(o, bad, *OC2_FLAGS)


@_rule(
    "188",
    "The child is under 4 at 31 March but has an SDQ score or a reason for none.",
    "OC2",
    ("DOB", "SDQ_SCORE", "SDQ_REASON"),
)
def _sdq_under_4(t: Tables, c: Context) -> pd.DataFrame:
    o = t["oc2"]
    sdq = _given(o, "SDQ_SCORE") | _given(o, "SDQ_REASON")
    return _found(o, sdq & (_age(_date(o, "DOB"), c.end) < 4), "DOB", "SDQ_SCORE", "SDQ_REASON")


@_rule(
    "189",
    "The child is 17 or over at the start of the year but has an SDQ score or a reason for none.",
    "OC2",
    ("DOB", "SDQ_SCORE", "SDQ_REASON"),
)
def _sdq_over_17(t: Tables, c: Context) -> pd.DataFrame:
    o = t["oc2"]
    sdq = _given(o, "SDQ_SCORE") | _given(o, "SDQ_REASON")
    return _found(o, sdq & (_age(_date(o, "DOB"), c.start) >= 17), "DOB", "SDQ_SCORE", "SDQ_REASON")


@_rule(
    "197a",
    "SDQ_REASON should be blank when an SDQ score is given.",
    "OC2",
    ("SDQ_SCORE", "SDQ_REASON"),
)
def _sdq_both(t: Tables, _: Context) -> pd.DataFrame:
    o = t["oc2"]
    return _found(o, _given(o, "SDQ_SCORE") & _given(o, "SDQ_REASON"), "SDQ_SCORE", "SDQ_REASON")


@_rule(
    "546",
    "A child aged 5 or over at 31 March should not have HEALTH_CHECK completed.",
    "OC2",
    ("DOB", "HEALTH_CHECK"),
)
def _health_check_over_5(t: Tables, c: Context) -> pd.DataFrame:
    o = t["oc2"]
    return _found(
        o, _given(o, "HEALTH_CHECK") & (_age(_date(o, "DOB"), c.end) >= 5), "DOB", "HEALTH_CHECK"
    )


@_rule(
    "542",
    "A child under 10 at 31 March should not have CONVICTED completed.",
    "OC2",
    ("DOB", "CONVICTED"),
)
def _convicted_under_10(t: Tables, c: Context) -> pd.DataFrame:
    o = t["oc2"]
    young = _age(_date(o, "DOB"), c.end) < 10
    return _found(o, _given(o, "CONVICTED") & young, "DOB", "CONVICTED")


@_rule(
    "158",
    "INTERVENTION_OFFERED should be blank when an intervention was received.",
    "OC2",
    ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def _offered_not_needed(t: Tables, _: Context) -> pd.DataFrame:
    o = t["oc2"]
    return _found(
        o,
        (o["INTERVENTION_RECEIVED"] == "1") & _given(o, "INTERVENTION_OFFERED"),
        "INTERVENTION_RECEIVED",
        "INTERVENTION_OFFERED",
    )


@_rule(
    "159",
    "No intervention was received for a substance misuse problem: say whether one was offered.",
    "OC2",
    ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def _offered_needed(t: Tables, _: Context) -> pd.DataFrame:
    o = t["oc2"]
    bad = (
        (o["SUBSTANCE_MISUSE"] == "1")
        & (o["INTERVENTION_RECEIVED"] == "0")
        & ~_given(o, "INTERVENTION_OFFERED")
    )
    return _found(o, bad, "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")


@_rule(
    "192",
    "A substance misuse problem is recorded but INTERVENTION_RECEIVED is blank.",
    "OC2",
    ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"),
)
def _received_blank(t: Tables, _: Context) -> pd.DataFrame:
    o = t["oc2"]
    return _found(
        o,
        (o["SUBSTANCE_MISUSE"] == "1") & ~_given(o, "INTERVENTION_RECEIVED"),
        "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED",
    )


# --- OC3: care leavers ----------------------------------------------------------------------


@_rule(
    "1000",
    "The child died in care (REC E2) so should have no care leaver information.",
    "OC3",
    ("IN_TOUCH", "ACTIV", "ACCOM"),
)
def _died_in_care(t: Tables, _: Context) -> pd.DataFrame:
    e, o = t["episodes"], t["oc3"]
    died = set(e.loc[e["REC"] == "E2", "CHILD"])
    return _found(o, o["CHILD"].isin(died), "IN_TOUCH")


@_rule(
    "344",
    "IN_TOUCH says the young person died or returned home, so ACTIV and ACCOM must be blank.",
    "OC3",
    ("IN_TOUCH", "ACTIV", "ACCOM"),
)
def _died_or_home(t: Tables, _: Context) -> pd.DataFrame:
    o = t["oc3"]
    bad = o["IN_TOUCH"].isin(("DIED", "RHOM")) & (_given(o, "ACTIV") | _given(o, "ACCOM"))
    return _found(o, bad, "IN_TOUCH", "ACTIV", "ACCOM")


# --- Adoption and previous permanence -----------------------------------------------------


@_rule(
    "333",
    "DATE_INT (should be placed for adoption) must be on or before DATE_MATCH.",
    "AD1",
    ("DATE_INT", "DATE_MATCH"),
)
def _matched_before_decision(t: Tables, _: Context) -> pd.DataFrame:
    a = t["ad1"]
    return _found(a, _date(a, "DATE_MATCH") < _date(a, "DATE_INT"), "DATE_INT", "DATE_MATCH")


@_rule(
    "511",
    "Two adopters (NB_ADOPTR 2) must have SEX_ADOPTR MM, FF or MF.",
    "AD1",
    ("NB_ADOPTR", "SEX_ADOPTR"),
)
def _two_adopters(t: Tables, _: Context) -> pd.DataFrame:
    a = t["ad1"]
    bad = (a["NB_ADOPTR"] == "2") & ~a["SEX_ADOPTR"].isin(("MM", "FF", "MF"))
    return _found(a, bad, "NB_ADOPTR", "SEX_ADOPTR")


@_rule(
    "514",
    "LS_ADOPTR L0 is a single adopter but NB_ADOPTR or SEX_ADOPTR say a couple.",
    "AD1",
    ("LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR"),
)
def _single_couple(t: Tables, _: Context) -> pd.DataFrame:
    a = t["ad1"]
    couple = (a["NB_ADOPTR"] == "2") | a["SEX_ADOPTR"].isin(("MM", "FF", "MF"))
    return _found(a, (a["LS_ADOPTR"] == "L0") & couple, "LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR")


def _adopter_pair_rule(code: str, status: str, sexes: tuple[str, ...]) -> None:
    def check(t: Tables, _: Context) -> pd.DataFrame:
        a = t["ad1"]
        return _found(
            a, (a["LS_ADOPTR"] == status) & ~a["SEX_ADOPTR"].isin(sexes), "LS_ADOPTR", "SEX_ADOPTR"
        )

    message = f"LS_ADOPTR {status} needs SEX_ADOPTR {' or '.join(sexes)}."
    _rule(code, message, "AD1", ("LS_ADOPTR", "SEX_ADOPTR"))(check)


_adopter_pair_rule("517", "L3", ("MF",))
_adopter_pair_rule("518", "L4", ("MM", "FF"))
_adopter_pair_rule("524", "L12", ("MM", "FF"))


@_rule(
    "522",
    "DATE_PLACED must be on or before DATE_PLACED_CEASED.",
    "PlacedAdoption",
    ("DATE_PLACED", "DATE_PLACED_CEASED"),
)
def _ceased_before_placed(t: Tables, _: Context) -> pd.DataFrame:
    p = t["placed_adoption"]
    return _found(
        p,
        _date(p, "DATE_PLACED_CEASED") < _date(p, "DATE_PLACED"),
        "DATE_PLACED",
        "DATE_PLACED_CEASED",
    )


@_rule("184", "DATE_PLACED is before the child was born.", "PlacedAdoption", ("DOB", "DATE_PLACED"))
def _placed_before_birth(t: Tables, _: Context) -> pd.DataFrame:
    p = t["placed_adoption"]
    return _found(p, _date(p, "DATE_PLACED") < _date(p, "DOB"), "DOB", "DATE_PLACED")


@_rule(
    "635",
    "PREV_PERM is Z1 (not known) but LA_PERM or DATE_PERM is given.",
    "PrevPerm",
    ("PREV_PERM", "LA_PERM", "DATE_PERM"),
)
def _z1_with_details(t: Tables, _: Context) -> pd.DataFrame:
    p = t["prev_perm"]
    bad = (p["PREV_PERM"] == "Z1") & (_given(p, "LA_PERM") | _given(p, "DATE_PERM"))
    return _found(p, bad, "PREV_PERM", "LA_PERM", "DATE_PERM")


# --- Every child once in the header, and the other files about children in it --------------


@_rule("INT32", "A child must appear only once in the Header.", "Header", ("CHILD",))
def _header_once(t: Tables, _: Context) -> pd.DataFrame:
    h = t["header"]
    return _found(h, h["CHILD"].duplicated(keep="first"))


def _in_header_rule(code: str, key: str, title: str) -> None:
    def check(t: Tables, _: Context) -> pd.DataFrame:
        frame = t[key]
        return _found(frame, ~frame["CHILD"].isin(t["header"]["CHILD"]))

    _rule(code, f"A child in the {title} file must be in the Header.", title, ("CHILD",))(check)


for _int in (
    ("INT01", "ad1", "AD1"),
    ("INT02", "placed_adoption", "PlacedAdoption"),
    ("INT03", "episodes", "Episodes"),
    ("INT04", "missing", "Missing"),
    ("INT05", "oc2", "OC2"),
    ("INT06", "oc3", "OC3"),
    ("INT07", "prev_perm", "PrevPerm"),
    ("INT08", "reviews", "Reviews"),
    ("INT09", "uasc", "UASC"),
):
    _in_header_rule(*_int)


def _once_rule(code: str, key: str, title: str) -> None:
    def check(t: Tables, _: Context) -> pd.DataFrame:
        frame = t[key]
        return _found(frame, frame["CHILD"].duplicated(keep="first"))

    _rule(code, f"A child must appear only once in the {title} file.", title, ("CHILD",))(check)


for _once in (
    ("INT31", "ad1", "AD1"),
    ("INT33", "oc2", "OC2"),
    ("INT34", "oc3", "OC3"),
    ("INT36", "uasc", "UASC"),
):
    _once_rule(*_once)
