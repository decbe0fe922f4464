"""Drawing a `ChartSpec` with ReportLab, for the annual report's PDF (kept apart from the chart
definitions so that the window, which draws the same specs with Qt, never imports ReportLab)."""

from __future__ import annotations

from reportlab.graphics.charts.barcharts import BarChart, HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors

from app.reports.charts import ChartKind, ChartSpec

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
