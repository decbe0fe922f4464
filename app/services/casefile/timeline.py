"""Reading the case log as ONE timeline with the case's decisions, documents and tasks, newest first,
searched and filtered by kind in the database. Each reading is logged as opening the case is (a
consultation; the detail says how many items were read, never what was searched for).

The IOPC liaison reads a referred case without victims' details: contacts with the victim (and
the victim updates they recorded, and documents attached to them) are left out for them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String, and_, cast, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from app.domain.case_file import EntryKind
from app.domain.enums import AccessOperation, DecisionKind
from app.domain.records import User
from app.persistence.case_file_models import CaseDocumentRow, CaseLogEntryRow, CaseTaskRow, DocumentVersionRow
from app.persistence.models import AllegationRow, DecisionRow, PersonRow, ProposedDecisionRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit
from app.services.case_queries import _details, like_pattern
from app.services.casefile.access import CASE_RECORD, readable

LIMIT = 500


class Source(StrEnum):
    ENTRY = "ENTRY"
    DECISION = "DECISION"
    DOCUMENT = "DOCUMENT"
    TASK = "TASK"


# The kind filter: an entry kind, or every item of another source.
FILTERS: tuple[str, ...] = (*(k.name for k in EntryKind), Source.DECISION.name, Source.DOCUMENT.name,
                            Source.TASK.name)


@dataclass(frozen=True)
class LogQuery:
    text: str = ""  # every word must appear (case-insensitive)
    kinds: frozenset[str] = frozenset()  # names of FILTERS; empty: everything
    limit: int = LIMIT


@dataclass(frozen=True)
class TimelineItem:
    source: Source
    id: int  # the entry's, decision's, document version's or task's id
    kind: str  # an EntryKind or DecisionKind name; DOCUMENT; TASK
    on: date  # when it happened (a decision's effective date)
    at: datetime  # when it was written
    by: str
    text: str  # the entry's words; a decision's rationale; a document's title; a task's what
    details: tuple[tuple[str, str], ...] = ()
    subject: str | None = None
    corrects: int | None = None
    corrected_by: int | None = None
    correction_reason: str | None = None
    task_id: int | None = None
    document_id: int | None = None
    attachments: tuple[tuple[int, str], ...] = ()  # (document id, title) attached to an entry


@dataclass(frozen=True)
class CaseLog:
    case_id: int
    reference: str
    summary: TimelineItem | None
    items: tuple[TimelineItem, ...]
    truncated: bool  # more items matched than `limit`
    victim_contacts_withheld: bool
    searched: bool = False
    counts: dict[str, int] = field(default_factory=dict)  # items shown per source


def read_log(uow: UnitOfWork, actor: User, case_id: int, query: LogQuery = LogQuery()) -> CaseLog:
    """The timeline the actor may read, newest first, filtered and searched in the query."""
    with uow:
        s = uow.session
        row, full = readable(s, actor, case_id, "case log")
        names = Names(s)
        items = collect(s, case_id, full, query, names)
        shown = tuple(items[:query.limit])
        summary = current_summary(s, case_id, names)
        searched = bool(query.text.strip()) or bool(query.kinds)
        reference = row.reference
        audit.record(s, actor, AccessOperation.CONSULTATION, CASE_RECORD, reference,
                     detail=f"case log {'searched' if searched else 'read'} ({len(shown)} items)")
        uow.commit()
    counts = {src.name: sum(1 for i in shown if i.source == src) for src in Source}
    return CaseLog(case_id, reference, summary, shown, len(items) > query.limit, not full, searched, counts)


def collect(s: Session, case_id: int, full: bool, query: LogQuery, names: Names) -> list[TimelineItem]:
    """Up to `query.limit + 1` items of each source matching the query, newest first (unlogged:
    the caller logs its reading)."""
    terms = [t for t in query.text.lower().split() if t]
    wanted = set(query.kinds) or set(FILTERS)
    items: list[TimelineItem] = []
    items += _entries(s, case_id, full, terms, wanted, query.limit + 1, names)
    if Source.DECISION.name in wanted:
        items += _decisions(s, case_id, full, terms, query.limit + 1, names)
    if Source.DOCUMENT.name in wanted:
        items += _documents(s, case_id, full, terms, query.limit + 1, names)
    if Source.TASK.name in wanted:
        items += _tasks(s, case_id, terms, query.limit + 1, names)
    items.sort(key=lambda i: (i.on, i.at, i.id), reverse=True)
    return items


class Names:
    """Display names of users and people, read once per reading."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.users: dict[int, str] = {}
        self.people: dict[int, str] = {}

    def user(self, uid: int | None) -> str:
        if uid is None:
            return "—"
        if uid not in self.users:
            self.users[uid] = self.s.scalar(select(UserRow.display_name).where(UserRow.id == uid)) or "—"
        return self.users[uid]

    def person(self, pid: int | None) -> str | None:
        if pid is None:
            return None
        if pid not in self.people:
            p = self.s.execute(select(PersonRow.surname, PersonRow.forenames).where(PersonRow.id == pid)).first()
            self.people[pid] = f"{p.surname}, {p.forenames}" if p else "—"
        return self.people[pid]


