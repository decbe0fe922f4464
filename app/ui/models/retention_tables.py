"""Closed cases due for retention review."""

from __future__ import annotations

from enum import IntEnum

from app.services.retention import DueForReview
from app.ui.labels import day
from app.ui.models.base import Column, RowRoles, RowTableModel


class RetentionRoles(IntEnum):
    ROW = RowRoles.ROW
    CASE_ID = RowRoles.KEY


def _overdue(r: DueForReview) -> str:
    return "due today" if r.overdue_days == 0 else f"{r.overdue_days:,} days"


class RetentionTableModel(RowTableModel):
    COLUMNS = (
        Column("Case", lambda r: r.reference),
        Column("Closed", lambda r: day(r.closed_date), right=True),
        Column("Review date", lambda r: day(r.review_date), right=True),
        Column("Overdue", _overdue, right=True),
    )

    def key_of(self, row: DueForReview) -> int:
        return row.case_id
