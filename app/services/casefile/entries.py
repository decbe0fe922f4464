"""Writing the case log (rules in app.domain.case_file): an entry, a contact with the victim (which
is also the victim update the rules track), a correction. Each is one transaction with its
access-log entry (the entry's kind and id only: never its text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import workflow as wf
from app.domain.case_file import EntryInput, EntryKind, check_entry, check_reason, check_text
from app.domain.enums import AccessOperation
from app.domain.errors import ConflictError, InvalidInput, NotFound, PermissionDenied, RuleRefused
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.case_file_models import CaseLogEntryRow, insert_entry
from app.persistence.models import AllegationRow, UserRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.casefile.access import CASE_RECORD, supervises, writable
from app.services.casework.common import append, begin, finish


@dataclass(frozen=True)
class EntryAdded:
    entry_id: int
    reference: str
    decision_id: int | None = None  # the victim update a contact with the victim recorded
    case_version: int | None = None  # the case's version after it (a victim update moves it on)


def add_entry(uow: UnitOfWork, actor: User, case_id: int, entry: EntryInput, *,
              task_id: int | None = None) -> EntryAdded:
    """Append an entry to the case log. A contact with the victim also records the victim update."""
    require(actor, Action.EDIT_CASE)
    on = check_entry(entry, clock.today())
    if entry.kind == EntryKind.VICTIM_CONTACT:
        return _victim_contact(uow, actor, case_id, entry, on)
    with uow:
        s = uow.session
        row = writable(s, actor, case_id)
        if entry.subject_id is not None:
            _require_subject(s, case_id, entry.subject_id)
        e = insert_entry(s, case_id, entry.kind, entry.text, on, actor.id or 0, clock.now(), method=entry.method,
                         subject_id=entry.subject_id, task_id=task_id)
        audit.record(s, actor, AccessOperation.COLLECTION, CASE_RECORD, row.reference,
                     detail=f"case log entry {e.id} added ({entry.kind.name})")
        added = EntryAdded(e.id, row.reference)
        uow.commit()
    return added


def _require_subject(s: Session, case_id: int, person_id: int) -> None:
    found = s.scalar(select(AllegationRow.id).where(AllegationRow.case_id == case_id,
                                                    AllegationRow.subject_id == person_id))
    if found is None:
        raise InvalidInput("subject: that person is not a subject of this case.")


def _victim_contact(uow: UnitOfWork, actor: User, case_id: int, entry: EntryInput, on: date) -> EntryAdded:
    """The victim update (the rule's own decision, as "Victim update…" records it) and the entry
    saying what was discussed, in one transaction."""
    ref = (entry.victim_ref or "").strip()
    with uow:
        s = uow.session
        writable(s, actor, case_id)
        w = begin(s, actor, case_id, Action.EDIT_CASE, None)
        decision = wf.record_victim_update(w.snapshot, w.act, ref, on=on, method=entry.method,
                                           next_contact=entry.next_contact)
        [decision_id] = append(w, [decision])
        e = insert_entry(s, case_id, EntryKind.VICTIM_CONTACT, entry.text, on, actor.id or 0, w.at, victim_ref=ref,
                         method=entry.method, next_contact=entry.next_contact, decision_id=decision_id)
        finish(w, f"VICTIM_UPDATE; case log entry {e.id} added ({EntryKind.VICTIM_CONTACT.name})")
        added = EntryAdded(e.id, w.reference, decision_id, w.version)
        uow.commit()
    return added


def correct_entry(uow: UnitOfWork, actor: User, entry_id: int, text: str, reason: str, *,
                  occurred_on: date | None = None) -> EntryAdded:
    """A new entry correcting `entry_id` (which stays, marked corrected). By its author, or a
    supervisor or the head of PSD; at most one correction per entry (correct the correction)."""
    require(actor, Action.EDIT_CASE)
    text = check_text("text", text)
    with uow:
        s = uow.session
        original = _entry(s, entry_id)
        why = check_reason("reason", reason)
        row = writable(s, actor, original.case_id)
        _may_correct(s, actor, original)
        on = _corrected_date(original, occurred_on)
        e = insert_entry(s, original.case_id, EntryKind[original.kind], text, on, actor.id or 0, clock.now(),
                         victim_ref=original.victim_ref, subject_id=original.subject_id, method=original.method,
                         next_contact=original.next_contact, decision_id=original.decision_id,
                         task_id=original.task_id, corrects_id=original.id, correction_reason=why)
        audit.record(s, actor, AccessOperation.ALTERATION, CASE_RECORD, row.reference,
                     detail=f"case log entry {original.id} corrected by entry {e.id}")
        added = EntryAdded(e.id, row.reference)
        try:
            uow.commit()
        except IntegrityError:
            raise ConflictError(f"Entry {entry_id} was corrected by someone else a moment ago; nothing was saved. "
                                "Reload the case log and correct the correction if needed.") from None
    return added


def _entry(s: Session, entry_id: int) -> CaseLogEntryRow:
    row = s.get(CaseLogEntryRow, entry_id)
    if row is None:
        raise NotFound(f"There is no case log entry {entry_id}.")
    return row


def _may_correct(s: Session, actor: User, original: CaseLogEntryRow) -> None:
    if original.written_by != actor.id and not supervises(actor):
        author = s.scalar(select(UserRow.display_name).where(UserRow.id == original.written_by)) or "its author"
        raise PermissionDenied(f"Only {author}, who wrote entry {original.id}, or a supervisor may correct it.")
    later = s.scalar(select(CaseLogEntryRow.id).where(CaseLogEntryRow.corrects_id == original.id))
    if later is not None:
        raise RuleRefused(f"Entry {original.id} has already been corrected by entry {later}: correct that one instead.")


def _corrected_date(original: CaseLogEntryRow, occurred_on: date | None) -> date:
    if occurred_on is None or occurred_on == original.occurred_on:
        return original.occurred_on
    if original.decision_id is not None:
        raise RuleRefused("The date of a contact with the victim is the date of the victim update it recorded, "
                          "which stands: record the contact again on the right date instead.")
    if occurred_on > clock.today():
        raise InvalidInput(f"occurred_on: {occurred_on.isoformat()} is in the future: record what has happened.")
    return occurred_on
