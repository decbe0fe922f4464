"""What the main window asks of every section."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext


class Section(QWidget):
    title = ""
    icon_name = ""
    description = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._activated = False
        self.setAccessibleName(self.title)

    def activate(self) -> None:
        """Called when the section is shown; loads its data the first time."""
        if not self._activated:
            self._activated = True
            self.refresh()

    def refresh(self) -> None:
        """Reload from the database (F5)."""

    def focus_search(self) -> None:
        """Put the cursor in the section's search box (Ctrl+F), if it has one."""

    def on_lock(self) -> None:
        """The window is locking: forget anything revealed (e.g. victim contact details)."""
