"""Stream a large table into one sheet of an openpyxl-written workbook.

openpyxl serialises cells through a generic XML writer at roughly 100,000 cells a second on an
office PC, which alone would take the 100,000-allegation survey return past its time budget. So the
big traceability sheet is written by openpyxl with its header row and one styled template row
(which fixes the column styles, widths, filter, panes and header/footer), and this module then
swaps that sheet's `<sheetData>` for rows serialised directly: text as inline strings, dates as
serial numbers with the template row's date style. Everything else in the package is untouched.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from openpyxl.utils import get_column_letter

Value = str | int | float | date | None

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_EPOCH = date(1899, 12, 30).toordinal()
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SHEET_DATA = re.compile(rb"<sheetData>.*</sheetData>|<sheetData\s*/>", re.S)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_FIRST_ROW = re.compile(rb"<row [^>]*>.*?</row>", re.S)


def sheet_part(archive: zipfile.ZipFile, title: str) -> str:
    """The zip member holding the worksheet called `title`."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
        if sheet.get("name") == title:
            target = targets[sheet.get(f"{{{_NS['r']}}}id")]
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(f"no sheet called {title!r}")


def replace_rows(source: Path, target: Path, title: str, rows: Sequence[Sequence[Value]],
                 heights: Sequence[float | None] | None = None) -> None:
    """Copy `source` to `target`, replacing every row of sheet `title` after the header.

    Row 2 of the sheet in `source` is the template: the style of each of its cells is given to
    the values of that column (so the template row must have a value in every column). `heights`:
    each row's printed height in points (None: one line), for wrapped text.
    """
    with zipfile.ZipFile(source) as src:
        part = sheet_part(src, title)
        xml = src.read(part)
        match = _SHEET_DATA.search(xml)
        if match is None:
            raise ValueError(f"sheet {title!r} has no sheetData")
        header, styles = _header_and_styles(match.group(0))
        head = xml[: match.start()]
        if styles:
            ref = f'<dimension ref="A1:{get_column_letter(len(styles))}{len(rows) + 1}"/>'
            head = _DIMENSION.sub(ref.encode(), head, count=1)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            for item in src.infolist():
                if item.filename != part:
                    dst.writestr(item, src.read(item.filename))
            with dst.open(part, "w", force_zip64=True) as out:
                out.write(head + b"<sheetData>" + header)
                _write_rows(out, rows, styles, heights)
                out.write(b"</sheetData>" + xml[match.end() :])


def _header_and_styles(sheet_data: bytes) -> tuple[bytes, list[str]]:
    rows = _FIRST_ROW.findall(sheet_data)
    header = rows[0] if rows else b""
    styles: list[str] = []
    if len(rows) > 1:
        template = ElementTree.fromstring(rows[1].replace(b"<row ", f'<row xmlns="{_NS["m"]}" '.encode(), 1))
        styles = [c.get("s", "0") for c in template.findall("m:c", _NS)]
    return header, styles


def _write_rows(out: IO[bytes], rows: Iterable[Sequence[Value]], styles: list[str],
                heights: Sequence[float | None] | None = None) -> None:
    letters = [get_column_letter(i + 1) for i in range(max(len(styles), 64))]
    style_attr = [f' s="{s}"' if s != "0" else "" for s in styles]
    buffer: list[str] = []
    for count, values in enumerate(rows, start=1):
        r = count + 1
        height = heights[count - 1] if heights is not None else None
        cells = [f'<row r="{r}" ht="{height}" customHeight="1">' if height else f'<row r="{r}">']
        for i, value in enumerate(values):
            if value is None or value == "":
                continue
            ref = f"{letters[i]}{r}"
            s = style_attr[i] if i < len(style_attr) else ""
            if isinstance(value, str):
                cells.append(f'<c r="{ref}"{s} t="inlineStr"><is>{_text(value)}</is></c>')
            elif isinstance(value, date):
                cells.append(f'<c r="{ref}"{s}><v>{value.toordinal() - _EPOCH}</v></c>')
            elif isinstance(value, bool):
                raise TypeError("write booleans as text or numbers")
            else:
                cells.append(f'<c r="{ref}"{s}><v>{value!r}</v></c>')
        cells.append("</row>")
        buffer.append("".join(cells))
        if len(buffer) >= 2000:
            out.write("".join(buffer).encode())
            buffer.clear()
    out.write("".join(buffer).encode())


def _text(value: str) -> str:
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if value != value.strip():
        return f'<t xml:space="preserve">{value}</t>'
    return f"<t>{value}</t>"
