"""Investigation actions: giving a task (what, who — picked from the people who may work on the case —
and by when), giving it to someone else, completing it with what was done, cancelling it with why.
Each calls its service and closes only when it succeeded; refusals are shown as the service wrote them."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from app.services import clock
from app.services.casefile import tasks
from app.services.casefile.tasks import Assignee, TaskView
from app.ui.context import AppContext
from app.ui.dialogs.case_entry import CaseFileDialog, date_edit, day_of, long_text
from app.ui.labels import day
from app.ui.signals import emit

DEFAULT_DAYS = 7


def assignee_combo(people: list[Assignee], current: str | None = None) -> QComboBox:
    """The people a task can be given to, by name (the case team first): no user names to type."""
    box = QComboBox()
    box.setAccessibleName("Given to")
    for a in people:
        box.addItem(a.label, a.username)
    box.setCurrentIndex(max(0, box.findData(current)) if current else 0)
    return box


class TaskDialog(CaseFileDialog):
    given = Signal(int)  # the task's id

    def __init__(self, ctx: AppContext, case_id: int, reference: str, people: list[Assignee],
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Give a task — {reference}", "The task appears in the My work of the person you give it "
                         "to until it is completed (with a case-log entry saying what was done) or cancelled.",
                         "Give task", parent)
        self.setObjectName("taskDialog")
        self.ctx, self.case_id = ctx, case_id
        self.what = self.field("Task:", long_text("Task", "e.g. Obtain the CCTV from the council", 70))
        self.assignee = self.field("Given to:", assignee_combo(people, ctx.user.username))
        self.due = self.field("Due:", date_edit("Due", clock.today() + timedelta(days=DEFAULT_DAYS)))
        self.watch(self.what, self.assignee, self.due)
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        made = self.write(lambda: tasks.give_task(self.ctx.uow(), self.ctx.user, self.case_id, self.what.toPlainText(),
                                                  self.assignee.currentData() or "", day_of(self.due)))
        if made is not None:
            emit(self.given, made.task_id)
            super().accept()


class ReassignDialog(CaseFileDialog):
    def __init__(self, ctx: AppContext, task: TaskView, people: list[Assignee], parent: QWidget | None = None) -> None:
        super().__init__("Give the task to someone else", f"“{task.what}”, now with {task.assignee}, due "
                         f"{day(task.due_date)}.", "Give to them", parent)
        self.setObjectName("reassignDialog")
        self.ctx, self.task = ctx, task
        self.assignee = self.field("Given to:", assignee_combo(people, task.assignee_username))
        self.watch(self.assignee)
        self.resize(520, self.sizeHint().height())

    def accept(self) -> None:
        if self.write(lambda: tasks.reassign_task(self.ctx.uow(), self.ctx.user, self.task.id,
                                                  self.assignee.currentData() or "")) is not None:
            super().accept()


class CloseTaskDialog(CaseFileDialog):
    """Complete (with what was done, on a date) or cancel (with why) a task; both write a log entry."""

    closed = Signal(int)  # the log entry's id

    def __init__(self, ctx: AppContext, task: TaskView, *, complete: bool, parent: QWidget | None = None) -> None:
        title = "Complete the task" if complete else "Cancel the task"
        super().__init__(title, "", "Complete" if complete else "Cancel task", parent)
        self.intro.setText(f"“{task.what}”, given to {task.assignee}, due {day(task.due_date)}. "
                           + ("Say what was done: it goes into the case log as an action taken." if complete else
                              "Say why it is no longer needed: it goes into the case log."))
        self.setObjectName("closeTaskDialog")
        self.ctx, self.task, self.complete = ctx, task, complete
        what = "What was done:" if complete else "Why:"
        self.text = self.field(what, long_text(what.rstrip(":"), height=90))
        self.on = self.field("Done on:", date_edit("Done on")) if complete else None
        self.watch(self.text, *(w for w in (self.on,) if w is not None))
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        uow, user, tid, text = self.ctx.uow(), self.ctx.user, self.task.id, self.text.toPlainText()
        on = day_of(self.on) if self.on is not None else None
        entry = self.write(lambda: tasks.complete_task(uow, user, tid, text, on=on) if self.complete else
                           tasks.cancel_task(uow, user, tid, text))
        if entry is not None:
            emit(self.closed, entry)
            super().accept()


__all__ = ["CloseTaskDialog", "ReassignDialog", "TaskDialog", "assignee_combo"]
