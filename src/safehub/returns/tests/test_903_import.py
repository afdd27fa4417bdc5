"""Importing an earlier system's SSDA903 files (ADR 0051): children matched or made and
their care history recreated, the same files twice changing nothing, a later year's files
extending, a stopped import resuming, a child all or nothing, and every kind of file that
is not a 903 for the year refused whole with a plain-English reason."""

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from conftest import TEST_NOW, make_person
from django.core.management import CommandError, call_command

from safehub.audit.models import AuditAction, AuditEvent
from safehub.casework.models import (
    CareEpisode,
    CareReview,
    Episode,
    MissingEpisode,
    PeriodOfCare,
    UASCStatus,
)
from safehub.core.exceptions import PermissionDeniedError
from safehub.people.models import Person
from safehub.permanence.models import Adopters, Adoption, PermanenceBefore
from safehub.returns.cin.importer import ImportReport
from safehub.returns.models import (
    ChildOutcome,
    ImportedRecord,
    ImportRun,
    ImportStatus,
    LegacyChildId,
)
from safehub.returns.services import cin_history_import, s903_history_import
from safehub.returns.ssda903.importer import import_903
from safehub.returns.tests.cin_builder import clean, xml
from safehub.returns.tests.s903_builder import Rows, as_files, clean_903, zipped

pytestmark = pytest.mark.django_db

TABLES = (
    Person,
    Episode,
    PeriodOfCare,
    CareEpisode,
    CareReview,
    MissingEpisode,
    UASCStatus,
    Adoption,
    Adopters,
    PermanenceBefore,
    LegacyChildId,
    ImportedRecord,
)


def _import(actor: Any, files: Any, year: str = "2024-25", **options: Any) -> ImportReport:
    return s903_history_import(
        actor=actor, files=files, filename="old-903.zip", year=year, now=TEST_NOW, **options
    )


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def _reasons(report: ImportReport) -> list[str]:
    return [p.reason for c in report.children for p in c.problems]


def _child(old_id: str) -> Person:
    return LegacyChildId.objects.get(la_child_id=old_id).person


def test_a_clean_return_makes_every_child_and_their_care_history(users):
    report = _import(users["performance_analyst"], zipped(clean_903()))
    assert not report.refused
    assert report.count(ChildOutcome.CREATED) == 5
    assert report.made == {
        "episode": 5,
        "period of care": 5,
        "care episode": 8,
        "looked-after review": 3,
        "missing episode": 2,
        "previous permanence": 1,
        "adoption decision": 1,
        "adopters": 1,
        "UASC status": 1,
    }
    girl = _child("101")
    assert (girl.date_of_birth, girl.sex, girl.ethnicity) == (date(2008, 5, 10), "F", "WBRI")
    assert girl.family_name == "Looked-after child 101"
    period = PeriodOfCare.objects.get(child=girl)
    assert (period.start_date, period.end_date, period.episode.primary_need) == (
        date(2020, 1, 1),
        None,
        "N1",
    )
    placements = list(
        period.episodes.order_by("start_date").values_list(
            "placement_type", "end_date", "reason_ceased"
        )
    )
    assert placements == [("U4", date(2024, 6, 1), "X1"), ("K2", None, "")]
    assert list(period.reviews.order_by("held_on").values_list("participation", flat=True)) == [
        "PN1",
        "PN6",
    ]
    assert MissingEpisode.objects.filter(child=girl).count() == 2
    baby = _child("102")
    adoption = Adoption.objects.get(child=baby)
    baby_period = PeriodOfCare.objects.get(child=baby)
    assert baby_period.reason_ceased in ("E11", "E12")
    assert (adoption.decided_on, adoption.matched_on, adoption.order_on) == (
        date(2024, 8, 20),
        date(2024, 8, 25),
        baby_period.end_date,
    )
    adopters = Adopters.objects.get(matches=adoption)
    assert (adopters.sexes, adopters.legal_status, adopters.number) == ("MF", "L11", 2)
    assert adoption.by_foster_carer is False
    assert baby_period.episode.closure_reason == "RC1"  # the episode of need made, closed
    assert PermanenceBefore.objects.get(child=baby).kind == "Z1"
    assert UASCStatus.objects.get(child=_child("103")).ceased_on is None
    # What SafeHub does not keep from the return is reported, row by row.
    items = {p.item for c in report.children for p in c.problems}
    assert {"OC2", "OC3", "SWEpisodes", "Header"} <= items
    assert ImportedRecord.objects.filter(kind="casework.PeriodOfCare").count() == 5
    audit = AuditEvent.objects.get(object_type="returns.s903_import")
    assert audit.action == AuditAction.CREATE
    named = {int(i) for i in audit.subject_ids.strip(",").split(",")}
    assert named == set(LegacyChildId.objects.values_list("person_id", flat=True))


