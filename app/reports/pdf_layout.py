"""Page layout of the PDF reports: A4 pages with the protective marking and "Page n of N" on every
page, a cover band, and the house styles for text, tables and figures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from app.reports.chart_drawing import render
from app.reports.charts import ChartSpec
from app.reports.marking import MARKING

NAVY = colors.HexColor("#1F3A5F")
STEEL = colors.HexColor("#3A7CA5")
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#5F6B76")
RULE = colors.HexColor("#C9D3DD")
STRIPE = colors.HexColor("#F3F5F8")
PAGE_W, PAGE_H = A4
MARGIN = 20 * mm
BODY_W = PAGE_W - 2 * MARGIN

# --- page furniture -----------------------------------------------------------------------------


def document(filename: str, title: str, author: str, cover: Callable[[Canvas], None]) -> BaseDocTemplate:
    """A document whose first page (template "cover") is painted by `cover`, then "body" pages."""
    doc = BaseDocTemplate(
        filename,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + 4 * mm,
        bottomMargin=MARGIN + 2 * mm,
        title=title,
        author=author,
        subject=MARKING,
        creator="PPDA Tracker",
    )
    frame = Frame(
        doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", leftPadding=0, rightPadding=0
    )
    cover_frame = Frame(MARGIN, MARGIN + 10 * mm, BODY_W, PAGE_H - 2 * MARGIN - 95 * mm, id="cover")
    doc.addPageTemplates(
        [
            PageTemplate(id="cover", frames=[cover_frame], onPage=lambda c, d: cover(c)),
            PageTemplate(id="body", frames=[frame]),
        ]
    )
    return doc


def numbered_canvas(footer_left: str) -> type[Canvas]:
    """A canvas that draws the marking and "Page n of N" once the page count is known."""

    class NumberedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _furniture(self, self._pageNumber, total, footer_left)
                super().showPage()
            super().save()

    return NumberedCanvas


def _furniture(canvas: Canvas, page: int, total: int, footer_left: str) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica-Bold", 9)
    canvas.setFillColor(INK if page > 1 else colors.white)
    canvas.drawCentredString(PAGE_W / 2, PAGE_H - 12 * mm, MARKING)
    canvas.setFillColor(INK)
    canvas.drawCentredString(PAGE_W / 2, 10 * mm, MARKING)
    canvas.setFont("Helvetica", 7.5)
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, 10 * mm, footer_left)
    canvas.drawRightString(PAGE_W - MARGIN, 10 * mm, f"Page {page} of {total}")
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, 14 * mm, PAGE_W - MARGIN, 14 * mm)
    canvas.restoreState()


def cover_band(canvas: Canvas, kicker: str, title: str, subtitle: str, detail: str) -> None:
    """The navy band across the top of a cover page, with the report's titles in white."""
    canvas.saveState()
    canvas.setFillColor(NAVY)
    canvas.rect(0, PAGE_H - 88 * mm, PAGE_W, 88 * mm, stroke=0, fill=1)
    canvas.setFillColor(STEEL)
    canvas.rect(0, PAGE_H - 90 * mm, PAGE_W, 2 * mm, stroke=0, fill=1)
    canvas.setFillColor(colors.white)
    canvas.setFont("Helvetica", 11)
    canvas.drawString(MARGIN, PAGE_H - 34 * mm, kicker.upper())
    canvas.setFont("Helvetica-Bold", 24)
    canvas.drawString(MARGIN, PAGE_H - 50 * mm, title)
    canvas.setFont("Helvetica", 16)
    canvas.drawString(MARGIN, PAGE_H - 61 * mm, subtitle)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(MARGIN, PAGE_H - 74 * mm, detail)
    canvas.restoreState()


# --- text styles and tables ---------------------------------------------------------------------

BODY = ParagraphStyle("body", fontName="Helvetica", fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=3)
H1 = ParagraphStyle(
    "h1",
    parent=BODY,
    fontName="Helvetica-Bold",
    fontSize=16,
    leading=20,
    textColor=NAVY,
    spaceBefore=14,
    spaceAfter=8,
)
H2 = ParagraphStyle(
    "h2",
    parent=BODY,
    fontName="Helvetica-Bold",
    fontSize=11.5,
    leading=15,
    textColor=NAVY,
    spaceBefore=10,
    spaceAfter=5,
)
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=10, bulletIndent=0, spaceAfter=4)
CELL = ParagraphStyle("cell", parent=BODY, fontSize=8.5, leading=10.5, spaceAfter=0, alignment=TA_LEFT)
HEAD_CELL = ParagraphStyle("head", parent=CELL, fontName="Helvetica-Bold", fontSize=8, textColor=colors.white)
HEAD_NUMBER = ParagraphStyle("head_n", parent=HEAD_CELL, alignment=TA_RIGHT)
CAPTION = ParagraphStyle(
    "caption",
    parent=BODY,
    fontName="Helvetica-Bold",
    fontSize=9,
    textColor=MUTED,
    spaceBefore=6,
    spaceAfter=2,
)
TILE_NUMBER = ParagraphStyle(
    "tile_n", parent=BODY, fontName="Helvetica-Bold", fontSize=20, leading=24, textColor=NAVY, spaceAfter=2
)
TILE_LABEL = ParagraphStyle("tile_l", parent=BODY, fontSize=8, leading=10, textColor=MUTED, spaceAfter=0)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(esc(text), style)


HEAD_NARROW = ParagraphStyle("head_narrow", parent=HEAD_NUMBER, fontSize=7, leading=8.5)


def table(
    header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float], total: bool = False,
    narrow: bool = False,
) -> Table:
    """A report table: navy header, light stripes, numbers right-aligned, optional bold total row
    (`narrow`: a smaller header for many narrow columns)."""
    number_head = HEAD_NARROW if narrow else HEAD_NUMBER
    data: list[list[Any]] = [
        [Paragraph(esc(h), HEAD_CELL if i == 0 else number_head) for i, h in enumerate(header)]
    ]
    data += [[para(row[0], CELL), *row[1:]] for row in rows]
    made = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONT", (1, 1), (-1, -1), "Helvetica", 8.5),
        ("TEXTCOLOR", (1, 1), (-1, -1), INK),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, NAVY),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), STRIPE) for i in range(2, len(data), 2)]
    if total:
        style += [
            ("FONT", (1, -1), (-1, -1), "Helvetica-Bold", 8.5),
            ("LINEABOVE", (0, -1), (-1, -1), 0.6, NAVY),
        ]
        data[-1][0] = para(rows[-1][0], ParagraphStyle("total", parent=CELL, fontName="Helvetica-Bold"))
    made.setStyle(TableStyle(style))
    return made


def chart_block(number: int, spec: ChartSpec, height: float = 62 * mm) -> Flowable:
    parts: list[Flowable] = [para(f"Figure {number}. {spec.title}", CAPTION), render(spec, BODY_W, height)]
    if spec.note:
        parts.append(para(spec.note, SMALL))
    return KeepTogether(parts)
