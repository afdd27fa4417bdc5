"""The 903 files as a zip of CSVs, each with the spec's columns in the DfE's order. Every
cell goes through `spreadsheet_cell`: no coded value starts like a formula, and free text
(postcodes, URNs, a local authority's name) must not run as one when opened."""

import zipfile
from typing import IO

from safehub.core.spreadsheet import spreadsheet_csv
from safehub.returns.ssda903.export import Files903
from safehub.returns.ssda903.spec import LAYOUTS


def write_zip(out: IO[bytes], files: Files903, year: str) -> None:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for spec in LAYOUTS[year]:
            text = spreadsheet_csv(spec.names, files.rows.get(spec.key, []))
            archive.writestr(spec.filename, text.encode("utf-8"))
