"""A refused import: every bad row (line, column, problem) in a scrollable table."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from app.domain.errors import ImportRejected
from app.ui.models.log_tables import ImportProblemTableModel
from app.ui.widgets import fit_columns, table_view


class ImportProblemsDialog(QDialog):
    def __init__(self, error: ImportRejected, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("importProblemsDialog")
        self.setWindowTitle(f"{error.filename}: not imported")
        self.setAccessibleName("Import refused")
        shown = len(error.errors)
        more = f" The first {shown} are listed." if error.total > shown else ""
        summary = QLabel(
            f"<b>{error.filename} was refused: nothing was imported.</b><br>"
            f"{error.total} problem{'s' if error.total != 1 else ''} found.{more} "
            "Correct the file and import it again; rows that were fine need no change.")
        summary.setWordWrap(True)
        self.model = ImportProblemTableModel(self)
        self.model.set_rows(error.errors)
        self.table = table_view(self.model, "Problems in the file")
        self.table.setWordWrap(True)
        fit_columns(self.table, 240)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self.table.resizeRowsToContents())
        self._text = str(error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        copy = buttons.addButton("Copy list", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setAccessibleName("Copy the list of problems")
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self._text))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 440)
