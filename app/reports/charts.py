"""Chart definitions as data, shared by the annual report and the window's dashboard.

A `ChartSpec` says what to draw (title, categories, series with values and value labels) and
nothing about how; `app.reports.chart_drawing.render` draws one with ReportLab for the PDF, and
the desktop dashboard draws the same spec with Qt (app.ui.charts), without importing ReportLab.

Charts are built from published figures (app.reports.figures.PublishedFigures) only: each bar is a
figure of the audited publication, drawn when it is printed as a number; a `<5` or `[c]` has no bar
and its mark as its label. So a chart says nothing its table does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from app.reports.breakdowns import DURATION_BANDS
from app.reports.counting import BUCKET_LABELS, BUCKETS
from app.reports.marks import NOT_SHOWN, SMALL_MARK, WITHHELD_MARK

if TYPE_CHECKING:  # the figures load the disclosure engine (numpy, HiGHS): the window's charts need only specs
    from app.reports.figures import PublishedFigures


def key(name: str, year: str, *rest: object) -> tuple[object, ...]:
    return (name, year, *rest)


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


def _series(figures: PublishedFigures, year: str, keys: Sequence[tuple[object, ...]]) -> Series:
    pub = figures.pub
    return Series(year, tuple(pub.shown(k) for k in keys), tuple(pub.text(k) for k in keys))


_NOTE = (f"Bars for printed counts only. {SMALL_MARK}: 1 to 4; {WITHHELD_MARK}: withheld (5 or more); "
         f"{NOT_SHOWN}: not shown.")


def outcomes_chart(figures: PublishedFigures) -> ChartSpec:
    return ChartSpec(
        key="outcomes",
        title="Individuals by outcome",
        kind=ChartKind.BARS,
        categories=tuple(BUCKET_LABELS[b] for b in BUCKETS),
        series=tuple(_series(figures, y, [key("outcome_individuals", y, b.value) for b in BUCKETS])
                     for y in figures.years),
        value_axis="Individuals",
        note="An individual can have several outcomes. " + _NOTE,
    )


def quarters_chart(figures: PublishedFigures) -> ChartSpec:
    labels = figures.quarter_labels(figures.year)
    years = [y for y in figures.years if len(figures.quarter_labels(y)) == len(labels)]
    return ChartSpec(
        key="quarters",
        title="Allegations recorded by quarter",
        kind=ChartKind.COLUMNS,
        categories=tuple(label.split(" ")[0] for label in labels),
        series=tuple(_series(figures, y, [key("quarter", y, q) for q in figures.quarter_labels(y)])
                     for y in years),
        value_axis="Allegations",
        note=_NOTE,
    )


COMPLIANCE = (
    ("Restriction decisions", "decisions_on_time", "decisions_due"),
    ("Restriction reviews", "reviews_on_time", "reviews_due"),
    ("Mandatory IOPC referrals", "mandatory_on_time", "mandatory"),
)
"""The deadlines the report follows: (name, on time, due)."""


def compliance_chart(figures: PublishedFigures) -> ChartSpec:
    """Percentage of restriction decisions, reviews and mandatory referrals made by their deadline."""

    def rates(year: str) -> Series:
        values = tuple(figures.rate_value(part, whole, year) for _, part, whole in COMPLIANCE)
        return Series(year, values, tuple(figures.rate(part, whole, year) for _, part, whole in COMPLIANCE))

    return ChartSpec(
        key="compliance",
        title="Deadlines met",
        kind=ChartKind.BARS,
        categories=tuple(name for name, _, _ in COMPLIANCE),
        series=tuple(rates(y) for y in figures.years),
        value_axis="% on time",
        note=f"{NOT_SHOWN}: not shown because a count behind it is not printed, or nothing was due.",
    )


def time_to_outcome_chart(figures: PublishedFigures) -> ChartSpec:
    bands = [label for label, _, _ in DURATION_BANDS]
    return ChartSpec(
        key="time_to_outcome",
        title="Time from receipt to outcome",
        kind=ChartKind.COLUMNS,
        categories=tuple(bands),
        series=tuple(_series(figures, y, [key("band", y, b) for b in bands]) for y in figures.years),
        value_axis="Allegations with an outcome",
        note=_NOTE,
    )


def all_charts(figures: PublishedFigures) -> tuple[ChartSpec, ...]:
    """The four charts of the annual report and the dashboard, in order."""
    return (outcomes_chart(figures), quarters_chart(figures), compliance_chart(figures),
            time_to_outcome_chart(figures))
