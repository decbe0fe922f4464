"""The access log as the auditor searches it, and the bad rows of a refused import."""

from __future__ import annotations

from enum import IntEnum

from app.domain.errors import RowError
from app.services.audit import LogEntry
from app.ui.labels import human, human_text, moment
from app.ui.models.base import Column, RowRoles, RowTableModel


class LogRoles(IntEnum):
    ROW = RowRoles.ROW
    SEQ = RowRoles.KEY


class AccessLogTableModel(RowTableModel):
    COLUMNS = (
        Column("No.", lambda e: str(e.seq), right=True),
        Column("When", lambda e: moment(e.at)),
        Column("User", lambda e: e.username),
        Column("Operation", lambda e: human(e.operation)),
        Column("Record", lambda e: f"{e.record_type.replace('_', ' ')} {e.record_id or ''}".strip()),
        Column("Reason", lambda e: e.reason or ""),
        Column("Recipient", lambda e: e.recipient or ""),
        Column("Detail", lambda e: human_text(e.detail)),
    )

    def key_of(self, row: LogEntry) -> int:
        return row.seq


class ProblemRoles(IntEnum):
    ROW = RowRoles.ROW
    LINE = RowRoles.KEY


class ImportProblemTableModel(RowTableModel):
    COLUMNS = (
        Column("Line", lambda e: str(e.line), right=True),
        Column("Column", lambda e: e.column),
        Column("Problem", lambda e: e.reason),
    )

    def key_of(self, row: RowError) -> int:
        return row.line
