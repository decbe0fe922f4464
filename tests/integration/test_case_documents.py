"""Case documents through the services, on SQLite and PostgreSQL: stored inside the database with
their SHA-256, typed by content within the policy's types and size, new versions never overwriting,
streamed in chunks, opened (a consultation) and exported (a disclosure with its recipient), content
altered in the database refused, need to know, and nothing kept from a refused or cancelled upload."""

from __future__ import annotations

import hashlib
import os
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from app.domain.case_file import DocumentKind, EntryInput, EntryKind
from app.domain.errors import InvalidInput, PermissionDenied, RuleRefused
from app.domain.policy import PolicyName
from app.persistence.case_file_models import CHUNK_BYTES, CaseDocumentRow, DocumentChunkRow, DocumentVersionRow
from app.services import casework as cw
from app.services import policies
from app.services.casefile import documents, entries
from app.services.casefile.access import CASE_RECORD
from app.ui.workers import CancellableUnitOfWork, Cancelled, CancelToken
from tests.integration.test_casework_support import World, new_case, world

__all__ = ["world"]
PDF_HEAD = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"


def pdf(path: Path, size: int = 3000, seed: int = 1) -> Path:
    """A file that starts as a PDF does, `size` bytes long (content varied by `seed`)."""
    body = hashlib.sha256(str(seed).encode()).digest() * (size // 32 + 1)
    path.write_bytes((PDF_HEAD + body)[:size])
    return path


def docx(path: Path, *, word: bool = True) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        if word:
            z.writestr("word/document.xml", "<w:document/>")
    return path


def stored(w: World) -> tuple[int, int, int]:
    with w.uow() as uow:
        s = uow.session
        return tuple(int(s.scalar(select(func.count()).select_from(t)) or 0)  # type: ignore[return-value]
                     for t in (CaseDocumentRow, DocumentVersionRow, DocumentChunkRow))


def test_a_document_is_stored_with_its_digest_and_opened_as_it_was(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    source = pdf(tmp_path / "Statement V1.pdf")
    added = documents.attach(world.uow(), world.sup, created.case_id, source, title="Statement of V1",
                             kind=DocumentKind.STATEMENT)
    assert (added.number, added.size, added.sha256) == (1, 3000, hashlib.sha256(source.read_bytes()).hexdigest())
    [doc] = documents.list_documents(world.uow(), world.sup, created.case_id)
    assert (doc.title, doc.kind, doc.current.filename, doc.current.file_type) == (
        "Statement of V1", "STATEMENT", "Statement V1.pdf", "pdf")
    opened = documents.open_copy(world.uow(), world.sup, added.version_id, tmp_path / "private")
    assert opened.read_bytes() == source.read_bytes() and opened.name == "Statement V1.pdf"
    out = documents.export_copy(world.uow(), world.sup, added.version_id, tmp_path / "for-iopc.pdf", "IOPC Birmingham")
    assert out.read_bytes() == source.read_bytes()
    log = world.log(created.reference)
    assert log[-4:] == [
        ("sup", "COLLECTION", f"document {doc.id} version 1 attached (3000 bytes, SHA-256 {added.sha256})"),
        ("sup", "CONSULTATION", "case documents listed (1)"),
        ("sup", "CONSULTATION", f"document {doc.id} version 1 opened"),
        ("sup", "DISCLOSURE",
         f"document {doc.id} version 1 exported (SHA-256 {added.sha256[:16]}…, OFFICIAL-SENSITIVE)")]
    with world.uow() as uow:
        from app.persistence.models import AccessLogRow

        last = uow.session.scalar(select(AccessLogRow).order_by(AccessLogRow.seq.desc()).limit(1))
        assert last is not None and (last.record_type, last.recipient) == (CASE_RECORD, "IOPC Birmingham")


def test_a_changed_file_is_a_new_version_and_the_old_one_is_kept(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    first = documents.attach(world.uow(), world.sup, created.case_id, pdf(tmp_path / "letter.pdf", seed=1),
                             title="Letter to the victim", kind=DocumentKind.LETTER)
    second = documents.add_version(world.uow(), world.sup, first.document_id, pdf(tmp_path / "letter-v2.pdf", seed=2),
                                   note="Signed copy")
    [doc] = documents.list_documents(world.uow(), world.sup, created.case_id)
    assert [(v.number, v.filename, v.note) for v in doc.versions] == [
        (2, "letter-v2.pdf", "Signed copy"), (1, "letter.pdf", None)]
    old = documents.open_copy(world.uow(), world.sup, first.version_id, tmp_path / "open")
    assert hashlib.sha256(old.read_bytes()).hexdigest() == first.sha256 != second.sha256
    with pytest.raises(InvalidInput, match="^note: write something"):
        documents.add_version(world.uow(), world.sup, first.document_id, pdf(tmp_path / "v3.pdf", seed=3), note="")


@pytest.mark.parametrize("name, content, message", [
    ("run.exe", b"MZ\x90\x00", r"run.exe: '.exe' files cannot be attached. The force's policy allows: doc, docx"),
    ("photo.pdf", b"\x89PNG\r\n\x1a\n....",
     r"photo.pdf: the content is not a PDF document although the name ends in '.pdf'"),
    ("empty.pdf", b"", r"empty.pdf: the file is empty"),
    ("notes.txt", b"plain words\x00\x01binary", r"notes.txt: the content is not plain text"),
    ("statement.docx", None, r"statement.docx: the content is not a Word document \(it lacks word/document.xml\)"),
    ("statement", b"%PDF-1.4", r"statement: files without an extension cannot be attached"),
])
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_kept(
        world: World, tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    created = new_case(world)
    path = tmp_path / name
    if content is None:
        docx(path, word=False)
    else:
        path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        documents.attach(world.uow(), world.sup, created.case_id, path, title="x", kind=DocumentKind.EVIDENCE)
    assert stored(world) == (0, 0, 0)


def test_office_documents_images_and_text_are_recognised(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    (tmp_path / "scene.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 100)
    (tmp_path / "call.txt").write_text("999 call transcript: ‘help me’", encoding="utf-8")
    for path in (docx(tmp_path / "statement.docx"), tmp_path / "scene.jpg", tmp_path / "call.txt"):
        documents.attach(world.uow(), world.sup, created.case_id, path, title=path.stem, kind=DocumentKind.EVIDENCE)
    assert sorted(d.current.file_type for d in documents.list_documents(world.uow(), world.sup, created.case_id)) == [
        "docx", "jpg", "txt"]


def test_size_and_types_come_from_dated_policy(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    policies.set_policy(world.uow(), world.env.admin, PolicyName.DOCUMENT_MAX_MEGABYTES.cli_name, "1", date(2020, 1, 1),
                        reason="The force set its document rules in 2020")
    big = pdf(tmp_path / "bodycam.pdf", 1_500_000)
    with pytest.raises(InvalidInput, match=r"bodycam.pdf is 1.5 MB: the largest document the force's policy allows "
                                           r"is 1.0 MB. Nothing was attached."):
        documents.attach(world.uow(), world.sup, created.case_id, big, title="x", kind=DocumentKind.EVIDENCE)
    policies.set_policy(world.uow(), world.env.admin, PolicyName.DOCUMENT_TYPES.cli_name, "docx, jpg", date(2020, 1, 1),
                        reason="The force set its document rules in 2020")
    with pytest.raises(InvalidInput, match=r"'.pdf' files cannot be attached. The force's policy allows: docx, jpg."):
        documents.attach(world.uow(), world.sup, created.case_id, pdf(tmp_path / "a.pdf"), title="x",
                         kind=DocumentKind.EVIDENCE)
    assert stored(world) == (0, 0, 0)


def test_a_large_file_is_streamed_in_chunks_not_held_whole(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    source = tmp_path / "interview.pdf"
    with source.open("wb") as fh:
        fh.write(PDF_HEAD)
        for _i in range(12):
            fh.write(os.urandom(CHUNK_BYTES))
    tracemalloc.start()
    try:
        added = documents.attach(world.uow(), world.sup, created.case_id, source, title="Interview recording",
                                 kind=DocumentKind.EVIDENCE)
        copy = documents.open_copy(world.uow(), world.sup, added.version_id, tmp_path / "open")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    size = source.stat().st_size
    assert peak < size / 2  # a few chunks at a time, never the 12 MB file
    with world.uow() as uow:
        chunks = uow.session.scalar(select(func.count()).select_from(DocumentChunkRow)
                                    .where(DocumentChunkRow.version_id == added.version_id))
    assert chunks == 13 and added.size == size
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == hashlib.sha256(source.read_bytes()).hexdigest()


def test_content_altered_in_the_database_is_refused_not_handed_out(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    added = documents.attach(world.uow(), world.sup, created.case_id, pdf(tmp_path / "s.pdf"), title="Statement",
                             kind=DocumentKind.STATEMENT)
    with world.uow() as uow:
        uow.session.execute(update(DocumentChunkRow).where(DocumentChunkRow.version_id == added.version_id)
                            .values(data=PDF_HEAD + b"forged"))
        uow.commit()
    out = tmp_path / "export.pdf"
    with pytest.raises(RuleRefused, match=r"does not match its SHA-256: it was altered in the database"):
        documents.export_copy(world.uow(), world.sup, added.version_id, out, "Hearing panel")
    assert not out.exists() and list(tmp_path.glob(".export*")) == []
    assert not any(op == "DISCLOSURE" for _, op, _ in world.log(created.reference))


def test_need_to_know_for_documents(world: World, tmp_path: Path) -> None:
    created = new_case(world, by=world.inv)
    added = documents.attach(world.uow(), world.inv, created.case_id, pdf(tmp_path / "s.pdf"), title="Statement",
                             kind=DocumentKind.STATEMENT)
    for user in (world.inv2, world.mgr_inv):
        with pytest.raises(PermissionDenied):
            documents.attach(world.uow(), user, created.case_id, pdf(tmp_path / "t.pdf"), title="x",
                             kind=DocumentKind.OTHER)
        with pytest.raises(PermissionDenied):
            documents.open_copy(world.uow(), user, added.version_id, tmp_path / "open")
        with pytest.raises(PermissionDenied):
            documents.export_copy(world.uow(), user, added.version_id, tmp_path / "out.pdf", "Someone")
    assert not (tmp_path / "out.pdf").exists() and not (tmp_path / "open").exists()
    with pytest.raises(InvalidInput, match="^recipient: say who receives it"):
        documents.export_copy(world.uow(), world.inv, added.version_id, tmp_path / "out.pdf", "")


def test_a_document_of_a_contact_with_the_victim_is_not_for_the_iopc_liaison(world: World, tmp_path: Path) -> None:
    from app.domain.enums import IopcDecision
    from app.services import case_queries as cq

    created = new_case(world)
    aid = cq.open_case(world.uow(), world.sup, created.case_id).allegations[0].id
    cw.record_iopc_referral(world.uow(), world.iopc, created.case_id, allegation_id=aid)
    cw.record_iopc_decision(world.uow(), world.iopc, created.case_id, IopcDecision.LOCAL_INVESTIGATION,
                            allegation_id=aid)
    contact = entries.add_entry(world.uow(), world.sup, created.case_id,
                                EntryInput(EntryKind.VICTIM_CONTACT, "Visited; she gave photos.", victim_ref="V1"))
    photos = documents.attach(world.uow(), world.sup, created.case_id, pdf(tmp_path / "photos.pdf"),
                              title="Photos from V1", kind=DocumentKind.EVIDENCE, entry_id=contact.entry_id)
    report = documents.attach(world.uow(), world.sup, created.case_id, pdf(tmp_path / "r.pdf", seed=5),
                              title="Investigation report", kind=DocumentKind.REPORT)
    assert [d.title
            for d in documents.list_documents(world.uow(), world.iopc, created.case_id)] == ["Investigation report"]
    with pytest.raises(PermissionDenied, match="belongs to a contact with the victim"):
        documents.open_copy(world.uow(), world.iopc, photos.version_id, tmp_path / "open")
    assert documents.open_copy(world.uow(), world.iopc, report.version_id, tmp_path / "open").exists()


def test_a_cancelled_upload_keeps_nothing(world: World, tmp_path: Path) -> None:
    created = new_case(world)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        documents.attach(CancellableUnitOfWork(world.uow(), token), world.sup, created.case_id,
                         pdf(tmp_path / "s.pdf"), title="Statement", kind=DocumentKind.STATEMENT)
    assert stored(world) == (0, 0, 0)
