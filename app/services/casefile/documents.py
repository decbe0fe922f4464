"""Case documents stored inside the database (issue #15): statements, evidence, letters attached to a
case or to one of its log entries, each a series of versions (a changed file is a new version, never
an overwrite) with its SHA-256, typed by content (app.domain.file_types) within the size and types
the force's policy allows (DOCUMENT_MAX_MEGABYTES, DOCUMENT_TYPES).

A file is streamed in chunks (app.persistence.case_file_models.CHUNK_BYTES) into and out of the
database, never held whole in memory; its digest is computed as it is read and checked again when
it is written out (content altered in the database is refused, not handed out), and written in the
tamper-evident access log when the version is stored (content and digest altered together still
disagree with the log). Given a
CancellableUnitOfWork, a long upload stops at its next chunk once cancelled, and nothing is kept.
Opening a copy is a consultation; saving one for someone is a disclosure with the recipient.
"""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import file_types as ft
from app.domain.case_file import DocumentKind, EntryKind, check_recipient, check_text, check_title
from app.domain.enums import AccessOperation
from app.domain.errors import ConflictError, InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.permissions import Action, require
from app.domain.policy import PolicyName
from app.domain.records import User
from app.persistence.case_file_models import (
    CHUNK_BYTES,
    CaseDocumentRow,
    CaseLogEntryRow,
    DocumentChunkRow,
    DocumentVersionRow,
)
from app.persistence.models import UserRow
from app.persistence.uow import UnitOfWork
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.services import audit, clock, policies
from app.services.casefile.access import CASE_RECORD, readable, writable

MAX_FILENAME = 255


@dataclass(frozen=True)
class VersionView:
    id: int
    number: int
    filename: str
    file_type: str
    size: int
    sha256: str
    note: str | None
    uploaded_by: str
    uploaded_at: datetime


@dataclass(frozen=True)
class DocumentView:
    id: int
    title: str
    kind: str
    entry_id: int | None
    added_by: str
    added_at: datetime
    versions: tuple[VersionView, ...]  # newest first

    @property
    def current(self) -> VersionView:
        return self.versions[0]


@dataclass(frozen=True)
class DocumentStored:
    document_id: int
    version_id: int
    number: int
    sha256: str
    size: int


# ---- reading ------------------------------------------------------------------------------------

def list_documents(uow: UnitOfWork, actor: User, case_id: int) -> tuple[DocumentView, ...]:
    """The case's documents with every version (logged as a consultation of the case)."""
    with uow:
        s = uow.session
        row, full = readable(s, actor, case_id, "case documents")
        views = list_documents_in(s, case_id, full)
        audit.record(s, actor, AccessOperation.CONSULTATION, CASE_RECORD, row.reference,
                     detail=f"case documents listed ({len(views)})")
        uow.commit()
    return views


def list_documents_in(s: Session, case_id: int, full: bool) -> tuple[DocumentView, ...]:
    """The documents, newest first (unlogged: the caller logs its reading). Not `full`: without
    those attached to a contact with the victim."""
    docs = [d for d in s.scalars(select(CaseDocumentRow).where(CaseDocumentRow.case_id == case_id)
                                 .order_by(CaseDocumentRow.added_at.desc(), CaseDocumentRow.id.desc()))
            if full or not _about_victim_contact(s, d)]
    names = dict(s.execute(select(UserRow.id, UserRow.display_name)).all())
    return tuple(_view(s, d, names) for d in docs)


def _about_victim_contact(s: Session, d: CaseDocumentRow) -> bool:
    """A document attached to a contact with the victim: a victim's detail (not for the IOPC liaison)."""
    if d.entry_id is None:
        return False
    return s.scalar(select(CaseLogEntryRow.kind).where(CaseLogEntryRow.id
                                                       == d.entry_id)) == EntryKind.VICTIM_CONTACT.name


def _view(s: Session, d: CaseDocumentRow, names: dict[int, str]) -> DocumentView:
    versions = tuple(
        VersionView(v.id, v.number, v.filename, v.file_type, v.size, v.sha256, v.note, names.get(v.uploaded_by, "—"),
                    v.uploaded_at)
        for v in s.scalars(select(DocumentVersionRow).where(DocumentVersionRow.document_id == d.id)
                           .order_by(DocumentVersionRow.number.desc())))
    return DocumentView(d.id, d.title, d.kind, d.entry_id, names.get(d.added_by, "—"), d.added_at, versions)


