"""The DfE's SSDA903 validation rules SafeHub checks, each in our own words, each one SQL
query over every child at once (`store.py` describes the tables: one per file, text as
sent, the row's `line`, and a parsed twin `"COLUMN@"` for each date as ISO text or NULL).
Rule numbers and meanings are the DfE's (the published rule list for 2024-25, reference.md
section 2); `docs/903-validation-rules.md` lists them (`manage.py returns_rules_doc`) and
`returns/tests/test_903_rules.py` breaks a clean return once for every rule and expects that
rule to say so. Rules that compare with last year's return are not run: SafeHub validates
one year's files.

The rules were column checks over pandas frames until ADR 0059; they find the same rows.
Where pandas and SQL differ on a missing value the SQL says which it means: a comparison
with a missing date is false in both, but pandas' "not equal" is true for a missing date,
so rule 388 spells that out."""

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from safehub.returns.registry import Check, RuleSet
from safehub.returns.ssda903.spec import CODE_SETS, YEARS, CollectionYear
from safehub.returns.ssda903.store import column, parsed

S903_RULES = RuleSet("SSDA903")
ALL_YEARS = tuple(YEARS)
Tables = sqlite3.Connection  # the return's files, one table each (`store.py`)
Rows = sqlite3.Cursor  # CHILD, line, then the values shown, by name

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
    def start(self) -> str:
        return _quoted(self.year.start.isoformat())

    @property
    def end(self) -> str:
        return _quoted(self.year.end.isoformat())


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in(values: Iterable[str]) -> str:
    """An SQL list of text values, e.g. `('T0', 'T1')`."""
    return "(" + ", ".join(_quoted(v) for v in values) + ")"


def _found(t: Tables, table: str, where: str, *fields: str, order: str = "line") -> Rows:
    """The rows of `table` where `where` holds, with the `fields` shown, in file order."""
    shown = "".join(f", {column(f)}" for f in fields)
    return t.execute(f"SELECT CHILD, line{shown} FROM {table} WHERE {where} ORDER BY {order}")


def _given(name: str) -> str:
    return f"{column(name)} != ''"


def _blank(name: str) -> str:
    return f"{column(name)} = ''"


def _age(born: str, on: str) -> str:
    """Whole years from the ISO date `born` to `on` (NULL where either is)."""
    return (
        f"(CAST(substr({on}, 1, 4) AS INTEGER) - CAST(substr({born}, 1, 4) AS INTEGER)"
        f" - (substr({on}, 6) < substr({born}, 6)))"
    )


def _any(names: Iterable[str], test: Callable[[str], str]) -> str:
    return "(" + " OR ".join(test(n) for n in names) + ")"


def _header_dob(t: Tables, c: Context) -> str:
    """A table of each child's date of birth from their first row in the Header."""

    def make() -> str:
        t.execute(
            "CREATE TEMP TABLE header_dob AS SELECT CHILD, "
            f"{parsed('DOB')} AS hdob FROM header h WHERE NOT EXISTS "
            "(SELECT 1 FROM header o WHERE o.CHILD = h.CHILD AND o.line < h.line)"
        )
        t.execute("CREATE INDEX header_dob_child ON header_dob (CHILD)")
        return "header_dob"

    return str(c.once("header_dob", make))


def _episodes_dob(t: Tables, c: Context) -> str:
    """The episodes with each child's Header date of birth (`hdob`) beside them."""
    header = _header_dob(t, c)
    return f"(SELECT e.*, d.hdob FROM episodes e LEFT JOIN {header} d USING (CHILD))"


def _episodes(t: Tables, c: Context) -> str:
    """The episodes in order within each child (`pos` over the file, `k` within the child),
    each with the next one's line (NULL for the child's last) and start, and the previous
    one's REC."""

    def make() -> str:
        t.execute(
            "CREATE TEMP TABLE ordered_episodes AS SELECT e.*,"
            " ROW_NUMBER() OVER (ORDER BY CHILD, "
            f"{parsed('DECOM')} NULLS LAST, line) AS pos,"
            " ROW_NUMBER() OVER w AS k, LEAD(line) OVER w AS next_line,"
            f" LEAD({parsed('DECOM')}) OVER w AS next_start, LAG(REC) OVER w AS prev_rec"
            " FROM episodes e"
            f" WINDOW w AS (PARTITION BY CHILD ORDER BY {parsed('DECOM')} NULLS LAST, line)"
        )
        return "ordered_episodes"

    return str(c.once("ordered_episodes", make))


def _code_rule(
    code: str, message: str, table: str, key: str, column_name: str, codes: str, *, blank_ok: bool
) -> None:
    allowed = _in(CODE_SETS[codes])

    def check(t: Tables, _: Context) -> Rows:
        bad = f"{column(column_name)} NOT IN {allowed}"
        if blank_ok:
            bad += f" AND {_given(column_name)}"
        return _found(t, key, bad, column_name)

    S903_RULES.rule(code, message, table=table, fields=(column_name,), years=ALL_YEARS)(check)


def _date_rule(
    code: str, message: str, table: str, key: str, column_name: str, *, blank_ok: bool
) -> None:
    def check(t: Tables, _: Context) -> Rows:
        bad = f"{parsed(column_name)} IS NULL"
        if blank_ok:
            bad += f" AND {_given(column_name)}"
        return _found(t, key, bad, column_name)

    S903_RULES.rule(code, message, table=table, fields=(column_name,), years=ALL_YEARS)(check)


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
def _born_after_year(t: Tables, c: Context) -> Rows:
    return _found(t, "header", f"{parsed('DOB')} > {c.end}", "DOB")


@_rule(
    "351", "The child must not be over 25 at the start of the collection year.", "Header", ("DOB",)
)
def _over_25(t: Tables, c: Context) -> Rows:
    return _found(t, "header", f"{_age(parsed('DOB'), c.start)} > 25", "DOB")


@_rule(
    "174",
    "A mother's child's date of birth is given but SEX says the child is male.",
    "Header",
    ("SEX", "MC_DOB"),
)
def _male_mother(t: Tables, _: Context) -> Rows:
    return _found(t, "header", f"SEX = 'M' AND {_given('MC_DOB')}", "SEX", "MC_DOB")


@_rule(
    "611",
    "MOTHER is 1 but the date of birth of her child (MC_DOB) is blank.",
    "Header",
    ("MOTHER", "MC_DOB"),
)
def _mother_without_date(t: Tables, _: Context) -> Rows:
    return _found(t, "header", f"MOTHER = '1' AND {_blank('MC_DOB')}", "MOTHER", "MC_DOB")


@_rule(
    "612",
    "MC_DOB is given but MOTHER does not say the child is a mother.",
    "Header",
    ("MOTHER", "MC_DOB"),
)
def _date_without_mother(t: Tables, _: Context) -> Rows:
    return _found(t, "header", f"{_given('MC_DOB')} AND MOTHER != '1'", "MOTHER", "MC_DOB")


@_rule(
    "621",
    "The mother's child (MC_DOB) cannot be born before the mother (DOB).",
    "Header",
    ("DOB", "MC_DOB"),
)
def _mother_younger(t: Tables, _: Context) -> Rows:
    return _found(t, "header", f"{parsed('MC_DOB')} <= {parsed('DOB')}", "DOB", "MC_DOB")


# --- Episodes: dates and continuity -------------------------------------------------------


@_rule("148", "DEC and REC must both be given or both left blank.", "Episodes", ("DEC", "REC"))
def _dec_with_rec(t: Tables, _: Context) -> Rows:
    return _found(t, "episodes", f"({_given('DEC')}) != ({_given('REC')})", "DEC", "REC")


@_rule(
    "356",
    "DEC (date episode ceased) is before DECOM (date it began).",
    "Episodes",
    ("DECOM", "DEC"),
)
def _ends_before_start(t: Tables, _: Context) -> Rows:
    return _found(t, "episodes", f"{parsed('DEC')} < {parsed('DECOM')}", "DECOM", "DEC")


