"""Every SSDA903 rule SafeHub checks, broken once in a clean return: the rule must find it,
on the child broken. The clean return passes every rule, so a rule that is removed or
stops working fails here."""

from collections.abc import Callable

import pytest

from safehub.returns.ssda903.rules import S903_RULES
from safehub.returns.ssda903.validate import validate_903
from safehub.returns.tests.s903_builder import Rows, as_files, clean_903

YEAR = "2024-25"


def _set(key: str, index: int, **values: str) -> Callable[[Rows], str]:
    def change(rows: Rows) -> str:
        rows[key][index].update(values)
        return rows[key][index]["CHILD"]

    return change


def _add(key: str, index: int, **values: str) -> Callable[[Rows], str]:
    def change(rows: Rows) -> str:
        rows[key].append({**rows[key][index], **values})
        return rows[key][-1]["CHILD"]

    return change


def _both(*changes: Callable[[Rows], str]) -> Callable[[Rows], str]:
    def change(rows: Rows) -> str:
        children = [c(rows) for c in changes]  # every change made, the first's child named
        return children[0]

    return change


# Episodes: 0-1 child 101 (X1 then open), 2-4 child 102 (adopted), 5 child 103, 6-7 child 105.
BREAKS: dict[str, Callable[[Rows], str]] = {
    "101": _set("header", 0, SEX="2"),
    "102": _set("header", 0, DOB="2008-05-10"),
    "103": _set("header", 0, ETHNIC="WHITE"),
    "104": _set("uasc", 0, DUC="31/02/2025"),
    "112": _set("ad1", 0, DATE_INT="20/8/24x"),
    "115": _set("placed_adoption", 0, DATE_PLACED=""),
    "116": _set("placed_adoption", 0, DATE_PLACED_CEASED="soon"),
    "120": _set("placed_adoption", 0, DATE_PLACED_CEASED="01/03/2025", REASON_PLACED_CEASED="RD9"),
    "131": _set("oc3", 0, IN_TOUCH="Y"),
    "132": _set("oc3", 0, ACTIV="F9"),
    "133": _set("oc3", 0, ACCOM="D3"),
    "141": _set("episodes", 5, DECOM=""),
    "142": _set("episodes", 0, DEC="", REC="", REASON_PLACE_CHANGE=""),
    "143": _set("episodes", 0, RNE="X"),
    "144": _set("episodes", 5, LS="V1"),
    "145": _set("episodes", 5, CIN="N9"),
    "146": _set("episodes", 5, PLACE="U7"),
    "147": _set("episodes", 6, DEC="8 May"),
    "148": _set("episodes", 6, REC=""),
    "149": _set("episodes", 6, REC="E4"),
    "158": _set("oc2", 0, INTERVENTION_RECEIVED="1"),
    "159": _set("oc2", 0, INTERVENTION_OFFERED=""),
    "166": _set("reviews", 0, REVIEW="15/13/2024"),
    "167": _set("reviews", 0, REVIEW_CODE="PN9"),
    "171": _set("header", 0, MC_DOB="02/30/2024"),
    "174": _set("header", 4, MC_DOB="01/01/2025"),
    "175": _set("ad1", 0, NB_ADOPTR="3"),
    "176": _set("ad1", 0, SEX_ADOPTR="XX"),
    "177": _set("ad1", 0, LS_ADOPTR="L9"),
    "181": _set("oc2", 0, TEETH_CHECK="Y"),
    "184": _set("placed_adoption", 0, DATE_PLACED="01/01/2022"),
    "188": _both(_set("oc2", 0, DOB="01/06/2021")),
    "189": _set("oc2", 0, DOB="01/01/2007"),
    "190": _add("oc2", 0, CHILD="103", DOB="02/02/2009"),
    "191": _set("oc2", 0, IMMUNISATIONS=""),
    "192": _set("oc2", 0, INTERVENTION_RECEIVED="", INTERVENTION_OFFERED=""),
    "196": _set("oc2", 0, SDQ_SCORE="", SDQ_REASON="SDQ7"),
    "197a": _set("oc2", 0, SDQ_REASON="SDQ4"),
    "301": _set("header", 4, DOB="01/04/2025"),
    "302": _set("episodes", 5, DECOM="01/01/2009"),
    "333": _set("ad1", 0, DATE_MATCH="19/08/2024"),
    "344": _set("oc3", 0, IN_TOUCH="DIED"),
    "351": _set("header", 3, DOB="01/01/1998"),
    "353": _set("episodes", 0, DECOM="01/01/1990"),
    "356": _set("episodes", 6, DEC="04/05/2024"),
    "357": _set("episodes", 7, RNE="P"),
    "361": _set("episodes", 2, LS="L1"),
    "362": _set("episodes", 2, DEC="30/05/2024"),
    "363": _set("episodes", 2, LS="L3"),
    "365": _set("episodes", 6, DEC="30/05/2024"),
    "371": _set("episodes", 5, PLACE="H5"),
    "373": _set("episodes", 4, PLACE="S1"),
    "374": _set("episodes", 4, PLACE="P3"),
    "379": _set("episodes", 1, PLACE="T4"),
    "380": _set("episodes", 5, PLACE="T1"),
    "382": _set("episodes", 6, PLACE="T2"),
    "385": _set("episodes", 6, DEC="01/04/2025"),
    "386": _both(_set("header", 1, DOB="01/01/2005"), _set("episodes", 4, RNE="P")),
    "388": _set("episodes", 3, DEC="02/09/2024"),
    "390": _set("episodes", 4, PLACE="U6"),
    "407": _both(_set("header", 1, DOB="01/01/2005"), _set("episodes", 4, REC="E45")),
    "408": _set("episodes", 4, LS="C2"),
    "440": _set("reviews", 2, REVIEW_CODE="PN0", REVIEW="01/06/2024", DOB="01/01/2019"),
    "441": _set("reviews", 2, REVIEW_CODE="PN1"),
    "501": _set("episodes", 0, DEC="05/06/2024"),
    "511": _set("ad1", 0, SEX_ADOPTR="M1"),
    "514": _set("ad1", 0, LS_ADOPTR="L0"),
    "517": _set("ad1", 0, LS_ADOPTR="L3", SEX_ADOPTR="FF"),
    "518": _set("ad1", 0, LS_ADOPTR="L4"),
    "522": _set("placed_adoption", 0, DATE_PLACED_CEASED="01/08/2024", REASON_PLACED_CEASED="RD1"),
    "524": _set("ad1", 0, LS_ADOPTR="L12"),
    "526": _set("episodes", 5, PLACE_PROVIDER=""),
    "527": _set("episodes", 5, PLACE="R2", PLACE_PROVIDER="PR1"),
    "528": _set("episodes", 5, PLACE="R5", PLACE_PROVIDER="PR2"),
    "530": _set("episodes", 5, PLACE="P1", PLACE_PROVIDER="PR4"),
    "531": _set("episodes", 5, PLACE="P1", PLACE_PROVIDER="PR5"),
    "542": _set("oc2", 0, DOB="01/06/2015"),
    "546": _set("oc2", 0, HEALTH_CHECK="1"),
    "550": _set("episodes", 5, PLACE_PROVIDER="PR0"),
    "570": _set("missing", 1, MIS_START="01/04/2025", MIS_END=""),
    "571": _set("missing", 1, MIS_END="01/04/2025"),
    "574": _set("missing", 0, MIS_END=""),
    "586": _set("missing", 0, DOB="04/07/2024"),
    "611": _set("header", 0, MC_DOB=""),
    "612": _set("header", 3, MC_DOB="01/01/2025"),
    "621": _set("header", 0, MC_DOB="01/01/2008"),
    "631": _set("prev_perm", 0, PREV_PERM="P9"),
    "635": _set("prev_perm", 0, LA_PERM="Leeds"),
    "1000": _set("episodes", 7, REC="E2", CHILD="104"),
    "1004": _set("missing", 0, MIS_START=""),
    "1005": _set("missing", 0, MIS_END="5th"),
    "1006": _set("missing", 0, MISSING="X"),
    "INT01": _set("ad1", 0, CHILD="999"),
    "INT02": _set("placed_adoption", 0, CHILD="999"),
    "INT03": _set("episodes", 5, CHILD="999"),
    "INT04": _set("missing", 0, CHILD="999"),
    "INT05": _set("oc2", 0, CHILD="999"),
    "INT06": _set("oc3", 0, CHILD="999"),
    "INT07": _set("prev_perm", 0, CHILD="999"),
    "INT08": _set("reviews", 0, CHILD="999"),
    "INT09": _set("uasc", 0, CHILD="999"),
    "INT31": _add("ad1", 0),
    "INT32": _add("header", 3),
    "INT33": _add("oc2", 0),
    "INT34": _add("oc3", 0),
    "INT36": _add("uasc", 0),
}


