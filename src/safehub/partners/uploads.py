"""Reading a partner's CSV file: the same fields as the API, one event a row, each row judged
by the same parser. Whatever the file holds, the answer is a list of problems in plain
English (the file's, then each row's) and the rows that are good; nothing here raises."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from safehub.partners.parsing import FIELDS, MAX_BATCH, REQUIRED, parse_event

ENCODING_PROBLEM = (
    "The file is not saved as UTF-8, so some characters cannot be read. In Excel choose "
    "Save as, then 'CSV UTF-8 (Comma delimited)', and upload it again"
)


@dataclass
class CsvRow:
    line: int  # the line of the file it starts on, as a spreadsheet numbers rows
    values: dict[str, str]
    problems: list[str] = field(default_factory=list)

    @property
    def event_id(self) -> str:
        return self.values.get("event_id", "")


@dataclass
class CsvPreview:
    problems: list[str] = field(default_factory=list)  # about the whole file: nothing sent
    rows: list[CsvRow] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not self.problems

    @property
    def good(self) -> list[CsvRow]:
        return [r for r in self.rows if not r.problems] if self.readable else []

    @property
    def bad(self) -> list[CsvRow]:
        return [r for r in self.rows if r.problems]

    def events(self) -> list[dict[str, Any]]:
        """The good rows as events, for the same service the API calls."""
        return [dict(r.values) for r in self.good]


def template_csv() -> str:
    """The header row of an upload: every field the API takes, in the same names."""
    return ",".join(FIELDS) + "\r\n"


def read_csv(content: bytes, *, agency_kind: str, now: datetime) -> CsvPreview:
    preview = CsvPreview()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        preview.problems.append(ENCODING_PROBLEM)
        return preview
    if not text.strip():
        preview.problems.append("The file is empty. Download the template and fill it in")
        return preview
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
        columns = [h.strip().lower() for h in header]
        if not _check_header(columns, preview):
            return preview
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            if len(preview.rows) == MAX_BATCH:
                preview.problems.append(
                    f"The file has more than {MAX_BATCH:,} events. Upload up to {MAX_BATCH:,} "
                    "at a time"
                )
                return preview
            preview.rows.append(_row(reader.line_num, columns, values))
    except csv.Error as error:
        preview.problems.append(
            f"The file could not be read as CSV at line {reader.line_num} ({error}). Check "
            "that every quotation mark is closed, then upload it again"
        )
        return preview
    if not preview.rows:
        preview.problems.append("The file has no events under its header row")
        return preview
    _judge(preview, agency_kind, now)
    return preview


def _check_header(columns: list[str], preview: CsvPreview) -> bool:
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c[:40] for c in columns if c and c not in FIELDS]
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if missing:
        preview.problems.append(
            f"The file is missing these columns: {', '.join(missing)}. The first row must name "
            "the columns, as the template does"
        )
    if unknown:
        preview.problems.append(
            f"SafeHub does not read these columns: {', '.join(unknown)}. Use the template's "
            "column names"
        )
    if repeated:
        preview.problems.append(f"These columns appear more than once: {', '.join(repeated)}")
    return not preview.problems


def _row(line: int, columns: list[str], values: list[str]) -> CsvRow:
    row = CsvRow(line, {c: v for c, v in zip(columns, values, strict=False) if c})
    if len(values) != len(columns):
        row.problems.append(
            f"This row has {len(values)} values but the header has {len(columns)} columns"
        )
    return row


def _judge(preview: CsvPreview, agency_kind: str, now: datetime) -> None:
    first_line: dict[str, int] = {}
    for row in preview.rows:
        if row.problems:
            continue
        parsed = parse_event(row.values, agency_kind=agency_kind, now=now)
        row.problems.extend(parsed.problems)
        if row.event_id and not row.problems:
            if row.event_id in first_line:
                row.problems.append(
                    f"Event id {row.event_id} is already used on line {first_line[row.event_id]}"
                )
            else:
                first_line[row.event_id] = row.line
