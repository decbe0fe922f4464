"""The work queue as a table: one plain QueueItem per row, overdue rows marked in colour and text."""

from __future__ import annotations

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
    """The investigators by user name, else the role it falls to in words ("Head of PSD",
    "Unassigned (supervisor to allocate)")."""
    if i.assigned_to.startswith("unassigned"):
        return "Unassigned"  # the tooltip: a supervisor allocates it
    return human_text(i.assigned_to)


class QueueTableModel(RowTableModel):
    COLUMNS = (
        Column("State", _state),
        Column("Due", lambda i: day(i.due_date), right=True),
        Column("Item", lambda i: human(i.item.name)),
        Column("Case or notice", lambda i: i.case_ref),
        Column("Assigned to", _assigned, lambda i: "Unassigned: a supervisor allocates it to an investigator"
               if i.assigned_to.startswith("unassigned") else _assigned(i)),
        Column("Team", lambda i: i.team or ""),
        Column("Detail", lambda i: i.detail if i.item == DueItemKind.INVESTIGATION_ACTION else human_text(i.detail)),
    )

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
