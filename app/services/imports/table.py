"""Import files parsed into validated rows, streamed (FORMATS.md: CSV UTF-8 with a BOM accepted,
or xlsx; header row; column order free; unknown columns an error).

Each cell is trimmed, then checked in this order: required, length (each column has its own
limit), characters (`cells.character_problem`), and its parser (dates, enumerations, lists,
identifiers, text). A bad cell becomes a RowError naming the line where the record starts, the
column and the reason, quoting at most a short excerpt of the value; its value is None.
`parse` yields rows one by one (`read` collects them) so a large file need not be held at once;
`Problems` keeps the first 100 problems by line and counts the rest.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any, TypeVar

from app.domain.enums import ParseableEnum
from app.domain.errors import ImportRejected, InvalidInput, RowError
from app.reports.cells import formula_leading
from app.services import clock
from app.services.imports.cells import EXCERPT_LENGTH, all_plain, character_problem, excerpt
from app.services.imports.reader import Records, records

E = TypeVar("E", bound=ParseableEnum)
Parser = Callable[[str], Any]
EARLIEST = date(1900, 1, 1)


@dataclass(frozen=True)
class Column:
    name: str
    required: bool = False
    parse: Parser = str
    max_len: int = 100
    multiline: bool = False


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


class Problems:
    """The problems found in one file: the first `limit` by line are kept, all are counted."""

    def __init__(self, limit: int = ImportRejected.MAX_LISTED) -> None:
        self.limit = limit
        self.total = 0
        self._heap: list[tuple[int, int, RowError]] = []  # (-line, -order, error): the largest on top
        self.bad_cells: set[tuple[int, str]] = set()  # (line, column) of cells that could not be read

    def add_cell(self, error: RowError) -> None:
        """A cell that could not be read: later checks say nothing more about it."""
        self.bad_cells.add((error.line, error.column))
        self._keep(error)

    def add(self, error: RowError) -> None:
        if (error.line, error.column) not in self.bad_cells:
            self._keep(error)

    def _keep(self, error: RowError) -> None:
        self.total += 1
        item = (-error.line, -self.total, error)
        if len(self._heap) < self.limit:
            heapq.heappush(self._heap, item)
        elif item > self._heap[0]:
            heapq.heapreplace(self._heap, item)

    def extend(self, errors: Sequence[RowError]) -> None:
        for e in errors:
            self.add(e)

    def __bool__(self) -> bool:
        return self.total > 0

    def listed(self) -> list[RowError]:
        return [e for _, _, e in sorted(self._heap, key=lambda t: (-t[0], -t[1]))]

    def reject(self, filename: str) -> None:
        """Raise ImportRejected listing the problems, if there are any."""
        if self.total:
            raise ImportRejected(filename, self.listed(), self.total)


@dataclass
class Table:
    """Parsed rows and the problems found so far; importers add their own row checks."""

    name: str
    rows: list[Row]
    problems: Problems

    def reject_if_errors(self, more: Sequence[RowError] = ()) -> None:
        self.problems.extend(more)
        self.problems.reject(self.name)


def read(path: Path, columns: Sequence[Column], stream: IO[bytes] | None = None) -> Table:
    """Every row of the file (see `parse`); refused at once when the header is wrong."""
    problems = Problems()
    with records(path, stream) as recs:
        rows = list(parse(recs, columns, problems))
    if not rows and not problems:
        raise InvalidInput(f"{path.name}: the file has a header but no rows.")
    return Table(path.name, rows, problems)


def parse(recs: Records, columns: Sequence[Column], problems: Problems) -> Iterator[Row]:
    """The rows of `recs`, one at a time; bad cells go to `problems` (their value is None)."""
    spec = {c.name: c for c in columns}
    names = header_names(recs.name, recs.header, spec)
    plan = [(i, name, spec[name].required, spec[name].max_len, spec[name].parse) for i, name in enumerate(names)]
    for line, cells in recs:
        values = _plain_cells(plan, cells, spec)
        if values is None:  # something to report: the cell by cell checks say what
            values = _parse_cells(line, names, cells, spec, problems)
        yield Row(line, values)


def _plain_cells(plan: list[tuple[int, str, bool, int, Parser]], cells: list[str],
                 spec: dict[str, Column]) -> dict[str, Any] | None:
    """The values of a row whose every cell is good, or None when any check of `cell_value` (or the
    count of cells) would fail: the same checks and parsers, with one search for bad characters
    over the whole row instead of one per cell (a million-row file has ten million cells). `plan`:
    each column's position, name, required, max_len and parse."""
    if len(cells) > len(plan) or not all_plain(",".join(cells)):
        return None
    values: dict[str, Any] = dict.fromkeys(spec)
    width = len(cells)
    try:
        for i, name, required, max_len, parse_cell in plan:
            text = cells[i].strip() if i < width else ""
            if not text:
                if required:
                    return None
            elif len(text) > max_len:
                return None
            else:
                values[name] = parse_cell(text)
    except (ValueError, InvalidInput):
        return None
    return values


def header_names(filename: str, header: list[str], spec: dict[str, Column]) -> list[str]:
    names = [h.strip().lower() for h in header]
    while names and names[-1] == "":
        names.pop()
    unknown = [excerpt(n) if character_problem(n) or len(n) > EXCERPT_LENGTH else n or "(blank)"
               for n in names if n not in spec]
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
        raise ImportRejected(filename, problems)
    return names


