"""The case view's "Case log" tab: the summary, then ONE timeline of the log entries with the decisions,
documents and tasks, newest first, searched and filtered by kind (in the database); the selected
item in full below; Add entry…, Correct…, Attach document… (to the selected entry) and Export case
file…. Read when the tab is first shown for a case (each reading is logged by the service)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.case_file import ENTRY_LABELS, EntryKind
from app.domain.enums import CaseStatus
from app.domain.permissions import Action
from app.services.case_queries import CaseDetail
from app.services.casefile import timeline
from app.services.casefile.timeline import CaseLog, LogQuery, Source, TimelineItem
from app.ui.context import AppContext
from app.ui.dialogs.case_documents import AttachDialog, ExportCaseFileDialog
from app.ui.dialogs.case_entry import CaseParties, CorrectionDialog, EntryDialog
from app.ui.errors import attempt
from app.ui.labels import day, moment
from app.ui.models.base import RowRoles
from app.ui.models.case_file_tables import CaseLogTableModel, dated_text, item_kind
from app.ui.signals import emit
from app.ui.widgets import SearchBox, fit_columns, heading, note, table_view

EVERYTHING = "Everything"
_Dialog = TypeVar("_Dialog", bound=QDialog)  # _open hands back the dialog it was given, with its own type
KIND_FILTERS: tuple[tuple[str, frozenset[str]], ...] = (
    (EVERYTHING, frozenset()),
    *((ENTRY_LABELS[k], frozenset({k.name})) for k in EntryKind),
    ("Decisions", frozenset({Source.DECISION.name})), ("Documents", frozenset({Source.DOCUMENT.name})),
    ("Tasks", frozenset({Source.TASK.name})),
)


def esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def parties(d: CaseDetail) -> CaseParties:
    subjects = tuple(dict.fromkeys((a.subject_person_id, a.subject) for a in d.allegations))
    return CaseParties(d.id, d.reference, tuple(v.reference for v in d.victims), subjects)


class CaseFilePanel(QWidget):
    """A tab of the case view that reads its part of the case file when shown, and again after a
    write or when the case is reloaded."""

    written = Signal(str)  # what was recorded, for the status bar (the case view reloads the case)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.detail: CaseDetail | None = None
        self.stale = True

    def show_case(self, d: CaseDetail) -> None:
        self.detail, self.stale = d, True
        if self.isVisible():
            self.load()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale and self.detail is not None:
            self.load()

    def load(self) -> None:
        self.stale = False
        self.reload()

    def reload(self) -> None:
        """Subclasses: read their part and show it."""

    def may_write(self) -> bool:
        d = self.detail
        return (d is not None and self.ctx.may(Action.EDIT_CASE) and not d.victim_details_withheld
                and d.status != CaseStatus.DISPOSED.name)

    def clear(self) -> None:
        self.detail, self.stale = None, True

    def button(self, text: str, accessible: str, slot: Callable[[], object]) -> QPushButton:
        made = QPushButton(text)
        made.setAccessibleName(accessible)
        made.clicked.connect(slot)
        return made


class CaseLogPanel(CaseFilePanel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("caseLogPanel")
        self.log: CaseLog | None = None
        self.dialog: QWidget | None = None
        self.model = CaseLogTableModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self._summary_box())
        layout.addLayout(self._filters())
        split = QSplitter(Qt.Orientation.Vertical)
        self.table = table_view(self.model, "Case log")
        self.table.selectionModel().currentRowChanged.connect(self._selected)
        self.table.activated.connect(lambda _i: self.correct())
        split.addWidget(self.table)
        split.addWidget(self._reading())
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([300, 150])  # the selected item's full text has room below the table
        layout.addWidget(split, 1)
        layout.addLayout(self._buttons())

    # -- layout -----------------------------------------------------------------------------
    def _summary_box(self) -> QFrame:
        box = QFrame()
        box.setObjectName("summaryBox")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_button = QPushButton("Change summary…")
        self.summary_button.setAccessibleName("Change the summary")
        self.summary_button.clicked.connect(lambda: self.add_entry(EntryKind.SUMMARY))
        line = QHBoxLayout(box)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(heading("Summary", 2), 0, Qt.AlignmentFlag.AlignTop)
        line.addWidget(self.summary, 1)
        line.addWidget(self.summary_button, 0, Qt.AlignmentFlag.AlignTop)
        return box

    def _filters(self) -> QHBoxLayout:
        self.search = SearchBox("Search the case log (words in any order)", "Search the case log")
        self.search.search.connect(lambda _t: self.reload())
        self.kind = QComboBox()
        self.kind.setAccessibleName("Show")
        for text, kinds in KIND_FILTERS:
            self.kind.addItem(text, kinds)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        self.count.setAccessibleName("Number of items")
        row = QHBoxLayout()
        row.addWidget(self.search, 1)
        row.addWidget(QLabel("Show:"))
        row.addWidget(self.kind)
        row.addWidget(self.count)
        return row

    def _reading(self) -> QScrollArea:
        self.reading = note("Select an item to read it in full.")
        self.reading.setObjectName("entryText")
        self.reading.setAccessibleName("The selected item")
        self.reading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reading.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.reading)
        return scroll

    def _buttons(self) -> QHBoxLayout:
        self.add_button = self.button("Add entry…", "Add an entry to the case log", lambda: self.add_entry())
        self.victim_button = self.button("Contact with the victim…", "Record a contact with the victim",
                                          lambda: self.add_entry(EntryKind.VICTIM_CONTACT))
        self.correct_button = self.button("Correct…", "Correct the selected entry", self.correct)
        self.attach_button = self.button("Attach document…", "Attach a document to the selected entry", self.attach)
        self.export_button = self.button("Export case file…", "Export the case file as a PDF", self.export)
        row = QHBoxLayout()
        for b in (self.add_button, self.victim_button, self.correct_button, self.attach_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.export_button)
        return row

    # -- reading ----------------------------------------------------------------------------
    def query(self) -> LogQuery:
        return LogQuery(self.search.text().strip(), self.kind.currentData() or frozenset())

    def reload(self) -> None:
        d = self.detail
        if d is None:
            return
        log = attempt(self, timeline.read_log, self.ctx.uow(), self.ctx.user, d.id, self.query())
        if log is None:
            return
        self.log = log
        self.model.set_rows(log.items)
        fit_columns(self.table, 170)
        self._show_summary(log)
        more = " (the newest; search to narrow)" if log.truncated else ""
        self.count.setText(f"{len(log.items)} item{'s' if len(log.items) != 1 else ''}{more}")
        if log.items:
            self.table.selectRow(0)
        else:
            self.reading.setText("Nothing matches." if log.searched else "Nothing recorded yet.")
        self._enable()

    def _show_summary(self, log: CaseLog) -> None:
        s = log.summary
        self.summary.setText(s.text if s else "No summary yet: write what was reported, in brief.")
        self.summary.setToolTip(f"Written by {s.by} on {day(s.at)}" if s else "")

    def selected(self) -> TimelineItem | None:
        index = self.table.currentIndex()
        return self.model.data(index, RowRoles.ROW) if index.isValid() else None

    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = self.model.data(current, RowRoles.ROW) if current.isValid() else None
        if item is not None:
            self.reading.setText(reading_text(item))
        self._enable()

    def _enable(self) -> None:
        writing = self.may_write()
        item = self.selected()
        entry = item is not None and item.source == Source.ENTRY
        for b in (self.add_button, self.victim_button, self.summary_button):
            b.setVisible(writing)
        self.victim_button.setEnabled(bool(self.detail and self.detail.victims and self.detail.status == "OPEN"))
        self.correct_button.setVisible(writing)
        self.attach_button.setVisible(writing)
        self.correct_button.setEnabled(entry and item is not None and item.corrected_by is None)
        self.attach_button.setEnabled(entry)
        self.correct_button.setToolTip("Select an entry of the log" if not entry else
                                       "Already corrected: correct the correction" if item and item.corrected_by
                                       else "Correct the selected entry (Enter)")

    # -- writing ----------------------------------------------------------------------------
    def add_entry(self, kind: EntryKind = EntryKind.NOTE) -> EntryDialog | None:
        if self.detail is None or not self.may_write():
            return None
        dialog = EntryDialog(self.ctx, parties(self.detail), kind, self)
        dialog.written.connect(lambda _id: emit(
            self.written, f"{ENTRY_LABELS[dialog.chosen_kind()]}: added to the "
                          f"case log of {self.detail.reference if self.detail else ''}."))
        return self._open(dialog)

    def correct(self) -> CorrectionDialog | None:
        item = self.selected()
        if self.detail is None or item is None or not self.correct_button.isEnabled() or not self.may_write():
            return None
        dialog = CorrectionDialog(self.ctx, self.detail.reference, item, self)
        dialog.written.connect(lambda _id: emit(self.written, f"Entry {item.id} corrected."))
        return self._open(dialog)

    def attach(self) -> AttachDialog | None:
        item = self.selected()
        if self.detail is None or item is None or item.source != Source.ENTRY:
            return None
        dialog = AttachDialog(self.ctx, self.detail.id, self.detail.reference, item.id, self)
        dialog.succeeded.connect(lambda _r: emit(self.written, f"Document attached to entry {item.id}."))
        return self._open(dialog)

    def export(self) -> ExportCaseFileDialog | None:
        if self.detail is None:
            return None
        return self._open(ExportCaseFileDialog(self.ctx, self.detail.id, self.detail.reference, self))

    def _open(self, dialog: _Dialog) -> _Dialog:
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog


def reading_text(i: TimelineItem) -> str:
    """The selected item in full, as rich text."""
    when = f"{day(i.on)}, by {i.by}" + (f" (written {moment(i.at)[:-3]})" if i.source == Source.ENTRY else "")
    lines = [f"<b>{esc(item_kind(i))}</b> — {esc(when)}"]
    if i.subject:
        lines.append(f"Subject: {esc(i.subject)}")
    if i.corrected_by is not None:
        lines.append(f"<i>Corrected by entry {i.corrected_by}; kept as first written.</i>")
    if i.corrects is not None:
        lines.append(f"<i>Corrects entry {i.corrects}. Why: {esc(i.correction_reason or '')}</i>")
    if i.text:
        lines.append(esc(i.text))
    lines += [f"{esc(label.capitalize())}: {esc(dated_text(value))}" for label, value in i.details]
    lines += [f"Attached: {esc(title)}" for _, title in i.attachments]
    return "<br>".join(lines)


__all__ = ["CaseFilePanel", "CaseLogPanel", "reading_text"]
