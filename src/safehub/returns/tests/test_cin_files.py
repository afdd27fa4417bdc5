"""Files that are not a good census: each gets a plain-English answer, never a crash or a hang;
files that are a census but break its format get the format's findings with their lines; the
XSDs and the rules document are what the code says; and the `safehub-returns` command."""

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from safehub.returns.cin.schema import XSD_DIR, schema_text
from safehub.returns.cin.spec import YEARS
from safehub.returns.cin.validate import validate_cin
from safehub.returns.cli import main
from safehub.returns.docs import DOC, rules_markdown
from safehub.returns.tests.cin_builder import clean, header, xml

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
<Message><Header><CollectionDetails><Collection>&lol9;</Collection></CollectionDetails>
</Header></Message>"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Message><Header><CollectionDetails><Collection>CIN</Collection><Year>2025</Year>
</CollectionDetails></Header><Children><Child><ChildIdentifiers>
<LAchildID>&secret;</LAchildID></ChildIdentifiers></Child></Children></Message>"""


def _good() -> bytes:
    return xml(*clean())


HOSTILE = {
    "empty": (b"", "empty"),
    "not xml": (b"LAchildID,UPN\n1,A123\n", "not XML"),
    "a spreadsheet": (b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200, "not XML"),
    "cut short": (_good()[:2000], "not well-formed"),
    "wrong root": (b"<Return><Header/></Return>", "not a CIN census"),
    "another collection": (
        b"<Message><Header><CollectionDetails><Collection>SSDA903</Collection>"
        b"</CollectionDetails></Header></Message>",
        "not 'CIN'",
    ),
    "a year SafeHub does not know": (xml(header(2019), []), "2019"),
    "wrong encoding": (
        b'<?xml version="1.0" encoding="UTF-8"?><Message><Header>\xe9t\xe9</Header></Message>',
        "encoding",
    ),
    "deep nonsense": (b"<a>" * 50_000 + b"</a>" * 50_000, "not well-formed"),
    "an entity bomb": (BOMB, "document type"),
    "an external entity": (XXE, "document type"),
    "a DTD behind a long comment": (
        b"<!-- " + b"x" * 70_000 + b' --><!DOCTYPE m [<!ENTITY a "b">]><Message>&a;</Message>',
        "document type",
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_file_that_is_not_a_census_gets_a_plain_answer(name):
    content, words = HOSTILE[name]
    began = time.monotonic()
    report = validate_cin(content, filename=f"{name}.xml")
    assert time.monotonic() - began < 10
    assert words in report.unreadable
    assert report.findings == []
    assert not report.passed


def test_a_file_too_big_is_refused_before_it_is_read():
    report = validate_cin(b"<Message>" + b" " * 2_000_000, filename="big.xml", max_bytes=1_000_000)
    assert report.unreadable == (
        "The file is 2 MB; SafeHub reads returns of up to 976 KB. Check it is the right file."
    )


def test_a_census_for_another_year_than_asked_is_refused():
    report = validate_cin(_good(), filename="c.xml", year="2025-26")
    assert report.unreadable == "This file is the 2024-25 census (header Year 2025), not 2025-26."


def test_a_file_breaking_the_format_says_where():
    head, kids = clean()
    kids[0]["ChildIdentifiers"]["Sex"] = "X"
    kids[1]["ChildCharacteristics"]["Ethnicity"] = "WHITE"
    del kids[2]["CINdetails"][0]["ReferralSource"]
    report = validate_cin(xml(head, kids), filename="c.xml")
    schema = [f for f in report.findings if f.code == "schema"]
    assert len(schema) == 3
    assert all(f.line for f in schema)
    assert any("'Sex'" in f.message and "'X'" in f.message for f in schema)
    assert any("ReferralSource" in f.message for f in schema)
    assert not report.passed


@pytest.mark.parametrize("year", list(YEARS))
def test_the_xsd_files_are_what_the_spec_says(year):
    assert (XSD_DIR / YEARS[year].xsd).read_text(encoding="utf-8") == schema_text(year), (
        "Run `manage.py returns_rules_doc` to write the XSDs again"
    )


def test_the_rules_document_is_current():
    assert DOC.read_text(encoding="utf-8") == rules_markdown(), (
        "Run `manage.py returns_rules_doc` to write docs/cin-validation-rules.md again"
    )
    assert "| 8840 | error |" in rules_markdown()


def test_the_command_writes_json_csv_and_html_and_says_by_its_status(tmp_path: Path, capsys):
    head, kids = clean()
    kids[0]["CINdetails"][0]["ChildProtectionPlans"][0]["CPPendDate"] = kids[0]["CINdetails"][0][
        "ChildProtectionPlans"
    ][0]["CPPstartDate"]
    census = tmp_path / "census.xml"
    census.write_bytes(xml(head, kids))
    status = main(
        [
            "validate",
            "cin",
            str(census),
            "--json",
            str(tmp_path / "r.json"),
            "--csv",
            str(tmp_path / "r.csv"),
            "--html",
            str(tmp_path / "r.html"),
        ]
    )
    assert status == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["errors"] == 1
    assert printed["findings"][0]["code"] == "8840"
    assert json.loads((tmp_path / "r.json").read_text())["children"] == 12
    assert "8840,error," in (tmp_path / "r.csv").read_text()
    html = (tmp_path / "r.html").read_text()
    assert "Rule 8840 (error): 1" in html
    assert "<script" not in html
    census.write_bytes(xml(*clean()))
    assert main(["validate", "cin", str(census), "--quiet"]) == 0
    census.write_bytes(b"not a census")
    assert main(["validate", "cin", str(census), "--quiet"]) == 2
    assert "not XML" in capsys.readouterr().err


def test_the_command_is_installed(tmp_path: Path):
    census = tmp_path / "census.xml"
    census.write_bytes(xml(*clean()))
    script = Path(sys.executable).parent / "safehub-returns"
    done = subprocess.run(
        [str(script), "validate", "cin", str(census), "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2024-25, 12 children, 0 errors, 0 queries" in done.stderr
