"""The case list: one page of `CaseListRow`s at a time, filtered and sorted by the query."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor

from app.services.case_queries import CaseFilter, CaseListRow, CaseSort, CaseSortKey
from app.ui.labels import day, human, human_list
from app.ui.models.base import Column, RowRoles
from app.ui.models.paged import PagedTableModel

CaseSource = Callable[[CaseFilter, CaseSort, int, int], Sequence[CaseListRow]]
OVERDUE = QColor("#a3262a")
REFERENCE = QColor("#123e7c")


class CaseRoles(IntEnum):
    ROW = RowRoles.ROW
    CASE_ID = RowRoles.KEY
    OVERDUE = RowRoles.LAST + 1


def _flags(r: CaseListRow) -> str:
    marks = (["Overdue"] if r.overdue else []) + [human(f) for f in r.flags]
    return ", ".join(marks)


def _flags_tip(r: CaseListRow) -> str:
    due = f"Next item due {day(r.next_due_date)}" if r.next_due_date else "Nothing due"
    return f"{_flags(r)} ({due})" if _flags(r) else due


class CaseTableModel(PagedTableModel):
    COLUMNS = (
        Column("Reference", lambda r: r.reference),
        Column("Received", lambda r: day(r.received_date), right=True),
        Column("Subjects", lambda r: r.subjects),
        Column("Abuse types", lambda r: human_list(r.abuse_types)),
        Column("Risk", lambda r: human(r.risk)),
        Column("Restriction", lambda r: human_list(o.strip() for o in r.restriction.split(",") if o.strip())),
        Column("Investigated by", lambda r: r.investigating_body),
        Column("Status", lambda r: human(r.status)),
        Column("Flags", _flags, _flags_tip),
    )
    SORT_KEYS = (CaseSortKey.REFERENCE, CaseSortKey.RECEIVED, CaseSortKey.SUBJECTS, CaseSortKey.ABUSE_TYPES,
                 CaseSortKey.RISK, CaseSortKey.RESTRICTION, CaseSortKey.BODY, CaseSortKey.STATUS,
                 CaseSortKey.FLAGS)
    FLAGS_COLUMN = 8
    BODY_COLUMN = 6

    def __init__(self, source: CaseSource, body_names: dict[str, str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._bodies = {"HOME": "Home force", "IOPC": "IOPC", **(body_names or {})}
        self.filter = CaseFilter()
        self.order = CaseSort()

    def query(self, filt: CaseFilter | None = None, order: CaseSort | None = None, *, none: bool = False) -> None:
        """Show the first page for this filter and order (the others come as the user scrolls).
        `none`: the caller counted no match, so the list is not asked for."""
        self.filter = filt if filt is not None else self.filter
        self.order = order if order is not None else self.order
        f, o = self.filter, self.order
        self.load((lambda _offset, _limit: []) if none else (lambda offset, limit: self._source(f, o, offset, limit)))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self.SORT_KEYS):
            return
        chosen = CaseSort(self.SORT_KEYS[column], order == Qt.SortOrder.DescendingOrder)
        if self._fetch is None:  # not shown yet: remember the order for the first query
            self.order = chosen
        else:
            self.query(order=chosen)

    def sort_column(self) -> int:
        return self.SORT_KEYS.index(self.order.key)

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() == self.BODY_COLUMN \
                and 0 <= index.row() < self.rowCount():
            bodies = self.row_at(index.row()).investigating_body.split(",")
            return ", ".join(self._bodies.get(b.strip(), b.strip()) for b in bodies if b.strip())
        return super().data(index, role)

    def extra_data(self, row: CaseListRow, column: int, role: int) -> Any:
        if role == CaseRoles.OVERDUE:
            return row.overdue
        if row.overdue and role == Qt.ItemDataRole.ForegroundRole and column == self.FLAGS_COLUMN:
            return QBrush(OVERDUE)
        if role == Qt.ItemDataRole.ForegroundRole and column == 0:
            return QBrush(REFERENCE)
        return None
