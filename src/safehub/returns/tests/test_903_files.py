"""903 files read without trusting them: anything wrong with a file is a sentence in the
report, never a crash; the command line over a folder or a zip; the rules document kept
current with the code."""

import io
import json
import zipfile

import pytest

from safehub.returns.cli import main
from safehub.returns.docs import DOC_903, rules_903_markdown
from safehub.returns.ssda903 import tables
from safehub.returns.ssda903.codes import code_sets_json
from safehub.returns.ssda903.spec import CODE_SETS_FILE
from safehub.returns.ssda903.validate import validate_903, validate_903_zip
from safehub.returns.tests.s903_builder import as_files, clean_903, zipped

YEAR = "2024-25"


def _report(change: dict[str, bytes]) -> tuple[list[str], str]:
    files = as_files(clean_903()) | change
    report = validate_903(files, filename="t", year=YEAR)
    return [f.message for f in report.findings if f.code == "file"], report.unreadable


def test_a_clean_folder_reads_every_file():
    report = validate_903(as_files(clean_903()), filename="t", year=YEAR)
    assert (report.unreadable, report.findings, report.children) == ("", [], 5)


def test_files_are_recognised_by_their_columns_not_their_names():
    renamed = {f"export_{i}.CSV": body for i, body in enumerate(as_files(clean_903()).values())}
    assert validate_903(renamed, filename="t", year=YEAR).findings == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04 a spreadsheet", "not a CSV file"),
        ("CHILD,SEX\n1,é".encode("latin-1"), "not UTF-8"),
        (b"CHILD,SEX\n1,2\n3,4,5,6\n", "not a CSV file SafeHub can read"),
        (b"NAME,ADDRESS\nA,B\n", "not those of any 903 file"),
        (b"CHILD,DOB,MISSING,MIS_START\n1,01/01/2010,M,01/05/2024\n", "lacks the column MIS_END"),
        (
            b"CHILD,DOB,MISSING,MIS_START,MIS_END,NOTE\n1,01/01/2010,M,01/05/2024,,x\n",
            "has column it should not: NOTE",
        ),
    ],
)
def test_a_bad_file_is_a_sentence(content, says):
    messages, unreadable = _report({"extra.csv": content})
    assert not unreadable
    assert len(messages) == 1
    assert says in messages[0]
    assert messages[0].startswith("extra.csv")


def test_a_file_with_one_cell_too_many_in_every_row_is_not_read_shifted():
    # pandas read such a file with the first cell of each row as an index, every value then
    # under the column before its own; the streaming reader refuses it (ADR 0059).
    bad = b"CHILD,DOB,MISSING,MIS_START,MIS_END\n101,10/05/2008,M,01/05/2024,03/05/2024,x\n"
    messages, _ = _report({"missing.csv": bad})
    assert messages == [
        "missing.csv is not a CSV file SafeHub can read: its rows do not split into columns."
    ]


def test_a_huge_file_is_not_read(monkeypatch):
    monkeypatch.setattr(tables, "MAX_FILE_BYTES", 100)
    messages, unreadable = _report({})
    assert "larger than 200 MB" in " ".join(messages)
    assert "No Header or Episodes file" in unreadable or "No Header" in unreadable


def test_a_second_file_of_the_same_kind_is_refused():
    files = as_files(clean_903())
    messages, _ = _report({"again.csv": files["oc2.csv"]})
    assert messages == ["again.csv is a second OC2 file; send each file once."]


def test_a_formula_in_a_cell_is_reported():
    rows = clean_903()
    rows["prev_perm"][0]["LA_PERM"] = '=HYPERLINK("http://example.com")'
    files = as_files(rows)
    # The writer neutralises it with an apostrophe; another system's file may not.
    files["previous_permanence.csv"] = files["previous_permanence.csv"].replace(b"'=", b"=")
    report = validate_903(files, filename="t", year=YEAR)
    (finding,) = [f for f in report.findings if f.code == "file"]
    assert (finding.child, finding.line, finding.location) == (
        "102",
        2,
        "previous_permanence.csv: LA_PERM",
    )


def test_without_a_header_or_episodes_the_return_cannot_be_checked():
    files = as_files(clean_903())
    del files["header.csv"]
    report = validate_903(files, filename="t", year=YEAR)
    assert report.unreadable.startswith("No Header file was found")


def test_a_zip_that_is_not_one_and_a_year_unknown():
    assert "not a zip archive" in validate_903_zip(b"nope", filename="x", year=YEAR).unreadable
    assert (
        "not 2019-20"
        in validate_903_zip(zipped(clean_903()), filename="x", year="2019-20").unreadable
    )


def test_a_zip_with_too_many_files_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(tables.MAX_FILES + 1):
            archive.writestr(f"f{n}.csv", "CHILD\n1\n")
    assert "at most 11" in validate_903_zip(out.getvalue(), filename="x", year=YEAR).unreadable


def test_the_command_line_over_a_folder_and_a_zip(tmp_path, capsys):
    folder = tmp_path / "903"
    folder.mkdir()
    for name, body in as_files(clean_903()).items():
        (folder / name).write_bytes(body)
    assert main(["validate", "903", str(folder), "--year", YEAR, "--quiet"]) == 0
    rows = clean_903()
    rows["header"][0]["SEX"] = "2"
    archive = tmp_path / "903.zip"
    archive.write_bytes(zipped(rows))
    html, csv_out = tmp_path / "r.html", tmp_path / "r.csv"
    code = main(
        [
            "validate",
            "903",
            str(archive),
            "--year",
            YEAR,
            "--html",
            str(html),
            "--csv",
            str(csv_out),
        ]
    )
    assert code == 1
    printed = json.loads(capsys.readouterr().out.split("\n}\n")[-2] + "\n}")
    assert [f["code"] for f in printed["findings"]] == ["101"]
    assert "Rule 101" in html.read_text()
    assert "101,error" in csv_out.read_text()


def test_the_command_line_needs_the_903_year(tmp_path, capsys):
    assert main(["validate", "903", str(tmp_path), "--quiet"]) == 2
    assert "--year" in capsys.readouterr().err


def test_the_rules_document_is_current():
    assert DOC_903.read_text(encoding="utf-8") == rules_903_markdown(), (
        "Run `manage.py returns_rules_doc` to write docs/903-validation-rules.md again"
    )
    assert "| 501 | error |" in rules_903_markdown()


def test_the_code_sets_file_is_the_records_code_sets():
    assert CODE_SETS_FILE.read_text(encoding="utf-8") == code_sets_json(), (
        "Run `manage.py returns_rules_doc` to write returns/ssda903/code_sets.json again"
    )
