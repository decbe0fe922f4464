"""Documents and the case-file export in the window: attaching a file (to the case or a log entry), a
new version, opening a copy, saving a copy for someone, and the case-file PDF. Files are read and
written in a worker behind a cancellable progress dialog (the window never freezes; a cancelled
upload keeps nothing). Opened copies go to a private temporary folder removed when the program ends."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.domain.case_file import DocumentKind
from app.domain.errors import ExpectedError
from app.reports.marking import MARKING
from app.services.casefile import documents, export
from app.services.casefile.documents import DocumentView, VersionView
from app.services.unit_of_work import UnitOfWork
from app.ui import settings
from app.ui.context import AppContext, Change
from app.ui.dialogs.case_entry import CaseFileDialog, combo
from app.ui.dialogs.report_result import ReportResultDialog, open_path
from app.ui.errors import show_failure, show_message
from app.ui.labels import human
from app.ui.signals import emit
from app.ui.workers import CancellableUnitOfWork, Cancelled, CancelToken, Task, run_with_progress

RECIPIENTS = ("IOPC", "Misconduct hearing panel", "Crown Prosecution Service", "Legal Services")
PURPOSES = ("IOPC referral", "Misconduct hearing", "Criminal investigation file", "Other")
_private: list[Path] = []


def private_folder() -> Path:
    """A folder only this user can read (0700), for copies opened in other programs; removed at exit."""
    if not _private:
        _private.append(Path(tempfile.mkdtemp(prefix="ppda-open-")))
        atexit.register(shutil.rmtree, _private[0], True)
    return _private[0]


def last_folder() -> Path:
    return Path(settings.read(settings.LAST_FOLDER) or str(Path.home()))


def path_row(edit: QLineEdit, choose: Callable[[], None]) -> QWidget:
    row = QWidget()
    line = QHBoxLayout(row)
    line.setContentsMargins(0, 0, 0, 0)
    line.addWidget(edit, 1)
    button = QPushButton("Choose…")
    button.setAccessibleName(f"Choose {edit.accessibleName().lower()}")
    button.clicked.connect(choose)
    line.addWidget(button)
    return row


def editable(accessible: str, options: tuple[str, ...]) -> QComboBox:
    box = combo(accessible, [(o, o) for o in options])
    box.setEditable(True)
    box.setCurrentIndex(0)
    return box


class WorkerDialog(CaseFileDialog):
    """A form whose OK runs `work` in a worker (progress, Cancel): closed on success, the refusal
    shown inline on failure, "nothing was saved" when cancelled."""

    succeeded = Signal(object)

    def __init__(self, ctx: AppContext, title: str, intro: str, ok: str, parent: QWidget | None = None) -> None:
        super().__init__(title, intro, ok, parent)
        self.ctx = ctx
        self.task: Task | None = None

    def run(self, label: str, work: Callable[[UnitOfWork], Any]) -> Task:
        uow = self.ctx.uow()
        self.ok_button.setEnabled(False)
        self.task = run_with_progress(self, label, lambda token: work(CancellableUnitOfWork(uow, token)))
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        return self.task

    def _done(self, result: Any) -> None:
        self.task = None
        self.ctx.notify(Change.CASES)
        emit(self.succeeded, result)
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.task = None
        self.ok_button.setEnabled(True)
        if isinstance(exc, ExpectedError):
            self.refused(exc)
        else:
            show_failure(self, exc)

    def file_line(self, label: str, *, save: bool, suffix: str = "") -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(label.rstrip(":"))
        self.form.addRow(label, path_row(edit, lambda: self._choose(edit, save, suffix)))
        self.watch(edit)
        return edit

    def _choose(self, edit: QLineEdit, save: bool, suffix: str) -> None:
        start = edit.text().strip() or str(last_folder())
        if save:
            path, _ = QFileDialog.getSaveFileName(self, "Save as", start,
                                                  f"{suffix.upper()} (*.{suffix})" if suffix else "")
        else:
            path, _ = QFileDialog.getOpenFileName(self, "Choose the file", start)
        if path:
            settings.write(settings.LAST_FOLDER, str(Path(path).parent))
            edit.setText(path)


class AttachDialog(WorkerDialog):
    def __init__(self, ctx: AppContext, case_id: int, reference: str, entry_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        to = f"log entry {entry_id} of {reference}" if entry_id else reference
        super().__init__(ctx, f"Attach a document — {to}", "The file is stored inside the database with its "
                         "SHA-256 digest. A changed file later becomes a new version; nothing is overwritten.",
                         "Attach", parent)
        self.setObjectName("attachDialog")
        self.case_id, self.entry_id = case_id, entry_id
        self.file = self.file_line("File:", save=False)
        self.file.textChanged.connect(self._title_from_file)
        self.title = self.line("Title:", placeholder="e.g. Statement of V1")
        self.kind = self.field("Kind:", combo("Kind", [(human(k.name), k) for k in DocumentKind]))
        self.watch(self.title, self.kind)
        self.resize(620, self.sizeHint().height())

    def _title_from_file(self, text: str) -> None:
        if not self.title.isModified():
            self.title.setText(Path(text).stem if text.strip() else "")

    def accept(self) -> None:
        path, title, kind, user, case_id, entry = (Path(self.file.text().strip()), self.title.text(),
                                                   DocumentKind(self.kind.currentData()), self.ctx.user,
                                                   self.case_id, self.entry_id)
        if not self.file.text().strip():
            self.say("Choose the file to attach.")
            return
        self.run(f"Attaching {path.name}…", lambda uow: documents.attach(uow, user, case_id, path, title=title,
                                                                        kind=kind, entry_id=entry))


class NewVersionDialog(WorkerDialog):
    def __init__(self, ctx: AppContext, document: DocumentView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"New version of “{document.title}”", f"Version {document.current.number + 1}: the "
                         f"earlier {document.current.number} stay as they were.", "Add version", parent)
        self.setObjectName("newVersionDialog")
        self.document = document
        self.file = self.file_line("File:", save=False)
        self.note = self.line("What changed:", placeholder="e.g. signed copy")
        self.watch(self.note)
        self.resize(620, self.sizeHint().height())

    def accept(self) -> None:
        path, note, user, doc = Path(self.file.text().strip()), self.note.text(), self.ctx.user, self.document.id
        if not self.file.text().strip():
            self.say("Choose the changed file.")
            return
        self.run(f"Adding {path.name}…", lambda uow: documents.add_version(uow, user, doc, path, note=note))


class SaveCopyDialog(WorkerDialog):
    """A copy for someone outside the case team: a disclosure, logged with the recipient."""

    def __init__(self, ctx: AppContext, reference: str, version: VersionView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Save a copy of {version.filename}", "Saving a copy discloses the document: the "
                         f"access log keeps who it is for. Handle it as {MARKING}.", "Save copy", parent)
        self.setObjectName("saveCopyDialog")
        self.version = version
        self.recipient = self.field("For:", editable("For", RECIPIENTS))
        self.out = self.file_line("Save as:", save=True, suffix=version.file_type)
        self.out.setText(str(last_folder() / f"{reference} {MARKING} {Path(version.filename).name}"))
        self.resize(640, self.sizeHint().height())

    def accept(self) -> None:
        out, recipient = Path(self.out.text().strip()), self.recipient.currentText()
        user, vid = self.ctx.user, self.version.id
        self.run(f"Saving {out.name}…", lambda uow: documents.export_copy(uow, user, vid, out, recipient))


class ExportCaseFileDialog(WorkerDialog):
    """The case-file PDF for a referral or a hearing: a disclosure, logged with the recipient."""

    def __init__(self, ctx: AppContext, case_id: int, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(ctx, f"Export the case file — {reference}", "A PDF of the case: summary, allegations, "
                         "decisions with their rationale, the case log and the list of documents with their SHA-256. "
                         f"Victims' contact details are left out. Marked {MARKING}; "
                         "the access log keeps who it is for.",
                         "Export", parent)
        self.setObjectName("exportCaseFileDialog")
        self.case_id = case_id
        self.recipient = self.field("For:", editable("For", RECIPIENTS))
        self.purpose = self.field("Purpose:", editable("Purpose", PURPOSES))
        self.out = self.file_line("Save as:", save=True, suffix="pdf")
        self.out.setText(str(last_folder() / f"{reference} case file ({MARKING}).pdf"))
        self.result_dialog: ReportResultDialog | None = None
        self.succeeded.connect(self._written)
        self.resize(660, self.sizeHint().height())

    def accept(self) -> None:
        out, user, cid = Path(self.out.text().strip()), self.ctx.user, self.case_id
        recipient, purpose = self.recipient.currentText(), self.purpose.currentText()
        self.run("Writing the case file…", lambda uow: export.export_case_file(uow, user, cid, recipient, out,
                                                                               purpose=purpose))

    def _written(self, done: Any) -> None:
        summary = (f"Case file {done.reference} for {self.recipient.currentText()}: {done.pages} pages, "
                   f"{done.decisions} decisions, {done.entries} log entries, {done.documents} document versions.")
        self.result_dialog = ReportResultDialog("Case file written", done.out, summary, self.parentWidget())
        self.result_dialog.open()
        self.ctx.notify(Change.ACCESS_LOG)


def open_document(parent: QWidget, ctx: AppContext, version: VersionView) -> Task:
    """Open a copy in the program the computer uses for its type (logged as a consultation)."""
    uow, user, folder = ctx.uow(), ctx.user, private_folder()

    def work(token: CancelToken) -> Path:
        return documents.open_copy(CancellableUnitOfWork(uow, token), user, version.id, folder)

    task = run_with_progress(parent, f"Opening {version.filename}…", work)
    task.succeeded.connect(lambda path: _opened(parent, path))
    task.failed.connect(lambda exc: None if isinstance(exc, Cancelled) else show_failure(parent, exc))
    return task


def _opened(parent: QWidget, path: Path) -> None:
    if not open_path(path):
        show_message(parent, "No program to open it", f"No program on this computer opens {path.suffix} files. "
                     "Use “Save a copy…” to give the file to someone who can read it.")
