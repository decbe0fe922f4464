"""What a published report says, as linear algebra: the model the suppression and the audit share.

Every count a report prints (in a table, a chart, a sentence) is a *quantity*: a non-negative whole
number with a key, its true value and a role. What a reader can work out is described by linear
relations between quantities, written down once per report by its builder:

- equalities (`a = b + c`): a row adds up to its total, this year's quarters add up to this year's
  allegations, the same total printed in two tables is one figure;
- inequalities (`a <= b`): individuals in a row are at most its allegations, the individuals with
  an outcome are at most all individuals.

A *suppression* gives each quantity a status: shown (the reader knows it exactly), `<5` (the reader
knows it is 1 to 4), withheld as `[c]` (a complementary suppression: never 0 or 1 to 4, so the
reader may assume 5 or more) or hidden (not printed at all, but a count the reader must not be able
to work out, e.g. late decisions = due - on time - overdue). The reader is assumed to know the
method, so all of this is used against the report.

`Model.check()` verifies every relation on the true values: a builder that writes down a relation
that does not hold (and so would mislead the audit) fails there, before anything is published.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum, IntEnum

Key = tuple[Hashable, ...]
SMALL_MAX = 4
"""Counts from 1 to SMALL_MAX are small: never shown (primary suppression)."""
WITHHELD_MIN = SMALL_MAX + 1
"""What a reader may assume of a `[c]` cell: it is never 0 or small, so at least 5."""
PROTECTED_RANGE = (1, SMALL_MAX)
"""The protection rule: every count from 1 to 4 that is not printed must stay possible as 1 (or
less) and as 4 (or more) given everything printed, whatever its true value — the whole of what `<5`
says, never narrower (a tau-Argus protection level that reaches the threshold: lower level
value - 1, upper level 4 - value). No exception for ranges the `<5` marks narrow among themselves:
those are recoded (marks turned into `–`) until the rule holds."""


class Role(IntEnum):
    """How much the report would lose by withholding a quantity (higher: keep it longer)."""

    HIDDEN = -1
    """Never printed, but derivable: protected like a published small count."""
    CELL = 0
    """A cell inside a table."""
    MARGIN = 1
    """A row or column total inside a table."""
    TOTAL = 2
    """A headline figure or a table's grand total, printed in several places."""


class Status(Enum):
    SHOWN = "shown"
    SMALL = "<5"
    WITHHELD = "[c]"
    HIDDEN = "hidden"


def is_small(value: int) -> bool:
    return 0 < value <= SMALL_MAX


@dataclass(frozen=True, slots=True)
class Quantity:
    index: int
    key: Key
    value: int
    role: Role
    label: str
    """What it counts, in words (for the method page and refusals)."""


Terms = Mapping[int, int]
"""A linear form: quantity index -> whole coefficient."""


