"""Retention disposal of a case's file (app.services.retention): the log entries, tasks and
documents are working papers full of personal data, with nothing the returns count, so disposal
deletes them all, document content included (the chunks go first, then versions, documents,
entries and tasks), in the disposal's own transaction.

On SQLite (and SQLCipher) the connection's `secure_delete` is switched on first, so the deleted
content is overwritten in the file rather than left in free pages. On PostgreSQL deleted rows stay
in the table's storage until VACUUM reclaims them (autovacuum does, typically within minutes; a DBA
can run `VACUUM document_chunk` at once): that is the server's protection, as for every erasure."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete, func, select, text
from sqlalchemy.orm import Session

from app.persistence.case_file_models import (
    CaseDocumentRow,
    CaseLogEntryRow,
    CaseTaskRow,
    DocumentChunkRow,
    DocumentVersionRow,
)


@dataclass(frozen=True)
class FileErased:
    entries: int
    documents: int
    versions: int
    tasks: int

    def __str__(self) -> str:
        return (f"case file erased ({self.entries} log entries, {self.documents} documents in "
                f"{self.versions} versions, {self.tasks} tasks)")


def erase_case_file(s: Session, case_id: int) -> FileErased:
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("PRAGMA secure_delete = ON"))
    documents = select(CaseDocumentRow.id).where(CaseDocumentRow.case_id == case_id)
    versions = select(DocumentVersionRow.id).where(DocumentVersionRow.document_id.in_(documents))
    counts = FileErased(
        _count(s, select(func.count()).select_from(CaseLogEntryRow).where(CaseLogEntryRow.case_id == case_id)),
        _count(s, select(func.count()).select_from(CaseDocumentRow).where(CaseDocumentRow.case_id == case_id)),
        _count(s,
               select(func.count()).select_from(DocumentVersionRow).where(DocumentVersionRow.document_id.in_(documents))),
        _count(s, select(func.count()).select_from(CaseTaskRow).where(CaseTaskRow.case_id == case_id)))
    s.execute(delete(DocumentChunkRow).where(DocumentChunkRow.version_id.in_(versions)))
    s.execute(delete(DocumentVersionRow).where(DocumentVersionRow.document_id.in_(documents)))
    s.execute(delete(CaseDocumentRow).where(CaseDocumentRow.case_id == case_id))
    s.execute(delete(CaseLogEntryRow).where(CaseLogEntryRow.case_id == case_id))
    s.execute(delete(CaseTaskRow).where(CaseTaskRow.case_id == case_id))
    return counts


def _count(s: Session, stmt: object) -> int:
    return int(s.scalar(stmt) or 0)  # type: ignore[call-overload]
