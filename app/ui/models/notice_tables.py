"""The review queue of candidate prior-notice matches (plain MatchView rows)."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.enums import MatchState
from app.services.notice_review import MatchView
from app.ui.labels import day, human
from app.ui.models.base import Column, Index, RowRoles, RowTableModel


class MatchRoles(IntEnum):
    ROW = RowRoles.ROW
    MATCH_ID = RowRoles.KEY
    NOTICE_ID = RowRoles.LAST + 1


HIDDEN_CASE = "a case you may not open"


def _vetting(m: MatchView) -> str:
    """The vetting review a confirmed match raises: due until recorded."""
    if m.state != MatchState.CONFIRMED.name:
        return ""
    return f"Recorded {day(m.vetting_reviewed_on)}" if m.vetting_done else "Due"


def _linked_case(m: MatchView) -> str:
    if m.case_linked:
        return m.linked_case or "Linked"
    return "None yet" if m.offers_case and m.state == MatchState.CONFIRMED.name else ""


class MatchTableModel(RowTableModel):
    COLUMNS = (
        Column("Score", lambda m: f"{m.score:.2f}", right=True),
        Column("Decision", lambda m: human(m.decision)),
        Column("Notice", lambda m: m.notice_id),
        # by name: data()
        Column("Issuer", lambda m: m.issuing_force, lambda m: f"{m.issuing_force}: {human(m.record_type)}"),
        Column("Name on notice", lambda m: m.notice_name),
        Column("Person", lambda m: f"{m.person_name} ({m.staff_number})"),
        Column("Triage", lambda m: human(m.triage_outcome)),
        Column("Vetting", _vetting, lambda m: m.vetting_result or _vetting(m) or None),
        Column("Linked case", _linked_case,
               lambda m: f"Linked to {m.linked_case or HIDDEN_CASE}" if m.case_linked else _linked_case(m) or None),
    )

    NOTICE_COLUMN = 2
    ISSUER_COLUMN = 3  # hidden in the section (the side panel and the notice's tooltip name the issuer)
    DECIDED_COLUMNS = (6, 7, 8)  # triage, vetting and linked case: empty while a pair awaits review
    PROPOSED_ONLY_COLUMNS = (0, 1, 4)  # score, decision, name on notice: in the side panel once decided

    def __init__(self, parent: QObject | None = None, force_name: Callable[[str], str] = lambda code: code) -> None:
        super().__init__(parent)
        self._force_name = force_name  # the issuer's name for its code ("dyfed-powys" → "Dyfed-Powys Police")

    def key_of(self, row: MatchView) -> int:
        return row.match_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if index.isValid() and index.column() == self.ISSUER_COLUMN and 0 <= index.row() < len(self._rows):
            m: MatchView = self._rows[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return self._force_name(m.issuing_force)
            if role == Qt.ItemDataRole.ToolTipRole:
                return f"{self._force_name(m.issuing_force)}: {human(m.record_type)}"
        if index.isValid() and index.column() == self.NOTICE_COLUMN and role == Qt.ItemDataRole.ToolTipRole:
            m = self._rows[index.row()]
            return f"{m.notice_id} from {self._force_name(m.issuing_force)}: {human(m.record_type)}"
        return super().data(index, role)

    def extra_data(self, row: MatchView, column: int, role: int) -> Any:
        if role == MatchRoles.NOTICE_ID:
            return row.notice_id
        if role == Qt.ItemDataRole.ForegroundRole and column == 1:
            return QBrush(QColor("#a3262a" if row.decision == "MATCH" else "#8a5a00"))
        if role == Qt.ItemDataRole.FontRole and column == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None
