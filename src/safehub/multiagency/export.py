"""The court-style chronology as files: a PDF (fpdf2) and a CSV safe to open in a
spreadsheet. Court style: when, what happened, the source agency, significance, whether it
is a key event, and the practitioners' analysis; oldest first. Display only; no queries."""

import unicodedata
from typing import Any

from django.utils.timezone import localtime
from fpdf import FPDF

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


# The PDF's columns (heading, width in mm) across a landscape A4 page's 273 mm; under them,
# at the "What happened" column, the details and each analysis in full.
_COLUMNS = (
    ("Date", 38),
    ("What happened", 92),
    ("Source agency", 80),
    ("Significance", 25),
    ("Key event", 20),
)
_MARGIN, _TOP, _BOTTOM, _LINE, _PAD = 12.0, 14.0, 200.0, 3.8, 1.5
_INDENT = _MARGIN + _COLUMNS[0][1]
_FULL = 273.0 - _COLUMNS[0][1]


class _CourtPdf(FPDF):
    def footer(self) -> None:
        self.set_y(-10)
        self.set_font("Helvetica", size=7)
        self.cell(0, 4, f"Page {self.page_no()}", align="R")


def court_pdf(court: CourtChronology) -> bytes:
    """The PDF: landscape A4, a heading, then one row per entry (date, what happened, source
    agency, significance, key event), with its details and each practitioner's analysis in
    full beneath; the column headings repeat on every page. Written line by line with
    fpdf2's plain `text` (its table and multi-cell layout took about a minute for a thousand
    rows); an entry longer than the rest of a page carries on over the next."""
    pdf = _CourtPdf(orientation="L", format="A4")
    pdf.set_title(_plain(_title(court)))
    pdf.set_creator("SafeHub")
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.text(_MARGIN, _TOP, _plain(_title(court)))
    pdf.set_font("Helvetica", size=9)
    lines = [
        f"Period: {_period(court)}. As of {govuk_date(court.as_of)}. "
        f"{len(court.lines)} entries, oldest first.",
    ]
    if court.hidden_restricted:
        lines.append(_hidden_text(court))
    y = _TOP + 6
    for text in lines:
        pdf.text(_MARGIN, y, _plain(text))
        y += 5
    y = _headings(pdf, y + 2)
    for line in court.lines:
        y = _entry(pdf, line, y)
    return bytes(pdf.output())


def _headings(pdf: FPDF, y: float) -> float:
    pdf.set_font("Helvetica", style="B", size=8)
    x = _MARGIN
    for heading, width in _COLUMNS:
        pdf.text(x, y + _LINE, heading)
        x += width
    pdf.line(_MARGIN, y + _LINE + _PAD, _MARGIN + 273.0, y + _LINE + _PAD)
    return y + _LINE + 2 * _PAD


def _entry(pdf: FPDF, line: Line, y: float) -> float:
    """One entry: its row of columns (bold), then its details and analysis, full width."""
    date, time, what, details, agency, significance, key, _ = _row(line)
    pdf.set_font("Helvetica", style="B", size=8)
    top = [
        _wrap(pdf, _plain(text), width - 2)
        for text, (_, width) in zip(
            (f"{date} {time}".strip(), what, agency, significance, key), _COLUMNS, strict=True
        )
    ]
    if y + 3 * _LINE > _BOTTOM:
        y = _new_page(pdf)
    for i in range(max(len(c) for c in top)):
        y = _room(pdf, y)
        x = _MARGIN
        for cell, (_, width) in zip(top, _COLUMNS, strict=True):
            if i < len(cell):
                pdf.text(x, y + _LINE, cell[i])
            x += width
        y += _LINE
    pdf.set_font("Helvetica", size=8)
    below = [details, *(f"Analysis by {n.author_name}: {n.analysis}" for n in line.analyses)]
    for text in below:
        for part in _wrap(pdf, _plain(text), _FULL - 2):
            y = _room(pdf, y)
            pdf.text(_INDENT, y + _LINE, part)
            y += _LINE
    pdf.set_draw_color(190, 190, 190)
    pdf.line(_MARGIN, y + _PAD / 2, _MARGIN + 273.0, y + _PAD / 2)
    pdf.set_draw_color(0, 0, 0)
    return y + _PAD


def _room(pdf: FPDF, y: float) -> float:
    """Where the next line goes: here, or at the top of a new page."""
    return _new_page(pdf) if y + _LINE > _BOTTOM else y


def _new_page(pdf: FPDF) -> float:
    style, size = pdf.font_style, pdf.font_size_pt
    pdf.add_page()
    y = _headings(pdf, _TOP - _LINE)
    pdf.set_font("Helvetica", style=style, size=size)
    return y


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """`text` broken into lines no wider than `width` mm in the current font; a word
    wider than the column is broken where it must be."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        current = ""
        for word in paragraph.split():
            trial = f"{current} {word}" if current else word
            if pdf.get_string_width(trial) <= width:
                current = trial
                continue
            if current:
                lines.append(current)
            while pdf.get_string_width(word) > width:
                cut = len(word)
                while cut > 1 and pdf.get_string_width(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


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