# ---- attaching ----------------------------------------------------------------------------------

def attach(uow: UnitOfWork, actor: User, case_id: int, path: Path, *, title: str, kind: DocumentKind,
           entry_id: int | None = None) -> DocumentStored:
    """A new document (version 1) on the case, or on one of its log entries."""
    require(actor, Action.EDIT_CASE)
    title = check_title(title)
    with uow:
        s = uow.session
        row = writable(s, actor, case_id)
        if entry_id is not None and s.scalar(select(CaseLogEntryRow.case_id).where(CaseLogEntryRow.id
                                                                                   == entry_id)) != case_id:
            raise InvalidInput(f"entry: there is no entry {entry_id} in case {row.reference}.")
        now = clock.now()
        doc = CaseDocumentRow(case_id=case_id, entry_id=entry_id, title=title, kind=kind.name, added_by=actor.id,
                              added_at=now)
        s.add(doc)
        s.flush()
        stored = _store_version(s, doc.id, 1, path, actor, now, None)
        audit.record(s, actor, AccessOperation.COLLECTION, CASE_RECORD, row.reference,
                     detail=f"document {doc.id} version 1 attached ({stored.size} bytes, SHA-256 {stored.sha256})")
        uow.commit()
    return stored


def add_version(uow: UnitOfWork, actor: User, document_id: int, path: Path, *, note: str) -> DocumentStored:
    """The changed file as the document's next version; the earlier ones stay as they were."""
    require(actor, Action.EDIT_CASE)
    note = check_text("note", note, 500)
    with uow:
        s = uow.session
        doc = s.get(CaseDocumentRow, document_id)
        if doc is None:
            raise NotFound(f"There is no document {document_id}.")
        row = writable(s, actor, doc.case_id)
        number = int(s.scalar(select(func.max(DocumentVersionRow.number))
                              .where(DocumentVersionRow.document_id == document_id)) or 0) + 1
        stored = _store_version(s, doc.id, number, path, actor, clock.now(), note)
        audit.record(s, actor, AccessOperation.ALTERATION, CASE_RECORD, row.reference,
                     detail=f"document {doc.id} version {number} added ({stored.size} bytes, SHA-256 {stored.sha256})")
        try:
            uow.commit()
        except IntegrityError:
            raise ConflictError(f"Someone else added version {number} of this document a moment ago; nothing was "
                                "saved. Reload the documents and add yours again.") from None
    return stored


def _allowed(s: Session) -> tuple[tuple[str, ...], int]:
    p, today = policies.load(s), clock.today()
    types = ft.parse_type_list(p.text_on(PolicyName.DOCUMENT_TYPES, today) or "")
    return types, p.int_on(PolicyName.DOCUMENT_MAX_MEGABYTES, today) * 1_000_000


def _checked_type(s: Session, path: Path) -> tuple[ft.FileType, int]:
    """The file's type and the size limit; refused before anything is read when either is wrong."""
    name = path.name
    if len(name) > MAX_FILENAME:
        raise InvalidInput(f"file: the name is longer than {MAX_FILENAME} characters; rename it first.")
    if not path.is_file():
        raise InvalidInput(f"file: {name} is not a file that can be read.")
    types, limit = _allowed(s)
    kind = ft.type_for_name(name, types)
    if path.stat().st_size > limit:
        raise InvalidInput(f"{name} is {ft.readable_size(path.stat().st_size)}: the largest document the force's "
                           f"policy allows is {ft.readable_size(limit)}. Nothing was attached.")
    if kind.zip_member is not None:
        try:
            with zipfile.ZipFile(path) as z:
                members: list[str] | None = z.namelist()
        except (zipfile.BadZipFile, OSError):
            members = None
        ft.zip_member_wanted(kind, name, members)
    return kind, limit


