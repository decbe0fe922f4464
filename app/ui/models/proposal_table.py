"""Proposed decisions as a table (My work's "Awaiting your approval" and the investigator's own
proposals): one plain ProposalView per row."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from app.services.actions import ProposalView
from app.ui.labels import clock_time, human_text
from app.ui.models.base import Column, RowRoles, RowTableModel


class ProposalRoles(IntEnum):
    CASE_ID = RowRoles.LAST + 1
    STATUS = RowRoles.LAST + 2


def state(p: ProposalView) -> str:
    if p.status == "REJECTED":
        return f"Rejected by {p.decided_by}: {p.reason}"
    return f"Awaiting approval by {human_text(p.awaiting)}" if p.awaiting else "Awaiting approval"


class ProposalTableModel(RowTableModel):
    COLUMNS = (
        Column("Case", lambda p: p.case_ref),
        Column("Proposed", lambda p: human_text(p.what)),
        Column("Subject", lambda p: p.subject or ""),
        Column("Proposed by", lambda p: p.proposed_by),
        Column("When", lambda p: clock_time(p.proposed_at), right=True),
        Column("State", state),
    )

    def extra_data(self, row: Any, column: int, role: int) -> Any:
        p: ProposalView = row
        if role == ProposalRoles.CASE_ID:
            return p.case_id
        if role == ProposalRoles.STATUS:
            return p.status
        return None