def _matching(column: Any, terms: Sequence[str]) -> list[ColumnElement[bool]]:
    return [func.lower(column).like(like_pattern(t), escape="\\") for t in terms]


def _any_matching(columns: Iterable[Any], terms: Sequence[str]) -> list[ColumnElement[bool]]:
    """Each term in at least one of `columns`."""
    cols = list(columns)
    return [or_(*(func.lower(func.coalesce(c, "")).like(like_pattern(t), escape="\\") for c in cols)) for t in terms]


# ---- entries ------------------------------------------------------------------------------------

def _entries(s: Session, case_id: int, full: bool, terms: Sequence[str], wanted: set[str], limit: int,
             names: Names) -> list[TimelineItem]:
    kinds = [k.name for k in EntryKind if k.name in wanted and (full or k != EntryKind.VICTIM_CONTACT)]
    if not kinds:
        return []
    e = CaseLogEntryRow
    stmt = (select(e).where(e.case_id == case_id, e.kind.in_(kinds), *_matching(e.text, terms))
            .order_by(e.occurred_on.desc(), e.written_at.desc(), e.id.desc()).limit(limit))
    rows = list(s.scalars(stmt))
    corrected = dict(s.execute(select(e.corrects_id, e.id).where(e.case_id == case_id,
                                                                 e.corrects_id.is_not(None))).all())
    attached = _attachments(s, [r.id for r in rows])
    return [entry_item(r, names, corrected.get(r.id), attached.get(r.id, ())) for r in rows]


def entry_item(r: CaseLogEntryRow, names: Names, corrected_by: int | None = None,
               attachments: tuple[tuple[int, str], ...] = ()) -> TimelineItem:
    details = [(label, value) for label, value in (
        ("victim", r.victim_ref), ("how", r.method),
        ("next contact", r.next_contact.isoformat() if r.next_contact else None)) if value]
    if r.decision_id is not None:
        details.append(("victim update", "recorded"))
    return TimelineItem(Source.ENTRY, r.id, r.kind, r.occurred_on, r.written_at, names.user(r.written_by), r.text,
                        tuple(details), names.person(r.subject_id), r.corrects_id, corrected_by,
                        r.correction_reason, r.task_id, None, attachments)


def _attachments(s: Session, entry_ids: list[int]) -> dict[int, tuple[tuple[int, str], ...]]:
    found: dict[int, list[tuple[int, str]]] = {}
    if entry_ids:
        for eid, did, title in s.execute(select(CaseDocumentRow.entry_id, CaseDocumentRow.id, CaseDocumentRow.title)
                                         .where(CaseDocumentRow.entry_id.in_(entry_ids)).order_by(CaseDocumentRow.id)):
            if eid is not None:
                found.setdefault(eid, []).append((did, title))
    return {k: tuple(v) for k, v in found.items()}


def current_summary(s: Session, case_id: int, names: Names) -> TimelineItem | None:
    """The newest SUMMARY entry that no correction replaces."""
    e = CaseLogEntryRow
    corrected = select(e.corrects_id).where(e.case_id == case_id, e.corrects_id.is_not(None))
    row = s.scalar(select(e).where(e.case_id == case_id, e.kind == EntryKind.SUMMARY.name, e.id.not_in(corrected))
                   .order_by(e.written_at.desc(), e.id.desc()).limit(1))
    return entry_item(row, names) if row is not None else None


# ---- decisions, documents, tasks ------------------------------------------------------------------