def _store_version(s: Session, document_id: int, number: int, path: Path, actor: User, at: datetime,
                   note: str | None) -> DocumentStored:
    kind, limit = _checked_type(s, path)
    version = DocumentVersionRow(document_id=document_id, number=number, filename=path.name, file_type=kind.key,
                                 media_type=kind.media_type, size=0, sha256="", chunks=0, note=note,
                                 uploaded_by=actor.id, uploaded_at=at)
    s.add(version)
    s.flush()
    size, digest, chunks = _stream_in(s, version.id, path, kind, limit)
    version.size, version.sha256, version.chunks = size, digest, chunks
    s.flush()
    return DocumentStored(document_id, version.id, number, digest, size)


def _stream_in(s: Session, version_id: int, path: Path, kind: ft.FileType, limit: int) -> tuple[int, str, int]:
    """Copy the file into the database chunk by chunk (Core inserts: the session keeps no copy)."""
    table = cast(Table, DocumentChunkRow.__table__)
    digest, size, seq = hashlib.sha256(), 0, 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK_BYTES):
            if seq == 0:
                ft.check_head(kind, path.name, chunk)
            ft.check_text_chunk(kind, path.name, chunk)
            size += len(chunk)
            if size > limit:
                raise InvalidInput(f"{path.name} grew beyond {ft.readable_size(limit)} while it was read. "
                                   "Nothing was attached.")
            digest.update(chunk)
            s.execute(insert(table).values(version_id=version_id, seq=seq, data=chunk))
            seq += 1
    if seq == 0:
        raise InvalidInput(f"{path.name}: the file is empty. Nothing was attached.")
    return size, digest.hexdigest(), seq


# ---- opening and exporting ----------------------------------------------------------------------

def _readable_version(s: Session, actor: User, version_id: int, what: str) -> tuple[DocumentVersionRow, str]:
    version = s.get(DocumentVersionRow, version_id)
    if version is None:
        raise NotFound(f"There is no document version {version_id}.")
    doc = s.get(CaseDocumentRow, version.document_id)
    assert doc is not None
    row, full = readable(s, actor, doc.case_id, what)
    if not full and _about_victim_contact(s, doc):
        audit.record_refusal(s, actor, AccessOperation.CONSULTATION, CASE_RECORD, row.reference, what)
        raise PermissionDenied("This document belongs to a contact with the victim: victims' details are not shown "
                               "to the IOPC liaison. Ask the case team.")
    return version, row.reference


def _stream_out(s: Session, version: DocumentVersionRow, target: Path) -> None:
    """Write the content chunk by chunk, checking its SHA-256 against the one recorded."""
    digest = hashlib.sha256()
    with target.open("wb") as out:
        for seq in range(version.chunks):
            data = s.scalar(select(DocumentChunkRow.data).where(DocumentChunkRow.version_id == version.id,
                                                                DocumentChunkRow.seq == seq))
            if data is None:
                break
            digest.update(data)
            out.write(data)
    if digest.hexdigest() != version.sha256:
        target.unlink(missing_ok=True)
        raise RuleRefused(f"The stored content of {version.filename} (version {version.number}) does not match its "
                          "SHA-256: it was altered in the database. Nothing was written; tell the administrator.")


def open_copy(uow: UnitOfWork, actor: User, version_id: int, folder: Path) -> Path:
    """Write a version into `folder` (a private temporary folder of the window) to be opened;
    logged as a consultation. The copy's path."""
    with uow:
        s = uow.session
        version, reference = _readable_version(s, actor, version_id, "document opening")
        target = folder / str(version.id) / Path(version.filename).name
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _stream_out(s, version, target)
        audit.record(s, actor, AccessOperation.CONSULTATION, CASE_RECORD, reference,
                     detail=f"document {version.document_id} version {version.number} opened")
        uow.commit()
    return target


def export_copy(uow: UnitOfWork, actor: User, version_id: int, out: Path, recipient: str) -> Path:
    """Save a version as `out` for `recipient`: a disclosure, logged with the recipient. The file
    takes its name only once the disclosure is committed."""
    recipient = check_recipient(recipient)
    with uow:
        s = uow.session
        version, reference = _readable_version(s, actor, version_id, "document export")
        with atomic_path(out) as temp:
            _stream_out(s, version, temp)
            audit.record(s, actor, AccessOperation.DISCLOSURE, CASE_RECORD, reference, recipient=recipient,
                         detail=f"document {version.document_id} version {version.number} exported "
                                f"(SHA-256 {version.sha256[:16]}…, {MARKING})")
            uow.commit()
    return out
