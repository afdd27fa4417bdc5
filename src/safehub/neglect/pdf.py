"""A completed neglect profile as a PDF (fpdf2): who and when, the grades and evidence area
by area, the scores, the family's views and the action plan. Built from what the selectors
read; it decides nothing."""

from collections.abc import Sequence
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from safehub.neglect.models import NeglectProfile, PlannedAction
from safehub.neglect.selectors import AreaMovement, AreaSheet

# The PDF's built-in fonts hold Latin-1 only: typographic punctuation becomes its plain
# form, anything else a question mark, rather than failing the print.
_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "*"}
)


def _latin1(text: Any) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class _Sheet(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(format="A4")
        self.title_text = title
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title(_latin1(title))
        self.set_creator("SafeHub")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(
            0, 6, f"OFFICIAL-SENSITIVE  |  {_latin1(self.title_text)}  |  page {self.page_no()}"
        )

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(0, 7, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def para(self, text: str, *, bold: bool = False) -> None:
        self.set_font("Helvetica", style="B" if bold else "", size=10)
        self.multi_cell(0, 5, _latin1(text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def fact(self, label: str, value: str) -> None:
        self.set_font("Helvetica", style="B", size=10)
        self.cell(55, 6, _latin1(label))
        self.set_font("Helvetica", size=10)
        self.multi_cell(0, 6, _latin1(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _when(value: Any) -> str:
    return f"{value.day} {value:%B %Y}" if value else "not yet"


def profile_pdf(
    *,
    profile: NeglectProfile,
    covered: Sequence[Any],
    sheet: Sequence[AreaSheet],
    actions: Sequence[PlannedAction],
    movement: Sequence[AreaMovement],
) -> bytes:
    names = ", ".join(p.full_name for p in covered)
    pdf = _Sheet(f"Neglect profile: {names}")
    pdf.add_page()
    pdf.heading(f"Neglect profile: {names}", size=16)
    pdf.fact("Template", str(profile.template))
    pdf.fact("Status", profile.get_status_display())
    pdf.fact("Started by", profile.started_by.get_full_name() or profile.started_by.username)
    if profile.completed_by:
        who = profile.completed_by.get_full_name() or profile.completed_by.username
        pdf.fact("Completed", f"{_when(profile.completed_on)} by {who}")
    if profile.signed_off_by:
        who = profile.signed_off_by.get_full_name() or profile.signed_off_by.username
        pdf.fact("Signed off", f"{_when(profile.signed_off_on)} by {who}")
    pdf.fact("Overall grade", str(profile.overall_score or "not worked out yet"))
    pdf.fact("Review date", _when(profile.review_date))
    pdf.ln(3)
    for area in sheet:
        score = f" - area grade {area.score}" if area.score else ""
        pdf.heading(f"{area.area.position}. {area.area.title}{score}", size=12)
        for row in area.grades:
            grade = f"grade {row.grade}" if row.grade else "no grade"
            pdf.para(f"{row.item.title}: {grade}", bold=True)
            if row.grade:
                pdf.para(f"Descriptor: {row.item.descriptors[row.grade - 1]}")
            pdf.para(f"Evidence: {row.evidence or 'none recorded'}")
            pdf.ln(1)
    if movement:
        pdf.heading("Movement since the previous profile", size=12)
        for m in movement:
            change = "no previous grade" if m.change is None else f"change {m.change:+d}"
            pdf.para(f"{m.title}: {m.previous or '-'} then {m.current or '-'} ({change})")
        pdf.ln(1)
    pdf.heading("The family's views", size=12)
    pdf.para(profile.family_views or "Not recorded")
    pdf.ln(1)
    pdf.heading("Action plan", size=12)
    if not actions:
        pdf.para("No actions recorded")
    for action in actions:
        pdf.para(f"{action.position}. {action.action}", bold=True)
        pdf.para(f"Owner: {action.owner_name}. Due: {_when(action.due_date)}")
    return bytes(pdf.output())
