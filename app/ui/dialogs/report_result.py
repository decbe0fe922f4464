"""After an export: where the file was written, what it holds, and an offer to open it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget


def open_path(path: Path) -> bool:
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class ReportResultDialog(QMessageBox):
    """Non-blocking: "Open file", "Open folder", "Close"."""

    def __init__(self, title: str, path: Path, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Information, title,
                         f"{summary}\n\nWritten to:\n{path}", QMessageBox.StandardButton.Close, parent)
        self.path = path
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.open_button: QPushButton = self.addButton("Open file", QMessageBox.ButtonRole.ActionRole)
        self.folder_button: QPushButton = self.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        self.open_button.clicked.connect(lambda: open_path(path))
        self.folder_button.clicked.connect(lambda: open_path(path.parent))
        self.setDefaultButton(self.open_button)
