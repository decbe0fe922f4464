"""The protective marking every export carries (DOMAIN.md §7: exports are OFFICIAL-SENSITIVE)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MARKING = "OFFICIAL-SENSITIVE"


def mark_sheet(ws: Worksheet | Any, title: str = "") -> None:
    """Put the marking in the header and footer of every printed page, with page numbers."""
    for header in (ws.oddHeader, ws.evenHeader, ws.firstHeader):
        header.center.text = MARKING
        header.center.font = "Arial,Bold"
        if title:
            header.left.text = title.replace("&", "&&")
    for footer in (ws.oddFooter, ws.evenFooter, ws.firstFooter):
        footer.center.text = MARKING
        footer.center.font = "Arial,Bold"
        footer.right.text = "Page &P of &N"


def fit_to_page_width(ws: Worksheet | Any, landscape: bool = False, title_rows: str | None = None) -> None:
    """Print on A4, one page wide (as many pages tall as needed), repeating `title_rows`."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows
