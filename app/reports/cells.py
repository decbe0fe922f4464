"""Cells that stay text when a person opens the file in a spreadsheet (OWASP "CSV injection").

A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a formula (also after leading
spaces), and a leading TAB or CR can hide such a start; a formula can fetch a web page with the
row's data in its address or run a command. Every file written for people to open uses these:
- CSV: `csv_cell` / `csv_row` put a `'` before such a cell (the OWASP advice; spreadsheets show
  the rest as text, and a person can still see exactly what was stored);
- xlsx written with openpyxl: `save_workbook` stores every string as text, never as a formula or
  an error value (openpyxl otherwise turns a string starting with `=` into a formula).
Files read by machines (outbound notice files, which other forces import) are not altered:
`formula_leading` is used to refuse such values at import and at export instead.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMULA_CHARACTERS = "=+-@"
HIDING_CHARACTERS = "\t\r"


def formula_leading(text: str) -> bool:
    """True when a spreadsheet could take `text` for a formula."""
    if not text:
        return False
    if text[0] in HIDING_CHARACTERS:
        return True
    return text.lstrip()[:1] in tuple(FORMULA_CHARACTERS)


def csv_cell(value: Any) -> Any:
    """`value` made safe for a CSV cell: a formula-leading string gets a leading `'`."""
    if isinstance(value, str) and formula_leading(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def store_strings_as_text(workbook: Workbook) -> int:
    """Make every string cell of `workbook` a text cell (not a formula or an error); returns how
    many were changed. The report writers write values only, never formulas."""
    changed = 0
    for ws in workbook.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type in ("f", "e") and isinstance(cell.value, str):
                    cell.data_type = "s"
                    changed += 1
    return changed


def save_workbook(workbook: Workbook, path: str | PathLike[str]) -> None:
    """Save with every string stored as text (see the module's docstring)."""
    store_strings_as_text(workbook)
    workbook.save(path)