@_rule("385", "DEC must be on or before the end of the collection year.", "Episodes", ("DEC",))
def _ends_after_year(t: Tables, c: Context) -> Rows:
    return _found(t, "episodes", f"{parsed('DEC')} > {c.end}", "DEC")


@_rule("353", "No episode can start before 14 October 1991.", "Episodes", ("DECOM",))
def _before_the_act(t: Tables, _: Context) -> Rows:
    return _found(t, "episodes", f"{parsed('DECOM')} < '1991-10-14'", "DECOM")


@_rule("302", "The first episode starts before the child was born.", "Episodes", ("DECOM", "DOB"))
def _before_birth(t: Tables, c: Context) -> Rows:
    return _found(t, _episodes_dob(t, c), f"{parsed('DECOM')} < hdob", "DECOM")


@_rule(
    "142", "A later episode has started but this one has no end date.", "Episodes", ("DEC", "REC")
)
def _open_before_next(t: Tables, c: Context) -> Rows:
    bad = f"next_line IS NOT NULL AND {parsed('DEC')} IS NULL AND {_blank('DEC')}"
    return _found(t, _episodes(t, c), bad, "DECOM", "DEC", order="pos")


@_rule("501", "An episode starts before the previous episode ended.", "Episodes", ("DECOM", "DEC"))
def _overlapping(t: Tables, c: Context) -> Rows:
    return t.execute(
        "SELECT CHILD, line, DECOM, DEC, strftime('%d/%m/%Y', next_start) AS next_start"
        f" FROM {_episodes(t, c)} WHERE next_start < {parsed('DEC')} ORDER BY pos"
    )


@_rule(
    "388",
    "REC is X1 (a new episode starts the same day) but no episode starts that day.",
    "Episodes",
    ("REC",),
)
def _x1_without_next(t: Tables, c: Context) -> Rows:
    # No next episode, or a date missing on either side, is "no episode starts that day"
    # (a comparison with NULL is NULL, which NOT would leave NULL, so it is made false).
    same_day = f"COALESCE(next_start = {parsed('DEC')}, FALSE)"
    return _found(t, _episodes(t, c), f"REC = 'X1' AND NOT {same_day}", "DEC", "REC", order="pos")


@_rule(
    "357",
    "An episode that starts a period of care must have RNE S.",
    "Episodes",
    ("RNE",),
)
def _first_must_be_s(t: Tables, c: Context) -> Rows:
    # The first episode in the file began a period only if it began in the year: one that
    # began before it carries on from last year's return, which SafeHub does not read.
    first_this_year = f"(k = 1 AND {parsed('DECOM')} >= {c.start})"
    after_an_ending = "(prev_rec IS NOT NULL AND prev_rec != 'X1')"
    bad = f"({first_this_year} OR {after_an_ending}) AND RNE != 'S'"
    return _found(t, _episodes(t, c), bad, "DECOM", "RNE", order="pos")


@_rule(
    "380",
    "A period of care cannot start with a temporary placement (T0 to T4).",
    "Episodes",
    ("RNE", "PLACE"),
)
def _starts_temporary(t: Tables, _: Context) -> Rows:
    return _found(t, "episodes", f"RNE = 'S' AND PLACE IN {_in(TEMPORARY)}", "RNE", "PLACE")


# --- Episodes: legal status, placement and how long ---------------------------------------


def _days(c: Context) -> str:
    """How long each episode lasted, to the year's end for one still open."""
    ended = f"COALESCE({parsed('DEC')}, {c.end})"
    return f"(julianday({ended}) - julianday({parsed('DECOM')}))"


def _lasted(t: Tables, c: Context, condition: str, days: int, *fields: str) -> Rows:
    return _found(t, "episodes", f"{condition} AND {_days(c)} > {days}", *fields)


