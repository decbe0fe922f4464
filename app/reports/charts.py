"""Chart definitions as data, shared by the annual report and the window's dashboard.

A `ChartSpec` says what to draw (title, categories, series with values and value labels) and
nothing about how; `app.reports.chart_drawing.render` draws one with ReportLab for the PDF, and
the desktop dashboard draws the same spec with Qt (app.ui.charts), without importing ReportLab. Builders take `suppress=True` for published output:
counts of 1 to 4 become a None value (no bar) labelled "<5".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from app.reports.breakdowns import DURATION_BANDS, OutcomeBreakdowns
from app.reports.counting import BUCKET_LABELS, BUCKETS
from app.reports.suppression import SUPPRESSED, WITHHELD, chart_value, show_count, show_rate


class ChartKind(StrEnum):
    COLUMNS = "COLUMNS"
    """Vertical bars, categories along the bottom."""
    BARS = "BARS"
    """Horizontal bars, categories down the side (for long category names)."""


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[float | None, ...]
    """None: nothing to draw (suppressed or not available); the label still says why."""
    labels: tuple[str, ...]


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    kind: ChartKind
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    value_axis: str
    note: str = ""

    def __post_init__(self) -> None:
        for s in self.series:
            if len(s.values) != len(self.categories) or len(s.labels) != len(self.categories):
                raise ValueError(f"series {s.name!r} does not have one value per category")


def series(name: str, counts: Sequence[int], suppress: bool) -> Series:
    if suppress:
        return Series(name, tuple(chart_value(c) for c in counts), tuple(show_count(c) for c in counts))
    return Series(name, tuple(counts), tuple(f"{c:,}" for c in counts))


_SUPPRESSION_NOTE = f"Counts of 1 to 4 are shown as {SUPPRESSED} with no bar."


def _pair(
    current: OutcomeBreakdowns,
    previous: OutcomeBreakdowns | None,
    counts: Callable[[OutcomeBreakdowns], Sequence[int]],
    suppress: bool,
) -> tuple[Series, ...]:
    made = [series(current.period.label, counts(current), suppress)]
    if previous is not None and previous.counted:
        made.append(series(previous.period.label, counts(previous), suppress))
    return tuple(made)


def outcomes_chart(
    current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None = None, suppress: bool = True
) -> ChartSpec:
    return ChartSpec(
        key="outcomes",
        title="Individuals by outcome",
        kind=ChartKind.BARS,
        categories=tuple(BUCKET_LABELS[b] for b in BUCKETS),
        series=_pair(current, previous, lambda d: d.individuals_by_outcome, suppress),
        value_axis="Individuals",
        note="An individual can have several outcomes. " + (_SUPPRESSION_NOTE if suppress else ""),
    )


def quarters_chart(
    current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None = None, suppress: bool = True
) -> ChartSpec:
    def counts(d: OutcomeBreakdowns) -> list[int]:
        return [r.allegations for r in d.breakdown("quarter").rows]

    labels = tuple(r.label.split(" ")[0] for r in current.breakdown("quarter").rows)
    if previous is not None and len(previous.breakdown("quarter").rows) != len(labels):
        previous = None
    return ChartSpec(
        key="quarters",
        title="Allegations recorded by quarter",
        kind=ChartKind.COLUMNS,
        categories=labels,
        series=_pair(current, previous, counts, suppress),
        value_axis="Allegations",
        note=_SUPPRESSION_NOTE if suppress else "",
    )


def compliance_chart(
    current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None = None, suppress: bool = True
) -> ChartSpec:
    """Percentage of restriction decisions, reviews and mandatory referrals made by their deadline."""

    def rates(d: OutcomeBreakdowns) -> Series:
        r, i = d.restrictions, d.referrals
        pairs = [(r.decided_on_time, r.decisions_due), (r.reviews_on_time, r.reviews_due),
                 (i.mandatory_referred_on_time, i.mandatory)]  # fmt: skip
        shown = [show_rate(part, whole) if suppress else _plain_rate(part, whole) for part, whole in pairs]
        values = tuple(float(t[:-1]) if t.endswith("%") else None for t in shown)
        return Series(d.period.label, values, tuple(shown))

    made = [rates(current)]
    if previous is not None and previous.counted:
        made.append(rates(previous))
    return ChartSpec(
        key="compliance",
        title="Deadlines met",
        kind=ChartKind.BARS,
        categories=("Restriction decisions", "Restriction reviews", "Mandatory IOPC referrals"),
        series=tuple(made),
        value_axis="% on time",
        note=f"{WITHHELD}: not shown because a count behind it is fewer than 5, or nothing was due."
        if suppress
        else "",
    )


def _plain_rate(part: int, whole: int) -> str:
    return f"{part * 100 / whole:.1f}%" if whole else WITHHELD


def time_to_outcome_chart(
    current: OutcomeBreakdowns, previous: OutcomeBreakdowns | None = None, suppress: bool = True
) -> ChartSpec:
    return ChartSpec(
        key="time_to_outcome",
        title="Time from receipt to outcome",
        kind=ChartKind.COLUMNS,
        categories=tuple(label for label, _, _ in DURATION_BANDS),
        series=_pair(current, previous, lambda d: [n for _, n in d.time_to_outcome.bands], suppress),
        value_axis="Allegations with an outcome",
        note=_SUPPRESSION_NOTE if suppress else "",
    )
