"""The work queue as a table: one plain QueueItem per row, overdue rows marked in colour and text."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.enums import DueItemKind
from app.services.queue import QueueItem
from app.ui.labels import day, human, human_text
from app.ui.models.base import Column, RowRoles, RowTableModel

OVERDUE_BACKGROUND = QColor("#fde8e8")
OVERDUE_TEXT = QColor("#9b1c1c")
NOTICE_KINDS = frozenset({DueItemKind.NOTICE_TRIAGE, DueItemKind.VETTING_REVIEW})


class QueueRoles(IntEnum):
    CASE_ID = RowRoles.LAST + 1  # int, or None for an item from a notice
    OVERDUE = RowRoles.LAST + 2
    KIND = RowRoles.LAST + 3  # the DueItemKind name
    ALLEGATION_ID = RowRoles.LAST + 4


def _state(i: QueueItem) -> str:
    return "OVERDUE" if i.overdue else "Due"


def _assigned(i: QueueItem) -> str:
    """Who it falls to by name (the queue's `owner`: the case's investigators, its decision-maker,
    or the people holding the role), never a bare role; "Unassigned" when no investigator has it."""
    if i.assigned_to.startswith("unassigned"):
        return "Unassigned"  # the tooltip names who allocates it
    return i.owner or human_text(i.assigned_to)


def _assigned_tip(i: QueueItem) -> str:
    if i.assigned_to.startswith("unassigned"):
        return i.owner or "Unassigned: a supervisor allocates it to an investigator"
    return _assigned(i)


def _kind(i: QueueItem) -> str:
    return human(i.item.name)


# How each column sorts (a header click): dates as dates, overdue before due, text without case.
SORT_KEYS: tuple[Callable[[QueueItem], Any], ...] = (
    lambda i: (not i.overdue, i.due_date),
    lambda i: i.due_date,
    lambda i: _kind(i).lower(),
    lambda i: i.case_ref,
    lambda i: _assigned(i).lower(),
    lambda i: (i.team or "~").lower(),
    lambda i: i.detail.lower(),
)


class QueueTableModel(RowTableModel):
    COLUMNS = (
        Column("State", _state),
        Column("Due", lambda i: day(i.due_date), right=True),
        Column("Item", _kind),
        Column("Case or notice", lambda i: i.case_ref),
        Column("Assigned to", _assigned, _assigned_tip),
        Column("Team", lambda i: i.team or ""),
        Column("Detail", lambda i: i.detail if i.item == DueItemKind.INVESTIGATION_ACTION else human_text(i.detail)),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._sort: tuple[int, Qt.SortOrder] | None = None  # as the header last asked

    def set_rows(self, rows: Sequence[Any]) -> None:
        """New rows, in the order the header asks for (if it has asked), else as given (overdue first)."""
        self.beginResetModel()
        self._rows = self._sorted(list(rows))
        self.endResetModel()

    def _sorted(self, rows: list[Any]) -> list[Any]:
        if self._sort is None:
            return rows
        column, order = self._sort
        key = SORT_KEYS[column]
        # Ties keep the queue's order (overdue first, then by due date): Python's sort is stable.
        return sorted(rows, key=lambda i: (key(i), i.due_date, i.case_ref),
                      reverse=order == Qt.SortOrder.DescendingOrder)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """By `column` as the header asks; no column (-1): the queue's own order, overdue first."""
        if not 0 <= column < len(SORT_KEYS):
            self._sort = None
            self.layoutAboutToBeChanged.emit()
            self._rows.sort(key=lambda i: (not i.overdue, i.due_date, i.case_ref, i.item.name))
            self.layoutChanged.emit()
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        self._rows = self._sorted(self._rows)
        self.layoutChanged.emit()

    def key_of(self, row: Any) -> Any:
        return (row.case_ref, row.item.name, row.allegation_id, row.detail)

    def overdue_count(self) -> int:
        return sum(1 for r in self._rows if r.overdue)

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        item: QueueItem = row
        if role == QueueRoles.CASE_ID:
            return item.case_id
        if role == QueueRoles.OVERDUE:
            return item.overdue
        if role == QueueRoles.KIND:
            return item.item.name
        if role == QueueRoles.ALLEGATION_ID:
            return item.allegation_id
        if item.overdue and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(OVERDUE_BACKGROUND)
        if item.overdue and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(OVERDUE_TEXT)
        if item.overdue and column == 0 and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None
