"""My work: the signed-in user's due and overdue items (restriction decisions and reviews,
suspension on charge, IOPC referrals, victim updates, 12-month reports, list notifications,
vetting reviews, notices to triage) and the tasks given to them on cases, overdue first.

Supervisors and the head of PSD may see the whole force's (every open case derived: the
supervisor's desk, issue #15): sortable by every column, filtered by kind of item, team, assignee
and case, counted by kind and by person (caseload and overdue per person), and allocated or
re-allocated several at once by picking a person by name (app.ui.dialogs.allocate). The queue
is derived by app.services.queue in a worker thread; opening an item asks the main window for the place
where it is completed.

Proposed decisions are a list of their own below the due items (the queue's item kinds are a
fixed contract): a supervisor's "Awaiting your approval" with Approve… and Reject… (whether they
may approve each, and whose approval it awaits, the service says); everyone's own proposals,
awaiting approval or rejected with the reason, with Withdraw."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import DueItemKind, Role
from app.domain.errors import ExpectedError
from app.domain.permissions import Action
from app.services import actions, queue
from app.services.actions import ProposalView
from app.services.casework import team
from app.services.casework.team import Allocatable
from app.services.queue import QueueItem
from app.ui.context import AppContext, Change
from app.ui.dialogs.allocate import AllocateDialog
from app.ui.dialogs.decision_approver import ProposalDialog
from app.ui.errors import show_failure
from app.ui.labels import human, human_text
from app.ui.models.base import RowRoles
from app.ui.models.group_table import GroupTableModel
from app.ui.models.proposal_table import ProposalTableModel
from app.ui.models.queue_table import NOTICE_KINDS, QueueTableModel
from app.ui.sections.base import Section
from app.ui.signals import emit
from app.ui.widgets import SearchBox, fit_columns, heading, note, table_view
from app.ui.workers import CancelToken, Task

HINT = "Overdue items come first, marked OVERDUE in red. Open an item (Enter or double-click) to complete it."

STATUS_MS = 10_000  # how long the status bar says what was just done
MOST_URGENT_CASES = 1000  # cases derived for one's own My work, earliest next due date first
UNASSIGNED = "Unassigned"


def _owner_key(i: QueueItem) -> str:
    """The "Assigned to" filter's value for an item: who it falls to, by name."""
    if i.assigned_to.startswith("unassigned"):
        return UNASSIGNED
    return i.owner or human_text(i.assigned_to)