@dataclass
class Model:
    """The quantities of one report and the relations between them."""

    quantities: list[Quantity] = field(default_factory=list)
    equalities: list[dict[int, int]] = field(default_factory=list)
    """Each: sum(coefficient * quantity) == 0."""
    inequalities: list[dict[int, int]] = field(default_factory=list)
    """Each: sum(coefficient * quantity) <= 0."""
    breakdowns: list[tuple[int, list[int]]] = field(default_factory=list)
    """(total, parts): the parts of a count under 5 are never printed (a breakdown of fewer than 5)."""
    _by_key: dict[Key, int] = field(default_factory=dict)

    # -- building ---------------------------------------------------------------------------
    def add(self, key: Key, value: int, role: Role, label: str) -> int:
        """The quantity `key` (added on first use; the same key is the same figure everywhere)."""
        if value < 0:
            raise ValueError(f"{label}: a count cannot be negative ({value})")
        found = self._by_key.get(key)
        if found is not None:
            existing = self.quantities[found]
            if existing.value != value:
                raise ValueError(f"{label}: {value} here but {existing.value} elsewhere")
            if role > existing.role:
                self.quantities[found] = Quantity(found, key, value, role, existing.label)
            return found
        index = len(self.quantities)
        self.quantities.append(Quantity(index, key, value, role, label))
        self._by_key[key] = index
        return index

    def index(self, key: Key) -> int:
        return self._by_key[key]

    def has(self, key: Key) -> bool:
        return key in self._by_key

    def equal(self, total: int, parts: Iterable[int] | Terms) -> None:
        """`total` == the sum of `parts` (indices, or index -> coefficient): `parts` break `total` down."""
        terms = _terms(parts)
        self.breakdowns.append((total, sorted(terms)))
        terms[total] = terms.get(total, 0) - 1
        self._append(self.equalities, terms)

    def breaks_down(self, total: int, parts: Iterable[int]) -> None:
        """`parts` break `total` down without adding up to it (an allegation in several rows)."""
        self.breakdowns.append((total, sorted(set(parts))))

    def at_most(self, smaller: Iterable[int] | Terms, larger: Iterable[int] | Terms) -> None:
        """sum(`smaller`) <= sum(`larger`)."""
        terms = _terms(smaller)
        for i, c in _terms(larger).items():
            terms[i] = terms.get(i, 0) - c
        self._append(self.inequalities, terms)

    @staticmethod
    def _append(rows: list[dict[int, int]], terms: dict[int, int]) -> None:
        terms = {i: c for i, c in terms.items() if c}
        if terms:
            rows.append(terms)

    # -- checking -----------------------------------------------------------------------------
    def check(self) -> None:
        """Every relation holds on the true values (else the builder described the report wrongly)."""
        values = [q.value for q in self.quantities]
        for row in self.equalities:
            if sum(c * values[i] for i, c in row.items()) != 0:
                raise AssertionError(f"relation does not hold: {self.describe(row)} = 0")
        for row in self.inequalities:
            if sum(c * values[i] for i, c in row.items()) > 0:
                raise AssertionError(f"relation does not hold: {self.describe(row)} <= 0")

    def describe(self, row: Terms) -> str:
        return " ".join(f"{c:+d}×[{self.quantities[i].label} = {self.quantities[i].value}]" for i, c in row.items())

    def first_status(self) -> list[Status]:
        """Primary suppression: small counts `<5`, hidden quantities and the parts of a count under 5
        (zeros too, so that nothing tells which parts are empty) not printed, everything else shown.
        Parts of a part not printed are not printed either (the quarters' individuals when the year's
        allegations are under 5: four `<5` marks would say each quarter has one)."""
        status = [
            Status.HIDDEN if q.role is Role.HIDDEN else Status.SMALL if is_small(q.value) else Status.SHOWN
            for q in self.quantities
        ]
        changed = True
        while changed:
            changed = False
            for total, parts in self.breakdowns:
                value = self.quantities[total].value
                if is_small(value) or (status[total] is Status.HIDDEN and value <= SMALL_MAX):
                    for part in parts:
                        if status[part] is not Status.HIDDEN:
                            status[part] = Status.HIDDEN
                            changed = True
        return status

    def sensitive(self, status: list[Status]) -> list[int]:
        """The quantities a reader must not narrow down: small counts not shown."""
        return [q.index for q in self.quantities if is_small(q.value) and status[q.index] is not Status.SHOWN]


def _terms(parts: Iterable[int] | Terms) -> dict[int, int]:
    if isinstance(parts, Mapping):
        return dict(parts)
    terms: dict[int, int] = {}
    for i in parts:
        terms[i] = terms.get(i, 0) + 1
    return terms


def reader_bounds(value: int, status: Status) -> tuple[int, float]:
    """What the reader knows of a quantity from how it is printed."""
    if status is Status.SHOWN:
        return value, value
    if status is Status.SMALL:
        return 1, SMALL_MAX
    if status is Status.WITHHELD:
        return WITHHELD_MIN, float("inf")
    return 0, float("inf")
