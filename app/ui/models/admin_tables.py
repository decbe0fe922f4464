"""The administrator's tables: user accounts and headcount per survey year."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from app.services.installation import Headcount
from app.services.users import UserSummary
from app.ui.labels import human_list
from app.ui.models.base import Column, RowRoles, RowTableModel


class UserRoles(IntEnum):
    ROW = RowRoles.ROW
    USERNAME = RowRoles.KEY


def _state(u: UserSummary) -> str:
    if not u.active:
        return "Deactivated"
    return "Locked" if u.locked else "Active"


class UserTableModel(RowTableModel):
    COLUMNS = (
        Column("User name", lambda u: u.username),
        Column("Name", lambda u: u.display_name),
        Column("Roles", lambda u: human_list(u.roles)),
        Column("Team", lambda u: u.team or ""),
        Column("Staff number", lambda u: u.staff_number or ""),
        Column("Account", _state),
    )

    def key_of(self, row: UserSummary) -> str:
        return row.username

    def extra_data(self, row: UserSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 5 and (row.locked or not row.active):
            return QBrush(QColor("#a3262a" if row.locked else "#5b6472"))
        return None


class HeadcountRoles(IntEnum):
    ROW = RowRoles.ROW
    YEAR = RowRoles.KEY


class HeadcountTableModel(RowTableModel):
    COLUMNS = (
        Column("Survey year", lambda h: f"{h.year - 1}/{str(h.year)[2:]}  (to 31 Mar {h.year})"),
        Column("Headcount", lambda h: f"{h.total:,}", right=True),
    )

    def key_of(self, row: Headcount) -> int:
        return row.year
