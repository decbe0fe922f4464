"""Data: importing the workforce register, cases and prior notices from CSV or xlsx, in a worker
thread behind a cancellable progress dialog. A refused file lists every bad row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog, QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget,
)

from app.domain.errors import ImportRejected
from app.domain.permissions import Action
from app.domain.records import User
from app.persistence.uow import UnitOfWork
from app.services.imports.cases import import_cases
from app.services.imports.notices import import_notices
from app.services.imports.workforce import ImportSummary, import_workforce
from app.ui import settings
from app.ui.context import AppContext, Change
from app.ui.dialogs.import_problems import ImportProblemsDialog
from app.ui.errors import show_failure, show_message
from app.ui.sections.base import Section
from app.ui.style import icon
from app.ui.widgets import heading, note
from app.ui.workers import CancellableUnitOfWork, CancelToken, Task, run_with_progress

Importer = Callable[[UnitOfWork, User, Path], ImportSummary]


def _notices(uow: UnitOfWork, user: User, path: Path) -> ImportSummary:
    summary, _changed_ids = import_notices(uow, user, path)
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
               "Notices from other forces, the PND and the College's barred and advisory lists, keyed by "
               "issuing force and notice id.", Action.IMPORT_NOTICES, _notices, Change.NOTICES),
)


class _Card(QFrame):
    def __init__(self, kind: ImportKind, on_import: Callable[[ImportKind], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        title = heading(kind.title, 2)
        text = note(kind.description)
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
        grid = QGridLayout()
        for i, kind in enumerate(self.kinds.values()):
            self.cards[kind.key] = _Card(kind, self.choose_file)
            grid.addWidget(self.cards[kind.key], 0, i)
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

    def import_file(self, key: str, path: Path) -> Task:
        kind, uow, user = self.kinds[key], self.ctx.uow(), self.ctx.user

        def work(token: CancelToken) -> ImportSummary:
            return kind.run(CancellableUnitOfWork(uow, token), user, path)

        self.task = run_with_progress(self, f"Importing {path.name}…", work)
        self.task.succeeded.connect(lambda summary: self._imported(kind, summary))
        self.task.failed.connect(lambda exc: self._failed(kind, exc))
        return self.task

    def _imported(self, kind: ImportKind, summary: ImportSummary) -> None:
        self.cards[kind.key].result.setText(f"Last import: {summary}")
        show_message(self, "Imported", str(summary))
        self.ctx.notify(kind.change)

    def _failed(self, kind: ImportKind, exc: BaseException) -> None:
        if isinstance(exc, ImportRejected):
            self.cards[kind.key].result.setText(f"Last import: {exc.filename} refused ({exc.total} problems)")
            self.problems = ImportProblemsDialog(exc, self)
            self.problems.open()
        else:
            show_failure(self, exc)