def _decisions(s: Session, case_id: int, full: bool, terms: Sequence[str], limit: int,
               names: Names) -> list[TimelineItem]:
    d = DecisionRow
    shown_as_entries = select(CaseLogEntryRow.decision_id).where(CaseLogEntryRow.case_id == case_id,
                                                                 CaseLogEntryRow.decision_id.is_not(None))
    conditions = [d.case_id == case_id, d.id.not_in(shown_as_entries),
                  *_any_matching((d.kind, d.rationale, cast(d.payload, String)), terms)]
    if not full:
        conditions.append(d.kind != DecisionKind.VICTIM_UPDATE.name)
    stmt = (select(d, AllegationRow.subject_id).outerjoin(AllegationRow, AllegationRow.id == d.allegation_id)
            .where(and_(*conditions)).order_by(d.effective_date.desc(), d.id.desc()).limit(limit))
    rows = s.execute(stmt).all()
    proposers = dict(s.execute(select(ProposedDecisionRow.decision_id, ProposedDecisionRow.proposed_by).where(
        ProposedDecisionRow.decision_id.in_([r[0].id for r in rows]))).all()) if rows else {}
    return [_decision_item(r, subject, names, proposers.get(r.id)) for r, subject in rows]


def _decision_item(r: DecisionRow, subject: int | None, names: Names, proposer: int | None) -> TimelineItem:
    """A decision as the timeline shows it: what was decided, who proposed, decided and approved it."""
    payload = dict(r.payload or {})
    proposer = proposer or payload.pop("proposed_by", None)
    payload.pop("proposed_by", None)
    if isinstance(payload.get("user_id"), int):  # people by name, never by internal id
        payload = {("user" if k == "user_id" else k): names.user(v) if k == "user_id" else v for k,
                   v in payload.items()}
    if isinstance(payload.get("person_id"), int):
        payload = {("person" if k == "person_id" else k): names.person(v) if k == "person_id" else v
                   for k, v in payload.items()}
    decided = f"imported from {r.imported_from}" if r.imported_from else names.user(r.decided_by)
    people = [("proposed by", names.user(int(proposer)))] if proposer else []
    if r.approved_by:
        people.append(("approved by", names.user(r.approved_by)))
    return TimelineItem(Source.DECISION, r.id, r.kind, r.effective_date, r.decided_at, decided, r.rationale or "",
                        (*_details(payload), *people), names.person(subject))


def _documents(s: Session, case_id: int, full: bool, terms: Sequence[str], limit: int,
               names: Names) -> list[TimelineItem]:
    doc, ver = CaseDocumentRow, DocumentVersionRow
    conditions = [doc.case_id == case_id, *_any_matching((doc.title, ver.filename), terms)]
    if not full:
        conditions.append(or_(doc.entry_id.is_(None), doc.entry_id.not_in(select(CaseLogEntryRow.id).where(
            CaseLogEntryRow.case_id == case_id, CaseLogEntryRow.kind == EntryKind.VICTIM_CONTACT.name))))
    stmt = (select(ver, doc.title, doc.kind).join(doc, doc.id == ver.document_id).where(and_(*conditions))
            .order_by(ver.uploaded_at.desc(), ver.id.desc()).limit(limit))
    return [TimelineItem(Source.DOCUMENT, v.id, kind, v.uploaded_at.date(), v.uploaded_at, names.user(v.uploaded_by),
                         title, (("version", str(v.number)), ("file", v.filename), ("SHA-256", v.sha256),
                                 *((("what changed", v.note),) if v.note else ())), document_id=v.document_id)
            for v, title, kind in s.execute(stmt)]


def _tasks(s: Session, case_id: int, terms: Sequence[str], limit: int, names: Names) -> list[TimelineItem]:
    t = CaseTaskRow
    stmt = (select(t).where(t.case_id == case_id, *_matching(t.what, terms))
            .order_by(t.created_at.desc(), t.id.desc()).limit(limit))
    return [TimelineItem(Source.TASK, r.id, Source.TASK.name, r.created_at.date(), r.created_at,
                         names.user(r.created_by), r.what,
                         (("given to", names.user(r.assignee_id)), ("due", r.due_date.isoformat()),
                          ("status", r.status)), task_id=r.id)
            for r in s.scalars(stmt)]
