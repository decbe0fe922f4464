"""Layout of the workbooks people read and print (outcome breakdowns, the force lead's published
figures, the referral register): a marked title block, styled tables whose wrapped text gets the
row height it needs (LibreOffice and Excel print an unsized row at one line, so long notes printed
over each other), A4 printing one page wide with the table's header repeated on every page and the
marking in every page's header and footer."""

from __future__ import annotations

import math
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.marking import MARKING, fit_to_page_width, mark_sheet
from app.reports.survey_return import put_text

NAVY = "1F3A5F"
TITLE_FONT = Font(name="Calibri", bold=True, size=14, color=NAVY)
MARK_FONT = Font(name="Calibri", bold=True, color="B00020")
HEAD_FONT = Font(name="Calibri", bold=True, color="FFFFFF")
HEAD_FILL = PatternFill("solid", fgColor=NAVY)
TOTAL_FONT = Font(name="Calibri", bold=True)
TOTAL_BORDER = Border(top=Side(style="thin", color=NAVY), bottom=Side(style="double", color=NAVY))
TABLE_TOP = 5
"""Row of a sheet's first table header (rows 1-3: marking, title, subtitle)."""
LINE_HEIGHT = 15.0
"""Points per line of 11-point Calibri."""


def heading(ws: Worksheet, title: str, subtitle: str) -> None:
    ws["A1"] = MARKING
    ws["A1"].font = MARK_FONT
    ws["A2"] = title
    ws["A2"].font = TITLE_FONT
    put_text(ws, 3, 1, subtitle)
    ws["A3"].alignment = Alignment(wrap_text=False)
    ws["A3"].font = Font(name="Calibri", italic=True, color="555555")


def lines_needed(text: str, width: float) -> int:
    """Printed lines of `text` wrapped in a column `width` characters wide (a safe estimate)."""
    per_line = max(1, int(width * 1.05) - 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in text.split("\n"))


def write_table(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    widths: Sequence[float],
    formats: Sequence[str | None],
    total: Sequence[object] | None = None,
    top: int = TABLE_TOP,
) -> int:
    """A table with a styled header and an optional bold total row; returns the last row written.
    Text wraps and each row is as tall as its longest text needs; numbers keep their format."""
    for col, (label, width) in enumerate(zip(header, widths, strict=True), start=1):
        cell = ws.cell(row=top, column=col, value=label)
        cell.font, cell.fill = HEAD_FONT, HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="left" if col == 1 else "right")
        letter = cell.column_letter
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)
    ws.row_dimensions[top].height = LINE_HEIGHT * max(lines_needed(h, w) for h, w in zip(header, widths, strict=True))
    row = top
    for values in [*rows, *([total] if total is not None else [])]:
        row += 1
        _write_row(ws, row, values, widths, formats)
    if total is not None:
        for col in range(1, len(header) + 1):
            ws.cell(row=row, column=col).font = TOTAL_FONT
            ws.cell(row=row, column=col).border = TOTAL_BORDER
    return row


def _write_row(ws: Worksheet, row: int, values: Sequence[object], widths: Sequence[float],
               formats: Sequence[str | None]) -> None:
    lines = 1
    for col, value in enumerate(values, start=1):
        if isinstance(value, str):
            put_text(ws, row, col, value)
            cell = ws.cell(row=row, column=col)
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left" if col == 1 else "right")
            lines = max(lines, lines_needed(value, widths[col - 1]))
        else:
            cell = ws.cell(row=row, column=col, value=value)
            cell.alignment = Alignment(vertical="top")
            fmt = formats[col - 1]
            if fmt:
                cell.number_format = fmt
    if lines > 1:
        ws.row_dimensions[row].height = LINE_HEIGHT * lines


def left_aligned(ws: Worksheet, column: int, first: int, last: int) -> None:
    """Text columns other than the first read better left-aligned (notes, names); `first` is the
    first data row (its header, the row above, is aligned too)."""
    header = ws.cell(row=first - 1, column=column)
    header.alignment = Alignment(wrap_text=True, vertical="center", horizontal="left")
    for row in range(first, last + 1):
        cell = ws.cell(row=row, column=column)
        cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def finish(workbook: Workbook, title: str, header_row: int = TABLE_TOP) -> None:
    """Every sheet: marking and page numbers in header and footer, A4 one page wide (landscape for
    wide tables), the table header repeated on each printed page, no gridlines."""
    for ws in workbook.worksheets:
        mark_sheet(ws, title=title)
        wide = sum((ws.column_dimensions[c].width or 9) for c in _letters(ws)) > 100
        fit_to_page_width(ws, landscape=wide, title_rows=f"{header_row}:{header_row}")
        ws.sheet_view.showGridLines = False


def _letters(ws: Worksheet) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, (ws.max_column or 1) + 1)]