def _codes(rows: Rows) -> dict[str, set[str]]:
    report = validate_903(as_files(rows), filename="t", year=YEAR)
    assert not report.unreadable, report.unreadable
    found: dict[str, set[str]] = {}
    for f in report.findings:
        found.setdefault(f.code, set()).add(f.child)
    return found


def test_the_clean_return_passes_every_rule():
    report = validate_903(as_files(clean_903()), filename="t", year=YEAR)
    assert report.children == 5
    assert report.rules_run == len(S903_RULES.for_year(YEAR)) > 100
    assert report.findings == []


def test_every_rule_has_a_break():
    assert set(BREAKS) == set(S903_RULES.rules)


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_each_rule_finds_its_break(code):
    rows = clean_903()
    child = BREAKS[code](rows)
    found = _codes(rows)
    assert code in found, (code, found)
    if not code.startswith("INT0"):
        assert child in found[code] or code == "1000", (code, found[code])


def test_191_finds_a_child_in_the_oc2_cohort_with_no_oc2_row():
    rows = clean_903()
    rows["oc2"] = []
    assert _codes(rows) == {"191": {"101"}}


def test_388_finds_an_x1_ending_whose_date_is_not_a_date():
    # SQL's NULL is neither equal nor unequal: a DEC that is no date must still be "no
    # episode starts that day", as it was when the rules were pandas columns (ADR 0059).
    rows = clean_903()
    rows["episodes"][0]["DEC"] = "PR1"
    assert "101" in _codes(rows)["388"]


def test_a_date_long_ago_is_still_a_date():
    rows = clean_903()
    rows["reviews"][1]["REVIEW"] = "01/01/1600"
    found = _codes(rows)
    assert "166" not in found
    assert found["441"] == {"101"}  # a review before birth is under 4
