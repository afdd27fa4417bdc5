"""Importing an earlier system's CIN census files (ADR 0044): children matched or made and
their history recreated, the same file twice changing nothing, a later year's file
extending, a stopped import resuming, a child all or nothing, and every kind of file that
is not a census refused whole with a plain-English reason."""

import copy
import io
from datetime import UTC, date, datetime
from typing import Any

import pytest
from conftest import TEST_NOW, make_person
from django.core.management import CommandError, call_command

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework.models import (
    Assessment,
    CINPlan,
    Conference,
    CPPlan,
    Episode,
    Section47,
    StrategyDiscussion,
)
from safehub.core.exceptions import PermissionDeniedError
from safehub.hardtosee.models import RegisterFacts
from safehub.people.models import Person
from safehub.returns.cin.importer import ImportReport, import_cin
from safehub.returns.models import (
    ChildOutcome,
    ImportedChild,
    ImportedRecord,
    ImportRun,
    ImportStatus,
    LegacyChildId,
)
from safehub.returns.services import cin_history_import
from safehub.returns.tests.cin_builder import clean, header, upn, xml

pytestmark = pytest.mark.django_db

TABLES = (
    Person,
    Episode,
    Assessment,
    CINPlan,
    StrategyDiscussion,
    Section47,
    Conference,
    CPPlan,
    LegacyChildId,
    ImportedRecord,
)


def _import(actor: Any, content: bytes, **options: Any) -> ImportReport:
    return cin_history_import(
        actor=actor, content=content, filename="old-system.xml", now=TEST_NOW, **options
    )


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def _reasons(report: ImportReport) -> list[str]:
    return [p.reason for c in report.children for p in c.problems]


def test_a_clean_file_makes_every_child_and_their_history(users):
    analyst = users["performance_analyst"]
    report = _import(analyst, xml(*clean()))
    assert not report.refused
    assert report.count(ChildOutcome.CREATED) == 12
    kinds = ("episode", "assessment", "CIN plan", "strategy discussion")
    kinds += ("section 47 enquiry", "conference", "CP plan", "review")
    assert report.made == dict.fromkeys(kinds, 12)
    child = LegacyChildId.objects.get(la_code="873", la_child_id="C3").person
    assert (child.upn, child.date_of_birth, child.sex) == (upn(3), date(2015, 5, 1), "F")
    episode = Episode.objects.get(child=child)
    assert (episode.referral_date, episode.referral_source, episode.primary_need) == (
        date(2024, 6, 3),
        "2A",
        "N1",
    )
    assert episode.assessments.get().factors == ["3B", "4B"]
    enquiry = episode.enquiries.get()
    assert (enquiry.outcome, enquiry.end_date) == ("icpc", date(2024, 9, 19))
    plan = CPPlan.objects.get(child=child)
    icpc = Conference.objects.get(section47=enquiry)
    assert (icpc.plan, icpc.outcome, icpc.category) == (plan, "plan", "NEG")
    assert list(plan.conferences.filter(kind="review").values_list("held_on", flat=True)) == [
        date(2024, 12, 10)
    ]
    run = ImportRun.objects.get()
    assert (run.status, run.counts["created"], run.finished_at) == ("finished", 12, TEST_NOW)
    assert ImportedRecord.objects.filter(run=run, person=child).count() == 8
    audit = AuditEvent.objects.get(action=AuditAction.CREATE, object_type="returns.cin_import")
    named = {int(i) for i in audit.subject_ids.strip(",").split(",")}
    assert named == set(Person.objects.values_list("pk", flat=True))


def test_the_same_file_twice_changes_nothing(users):
    analyst = users["performance_analyst"]
    content = xml(*clean())
    _import(analyst, content)
    before = _rows()
    again = _import(analyst, content)
    assert again.already_done
    assert _rows() == before
    # The same children sent again in another file (a new header, so another hash) are
    # recognised record by record.
    head, children = clean()
    head["Source"]["DateTime"] = datetime(2025, 4, 3, 9, 0, tzinfo=UTC)
    other = _import(analyst, xml(head, children))
    assert not other.already_done
    assert other.count(ChildOutcome.MATCHED) == 12
    assert other.made == {}
    assert _rows() == before
    assert {c.matched_by for c in other.children} == {"LAchildID"}


