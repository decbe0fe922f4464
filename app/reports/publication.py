"""A protected publication: the figures of a model with the status each is printed with, and the
audit's verdict. Writers print counts only through it (`text`, `shown`, `rate`), by key: a count
that is not in the model cannot be printed, so every table, chart and sentence is inside what the
audit checked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.reports.disclosure.audit import Verdict, audit, require_safe
from app.reports.disclosure.model import Key, Model, Status
from app.reports.disclosure.solver import unavoidable_ranges
from app.reports.disclosure.suppress import protect
from app.reports.marks import MARKS_NOTE, NOT_SHOWN, SMALL_MARK, WITHHELD_MARK  # re-exported

__all__ = ["MARKS_NOTE", "NOT_SHOWN", "SMALL_MARK", "WITHHELD_MARK", "Publication", "audited", "publish"]


@dataclass(frozen=True)
class Publication:
    model: Model
    status: Sequence[Status]
    verdict: Verdict

    @classmethod
    def of(cls, model: Model, what: str) -> Publication:
        """Suppress (primary and complementary), audit, and refuse if the audit fails."""
        targets = unavoidable_ranges(model)
        status = protect(model, targets)
        verdict = audit(model, status, targets)
        if not verdict.passed:  # the quick search trusted a linear optimum that is not whole: search exactly
            status = protect(model, targets, exact=True)
            verdict = audit(model, status, targets)
        require_safe(verdict, what)
        return cls(model, tuple(status), verdict)

    def status_of(self, key: Key) -> Status:
        return self.status[self.model.index(key)]

    def shown(self, key: Key) -> int | None:
        """The count when it is printed as a number, else None."""
        i = self.model.index(key)
        return self.model.quantities[i].value if self.status[i] is Status.SHOWN else None

    def text(self, key: Key) -> str:
        """The count as printed: `1,234`, `<5` or `[c]`."""
        i = self.model.index(key)
        status = self.status[i]
        if status is Status.HIDDEN:
            return NOT_SHOWN
        if status is Status.SMALL:
            return SMALL_MARK
        if status is Status.WITHHELD:
            return WITHHELD_MARK
        return f"{self.model.quantities[i].value:,}"

    def rate_value(self, part: Key, whole: Key) -> float | None:
        """part / whole x 100 when both are printed (a rate of printed counts tells nothing more)."""
        p, w = self.shown(part), self.shown(whole)
        if p is None or not w:
            return None
        return p * 100 / w

    def rate(self, part: Key, whole: Key, places: int = 1) -> str:
        value = self.rate_value(part, whole)
        return NOT_SHOWN if value is None else f"{value:.{places}f}%"

    def withheld(self) -> list[str]:
        """What was withheld as [c], in words (for the method page)."""
        return [q.label for q in self.model.quantities if self.status[q.index] is Status.WITHHELD]

    def counts(self) -> dict[Status, int]:
        return {s: sum(1 for x in self.status if x is s) for s in Status}


def publish(model: Model, what: str) -> Publication:
    return Publication.of(model, what)


def audited(model: Model, status: Sequence[Status]) -> Verdict:
    """Audit a given status (for tests and for checking a publication made elsewhere)."""
    return audit(model, status)
