"""Reading a CSV (UTF-8, BOM accepted) or xlsx (first sheet) file into validated rows.

Column order does not matter; unknown or missing required columns are an error naming them;
every bad cell is collected as a RowError with its line number and column.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from app.domain.enums import ParseableEnum
from app.domain.errors import ImportRejected, InvalidInput, RowError

E = TypeVar("E", bound=ParseableEnum)
Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    parse: Parser = str


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


def raw_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_rows(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(path)
    raise InvalidInput(f"{path.name}: unsupported file type '{path.suffix}'; give a .csv or .xlsx file.")


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8.") from None
    except OSError as exc:
        raise InvalidInput(f"{path.name}: cannot be read ({exc.strerror}).") from None
    reader = csv.reader(text.splitlines())
    header = next(reader, None)
    if header is None:
        raise InvalidInput(f"{path.name}: the file is empty; a header row is required.")
    return header, ((reader.line_num, r) for r in reader)


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException
    from zipfile import BadZipFile

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError) as exc:
        raise InvalidInput(f"{path.name}: not a readable xlsx workbook ({exc}).") from None
    rows = wb.worksheets[0].iter_rows(values_only=True)
    header_cells = next(rows, None)
    if header_cells is None:
        raise InvalidInput(f"{path.name}: the first sheet is empty; a header row is required.")
    header = [_cell_text(c) for c in header_cells]
    while header and header[-1] == "":
        header.pop()

    def body() -> Iterator[tuple[int, list[str]]]:
        for line, cells in enumerate(rows, start=2):
            yield line, [_cell_text(c) for c in cells[: len(header)]]
        wb.close()

    return header, body()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass
class Table:
    """Parsed rows and the cell errors found so far; importers add their own row checks."""

    name: str
    rows: list[Row]
    errors: list[RowError]

    def reject_if_errors(self, more: Sequence[RowError] = ()) -> None:
        errors = sorted([*self.errors, *more], key=lambda e: e.line)
        if errors:
            raise ImportRejected(self.name, errors)


def read(path: Path, columns: Sequence[Column]) -> Table:
    """Parse every row, collecting every bad cell (a bad cell's value is None)."""
    header, body = raw_rows(path)
    spec = {c.name: c for c in columns}
    names = [h.strip().lower() for h in header]
    _check_header(path, names, spec)
    rows: list[Row] = []
    errors: list[RowError] = []
    for line, cells in body:
        if not any(c.strip() for c in cells):
            continue
        values, row_errors = _parse_cells(line, names, cells, spec)
        errors.extend(row_errors)
        rows.append(Row(line, values))
    if not rows and not errors:
        raise InvalidInput(f"{path.name}: the file has a header but no rows.")
    return Table(path.name, rows, errors)


def _check_header(path: Path, names: list[str], spec: dict[str, Column]) -> None:
    unknown = [n for n in names if n not in spec]
    missing = [c.name for c in spec.values() if c.required and c.name not in names]
    dupes = sorted({n for n in names if names.count(n) > 1})
    problems = []
    if unknown:
        problems.append(RowError(1, ", ".join(unknown), "unknown column(s)"))
    if missing:
        problems.append(RowError(1, ", ".join(missing), "required column(s) missing"))
    if dupes:
        problems.append(RowError(1, ", ".join(dupes), "column(s) given more than once"))
    if problems:
        raise ImportRejected(path.name, problems)


def _parse_cells(line: int, names: list[str], cells: list[str], spec: dict[str, Column]) -> tuple[dict[str, Any], list[RowError]]:
    values: dict[str, Any] = {}
    errors: list[RowError] = []
    if len(cells) > len(names):
        errors.append(RowError(line, "(row)", f"{len(cells)} cells but the header has {len(names)} columns"))
    for i, name in enumerate(names):
        text = cells[i].strip() if i < len(cells) else ""
        column = spec[name]
        if not text:
            if column.required:
                errors.append(RowError(line, name, "a value is required"))
            values[name] = None
            continue
        try:
            values[name] = column.parse(text)
        except (ValueError, InvalidInput) as exc:
            errors.append(RowError(line, name, str(exc)))
    for name, column in spec.items():
        values.setdefault(name, None)
    return values, errors


# ---- cell parsers ---------------------------------------------------------------------------

def iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text[:10] if len(text) > 10 and text[10] in "T " else text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date in the form YYYY-MM-DD") from None


def enum_of(kind: type[E]) -> Callable[[str], E]:
    def parse(text: str) -> E:
        return kind.parse(text)  # type: ignore[return-value]

    return parse


def enum_set(kind: type[E]) -> Callable[[str], frozenset[E]]:
    def parse(text: str) -> frozenset[E]:
        items = [p for p in (s.strip() for s in text.split(";")) if p]
        return frozenset(kind.parse(p) for p in items)  # type: ignore[misc]

    return parse


def name_list(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(";") if p.strip())


def yes_no(text: str) -> bool:
    t = text.strip().upper()
    if t in ("Y", "YES", "TRUE", "1"):
        return True
    if t in ("N", "NO", "FALSE", "0"):
        return False
    raise ValueError(f"'{text}' is not Y or N")


def bounded(max_len: int) -> Parser:
    def parse(text: str) -> str:
        if len(text) > max_len:
            raise ValueError(f"longer than {max_len} characters")
        return text

    return parse


def one_of(*allowed: str) -> Parser:
    def parse(text: str) -> str:
        t = text.strip().upper()
        if t not in allowed:
            raise ValueError(f"'{text}' is not one of {', '.join(allowed)}")
        return t

    return parse