def test_the_same_files_twice_change_nothing(users, tmp_path):
    analyst = users["performance_analyst"]
    _import(analyst, zipped(clean_903()))
    before = _rows()
    again = _import(analyst, as_files(clean_903()))  # a folder's files, the same content
    assert again.already_done
    rows = clean_903()
    del rows["oc2"]  # different files, the same records: all recognised, nothing made
    third = _import(analyst, zipped(rows))
    assert not third.already_done
    assert third.count(ChildOutcome.MATCHED) == 5
    assert third.made == {}
    assert _rows() == before


def test_a_later_year_extends_what_the_earlier_one_left_open(users):
    analyst = users["performance_analyst"]
    _import(analyst, zipped(clean_903()))
    boy = _child("103")
    later = clean_903()
    episode = next(r for r in later["episodes"] if r["CHILD"] == "103")
    episode.update(DEC="01/06/2025", REC="E8")
    later["uasc"][0]["DUC"] = "01/06/2025"
    later = {k: [r for r in v if r["CHILD"] == "103"] for k, v in later.items() if k != "reviews"}
    report = _import(analyst, zipped(later), year="2025-26")
    assert report.count(ChildOutcome.MATCHED) == 1
    assert report.made == {"care episode extended": 1, "UASC status extended": 1}
    period = PeriodOfCare.objects.get(child=boy)
    assert (period.end_date, period.reason_ceased) == (date(2025, 6, 1), "E8")
    assert (period.episode.closure_date, period.episode.closure_reason) == (
        date(2025, 6, 1),
        "RC7",
    )
    assert UASCStatus.objects.get(child=boy).ceased_on == date(2025, 6, 1)


def test_a_child_is_matched_by_upn_and_refused_when_born_another_day(users):
    analyst = users["performance_analyst"]
    rows = clean_903()
    known = make_person("Known", "Child", born=date(2008, 5, 10))
    Person.objects.filter(pk=known.pk).update(upn="A123456789012")
    report = _import(analyst, zipped(rows))
    girl = next(c for c in report.children if c.la_child_id == "101")
    assert (girl.outcome, girl.matched_by, girl.person_id) == ("matched", "UPN", known.pk)
    Person.objects.filter(pk=known.pk).update(date_of_birth=date(2008, 5, 11))
    LegacyChildId.objects.all().delete()
    rows["header"][0]["CHILD"] = "201"
    for table in rows.values():
        for row in table:
            row["CHILD"] = "201" if row["CHILD"] == "101" else row["CHILD"]
    again = _import(analyst, zipped(rows))
    refused = next(c for c in again.children if c.la_child_id == "201")
    assert refused.outcome == ChildOutcome.REFUSED
    assert "born 11 May 2008, but the file says 10 May 2008" in refused.problems[1].reason


