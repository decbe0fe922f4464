"""Policies with effective dates: every policy with its value today, and one policy's history."""

from __future__ import annotations

from enum import IntEnum

from app.services.policies import PolicyLine
from app.ui.models.base import Column, RowRoles, RowTableModel


class PolicyRoles(IntEnum):
    ROW = RowRoles.ROW
    NAME = RowRoles.KEY


def _changed(p: PolicyLine) -> str:
    own = [h for h in p.history if h[2] != "default"]
    return f"from {own[-1][0]} by {own[-1][2]}" if own else "shipped default"


class PolicyTableModel(RowTableModel):
    COLUMNS = (
        Column("Policy", lambda p: p.name),
        Column("Value today", lambda p: p.value_today),
        Column("Last set", _changed),
        Column("Description", lambda p: p.description),
    )

    def key_of(self, row: PolicyLine) -> str:
        return row.name


class PolicyHistoryRoles(IntEnum):
    ROW = RowRoles.ROW
    FROM = RowRoles.KEY


class PolicyHistoryTableModel(RowTableModel):
    """Rows are (effective from, value, set by) as PolicyLine.history gives them."""

    COLUMNS = (
        Column("Effective from", lambda h: "always (shipped)" if h[2] == "default" else h[0], right=True),
        Column("Value", lambda h: h[1]),
        Column("Set by", lambda h: h[2]),
    )

    def key_of(self, row: tuple[str, str, str]) -> str:
        return row[0]
