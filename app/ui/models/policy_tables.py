"""Policies with effective dates: every policy with its value on a day, and one policy's history
(every value, when and by whom it was recorded, corrections with their reason)."""

from __future__ import annotations

from enum import IntEnum

from app.services.policies import PolicyEntry, PolicyLine
from app.ui.labels import clock_time, day
from app.ui.models.base import Column, RowRoles, RowTableModel


class PolicyRoles(IntEnum):
    ROW = RowRoles.ROW
    NAME = RowRoles.KEY


def _changed(p: PolicyLine) -> str:
    last = p.last_record
    if last is None:
        return "shipped default"
    start = day(last.effective_from) if last.effective_from else "always"
    return f"from {start} by {last.recorded_by}" + (" (correction)" if last.correction else "")


def _value(p: PolicyLine) -> str:
    return p.value + (" (corrected)" if any(e.correction for e in p.entries) else "")


class PolicyTableModel(RowTableModel):
    COLUMNS = (
        Column("Policy", lambda p: p.name),
        Column("Value", _value, lambda p: f"In force on {day(p.on)}"),
        Column("Last set", _changed),
        Column("Description", lambda p: p.description),
    )

    def key_of(self, row: PolicyLine) -> str:
        return row.name


class PolicyHistoryRoles(IntEnum):
    ROW = RowRoles.ROW
    FROM = RowRoles.KEY


def recorded_text(e: PolicyEntry) -> str:
    if e.recorded_at is None:
        return "shipped"
    return f"{clock_time(e.recorded_at)}, {e.recorded_by}"


def correction_text(e: PolicyEntry) -> str:
    """A record's reason in full (the history's Note column is short): what, when, who, why."""
    start = day(e.effective_from) if e.effective_from else "always"
    what = "Correction" if e.correction else "Value"
    return f"{what} from {start} ({e.value}), recorded {recorded_text(e)}: {e.reason or 'no reason recorded'}"


def note_text(e: PolicyEntry) -> str:
    notes = []
    if e.correction:
        notes.append(f"Correction: {e.reason or 'no reason recorded'}")
    elif e.reason:
        notes.append(e.reason)
    if e.superseded:
        notes.append("superseded by a later record")
    return "; ".join(notes)


class PolicyHistoryTableModel(RowTableModel):
    """Rows are PolicyEntry, as PolicyLine.entries gives them."""

    COLUMNS = (
        Column("Effective from", lambda e: day(e.effective_from) if e.effective_from else "always",
               right=True),
        Column("Value", lambda e: e.value),
        Column("Recorded", recorded_text),
        Column("Note", note_text, note_text),
    )

    def key_of(self, row: PolicyEntry) -> str:
        return f"{row.effective_from}|{row.recorded_at}"
