"""Registers as CSV. A cell a spreadsheet would run as a formula (=, +, -, @, or a tab or
carriage return first) is written with a leading apostrophe, so it opens as text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from safehub.hardtosee.selectors import Register, RegisterRow

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def register_csv(register: Register, rows: Iterable[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    since = {Register.EHE: "Registered for EHE", Register.CME: "Reported missing education"}
    header = ["SafeHub ID", "Name", "Date of birth", "Age", "Postcode", "Team"]
    if register in since:
        header.append(since[register])
    header += ["Last professional contact", "Days since contact"]
    if register is Register.EHE:
        header.append("EHE officer")
    writer.writerow(header)
    for row in rows:
        cells: list[Any] = [
            row.person_id,
            row.name,
            row.date_of_birth.isoformat() if row.date_of_birth else "",
            row.age,
            row.postcode,
            row.team,
        ]
        if register in since:
            cells.append(row.since.isoformat() if row.since else "")
        cells += [
            row.last_contact.isoformat() if row.last_contact else "None recorded",
            "" if row.days_since_contact is None else row.days_since_contact,
        ]
        if register is Register.EHE:
            cells.append(row.officer)
        writer.writerow([safe_cell(c) for c in cells])
    return out.getvalue()
