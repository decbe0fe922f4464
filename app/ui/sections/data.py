"""Data: importing the workforce register, cases and prior notices from CSV or xlsx, in a worker
thread behind a cancellable progress dialog. A refused file lists every bad row. Notice files go
through notice_files.import_notice_file (a signed manifest is verified; an unsigned PND or College
file is imported only when the user accepts it); outbound notice files are exported signed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import ImportRejected, UnsignedNoticeFile
from app.domain.permissions import Action
from app.domain.records import User
from app.services import installation, notice_files
from app.services.imports.cases import import_cases
from app.services.imports.workforce import ImportSummary, import_workforce
from app.services.notice_files import OutboundResult
from app.services.unit_of_work import UnitOfWork
from app.ui import settings
from app.ui.context import AppContext, Change
from app.ui.dialogs.decision_approver import ApproverField
from app.ui.dialogs.import_problems import ImportProblemsDialog
from app.ui.errors import show_failure, show_message
from app.ui.sections.base import Section
from app.ui.style import icon
from app.ui.widgets import heading, note
from app.ui.workers import CancellableUnitOfWork, CancelToken, Task, run_with_progress

Importer = Callable[[UnitOfWork, User, Path], ImportSummary]
APPROVER_PURPOSE = ("Approve the decisions of this cases import that need an approval (a decision not to "
                    "restrict; the home force investigating against the guidance).")


def _notices(uow: UnitOfWork, user: User, path: Path, accept_unsigned: bool = False) -> ImportSummary:
    summary, _changed_ids = notice_files.import_notice_file(uow, user, path, accept_unsigned=accept_unsigned)
    return summary


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: str
    description: str
    action: Action
    run: Importer
    change: Change


KINDS = (
    ImportKind("workforce", "Workforce register",
               "Everyone in the force, current and former: one row per person, keyed by staff number. "
               "A row for someone already held updates them.", Action.IMPORT_WORKFORCE, import_workforce,
               Change.PEOPLE),
    ImportKind("cases", "Cases",
               "Migration from spreadsheets or another case system: one row per allegation; rows with the "
               "same case reference form one case. Decisions in the file are recorded as imported.",
               Action.IMPORT_CASES, import_cases, Change.CASES),
    ImportKind("notices", "Prior notices",
               "Notices from other forces (signed: the manifest next to the file is verified), the PND and the "
               "College's barred and advisory lists, keyed by issuing force and notice id.", Action.IMPORT_NOTICES,
               _notices, Change.NOTICES),
)


class _Card(QFrame):
    def __init__(self, kind: ImportKind, on_import: Callable[[ImportKind], None], parent: QWidget | None = None,
                 approver: ApproverField | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        title = heading(kind.title, 2)
        text = note(kind.description)
        self.approver = approver
        self.button = QPushButton(icon("import"), "Import file…")
        self.button.setAccessibleName(f"Import {kind.title.lower()} file")
        self.button.clicked.connect(lambda: on_import(kind))
        self.result = QLabel("")
        self.result.setObjectName("cardResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName(f"Last {kind.title.lower()} import")
        layout = QVBoxLayout(self)
        for w in (title, text):
            layout.addWidget(w)
        if approver is not None:
            layout.addWidget(note("Decisions that need an approval (no restriction; the home force investigating "
                                  "against the external-investigation guidance) need an approver who signs in "
                                  "for this import: a supervisor or the head of PSD other than you."))
            form = QFormLayout()
            form.addRow("Approver:", approver)
            layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.result)
        layout.addWidget(self.button)


class DataSection(Section):
    title = "Data"
    icon_name = "data"
    description = "Imports"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kinds = {k.key: k for k in KINDS if ctx.may(k.action)}
        self.cards: dict[str, _Card] = {}
        self.task: Task | None = None
        self.problems: ImportProblemsDialog | None = None
        self.question: QMessageBox | None = None
        grid = QGridLayout()
        for i, kind in enumerate(self.kinds.values()):
            approver = ApproverField(ctx, APPROVER_PURPOSE) if kind.key == "cases" else None
            self.cards[kind.key] = _Card(kind, self.choose_file, approver=approver)
            grid.addWidget(self.cards[kind.key], 0, i)
        self.outbound: OutboundCard | None = None
        if ctx.may(Action.EXPORT_NOTICES):
            self.outbound = OutboundCard(ctx, self.choose_outbound)
            grid.addWidget(self.outbound, 1, 0, 1, max(1, len(self.kinds)))
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Data"))
        layout.addWidget(note("Files are CSV (UTF-8, with a header row) or xlsx (first sheet), laid out as "
                              "the interface specification says. An import is all or nothing: a file with "
                              "any bad row changes nothing, and every bad row is listed. Importing the same "
                              "file twice changes nothing."))
        layout.addLayout(grid)
        layout.addStretch(1)

    def choose_file(self, kind: ImportKind) -> None:
        folder = settings.read(settings.LAST_FOLDER) or str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, f"Import {kind.title.lower()}", folder,
                                              "CSV or Excel (*.csv *.xlsx *.xlsm)")
        if path:
            settings.write(settings.LAST_FOLDER, str(Path(path).parent))
            self.import_file(kind.key, Path(path))

    def import_file(self, key: str, path: Path, accept_unsigned: bool = False) -> Task:
        kind, uow, user = self.kinds[key], self.ctx.uow(), self.ctx.user
        field = self.cards[key].approver
        approver = field.user if field is not None else None
        if field is not None:
            field.set_user(None)  # an approval is given for one import

        def work(token: CancelToken) -> ImportSummary:
            if accept_unsigned:
                return _notices(CancellableUnitOfWork(uow, token), user, path, accept_unsigned=True)
            if approver is not None:
                return import_cases(CancellableUnitOfWork(uow, token), user, path, approver)
            return kind.run(CancellableUnitOfWork(uow, token), user, path)

        self.task = run_with_progress(self, f"Importing {path.name}…", work)
        self.task.succeeded.connect(lambda summary: self._imported(kind, summary))
        self.task.failed.connect(lambda exc: self._failed(kind, exc, path))
        return self.task

    def _imported(self, kind: ImportKind, summary: ImportSummary) -> None:
        self.cards[kind.key].result.setText(f"Last import: {summary}")
        show_message(self, "Imported", str(summary))
        self.ctx.notify(kind.change)

    def _failed(self, kind: ImportKind, exc: BaseException, path: Path) -> None:
        if isinstance(exc, UnsignedNoticeFile):
            self.ask_unsigned(path, exc)
        elif isinstance(exc, ImportRejected):
            self.cards[kind.key].result.setText(f"Last import: {exc.filename} refused ({exc.total} problems)")
            self.problems = ImportProblemsDialog(exc, self)
            self.problems.open()
        else:
            show_failure(self, exc)

    def ask_unsigned(self, path: Path, refusal: UnsignedNoticeFile) -> QMessageBox:
        """An unsigned PND or College file: import it only if the user says so (logged)."""
        sources = ", ".join(refusal.sources) or "an unknown source"
        self.question = QMessageBox(QMessageBox.Icon.Question, "Accept an unsigned file?",
                                    f"{refusal.filename} is not signed. It comes from {sources}.\n\nImport "
                                    f"{path.name} unsigned? Import it only if you are sure of its origin; your "
                                    "acceptance is recorded in the access log.",
                                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        self.question.setDefaultButton(QMessageBox.StandardButton.No)
        self.question.setAccessibleName("Accept an unsigned file?")
        self.question.button(QMessageBox.StandardButton.Yes).setText("Accept unsigned and import")
        self.question.accepted.connect(lambda: self.import_file("notices", path, accept_unsigned=True))
        self.question.open()
        return self.question

    def choose_outbound(self) -> None:
        assert self.outbound is not None
        folder = Path(settings.read(settings.LAST_FOLDER) or str(Path.home()))
        name = f"notices-to-{self.outbound.recipient.currentData()}.csv"
        path, _ = QFileDialog.getSaveFileName(self, "Export a notice file", str(folder / name), "CSV (*.csv)")
        if path:
            settings.write(settings.LAST_FOLDER, str(Path(path).parent))
            self.export_notices(Path(path))

    def export_notices(self, out: Path) -> Task:
        assert self.outbound is not None
        recipient, numbers = self.outbound.recipient.currentData(), self.outbound.staff_numbers()
        uow, user = self.ctx.uow(), self.ctx.user

        def work(token: CancelToken) -> OutboundResult:
            return notice_files.export_transferee_notices(CancellableUnitOfWork(uow, token), user, recipient, numbers,
                                                          out)

        self.task = run_with_progress(self, f"Writing the signed notice file for {recipient}…", work)
        self.task.succeeded.connect(self._exported)
        self.task.failed.connect(lambda exc: show_failure(self, exc))
        return self.task

    def _exported(self, result: OutboundResult) -> None:
        assert self.outbound is not None
        text = f"{result.rows} notices written to {result.file}, signed in {result.manifest.name}."
        self.outbound.result.setText(f"Last export: {text}")
        show_message(self, "Notice file exported", text)
        self.ctx.notify(Change.ACCESS_LOG)


class OutboundCard(QFrame):
    """A signed notice file for another force about people who moved there (transferees)."""

    def __init__(self, ctx: AppContext, on_export: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.recipient = QComboBox()
        self.recipient.setAccessibleName("Recipient force")
        for f in installation.list_forces(ctx.uow()):
            if f.code != ctx.force.code:
                self.recipient.addItem(f"{f.name} ({f.code})", f.code)
        self.numbers = QLineEdit()
        self.numbers.setAccessibleName("Staff numbers")
        self.numbers.setPlaceholderText("Staff numbers of the people who moved, e.g. P001, P002")
        self.button = QPushButton(icon("export"), "Export notice file…")
        self.button.setAccessibleName("Export notice file")
        self.button.clicked.connect(on_export)
        self.result = QLabel("")
        self.result.setObjectName("cardResult")
        self.result.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Recipient force:", self.recipient)
        form.addRow("Staff numbers:", self.numbers)
        layout = QVBoxLayout(self)
        layout.addWidget(heading("Outbound notices", 2))
        layout.addWidget(note("A notice file for another force about people with PPDA allegations who now work "
                              "there, signed with this force's key (a manifest is written next to it)."))
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(self.button)

    def staff_numbers(self) -> list[str]:
        return [n.strip() for n in self.numbers.text().replace(";", ",").split(",") if n.strip()]
