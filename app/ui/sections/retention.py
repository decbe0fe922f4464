"""Retention (HEAD_OF_PSD): closed cases past their retention review date, and disposal with a
reason and the approval of a second head of PSD, who signs in to approve."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services import retention
from app.services.retention import DueForReview
from app.ui.context import AppContext, Change
from app.ui.dialogs.retention_dispose import DisposeDialog
from app.ui.errors import attempt, show_message
from app.ui.models.retention_tables import RetentionRoles, RetentionTableModel
from app.ui.sections.base import Section
from app.ui.widgets import fit_columns, heading, note, table_view


class RetentionSection(Section):
    title = "Retention"
    icon_name = "lock"
    description = "Closed cases due for retention review; disposal with a second approver"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = RetentionTableModel(self)
        self.dialog: DisposeDialog | None = None
        self.table = table_view(self.model, "Cases due for retention review")
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.table.activated.connect(lambda _i: self.dispose())
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.dispose_button = QPushButton("Dispose of case…")
        self.dispose_button.setAccessibleName("Dispose of case")
        self.dispose_button.clicked.connect(self.dispose)
        top = QHBoxLayout()
        top.addWidget(heading("Retention"))
        top.addStretch(1)
        top.addWidget(self.count)
        top.addWidget(self.dispose_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(note("Closed cases whose retention review date has passed, oldest first. Disposal erases "
                              "the victims and personal details and keeps an anonymised record; it needs a reason "
                              "and the approval of another head of PSD. Barred-list matters never appear here."))
        layout.addWidget(self.table, 1)
        ctx.changed.connect(self._changed)
        self._update()

    def refresh(self) -> None:
        self._activated = True
        rows = attempt(self, retention.due, self.ctx.uow(), self.ctx.user) or []
        self.model.set_rows(rows)
        fit_columns(self.table)
        self.count.setText(f"{len(rows):,} due")
        if rows:
            self.table.selectRow(0)
        self._update()

    def _changed(self, what: str) -> None:
        if self._activated and what == Change.CASES.value:
            self.refresh()

    def selected(self) -> DueForReview | None:
        index = self.table.currentIndex()
        return self.model.data(index, RetentionRoles.ROW) if index.isValid() else None

    def _update(self) -> None:
        self.dispose_button.setEnabled(self.selected() is not None)

    def dispose(self) -> DisposeDialog | None:
        row = self.selected()
        if row is None:
            return None
        self.dialog = DisposeDialog(self.ctx, row, self)
        self.dialog.accepted.connect(lambda: show_message(self, "Disposed", str(self.dialog.done_text)))
        self.dialog.open()
        return self.dialog
