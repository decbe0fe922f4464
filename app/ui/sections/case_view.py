"""The case view: the facts; action panels (restriction with its review countdown, IOPC referral,
investigating body, criminal and misconduct tracks, team, closure), each action a dialog that calls
its service with the version the user opened; allegations with subjects and abuse types, victims
(contact details masked until revealed with a reason), the decision timeline and the case team;
the case file (case log, documents, tasks: app.ui.sections.case_log, case_documents, case_tasks)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.enums import AssignmentRole, DueItemKind
from app.domain.permissions import Action
from app.services import actions, case_queries, installation
from app.services.actions import Availability
from app.services.case_facts import CaseFacts, case_facts
from app.services.case_queries import CaseDetail, VictimView
from app.ui.context import AppContext
from app.ui.dialogs.decision_actions import ActionCatalogue
from app.ui.dialogs.decision_form import DecisionDialog
from app.ui.dialogs.reveal import RevealContactDialog
from app.ui.errors import attempt
from app.ui.labels import day, human
from app.ui.models.base import RowRoles
from app.ui.models.case_parts import (
    AllegationRoles,
    AllegationTableModel,
    TeamTableModel,
    TimelineTableModel,
    VictimRoles,
    VictimTableModel,
    decided_text,
    detail_text,
)
from app.ui.sections.case_documents import CaseDocumentsPanel
from app.ui.sections.case_log import CaseLogPanel
from app.ui.sections.case_panels import FOR_ITEM, CaseActionPanels
from app.ui.sections.case_tasks import CaseTasksPanel
from app.ui.signals import emit
from app.ui.style import icon
from app.ui.widgets import FactGrid, back_button, fit_columns, heading, note, table_view

VICTIM_NOTE = ("Contact details are hidden. Reveal them only when you need them: you will be asked "
               "why, and the reveal is recorded in the access log.")
STATUS_MS = 10_000  # how long the status bar says what was just recorded
WITHHELD_NOTE = "Victim details are not shown to the IOPC liaison. Ask the case team if you need them."


class CaseView(QWidget):
    back = Signal()
    person_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseView")
        self.setAccessibleName("Case")
        self.ctx = ctx
        self.detail: CaseDetail | None = None
        self.focus_allegation: int | None = None
        self.rules: CaseFacts | None = None  # what the rules say about the case now
        self.available: dict[str, Availability] = {}  # what the user may do next on it, and why not
        self.action_dialog: DecisionDialog | None = None
        self.panels = CaseActionPanels(ctx)
        self.panels.action_requested.connect(self.open_action)
        self.reveal_dialog: RevealContactDialog | None = None
        self.allegations = AllegationTableModel(self)
        self.victims = VictimTableModel(self)
        self.names = {f.code: f.name for f in installation.list_forces(ctx.uow())} | {"HOME": "Home force"}
        self.timeline = TimelineTableModel(self.names, self)
        self.team = TeamTableModel(self)
        self.facts = FactGrid(columns=3)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Case parts")
        self.tabs.addTab(self.panels, "Actions")
        self.tabs.addTab(self._allegations_tab(), "Allegations")
        self.tabs.addTab(self._victims_tab(), "Victims")
        self.tabs.addTab(self._timeline_tab(), "Decisions")
        self.tabs.addTab(self._team_tab(), "Team")
        self._case_file_tabs()
        layout = QVBoxLayout(self)
        layout.addLayout(self._title_bar())
        layout.addWidget(self.facts)
        layout.addWidget(self.tabs, 1)

    def _case_file_tabs(self) -> None:
        """The investigator's case file (issue #15): its own modules; each tab reads when shown."""
        self.case_log = CaseLogPanel(self.ctx)
        self.documents = CaseDocumentsPanel(self.ctx)
        self.tasks = CaseTasksPanel(self.ctx)
        for panel, title in ((self.case_log, "Case log"), (self.documents, "Documents"), (self.tasks, "Tasks")):
            panel.written.connect(self._recorded)
            self.tabs.addTab(panel, title)

    def _title_bar(self) -> QHBoxLayout:
        back = back_button("Cases", "Back to the case list", self)
        back.clicked.connect(self.back)
        self.title = heading("")
        self.status = QLabel()
        self.status.setObjectName("statusChip")
        bar = QHBoxLayout()
        bar.addWidget(back)
        bar.addWidget(self.title)
        bar.addWidget(self.status)
        bar.addStretch(1)
        return bar

    def _allegations_tab(self) -> QWidget:
        self.allegation_table = table_view(self.allegations, "Allegations")
        self.allegation_table.activated.connect(self._subject_activated)
        hint = "Open a subject's page with Enter or a double-click." if self.ctx.may(Action.READ_PEOPLE) else ""
        return _tab(self.allegation_table, note(hint) if hint else None)

    def _victims_tab(self) -> QWidget:
        self.victim_table = table_view(self.victims, "Victims")
        self.victim_note = note(VICTIM_NOTE)
        self.reveal_button = QPushButton(icon("eye"), "Reveal contact details…")
        self.reveal_button.setAccessibleName("Reveal contact details")
        self.reveal_button.clicked.connect(self.ask_reveal)
        self.edit_victim_button = QPushButton("Edit victim…")
        self.edit_victim_button.setAccessibleName("Edit the selected victim")
        self.edit_victim_button.clicked.connect(self.edit_victim)
        self.edit_victim_button.setVisible(actions.role_may(self.ctx.user, "edit_victim"))
        self.victim_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_reveal())
        self.victim_table.activated.connect(lambda _i: self.edit_victim())
        top = QHBoxLayout()
        top.addWidget(self.victim_note, 1)
        top.addWidget(self.reveal_button)
        top.addWidget(self.edit_victim_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.victim_table, 1)
        layout.addStretch(0)  # keeps the note at the top when the table is hidden
        return page

    def _timeline_tab(self) -> QWidget:
        self.timeline_table = table_view(self.timeline, "Decision timeline")
        self.decision_text = note("Select a decision to read it in full.")
        self.decision_text.setObjectName("decisionText")
        self.timeline_table.selectionModel().currentRowChanged.connect(self._show_decision)
        return _tab(self.timeline_table, self.decision_text)

    def _team_tab(self) -> QWidget:
        self.team_table = table_view(self.team, "Case team")
        self.end_button = QPushButton("End assignment…")
        self.end_button.setAccessibleName("End the selected member's assignment")
        self.end_button.clicked.connect(self._end_selected)
        self.end_button.setVisible(actions.role_may(self.ctx.user, "end_assignment"))
        self.team_table.selectionModel().currentRowChanged.connect(lambda *_: self._update_team())
        return _tab(self.team_table, None, self.end_button)

    # -- contents ---------------------------------------------------------------------------
    def show_case(self, d: CaseDetail) -> None:
        if self.detail is None or self.detail.id != d.id:
            self.focus_allegation = None
            self.panels.verticalScrollBar().setValue(0)  # not where the previous case was scrolled to
        self.detail = d
        self.title.setText(d.reference)
        self.status.setText(human(d.status))
        self.status.setProperty("state", d.status.lower())
        self.status.style().polish(self.status)
        self.facts.set_facts([
            ("Received", day(d.received_date)), ("Reporting route", human(d.reporting_route)),
            ("Case type", human(d.case_type)), ("Crime references", ", ".join(d.crime_refs)),
            ("Closed", day(d.closed_date)), ("Imported from", d.imported_from or "Recorded here"),
        ])
        self.allegations.set_rows(d.allegations)
        self.victims.set_rows(d.victims)
        self.timeline.set_rows(d.timeline)
        self.team.set_rows(d.team)
        for table in (self.allegation_table, self.victim_table, self.timeline_table, self.team_table):
            fit_columns(table, 300)
        self.rules = case_facts(self.ctx.uow(), self.ctx.user, d.id)
        self.available = actions.by_name(actions.available_actions(self.ctx.uow(), self.ctx.user, d.id))
        self.panels.show_case(d, self.rules, self.available)
        for panel in (self.case_log, self.documents, self.tasks):
            panel.show_case(d)
        if d.team:
            self.team_table.selectRow(0)
        self._update_team()
        self._label_tabs(d)
        self.victim_note.setText(WITHHELD_NOTE if d.victim_details_withheld else VICTIM_NOTE)
        self.victim_table.setVisible(not d.victim_details_withheld)
        if d.victims:
            self.victim_table.selectRow(0)
        self._update_reveal()
        self.decision_text.setText("Select a decision to read it in full.")
        self.tabs.setCurrentIndex(0)
        self.allegation_table.setFocus()

    def _label_tabs(self, d: CaseDetail) -> None:
        victims = "Victims (withheld)" if d.victim_details_withheld else f"Victims ({len(d.victims)})"
        for i, text in enumerate(("Actions", f"Allegations ({len(d.allegations)})", victims,
                                  f"Decisions ({len(d.timeline)})", f"Team ({len(d.team)})")):
            self.tabs.setTabText(i, text)

    def focus_action(self, kind: str, allegation_id: int | None) -> None:
        """Show the place where a work-queue item of `kind` is completed (for a task, `allegation_id`
        is the task's id)."""
        if kind == DueItemKind.INVESTIGATION_ACTION.name:
            self.tabs.setCurrentWidget(self.tasks)
            if allegation_id is not None:
                self.tasks.select_task(allegation_id)
            return
        self.tabs.setCurrentWidget(self.panels)
        self.focus_allegation = allegation_id
        key = FOR_ITEM.get(kind)
        if key is not None:
            self.panels.focus(key)

    # -- actions ----------------------------------------------------------------------------
    def open_action(self, key: str, **chosen: Any) -> DecisionDialog | None:
        """The dialog of action `key`; `chosen` preselects what the user picked in a tab."""
        d, f = self.detail, self.rules
        if d is None or f is None:
            return None
        spec = ActionCatalogue(self.ctx, d, f, self.names, self.available).spec(key, self.focus_allegation, **chosen)
        dialog = DecisionDialog(self.ctx, spec, self)
        dialog.recorded.connect(lambda result: self._recorded(
            f"{spec.title}: proposed for approval on {d.reference}." if isinstance(result, actions.Proposed)
            else f"{spec.title}: recorded on {d.reference}."))
        dialog.reload_requested.connect(self.reload)
        dialog.finished.connect(lambda _r: setattr(self, "action_dialog", None))
        self.action_dialog = dialog
        dialog.open()
        return dialog

    def _recorded(self, what: str) -> None:
        """Reload the case, and say in the status bar what was just saved — recorded, or proposed
        for approval (the dialog has closed)."""
        self.reload()
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(what, STATUS_MS)

    def reload(self) -> None:
        if self.detail is None:
            return
        tab = self.tabs.currentIndex()
        fresh = attempt(self, case_queries.open_case, self.ctx.uow(), self.ctx.user, self.detail.id)
        if fresh is not None:
            self.show_case(fresh)
            self.tabs.setCurrentIndex(tab)

    def clear(self) -> None:
        self.detail = None
        self.rules = None
        self.available = {}
        for model in (self.allegations, self.victims, self.timeline, self.team):
            model.set_rows([])
        for panel in (self.case_log, self.documents, self.tasks):
            panel.clear()

    def hide_revealed(self) -> None:
        self.victims.mask_all()
        if self.reveal_dialog is not None:
            self.reveal_dialog.reject()
        self._update_reveal()

    # -- victims ----------------------------------------------------------------------------
    def selected_victim(self) -> VictimView | None:
        index = self.victim_table.currentIndex()
        return self.victims.data(index, VictimRoles.ROW) if index.isValid() else None

    def _update_reveal(self) -> None:
        v = self.selected_victim()
        revealed = v is not None and bool(self.victims.data(self.victim_table.currentIndex(), VictimRoles.REVEALED))
        self.reveal_button.setVisible(self.detail is not None and not self.detail.victim_details_withheld)
        self.reveal_button.setEnabled(v is not None and v.has_contact_details and not revealed)
        editing = self.available.get("edit_victim")
        allowed = editing is not None and editing.may
        self.edit_victim_button.setEnabled(v is not None and allowed)
        self.edit_victim_button.setToolTip((editing.why_not or "") if editing is not None and not allowed else
                                           "Edit the selected victim (Enter)" if v else "Select a victim")

    def edit_victim(self) -> DecisionDialog | None:
        v = self.selected_victim()
        if v is None or not self.edit_victim_button.isEnabled():
            return None
        return self.open_action("edit_victim", victim=v, revealed=self.victims.revealed_text(v.id))

    def ask_reveal(self) -> None:
        v, d = self.selected_victim(), self.detail
        if v is None or d is None:
            return
        dialog = RevealContactDialog(self.ctx, d.reference, v, self)
        dialog.revealed.connect(self._revealed)
        dialog.finished.connect(lambda _r: setattr(self, "reveal_dialog", None))
        self.reveal_dialog = dialog
        dialog.open()

    def _revealed(self, victim_id: int, text: str) -> None:
        self.victims.reveal(victim_id, text)
        self.victim_table.resizeColumnToContents(VictimTableModel.CONTACT_COLUMN)
        self._update_reveal()

    # -- team -------------------------------------------------------------------------------
    def _update_team(self) -> None:
        index = self.team_table.currentIndex()
        member = self.team.data(index, RowRoles.ROW) if index.isValid() else None
        panel = self.panels.buttons["end_assignment"]
        assigned = member is not None and member.role in AssignmentRole.__members__
        self.end_button.setEnabled(panel.isEnabled() and assigned)
        self.end_button.setToolTip(panel.toolTip() if not panel.isEnabled() else
                                   "End the selected member's assignment" if assigned else
                                   "Select a member of the case team")

    def _end_selected(self) -> None:
        index = self.team_table.currentIndex()
        member = self.team.data(index, RowRoles.ROW) if index.isValid() else None
        if member is not None:
            self.open_action("end_assignment", member=(member.name, member.role))

    # -- other tabs -------------------------------------------------------------------------
    def _subject_activated(self, index: QModelIndex) -> None:
        if self.ctx.may(Action.READ_PEOPLE):
            emit(self.person_requested, int(self.allegations.data(index, AllegationRoles.SUBJECT_PERSON_ID)))

    def _show_decision(self, current: QModelIndex, _previous: QModelIndex) -> None:
        e = self.timeline.data(current, RowRoles.ROW) if current.isValid() else None
        if e is None:
            return
        first = f"{human(e.kind)}, effective {day(e.effective_date)}, " + \
            (f"proposed by {e.proposed_by}, " if e.proposed_by else "") + decided_text(e) + \
            (f", approved by {e.approved_by}" if e.approved_by else "")
        lines = [f"{label.capitalize()}: {detail_text(text, self.names)}" for label, text in e.details]
        if e.rationale:
            lines.append(f"Rationale: {e.rationale}")
        self.decision_text.setText("<br>".join([f"<b>{_escape(first)}</b>", *map(_escape, lines)]))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _tab(table: QTableView, below: QLabel | None, *buttons: QPushButton) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(8, 8, 8, 8)
    if buttons:
        top = QHBoxLayout()
        top.addStretch(1)
        for button in buttons:
            top.addWidget(button)
        layout.addLayout(top)
    layout.addWidget(table, 1)
    if below is not None:
        layout.addWidget(below)
    return page
