"""Choosing what to withhold: primary suppression of 1 to 4, then complementary (secondary) cells.

1. Primary: every small count (1 to 4) is printed as `<5`; hidden counts are never printed.
2. Exact protection (after Statistics Norway's GaussSuppression): the report's figures are taken
   in order of how much the report needs them (headline totals first, then row and column totals,
   then cells: large ones, then 5 to 8, then 9 to 999 last) and each is published unless, together
   with those already published, it would let a reader compute a protected count exactly (linear
   algebra over the relations: the count's vector falls in the span of the published ones).
3. Interval protection (as tau-Argus' protection levels): a count the reader knows to be 1 to 4
   must stay possible as 1 and as 4 (a `[c]` is known to be 5 or more, so a complement of 6 next
   to a `<5` in a row of 7 would give it away as 1). While some count can be narrowed, the shortest
   prefix of that publication order that narrows it is found by bisection and its last figure is
   withheld too (after GaussSuppression's FixRiskyIntervals).
4. Recoding: where even withholding every other figure leaves a count narrower than 1 to 4 (the
   `<5` marks narrow each other: four quarters each `<5` under a year of `<5`), `<5` marks near it
   are printed as `–` instead (the fewest, least needed first) until the rule holds.
5. Headline totals are withheld only when a part cannot be protected otherwise; then the parts that
   share the total are protected together.

The rule enforced is model.PROTECTED_RANGE: every count of 1 to 4 not printed must stay possible as
1 and as 4.

Withholding a figure only ever widens what the reader can tell, so each step keeps what the
previous ones achieved.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from app.reports.disclosure.model import PROTECTED_RANGE, WITHHELD_MIN, Model, Role, Status, is_small
from app.reports.disclosure.solver import Feasibility, components

_EPS = 1e-9


def protect(model: Model, exact: bool = False) -> list[Status]:
    """The status of every quantity of `model`: what is printed, `<5`, `[c]` or hidden. `exact`:
    search with whole-number witnesses (slower; needed only when the quick search left the audit
    unsatisfied)."""
    status = model.first_status()
    uncut: set[int] = set()
    while True:
        failing: list[list[int]] = []
        for part in _parts(model, status, uncut):
            if any(is_small(model.quantities[q].value) and status[q] is not Status.SHOWN for q in part):
                _exact(model, part, status)
                if not _intervals(model, part, status, exact):
                    failing.append(part)
        if not failing:
            return status
        border = _bordering_totals(model, failing, status) - uncut
        if not border:
            raise RuntimeError("no complementary suppression protects these figures")  # never seen
        uncut |= border


def _parts(model: Model, status: Sequence[Status], uncut: set[int]) -> list[list[int]]:
    """Groups of quantities joined by relations, cut at shown headline totals (known to all)."""
    cut = {q.index for q in model.quantities
           if q.role is Role.TOTAL and status[q.index] is Status.SHOWN and q.index not in uncut}
    return components(model, (q.index for q in model.quantities if q.index not in cut))


def _bordering_totals(model: Model, parts: list[list[int]], status: Sequence[Status]) -> set[int]:
    inside = {q for part in parts for q in part}
    found: set[int] = set()
    for row in (*model.equalities, *model.inequalities):
        if inside & row.keys():
            found |= {i for i in row if i not in inside and status[i] is Status.SHOWN
                      and model.quantities[i].role is Role.TOTAL}
    return found


def publication_order(model: Model, part: Sequence[int], status: Sequence[Status]) -> list[int]:
    """The shown, non-zero figures of `part`, most needed first (see the module's point 2)."""
    def need(q: int) -> tuple[int, int, int]:
        quantity = model.quantities[q]
        v = quantity.value
        band = 2 if v >= 1000 else 1 if v < 2 * WITHHELD_MIN - 1 else 0  # 5-8 are poor complements
        return (int(quantity.role), band, v)

    shown = [q for q in part if status[q] is Status.SHOWN and model.quantities[q].value > 0]
    return sorted(shown, key=need, reverse=True)


# -- exact protection ----------------------------------------------------------------------------

def _exact(model: Model, part: list[int], status: list[Status]) -> None:
    column = {q: j for j, q in enumerate(part)}
    rows = [r for r in model.equalities if any(i in column for i in r)]
    space = np.eye(len(part))  # quantity q is the unit vector e_q; the relations span what is implied
    basis = _Basis(len(part))
    basis.span(_relation_matrix(rows, column, len(part)))
    protected = [q for q in part if is_small(model.quantities[q].value) and status[q] is not Status.SHOWN]
    for q in part:  # zeros are always printed: they come first
        if status[q] is Status.SHOWN and model.quantities[q].value == 0:
            basis.extend(space[column[q]])
    residual = np.array([basis.residual(space[column[s]]) for s in protected]).reshape(len(protected), -1)
    scale = np.ones(len(protected))
    for q in publication_order(model, part, status):
        r = basis.residual(space[column[q]])
        norm = float(np.linalg.norm(r))
        if norm < _EPS:
            continue  # already implied by what is published: publishing it tells nothing new
        u = r / norm
        after = residual - np.outer(residual @ u, u)
        if protected and bool(np.any(np.linalg.norm(after, axis=1) < _EPS * scale)):
            status[q] = Status.WITHHELD
            continue
        basis.append(u)
        residual = after


class _Basis:
    """An orthonormal basis of the published figures' span (rows of a matrix)."""

    def __init__(self, dimension: int) -> None:
        self.rows = np.zeros((0, dimension))

    def residual(self, v: np.ndarray) -> np.ndarray:
        r = v.copy()
        for _ in range(2):  # twice: Gram-Schmidt keeps its precision
            r -= self.rows.T @ (self.rows @ r)
        return r

    def span(self, matrix: np.ndarray) -> None:
        """Add the span of `matrix`'s rows (the relations: a combination of them is known to be 0)."""
        if matrix.size == 0:
            return
        q, r = np.linalg.qr(matrix.T)
        diagonal = np.abs(np.diag(r))
        keep = diagonal > _EPS * max(1.0, float(diagonal.max(initial=0.0)))
        for u in q[:, keep].T:
            self.extend(u)

    def append(self, u: np.ndarray) -> None:
        self.rows = np.vstack([self.rows, u])

    def extend(self, v: np.ndarray) -> None:
        r = self.residual(v)
        norm = float(np.linalg.norm(r))
        if norm > _EPS:
            self.append(r / norm)


def _relation_matrix(rows: list[dict[int, int]], column: dict[int, int], n: int) -> np.ndarray:
    """The part's equalities as a matrix (quantities outside the part are known: dropped)."""
    matrix = np.zeros((len(rows), n))
    for r, row in enumerate(rows):
        for i, c in row.items():
            if i in column:
                matrix[r, column[i]] = c
    return matrix


# -- interval protection -------------------------------------------------------------------------

def _intervals(model: Model, part: list[int], status: list[Status], exact: bool = False) -> bool:
    """Withhold more of `part` until no protected count can be narrowed; False if it cannot be done.

    Each count still narrowed is first widened locally: the figures sharing a relation with it are
    tried from the least needed, and the first whose withholding protects it is withheld. When no
    single one does, the shortest prefix of the publication order that narrows it is found by
    bisection and its last figure withheld (as FixRiskyIntervals does). When not even withholding
    everything protects it, `<5` marks of the part are recoded as `–` (see `_recode`)."""
    feasible = Feasibility(model, part, status, exact)
    target = PROTECTED_RANGE
    protected = [q for q in part if is_small(model.quantities[q].value) and status[q] is not Status.SHOWN]
    order = publication_order(model, part, status)
    for s in protected:
        recoded = False
        while not feasible.range_of(s, *target).protected:
            if _widen_locally(model, feasible, s, order, target):
                continue
            if _widen_by_bisection(feasible, s, order, target):
                continue
            if recoded or not _recode(model, feasible, s, order):
                return False
            recoded = True
    for q in part:
        status[q] = feasible.status[q]
    return True


def _recode(model: Model, feasible: Feasibility, s: int, order: list[int]) -> bool:
    """Print as `–` (hidden) the fewest `<5` marks of the part that let `s` be 1 and 4 again once
    everything else is withheld; the figures withheld for the test are shown again (the caller's
    loop withholds what is still needed). False when no recoding protects `s`."""
    marks = [q for q in feasible.members if q != s and feasible.status[q] is Status.SMALL]
    shown = [q for q in order if feasible.status[q] is Status.SHOWN]
    for q in shown:
        feasible.set_status(q, Status.WITHHELD)
    for q in marks:
        feasible.set_status(q, Status.HIDDEN)
    if not feasible.range_of(s, *PROTECTED_RANGE).protected:
        for q in marks:
            feasible.set_status(q, Status.SMALL)
        for q in shown:
            feasible.set_status(q, Status.SHOWN)
        return False
    need = {q: (int(model.quantities[q].role), -model.quantities[q].value) for q in marks}
    for q in sorted(marks, key=lambda m: need[m], reverse=True):  # most needed printed again first
        feasible.set_status(q, Status.SMALL)
        if not feasible.range_of(s, *PROTECTED_RANGE).protected:
            feasible.set_status(q, Status.HIDDEN)
    for q in shown:
        feasible.set_status(q, Status.SHOWN)
    return True


def _neighbours(model: Model, s: int, members: set[int]) -> set[int]:
    found: set[int] = set()
    for row in (*model.equalities, *model.inequalities):
        if s in row:
            found |= members & row.keys()
    return found - {s}


def _widen_locally(model: Model, feasible: Feasibility, s: int, order: list[int], target: tuple[int, int]) -> bool:
    near = _neighbours(model, s, set(feasible.members))
    for q in reversed(order):  # least needed first
        if q in near and feasible.status[q] is Status.SHOWN:
            feasible.set_status(q, Status.WITHHELD)
            if feasible.range_of(s, *target).protected:
                return True
            feasible.set_status(q, Status.SHOWN)
    return False


def _widen_by_bisection(feasible: Feasibility, s: int, order: list[int], target: tuple[int, int]) -> bool:
    shown = [q for q in order if feasible.status[q] is Status.SHOWN]

    def risky(k: int) -> bool:
        for j, q in enumerate(shown):
            wanted = Status.SHOWN if j < k else Status.WITHHELD
            if feasible.status[q] is not wanted:
                feasible.set_status(q, wanted)
        return not feasible.range_of(s, *target).protected

    if risky(0):
        for q in shown:
            feasible.set_status(q, Status.SHOWN)
        return False
    low, high = 0, len(shown)  # risky(low) is False, risky(high) is True
    while high - low > 1:
        middle = (low + high) // 2
        if risky(middle):
            high = middle
        else:
            low = middle
    for j, q in enumerate(shown):
        feasible.set_status(q, Status.SHOWN if j != high - 1 else Status.WITHHELD)
    return True
