"""Every CIN rule SafeHub checks, proved on a clean census broken one way: the clean file
passes (format and every rule, both years), and each break is found by its rule. Removing a
rule from `rules.py` fails its case here; adding one without a case fails the last test."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from safehub.core.identifiers import upn_check_letter
from safehub.returns.cin.rules import CIN_RULES
from safehub.returns.cin.spec import YEARS
from safehub.returns.cin.validate import validate_cin
from safehub.returns.tests.cin_builder import clean, header, xml

Kids = list[dict[str, Any]]
Break = Callable[[dict[str, Any], Kids], None]
SATURDAY = date(2024, 9, 21)


def ids(kids: Kids, n: int = 0) -> dict[str, Any]:
    return kids[n]["ChildIdentifiers"]


def ep(kids: Kids, n: int = 0) -> dict[str, Any]:
    return kids[n]["CINdetails"][0]


def _second_episode(kids: Kids, referral: date, closure: date | None = None) -> None:
    kids[0]["CINdetails"].append(
        {
            "CINreferralDate": referral,
            "ReferralSource": "6",
            "PrimaryNeedCode": "N4",
            "CINclosureDate": closure,
            "ReasonForClosure": "RC7" if closure else "",
            "ReferralNFA": False,
        }
    )


def _unborn(kids: Kids, sex: str) -> None:
    kids.append(
        {
            "ChildIdentifiers": {
                "LAchildID": "U1",
                "UPNunknown": "UN1",
                "ExpectedPersonBirthDate": date(2025, 5, 1),
                "Sex": sex,
            },
            "ChildCharacteristics": {"Ethnicity": "NOBT"},
            "CINdetails": [
                {
                    "CINreferralDate": date(2025, 1, 6),
                    "ReferralSource": "3B",
                    "PrimaryNeedCode": "N1",
                    "ReferralNFA": False,
                }
            ],
        }
    )


def _set(target: Callable[[Kids], dict[str, Any]], **values: Any) -> Break:
    return lambda head, kids: target(kids).update(values)


def _assessment(kids: Kids) -> dict[str, Any]:
    return ep(kids)["Assessments"][0]


def _s47(kids: Kids) -> dict[str, Any]:
    return ep(kids)["Section47"][0]


def _plan(kids: Kids) -> dict[str, Any]:
    return ep(kids)["ChildProtectionPlans"][0]


def _cin_plan(kids: Kids) -> dict[str, Any]:
    return ep(kids)["CINPlanDates"][0]


def _both(*done: None) -> None:
    """Several changes made as the arguments were worked out."""


def _overlapping(kids: Kids) -> None:
    ep(kids).update(CINclosureDate=date(2024, 12, 20), ReasonForClosure="RC7")
    _second_episode(kids, date(2024, 12, 2), date(2025, 2, 10))


def _only_none(kids: Kids) -> None:
    for k in kids:
        k["ChildCharacteristics"]["Disabilities"] = {"Disability": ["NONE"]}


def _open_assessment(start: date) -> dict[str, Any]:
    return {"AssessmentActualStartDate": start}


def _closed(reason: str, **more: Any) -> Break:
    """The first child's episode closed within the year for `reason`, with `more` changes."""
    return lambda head, kids: ep(kids).update(
        CINclosureDate=date(2025, 2, 3), ReasonForClosure=reason, **more
    )


def _died(day: date) -> Break:
    return _set(lambda k: ids(k), PersonDeathDate=day)


def _upn_with(body: str, last: str = "") -> str:
    """A UPN of `body` (11 characters after the check letter) and a 13th character."""
    return upn_check_letter(body) + body + last


def _factors(*codes: str) -> Break:
    return _set(_assessment, FactorsIdentifiedAtAssessment={"AssessmentFactors": list(codes)})


def _add(module: str, record: dict[str, Any]) -> Break:
    return lambda head, kids: ep(kids)[module].append(record)


def _open_s47(start: date) -> dict[str, Any]:
    return {"S47ActualStartDate": start, "ICPCnotRequired": False}


def _unborn_due(due: date) -> Break:
    def change(head: dict[str, Any], kids: Kids) -> None:
        _unborn(kids, "U")
        kids[-1]["ChildIdentifiers"]["ExpectedPersonBirthDate"] = due

    return change


AFTER_YEAR = date(2025, 4, 10)


