"""The review queue of candidate prior-notice matches (plain MatchView rows)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.services.notice_review import MatchView
from app.ui.labels import human
from app.ui.models.base import Column, RowRoles, RowTableModel


class MatchRoles(IntEnum):
    ROW = RowRoles.ROW
    MATCH_ID = RowRoles.KEY
    NOTICE_ID = RowRoles.LAST + 1


class MatchTableModel(RowTableModel):
    COLUMNS = (
        Column("Score", lambda m: f"{m.score:.2f}", right=True),
        Column("Decision", lambda m: human(m.decision)),
        Column("Notice", lambda m: m.notice_id),
        Column("Issuer", lambda m: m.issuing_force, lambda m: f"{m.issuing_force}: {human(m.record_type)}"),
        Column("Name on notice", lambda m: m.notice_name),
        Column("Person", lambda m: f"{m.person_name} ({m.staff_number})"),
        Column("Triage", lambda m: human(m.triage_outcome)),
    )

    def key_of(self, row: MatchView) -> int:
        return row.match_id

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
