"""Writing a case-log entry row, shared by intake (the summary, in the case's first transaction)
and the case log. Imports only persistence, so the casework package can use it without a cycle."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from app.domain.case_file import EntryKind
from app.persistence.case_file_models import CaseLogEntryRow


def insert_entry(session: Session, case_id: int, kind: EntryKind, text: str, on: date, by: int, at: datetime,
                 **values: object) -> CaseLogEntryRow:
    """A new entry (flushed: its id is known). `values`: victim_ref, method, next_contact,
    subject_id, decision_id, corrects_id, correction_reason, task_id."""
    row = CaseLogEntryRow(case_id=case_id, kind=kind.name, text=text.strip(), occurred_on=on, written_by=by,
                          written_at=at, **values)
    session.add(row)
    session.flush()
    return row
