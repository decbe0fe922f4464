"""Access log: the auditor searches it (by user, record and period), exports it (a logged
disclosure) and verifies its hash chain; the administrator may only verify."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.permissions import Action
from app.services import audit, clock
from app.services.access_log_export import LogFilter, export_access_log
from app.services.audit import VerifyResult
from app.ui import settings
from app.ui.context import AppContext
from app.ui.errors import attempt, show_failure, show_message
from app.ui.models.log_tables import AccessLogTableModel
from app.ui.sections.base import Section
from app.ui.style import icon
from app.ui.widgets import fit_columns, heading, note, table_view
from app.ui.workers import CancellableUnitOfWork, CancelToken, Task, run_with_progress


class _DateBox(QWidget):
    """An optional date: a check box that enables a calendar date field."""

    def __init__(self, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.check = QCheckBox(label)
        self.check.setAccessibleName(f"Filter {label.lower()} a date")
        self.edit = QDateEdit(QDate.currentDate())
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("dd MMM yyyy")
        self.edit.setAccessibleName(f"{label} date")
        self.edit.setEnabled(False)
        self.check.toggled.connect(self.edit.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.check)
        layout.addWidget(self.edit)

    def value(self) -> date | None:
        if not self.check.isChecked():
            return None
        chosen = self.edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())


class AccessLogSection(Section):
    title = "Access log"
    icon_name = "log"
    description = "Who consulted, changed or disclosed what"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.can_read = ctx.may(Action.READ_ACCESS_LOG)
        self.model = AccessLogTableModel(self)
        self.task: Task | None = None
        self.verify_button = QPushButton(icon("shield"), "Verify the chain")
        self.verify_button.setAccessibleName("Verify the access log chain")
        self.verify_button.clicked.connect(self.verify)
        self.verify_result = QLabel()
        self.verify_result.setObjectName("verifyResult")
        self.verify_result.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Access log"))
        if self.can_read:
            layout.addLayout(self._filters())
            self.table = table_view(self.model, "Access log entries")
            layout.addWidget(self.table, 1)
        else:
            layout.addWidget(note("The access log records every consultation, change and disclosure of "
                                  "personal data, chained so that any alteration or removal is detected. "
                                  "Your role may verify the chain; reading it is for the auditor."))
        bottom = QHBoxLayout()
        bottom.addWidget(self.verify_button)
        bottom.addWidget(self.verify_result, 1)
        layout.addLayout(bottom)
        if not self.can_read:
            layout.addStretch(1)

    def _filters(self) -> QHBoxLayout:
        self.username = QLineEdit()
        self.username.setPlaceholderText("User name")
        self.username.setAccessibleName("Filter by user name")
        self.record = QLineEdit()
        self.record.setPlaceholderText("Record (e.g. PSD-2024-000123)")
        self.record.setAccessibleName("Filter by record")
        self.date_from, self.date_to = _DateBox("From"), _DateBox("To")
        search = QPushButton(icon("search"), "Search")
        search.setObjectName("primary")
        search.setAccessibleName("Search the access log")
        search.clicked.connect(self.search)
        for edit in (self.username, self.record):
            edit.returnPressed.connect(self.search)
        self.export_button = QPushButton(icon("export"), "Export CSV…")
        self.export_button.setAccessibleName("Export the filtered log to CSV")
        self.export_button.clicked.connect(self.choose_export)
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        row = QHBoxLayout()
        for w in (self.username, self.record, self.date_from, self.date_to, search, self.export_button):
            row.addWidget(w)
        row.addStretch(1)
        row.addWidget(self.count)
        return row

    def log_filter(self) -> LogFilter:
        return LogFilter(self.username.text().strip() or None, self.record.text().strip() or None,
                         self.date_from.value(), self.date_to.value())

    def refresh(self) -> None:
        self._activated = True
        if self.can_read:
            self.search()

    def search(self) -> None:
        f = self.log_filter()
        rows = attempt(self, audit.search, self.ctx.uow(), self.ctx.user, username=f.username,
                       record_id=f.record_id, date_from=f.date_from, date_to=f.date_to)
        if rows is not None:
            self.model.set_rows(rows)
            fit_columns(self.table, 220)  # the detail, last, takes the rest
            self.count.setText(f"{len(rows):,} entries (newest first)")

    def focus_search(self) -> None:
        if self.can_read:
            self.username.setFocus()

    # -- export and verify ------------------------------------------------------------------
    def choose_export(self) -> None:
        folder = settings.read(settings.LAST_FOLDER) or str(Path.home())
        name = f"access-log-{clock.today().isoformat()}.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export the access log", str(Path(folder) / name), "CSV (*.csv)")
        if path:
            settings.write(settings.LAST_FOLDER, str(Path(path).parent))
            self.export_to(Path(path))

    def export_to(self, path: Path) -> Task:
        f, uow, user = self.log_filter(), self.ctx.uow(), self.ctx.user

        def work(token: CancelToken) -> int:
            return export_access_log(CancellableUnitOfWork(uow, token), user, path, f)

        self.task = run_with_progress(self, f"Exporting the access log to {path.name}…", work)
        self.task.succeeded.connect(lambda n: show_message(
            self, "Exported", f"{n:,} entries were written to {path}. The export is recorded in the access log "
                              "as a disclosure. The file is OFFICIAL-SENSITIVE: store and send it accordingly."))
        self.task.failed.connect(lambda exc: show_failure(self, exc))
        return self.task

    def verify(self) -> Task:
        uow, user = self.ctx.uow(), self.ctx.user
        self.task = run_with_progress(self, "Verifying the access log chain…", lambda _t: audit.verify(uow, user))
        self.task.succeeded.connect(self._verified)
        self.task.failed.connect(lambda exc: show_failure(self, exc))
        return self.task

    def _verified(self, result: VerifyResult) -> None:
        self.verify_result.setText(result.message)
        self.verify_result.setProperty("state", "ok" if result.ok else "bad")
        self.verify_result.style().polish(self.verify_result)