def test_the_cin_import_and_the_903_find_the_same_child_by_the_old_id(users, settings):
    """The old system's LAchildID and CHILD are one ID, kept once under this council's code:
    a child the census import made is the one the 903 import finds."""
    analyst = users["performance_analyst"]
    settings.LA_CODE = "873"  # the census builder's LEA
    cin_history_import(actor=analyst, content=xml(*clean()), filename="cin.xml", now=TEST_NOW)
    from_census = _child("C3")
    need = Episode.objects.get(child=from_census)  # in need since before the care began
    Episode.objects.filter(pk=need.pk).update(referral_date=date(2019, 6, 1))
    rows = clean_903()
    for table in rows.values():
        for row in table:
            row["CHILD"] = "C3" if row["CHILD"] == "101" else row["CHILD"]
    rows["header"][0].update(UPN="", DOB=f"{from_census.date_of_birth:%d/%m/%Y}", SEX="F")
    report = _import(analyst, zipped(rows))
    found = next(c for c in report.children if c.la_child_id == "C3")
    assert (found.outcome, found.matched_by, found.person_id) == (
        "matched",
        "LAchildID",
        from_census.pk,
    )
    period = PeriodOfCare.objects.get(child=from_census)
    assert (period.start_date, period.episode_id) == (date(2020, 1, 1), need.pk)
    assert LegacyChildId.objects.filter(la_child_id="C3").count() == 1


def test_a_child_is_all_or_nothing(users):
    rows = clean_903()
    rows["reviews"][1]["REVIEW"] = "31/02/2024"
    rows["missing"][0]["MISSING"] = "Q"
    report = _import(users["performance_analyst"], zipped(rows))
    girl = next(c for c in report.children if c.la_child_id == "101")
    assert girl.outcome == ChildOutcome.REFUSED
    reasons = [p.reason for p in girl.problems]
    assert "REVIEW '31/02/2024' is not a date (dd/mm/yyyy)." in reasons
    assert "MISSING 'Q' is not a 903 code." in reasons
    assert reasons[-1] == "Nothing of this child was imported."
    assert not LegacyChildId.objects.filter(la_child_id="101").exists()
    assert Person.objects.count() == PeriodOfCare.objects.count() == 4
    assert not MissingEpisode.objects.exists()


def test_episodes_that_do_not_join_up_refuse_the_child(users):
    rows = clean_903()
    rows["episodes"][1]["DECOM"] = "02/06/2024"  # a day after the first ended
    report = _import(users["performance_analyst"], zipped(rows))
    girl = next(c for c in report.children if c.la_child_id == "101")
    assert girl.outcome == ChildOutcome.REFUSED
    assert any("does not follow on from the one before it" in p.reason for p in girl.problems)


def test_a_stopped_import_carries_on_where_it_stopped(users):
    analyst = users["performance_analyst"]
    files = as_files(clean_903())

    def stop_after_the_first_batch(done: int, total: int) -> None:
        raise RuntimeError("the server was restarted")

    with pytest.raises(RuntimeError):
        import_903(
            actor=analyst,
            files=files,
            filename="old",
            year="2024-25",
            now=TEST_NOW,
            batch_size=2,
            progress=stop_after_the_first_batch,
        )
    run = ImportRun.objects.get()
    assert (run.status, run.children.count(), Person.objects.count()) == ("running", 2, 2)
    report = _import(analyst, files)
    assert (report.resumed_at, len(report.children), report.run_id) == (2, 5, run.pk)
    assert Person.objects.count() == PeriodOfCare.objects.count() == 5
    run.refresh_from_db()
    assert (run.status, run.counts["created"]) == (ImportStatus.FINISHED, 5)


def test_a_dry_run_reports_and_keeps_nothing(users):
    report = _import(users["performance_analyst"], zipped(clean_903()), dry_run=True)
    assert report.dry_run
    assert report.count(ChildOutcome.CREATED) == 5
    assert Person.objects.count() == ImportRun.objects.count() == 0
    assert AuditEvent.objects.get(object_type="returns.s903_import_dry_run")
    real = _import(users["performance_analyst"], zipped(clean_903()))
    assert real.made == report.made  # the check says what the import then does
    assert _reasons(real) == _reasons(report)


def test_only_the_returns_team_and_administrators_import(users):
    with pytest.raises(PermissionDeniedError):
        _import(users["social_worker"], zipped(clean_903()))
    assert not Person.objects.exists()


