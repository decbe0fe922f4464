"""Reading an import file as a stream of records: `(line number, cells)`, never the whole file.

CSV is parsed by the csv module over the whole byte stream (UTF-8, a BOM accepted), so a quoted
cell keeps its newlines, and only CR, LF or CRLF end a record: U+2028, NEL and form feed are
characters like any other (the cell checks refuse them where they do not belong). The line number
of a record is the physical line where it starts, as a text editor shows it. Malformed CSV (a
quote in the wrong place, a quote never closed, a cell over the csv module's field limit) is
refused with the line where the record starts. An xlsx file is read from its first sheet in
read-only mode (streamed); a formula is read as the formula itself (`=...`), so the cell checks
refuse it instead of importing a value computed on someone else's machine.

Blank records (no cell with a value) are skipped. The header is returned separately.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time
from pathlib import Path
from typing import IO

from app.domain.errors import InvalidInput

Record = tuple[int, list[str]]
CSV_SUFFIXES = (".csv",)
XLSX_SUFFIXES = (".xlsx", ".xlsm")


class Records:
    """The header and a one-pass iterator over the records that follow it."""

    def __init__(self, name: str, header: list[str], body: Iterator[Record]) -> None:
        self.name = name
        self.header = header
        self._body = body

    def __iter__(self) -> Iterator[Record]:
        return self._body


@contextmanager
def records(path: Path, stream: IO[bytes] | None = None) -> Iterator[Records]:
    """Open `path` (or read `stream`, named by `path`, left open) and yield its Records."""
    suffix = path.suffix.lower()
    if suffix not in CSV_SUFFIXES + XLSX_SUFFIXES:
        raise InvalidInput(f"{path.name}: unsupported file type '{path.suffix}'; give a .csv or .xlsx file.")
    try:
        fh = stream if stream is not None else path.open("rb")
    except OSError as exc:
        raise InvalidInput(f"{path.name}: cannot be read ({exc.strerror}).") from None
    try:
        if suffix in XLSX_SUFFIXES:
            yield _xlsx_records(path.name, fh)
            return
        yield _csv_records(path.name, fh)
    finally:
        if stream is None:
            fh.close()


# ---- CSV ------------------------------------------------------------------------------------

MAX_LINE_BYTES = 1 << 20
BLOCK_BYTES = 1 << 18  # read at a time, then to the end of the line


def _csv_records(name: str, fh: IO[bytes]) -> Records:
    lines = _CsvLines(name, fh)
    header = next(lines, None)
    if header is None:
        raise InvalidInput(f"{name}: the file is empty; a header row is required.")
    return Records(name, header[1], lines)


class _CsvLines:
    """Records with the physical line each starts on. The bytes are decoded a block of whole lines
    at a time (the csv reader takes the lines of each block without a Python step per line); a
    block with a line too long or a byte that is not UTF-8 is read again line by line, so that the
    error names its line, after the lines before it, as when every line was read on its own. CSV
    errors name the record's first line."""

    def __init__(self, name: str, fh: IO[bytes]) -> None:
        self.name, self.fh = name, fh
        self.physical = 0  # lines handed to the csv reader so far
        self.reader = csv.reader(itertools.chain.from_iterable(self._blocks()), strict=True)

    def _blocks(self) -> Iterator[list[str]]:
        while raw := self.fh.read(BLOCK_BYTES):
            if not raw.endswith(b"\n"):
                raw += self.fh.readline(MAX_LINE_BYTES + 1)  # to the end of the line (or a line too long)
            text = None
            if len(raw) <= MAX_LINE_BYTES:
                body = raw[len(codecs.BOM_UTF8):] if self.physical == 0 and raw.startswith(codecs.BOM_UTF8) else raw
                with suppress(UnicodeDecodeError):  # then line by line, to name the line
                    text = body.decode("utf-8")
            if text is None:
                yield from ([line] for line in self._lines(io.BytesIO(raw)))
                continue
            lines = _LINE.findall(text)
            self.physical += len(lines)
            yield lines

    def _lines(self, fh: IO[bytes]) -> Iterator[str]:
        while raw := fh.readline(MAX_LINE_BYTES + 1):
            if len(raw) > MAX_LINE_BYTES:
                raise InvalidInput(f"{self.name}: line {self.physical + 1} is longer than {MAX_LINE_BYTES:,} bytes. "
                                   "Nothing was imported.")
            if self.physical == 0 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InvalidInput(f"{self.name}: line {self.physical + 1} is not UTF-8 text (byte {exc.start + 1} "
                                   "of the line); save the file as 'CSV UTF-8' and import it again. Nothing was "
                                   "imported.") from None
            for piece in _BARE_CR.split(line):
                if piece:
                    self.physical += 1
                    yield piece

    def __iter__(self) -> Iterator[Record]:
        return self

    def __next__(self) -> Record:
        while True:
            start = self.reader.line_num + 1
            try:
                cells = next(self.reader)
            except csv.Error as exc:
                raise InvalidInput(f"{self.name}: line {start} is not valid CSV ({_csv_reason(exc)}). "
                                   "Nothing was imported.") from None
            if "".join(cells).strip():  # a cell with a value (not only spaces)
                return start, cells


_BARE_CR = re.compile(r"(?<=\r)(?!\n)")  # split after a CR that ends a line on its own (old Mac files)
# a line as _BARE_CR and a line feed part them: up to LF, CRLF or a lone CR (never str.splitlines,
# which also ends a line at a form feed, NEL or U+2028)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _csv_reason(exc: csv.Error) -> str:
    text = str(exc)
    if "field larger than field limit" in text:
        return f"a cell is longer than {csv.field_size_limit():,} characters"
    if "unexpected end of data" in text:
        return "a quoted cell is never closed"
    return text


# ---- xlsx -----------------------------------------------------------------------------------

def _xlsx_records(name: str, fh: IO[bytes]) -> Records:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        raise InvalidInput(f"{name}: not a readable xlsx workbook ({type(exc).__name__}).") from None
    rows = wb.worksheets[0].iter_rows(min_row=1, values_only=True)
    first = next(rows, None)
    header = [cell_text(c) for c in first or ()]
    while header and header[-1] == "":
        header.pop()
    if not header:
        wb.close()
        raise InvalidInput(f"{name}: the first row of the first sheet is empty; it must hold the column names.")

    def body() -> Iterator[Record]:
        try:
            for line, cells in enumerate(rows, start=2):
                texts = [cell_text(c) for c in cells]
                while texts and texts[-1] == "":
                    texts.pop()
                if any(t.strip() for t in texts):
                    yield line, texts
        finally:
            wb.close()

    return Records(name, header, body())


def cell_text(value: object) -> str:
    """An xlsx cell as the text a CSV would hold: dates as YYYY-MM-DD, whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
