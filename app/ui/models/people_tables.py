"""The workforce register (paged from the database) and a person's cases."""

from __future__ import annotations

from enum import IntEnum

from app.services.people_queries import PersonCase, PersonListRow
from app.ui.labels import day, human, human_list
from app.ui.models.base import Column, RowRoles, RowTableModel
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