BREAKS: dict[str, Break] = {
    "100": lambda head, kids: head["CollectionDetails"].update(ReferenceDate=date(2025, 3, 30)),
    "1510": lambda head, kids: ids(kids).update(
        UPN=("B" if ids(kids)["UPN"][0] != "B" else "C") + ids(kids)["UPN"][1:]
    ),
    "1520": lambda head, kids: ids(kids, 1).update(UPN=ids(kids)["UPN"]),
    "1570": _set(lambda k: ids(k), LAchildID="A" * 21),
    "1580": _set(lambda k: ids(k), LAchildID="C-1"),
    "4180": _set(lambda k: ids(k), Sex="1"),
    "8750": lambda head, kids: _unborn(kids, "F"),
    "8500": _set(lambda k: ids(k), LAchildID=""),
    "8510": lambda head, kids: ids(kids, 1).update(LAchildID=ids(kids)["LAchildID"]),
    "8520": _set(lambda k: ids(k), PersonBirthDate=date(2025, 4, 10)),
    "8525Q": _set(lambda k: ids(k), ExpectedPersonBirthDate=date(2015, 5, 1)),
    "8540": lambda head, kids: kids[0]["ChildCharacteristics"].pop("Disabilities"),
    "8600": lambda head, kids: ep(kids, 11).update(CINreferralDate=date(2025, 4, 2)),
    "8606": lambda head, kids: _both(
        ids(kids).update(PersonBirthDate=date(2024, 12, 1)),
        ep(kids).update(CINreferralDate=date(2024, 1, 15)),
    ),
    "8610": _set(ep, PrimaryNeedCode=""),
    "8805": _set(ep, CINclosureDate=date(2025, 2, 3)),
    "8810": _set(ep, ReasonForClosure="RC7"),
    "8815": lambda head, kids: _second_episode(kids, date(2025, 1, 10)),
    "8816": lambda head, kids: _second_episode(kids, date(2025, 1, 10), date(2025, 2, 10)),
    "8820": lambda head, kids: _overlapping(kids),
    "2990": _set(ep, CINclosureDate=date(2025, 2, 3), ReasonForClosure="RC8"),
    "8875": lambda head, kids: _both(
        _s47(kids).update(DateOfInitialCPC=SATURDAY), _plan(kids).update(CPPstartDate=SATURDAY)
    ),
    "2884": _set(ep, DateOfInitialCPC=date(2024, 9, 19)),
    "1103": _set(_assessment, AssessmentActualStartDate=date(2024, 6, 1)),
    "8614": _set(_assessment, AssessmentAuthorisationDate=None),
    "8670Q": lambda head, kids: ep(kids, 3)["Assessments"].append(
        _open_assessment(date(2024, 10, 1))
    ),
    "8831": _set(lambda k: ep(k), ReferralNFA=True),
    "8869": lambda head, kids: _assessment(kids).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["21", "3B"]}
    ),
    "8896": lambda head, kids: ep(kids)["Assessments"].extend(
        [_open_assessment(date(2025, 3, 10)), _open_assessment(date(2025, 3, 11))]
    ),
    "8897Q": _set(_assessment, FactorsIdentifiedAtAssessment=None),
    "8945Q": lambda head, kids: _assessment(kids).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["18A"]}
    ),
    "8950Q": lambda head, kids: _assessment(kids).update(
        FactorsIdentifiedAtAssessment={"AssessmentFactors": ["19A"]}
    ),
    "4015": _set(_cin_plan, CINPlanStartDate=date(2024, 6, 1)),
    "4004": lambda head, kids: ep(kids)["CINPlanDates"].extend(
        [{"CINPlanStartDate": date(2025, 3, 1)}, {"CINPlanStartDate": date(2025, 3, 2)}]
    ),
    "4001": _set(_cin_plan, CINPlanEndDate=date(2024, 10, 1)),
    "2889": _set(_s47, S47ActualStartDate=date(2024, 6, 1)),
    "8675Q": _set(_s47, DateOfInitialCPC=None),
    "8870Q": _set(_s47, InitialCPCtarget=SATURDAY),
    "1105": _set(_plan, CPPstartDate=date(2024, 6, 1)),
    "8840": _set(_plan, CPPendDate=date(2024, 9, 19)),
    "8841": _set(_plan, Reviews={"CPPreviewDate": [date(2024, 9, 10)]}),
    "8935": lambda head, kids: ep(kids)["ChildProtectionPlans"].append(
        {"CPPstartDate": date(2025, 1, 9), "InitialCategoryOfAbuse": "EMO"}
    ),
    "2886Q": lambda head, kids: _both(*(k["ChildIdentifiers"].update(Sex="U") for k in kids)),
    "2887Q": lambda head, kids: _only_none(kids),
    "2888Q": lambda head, kids: _only_none(kids[:10]),
    # The rules of one shape (rule_table.py)
    "8620": _set(ep, CINclosureDate=AFTER_YEAR, ReasonForClosure="RC7"),
    "8696": _set(_assessment, AssessmentAuthorisationDate=AFTER_YEAR),
    "8715": _set(_s47, DateOfInitialCPC=AFTER_YEAR),
    "4013": _set(_cin_plan, CINPlanEndDate=AFTER_YEAR),
    "8930": _set(_plan, CPPendDate=AFTER_YEAR),
    "8545Q": _died(date(2024, 3, 1)),
    "4010": _set(_cin_plan, CINPlanStartDate=AFTER_YEAR, CINPlanEndDate=None),
    "8720": _set(_plan, CPPstartDate=AFTER_YEAR),
    "8630": _set(ep, CINclosureDate=date(2024, 6, 1), ReasonForClosure="RC7"),
    "8608": _set(_assessment, AssessmentAuthorisationDate=date(2024, 6, 3)),
    "4011": _set(_cin_plan, CINPlanEndDate=date(2024, 7, 1)),
    "8925": _set(_plan, CPPendDate=date(2024, 9, 18)),
    "8535Q": _died(date(2015, 4, 1)),
    "4012Q": _set(_cin_plan, CINPlanEndDate=date(2024, 7, 2)),
    "1104": _set(_s47, DateOfInitialCPC=date(2024, 5, 30)),
    "8555Q": _died(date(2024, 6, 1)),
    "4008": _died(date(2024, 7, 1)),
    "4009Q": _died(date(2024, 8, 1)),
    "8915": _died(date(2024, 9, 10)),
    "8920": lambda head, kids: _both(
        _plan(kids).update(CPPendDate=date(2025, 1, 10)),
        ids(kids).update(PersonDeathDate=date(2025, 1, 1)),
    ),
    "4000": _set(ep, ReferralNFA=True),
    "8832": _set(ep, ReferralNFA=True),
    "4220": lambda head, kids: kids[0]["ChildCharacteristics"].update(Ethnicity="XXXX"),
    "8866": _set(ep, ReferralSource="99"),
    "8650": _set(ep, PrimaryNeedCode="N99"),
    "8640": _closed("RC99"),
    "8905": _set(_plan, InitialCategoryOfAbuse=""),
    "8910": _set(_plan, LatestCategoryOfAbuse="XYZ"),
    "4014": _add(
        "CINPlanDates", {"CINPlanStartDate": date(2024, 8, 1), "CINPlanEndDate": date(2024, 8, 30)}
    ),
    "8940": _add(
        "ChildProtectionPlans",
        {
            "CPPstartDate": date(2024, 10, 1),
            "CPPendDate": date(2024, 11, 1),
            "InitialCategoryOfAbuse": "EMO",
            "LatestCategoryOfAbuse": "EMO",
            "NumberOfPreviousCPP": 0,
        },
    ),
    "8863Q": _add(
        "Assessments",
        {
            "AssessmentActualStartDate": date(2024, 6, 20),
            "AssessmentAuthorisationDate": date(2024, 6, 28),
            "FactorsIdentifiedAtAssessment": {"AssessmentFactors": ["3B"]},
        },
    ),
    "8890": _add("Section47", {"S47ActualStartDate": date(2024, 9, 10), "ICPCnotRequired": True}),
    "4016": _add(
        "CINPlanDates", {"CINPlanStartDate": date(2024, 10, 1), "CINPlanEndDate": date(2024, 11, 1)}
    ),
    "4017": _set(_cin_plan, CINPlanEndDate=None),
    # About the child (rules_children.py)
    "1530": _set(lambda k: ids(k), UPN=_upn_with("99912342400", "0")),
    "1540": _set(lambda k: ids(k), UPN="A8731234567X0"),
    "1550": lambda head, kids: ids(kids).update(UPN=ids(kids)["UPN"][:12] + "I"),
    "1560Q": _set(lambda k: ids(k), FormerUPN="12345"),
    "8770Q": _set(lambda k: ids(k), UPN=""),
    "8772": _set(lambda k: ids(k), UPN="", UPNunknown="UN7"),
    "8530Q": _unborn_due(date(2026, 1, 10)),
    "8775Q": _set(lambda k: ids(k), PersonBirthDate=date(1999, 3, 1)),
    "8590": lambda head, kids: kids[0].update(CINdetails=[]),
    "8790": lambda head, kids: kids[0]["ChildCharacteristics"].update(
        Disabilities={"Disability": ["NONE", "MOB"]}
    ),
    "8794": lambda head, kids: kids[0]["ChildCharacteristics"].update(
        Disabilities={"Disability": ["MOB", "MOB"]}
    ),
    # Across an episode's modules (rules_links.py)
    "8565": _set(ep, CINclosureDate=date(2024, 9, 2), ReasonForClosure="RC7"),
    "8867": lambda head, kids: _both(
        _closed("RC7")(head, kids), _assessment(kids).update(AssessmentAuthorisationDate=None)
    ),
    "8868": lambda head, kids: _both(
        _closed("RC7")(head, kids), _s47(kids).update(DateOfInitialCPC=None)
    ),
    "8825Q": _closed("RC8", Assessments=[]),
    "2991Q": _set(ep, Assessments=[]),
    "8873Q": lambda head, kids: _both(_closed("RC7")(head, kids), _factors("21")(head, kids)),
    "8898": _factors("3B", "3B"),
    "8839": lambda head, kids: ep(kids)["Section47"].extend(
        [_open_s47(date(2025, 3, 25)), _open_s47(date(2025, 3, 26))]
    ),
    "8736": _add("Assessments", _open_assessment(date(2024, 3, 1))),
    "8740": _add("Section47", _open_s47(date(2024, 3, 1))),
    "8615": _set(_s47, DateOfInitialCPC=date(2024, 9, 2)),
    "8569Q": lambda head, kids: ep(kids, 11).update(
        CINreferralDate=date(2024, 3, 1), ReferralNFA=True
    ),
    "8568": _set(ep, ReferralNFA="maybe"),
    "8585Q": _closed("RC2"),
    "8730": _set(_plan, NumberOfPreviousCPP=None),
    "8842Q": _set(_plan, Reviews={"CPPreviewDate": [" "]}),
    "2885": _set(_plan, CPPstartDate=date(2024, 9, 20)),
    "2883": _add(
        "ChildProtectionPlans",
        {"CPPstartDate": date(2025, 1, 9), "InitialCategoryOfAbuse": "EMO"},
    ),
    "4003": _add(
        "CINPlanDates", {"CINPlanStartDate": date(2024, 12, 1), "CINPlanEndDate": date(2025, 1, 31)}
    ),
}


