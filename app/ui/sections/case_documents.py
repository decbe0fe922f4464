"""The case view's "Documents" tab: the case's documents (statements, evidence, letters…), and for the
selected one every version with its SHA-256; Attach…, New version…, Open (a consultation) and Save a
copy… (a disclosure with the recipient), each file read or written in a worker."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from app.services.casefile import documents
from app.services.casefile.documents import DocumentView, VersionView
from app.ui.context import AppContext
from app.ui.dialogs.case_documents import AttachDialog, NewVersionDialog, SaveCopyDialog, open_document
from app.ui.errors import attempt
from app.ui.models.base import RowRoles
from app.ui.models.case_file_tables import DocumentTableModel, VersionTableModel
from app.ui.sections.case_log import CaseFilePanel
from app.ui.signals import emit
from app.ui.widgets import fit_columns, heading, note, table_view
from app.ui.workers import Task

_Dialog = TypeVar("_Dialog", bound=QDialog)  # _open hands back the dialog it was given, with its own type

HINT = ("Files are kept inside the database with their SHA-256. Opening one is recorded in the access log; "
        "saving a copy for someone records who it is for.")


class CaseDocumentsPanel(CaseFilePanel):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("caseDocumentsPanel")
        self.dialog: QWidget | None = None
        self.task: Task | None = None
        self.documents = DocumentTableModel(self)
        self.versions = VersionTableModel(self)
        self.doc_table = table_view(self.documents, "Documents")
        self.doc_table.selectionModel().currentRowChanged.connect(lambda *_a: self._document_selected())
        self.version_table = table_view(self.versions, "Versions of the selected document")
        self.version_table.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        self.version_table.activated.connect(lambda _i: self.open_selected())
        self.count = QLabel()
        self.count.setObjectName("countLabel")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.doc_table)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(heading("Versions", 2))
        lower_layout.addWidget(self.version_table)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        top = QHBoxLayout()
        top.addWidget(note(HINT), 1)
        top.addWidget(self.count)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addLayout(self._buttons())

    def _buttons(self) -> QHBoxLayout:
        self.attach_button = self.button("Attach…", "Attach a document to the case", self.attach)
        self.version_button = self.button("New version…", "Add a new version of the selected document",
                                          self.new_version)
        self.open_button = self.button("Open", "Open the selected version", self.open_selected)
        self.save_button = self.button("Save a copy…", "Save a copy of the selected version for someone",
                                       self.save_copy)
        row = QHBoxLayout()
        for b in (self.attach_button, self.version_button, self.open_button, self.save_button):
            row.addWidget(b)
        row.addStretch(1)
        return row

    # -- reading ----------------------------------------------------------------------------
    def reload(self) -> None:
        d = self.detail
        if d is None:
            return
        chosen = self.selected_document()
        found = attempt(self, documents.list_documents, self.ctx.uow(), self.ctx.user, d.id)
        if found is None:
            return
        self.documents.set_rows(found)
        fit_columns(self.doc_table, 170)
        self.count.setText(f"{len(found)} document{'s' if len(found) != 1 else ''}")
        rows = [i for i, doc in enumerate(found) if chosen is not None and doc.id == chosen.id]
        if found:
            self.doc_table.selectRow(rows[0] if rows else 0)
        self._document_selected()

    def selected_document(self) -> DocumentView | None:
        index = self.doc_table.currentIndex()
        return self.documents.data(index, RowRoles.ROW) if index.isValid() else None

    def selected_version(self) -> VersionView | None:
        index = self.version_table.currentIndex()
        return self.versions.data(index, RowRoles.ROW) if index.isValid() else None

    def _document_selected(self) -> None:
        doc = self.selected_document()
        self.versions.set_rows(doc.versions if doc else ())
        fit_columns(self.version_table, 170)
        if doc is not None:
            self.version_table.selectRow(0)
        self._enable()

    def _enable(self) -> None:
        writing = self.may_write()
        self.attach_button.setVisible(writing)
        self.version_button.setVisible(writing)
        self.version_button.setEnabled(self.selected_document() is not None)
        chosen = self.selected_version() is not None
        self.open_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)

    # -- actions ----------------------------------------------------------------------------
    def attach(self) -> AttachDialog | None:
        if self.detail is None or not self.may_write():
            return None
        dialog = AttachDialog(self.ctx, self.detail.id, self.detail.reference, None, self)
        dialog.succeeded.connect(lambda r: emit(self.written, f"Document attached (version {r.number})."))
        return self._open(dialog)

    def new_version(self) -> NewVersionDialog | None:
        doc = self.selected_document()
        if doc is None or not self.may_write():
            return None
        dialog = NewVersionDialog(self.ctx, doc, self)
        dialog.succeeded.connect(lambda r: emit(self.written, f"Version {r.number} of “{doc.title}” added."))
        return self._open(dialog)

    def save_copy(self) -> SaveCopyDialog | None:
        v = self.selected_version()
        if v is None or self.detail is None:
            return None
        return self._open(SaveCopyDialog(self.ctx, self.detail.reference, v, self))

    def open_selected(self) -> Task | None:
        v = self.selected_version()
        if v is None:
            return None
        self.task = open_document(self, self.ctx, v)
        return self.task

    def _open(self, dialog: _Dialog) -> _Dialog:
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        self.dialog = dialog
        dialog.open()
        return dialog
