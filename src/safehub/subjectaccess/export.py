"""The redacted bundle as a PDF (fpdf2). Every accepted term is taken out of the text before
a word is drawn, so the file holds "[REDACTED]" where the name was, and nothing under it.
Display only; no queries."""

import unicodedata
from collections.abc import Iterable

from fpdf import FPDF

from safehub.subjectaccess.models import BundleItem, Section, SubjectAccessRequest
from safehub.subjectaccess.selectors import redact
from safehub.ui.jinja2 import govuk_date

_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"}
)


class _BundlePdf(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        self.cell(0, 4, f"Subject access bundle - page {self.page_no()}", align="R")


def bundle_pdf(sar: SubjectAccessRequest, items: Iterable[BundleItem], terms: list[str]) -> bytes:
    """Portrait A4: a cover note, then each section's items, every text redacted."""
    pdf = _BundlePdf(orientation="P", format="A4")
    pdf.set_creator("SafeHub")
    pdf.set_title(f"Subject access request {sar.pk}")
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=16)
    _para(pdf, 8, _plain(redact(f"Information held about {sar.person.full_name}", terms)))
    pdf.set_font("Helvetica", size=10)
    cover = (
        f"Subject access request {sar.pk}, received {govuk_date(sar.received_on)}. "
        f"Compiled {govuk_date(sar.compiled_at)}. "
        "Information about other people has been removed where it is marked [REDACTED]."
    )
    _para(pdf, 5, _plain(cover))
    section = None
    for item in items:
        if item.section != section:
            section = item.section
            pdf.ln(3)
            pdf.set_font("Helvetica", style="B", size=13)
            _para(pdf, 7, _plain(Section(section).label))
        pdf.set_font("Helvetica", style="B", size=10)
        when = f"{govuk_date(item.occurred_on)} - " if item.occurred_on else ""
        _para(pdf, 5, _plain(when + redact(item.heading, terms)))
        if item.text:
            pdf.set_font("Helvetica", size=9)
            _para(pdf, 4.5, _plain(redact(item.text, terms)))
        pdf.ln(1.5)
    return bytes(pdf.output())


def _para(pdf: FPDF, height: float, text: str) -> None:
    """A paragraph across the page, the next one starting at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _plain(text: str) -> str:
    """Text Helvetica (Latin-1) can draw; anything else shown as "?" rather than lost."""
    out = []
    for char in text.translate(_PLAIN):
        try:
            char.encode("latin-1")
            out.append(char)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", char).encode("latin-1", "ignore").decode()
            out.append(base or "?")
    return "".join(out)
