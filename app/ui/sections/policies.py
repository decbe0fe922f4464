"""Administration → Policies: every policy with its value today and its history, a value set from a
date (a correction when the date is before today, with its reason), and the policies as they were
recorded at the end of an earlier day."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from app.services import clock, policies
from app.services.policies import PolicyLine
from app.ui.context import AppContext
from app.ui.dialogs.policy_set import PolicyDialog
from app.ui.errors import attempt
from app.ui.models.policy_tables import PolicyHistoryTableModel, PolicyRoles, PolicyTableModel, correction_text
from app.ui.widgets import fit_columns, heading, note, table_view


class PoliciesTab(QWidget):
    """Every policy: its value today, description and history (every value, when and by whom it was
    recorded, corrections with their reason); a new value is set from a date. The policies can be
    shown as they were recorded at the end of an earlier day."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = PolicyTableModel(self)
        self.history = PolicyHistoryTableModel(self)
        self.table = table_view(self.model, "Policies")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_history())
        self.table.activated.connect(lambda _i: self.set_policy())
        self.history_table = table_view(self.history, "Policy history")
        self.set_button = QPushButton("Set from date…")
        self.set_button.setAccessibleName("Set from date")
        self.set_button.setObjectName("primary")
        self.set_button.clicked.connect(self.set_policy)
        self.history_title = heading("History", 2)
        self.history_title.setWordWrap(True)
        self.history_notes = note("")
        self.history_notes.setAccessibleName("Corrections")
        self.as_recorded = QCheckBox("Show as recorded at the end of")
        self.as_recorded.setAccessibleName("Show the policies as recorded on an earlier day")
        today = clock.today()
        self.recorded_on = QDateEdit(QDate(today.year, today.month, today.day))
        self.recorded_on.setCalendarPopup(True)
        self.recorded_on.setDisplayFormat("dd MMM yyyy")
        self.recorded_on.setAccessibleName("As recorded on")
        self.recorded_on.setEnabled(False)
        self.as_recorded.toggled.connect(self._as_recorded_toggled)
        self.recorded_on.dateChanged.connect(lambda _d: self.refresh())
        self.dialog: PolicyDialog | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._recorded_bar())
        layout.addWidget(self._split(), 1)
        layout.addWidget(note("A policy's value applies from a date; a value set from a date before today is a "
                              "correction with its reason. Nothing is overwritten: the history keeps every value and "
                              "when it was recorded, and due items whose date a correction moved say so."))

    def _recorded_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(self.as_recorded)
        bar.addWidget(self.recorded_on)
        bar.addStretch(1)
        return bar

    def _split(self) -> QSplitter:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(8, 0, 0, 0)
        column.addWidget(self.history_title)
        column.addWidget(self.history_table, 1)
        column.addWidget(self.history_notes)
        column.addWidget(self.set_button)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        split.setSizes([600, 560])
        split.setChildrenCollapsible(False)
        return split

    def recorded_day(self) -> date | None:
        if not self.as_recorded.isChecked():
            return None
        d = self.recorded_on.date()
        return date(d.year(), d.month(), d.day())

    def _as_recorded_toggled(self, on: bool) -> None:
        self.recorded_on.setEnabled(on)
        self.refresh()

    def refresh(self) -> None:
        chosen = self.selected()
        rows = attempt(self, policies.describe_all, self.ctx.uow(), self.ctx.user,
                       as_recorded_on=self.recorded_day()) or []
        self.model.set_rows(rows)
        fit_columns(self.table, 300)  # the policy names in full; the values and "last set" narrower
        for column, widest in ((1, 140), (2, 190)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        names = [r.name for r in rows]
        self.table.selectRow(names.index(chosen.name) if chosen is not None and chosen.name in names else 0)
        self._show_history()

    def selected(self) -> PolicyLine | None:
        index = self.table.currentIndex()
        return self.model.data(index, PolicyRoles.ROW) if index.isValid() else None

    def select(self, name: str) -> None:
        for i, row in enumerate(self.model.rows()):
            if row.name == name:
                self.table.selectRow(i)

    def _show_history(self) -> None:
        line = self.selected()
        self.history.set_rows(list(reversed(line.entries)) if line else [])
        when = "" if self.recorded_day() is None else \
            f"\nas recorded at the end of {self.recorded_on.date().toString('dd MMM yyyy')}"
        self.history_title.setText(f"History of {line.name}{when}" if line else "History")
        fit_columns(self.history_table, 200)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        notes = [correction_text(e) for e in (line.entries if line else ()) if e.correction or e.reason]
        self.history_notes.setText("\n".join(notes))
        self.history_notes.setVisible(bool(notes))
        self.set_button.setEnabled(line is not None and self.recorded_day() is None)

    def set_policy(self) -> PolicyDialog | None:
        line = self.selected()
        if line is None or self.recorded_day() is not None:
            return None
        self.dialog = PolicyDialog(self.ctx, line, self)
        self.dialog.open()
        return self.dialog
