"""The case file's tables (issue #15): the case log, documents with their versions and content, and
tasks. Kept beside app.persistence.models (which imports this module, so one metadata holds all).

Documents are stored inside the database, so the SQLCipher file and the PostgreSQL server's
protection cover them: a version's content is split into chunks of at most CHUNK_BYTES, written and
read one chunk at a time (a large file is never held whole in memory). Log entries and document
versions are append-only: nothing here is updated except a task's status and its closing.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.domain.case_file import EntryKind
from app.persistence.base import Base

CHUNK_BYTES = 1024 * 1024


class CaseLogEntryRow(Base):
    """One entry of the case log. A correction is a new row with `corrects_id` (at most one per
    corrected entry); a contact with the victim points at the VICTIM_UPDATE decision it made."""

    __tablename__ = "case_log_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))  # app.domain.case_file.EntryKind
    occurred_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    victim_ref: Mapped[str | None] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    method: Mapped[str | None] = mapped_column(String(40))
    next_contact: Mapped[date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("case_log_entry.id"), unique=True)
    correction_reason: Mapped[str | None] = mapped_column(Text)
    task_id: Mapped[int | None] = mapped_column(ForeignKey("case_task.id"))
    written_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    written_at: Mapped[datetime] = mapped_column(DateTime)


class CaseDocumentRow(Base):
    """A document of a case (or of one of its log entries); its content is in its versions."""

    __tablename__ = "case_document"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("case_log_entry.id"))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))  # app.domain.case_file.DocumentKind
    added_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime)


class DocumentVersionRow(Base):
    """One version of a document: never overwritten; a changed file is the next number."""

    __tablename__ = "document_version"
    __table_args__ = (UniqueConstraint("document_id", "number"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("case_document.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str] = mapped_column(String(255))
    file_type: Mapped[str] = mapped_column(String(8))  # app.domain.file_types key
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    chunks: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)  # what changed
    uploaded_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)


class DocumentChunkRow(Base):
    __tablename__ = "document_chunk"
    version_id: Mapped[int] = mapped_column(ForeignKey("document_version.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class CaseTaskRow(Base):
    """An investigation action: what, who (a user), by when; OPEN until done or cancelled (each
    with a log entry pointing at the task)."""

    __tablename__ = "case_task"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("ppda_case.id", ondelete="CASCADE"), index=True)
    what: Mapped[str] = mapped_column(String(500))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="OPEN", index=True)
    created_by: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)


Index("ix_case_log_entry_case_occurred", CaseLogEntryRow.case_id, CaseLogEntryRow.occurred_on)


def insert_entry(session: Session, case_id: int, kind: EntryKind, text: str, on: date, by: int, at: datetime,
                 **values: object) -> CaseLogEntryRow:
    """A new entry (flushed: its id is known). `values`: victim_ref, method, next_contact,
    subject_id, decision_id, corrects_id, correction_reason, task_id."""
    row = CaseLogEntryRow(case_id=case_id, kind=kind.name, text=text.strip(), occurred_on=on, written_by=by,
                          written_at=at, **values)
    session.add(row)
    session.flush()
    return row