def _found(head: dict[str, Any], kids: Kids) -> set[str]:
    report = validate_cin(xml(head, kids), filename="test.xml")
    assert not report.unreadable, report.unreadable
    return {f.code for f in report.findings}


@pytest.mark.parametrize("year", list(YEARS))
def test_the_clean_census_passes_the_format_and_every_rule(year):
    census = YEARS[year]
    head, kids = clean()
    head["CollectionDetails"].update(Year=census.header_year, ReferenceDate=census.end)
    if census.header_year != 2025:  # move every date on whole weeks, keeping the weekdays
        kids = _shifted(kids, census.header_year - 2025)
    report = validate_cin(xml(head, kids), filename="clean.xml")
    assert report.year == year
    assert report.children == 12
    assert report.rules_run == len(CIN_RULES.for_year(year)) > 40
    assert report.findings == [], [(f.code, f.values) for f in report.findings]


def _shifted(value: Any, years: int) -> Any:
    if isinstance(value, date):
        return value + timedelta(weeks=52 * years)
    if isinstance(value, dict):
        return {k: _shifted(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, years) for v in value]
    return value


@pytest.mark.parametrize("code", sorted(BREAKS))
def test_each_rule_finds_what_breaks_it(code):
    head, kids = clean()
    BREAKS[code](head, kids)
    assert code in _found(head, kids)


