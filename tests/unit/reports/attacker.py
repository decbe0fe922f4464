"""A reader trying to undo suppression with pencil and paper, written independently of
app.reports.disclosure: it reads printed tables (text cells, as they appear in a PDF) and solves the
sums a table states — each row adds up to its total, each column to the total row — by repeated
substitution, using what the marks mean (`<5` is 1 to 4, `[c]` is 5 or more, `–` is unknown).

`attack` lists every count under 5 it pins down exactly or narrows (how far: `strict`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

SMALL, WITHHELD, NOT_SHOWN = "<5", "[c]", "–"
NUMBER = re.compile(r"^\d[\d,]*$")


@dataclass
class Cell:
    text: str
    low: float
    high: float

    @classmethod
    def of(cls, text: str) -> Cell:
        if NUMBER.match(text):
            v = int(text.replace(",", ""))
            return cls(text, v, v)
        if text == SMALL:
            return cls(text, 1, 4)
        if text == WITHHELD:
            return cls(text, 5, float("inf"))
        return cls(text, 0, float("inf"))

    @property
    def known(self) -> bool:
        return self.low == self.high


def _tighten(total: Cell, parts: list[Cell]) -> bool:
    """total = sum(parts): narrow every interval by the others'. True when something changed."""
    changed = False
    if not total.known and all(p.known for p in parts):
        total.low = total.high = sum(p.low for p in parts)
        return True
    for p in parts:
        others_low = sum(o.low for o in parts if o is not p)
        others_high = sum(o.high for o in parts if o is not p)
        low, high = max(p.low, total.low - others_high), min(p.high, total.high - others_low)
        if (low, high) != (p.low, p.high):
            p.low, p.high, changed = low, high, True
    return changed


def attack(rows: Sequence[Sequence[str]], total_row: Sequence[str] | None, row_total_column: int | None,
           part_columns: Sequence[int], adding_columns: Sequence[int] = (), strict: int = 2) -> list[str]:
    """Solve the table (rows add up over `part_columns` to `row_total_column`; each of
    `adding_columns` adds up to the total row); returns the counts under 5 (or not shown but known to
    be at least 1) left with a range narrower than `strict` + 1 values ("row r column c: 1..2"):
    with `strict=1`, only the counts worked out exactly; with 3, anything narrower than 1 to 4."""
    grid = [[Cell.of(t) for t in row] for row in rows]
    total = [Cell.of(t) for t in total_row] if total_row is not None else None
    for _ in range(50):
        changed = False
        if row_total_column is not None:
            for row in grid + ([total] if total else []):
                changed |= _tighten(row[row_total_column], [row[c] for c in part_columns])
        if total is not None:
            for c in adding_columns:
                changed |= _tighten(total[c], [row[c] for row in grid])
        if not changed:
            break
    found = []
    for r, row in enumerate(grid + ([total] if total else [])):
        for c, cell in enumerate(row):
            if cell.text in (SMALL, NOT_SHOWN) and cell.low >= 1 and cell.high - cell.low < strict:
                found.append(f"row {r} column {c}: {cell.low}..{cell.high}")
    return found