def _parse_cells(line: int, names: list[str], cells: list[str], spec: dict[str, Column],
                 problems: Problems) -> dict[str, Any]:
    values: dict[str, Any] = dict.fromkeys(spec)
    extra = [c for c in cells[len(names):] if c.strip()]
    if extra:
        problems.add(RowError(line, "(row)", f"{len(names) + len(extra)} cells with values but the header has "
                                             f"{len(names)} columns"))
    for i, name in enumerate(names):
        column = spec[name]
        try:
            values[name] = cell_value(cells[i] if i < len(cells) else "", column)
        except ValueError as exc:
            problems.add_cell(RowError(line, name, str(exc)))
    return values


def cell_value(raw: str, column: Column) -> Any:
    """The parsed value of one cell (None when empty); ValueError says what is wrong."""
    text = raw.strip()
    if not text:
        if column.required:
            raise ValueError("a value is required")
        return None
    if len(text) > column.max_len:
        raise ValueError(f"longer than {column.max_len:,} characters ({len(text):,}): {excerpt(text)}")
    problem = character_problem(text, multiline=column.multiline)
    if problem:
        raise ValueError(problem)
    try:
        return column.parse(text)
    except InvalidInput as exc:
        raise ValueError(exc.message) from None


# ---- cell parsers ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
_SPACED_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*(?: [A-Za-z0-9._/-]+)*")
_REFERENCE_RULE = "use letters A-Z, digits and . _ / - (starting with a letter or a digit)"


def iso_date(text: str) -> date:
    """A date written YYYY-MM-DD, from 1900 to today (an import records what has happened)."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(f"{excerpt(text)} is not a date in the form YYYY-MM-DD")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{excerpt(text)} is not a date in the form YYYY-MM-DD") from None
    if day < EARLIEST:
        raise ValueError(f"{text} is before {EARLIEST.year}")
    if day > clock.today():
        raise ValueError(f"{text} is in the future (today is {clock.today().isoformat()})")
    return day


def enum_of(kind: type[E]) -> Callable[[str], E]:
    known: dict[str, E] = {}  # the spellings met so far (a million-row file spells a handful of names)

    def parse(text: str) -> E:
        member = known.get(text)
        if member is None:
            member = _member(kind, text)
            if len(known) < KNOWN_SPELLINGS:
                known[text] = member
        return member

    return parse


KNOWN_SPELLINGS = 1000


def _member(kind: type[E], text: str) -> E:
    if text.isascii():
        try:
            return kind.parse(text)  # type: ignore[return-value]
        except ValueError:
            pass
    allowed = ", ".join(m.name for m in kind)
    raise ValueError(f"{excerpt(text)} is not one of {allowed}")


def enum_set(kind: type[E]) -> Callable[[str], frozenset[E]]:
    """`;`-separated names; an empty list (only separators) is refused, as a missing value."""
    def parse(text: str) -> frozenset[E]:
        items = [p for p in (s.strip() for s in text.split(";")) if p]
        if not items:
            raise ValueError(f"{excerpt(text)} names none of {', '.join(m.name for m in kind)}")
        return frozenset(_member(kind, p) for p in items)

    return parse


def text(value: str) -> str:
    """Free text: refused when a spreadsheet would run it as a formula."""
    if formula_leading(value):
        raise ValueError(f"{excerpt(value)} starts with '{value.lstrip()[:1]}': a spreadsheet would run it "
                         "as a formula; remove the character or put the text differently")
    return value


def identifier(value: str) -> str:
    """A number or reference (staff number, case reference …): no spaces, no other characters."""
    if not _IDENTIFIER.fullmatch(value):
        raise ValueError(f"{excerpt(value)} is not a reference: {_REFERENCE_RULE}, no spaces")
    return value


def spaced_reference(value: str) -> str:
    """A reference from another system (a crime reference): as `identifier`, single spaces allowed."""
    if not _SPACED_REFERENCE.fullmatch(value):
        raise ValueError(f"{excerpt(value)} is not a reference: {_REFERENCE_RULE}, single spaces between")
    return value


def name_list(max_names: int = 10, max_len: int = 100) -> Parser:
    def parse(value: str) -> tuple[str, ...]:
        names = tuple(text(p.strip()) for p in value.split(";") if p.strip())
        if len(names) > max_names:
            raise ValueError(f"{len(names)} names; at most {max_names}")
        long = [n for n in names if len(n) > max_len]
        if long:
            raise ValueError(f"a name longer than {max_len} characters: {excerpt(long[0])}")
        return names

    return parse


def yes_no(value: str) -> bool:
    t = value.strip().upper()
    if t in ("Y", "YES", "TRUE", "1"):
        return True
    if t in ("N", "NO", "FALSE", "0"):
        return False
    raise ValueError(f"{excerpt(value)} is not Y or N")


def one_of(*allowed: str) -> Parser:
    def parse(value: str) -> str:
        t = value.strip().upper()
        if t not in allowed:
            raise ValueError(f"{excerpt(value)} is not one of {', '.join(allowed)}")
        return t

    return parse
