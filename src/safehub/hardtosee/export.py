"""Registers as CSV, every cell made safe to open in a spreadsheet (`core.spreadsheet`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from safehub.core.spreadsheet import spreadsheet_csv
from safehub.hardtosee.selectors import Register, RegisterRow

_SINCE = {Register.EHE: "Registered for EHE", Register.CME: "Reported missing education"}


def register_csv(register: Register, rows: Iterable[RegisterRow]) -> str:
    return spreadsheet_csv(_header(register), (_cells(register, row) for row in rows))


def _header(register: Register) -> list[str]:
    header = ["SafeHub ID", "Name", "Date of birth", "Age", "Postcode", "Team"]
    if register in _SINCE:
        header.append(_SINCE[register])
    header += ["Last professional contact", "Days since contact"]
    if register is Register.EHE:
        header.append("EHE officer")
    return header


def _cells(register: Register, row: RegisterRow) -> list[Any]:
    cells: list[Any] = [
        row.person_id,
        row.name,
        row.date_of_birth.isoformat() if row.date_of_birth else "",
        row.age,
        row.postcode,
        row.team,
    ]
    if register in _SINCE:
        cells.append(row.since.isoformat() if row.since else "")
    cells += [
        row.last_contact.isoformat() if row.last_contact else "None recorded",
        "" if row.days_since_contact is None else row.days_since_contact,
    ]
    if register is Register.EHE:
        cells.append(row.officer)
    return cells