class MyWorkSection(Section):
    title = "My work"
    icon_name = "cases"
    description = "Your due and overdue items"
    case_requested = Signal(int, str, object)  # case id, DueItemKind name, allegation id (a task's id) or None
    notice_requested = Signal(str)  # a notice reference (the Notices section completes it)
    overdue_changed = Signal(int)
    loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = QueueTableModel(self)
        self._items: list[QueueItem] = []
        self._task: Task | None = None
        self._again = False
        self.may_see_force = ctx.user.has(Role.SUPERVISOR, Role.HEAD_OF_PSD)
        self.may_allocate = ctx.may(Action.ALLOCATE)
        self.allocate_dialog: AllocateDialog | None = None
        layout = QVBoxLayout(self)
        layout.addLayout(self._top())
        layout.addLayout(self._filters())
        self.table = table_view(self.model, "My work items", sortable=True)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        # Column widths from the first rows only: a whole force's 40,000 items would hold the window.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.activated.connect(self._open)
        self.table.doubleClicked.connect(self._open)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable_allocate())
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.table, "Items")
        self.by_kind = GroupTableModel(("Kind of item", "Items", "Overdue"), self)
        self.by_person = GroupTableModel(("Person", "Team", "Open cases", "Items", "Overdue"), self)
        self.kind_table = table_view(self.by_kind, "Items by kind", stretch_last=False)
        self.person_table = table_view(self.by_person, "Items by person", stretch_last=False)
        for t, how in ((self.kind_table, self._filter_kind), (self.person_table, self._filter_person)):
            t.activated.connect(how)
            t.doubleClicked.connect(how)
        self.tabs.addTab(self.kind_table, "By kind")
        self.tabs.addTab(self.person_table, "By person")
        self.tabs.setTabToolTip(1, "Items and overdue items per kind; open a row to list them")
        self.tabs.setTabToolTip(2, "Each person's open cases (caseload), items and overdue items; "
                                   "open a row to list them")
        layout.addWidget(self.tabs, 1)
        layout.addLayout(self._desk_buttons())
        layout.addLayout(self._proposals())
        ctx.changed.connect(self._changed)
        self._caseloads: dict[str, Allocatable] = {}

    def _top(self) -> QHBoxLayout:
        self.whole_force = QCheckBox("Whole force")
        self.whole_force.setAccessibleName("Show the whole force's items")
        self.whole_force.setVisible(self.may_see_force)
        self.whole_force.toggled.connect(lambda _c: self.refresh())
        self.team = QComboBox()
        self.team.setAccessibleName("Team filter")
        self.team.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # refilled after loading
        self.team.addItem("Any team", None)
        self.team.setVisible(self.may_see_force)
        self.team.currentIndexChanged.connect(lambda _i: self._show())
        self.overdue_only = QCheckBox("Overdue only")
        self.overdue_only.setAccessibleName("Only overdue items")
        self.overdue_only.toggled.connect(lambda _c: self._show())
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setAccessibleName("Number of items")
        top = QHBoxLayout()
        top.addWidget(heading("My work"))
        top.addStretch(1)
        for w in (self.whole_force, self.team, self.overdue_only, self.count):
            top.addWidget(w)
        return top

    def _filters(self) -> QHBoxLayout:
        """Filter by kind of item, assignee and case (and team, above); each combo shows its choice."""
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of item")
        self.kind.addItem("Any kind of item", None)
        for k in DueItemKind:
            self.kind.addItem(human(k.name), k.name)
        self.kind.currentIndexChanged.connect(lambda _i: self._show())
        self.assignee = QComboBox()
        self.assignee.setAccessibleName("Assigned to")
        self.assignee.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.assignee.addItem("Anyone", None)
        self.assignee.currentIndexChanged.connect(lambda _i: self._show())
        self.case_filter = SearchBox("Case or notice reference", "Filter by case")
        self.case_filter.setMaximumWidth(230)
        self.case_filter.search.connect(lambda _t: self._show())
        self.clear_filters = QPushButton("Clear filters")
        self.clear_filters.setAccessibleName("Clear filters")
        self.clear_filters.clicked.connect(self._clear_filters)
        row = QHBoxLayout()
        row.addWidget(QLabel("Show:"))
        for w in (self.kind, self.assignee, self.case_filter, self.clear_filters):
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _desk_buttons(self) -> QHBoxLayout:
        self.allocate_button = QPushButton("Allocate…")
        self.allocate_button.setAccessibleName("Allocate the selected items")
        self.allocate_button.setToolTip("Give the cases (and tasks) of the selected items to an investigator, "
                                        "picked by name; several at once")
        self.allocate_button.clicked.connect(self.allocate)
        self.allocate_button.setVisible(self.may_allocate)
        self.select_all_button = QPushButton("Select all shown")
        self.select_all_button.setAccessibleName("Select all shown items")
        self.select_all_button.clicked.connect(self.table.selectAll)
        self.select_all_button.setVisible(self.may_allocate)
        row = QHBoxLayout()
        row.addWidget(note(HINT), 1)
        row.addWidget(self.select_all_button)
        row.addWidget(self.allocate_button)
        self._enable_allocate()
        return row

    def _proposals(self) -> QVBoxLayout:
        self.approving = self.ctx.may(Action.APPROVE)
        self.proposal_dialog: ProposalDialog | None = None
        self.proposals = ProposalTableModel(self)
        self.proposal_heading = "Awaiting your approval" if self.approving else "Your proposals"
        self.proposal_title = heading(self.proposal_heading, 2)
        self.proposal_table = table_view(self.proposals, "Proposed decisions")
        self.proposal_table.setMaximumHeight(180)
        self.approve_button = QPushButton("Approve…")
        self.reject_button = QPushButton("Reject…")
        self.withdraw_button = QPushButton("Withdraw")
        self.proposal_message = QLabel()
        self.proposal_message.setObjectName("formMessage")
        self.proposal_message.setWordWrap(True)
        self.proposal_message.setAccessibleName("Proposal message")
        row = QHBoxLayout()
        for b, act in ((self.approve_button, lambda: self._decide(True)),
                       (self.reject_button, lambda: self._decide(False)),
                       (self.withdraw_button, self._withdraw)):
            b.setAccessibleName(b.text().rstrip("…"))
            b.clicked.connect(act)
            row.addWidget(b)
        row.addWidget(self.proposal_message, 1)
        self.approve_button.setVisible(self.approving)
        self.reject_button.setVisible(self.approving)
        self.proposal_table.selectionModel().selectionChanged.connect(lambda *_a: self._enable_proposals())
        box = QVBoxLayout()
        box.addWidget(self.proposal_title)
        box.addWidget(self.proposal_table)
        box.addLayout(row)
        self.proposal_buttons = row
        self._say("")
        self._enable_proposals()
        return box

    def _say(self, text: str) -> None:
        """The proposal message line: shown only when it has something to say."""
        self.proposal_message.setText(text)
        self.proposal_message.setVisible(bool(text))

    def load_proposals(self) -> None:
        try:
            rows = actions.pending_for(self.ctx.uow(), self.ctx.user)
        except ExpectedError as exc:
            rows = []
            self._say(exc.message)
        self.proposals.set_rows(rows)
        fit_columns(self.proposal_table, 300)
        self.proposal_title.setVisible(bool(rows) or self.approving or self.ctx.may(Action.PROPOSE_DECISION))
        # An empty list takes one line ("— none"), not half the screen; a full one up to five rows.
        self.proposal_title.setText(f"{self.proposal_heading} ({len(rows)})" if rows
                                    else f"{self.proposal_heading} — none")
        self.proposal_table.setVisible(bool(rows))
        header = self.proposal_table.horizontalHeader().height()
        self.proposal_table.setMaximumHeight(header + 4 + self.proposal_table.verticalHeader().defaultSectionSize()
                                             * min(max(len(rows), 1), 5))
        for b in (self.approve_button, self.reject_button):
            b.setVisible(self.approving and bool(rows))
        self._enable_proposals()

    def selected_proposal(self) -> ProposalView | None:
        rows = self.proposal_table.selectionModel().selectedRows()
        return self.proposals.row_at(rows[0].row()) if rows else None

    def _enable_proposals(self) -> None:
        p = self.selected_proposal()
        self.approve_button.setEnabled(p is not None and p.yours_to_approve)
        self.approve_button.setToolTip("Select a proposal" if p is None else "Approve the selected proposal"
                                       if p.yours_to_approve else f"Awaiting approval by {human_text(p.awaiting)}")
        self.reject_button.setEnabled(p is not None and p.yours_to_reject)
        self.withdraw_button.setEnabled(p is not None and p.status == "PENDING"
                                        and p.proposed_by_id == self.ctx.user.id)
        self.withdraw_button.setVisible(any(r.proposed_by_id == self.ctx.user.id for r in self.proposals.rows()))

    def _decide(self, approving: bool) -> ProposalDialog | None:
        p = self.selected_proposal()
        if p is None:
            return None
        dialog = ProposalDialog(self.ctx, p, approving=approving, parent=self)
        dialog.finished.connect(lambda _r: setattr(self, "proposal_dialog", None))
        done = "approved: the decision is recorded" if approving else "rejected"
        dialog.decided.connect(lambda _r: self._status(f"{p.case_ref}: {human_text(p.what)} — {done}."))
        self.proposal_dialog = dialog
        dialog.open()
        return dialog

    def _status(self, text: str) -> None:
        """Say in the window's status bar what was just done (the dialog has closed)."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(text, STATUS_MS)

    def _withdraw(self) -> None:
        p = self.selected_proposal()
        if p is None:
            return
        try:
            actions.withdraw(self.ctx.uow(), self.ctx.user, p.id)
        except ExpectedError as exc:
            self._say(human_text(exc.message))
            return
        self._say("")
        self._status(f"{p.case_ref}: {human_text(p.what)} — proposal withdrawn.")
        self.ctx.notify(Change.CASES)

    # -- loading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        self._activated = True
        self.load_proposals()
        if self._task is not None:
            self._again = True  # one load at a time; reload once it ends
            return
        everyone = self.whole_force.isChecked()
        ctx = self.ctx
        self.count.setText("Loading…")

        allocating = self.may_allocate and everyone

        def derive(_token: CancelToken) -> tuple[list[QueueItem], list[Allocatable]]:
            items = queue.work_queue(ctx.uow(), ctx.user, everyone=everyone,
                                     most_urgent_cases=None if everyone else MOST_URGENT_CASES)
            return items, team.allocatable(ctx.uow(), ctx.user) if allocating else []

        task = Task(derive, self)
        task.succeeded.connect(lambda items: self._loaded(items, everyone))
        task.failed.connect(lambda exc: show_failure(self, exc))
        task.done.connect(self._task_done)
        self._task = task
        task.start()

    def _task_done(self) -> None:
        self._task = None
        if self._again:
            self._again = False
            self.refresh()
        else:
            emit(self.loaded)

    def _loaded(self, items: Any, everyone: bool) -> None:
        loaded, caseloads = items
        self._items = list(loaded)
        self._caseloads = {a.username: a for a in caseloads}
        self._fill_teams()
        self._fill_assignees()
        self._show()
        if not everyone:  # the navigation counts the user's own overdue items
            emit(self.overdue_changed, sum(1 for i in self._items if i.overdue))

    def _fill_teams(self) -> None:
        chosen = self.team.currentData()
        self.team.blockSignals(True)
        self.team.clear()
        self.team.addItem("Any team", None)
        for t in sorted({i.team for i in self._items if i.team}):
            self.team.addItem(t, t)  # "PSD Team 1", not "Team PSD Team 1"
        self.team.setCurrentIndex(max(0, self.team.findData(chosen)))
        self.team.blockSignals(False)

    def _fill_assignees(self) -> None:
        chosen = self.assignee.currentData()
        self.assignee.blockSignals(True)
        self.assignee.clear()
        self.assignee.addItem("Anyone", None)
        self.assignee.addItem("Unassigned", UNASSIGNED)
        for name in sorted({_owner_key(i) for i in self._items} - {UNASSIGNED}, key=str.lower):
            self.assignee.addItem(name, name)
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(chosen)))
        self.assignee.blockSignals(False)

    def shown_items(self) -> list[QueueItem]:
        team, overdue = self.team.currentData(), self.overdue_only.isChecked()
        kind, who = self.kind.currentData(), self.assignee.currentData()
        case = self.case_filter.text().strip().lower()
        return [i for i in self._items if (not overdue or i.overdue) and (team is None or i.team == team)
                and (kind is None or i.item.name == kind) and (who is None or _owner_key(i) == who)
                and (not case or case in i.case_ref.lower())]

    def _show(self) -> None:
        rows = self.shown_items()
        self.model.set_rows(rows)
        fit_columns(self.table, 260)
        late = sum(1 for i in rows if i.overdue)
        self.count.setText(f"{len(rows)} item{'s' if len(rows) != 1 else ''}, {late} overdue")
        self._fill_groups(rows)
        self._enable_allocate()

    def _fill_groups(self, rows: list[QueueItem]) -> None:
        """Counts per kind of item and per person (their open cases, items and overdue items)."""
        kinds: dict[str, list[int]] = {}
        for i in rows:
            k = kinds.setdefault(human(i.item.name), [0, 0])
            k[0] += 1
            k[1] += i.overdue
        by_overdue = sorted(kinds.items(), key=lambda kv: (-kv[1][1], -kv[1][0]))
        self.by_kind.set_groups([(name, n, late) for name, (n, late) in by_overdue], keys=[k for k, _ in by_overdue])
        people: dict[str, list[Any]] = {}
        for a in self._caseloads.values():
            people[a.name] = [a.team or "", a.open_cases, 0, 0]
        for i in rows:
            key = _owner_key(i)
            p = people.setdefault(key, ["" if key == UNASSIGNED else (i.team or ""), "", 0, 0])
            p[2] += 1
            p[3] += i.overdue
        ordered = sorted(people.items(), key=lambda kv: (kv[0] != UNASSIGNED, -kv[1][3], kv[0].lower()))
        self.by_person.set_groups([(name, *v) for name, v in ordered], keys=[name for name, _ in ordered])
        fit_columns(self.kind_table, 300)
        fit_columns(self.person_table, 300)

    def _filter_kind(self, index: QModelIndex) -> None:
        name = self.by_kind.key(index.row())
        kind = next((k.name for k in DueItemKind if human(k.name) == name), None)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.tabs.setCurrentIndex(0)

    def _filter_person(self, index: QModelIndex) -> None:
        who = self.by_person.key(index.row())
        self.assignee.setCurrentIndex(max(0, self.assignee.findData(who)))
        self.tabs.setCurrentIndex(0)

    def _clear_filters(self) -> None:
        for combo in (self.kind, self.assignee, self.team):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.case_filter.clear()
        self.overdue_only.blockSignals(True)
        self.overdue_only.setChecked(False)
        self.overdue_only.blockSignals(False)
        self._show()

    # -- allocating (the supervisor's desk) --------------------------------------------------
    def selected_items(self) -> list[QueueItem]:
        return [self.model.row_at(ix.row()) for ix in self.table.selectionModel().selectedRows()]

    def _enable_allocate(self) -> None:
        chosen = [i for i in self.selected_items() if i.case_id is not None]
        self.allocate_button.setEnabled(bool(chosen))
        cases = len({i.case_id for i in chosen})
        self.allocate_button.setText(f"Allocate {cases} case{'s' if cases != 1 else ''}…" if cases else "Allocate…")

    def allocate(self) -> AllocateDialog | None:
        chosen = [i for i in self.selected_items() if i.case_id is not None]
        if not chosen:
            return None
        case_ids = list(dict.fromkeys(i.case_id for i in chosen if i.task_id is None and i.case_id is not None))
        task_ids = [i.task_id for i in chosen if i.task_id is not None]
        try:
            people = team.allocatable(self.ctx.uow(), self.ctx.user)
        except ExpectedError as exc:
            show_failure(self, exc)
            return None
        dialog = AllocateDialog(self.ctx, case_ids, task_ids, people, parent=self)
        dialog.allocated.connect(self._status)
        dialog.finished.connect(lambda _r: setattr(self, "allocate_dialog", None))
        self.allocate_dialog = dialog
        dialog.open()
        return dialog

    def _changed(self, what: str) -> None:
        if what in (Change.CASES.value, Change.NOTICES.value) and self._activated:
            self.refresh()

    # -- opening ----------------------------------------------------------------------------
    def _open(self, index: QModelIndex) -> None:
        item: QueueItem | None = self.model.data(index, RowRoles.ROW)
        if item is None:
            return
        if item.case_id is None and item.item in NOTICE_KINDS:
            emit(self.notice_requested, item.case_ref)
        elif item.case_id is not None:  # a task: where it is completed is found by its id
            emit(self.case_requested, item.case_id, item.item.name,
                 item.task_id if item.task_id is not None else item.allegation_id)

    def focus_search(self) -> None:
        self.table.setFocus()