def test_a_later_years_file_extends_the_history(users):
    analyst = users["performance_analyst"]
    _import(analyst, xml(*clean()))
    head, children = header(2026), clean()[1]
    head["CollectionDetails"]["Year"] = 2026
    episode = children[0]["CINdetails"][0]
    plan = episode["ChildProtectionPlans"][0]
    plan["CPPendDate"] = date(2025, 6, 2)
    plan["Reviews"]["CPPreviewDate"].append(date(2025, 3, 10))
    episode["CINclosureDate"], episode["ReasonForClosure"] = date(2025, 6, 30), "RC1"
    episode["Assessments"].append(
        {"AssessmentActualStartDate": date(2025, 5, 1), "AssessmentAuthorisationDate": None}
    )
    report = _import(analyst, xml(head, children[:1]))
    assert report.made == {
        "episode extended": 1,
        "CP plan extended": 1,
        "review": 1,
        "assessment": 1,
    }, _reasons(report)
    child = LegacyChildId.objects.get(la_child_id="C0").person
    assert Episode.objects.get(child=child).closure_date == date(2025, 6, 30)
    assert CPPlan.objects.get(child=child).end_date == date(2025, 6, 2)


def test_a_child_is_matched_by_upn_and_the_record_keeps_its_own_values(users):
    existing = make_person("Ada", "Lovelace", born=date(2015, 5, 1), upn=upn(4), sex="U")
    report = _import(users["performance_analyst"], xml(*clean()))
    four = next(c for c in report.children if c.la_child_id == "C4")
    assert (four.outcome, four.person_id, four.matched_by) == ("matched", existing.pk, "UPN")
    existing.refresh_from_db()
    assert (existing.given_name, existing.sex, existing.version) == ("Ada", "M", 2)
    # What the file filled in is worked out into the child's register row (ADR 0060).
    assert RegisterFacts.objects.get(pk=existing.pk).date_of_birth == date(2015, 5, 1)
    assert LegacyChildId.objects.get(la_child_id="C4").person == existing


def test_a_upn_on_a_record_born_another_day_refuses_the_child(users):
    existing = make_person("Ada", "Lovelace", born=date(2016, 1, 1), upn=upn(5))
    report = _import(users["performance_analyst"], xml(*clean()))
    five = next(c for c in report.children if c.la_child_id == "C5")
    assert five.outcome == "refused"
    assert f"belongs to SafeHub record {existing.pk}" in five.problems[0].reason
    assert not Episode.objects.filter(child=existing).exists()
    assert report.count(ChildOutcome.CREATED) == 11


def test_a_child_that_fails_midway_leaves_nothing_behind(users):
    head, children = clean()
    second = copy.deepcopy(children[2]["CINdetails"][0])
    children[2]["CINdetails"][0]["CINclosureDate"] = date(2024, 12, 20)
    children[2]["CINdetails"][0]["ReasonForClosure"] = "RC1"
    children[2]["CINdetails"][0]["ChildProtectionPlans"][0]["CPPendDate"] = date(2024, 12, 11)
    second["CINreferralDate"] = date(2025, 1, 6)
    for part in ("Assessments", "CINPlanDates", "Section47"):
        second[part] = []
    second["ChildProtectionPlans"][0]["CPPstartDate"] = date(2025, 1, 7)
    second["ChildProtectionPlans"][0]["InitialCategoryOfAbuse"] = "XYZ"  # not a code
    second["ChildProtectionPlans"][0]["Reviews"]["CPPreviewDate"] = []
    children[2]["CINdetails"].append(second)
    report = _import(users["performance_analyst"], xml(head, children))
    two = next(c for c in report.children if c.la_child_id == "C2")
    assert two.outcome == "refused"
    assert two.person_id is None
    assert any("category of abuse" in p.reason for p in two.problems)
    assert two.problems[-1].reason == "Nothing of this child was imported."
    assert not LegacyChildId.objects.filter(la_child_id="C2").exists()
    assert Person.objects.count() == Episode.objects.count() == 11
    assert ImportedChild.objects.get(la_child_id="C2").outcome == "refused"


def test_a_wrong_value_is_left_out_and_the_child_imported(users):
    head, children = clean()
    children[1]["ChildIdentifiers"]["UPN"] = "B" + upn(1)[1:]  # the wrong check letter
    children[1]["ChildCharacteristics"]["Disabilities"]["Disability"] = ["WINGS"]
    report = _import(users["performance_analyst"], xml(head, children))
    one = next(c for c in report.children if c.la_child_id == "C1")
    assert one.outcome == "created"
    reasons = " ".join(p.reason for p in one.problems)
    assert "does not match the rest of the number" in reasons
    assert "'WINGS' is not a census code" in reasons
    assert LegacyChildId.objects.get(la_child_id="C1").person.upn == ""