def _with(rows: Rows, name: str, content: bytes) -> dict[str, bytes]:
    files = as_files(rows)
    files[name] = content
    return files


def _formula() -> dict[str, bytes]:
    files = as_files(clean_903())
    files["episodes.csv"] = files["episodes.csv"].replace(b"AB1 3CD", b'=HYPERLINK("x")', 1)
    return files


def _without(key: str) -> dict[str, bytes]:
    rows = clean_903()
    del rows[key]
    return as_files(rows)


def _too_many() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(41):
            # A fixed time in each entry: the bytes (and so the test's id) must not depend
            # on when the suite collects it, or its workers collect different tests.
            archive.writestr(zipfile.ZipInfo(f"f{n}.csv", (2026, 1, 1, 0, 0, 0)), b"CHILD\n1\n")
    return out.getvalue()


@pytest.mark.parametrize(
    ("files", "year", "says"),
    [
        (b"not a zip at all", "2024-25", "not a zip archive"),
        (_too_many(), "2024-25", "a 903 return has at most 11"),
        (_with(clean_903(), "x.csv", b"PK\x03\x04\x00\x00"), "2024-25", "not a CSV file"),
        (_with(clean_903(), "x.csv", "CHILD,SEX\n1,é".encode("latin-1")), "2024-25", "UTF-8"),
        (_with(clean_903(), "x.csv", b"<?xml version='1.0'?><Message/>"), "2024-25", "903 file"),
        (_with(clean_903(), "x.csv", b"\x00" * 5000), "2024-25", "not a CSV file"),
        (_formula(), "2024-25", "starts like a spreadsheet formula"),
        (_without("episodes"), "2024-25", "No Episodes file"),
        (as_files(clean_903()), "2025-26", "not the files for 2025-26"),
        (as_files(clean_903()), "2023-24", "not 2023-24"),
    ],
    ids=[
        "not a zip",
        "too many files",
        "a zip inside",
        "latin-1",
        "xml",
        "nul bytes",
        "formula",
        "no episodes",
        "another year's files",
        "an unknown year",
    ],
)
def test_files_that_are_not_a_903_for_the_year_import_nothing(users, files, year, says):
    report = _import(users["performance_analyst"], files, year=year)
    assert says in report.refused, report.refused
    assert (
        report.refused.endswith("Nothing was imported.")
        or "903 for" in report.refused
        or "zip" in report.refused
    )
    assert not report.children
    assert not Person.objects.exists()
    assert not ImportRun.objects.exists()


def test_a_file_too_big_is_not_read(users, monkeypatch):
    from safehub.returns.ssda903 import tables

    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    report = _import(users["performance_analyst"], as_files(clean_903()))
    assert "larger than 200 MB, so it was not read" in report.refused
    assert not Person.objects.exists()


def test_the_command_imports_a_folder_or_a_zip_and_refuses_a_huge_file(users, tmp_path):
    folder = tmp_path / "903"
    folder.mkdir()
    for name, content in as_files(clean_903()).items():
        (folder / name).write_bytes(content)
    out = io.StringIO()
    call_command("import_903", str(folder), "--year", "2024-25", "--user", "analyst", stdout=out)
    assert "5 children, 5 new records, 0 matched, 0 not imported." in out.getvalue()
    assert "CHILD 101 (line 2) OC2: Not imported" in out.getvalue()
    archive = tmp_path / "903.zip"
    archive.write_bytes(zipped(clean_903()))
    again = io.StringIO()
    call_command("import_903", str(archive), "--year", "2024-25", "--user", "analyst", stdout=again)
    assert "This file was imported before" in again.getvalue()
    huge = tmp_path / "huge.zip"
    with huge.open("wb") as f:
        f.truncate(2 * 1024**3)  # 2 GB of nothing, never read
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_903", str(huge), "--year", "2024-25", "--user", "analyst")
    archive.write_bytes(b"nonsense")
    with pytest.raises(CommandError, match="not a zip archive"):
        call_command("import_903", str(archive), "--year", "2024-25", "--user", "analyst")
