"""Allocating from the supervisor's desk (issue #15): the cases of the items chosen in My work go to
one investigator, picked by name from the force's investigators (search by name or team; each
shown with their team and open caseload), several at once, through
app.services.casework.team.allocate (independence, declaration, role and logging as any
assignment; a case that already has an investigator is re-allocated). Tasks chosen with them are
given to the same person (app.services.casefile.tasks.reassign_task).

A case the service refuses stays as it was and is listed in the dialog, which grows to show the
reasons and offers to try those again; the dialog closes once everything chosen is done."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.domain.errors import ExpectedError
from app.services.casefile import tasks
from app.services.casework import team
from app.services.casework.team import Allocatable, Allocated
from app.ui.context import AppContext, Change
from app.ui.dialogs.case_entry import CaseFileDialog
from app.ui.errors import show_failure
from app.ui.labels import human_text
from app.ui.signals import emit
from app.ui.workers import CancelToken, Task


class StaffPicker(QWidget):
    """Pick one person from a list by typing part of their name or team: no user names to type."""

    chosen_changed = Signal(str)  # the chosen user name ("" when none)

    def __init__(self, people: list[Allocatable], what: str = "Investigator", current: str | None = None,
                 parent: QWidget | None = None, *, rows: int | None = None, nobody: str | None = None) -> None:
        """`rows`: the list's fixed height in rows (default: at least six); `nobody`: a first entry
        choosing no one (its text). A `current` user name not among `people` (no longer active, say)
        is listed as recorded, so that leaving the choice alone keeps it."""
        super().__init__(parent)
        self.people = people
        self.search = QLineEdit()
        self.search.setPlaceholderText("Type part of a name or a team")
        self.search.setAccessibleName(f"{what}: search by name")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.search.returnPressed.connect(self._take_single)
        self.list = QListWidget()
        self.list.setAccessibleName(f"{what}: people")
        row = max(self.list.fontMetrics().lineSpacing() + 6, 22)
        if rows is None:
            self.list.setMinimumHeight(6 * row)
        else:
            self.list.setFixedHeight(rows * row + 2 * self.list.frameWidth())
        self.list.currentItemChanged.connect(lambda *_a: emit(self.chosen_changed, self.chosen() or ""))
        entries = [(p.label, p.username) for p in people]
        if current and all(username != current for _l, username in entries):
            entries.append((f"{current} (as recorded)", current))
        for text, username in ([(nobody, "")] if nobody else []) + entries:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, username)
            self.list.addItem(item)
            if username == (current or "") and (username or nobody):
                self.list.setCurrentItem(item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.setFocusProxy(self.search)

    def _filter(self, text: str) -> None:
        words = text.lower().split()
        visible = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            shown = all(w in item.text().lower() for w in words)
            item.setHidden(not shown)
            if shown:
                visible.append(item)
        current = self.list.currentItem()
        if current is not None and current.isHidden():
            # Qt takes a null item here (no current item); the PySide6 stubs leave None out of the overloads
            self.list.setCurrentItem(None)  # type: ignore[call-overload]
        if len(visible) == 1:
            self.list.setCurrentItem(visible[0])

    def _take_single(self) -> None:
        visible = [self.list.item(r) for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if visible:
            self.list.setCurrentItem(visible[0])
            self.list.setFocus()

    def chosen(self) -> str | None:
        """The chosen person's user name; None when no one (or the `nobody` entry) is chosen."""
        item = self.list.currentItem()
        return None if item is None or item.isHidden() else (str(item.data(Qt.ItemDataRole.UserRole)) or None)

    def choose(self, username: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == username:
                self.list.setCurrentRow(row)


class AllocateDialog(CaseFileDialog):
    allocated = Signal(str)  # what was done, in words (for the status bar)
    worked = Signal()  # a run of the allocation ended (done, partly refused or failed)

    def __init__(self, ctx: AppContext, case_ids: list[int], task_ids: list[int], people: list[Allocatable],
                 parent: QWidget | None = None) -> None:
        cases, given = len(case_ids), len(task_ids)
        what = " and ".join(x for x in (f"{cases} case{'s' if cases != 1 else ''}" if cases else "",
                                        f"{given} task{'s' if given != 1 else ''}" if given else "") if x)
        super().__init__("Allocate", f"Give {what} to one person. A case that has an investigator already is "
                         "re-allocated: the new investigator is assigned first, then the other is taken off. Each is "
                         "recorded as a decision; a case refused (e.g. the person is not independent of its subject) "
                         "stays as it was and is listed here.", "Allocate", parent)
        self.setObjectName("allocateDialog")
        self.ctx, self.case_ids, self.task_ids = ctx, list(case_ids), list(task_ids)
        self.picker = self.field("Investigator:", StaffPicker(people))
        self.declared = self.field("", QCheckBox("They have declared no prior connection to the subjects or victims"))
        self.reason = self.field("Reason (if re-allocating):", QLineEdit())
        self.reason.setPlaceholderText("e.g. Caseload balanced across the team")
        self.done_count = 0
        self.task: Task | None = None
        self.summary = QLabel()
        self.watch(self.picker.search, self.declared, self.reason)
        self.picker.chosen_changed.connect(lambda _u: self.clear_message())
        self.resize(620, self.sizeHint().height())

    def accept(self) -> None:
        """Allocate in a worker (a hundred cases take seconds: the window keeps answering)."""
        if self.task is not None:
            return
        username = self.picker.chosen()
        if not username:
            self.refused(ExpectedError("Choose the person to allocate to: type part of their name, then pick them."))
            return
        name = next((p.name for p in self.picker.people if p.username == username), username)
        ctx, case_ids, task_ids = self.ctx, list(self.case_ids), list(self.task_ids)
        declared, reason = self.declared.isChecked(), self.reason.text().strip() or None

        def work(_token: CancelToken) -> tuple[list[Allocated], list[tuple[int, str | None]]]:
            results = team.allocate(ctx.uow(), ctx.user, case_ids, username, declared_no_prior_connection=declared,
                                    reason=reason) if case_ids else []
            given: list[tuple[int, str | None]] = []
            for task_id in task_ids:
                try:
                    tasks.reassign_task(ctx.uow(), ctx.user, task_id, username)
                    given.append((task_id, None))
                except ExpectedError as exc:
                    given.append((task_id, human_text(exc.message)))
            return results, given

        self.ok_button.setEnabled(False)
        self.ok_button.setText("Allocating…")
        self.task = Task(work, self)
        self.task.succeeded.connect(lambda result: self._done(result, name))
        self.task.failed.connect(self._failed)
        self.task.done.connect(self._finished_task)
        self.task.start()

    def _finished_task(self) -> None:
        self.task = None
        self.ok_button.setEnabled(True)
        self.ok_button.setText("Allocate")
        emit(self.worked)

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, ExpectedError):
            self.refused(exc)
        else:
            show_failure(self, exc)

    def _done(self, result: tuple[list[Allocated], list[tuple[int, str | None]]], name: str) -> None:
        results, given = result
        done_cases = [r for r in results if r.done]
        unchanged = [r for r in results if not r.done and "already with" not in r.message]
        refused = [r.message for r in unchanged] + [why for _t, why in given if why]
        self.case_ids = [r.case_id for r in unchanged]
        self.task_ids = [t for t, why in given if why]
        self.done_count += len(done_cases) + sum(1 for _t, why in given if not why)
        if done_cases or any(not why for _t, why in given):
            self.ctx.notify(Change.CASES)
        if refused:
            self.refused(ExpectedError(f"{self.done_count} done; {len(refused)} refused, unchanged:\n"
                                       + "\n".join(refused[:12]) + ("\n…" if len(refused) > 12 else "")
                                       + "\nAllocate again to try those once more, or Cancel."))
            return
        emit(self.allocated, f"{self.done_count} allocated to {name}." if self.done_count
             else f"Nothing to change: already with {name}.")
        super().accept()
