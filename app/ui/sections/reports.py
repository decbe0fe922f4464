"""Reports: the survey return, the outcome breakdowns, the annual report and the aggregation of
many returns, each written in a worker behind a cancellable progress dialog and then offered to
open; and a dashboard for the chosen survey year drawing the annual report's own ChartSpecs.

The dashboard's figures (the annual report's protected publication: counting, suppression and the
disclosure audit, seconds on a large force) are worked out in a worker too, without a modal
dialog: the window stays usable, the note says the figures are being worked out, and a newer
request (another year, changed cases) supersedes an older one, whose result is dropped."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.domain.records import User
from app.reports.breakdowns import OutcomeBreakdowns
from app.reports.counting import SurveyCount
from app.reports.disclosure.model import Status
from app.services import clock, referrals, reporting
from app.services.unit_of_work import UnitOfWork
from app.ui import settings
from app.ui.charts import ChartWidget
from app.ui.context import AppContext, Change
from app.ui.dialogs.report_result import ReportResultDialog
from app.ui.errors import show_failure
from app.ui.sections.base import Section
from app.ui.widgets import heading, note
from app.ui.workers import CancellableUnitOfWork, CancelToken, Task, run_with_progress

if TYPE_CHECKING:
    from app.reports.aggregate import Aggregation  # the writer imports openpyxl: only when it runs
    from app.reports.figures import PublishedFigures


def survey_year_now() -> int:
    today = clock.today()
    return today.year + (1 if today.month > 3 else 0)


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def survey_summary(count: SurveyCount) -> str:
    f = count.figures
    lines = [f"{f.allegations:,} allegations, {f.individuals:,} individuals."]
    if f.workforce_percent is not None:
        lines.append(f"{f.workforce_percent:.2f}% of a workforce of {f.headcount:,}.")
    if f.unable_to_provide:
        lines.append(f"Unable to provide: {f.unable_to_provide}")
    lines += list(count.data_notes)
    return "\n".join(lines)


def aggregation_summary(a: Aggregation) -> str:
    n = a.national
    lines = [f"{n.forces} return{'' if n.forces == 1 else 's'} counted: {n.allegations:,} allegations, "
             f"{n.individuals:,} individuals."]
    if a.rejected:
        lines.append(f"{len(a.rejected)} not counted:")
        lines += [f"  • {r}" for r in a.rejected]
    return "\n".join(lines)


def published_summary(figures: PublishedFigures, what: str) -> str:
    """What a protected file holds, in its own printed figures (never a count it withholds)."""
    y = figures.year
    counts = figures.pub.counts()
    return (f"{what} for {figures.current.period.long_label}: {figures.text('allegations', y)} allegations, "
            f"{figures.text('individuals', y)} individuals.\nSmall numbers protected: "
            f"{counts[Status.SMALL]} shown as <5, {counts[Status.WITHHELD]} withheld as [c]; "
            f"disclosure check passed.")


def outcomes_summary(result: Any) -> str:
    if isinstance(result, OutcomeBreakdowns):
        return f"{len(result.counted):,} allegations, {result.individuals:,} individuals in {result.period.long_label}."
    return published_summary(result, "Outcome figures (protected: aggregate-only copy)")


@dataclass(frozen=True)
class Export:
    key: str
    title: str
    action: Action
    suffix: str
    default_name: Callable[[Any], str]
    run: Callable[[UnitOfWork, User, Any, Path], Any]
    summary: Callable[[Any], str]


EXPORTS = {e.key: e for e in (
    Export("survey", "Survey return", Action.EXPORT_RETURN, "xlsx", lambda y: f"survey-return-{y}.xlsx",
           lambda uow, user, y, out: reporting.survey_return(uow, user, y, out), survey_summary),
    Export("outcomes", "Outcome breakdowns", Action.EXPORT_RETURN, "xlsx",
           lambda p: f"outcomes-{p[0].isoformat()}-to-{p[1].isoformat()}.xlsx",
           lambda uow, user, p, out: reporting.outcome_breakdowns(uow, user, p[0], p[1], out), outcomes_summary),
    Export("annual", "Annual report", Action.ANNUAL_REPORT, "pdf", lambda y: f"annual-report-{y}.pdf",
           lambda uow, user, y, out: reporting.annual_report(uow, user, y, out),
           lambda r: published_summary(r.figures, "Annual report")),
    Export("referrals", "IOPC referral register", Action.EXPORT_REFERRALS, "xlsx",
           lambda p: f"iopc-referrals-{p[0].isoformat()}-to-{p[1].isoformat()}.xlsx",
           lambda uow, user, p, out: referrals.export_referral_register(uow, user, p[0], p[1], out),
           lambda rows: f"{len(rows):,} referred allegation(s); logged as a disclosure to the IOPC."),
    Export("aggregate", "National aggregation", Action.AGGREGATE, "xlsx", lambda files: "national-aggregation.xlsx",
           lambda uow, user, arg, out: reporting.aggregate(uow, user, arg[0], out, arg[1]), aggregation_summary),
)}


class _Card(QFrame):
    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.setObjectName("card")
        self.form = QFormLayout()
        self.button = QPushButton("Export…")
        self.button.setToolTip(f"Write the {title.lower()} to a file")
        self.button.setAccessibleName(f"Export {title.lower()}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(heading(title, 2))
        layout.addWidget(note(text))
        row = QHBoxLayout()
        row.addLayout(self.form, 1)
        row.addWidget(self.button)
        layout.addLayout(row)


def _year_box(name: str) -> QSpinBox:
    box = QSpinBox()
    box.setRange(2000, survey_year_now() + 1)
    box.setValue(survey_year_now() - 1)
    box.setAccessibleName(name)
    box.setToolTip("The survey year ends on 31 March of this year")
    box.setMinimumWidth(90)
    return box


class ReportsSection(Section):
    title = "Reports"
    icon_name = "export"
    description = "Survey return, outcome breakdowns, annual report, aggregation, dashboard"
    dashboard_ready = Signal()
    """The dashboard shows the figures (or the failure) of the latest request."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.task: Task | None = None
        self.dashboard_task: Task | None = None
        self._dashboard_request = 0
        self.result: ReportResultDialog | None = None
        self.cards: dict[str, _Card] = {}
        self.aggregate_files: list[Path] = []
        exports = QVBoxLayout()
        exports.setSpacing(8)
        self._build_cards(exports)
        exports.addStretch(1)
        left = QWidget()
        left.setLayout(exports)
        scroll = QScrollArea()
        scroll.setWidget(left)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFixedWidth(410)
        body = QHBoxLayout()
        body.addWidget(scroll)
        body.addWidget(self._dashboard(), 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Reports"))
        layout.addLayout(body, 1)
        ctx.changed.connect(self._changed)

    def _build_cards(self, column: QVBoxLayout) -> None:
        may = {k: self.ctx.may(e.action) for k, e in EXPORTS.items()}
        if may["survey"]:
            card = self._card("survey", "The Commissioner's return for the 12 months to 31 March, with the "
                              "allegations behind each figure.")
            self.survey_year = _year_box("Survey year")
            card.form.addRow("Year to 31 March:", self.survey_year)
        if may["outcomes"]:
            card = self._card("outcomes", "Breakdowns by outcome, profile, quarter and compliance for any period.")
            self.outcomes_from, self.outcomes_to = self._period(card)
        if may["referrals"]:
            card = self._card("referrals", "Every referral to the IOPC sent in a period: grounds, deadline, the IOPC's "
                              "decision, mode and investigating body; no victim details.")
            self.referrals_from, self.referrals_to = self._period(card)
        if may["annual"]:
            card = self._card("annual", "The force lead's PDF: key figures, charts and commentary; counts of 1–4 "
                              "shown as <5.")
            self.annual_year = _year_box("Annual report year")
            card.form.addRow("Year to 31 March:", self.annual_year)
        if may["aggregate"]:
            card = self._card("aggregate", "National totals and a per-force table from many forces' returns; a "
                              "malformed return is named and not counted.")
            self.files_label = QLabel("No returns chosen")
            self.files_label.setAccessibleName("Returns to aggregate")
            choose = QPushButton("Choose returns…")
            choose.clicked.connect(self.choose_returns)
            card.form.addRow(choose, self.files_label)
            self.national_pdf = QCheckBox("Also the national report (PDF)")
            self.national_pdf.setChecked(True)
            self.national_pdf.setToolTip("National totals and a per-force table with small numbers protected")
            card.form.addRow(self.national_pdf)
        for card in self.cards.values():
            column.addWidget(card)
        if not self.cards:
            column.addWidget(note("Your role may not export reports."))

    @staticmethod
    def _period(card: _Card) -> tuple[QDateEdit, QDateEdit]:
        """From and To boxes, the last survey year by default."""
        year = survey_year_now() - 1
        boxes = (QDateEdit(_qdate(date(year - 1, 4, 1))), QDateEdit(_qdate(date(year, 3, 31))))
        for box, name in zip(boxes, ("From", "To"), strict=True):
            box.setCalendarPopup(True)
            box.setDisplayFormat("dd MMM yyyy")
            box.setAccessibleName(f"{card.title} {name.lower()}")
            card.form.addRow(f"{name}:", box)
        return boxes

    def _card(self, key: str, text: str) -> _Card:
        card = _Card(EXPORTS[key].title, text)
        card.button.clicked.connect(lambda: self.choose_output(key))
        self.cards[key] = card
        return card

    def _dashboard(self) -> QWidget:
        box = QFrame()
        box.setObjectName("dashboard")
        self.dash_year = _year_box("Dashboard survey year")
        self.dash_year.valueChanged.connect(lambda _v: self.refresh())
        self.dash_note = QLabel()
        self.dash_note.setObjectName("note")
        top = QHBoxLayout()
        top.addWidget(heading("Dashboard", 2))
        top.addWidget(QLabel("Survey year to 31 March:"))
        top.addWidget(self.dash_year)
        top.addStretch(1)
        top.addWidget(self.dash_note)
        grid = QGridLayout()
        grid.setSpacing(8)
        self.charts = [ChartWidget() for _ in range(4)]
        for i, chart in enumerate(self.charts):
            grid.addWidget(chart, i // 2, i % 2)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(grid, 1)
        box.setVisible(self.ctx.may(Action.EXPORT_RETURN) or self.ctx.may(Action.ANNUAL_REPORT))
        return box

    # -- dashboard ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Work out the dashboard's figures for the chosen year in a worker (see the module's note)."""
        self._activated = True
        if not (self.ctx.may(Action.EXPORT_RETURN) or self.ctx.may(Action.ANNUAL_REPORT)):
            return
        if self.dashboard_task is not None:
            self.dashboard_task.token.cancel()  # superseded: its SQL stops, its result is dropped
        self._dashboard_request += 1
        request, year, uow, user = self._dashboard_request, self.dash_year.value(), self.ctx.uow(), self.ctx.user

        def work(token: CancelToken) -> Any:
            return reporting.dashboard(CancellableUnitOfWork(uow, token), user, year)

        task = Task(work, self)
        self.dashboard_task = task
        task.succeeded.connect(lambda specs: self._dashboard_drawn(request, specs))
        task.failed.connect(lambda exc: self._dashboard_failed(request, exc))
        self.dash_note.setText(f"Working out the figures for the year to 31 March {year}…")
        task.start()

    def _dashboard_drawn(self, request: int, specs: Any) -> None:
        if request != self._dashboard_request:
            return
        self.dashboard_task = None
        for chart, spec in zip(self.charts, [*specs, None, None, None, None], strict=False):
            chart.set_spec(spec)
        self.dash_note.setText("The annual report's charts and protection: <5 for 1–4, [c] withheld")
        self.dashboard_ready.emit()

    def _dashboard_failed(self, request: int, exc: BaseException) -> None:
        if request != self._dashboard_request:
            return  # a superseded request (cancelled or not): nothing to say
        self.dashboard_task = None
        for chart in self.charts:
            chart.set_spec(None)
        self.dash_note.setText("The figures could not be worked out.")
        show_failure(self, exc)
        self.dashboard_ready.emit()

    def _changed(self, what: str) -> None:
        if self._activated and what in (Change.CASES.value, Change.SETTINGS.value):
            self.refresh()

    # -- exports --------------------------------------------------------------------------------
    def argument(self, key: str) -> Any:
        if key == "survey":
            return self.survey_year.value()
        if key == "outcomes":
            return (_date(self.outcomes_from.date()), _date(self.outcomes_to.date()))
        if key == "annual":
            return self.annual_year.value()
        if key == "referrals":
            return (_date(self.referrals_from.date()), _date(self.referrals_to.date()))
        return (list(self.aggregate_files), None)

    def _with_pdf(self, key: str, out: Path) -> Any:
        """The aggregation's argument once its workbook's name is known (the PDF goes beside it)."""
        files, _ = self.argument(key)
        return (files, out.with_suffix(".pdf") if self.national_pdf.isChecked() else None)

    def choose_returns(self) -> None:
        folder = settings.read(settings.LAST_FOLDER) or str(Path.home())
        paths, _ = QFileDialog.getOpenFileNames(self, "Survey returns to aggregate", folder, "Excel (*.xlsx)")
        if paths:
            self.set_returns([Path(p) for p in paths])

    def set_returns(self, paths: list[Path]) -> None:
        self.aggregate_files = paths
        self.files_label.setText(f"{len(paths)} returns chosen")
        self.files_label.setToolTip("\n".join(p.name for p in paths))

    def choose_output(self, key: str) -> None:
        export = EXPORTS[key]
        folder = Path(settings.read(settings.LAST_FOLDER) or str(Path.home()))
        name = export.default_name(self.argument(key))
        path, _ = QFileDialog.getSaveFileName(self, f"Save the {export.title.lower()}", str(folder / name),
                                              f"{export.suffix.upper()} (*.{export.suffix})")
        if path:
            settings.write(settings.LAST_FOLDER, str(Path(path).parent))
            self.export(key, Path(path))

    def export(self, key: str, out: Path) -> Task:
        export, uow, user = EXPORTS[key], self.ctx.uow(), self.ctx.user
        arg = self._with_pdf(key, out) if key == "aggregate" else self.argument(key)

        def work(token: CancelToken) -> Any:
            return export.run(CancellableUnitOfWork(uow, token), user, arg, out)

        self.task = run_with_progress(self, f"Writing the {export.title.lower()}…", work)
        self.task.succeeded.connect(lambda result: self._written(export, out, result))
        self.task.failed.connect(lambda exc: show_failure(self, exc))
        return self.task

    def _written(self, export: Export, out: Path, result: Any) -> None:
        self.result = ReportResultDialog(f"{export.title} written", out, export.summary(result), self)
        self.result.open()
        self.ctx.notify(Change.ACCESS_LOG)
