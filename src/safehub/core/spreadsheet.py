"""Cells for a CSV file that someone will open in a spreadsheet.

A spreadsheet runs a cell that starts with =, +, - or @ as a formula (and a leading tab or
carriage return can hide one), so text from partners, the public or staff could make an
export fetch a web address or run a command on the reader's machine (OWASP's "CSV
injection"; ASVS 5.0 1.2.10). Such a cell is neutralised by a leading apostrophe, which
spreadsheets show as text and do not evaluate. Nothing else is changed.
"""

import csv
import io
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value: Any) -> str:
    """`value` as text a spreadsheet will show, never run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def spreadsheet_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """A whole CSV document, every cell neutralised (the header too)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([spreadsheet_cell(h) for h in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) for cell in row])
    return out.getvalue()
