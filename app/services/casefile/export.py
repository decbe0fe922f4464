"""The case-file export (issue #15): the PDF bundle of one case (app.reports.case_file) for an IOPC
referral or a misconduct hearing, from the window and `ppda-tracker export case-file --case REF --to
RECIPIENT --out FILE.pdf`. Anyone who may open the case may export it, with what they may read (the
IOPC liaison's file has no victims' details); anyone else is refused with nothing written. The file
is a disclosure: logged with its recipient, and it takes its name only once that is committed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.case_file import EntryKind, check_recipient, check_text
from app.domain.enums import AccessOperation
from app.domain.errors import InvalidInput
from app.domain.file_types import readable_size
from app.domain.records import User
from app.domain.workflow.investigation import investigating_body
from app.persistence.models import CaseRow, ForceRow
from app.persistence.uow import UnitOfWork
from app.reports.case_file_model import (
    CaseFile,
    FileAllegation,
    FileDocumentVersion,
    FileItem,
    FileTask,
    FileVictim,
    dated,
    words,
)
from app.reports.files import atomic_path
from app.reports.marking import MARKING
from app.services import audit, clock, installation
from app.services.case_queries import AllegationView, VictimView, _detail, find_case
from app.services.case_state import load_snapshots
from app.services.casefile.access import CASE_RECORD, readable
from app.services.casefile.documents import list_documents_in
from app.services.casefile.tasks import tasks_in
from app.services.casefile.timeline import LogQuery, Names, Source, TimelineItem, collect, current_summary

EVERYTHING = LogQuery(limit=1_000_000)
__all__ = ["CaseFileExported", "export_case_file", "find_case"]


@dataclass(frozen=True)
class CaseFileExported:
    reference: str
    out: Path
    pages: int
    entries: int
    decisions: int
    documents: int


def export_case_file(uow: UnitOfWork, actor: User, case_id: int, recipient: str, out: Path, *,
                     purpose: str | None = None) -> CaseFileExported:
    """Write the case file of `case_id` for `recipient` as `out`."""
    recipient = check_recipient(recipient)
    purpose = check_text("purpose", purpose, 200) if (purpose or "").strip() else None
    if out.suffix.lower() != ".pdf":
        raise InvalidInput(f"--out: {out.name} should end in .pdf (the case file is a PDF).")
    if not out.parent.is_dir():
        raise InvalidInput(f"--out: the folder {out.parent} does not exist.")
    force = installation.home_force(uow).name
    with uow:
        s = uow.session
        row, full = readable(s, actor, case_id, "case file export")
        data = _gather(s, actor, row, full, recipient, purpose, force)
    from app.reports.case_file import write_case_file  # ReportLab: imported when a file is written

    with atomic_path(out) as temp:
        pages = write_case_file(temp, data)
        with uow:
            audit.record(uow.session, actor, AccessOperation.DISCLOSURE, CASE_RECORD, data.reference,
                         recipient=recipient, detail=f"case file exported ({pages} pages, {MARKING})")
            uow.commit()
    return CaseFileExported(data.reference, out, pages, len(data.entries), len(data.decisions), len(data.documents))


def _gather(s: Session, actor: User, row: CaseRow, full: bool, recipient: str, purpose: str | None,
            force: str) -> CaseFile:
    snap = load_snapshots(s, [row.id])[row.id]
    detail = _detail(s, snap, full)
    names = Names(s)
    items = collect(s, row.id, full, EVERYTHING, names)
    chronological = sorted(items, key=lambda i: (i.on, i.at, i.id))
    summary = current_summary(s, row.id, names)
    body = investigating_body(snap)
    facts = (("Received", dated(row.received_date)), ("Reporting route", words(row.reporting_route)),
             ("Case type", words(row.case_type)), ("Status", words(row.status)),
             ("Closed", dated(row.closed_date) or "Open"), ("Crime references", ", ".join(snap.case.crime_refs)),
             ("Investigating body", _body(s, body)), ("Recorded", f"imported from {row.imported_from}"
                                                       if row.imported_from else "in this application"),
             ("Case team", "; ".join(f"{m.name} ({words(m.role).lower()})" for m in detail.team) or "none assigned"))
    return CaseFile(
        force, row.reference, recipient, purpose, actor.display_name, clock.now(), facts,
        summary.text if summary else None, tuple(_allegation(a) for a in detail.allegations),
        tuple(_victim(v) for v in detail.victims), not full,
        tuple(_file_item(i) for i in chronological if i.source == Source.DECISION),
        tuple(_file_item(i) for i in chronological if i.source == Source.ENTRY),
        tuple(FileTask(t.what, t.assignee, t.due_date, words(t.status)) for t in tasks_in(s, row.id)),
        tuple(_versions(s, row.id, full)))


def _body(s: Session, code: str | None) -> str:
    if code in (None, "HOME"):
        return "the home force"
    name = s.scalar(select(ForceRow.name).where(ForceRow.code == code))
    return name or words(code or "")


def _allegation(a: AllegationView) -> FileAllegation:
    conduct = " to ".join(dict.fromkeys(dated(d) for d in (a.conduct_from, a.conduct_to) if d)) or "not recorded"
    return FileAllegation(f"{a.subject} ({a.subject_staff_number})", (
        ("Abuse types", ", ".join(words(t) for t in a.abuse_types)),
        ("Aggravating features", ", ".join(words(t) for t in a.aggravating_features) or "none recorded"),
        ("Standards breached", ", ".join(words(t) for t in a.breaches)),
        ("Conduct dates", conduct),
        ("Criminal", ("yes" + (f", crime reference {a.crime_ref}" if a.crime_ref else "")) if a.criminal else "no"),
        ("Victims", ", ".join(a.victim_refs))))


def _victim(v: VictimView) -> FileVictim:
    dash = f"{words(v.dash_risk)} ({dated(v.dash_date)})" if v.dash_risk and v.dash_date else words(v.dash_risk or "")
    advocate = "offered and accepted" if v.advocate_accepted else "offered" if v.advocate_offered else "not offered"
    return FileVictim(v.reference, (
        ("Relationship to subject", words(v.relationship)), ("Police workforce", words(v.police_workforce)),
        ("Sex", words(v.sex or "") or "not recorded"), ("Age band", words(v.age_band or "") or "not recorded"),
        ("DASH risk", dash or "not assessed"), ("MARAC", "referred" if v.marac_referred else "not referred"),
        ("IDVA / ISVA", advocate)))


def _file_item(i: TimelineItem) -> FileItem:
    if i.source == Source.DECISION:
        people = tuple((k.capitalize(), v) for k, v in i.details if k in ("proposed by", "approved by"))
        decided = ("Imported from", i.by.removeprefix("imported from ")) if i.by.startswith("imported from ") \
            else ("Decided by", i.by)
        people = (*[p for p in people if p[0] == "Proposed by"], decided, *[p for p in people if p[0] == "Approved by"])
        details = tuple((k, dated_text(v)) for k, v in i.details if k not in ("proposed by", "approved by"))
        return FileItem(i.id, i.on, words(i.kind), i.subject, i.text, details, people)
    label = EntryKind[i.kind].label
    details = tuple((k, dated_text(v)) for k, v in i.details)
    details += tuple(("attached", title) for _, title in i.attachments)
    return FileItem(i.id, i.on, label, i.subject, i.text, details, (("Written by", i.by),), i.at, i.corrects,
                    i.corrected_by, i.correction_reason)


def dated_text(value: str) -> str:
    """A recorded value with an ISO date in it shown as "03 Dec 2026"; enumerated names in words."""
    try:
        return dated(date.fromisoformat(value))
    except ValueError:
        return ", ".join(words(p.strip()) for p in value.split(","))


def _versions(s: Session, case_id: int, full: bool) -> list[FileDocumentVersion]:
    out = []
    for d in list_documents_in(s, case_id, full):
        for v in reversed(d.versions):
            out.append(FileDocumentVersion(d.title, words(d.kind), v.number, v.filename, readable_size(v.size),
                                           v.sha256, f"by {v.uploaded_by} on {dated(v.uploaded_at)}"))
    return out

