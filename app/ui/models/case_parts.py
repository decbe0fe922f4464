"""The tables of the case view: allegations, victims (contact details masked until revealed),
the decision timeline and the case team."""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QObject, Qt

from app.services.case_queries import AllegationView, TeamMember, TimelineEntry, VictimView
from app.ui.labels import day, human, human_list, yes_no
from app.ui.models.base import Column, RowRoles, RowTableModel
from app.ui.signals import emit

MASK = "•••••••• (hidden)"


def _dates(a: AllegationView) -> str:
    if a.conduct_from and a.conduct_to and a.conduct_from != a.conduct_to:
        return f"{day(a.conduct_from)} – {day(a.conduct_to)}"
    return day(a.conduct_from or a.conduct_to) or "Not recorded"


def _criminal(a: AllegationView) -> str:
    return f"Yes ({a.crime_ref})" if a.criminal and a.crime_ref else yes_no(a.criminal)


class AllegationRoles(IntEnum):
    ROW = RowRoles.ROW
    ALLEGATION_ID = RowRoles.KEY
    SUBJECT_PERSON_ID = RowRoles.LAST + 1


class AllegationTableModel(RowTableModel):
    COLUMNS = (
        Column("Subject", lambda a: f"{a.subject} ({a.subject_staff_number})"),
        Column("Abuse types", lambda a: human_list(a.abuse_types)),
        Column("Aggravating features", lambda a: human_list(a.aggravating_features) or "None recorded"),
        Column("Standards breached", lambda a: human_list(a.breaches)),
        Column("Conduct dates", _dates),
        Column("Criminal", _criminal),
        Column("Victims", lambda a: ", ".join(a.victim_refs)),
    )

    def extra_data(self, row: AllegationView, column: int, role: int) -> Any:
        return row.subject_person_id if role == AllegationRoles.SUBJECT_PERSON_ID else None


def _advocate(v: VictimView) -> str:
    if v.advocate_accepted:
        return "Offered, accepted"
    return "Offered, not accepted" if v.advocate_offered else "Not offered"


def _workforce(v: VictimView) -> str:
    colleague = f" (colleague {v.colleague_staff_number})" if v.colleague_staff_number else ""
    return human(v.police_workforce) + colleague


class VictimRoles(IntEnum):
    ROW = RowRoles.ROW
    VICTIM_ID = RowRoles.KEY
    REVEALED = RowRoles.LAST + 1


class VictimTableModel(RowTableModel):
    """Contact details show as a mask until `reveal` is given what the service returned."""

    CONTACT_COLUMN = 8

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._revealed: dict[int, str] = {}
        self.COLUMNS = (
            Column("Reference", lambda v: v.reference),
            Column("Relationship to subject", lambda v: human(v.relationship)),
            Column("Police workforce", _workforce),
            Column("Sex", lambda v: human(v.sex) or "Not recorded"),
            Column("Age band", lambda v: human(v.age_band) or "Not recorded"),
            Column("DASH risk", lambda v: f"{human(v.dash_risk)} {day(v.dash_date)}".strip() or "Not assessed"),
            Column("MARAC", lambda v: "Referred" if v.marac_referred else "Not referred"),
            Column("IDVA / ISVA", _advocate),
            Column("Contact details", self._contact),
        )

    def _contact(self, v: VictimView) -> str:
        if v.id in self._revealed:
            return self._revealed[v.id] or "None recorded"
        return MASK if v.has_contact_details else "None recorded"

    def set_rows(self, rows: Any) -> None:
        self._revealed.clear()
        super().set_rows(rows)

    def reveal(self, victim_id: int, text: str) -> None:
        self._revealed[victim_id] = text
        for i, v in enumerate(self._rows):
            if v.id == victim_id:
                cell = self.index(i, self.CONTACT_COLUMN)
                emit(self.dataChanged, cell, cell)

    def revealed_text(self, victim_id: int) -> str | None:
        """What the reveal returned for the victim ("" when none are recorded); None while masked."""
        return self._revealed.get(victim_id)

    def mask_all(self) -> None:
        self._revealed.clear()
        if self._rows:
            emit(self.dataChanged, self.index(0, self.CONTACT_COLUMN),
                                  self.index(len(self._rows) - 1, self.CONTACT_COLUMN))

    def extra_data(self, row: VictimView, column: int, role: int) -> Any:
        if role == VictimRoles.REVEALED:
            return row.id in self._revealed
        return None


def detail_text(text: str, names: Mapping[str, str] | None = None) -> str:
    """A recorded value as read: enumerated names (also lists of them) made readable, known codes
    (e.g. a force's) replaced by `names`."""
    names = names or {}
    return ", ".join(names.get(t.strip(), human(t.strip())) for t in text.split(","))


def decided_text(e: TimelineEntry) -> str:
    """"decided by NAME" or "imported from FILE"."""
    return e.decided_by if e.decided_by.startswith("imported from") else f"decided by {e.decided_by}"


class TimelineTableModel(RowTableModel):
    """Every decision in order; `names` reads codes in the recorded values (force codes)."""

    def __init__(self, names: Mapping[str, str] | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._names = dict(names or {})
        self.COLUMNS = (
            Column("Effective", lambda e: day(e.effective_date), right=True),
            Column("Decision", lambda e: human(e.kind)),
            Column("Allegation (subject)", lambda e: e.subject or "Whole case"),
            Column("What was decided", self.details),
            Column("Decided by", lambda e: e.decided_by),
            Column("Approved by", lambda e: e.approved_by or ""),
            Column("Proposed by", lambda e: e.proposed_by or ""),
            Column("Rationale", lambda e: e.rationale or ""),
        )

    def details(self, e: TimelineEntry) -> str:
        return "; ".join(f"{label}: {detail_text(text, self._names)}" for label, text in e.details)

    def extra_data(self, row: TimelineEntry, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and row.decided_by.startswith("imported"):
            from PySide6.QtGui import QBrush, QColor
            return QBrush(QColor("#5b6472"))
        return None


class TeamTableModel(RowTableModel):
    COLUMNS = (
        Column("Name", lambda m: m.name),
        Column("Role on the case", lambda m: human(m.role)),
        Column("No prior connection declared", lambda m: yes_no(m.declared_no_prior_connection)),
    )

    def key_of(self, row: TeamMember) -> Any:
        return row.name
