"""How far a reader can narrow a count down: linear programming over the model, with integer proof.

For a count the reader must not recover, `Feasibility.protected` asks two questions of everything
published with it (every shown figure, every `<5` being 1 to 4, every `[c]` being 5 or more, every
relation of the model): can it be 1 (or less)? can it be 4 (or more)? Each is a linear program
(HiGHS); an answer "yes" is only accepted with a *witness*: a whole-number assignment of every
quantity, checked exactly against every relation and every printed figure, in which the count takes
that value. An answer "no" from the linear program is already exact (whole numbers are a subset of
the real solutions). When the program's solution is not whole, an integer program decides.

The problem is split into independent parts first: quantities connected only through figures the
reader knows are independent, so each part is small (one table, typically).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import highspy
import numpy as np

from app.reports.disclosure.model import SMALL_MAX, Model, Role, Status, reader_bounds

_INF = highspy.kHighsInf
_TOLERANCE = 1e-6
_made_one = threading.Lock()
_banner_shown = False


def _new_highs() -> highspy.Highs:
    """A silent solver (HiGHS prints a banner on stdout the first time one is made in a process)."""
    global _banner_shown
    with _made_one:
        if _banner_shown:
            solver = highspy.Highs()  # type: ignore[no-untyped-call]
        else:
            sys.stdout.flush()
            saved, devnull = os.dup(1), os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
                solver = highspy.Highs()  # type: ignore[no-untyped-call]
            finally:
                os.dup2(saved, 1)
                os.close(saved)
                os.close(devnull)
            _banner_shown = True
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("threads", 1)
    return solver


def components(model: Model, nodes: Iterable[int]) -> list[list[int]]:
    """`nodes` grouped by the relations that join them (quantities outside `nodes` are known)."""
    members = set(nodes)
    parent = {i: i for i in members}

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for row in (*model.equalities, *model.inequalities):
        inside = [i for i in row if i in members]
        for other in inside[1:]:
            a, b = root(inside[0]), root(other)
            if a != b:
                parent[b] = a
    groups: dict[int, list[int]] = {}
    for i in sorted(members):
        groups.setdefault(root(i), []).append(i)
    return list(groups.values())


@dataclass(frozen=True)
class Range:
    """Whether the reader can tell a count is above `low` or below `high` (the values it must stay
    able to take): protected when it can be as low as `low` and as high as `high`."""

    index: int
    low: int
    high: int
    can_be_low: bool
    can_be_high: bool

    @property
    def protected(self) -> bool:
        return self.can_be_low and self.can_be_high and self.low < self.high


class Feasibility:
    """The linear program of one part of a model: its quantities are the variables; quantities
    outside it appear in its relations only as known (shown) values."""

    def __init__(self, model: Model, members: Sequence[int], status: Sequence[Status], exact: bool = True) -> None:
        """`exact=False`: answers from the linear program alone, without whole-number witnesses (quick,
        and only ever too generous where the program's optimum is not whole: for searching, never for
        the audit)."""
        self.model, self.members, self.exact = model, list(members), exact
        self.column = {q: j for j, q in enumerate(self.members)}
        self.status = list(status)
        self.rows = [r for r in (*model.equalities, *model.inequalities) if any(i in self.column for i in r)]
        self.equal_rows = len([r for r in model.equalities if any(i in self.column for i in r)])
        self.solver = _new_highs()
        self.solver.passModel(self._lp())
        self._dense = np.zeros((len(self.rows), len(self.members)), dtype=np.int64)
        for r, row in enumerate(self.rows):
            for i, c in row.items():
                if i in self.column:
                    self._dense[r, self.column[i]] = c
        bounds = [self._bounds(q) for q in self.members]
        self._low = np.array([b[0] for b in bounds])
        self._high = np.array([b[1] for b in bounds])
        self._known_part = np.array([sum(c * self._known(i) for i, c in row.items() if i not in self.column)
                                     for row in self.rows], dtype=np.int64)

    def _lp(self) -> highspy.HighsLp:
        n = len(self.members)
        starts, indices, values = [0], [], []
        lower_rows, upper_rows = [], []
        columns: list[list[tuple[int, float]]] = [[] for _ in range(n)]
        for r, row in enumerate(self.rows):
            known = 0
            for i, c in row.items():
                if i in self.column:
                    columns[self.column[i]].append((r, float(c)))
                else:
                    known += c * self._known(i)
            lower_rows.append(-known if r < self.equal_rows else -_INF)
            upper_rows.append(-known)
        for entries in columns:
            indices += [r for r, _ in entries]
            values += [c for _, c in entries]
            starts.append(len(indices))
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n, len(self.rows)
        lp.col_cost_ = np.zeros(n)
        bounds = [self._bounds(q) for q in self.members]
        lp.col_lower_ = np.array([b[0] for b in bounds], dtype=float)
        lp.col_upper_ = np.array([b[1] for b in bounds], dtype=float)
        lp.row_lower_, lp.row_upper_ = np.array(lower_rows, dtype=float), np.array(upper_rows, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(values, dtype=float)
        return lp

    def _known(self, i: int) -> int:
        if self.status[i] is not Status.SHOWN:
            raise ValueError(f"{self.model.quantities[i].label} is not shown but outside the part")
        return self.model.quantities[i].value

    def _bounds(self, q: int) -> tuple[float, float]:
        low, high = reader_bounds(self.model.quantities[q].value, self.status[q])
        return float(low), (_INF if high == float("inf") else float(high))

    def set_status(self, q: int, status: Status) -> None:
        self.status[q] = status
        low, high = self._bounds(q)
        j = self.column[q]
        self.solver.changeColBounds(j, low, high)
        self._low[j], self._high[j] = low, high

    # -- questions ------------------------------------------------------------------------------
    def extreme(self, q: int, maximise: bool) -> int:
        """The exact whole-number minimum of `q`, or its maximum capped at SMALL_MAX."""
        j = self.column[q]
        low, high = self._bounds(q)
        self.solver.changeColBounds(j, low, min(high, float(SMALL_MAX)) if maximise else high)
        try:
            value, whole = self._optimise(j, maximise)
            if not whole:
                exact = self._integer_optimum(j, maximise)
                assert exact is not None, "the true values are a whole-number solution"
                value = exact
        finally:
            self.solver.changeColBounds(j, low, high)
        return value

    def range_of(self, q: int, low: int, high: int) -> Range:
        """Can `q` be `low` (or less) and `high` (or more), given everything published?"""
        return Range(q, low, high, self.reaches(q, low, maximise=False), self.reaches(q, high, maximise=True))

    def reaches(self, q: int, target: int, maximise: bool) -> bool:
        j = self.column[q]
        low, high = self._bounds(q)
        self.solver.changeColBounds(j, low, min(high, float(target)) if maximise else high)
        try:
            value, whole = self._optimise(j, maximise)
            if (value < target) if maximise else (value > target):
                return False
            return whole or not self.exact or self._integer_optimum(j, maximise, target) is not None
        finally:
            self.solver.changeColBounds(j, low, high)

    def _optimise(self, j: int, maximise: bool) -> tuple[int, bool]:
        """Optimise column j: (the optimum, rounded outwards; whether a whole-number witness was found)."""
        n = len(self.members)
        cost = np.zeros(n)
        cost[j] = -1.0 if maximise else 1.0
        self.solver.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
        self.solver.run()
        if self.solver.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError("the published figures do not fit the model (no solution): a builder error")
        solution = np.array(self.solver.getSolution().col_value)
        value = solution[j]
        bound = int(np.floor(value + _TOLERANCE)) if maximise else int(np.ceil(value - _TOLERANCE))
        if not self.exact:
            return bound, False
        return bound, abs(value - bound) < _TOLERANCE and self._is_witness(solution)

    def _is_witness(self, solution: np.ndarray) -> bool:
        whole = np.rint(solution)
        if np.max(np.abs(whole - solution), initial=0.0) > _TOLERANCE:
            return False
        return self.satisfies(whole.astype(np.int64))

    def satisfies(self, values: np.ndarray) -> bool:
        """Exact check of a whole-number assignment (one value per member, in order) against every
        relation and every printed figure."""
        if np.any(values < self._low) or np.any(values > self._high):
            return False
        totals = self._dense @ values + self._known_part
        equal, at_most = totals[: self.equal_rows], totals[self.equal_rows:]
        return bool(np.all(equal == 0) and np.all(at_most <= 0))

    def _integer_optimum(self, j: int, maximise: bool, target: int | None = None) -> int | None:
        """The integer program (rarely needed): the whole-number optimum of column j, or with a
        `target`, whether one at least as good exists (None when not)."""
        lp = self.solver.getLp()
        lower, upper = np.array(lp.col_lower_, dtype=float), np.array(lp.col_upper_, dtype=float)
        if target is not None and maximise:
            lower[j] = max(lower[j], float(target))
        elif target is not None:
            upper[j] = min(upper[j], float(target))
        lp.col_lower_, lp.col_upper_ = lower, upper
        lp.integrality_ = [highspy.HighsVarType.kInteger] * len(self.members)
        exact = _new_highs()
        exact.passModel(lp)
        exact.run()
        if exact.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        solution = np.array(exact.getSolution().col_value)
        if not self._is_witness(solution):
            return None
        return int(round(solution[j]))  # noqa: RUF046 - round() of a NumPy number need not give an int


def reference_status(model: Model) -> list[Status]:
    """The least any report can say under these printing rules: zeros shown, small counts `<5`,
    every other figure withheld."""
    status = model.first_status()
    return [s if s is not Status.SHOWN or q.value == 0 else Status.WITHHELD
            for s, q in zip(status, model.quantities, strict=True)]


def unavoidable_ranges(model: Model) -> dict[int, tuple[int, int]]:
    """For every small count not printed: the whole-number range the `<5` marks and the zeros alone
    leave open. No publication can do better; a good one does no worse.

    Worked out first with the headline totals known (small, independent parts: quick); only the
    counts that this leaves narrower than their marks allow are worked out again over the whole
    model with everything withheld (one large program)."""
    status = reference_status(model)
    quick = [Status.SHOWN if s is Status.WITHHELD and q.role is Role.TOTAL else s
             for s, q in zip(status, model.quantities, strict=True)]
    found = _ranges(model, quick, None)
    narrow = {q for q, r in found.items() if r != (int(reader_bounds(1, status[q])[0]), SMALL_MAX)}
    if narrow:
        found |= _ranges(model, status, narrow)
    return found


def _ranges(model: Model, status: list[Status], only: set[int] | None) -> dict[int, tuple[int, int]]:
    sensitive = set(model.sensitive(status)) if only is None else only
    found: dict[int, tuple[int, int]] = {}
    free = [q.index for q in model.quantities if status[q.index] is not Status.SHOWN]
    for part in components(model, free):
        mine = [q for q in part if q in sensitive]
        if mine:
            feasible = Feasibility(model, part, status)
            found |= {q: (feasible.extreme(q, maximise=False), feasible.extreme(q, maximise=True)) for q in mine}
    return found
