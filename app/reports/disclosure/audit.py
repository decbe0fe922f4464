"""The disclosure audit: run on every published report before it is written; refuses one that
would let a reader recover a count of 1 to 4.

It trusts nothing the suppression decided: it takes the model (every printed figure and the
relations between them) and the status of each figure as it will be printed, checks that the
printing rules hold (no small count printed, no `[c]` on a 0 or a small count) and then, for every
small count not printed (`<5` and hidden ones), proves with whole-number witnesses that it could be
1 and could be 4 given everything printed (app.reports.disclosure.solver). The range it asks for is
always the whole of 1 to 4 (model.PROTECTED_RANGE): a count the `<5` marks around it already narrow
(to 3 or 4, say) is a disclosure too, and is refused.

Messages never state a protected count's value: the person reading a refusal is the reader the
report protects against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.errors import RuleRefused
from app.reports.disclosure.model import PROTECTED_RANGE, WITHHELD_MIN, Model, Status, is_small
from app.reports.disclosure.solver import Feasibility, Range, components


class DisclosureRefused(RuleRefused):
    """A report would disclose a small count; nothing was written."""


@dataclass(frozen=True)
class Finding:
    label: str
    problem: str

    def __str__(self) -> str:
        return f"{self.label}: {self.problem}"


@dataclass(frozen=True)
class Verdict:
    """What the audit checked and found (shown on the report's method page)."""

    figures: int
    shown: int
    small: int
    withheld: int
    hidden: int
    checked: int
    parts: int
    findings: tuple[Finding, ...]

    @property
    def passed(self) -> bool:
        return not self.findings

    def summary(self) -> str:
        if not self.passed:
            return f"Failed: {len(self.findings)} figure(s) could be worked out."
        return (
            f"Passed. {self.figures:,} figures checked ({self.shown:,} printed, {self.small:,} shown as <5, "
            f"{self.withheld:,} withheld as [c], {self.hidden:,} counts implied but not printed). For each "
            f"of the {self.checked:,} counts from 1 to 4 that are not printed, whole-number solutions of every "
            "relation between the printed figures were found in which it is 1 and in which it is 4, so "
            "nothing printed, the <5 marks included, narrows it below the whole range 1 to 4 "
            f"({self.parts:,} independent groups of linked figures)."
        )


def audit(model: Model, status: Sequence[Status]) -> Verdict:
    """Check the report described by `model` as printed with `status`."""
    model.check()
    findings = [*_printing_rules(model, status)]
    sensitive = set(model.sensitive(list(status))) if not findings else set()  # broken rules: the marks mislead
    free = [q.index for q in model.quantities if status[q.index] is not Status.SHOWN]
    parts = [p for p in components(model, free) if sensitive & set(p)]
    for part in parts:
        feasible = Feasibility(model, part, status)
        for q in part:
            if q in sensitive:
                found = _finding(model, feasible, feasible.range_of(q, *PROTECTED_RANGE))
                if found is not None:
                    findings.append(found)
    count = {s: sum(1 for x in status if x is s) for s in Status}
    return Verdict(
        figures=len(status), shown=count[Status.SHOWN], small=count[Status.SMALL],
        withheld=count[Status.WITHHELD], hidden=count[Status.HIDDEN], checked=len(sensitive),
        parts=len(parts), findings=tuple(findings),
    )


def _printing_rules(model: Model, status: Sequence[Status]) -> list[Finding]:
    found = []
    for q in model.quantities:
        s = status[q.index]
        if s is Status.SHOWN and is_small(q.value):
            found.append(Finding(q.label, "a count from 1 to 4 is printed"))
        elif s is Status.SMALL and not is_small(q.value):
            found.append(Finding(q.label, "shown as <5 but it is not a count from 1 to 4"))
        elif s is Status.WITHHELD and q.value < WITHHELD_MIN:
            found.append(Finding(q.label, "withheld as [c], which readers take to mean 5 or more"))
    return found


def _finding(model: Model, feasible: Feasibility, r: Range) -> Finding | None:
    if r.protected:
        return None
    label = model.quantities[r.index].label
    if feasible.extreme(r.index, maximise=False) == feasible.extreme(r.index, maximise=True):
        return Finding(label, "could be worked out exactly from the other figures")
    return Finding(label, "could be narrowed down further than its \"<5\" allows")


def require_safe(verdict: Verdict, what: str) -> None:
    """Refuse (nothing written) unless the audit passed."""
    if verdict.passed:
        return
    listed = "; ".join(str(f) for f in verdict.findings[:5])
    more = f" (and {len(verdict.findings) - 5} more)" if len(verdict.findings) > 5 else ""
    raise DisclosureRefused(
        f"The {what} was not written: the disclosure check found figures a reader could work out: "
        f"{listed}{more}. Report this as a fault; no file was written."
    )