def test_every_rule_has_a_break():
    assert set(BREAKS) == set(CIN_RULES.rules)


def test_a_finding_names_the_child_the_line_and_the_values():
    head, kids = clean()
    BREAKS["8840"](head, kids)
    report = validate_cin(xml(head, kids), filename="t.xml")
    (finding,) = [f for f in report.findings if f.code == "8840"]
    assert finding.child == "C0"
    assert finding.severity == "error"
    assert finding.line is not None
    assert finding.line > 20
    assert "CPPstartDate 2024-09-19" in finding.values


def test_queries_are_queries_and_errors_errors():
    head, kids = clean()
    BREAKS["8670Q"](head, kids)
    BREAKS["8840"](head, kids)
    report = validate_cin(xml(head, kids), filename="t.xml")
    assert {f.code: f.severity for f in report.findings} == {"8670Q": "query", "8840": "error"}
    assert (report.errors, report.queries, report.passed) == (1, 1, False)


def test_rules_of_2024_25_on_do_not_run_on_a_year_without_them():
    assert "1570" in {r.code for r in CIN_RULES.for_year("2024-25")}
    assert header(2026)["CollectionDetails"]["Year"] == 2026
    assert CIN_RULES.for_year("2019-20") == []


def _plan_ends_then_cin_plan(head: dict[str, Any], kids: Kids) -> None:
    _plan(kids).update(
        CPPendDate=date(2025, 1, 10), Reviews={"CPPreviewDate": [date(2024, 12, 10)]}
    )
    ep(kids)["CINPlanDates"].append({"CINPlanStartDate": date(2025, 1, 10)})


