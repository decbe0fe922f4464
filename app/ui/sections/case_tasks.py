"""The case view's "Tasks" tab: the investigation actions on the case, open ones first by due date
(overdue in red), then the done and cancelled; Give task…, Complete…, Cancel task… and Give to
someone else…. A task given here appears in its assignee's My work."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.casefile import tasks
from app.services.casefile.tasks import TaskView
from app.ui.context import AppContext
from app.ui.dialogs.case_tasks import CloseTaskDialog, ReassignDialog, TaskDialog
from app.ui.errors import attempt
from app.ui.models.base import RowRoles
from app.ui.models.case_file_tables import TaskTableModel
from app.ui.sections.case_log import CaseFilePanel
from app.ui.signals import emit
from app.ui.widgets import fit_columns, note, table_view

_Dialog = TypeVar("_Dialog", bound=QDialog)  # _open hands back the dialog it was given, with its own type

HINT = "A task appears in the My work of the person it is given to until it is completed or cancelled."


class CaseTasksPanel(CaseFilePanel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("caseTasksPanel")
        self.dialog: QWidget | None = None
        self.focus_task: int | None = None  # the task to select once read (opened from My work)
        self.model = TaskTableModel(self)
        self.table = table_view(self.model, "Tasks")
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        self.table.activated.connect(lambda _i: self.complete())
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        top = QHBoxLayout()
        top.addWidget(note(HINT), 1)
        top.addWidget(self.count)
        self.give_button = self.button("Give task…", "Give a task on this case", self.give)
        self.complete_button = self.button("Complete…", "Complete the selected task", self.complete)
        self.cancel_button = self.button("Cancel task…", "Cancel the selected task", self.cancel)
        self.reassign_button = self.button("Give to someone else…", "Give the selected task to someone else",
                                            self.reassign)
        row = QHBoxLayout()
        for b in (self.give_button, self.complete_button, self.cancel_button, self.reassign_button):
            row.addWidget(b)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

    def reload(self) -> None:
        d = self.detail
        if d is None:
            return
        current = self.selected()
        chosen = self.focus_task or (current.id if current is not None else None)
        found = attempt(self, tasks.case_tasks, self.ctx.uow(), self.ctx.user, d.id)
        if found is None:
            return
        self.model.set_rows(found)
        fit_columns(self.table, 200)
        open_ = sum(1 for t in found if t.status == "OPEN")
        self.count.setText(f"{open_} open, {len(found) - open_} closed")
        rows = [i for i, t in enumerate(found) if t.id == chosen]
        if found:
            self.table.selectRow(rows[0] if rows else 0)
        self.focus_task = None
        self._enable()

    def select_task(self, task_id: int) -> None:
        """Select the task (read first if needed): My work opens a task here."""
        self.focus_task = task_id
        if not self.stale:
            self.reload()

    def selected(self) -> TaskView | None:
        index = self.table.currentIndex()
        return self.model.data(index, RowRoles.ROW) if index.isValid() else None

    def _enable(self) -> None:
        writing = self.may_write()
        t = self.selected()
        open_ = t is not None and t.status == "OPEN"
        for b in (self.give_button, self.complete_button, self.cancel_button, self.reassign_button):
            b.setVisible(writing)
        self.give_button.setEnabled(self.detail is not None and self.detail.status == "OPEN")
        for b in (self.complete_button, self.cancel_button, self.reassign_button):
            b.setEnabled(open_)

    def _people(self) -> list[tasks.Assignee] | None:
        return attempt(self, tasks.assignees, self.ctx.uow(), self.ctx.user, self.detail.id) if self.detail else None

    def give(self) -> TaskDialog | None:
        people = self._people()
        if self.detail is None or not people:
            return None
        dialog = TaskDialog(self.ctx, self.detail.id, self.detail.reference, people, self)
        dialog.given.connect(
            lambda tid: self._written(tid, f"Task given on {self.detail.reference if self.detail else ''}."))
        return self._open(dialog)

    def complete(self) -> CloseTaskDialog | None:
        return self._close(complete=True)

    def cancel(self) -> CloseTaskDialog | None:
        return self._close(complete=False)

    def _close(self, *, complete: bool) -> CloseTaskDialog | None:
        t = self.selected()
        if t is None or t.status != "OPEN" or not self.may_write():
            return None
        dialog = CloseTaskDialog(self.ctx, t, complete=complete, parent=self)
        dialog.closed.connect(lambda _e: self._written(t.id, "Task completed: an action taken is in the case log."
                                                       if complete else "Task cancelled."))
        return self._open(dialog)

    def reassign(self) -> ReassignDialog | None:
        t, people = self.selected(), self._people()
        if t is None or not people:
            return None
        dialog = ReassignDialog(self.ctx, t, people, self)
        dialog.accepted.connect(lambda: self._written(t.id, "Task given to someone else."))
        return self._open(dialog)

    def _written(self, task_id: int, message: str) -> None:
        self.focus_task = task_id
        emit(self.written, message)

    def _open(self, dialog: _Dialog) -> _Dialog:
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog
