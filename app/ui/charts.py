"""Drawing app.reports.charts ChartSpecs with QPainter, for the Reports dashboard: the same chart
definitions the annual PDF draws with ReportLab (PySide6-Essentials has no QtCharts). A value of
None draws no bar; its label (e.g. "<5") is still written."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.reports.charts import ChartKind, ChartSpec

PALETTE = (QColor("#1F3A5F"), QColor("#9AA5B1"), QColor("#3A7CA5"), QColor("#C9D3DD"))
INK = QColor("#222222")
MUTED = QColor("#5F6B76")
GRID = QColor("#E3E7EB")


def _maximum(spec: ChartSpec) -> float:
    top = max((v for s in spec.series for v in s.values if v is not None), default=0.0)
    if spec.value_axis.startswith("%"):
        return 100.0
    return max(1.0, float(top)) * 1.15


class ChartWidget(QWidget):
    """One chart: title, legend, bars with value labels, the note below."""

    def __init__(self, spec: ChartSpec | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("chart")
        self.spec = spec
        self.setMinimumSize(200, 160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._describe()

    def set_spec(self, spec: ChartSpec | None) -> None:
        self.spec = spec
        self._describe()
        self.update()

    def _describe(self) -> None:
        """The chart's figures as text, for screen readers and tooltips."""
        if self.spec is None:
            self.setAccessibleName("Chart")
            return
        s = self.spec
        parts = [f"{c}: " + ", ".join(f"{x.name} {x.labels[i]}" for x in s.series) for i, c in enumerate(s.categories)]
        self.setAccessibleName(s.title)
        self.setAccessibleDescription("; ".join(parts))
        self.setToolTip(f"<b>{s.title}</b><br>" + "<br>".join(parts))

    def sizeHint(self) -> QSize:
        return QSize(420, 260)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if self.spec is not None:
            self._paint(painter, QRectF(self.rect()).adjusted(10, 8, -10, -6))
        painter.end()

    # -- drawing ----------------------------------------------------------------------------
    def _paint(self, p: QPainter, area: QRectF) -> None:
        spec = self.spec
        assert spec is not None
        title = QFont(self.font())
        title.setBold(True)
        p.setFont(title)
        p.setPen(INK)
        line = QFontMetrics(title).height()
        p.drawText(QRectF(area.left(), area.top(), area.width(), line), Qt.AlignmentFlag.AlignLeft, spec.title)
        top = area.top() + line + 4
        small = QFont(self.font())
        small.setPointSizeF(max(7.5, self.font().pointSizeF() - 1.5))
        p.setFont(small)
        fm = QFontMetrics(small)
        if len(spec.series) > 1:
            x = area.left()
            for i, s in enumerate(spec.series):
                p.fillRect(QRectF(x, top + 3, 10, 10), PALETTE[i % len(PALETTE)])
                p.setPen(INK)
                p.drawText(QRectF(x + 14, top, 200, fm.height()), Qt.AlignmentFlag.AlignLeft, s.name)
                x += 24 + fm.horizontalAdvance(s.name)
            top += fm.height() + 4
        bottom = area.bottom()
        if spec.note:
            note_rect = fm.boundingRect(QRectF(area.left(), 0, area.width(), 200).toRect(),
                                        int(Qt.TextFlag.TextWordWrap), spec.note)
            bottom -= note_rect.height() + 2
            p.setPen(MUTED)
            p.drawText(QRectF(area.left(), bottom + 2, area.width(), note_rect.height()),
                       int(Qt.TextFlag.TextWordWrap), spec.note)
        plot = QRectF(area.left(), top, area.width(), bottom - top - fm.height() - 2)
        p.setPen(MUTED)
        p.drawText(QRectF(area.left(), plot.bottom() + 2, area.width(), fm.height()),
                   Qt.AlignmentFlag.AlignRight, spec.value_axis)
        if spec.kind is ChartKind.BARS:
            self._bars(p, plot, fm)
        else:
            self._columns(p, plot, fm)

    def _bars(self, p: QPainter, plot: QRectF, fm: QFontMetrics) -> None:
        spec = self.spec
        assert spec is not None
        label_w = min(plot.width() * 0.42, max(fm.horizontalAdvance(c) for c in spec.categories) + 8)
        value_w = max(fm.horizontalAdvance(" / ".join(s.labels[i] for s in spec.series))
                      for i in range(len(spec.categories))) + 8
        left, width = plot.left() + label_w, plot.width() - label_w - value_w
        top_value = _maximum(spec)
        group = plot.height() / max(1, len(spec.categories))
        bar = min(18.0, (group - 6) / max(1, len(spec.series)))
        p.setPen(GRID)
        p.drawLine(int(left), int(plot.top()), int(left), int(plot.bottom()))
        for i, category in enumerate(spec.categories):
            y = plot.top() + i * group + (group - bar * len(spec.series)) / 2
            p.setPen(INK)
            p.drawText(QRectF(plot.left(), plot.top() + i * group, label_w - 6, group),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       fm.elidedText(category, Qt.TextElideMode.ElideRight, int(label_w - 6)))
            lengths = [0.0 if s.values[i] is None else width * float(s.values[i] or 0) / top_value
                       for s in spec.series]
            for j, length in enumerate(lengths):
                p.fillRect(QRectF(left, y + j * bar, length, max(1.0, bar - 2)), PALETTE[j % len(PALETTE)])
            p.setPen(INK)
            if bar >= fm.height():
                for j, (s, length) in enumerate(zip(spec.series, lengths, strict=True)):
                    p.drawText(QRectF(left + length + 4, y + j * bar, value_w, bar - 2),
                               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), s.labels[i])
            else:  # too thin for a label per bar: the group's labels together, after its longest bar
                text = " / ".join(s.labels[i] for s in spec.series)
                p.drawText(QRectF(left + max(lengths) + 4, plot.top() + i * group, plot.right() - left, group),
                           int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)

    def _columns(self, p: QPainter, plot: QRectF, fm: QFontMetrics) -> None:
        spec = self.spec
        assert spec is not None
        label_h = fm.height() + 4
        base = plot.bottom() - label_h
        height = base - plot.top() - fm.height()
        top_value = _maximum(spec)
        group = plot.width() / max(1, len(spec.categories))
        bar = min(34.0, (group - 8) / max(1, len(spec.series)))
        p.setPen(GRID)
        p.drawLine(int(plot.left()), int(base), int(plot.right()), int(base))
        for i, category in enumerate(spec.categories):
            x = plot.left() + i * group + (group - bar * len(spec.series)) / 2
            p.setPen(INK)
            p.drawText(QRectF(plot.left() + i * group, base + 2, group, label_h),
                       int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
                       _fitted(fm, category, int(group - 2)))
            for j, s in enumerate(spec.series):
                v = s.values[i]
                h = 0.0 if v is None else height * float(v) / top_value
                rect = QRectF(x + j * bar, base - h, bar - 2, h)
                p.fillRect(rect, PALETTE[j % len(PALETTE)])
                p.setPen(INK)
                p.drawText(QRectF(x + j * bar - 10, base - h - fm.height() - 1, bar + 18, fm.height()),
                           int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom), s.labels[i])


def _fitted(fm: QFontMetrics, text: str, width: int) -> str:
    """`text` in `width`: "183 to 365 days" shortened to "183–365 days" before anything is cut."""
    if fm.horizontalAdvance(text) > width:
        text = text.replace(" to ", "–")
    return fm.elidedText(text, Qt.TextElideMode.ElideRight, width)
