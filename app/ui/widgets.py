"""Small widgets the screens share: a debounced search box, a consistently set-up table view, a
grid of facts, page headings."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableView,
    QWidget,
)

from app.ui.signals import emit
from app.ui.style import icon

SEARCH_DELAY_MS = 150


class SearchBox(QLineEdit):
    """Emits `search(text)` once typing pauses for SEARCH_DELAY_MS (Enter searches at once)."""

    search = Signal(str)

    def __init__(self, placeholder: str, accessible: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setPlaceholderText(placeholder)
        self.setAccessibleName(accessible)
        self.setClearButtonEnabled(True)
        self.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._fire)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._fire)

    def _fire(self) -> None:
        self._timer.stop()
        emit(self.search, self.text().strip())


def table_view(model: QAbstractItemModel, accessible: str, *, sortable: bool = False,
               stretch_last: bool = True, parent: QWidget | None = None) -> QTableView:
    view = QTableView(parent)
    view.setModel(model)
    view.setAccessibleName(accessible)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(28)
    header = view.horizontalHeader()
    header.setStretchLastSection(stretch_last)
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setSortingEnabled(sortable)
    view.setTabKeyNavigation(False)
    return view


def fit_columns(view: QTableView, maximum: int = 340) -> None:
    """Columns as wide as their contents (and titles), none wider than `maximum`."""
    view.resizeColumnsToContents()
    last = view.horizontalHeader().count() - 1
    for column in range(last):
        if view.columnWidth(column) > maximum:
            view.setColumnWidth(column, maximum)


def text_width(view: QTableView, sample: str, title: str = "") -> int:
    """Room for `sample` in a cell and `title` in the (bold) header."""
    cell = view.fontMetrics().horizontalAdvance(sample) + 24
    head = int(view.horizontalHeader().fontMetrics().horizontalAdvance(title) * 1.12) + 26
    return max(cell, head)


def back_button(text: str, accessible: str, owner: QWidget) -> QPushButton:
    """A "back to the list" button; Esc anywhere inside `owner` does the same."""
    button = QPushButton(icon("back"), text)
    button.setObjectName("backButton")
    button.setAccessibleName(accessible)
    button.setToolTip(f"{accessible} (Esc)")
    escape = QAction(owner)
    escape.setShortcut(QKeySequence(Qt.Key.Key_Escape))
    escape.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    escape.triggered.connect(button.click)
    owner.addAction(escape)
    return button


def heading(text: str, level: int = 1) -> QLabel:
    label = QLabel(text)
    label.setObjectName("pageTitle" if level == 1 else "sectionTitle")
    label.setAccessibleName(text)
    return label


def note(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("note")
    label.setWordWrap(True)
    return label


class FactGrid(QWidget):
    """Label/value pairs in columns, values selectable (for copying a reference)."""

    def __init__(self, columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("factGrid")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(18)
        self._grid.setVerticalSpacing(6)
        self._columns = columns
        self._count = 0

    def clear(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        self._count = 0

    def set_facts(self, facts: Sequence[tuple[str, str]]) -> None:
        self.clear()
        for label, value in facts:
            self.add(label, value)

    def add(self, label: str, value: str) -> QLabel:
        row, col = divmod(self._count, self._columns)
        name = QLabel(label)
        name.setObjectName("factLabel")
        shown = QLabel(value or "—")
        shown.setObjectName("factValue")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        shown.setWordWrap(True)
        shown.setAccessibleName(label)
        shown.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._grid.addWidget(name, row, col * 2, Qt.AlignmentFlag.AlignTop)
        self._grid.addWidget(shown, row, col * 2 + 1, Qt.AlignmentFlag.AlignTop)
        self._count += 1
        return shown