def test_a_stopped_import_carries_on_where_it_stopped(users):
    analyst = users["performance_analyst"]
    content = xml(*clean())

    def stop_after_the_first_batch(done: int, total: int) -> None:
        raise RuntimeError("the server was restarted")

    with pytest.raises(RuntimeError):
        import_cin(
            actor=analyst,
            content=content,
            filename="old-system.xml",
            now=TEST_NOW,
            batch_size=5,
            progress=stop_after_the_first_batch,
        )
    run = ImportRun.objects.get()
    assert (run.status, run.children.count(), Person.objects.count()) == ("running", 5, 5)
    report = _import(analyst, content)
    assert report.resumed_at == 5
    assert len(report.children) == 12
    assert report.run_id == run.pk
    assert Person.objects.count() == Episode.objects.count() == 12
    run.refresh_from_db()
    assert run.status == ImportStatus.FINISHED
    assert run.counts["created"] == 12


def test_a_dry_run_reports_and_keeps_nothing(users):
    report = _import(users["performance_analyst"], xml(*clean()), dry_run=True)
    assert report.dry_run
    assert report.count(ChildOutcome.CREATED) == 12
    assert Person.objects.count() == ImportRun.objects.count() == 0
    assert AuditEvent.objects.get(object_type="returns.cin_import_dry_run")


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<Message><Header>&lol3;</Header></Message>"""


def _latin1(content: bytes) -> bytes:
    """A census whose value holds a byte that is not UTF-8, though the file says it is."""
    return content.replace(b"<Ethnicity>WBRI</Ethnicity>", b"<Ethnicity>W\xe9RI</Ethnicity>", 1)


@pytest.mark.parametrize(
    ("kind", "content", "options", "says"),
    [
        ("not XML", b"PK\x03\x04 a spreadsheet", {}, "not XML"),
        ("wrong root", b"<?xml version='1.0'?><Return><Header/></Return>", {}, "<Return>"),
        ("an unknown year", xml(header(2019), clean()[1]), {}, "Year is '2019'"),
        ("another year", xml(*clean()), {"year": "2025-26"}, "not 2025-26"),
        ("bad encoding", _latin1(xml(*clean())), {}, "encoding"),
        ("XML bomb", BOMB, {}, "document type (DTD)"),
        ("very large", xml(*clean()), {"max_bytes": 4096}, "SafeHub reads returns of up to"),
        ("empty", b"   ", {}, "empty"),
    ],
)
def test_a_file_that_is_not_a_census_is_refused_whole(users, kind, content, options, says):
    report = _import(users["performance_analyst"], content, **options)
    assert says in report.refused, (kind, report.refused)
    assert report.refused.endswith("Nothing was imported.")
    assert not report.children
    assert sum(_rows().values()) == 0
    assert not ImportRun.objects.exists()


def test_a_two_gigabyte_file_is_refused_by_the_command_before_it_is_read(users, tmp_path):
    huge = tmp_path / "census.xml"
    with huge.open("wb") as f:
        f.truncate(2 * 1024**3)  # sparse: nothing is written to disk
    with pytest.raises(CommandError, match="SafeHub reads returns of up to 200 MB"):
        call_command("import_cin", str(huge), "--user", "analyst")
    assert not Person.objects.exists()


def test_the_command_imports_and_reports(users, tmp_path):
    head, children = clean()
    children[0]["CINdetails"][0]["ChildProtectionPlans"][0]["InitialCategoryOfAbuse"] = "XYZ"
    path = tmp_path / "census.xml"
    path.write_bytes(xml(head, children))
    out = io.StringIO()
    call_command("import_cin", str(path), "--user", "admin", "--dry-run", stdout=out)
    assert "Dry run: nothing was kept." in out.getvalue()
    assert not Person.objects.exists()
    out = io.StringIO()
    call_command("import_cin", str(path), "--user", "admin", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "12 children, 11 new records, 0 matched, 1 not imported." in text
    assert "LAchildID C0" in text
    assert "category of abuse" in text
    with pytest.raises(CommandError, match="Only the returns team or an administrator"):
        call_command("import_cin", str(path), "--user", "sw")


@pytest.mark.parametrize("role", ["social_worker", "team_manager", "data_protection_officer"])
def test_only_the_roles_the_policy_names_import(users, role):
    with pytest.raises(PermissionDeniedError):
        _import(users[role], xml(*clean()))
    assert not Person.objects.exists()
