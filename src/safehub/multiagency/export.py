"""The court-style chronology as files: a PDF (fpdf2) and a CSV safe to open in a
spreadsheet. Court style: when, what happened, the source agency, significance, whether it
is a key event, and the practitioners' analysis; oldest first. Display only; no queries."""

import unicodedata
from typing import Any

from django.utils.timezone import localtime
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from safehub.core.spreadsheet import spreadsheet_csv
from safehub.multiagency.selectors import CourtChronology, Line
from safehub.ui.jinja2 import govuk_date

CSV_HEADER = (
    "Date",
    "Time",
    "What happened",
    "Details",
    "Source agency",
    "Significance",
    "Key event",
    "Analysis",
)
# fpdf2's built-in fonts read Latin-1 only; these common characters have a plain equivalent.
_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"}
)


def court_rows(court: CourtChronology) -> list[tuple[str, ...]]:
    """One row per entry, as both files show it."""
    return [_row(line) for line in court.lines]


def _row(line: Line) -> tuple[str, ...]:
    entry = line.entry
    when = localtime(entry.occurred_at)
    return (
        govuk_date(when),
        when.strftime("%H:%M") if entry.time_known else "",
        entry.type_label,
        line.summary,
        entry.source_agency_name or "",
        entry.significance_label,
        "Yes" if line.key_event else "",
        " | ".join(f"{n.author_name}: {n.analysis}" for n in line.analyses),
    )


def _title(court: CourtChronology) -> str:
    return f"Chronology of {court.person.full_name} (SafeHub ID {court.person.pk})"


def _period(court: CourtChronology) -> str:
    return f"{govuk_date(court.date_from)} to {govuk_date(court.date_to)}"


def _hidden_text(court: CourtChronology) -> str:
    n = court.hidden_restricted
    if not n:
        return ""
    return f"{n} restricted partner entr{'y' if n == 1 else 'ies'} hidden from this export."


def court_csv(court: CourtChronology) -> str:
    """The CSV: a title block, then a row per entry. Every cell is neutralised so that a
    spreadsheet shows text that starts with =, +, -, @, a tab or a return, never runs it."""
    rows: list[tuple[str, ...]] = [
        (_title(court),),
        (f"Period: {_period(court)}",),
        (f"As of {govuk_date(court.as_of)}",),
    ]
    if court.hidden_restricted:
        rows.append((_hidden_text(court),))
    rows.append(())
    rows.append(CSV_HEADER)
    rows.extend(court_rows(court))
    return spreadsheet_csv(rows[0], rows[1:])


def court_pdf(court: CourtChronology) -> bytes:
    """The PDF: landscape A4, a heading, then a table with one row per entry."""
    pdf = FPDF(orientation="L", format="A4")
    pdf.set_title(_plain(_title(court)))
    pdf.set_creator("SafeHub")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    pdf.multi_cell(0, 8, _plain(_title(court)), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=10)
    lines = [
        f"Period: {_period(court)}. As of {govuk_date(court.as_of)}.",
        f"{len(court.lines)} entries, oldest first.",
    ]
    if court.hidden_restricted:
        lines.append(_hidden_text(court))
    for text in lines:
        pdf.multi_cell(0, 6, _plain(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    pdf.set_font("Helvetica", size=8)
    widths = (22, 42, 90, 35, 18, 12, 58)
    headings = (
        "Date",
        "What happened",
        "Details",
        "Source agency",
        "Significance",
        "Key",
        "Analysis",
    )
    with pdf.table(col_widths=widths, text_align="LEFT", line_height=4, repeat_headings=1) as table:
        table.row([_plain(h) for h in headings])
        for line in court.lines:
            date, time, what, details, agency, significance, key, analysis = _row(line)
            when = f"{date} {time}".strip()
            table.row(
                [_plain(v) for v in (when, what, details, agency, significance, key, analysis)]
            )
    return bytes(pdf.output())


def _plain(text: Any) -> str:
    """Text the PDF's Latin-1 font can draw: typographic punctuation made plain, accents kept
    where Latin-1 has them, anything else (an emoji) shown as "?" rather than lost silently."""
    out = str(text).translate(_PLAIN)
    result = []
    for char in out:
        try:
            char.encode("latin-1")
            result.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            result.append(base or "?")
    return "".join(result)