@_rule(
    "361",
    "Police protection (LS L1) lasted longer than 72 hours.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _police_protection(t: Tables, c: Context) -> Rows:
    return _lasted(t, c, "LS = 'L1'", 3, "LS", "DECOM", "DEC")


@_rule(
    "362",
    "An emergency protection order (LS L2) lasted longer than 21 days.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _epo(t: Tables, c: Context) -> Rows:
    return _lasted(t, c, "LS = 'L2'", 21, "LS", "DECOM", "DEC")


@_rule(
    "363",
    "A child assessment order (LS L3) lasted longer than 7 days.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _assessment_order(t: Tables, c: Context) -> Rows:
    return _lasted(t, c, "LS = 'L3'", 7, "LS", "DECOM", "DEC")


@_rule(
    "365",
    "A single short break (LS V3) must not last more than 17 days.",
    "Episodes",
    ("LS", "DECOM", "DEC"),
)
def _short_break(t: Tables, c: Context) -> Rows:
    return _lasted(t, c, "LS = 'V3'", 17, "LS", "DECOM", "DEC")


@_rule(
    "379",
    "A temporary placement for another reason (T4) cannot last more than 7 days.",
    "Episodes",
    ("PLACE", "DECOM"),
)
def _t4(t: Tables, c: Context) -> Rows:
    return _lasted(t, c, "PLACE = 'T4'", 7, "PLACE", "DECOM", "DEC")


@_rule(
    "382",
    "A child on short breaks (V3, V4) cannot be in a temporary placement.",
    "Episodes",
    ("LS", "PLACE"),
)
def _short_break_temporary(t: Tables, _: Context) -> Rows:
    bad = f"LS IN {_in(SHORT_BREAKS)} AND PLACE IN {_in(TEMPORARY)}"
    return _found(t, "episodes", bad, "LS", "PLACE")


@_rule(
    "408",
    "Placed for adoption under a placement order (A5, A6) but LS is not E1 or D1.",
    "Episodes",
    ("LS", "PLACE"),
)
def _a5_a6_order(t: Tables, _: Context) -> Rows:
    return _found(t, "episodes", "PLACE IN ('A5', 'A6') AND LS NOT IN ('E1', 'D1')", "LS", "PLACE")


def _provider_rule(code: str, provider: str, places: tuple[str, ...]) -> None:
    listed = ", ".join(places)

    def check(t: Tables, _: Context) -> Rows:
        bad = f"PLACE_PROVIDER = {_quoted(provider)} AND PLACE IN {_in(places)}"
        return _found(t, "episodes", bad, "PLACE", "PLACE_PROVIDER")

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
def _pr0(t: Tables, _: Context) -> Rows:
    bad = "PLACE_PROVIDER = 'PR0' AND PLACE != 'P1'"
    return _found(t, "episodes", bad, "PLACE", "PLACE_PROVIDER")


@_rule(
    "526",
    "A placement provider must be given for every placement but a temporary one or Z1.",
    "Episodes",
    ("PLACE", "PLACE_PROVIDER"),
)
def _provider_missing(t: Tables, _: Context) -> Rows:
    bad = f"PLACE NOT IN {_in((*TEMPORARY, 'Z1'))} AND {_blank('PLACE_PROVIDER')}"
    return _found(t, "episodes", bad, "PLACE", "PLACE_PROVIDER")


def _age_rule(code: str, message: str, place: str, under: int) -> None:
    def check(t: Tables, c: Context) -> Rows:
        young = f"{_age('hdob', parsed('DECOM'))} < {under}"
        bad = f"PLACE = {_quoted(place)} AND {young}"
        return _found(t, _episodes_dob(t, c), bad, "PLACE", "DECOM")

    _rule(code, message, "Episodes", ("DECOM", "PLACE"))(check)


_age_rule("371", "A child in supported accommodation (H5) must be at least 16.", "H5", 16)
_age_rule("373", "A child placed in a residential school (S1) must be at least 4.", "S1", 4)
_age_rule("374", "A child in residential employment (P3) must be at least 14.", "P3", 14)


def _over_18_rule(code: str, message: str, reasons: tuple[str, ...]) -> None:
    def check(t: Tables, c: Context) -> Rows:
        adult = f"{_age('hdob', parsed('DEC'))} >= 18"
        return _found(t, _episodes_dob(t, c), f"REC IN {_in(reasons)} AND {adult}", "DEC", "REC")

    _rule(code, message, "Episodes", ("DEC", "REC"))(check)


_over_18_rule("386", "REC says the child was adopted, but they were 18 or over.", ADOPTED)
_over_18_rule("407", "REC is a special guardianship order, but the child was 18 or over.", SGO)


@_rule(
    "390",
    "REC says the child was adopted but the episode is not a placement for adoption.",
    "Episodes",
    ("PLACE", "REC"),
)
def _adopted_unplaced(t: Tables, _: Context) -> Rows:
    bad = f"REC IN {_in(ADOPTED)} AND PLACE NOT IN ('A3', 'A4', 'A5', 'A6')"
    return _found(t, "episodes", bad, "PLACE", "REC")


# --- Reviews and missing episodes ---------------------------------------------------------


@_rule(
    "440",
    "REVIEW_CODE says the child was under 4 (PN0) but they were 4 or over at the review.",
    "Reviews",
    ("DOB", "REVIEW", "REVIEW_CODE"),
)
def _pn0_too_old(t: Tables, _: Context) -> Rows:
    old = f"{_age(parsed('DOB'), parsed('REVIEW'))} >= 4"
    return _found(t, "reviews", f"REVIEW_CODE = 'PN0' AND {old}", "DOB", "REVIEW", "REVIEW_CODE")


@_rule(
    "441",
    "REVIEW_CODE says the child was 4 or over but they were under 4 at the review.",
    "Reviews",
    ("DOB", "REVIEW", "REVIEW_CODE"),
)
def _pn1_too_young(t: Tables, _: Context) -> Rows:
    young = f"{_age(parsed('DOB'), parsed('REVIEW'))} < 4"
    coded = f"REVIEW_CODE IN {_in(CODE_SETS['review_code'])} AND REVIEW_CODE != 'PN0'"
    return _found(t, "reviews", f"{coded} AND {young}", "DOB", "REVIEW", "REVIEW_CODE")


@_rule("570", "MIS_START is after the end of the collection year.", "Missing", ("MIS_START",))
def _missing_after_year(t: Tables, c: Context) -> Rows:
    return _found(t, "missing", f"{parsed('MIS_START')} > {c.end}", "MIS_START")


@_rule(
    "571",
    "MIS_END is before the start or after the end of the collection year.",
    "Missing",
    ("MIS_END",),
)
def _missing_end_outside(t: Tables, c: Context) -> Rows:
    ended = parsed("MIS_END")
    return _found(t, "missing", f"({ended} < {c.start} OR {ended} > {c.end})", "MIS_END")


@_rule("586", "A missing period starts before the child was born.", "Missing", ("DOB", "MIS_START"))
def _missing_before_birth(t: Tables, _: Context) -> Rows:
    bad = f"{parsed('MIS_START')} < {parsed('DOB')}"
    return _found(t, "missing", bad, "DOB", "MIS_START")


@_rule(
    "574",
    "A missing period starts while the one before it is still open or has not ended.",
    "Missing",
    ("MIS_START", "MIS_END"),
)
def _missing_overlap(t: Tables, _: Context) -> Rows:
    order = f"{parsed('MIS_START')} NULLS LAST, line"
    ordered = (
        "(SELECT m.*,"
        f" ROW_NUMBER() OVER (ORDER BY CHILD, {order}) AS pos,"
        f" ROW_NUMBER() OVER w AS k, LAG({parsed('MIS_END')}) OVER w AS previous_end"
        f" FROM missing m WINDOW w AS (PARTITION BY CHILD ORDER BY {order}))"
    )
    open_before = "(k > 1 AND previous_end IS NULL)"
    bad = f"({open_before} OR {parsed('MIS_START')} < previous_end)"
    return _found(t, ordered, bad, "MIS_START", "MIS_END", order="pos")


# --- OC2: children looked after continuously for 12 months at 31 March --------------------


def oc2_children(t: Tables, c: Context) -> str:
    """A table of the children the OC2 is about (`CHILD`), made once per run."""
    return str(c.once("oc2_children", lambda: _oc2_children(t, c)))


def _oc2_children(t: Tables, c: Context) -> str:
    """Who the OC2 is about: looked after without a break from before the year began to its
    end, other than on short breaks (V3, V4) at the end. Periods of care are the runs of
    episodes joined by X1 endings."""
    episodes = _episodes(t, c)
    periods = (
        "SELECT *, SUM(CASE WHEN k = 1 OR prev_rec IS NOT 'X1' THEN 1 ELSE 0 END)"
        f" OVER (ORDER BY pos) AS period FROM {episodes}"
    )
    # The first and last episode of each period (the last's end may be blank).
    t.execute(
        f"CREATE TEMP TABLE oc2_children AS WITH p AS ({periods}),"
        " bounds AS (SELECT period, MIN(pos) AS first, MAX(pos) AS last FROM p GROUP BY period)"
        " SELECT DISTINCT f.CHILD FROM bounds"
        " JOIN p f ON f.pos = bounds.first JOIN p l ON l.pos = bounds.last"
        # From the year's first day at the latest, as `casework.selectors.oc2_rows` counts it.
        f" WHERE f.{parsed('DECOM')} <= {c.start}"
        f" AND (l.{parsed('DEC')} IS NULL OR l.{parsed('DEC')} > {c.end})"
        f" AND l.LS NOT IN {_in(SHORT_BREAKS)}"
    )
    t.execute("CREATE INDEX oc2_children_child ON oc2_children (CHILD)")
    return "oc2_children"


def _oc2_flagged() -> str:
    return _any((*OC2_FLAGS, "SDQ_SCORE", "SDQ_REASON"), _given)


@_rule(
    "190",
    "OC2 items are completed for a child not looked after continuously for 12 months at 31 March.",
    "OC2",
    OC2_FLAGS,
)
def _oc2_not_eligible(t: Tables, c: Context) -> Rows:
    cohort = oc2_children(t, c)
    return _found(t, "oc2", f"CHILD NOT IN (SELECT CHILD FROM {cohort}) AND {_oc2_flagged()}")


@_rule(
    "191",
    "A child looked after continuously for 12 months at 31 March has OC2 items left blank, "
    "or no OC2 row.",
    "OC2",
    OC2_ITEMS[1:],
)
def _oc2_blank(t: Tables, c: Context) -> Rows:
    cohort = f"(SELECT CHILD FROM {oc2_children(t, c)})"
    blank = _any(OC2_ITEMS[1:], _blank)
    # A child in the cohort with no OC2 row at all is shown on their first episode's line.
    return t.execute(
        "SELECT CHILD, line FROM (SELECT CHILD, line, 0 AS part, line AS pos FROM oc2"
        f" WHERE CHILD IN {cohort} AND {blank}"
        f" UNION ALL SELECT CHILD, line, 1, pos FROM {_episodes(t, c)}"
        f" WHERE k = 1 AND CHILD IN {cohort} AND CHILD NOT IN (SELECT CHILD FROM oc2))"
        " ORDER BY part, pos"
    )


@_rule("181", "OC2 items must be 0 or 1 where given.", "OC2", OC2_FLAGS)
def _oc2_flags(t: Tables, _: Context) -> Rows:
    bad = _any(OC2_FLAGS, lambda f: f"{column(f)} NOT IN ('', '0', '1')")
    return _found(t, "oc2", bad, *OC2_FLAGS)


def _sdq_given() -> str:
    return f"({_given('SDQ_SCORE')} OR {_given('SDQ_REASON')})"


@_rule(
    "188",
    "The child is under 4 at 31 March but has an SDQ score or a reason for none.",
    "OC2",
    ("DOB", "SDQ_SCORE", "SDQ_REASON"),
)
def _sdq_under_4(t: Tables, c: Context) -> Rows:
    bad = f"{_sdq_given()} AND {_age(parsed('DOB'), c.end)} < 4"
    return _found(t, "oc2", bad, "DOB", "SDQ_SCORE", "SDQ_REASON")


@_rule(
    "189",
    "The child is 17 or over at the start of the year but has an SDQ score or a reason for none.",
    "OC2",
    ("DOB", "SDQ_SCORE", "SDQ_REASON"),
)
def _sdq_over_17(t: Tables, c: Context) -> Rows:
    bad = f"{_sdq_given()} AND {_age(parsed('DOB'), c.start)} >= 17"
    return _found(t, "oc2", bad, "DOB", "SDQ_SCORE", "SDQ_REASON")


@_rule(
    "197a",
    "SDQ_REASON should be blank when an SDQ score is given.",
    "OC2",
    ("SDQ_SCORE", "SDQ_REASON"),
)
def _sdq_both(t: Tables, _: Context) -> Rows:
    bad = f"{_given('SDQ_SCORE')} AND {_given('SDQ_REASON')}"
    return _found(t, "oc2", bad, "SDQ_SCORE", "SDQ_REASON")


@_rule(
    "546",
    "A child aged 5 or over at 31 March should not have HEALTH_CHECK completed.",
    "OC2",
    ("DOB", "HEALTH_CHECK"),
)
def _health_check_over_5(t: Tables, c: Context) -> Rows:
    bad = f"{_given('HEALTH_CHECK')} AND {_age(parsed('DOB'), c.end)} >= 5"
    return _found(t, "oc2", bad, "DOB", "HEALTH_CHECK")


@_rule(
    "542",
    "A child under 10 at 31 March should not have CONVICTED completed.",
    "OC2",
    ("DOB", "CONVICTED"),
)
def _convicted_under_10(t: Tables, c: Context) -> Rows:
    bad = f"{_given('CONVICTED')} AND {_age(parsed('DOB'), c.end)} < 10"
    return _found(t, "oc2", bad, "DOB", "CONVICTED")


@_rule(
    "158",
    "INTERVENTION_OFFERED should be blank when an intervention was received.",
    "OC2",
    ("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def _offered_not_needed(t: Tables, _: Context) -> Rows:
    bad = f"INTERVENTION_RECEIVED = '1' AND {_given('INTERVENTION_OFFERED')}"
    return _found(t, "oc2", bad, "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")


@_rule(
    "159",
    "No intervention was received for a substance misuse problem: say whether one was offered.",
    "OC2",
    ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
def _offered_needed(t: Tables, _: Context) -> Rows:
    bad = (
        "SUBSTANCE_MISUSE = '1' AND INTERVENTION_RECEIVED = '0'"
        f" AND {_blank('INTERVENTION_OFFERED')}"
    )
    fields = ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED")
    return _found(t, "oc2", bad, *fields)


@_rule(
    "192",
    "A substance misuse problem is recorded but INTERVENTION_RECEIVED is blank.",
    "OC2",
    ("SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED"),
)
def _received_blank(t: Tables, _: Context) -> Rows:
    bad = f"SUBSTANCE_MISUSE = '1' AND {_blank('INTERVENTION_RECEIVED')}"
    return _found(t, "oc2", bad, "SUBSTANCE_MISUSE", "INTERVENTION_RECEIVED")


# --- OC3: care leavers ----------------------------------------------------------------------


@_rule(
    "1000",
    "The child died in care (REC E2) so should have no care leaver information.",
    "OC3",
    ("IN_TOUCH", "ACTIV", "ACCOM"),
)
def _died_in_care(t: Tables, _: Context) -> Rows:
    died = "(SELECT CHILD FROM episodes WHERE REC = 'E2')"
    return _found(t, "oc3", f"CHILD IN {died}", "IN_TOUCH")


@_rule(
    "344",
    "IN_TOUCH says the young person died or returned home, so ACTIV and ACCOM must be blank.",
    "OC3",
    ("IN_TOUCH", "ACTIV", "ACCOM"),
)
def _died_or_home(t: Tables, _: Context) -> Rows:
    bad = f"IN_TOUCH IN ('DIED', 'RHOM') AND ({_given('ACTIV')} OR {_given('ACCOM')})"
    return _found(t, "oc3", bad, "IN_TOUCH", "ACTIV", "ACCOM")


# --- Adoption and previous permanence -----------------------------------------------------

COUPLES = ("MM", "FF", "MF")


@_rule(
    "333",
    "DATE_INT (should be placed for adoption) must be on or before DATE_MATCH.",
    "AD1",
    ("DATE_INT", "DATE_MATCH"),
)
def _matched_before_decision(t: Tables, _: Context) -> Rows:
    bad = f"{parsed('DATE_MATCH')} < {parsed('DATE_INT')}"
    return _found(t, "ad1", bad, "DATE_INT", "DATE_MATCH")


@_rule(
    "511",
    "Two adopters (NB_ADOPTR 2) must have SEX_ADOPTR MM, FF or MF.",
    "AD1",
    ("NB_ADOPTR", "SEX_ADOPTR"),
)
def _two_adopters(t: Tables, _: Context) -> Rows:
    bad = f"NB_ADOPTR = '2' AND SEX_ADOPTR NOT IN {_in(COUPLES)}"
    return _found(t, "ad1", bad, "NB_ADOPTR", "SEX_ADOPTR")


@_rule(
    "514",
    "LS_ADOPTR L0 is a single adopter but NB_ADOPTR or SEX_ADOPTR say a couple.",
    "AD1",
    ("LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR"),
)
def _single_couple(t: Tables, _: Context) -> Rows:
    bad = f"LS_ADOPTR = 'L0' AND (NB_ADOPTR = '2' OR SEX_ADOPTR IN {_in(COUPLES)})"
    return _found(t, "ad1", bad, "LS_ADOPTR", "NB_ADOPTR", "SEX_ADOPTR")


def _adopter_pair_rule(code: str, status: str, sexes: tuple[str, ...]) -> None:
    def check(t: Tables, _: Context) -> Rows:
        bad = f"LS_ADOPTR = {_quoted(status)} AND SEX_ADOPTR NOT IN {_in(sexes)}"
        return _found(t, "ad1", bad, "LS_ADOPTR", "SEX_ADOPTR")

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
def _ceased_before_placed(t: Tables, _: Context) -> Rows:
    bad = f"{parsed('DATE_PLACED_CEASED')} < {parsed('DATE_PLACED')}"
    return _found(t, "placed_adoption", bad, "DATE_PLACED", "DATE_PLACED_CEASED")


@_rule("184", "DATE_PLACED is before the child was born.", "PlacedAdoption", ("DOB", "DATE_PLACED"))
def _placed_before_birth(t: Tables, _: Context) -> Rows:
    bad = f"{parsed('DATE_PLACED')} < {parsed('DOB')}"
    return _found(t, "placed_adoption", bad, "DOB", "DATE_PLACED")


@_rule(
    "635",
    "PREV_PERM is Z1 (not known) but LA_PERM or DATE_PERM is given.",
    "PrevPerm",
    ("PREV_PERM", "LA_PERM", "DATE_PERM"),
)
def _z1_with_details(t: Tables, _: Context) -> Rows:
    bad = f"PREV_PERM = 'Z1' AND ({_given('LA_PERM')} OR {_given('DATE_PERM')})"
    return _found(t, "prev_perm", bad, "PREV_PERM", "LA_PERM", "DATE_PERM")


# --- Every child once in the header, and the other files about children in it --------------


def _repeated(key: str) -> str:
    """A row whose child has an earlier row in the same file."""
    return f"EXISTS (SELECT 1 FROM {key} o WHERE o.CHILD = {key}.CHILD AND o.line < {key}.line)"


@_rule("INT32", "A child must appear only once in the Header.", "Header", ("CHILD",))
def _header_once(t: Tables, _: Context) -> Rows:
    return _found(t, "header", _repeated("header"))


def _in_header_rule(code: str, key: str, title: str) -> None:
    def check(t: Tables, _: Context) -> Rows:
        return _found(t, key, "CHILD NOT IN (SELECT CHILD FROM header)")

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
    def check(t: Tables, _: Context) -> Rows:
        return _found(t, key, _repeated(key))

    _rule(code, f"A child must appear only once in the {title} file.", title, ("CHILD",))(check)


for _once in (
    ("INT31", "ad1", "AD1"),
    ("INT33", "oc2", "OC2"),
    ("INT34", "oc3", "OC3"),
    ("INT36", "uasc", "UASC"),
):
    _once_rule(*_once)
