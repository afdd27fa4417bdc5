"""A small clean SSDA903 return for 2024-25, as rows by file, for tests to break one rule at
a time; and the same as CSV bytes (a folder's files) or a zip. Five children: a girl in
long-term care who is a mother, went missing twice and is in the OC2; a baby placed for
adoption and adopted; an unaccompanied asylum-seeking boy; a care leaver at her 18th
birthday (OC3); a boy on short breaks."""

import copy
import io
import zipfile

from safehub.core.spreadsheet import spreadsheet_csv
from safehub.returns.ssda903.spec import BY_KEY

Rows = dict[str, list[dict[str, str]]]


def _rows(key: str, *values: tuple[str, ...]) -> list[dict[str, str]]:
    names = BY_KEY[key].names
    return [dict(zip(names, v, strict=True)) for v in values]


CLEAN: Rows = {
    "header": _rows(
        "header",
        ("101", "F", "10/05/2008", "WBRI", "A123456789012", "1", "01/02/2024"),
        ("102", "M", "15/03/2022", "WBRI", "UN1", "", ""),
        ("103", "M", "02/02/2009", "AOTH", "UN2", "", ""),
        ("104", "F", "20/06/2006", "MWBC", "B123456789012", "0", ""),
        ("105", "M", "01/01/2012", "BCRB", "C123456789012", "", ""),
    ),
    "episodes": _rows(
        "episodes",
        (
            "101",
            "01/01/2020",
            "S",
            "C2",
            "N1",
            "U4",
            "PR1",
            "01/06/2024",
            "X1",
            "CARPL",
            "AB1 2CD",
            "AB1 3CD",
            "",
        ),
        (
            "101",
            "01/06/2024",
            "P",
            "C2",
            "N1",
            "K2",
            "PR4",
            "",
            "",
            "",
            "AB1 2CD",
            "AB2 3CD",
            "SC123456",
        ),
        (
            "102",
            "01/05/2024",
            "S",
            "L2",
            "N1",
            "U6",
            "PR1",
            "10/05/2024",
            "X1",
            "",
            "AB3 1CD",
            "AB3 2CD",
            "",
        ),
        (
            "102",
            "10/05/2024",
            "L",
            "C1",
            "N1",
            "U6",
            "PR1",
            "01/09/2024",
            "X1",
            "CARPL",
            "AB3 1CD",
            "AB3 2CD",
            "",
        ),
        (
            "102",
            "01/09/2024",
            "P",
            "E1",
            "N1",
            "A6",
            "PR1",
            "15/02/2025",
            "E11",
            "",
            "AB3 1CD",
            "AB4 2CD",
            "",
        ),
        ("103", "10/10/2024", "S", "V2", "N8", "U6", "PR4", "", "", "", "", "AB5 2CD", ""),
        (
            "105",
            "05/05/2024",
            "S",
            "V3",
            "N2",
            "R1",
            "PR1",
            "08/05/2024",
            "E4A",
            "",
            "AB6 1CD",
            "AB6 2CD",
            "",
        ),
        (
            "105",
            "10/07/2024",
            "S",
            "V3",
            "N2",
            "R1",
            "PR1",
            "12/07/2024",
            "E4A",
            "",
            "AB6 1CD",
            "AB6 2CD",
            "",
        ),
    ),
    "uasc": _rows("uasc", ("103", "M", "02/02/2009", "")),
    "reviews": _rows(
        "reviews",
        ("101", "10/05/2008", "15/05/2024", "PN1"),
        ("101", "10/05/2008", "15/11/2024", "PN6"),
        ("102", "15/03/2022", "01/06/2024", "PN0"),
    ),
    "ad1": _rows("ad1", ("102", "15/03/2022", "20/08/2024", "25/08/2024", "0", "2", "MF", "L11")),
    "placed_adoption": _rows("placed_adoption", ("102", "15/03/2022", "20/08/2024", "", "")),
    "prev_perm": _rows("prev_perm", ("102", "15/03/2022", "Z1", "", "")),
    "missing": _rows(
        "missing",
        ("101", "10/05/2008", "M", "03/07/2024", "05/07/2024"),
        ("101", "10/05/2008", "A", "10/08/2024", "11/08/2024"),
    ),
    "oc2": _rows(
        "oc2",
        ("101", "10/05/2008", "14", "", "0", "", "1", "1", "1", "1", "0", "1"),
    ),
    "oc3": _rows("oc3", ("104", "20/06/2006", "YES", "F2", "D1")),
    "sw_episodes": _rows("sw_episodes", ("101", "10/05/2008", "SW12345", "01/01/2020", "", "")),
}


def clean_903() -> Rows:
    return copy.deepcopy(CLEAN)


def as_files(rows: Rows) -> dict[str, bytes]:
    """Each table as the CSV file SafeHub writes."""
    return {
        BY_KEY[key].filename: spreadsheet_csv(
            BY_KEY[key].names, ([r[c] for c in BY_KEY[key].names] for r in table)
        ).encode("utf-8")
        for key, table in rows.items()
    }


def zipped(rows: Rows) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in as_files(rows).items():
            archive.writestr(name, content)
    return out.getvalue()
