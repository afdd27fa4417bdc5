"""The quarterly committee report as a PDF (fpdf2, drawn the way `multiagency.export` draws
the court chronology: plain text and lines, Latin-1 core fonts). Headline figures with the
quarter before, the same quarter a year before and England's published figure; a chart of
each figure over 24 months with its values written beside it (no meaning by colour: the
council's line is solid with dots, England's dashed and labelled); the director's
commentary; the sources. Display only: the figures come worked out."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF

from safehub.insight import figures as f
from safehub.insight.comparators import charted, comparators_for
from safehub.ui.jinja2 import govuk_date

_PLAIN = str.maketrans(
    {"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "…": "...", "•": "-"}
)
_LEFT, _WIDTH = 15.0, 180.0


def plain(text: str) -> str:
    """Text the core fonts can draw: typographic marks made plain, the rest replaced."""
    return text.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


def shown(figure: f.Figure, value: float | None) -> str:
    if value is None:
        return "-"
    if figure.kind == f.PERCENT:
        return f"{value:.1f}%"
    if figure.kind == f.COUNT:
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def _value(figure: f.Figure, month: f.Month | None) -> float | None:
    return None if month is None else f.value(figure, month.numerator, month.denominator)


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=8)
        self.cell(0, 5, f"Page {self.page_no()}", align="R")

    def heading(self, text: str, size: int = 14) -> None:
        self.set_font("Helvetica", style="B", size=size)
        self.multi_cell(_WIDTH, size * 0.5, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def para(self, text: str, size: int = 10) -> None:
        self.set_font("Helvetica", size=size)
        self.multi_cell(_WIDTH, 5, plain(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)


def quarter_name(start: date) -> str:
    end = f.add_months(start, 2)
    return f"{start:%B} to {end:%B %Y}"


def committee_pdf(
    *,
    quarter_start: date,
    computed: dict[str, dict[date, f.Month]],
    commentary: str,
    made_on: date,
) -> bytes:
    last = f.add_months(quarter_start, 2)
    pdf = _Report(format="A4")
    pdf.set_title(plain(f"Children's services performance: {quarter_name(quarter_start)}"))
    pdf.set_creator("SafeHub")
    pdf.set_margins(_LEFT, 15)
    pdf.add_page()
    pdf.heading("Children's services performance report", 18)
    pdf.para(f"Quarter: {quarter_name(quarter_start)}. For the scrutiny committee.")
    pdf.para(
        f"Figures at the end of {last:%B %Y}, worked out by SafeHub from the council's records "
        f"on {govuk_date(made_on)}. England's figures are the DfE's published ones named "
        "under Sources."
    )
    _headlines(pdf, computed, last)
    pdf.add_page()
    pdf.heading("Director's commentary")
    pdf.para(commentary or "No commentary was entered for this quarter.")
    pdf.add_page()
    pdf.heading("Trends over 24 months")
    pdf.para(
        "Each chart: the council's figure month by month (solid line, dots); England's "
        "published figure, where there is one, as a dashed line labelled with its value. "
        "The first, lowest, highest and last values are written under each chart."
    )
    for code, figure in f.FIGURES.items():
        _chart(pdf, figure, computed[code])
    pdf.add_page()
    pdf.heading("Sources and definitions")
    for code, figure in f.FIGURES.items():
        pdf.para(f"{figure.label}: {figure.definition}", size=9)
        for c in comparators_for(code):
            pdf.para(f"    {c.area}, {c.period}: {shown(figure, c.value)}. {c.source}.", size=8)
    return bytes(pdf.output())


def _headlines(pdf: _Report, computed: dict[str, dict[date, f.Month]], last: date) -> None:
    pdf.heading("Headline figures", 13)
    columns = (("Figure", 70), ("This quarter", 26), ("Quarter before", 26),
               ("A year before", 26), ("England", 32))  # fmt: skip
    pdf.set_font("Helvetica", style="B", size=8)
    for name, width in columns:
        pdf.cell(width, 6, name, border="B")
    pdf.ln()
    section = ""
    for code, figure in f.FIGURES.items():
        if figure.section != section:
            section = figure.section
            pdf.set_font("Helvetica", style="B", size=8)
            pdf.cell(_WIDTH, 6, plain(section), new_x="LMARGIN", new_y="NEXT")
        months = computed[code]
        england = comparators_for(code)
        cells = [
            figure.label,
            shown(figure, _value(figure, months.get(last))),
            shown(figure, _value(figure, months.get(f.add_months(last, -3)))),
            shown(figure, _value(figure, months.get(f.add_months(last, -12)))),
            f"{shown(figure, england[0].value)} ({england[0].period[-4:]})" if england else "-",
        ]
        pdf.set_font("Helvetica", size=8)
        for text, (_, width) in zip(cells, columns, strict=True):
            pdf.cell(width, 5, plain(text))
        pdf.ln()


_CHART_H = 34.0


def _chart(pdf: _Report, figure: f.Figure, months: dict[date, f.Month]) -> None:
    """One figure's line over the months, with its England line and its values in words."""
    points = [(m, _value(figure, months[m])) for m in sorted(months)]
    values = [v for _, v in points if v is not None]
    drawn = charted(figure.code, figure.kind)
    england = [drawn] if drawn else []
    if pdf.get_y() + _CHART_H + 22 > 280:
        pdf.add_page()
    pdf.set_font("Helvetica", style="B", size=10)
    pdf.cell(_WIDTH, 6, plain(f"{figure.label} ({figure.section})"), new_x="LMARGIN", new_y="NEXT")
    top = pdf.get_y() + 2
    scale = [*values, *(c.value for c in england[:1])] or [0.0]
    low, high = min(0.0, *scale), max(scale) or 1.0
    span = (high - low) or 1.0

    def y(v: float) -> float:
        return top + _CHART_H - (v - low) / span * _CHART_H

    step = (_WIDTH - 30) / max(1, len(points) - 1)
    pdf.set_draw_color(150, 150, 150)
    pdf.line(_LEFT + 20, top + _CHART_H, _LEFT + _WIDTH - 10, top + _CHART_H)
    pdf.set_font("Helvetica", size=7)
    pdf.text(_LEFT, top + 3, shown(figure, high))
    pdf.text(_LEFT, top + _CHART_H, shown(figure, low))
    if england:
        pdf.set_dash_pattern(dash=1.5, gap=1.5)
        pdf.line(_LEFT + 20, y(england[0].value), _LEFT + _WIDTH - 10, y(england[0].value))
        pdf.set_dash_pattern()
        # With its period: the newest England figure held may be years older than ours.
        label = f"England {shown(figure, england[0].value)} ({england[0].period})"
        pdf.text(_LEFT + _WIDTH - 10 - pdf.get_string_width(plain(label)),
                 y(england[0].value) - 1, plain(label))  # fmt: skip
    pdf.set_draw_color(0, 0, 0)
    previous = None
    for i, (_, v) in enumerate(points):
        if v is None:
            previous = None
            continue
        here = (_LEFT + 20 + i * step, y(v))
        pdf.circle(x=here[0], y=here[1], radius=0.7, style="F")
        if previous:
            pdf.line(*previous, *here)
        previous = here
    pdf.text(_LEFT + 20, top + _CHART_H + 4, f"{points[0][0]:%b %Y}")
    pdf.text(_LEFT + _WIDTH - 25, top + _CHART_H + 4, f"{points[-1][0]:%b %Y}")
    pdf.set_y(top + _CHART_H + 6)
    if values:
        summary = (
            f"First {shown(figure, points[0][1])}, lowest {shown(figure, min(values))}, "
            f"highest {shown(figure, max(values))}, last {shown(figure, points[-1][1])}."
        )
    else:
        summary = "Nothing to count in these months."
    pdf.para(summary, size=8)
    pdf.ln(2)
