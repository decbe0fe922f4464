"""Chart definitions as data, and their drawing for the annual report.

A `ChartSpec` says what to draw (title, categories, series with values and value labels) and
nothing about how; `render` draws one with ReportLab for the PDF, and the desktop dashboard can
draw the same spec with its own toolkit. Builders take `suppress=True` for published output:
counts of 1 to 4 become a None value (no bar) labelled "<5".
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

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


# --- drawing with ReportLab -------------------------------------------------------------------

PALETTE = (
    colors.HexColor("#1F3A5F"),
    colors.HexColor("#9AA5B1"),
    colors.HexColor("#3A7CA5"),
    colors.HexColor("#C9D3DD"),
)
INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#5F6B76")
FONT, BOLD = "Helvetica", "Helvetica-Bold"


def render(spec: ChartSpec, width: float, height: float) -> Drawing:
    """Draw `spec` as a ReportLab drawing `width` x `height` points (legend at the top)."""
    drawing = Drawing(width, height)
    legend_height = 16 if len(spec.series) > 1 else 0
    chart = _chart(spec)
    margin_left = 120 if spec.kind is ChartKind.BARS else 36
    chart.x, chart.y = margin_left, 30
    chart.width = width - margin_left - 34
    chart.height = height - chart.y - 10 - legend_height
    drawing.add(chart)
    if legend_height:
        _legend(drawing, spec, y=height - 10)
    drawing.add(
        String(width - 34, 6, spec.value_axis, fontName=FONT, fontSize=7, fillColor=MUTED, textAnchor="end")
    )
    return drawing


def _chart(spec: ChartSpec) -> BarChart:
    chart: BarChart = HorizontalBarChart() if spec.kind is ChartKind.BARS else VerticalBarChart()
    ordered = list(enumerate(spec.series))
    if spec.kind is ChartKind.BARS:
        ordered.reverse()  # ReportLab stacks a group's bars bottom-up; keep the legend's order top-down
    chart.data = [[0 if v is None else v for v in s.values] for _, s in ordered]  # None: label only
    chart.categoryAxis.categoryNames = list(spec.categories)
    if spec.kind is ChartKind.BARS:
        chart.categoryAxis.reverseDirection = True
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
    else:
        chart.categoryAxis.labels.boxAnchor = "n"
        chart.categoryAxis.labels.dy = -4
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName, axis.labels.fontSize, axis.labels.fillColor = FONT, 7.5, INK
        axis.strokeColor = colors.HexColor("#B8C0C8")
    chart.categoryAxis.tickShift = 0
    chart.categoryAxis.visibleTicks = False
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E3E7EB")
    chart.valueAxis.gridStrokeWidth = 0.5
    chart.valueAxis.visibleAxis = False
    chart.valueAxis.labelTextFormat = "{:,.0f}".format
    top = max((v for s in spec.series for v in s.values if v is not None), default=0)
    chart.valueAxis.valueMax = 100 if spec.value_axis.startswith("%") else _nice_max(top)
    chart.valueAxis.valueStep = chart.valueAxis.valueMax / 4
    chart.barSpacing = 1
    chart.groupSpacing = 6 if len(spec.series) > 1 else 8
    chart.barWidth = 10
    for position, (i, _) in enumerate(ordered):
        chart.bars[position].fillColor = PALETTE[i % len(PALETTE)]
        chart.bars[position].strokeColor = None
    chart.barLabelFormat = "values"  # take each label from barLabelArray
    chart.barLabelArray = [list(s.labels) for _, s in ordered]
    chart.barLabels.fontName, chart.barLabels.fontSize, chart.barLabels.fillColor = FONT, 6.5, INK
    if spec.kind is ChartKind.BARS:
        chart.barLabels.boxAnchor, chart.barLabels.dx = "w", 3
    else:
        chart.barLabels.boxAnchor, chart.barLabels.dy = "s", 2
    return chart


def _nice_max(value: float) -> float:
    """A round axis maximum a little above `value`, divisible into 4 round steps."""
    if value <= 0:
        return 4
    for step in (
        1,
        2,
        5,
        10,
        20,
        25,
        50,
        100,
        200,
        250,
        500,
        1000,
        2000,
        2500,
        5000,
        10000,
        20000,
        25000,
        50000,
    ):
        if value * 1.12 <= step * 4:
            return step * 4
    return float(int(value * 1.12 / 4 / 100000 + 1) * 100000 * 4)


def _legend(drawing: Drawing, spec: ChartSpec, y: float) -> None:
    x = 40.0
    for i, s in enumerate(spec.series):
        drawing.add(Rect(x, y - 7, 8, 8, fillColor=PALETTE[i % len(PALETTE)], strokeColor=None))
        drawing.add(String(x + 11, y - 6, s.name, fontName=FONT, fontSize=7.5, fillColor=INK))
        x += 24 + len(s.name) * 4.2
