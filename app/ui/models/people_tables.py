"""The workforce register (paged from the database) and a person's cases."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt

from app.services.people_queries import PersonCase, PersonListRow, RankedPerson
from app.ui.labels import day, human, human_list, plain_harm
from app.ui.models.base import Column, Index, RowRoles, RowTableModel
from app.ui.models.paged import PagedTableModel


class PersonRoles(IntEnum):
    ROW = RowRoles.ROW
    PERSON_ID = RowRoles.KEY


def _name(p: PersonListRow) -> str:
    return f"{p.surname}, {p.forenames}"


class PersonTableModel(PagedTableModel):
    COLUMNS = (
        Column("Staff number", lambda p: p.staff_number),
        Column("Name", _name),
        Column("Previous names", lambda p: p.previous_names),
        Column("Workforce type", lambda p: human(p.workforce_type)),
        Column("Rank or grade", lambda p: p.rank_or_grade or ""),
        Column("Unit", lambda p: p.unit or ""),
        Column("Status", lambda p: human(p.employment_status)),
    )


class PersonCaseRoles(IntEnum):
    ROW = RowRoles.ROW
    CASE_ID = RowRoles.KEY


class PersonCaseTableModel(RowTableModel):
    COLUMNS = (
        Column("Case", lambda c: c.reference),
        Column("Received", lambda c: day(c.received_date), right=True),
        Column("Allegation recorded", lambda c: day(c.recorded_date), right=True),
        Column("Abuse types", lambda c: human_list(c.abuse_types)),
        Column("Restriction", lambda c: human_list(o.strip() for o in c.restriction.split(",") if o.strip())),
        Column("Status", lambda c: human(c.status)),
    )

    def key_of(self, row: PersonCase) -> int:
        return row.case_id


class HarmRoles(IntEnum):
    ROW = RowRoles.ROW
    PERSON_ID = RowRoles.KEY


class HarmTableModel(RowTableModel):
    """The highest-harm subjects (RFGV), each score with its explanation."""

    COLUMNS = (
        Column("Rank", lambda r: "", right=True),
        Column("Staff number", lambda r: r.staff_number),
        Column("Name", lambda r: r.name),
        Column("Unit", lambda r: r.unit or ""),
        Column("RFGV score", lambda r: f"{r.harm.score:g}", right=True),
        Column("R F G V", lambda r: f"{r.harm.recency} {r.harm.frequency} {r.harm.gravity} {r.harm.victims}"),
        Column("Explanation", lambda r: plain_harm(r.harm.explanation)),
    )

    def key_of(self, row: RankedPerson) -> int:
        return row.person_id

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.isValid() and index.column() == 0 \
                and 0 <= index.row() < self.rowCount():
            return str(index.row() + 1)
        return super().data(index, role)