def _nfa_referral_on(day: date) -> Break:
    return lambda head, kids: ep(kids, 11).update(
        CINreferralDate=day, ReferralNFA=True, Assessments=[], CINPlanDates=[], Section47=[],
        ChildProtectionPlans=[], CINclosureDate=day, ReasonForClosure="RC7",
    )  # fmt: skip


# Where the published rule leaves a case alone, a change that only reaches that case.
EDGES: dict[str, Break] = {
    # A child in need plan may start the day the protection plan ends (step-down).
    "4016": _plan_ends_then_cin_plan,
    # A repeated record is one assessment, not two running at once.
    "8863Q": lambda head, kids: ep(kids)["Assessments"].append(dict(_assessment(kids))),
    # An open episode has no reason for closure to question yet.
    "8873Q": _factors("21"),
    # 1 April 2024 was Easter Monday: the working day before the year began was Thursday
    # 28 March (Good Friday between), so a referral that day may still be no further action.
    "8569Q": _nfa_referral_on(date(2024, 3, 28)),
    # Nine months after the reference date is still in range (the rule says "between").
    "8530Q": _unborn_due(date(2025, 12, 31)),
}


@pytest.mark.parametrize("code", sorted(EDGES))
def test_what_a_rule_leaves_alone_it_leaves_alone(code):
    head, kids = clean()
    EDGES[code](head, kids)
    assert code not in _found(head, kids)


def test_a_referral_two_working_days_before_the_year_cannot_be_no_further_action():
    head, kids = clean()
    _nfa_referral_on(date(2024, 3, 27))(head, kids)
    assert "8569Q" in _found(head, kids)


def test_rules_of_one_shape_are_found_by_their_code():
    """The table keeps each rule findable: its code, table and fields are registered."""
    rule = CIN_RULES.rules["8930"]
    assert (rule.table, rule.fields, rule.severity) == (
        "ChildProtectionPlans",
        ("CPPendDate",),
        "error",
    )
    assert CIN_RULES.rules["4220"].table == "ChildCharacteristics"
    assert CIN_RULES.rules["8545Q"].severity == "query"


def test_activity_on_an_episode_closed_to_early_help_is_found_too():
    """Rule 2990 covers both closures after assessment: RC8 and RC9."""
    head, kids = clean()
    _closed("RC9")(head, kids)
    assert "2990" in _found(head, kids)


def _bare(n: int, **episode: Any) -> dict[str, Any]:
    """A child with no UPN and one episode with nothing in it but what `episode` gives."""
    return {
        "ChildIdentifiers": {"LAchildID": f"B{n}", "UPNunknown": "UN1", "Sex": "F",
                             "PersonBirthDate": date(2022, 5, 1)},
        "ChildCharacteristics": {"Ethnicity": "WBRI", "Disabilities": {"Disability": ["NONE"]}},
        "CINdetails": [{"CINreferralDate": date(2024, 6, 3), "ReferralSource": "2A",
                        "PrimaryNeedCode": "N1", "ReferralNFA": False, **episode}],
    }  # fmt: skip


@pytest.mark.parametrize(
    "kids",
    [
        [],
        [_bare(1)],
        [_bare(1, CINclosureDate=date(2024, 7, 1), ReasonForClosure="RC7"), _bare(2)],
    ],
    ids=["no children", "one open episode, nothing in it", "no modules anywhere"],
)
def test_a_census_with_empty_modules_runs_every_rule(kids):
    """A column with nothing in it (no UPNs, no assessments) is no reason for a rule to fail."""
    report = validate_cin(xml(header(), kids), filename="bare.xml")
    assert not report.unreadable
    assert report.rules_run == len(CIN_RULES.for_year("2024-25"))
    # Only the return-wide queries (too few disability codes for a return this small) and,
    # with no children at all, the format (a census names at least one).
    assert {f.code for f in report.findings} <= {"2887Q", "2888Q", "schema"}
