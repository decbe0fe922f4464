"""The investigator's case file (issue #15): the case log, documents and investigation actions, as
plain values and the rules on what may be written.

- The **case log** is append-only: dated, attributed entries of a kind (`EntryKind`). An entry is
  never edited; a *correction* is a new entry of the same kind that points at the one it corrects
  (which stays visible, marked corrected), with the reason. The case's **summary** is the newest
  SUMMARY entry (written at intake, later replaced only by a new SUMMARY entry or a correction).
- A **contact with the victim** is also the victim update the rules track (DOMAIN.md §2, an update
  at least every VICTIM_UPDATE_DAYS): recording one appends the VICTIM_UPDATE decision through the
  same rule as "Victim update…", and the entry holds what was discussed and the next contact date.
- A **task** (investigation action) is given to one person with a due date; it is completed, or
  cancelled, with a log entry saying what was done or why.
- **Documents** are typed by their content (app.domain.file_types); a changed file is a new version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from app.domain.errors import InvalidInput

MAX_TEXT = 20_000
MAX_TASK = 500
MAX_TITLE = 200
MAX_RECIPIENT = 200
MIN_REASON = 5
NEXT_CONTACT_MAX_DAYS = 366
CONTACT_METHODS = ("visit", "telephone call", "video call", "letter", "email", "text message")


class EntryKind(StrEnum):
    NOTE = "NOTE"
    VICTIM_CONTACT = "VICTIM_CONTACT"
    SUBJECT_CONTACT = "SUBJECT_CONTACT"
    ACTION_TAKEN = "ACTION_TAKEN"
    CORRESPONDENCE = "CORRESPONDENCE"
    SUMMARY = "SUMMARY"

    @property
    def label(self) -> str:
        return ENTRY_LABELS[self]


ENTRY_LABELS = {
    EntryKind.NOTE: "Note", EntryKind.VICTIM_CONTACT: "Contact with the victim",
    EntryKind.SUBJECT_CONTACT: "Contact with the subject", EntryKind.ACTION_TAKEN: "Action taken",
    EntryKind.CORRESPONDENCE: "Correspondence", EntryKind.SUMMARY: "Summary",
}


class DocumentKind(StrEnum):
    STATEMENT = "STATEMENT"
    EVIDENCE = "EVIDENCE"
    LETTER = "LETTER"
    REPORT = "REPORT"
    OTHER = "OTHER"


class TaskStatus(StrEnum):
    OPEN = "OPEN"
    DONE = "DONE"
    CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class EntryInput:
    """A log entry as written. `occurred_on` (default today) is when it happened; `victim_ref`,
    `next_contact` only for a contact with the victim; `subject_id` (the person id of a subject of
    the case) only for a contact with the subject; `method` how the contact was made."""

    kind: EntryKind
    text: str
    occurred_on: date | None = None
    victim_ref: str | None = None
    method: str | None = None
    next_contact: date | None = None
    subject_id: int | None = None


def refuse(field: str, why: str) -> InvalidInput:
    return InvalidInput(f"{field}: {why}")


def check_text(field: str, text: str | None, limit: int = MAX_TEXT) -> str:
    """The text stripped; refused when empty or longer than `limit`."""
    value = (text or "").strip()
    if not value:
        raise refuse(field, "write something: it is the record.")
    if len(value) > limit:
        raise refuse(field, f"longer than {limit:,} characters ({len(value):,}). Split it into several entries.")
    return value


def check_entry(e: EntryInput, today: date) -> date:
    """Refuse an entry that cannot be recorded; the date it happened (today when not given)."""
    check_text("text", e.text)
    on = e.occurred_on or today
    if on > today:
        raise refuse("occurred_on", f"{on.isoformat()} is in the future: record what has happened.")
    contact = e.kind == EntryKind.VICTIM_CONTACT
    if contact and not (e.victim_ref or "").strip():
        raise refuse("victim_ref", "say which victim was contacted.")
    if not contact and (e.victim_ref or e.next_contact):
        raise refuse("victim_ref", "only a contact with the victim names a victim and the next contact.")
    if e.subject_id is not None and e.kind != EntryKind.SUBJECT_CONTACT:
        raise refuse("subject", "only a contact with the subject names a subject.")
    if e.method is not None and e.method not in CONTACT_METHODS:
        raise refuse("method", f"'{e.method}' is not one of {', '.join(CONTACT_METHODS)}.")
    if e.next_contact is not None:
        if e.next_contact <= on:
            raise refuse("next_contact", "the next contact is after this one.")
        if e.next_contact > on + timedelta(days=NEXT_CONTACT_MAX_DAYS):
            raise refuse("next_contact", "more than a year ahead; the victim is updated at least every few weeks.")
    return on


def check_reason(field: str, reason: str | None) -> str:
    value = (reason or "").strip()
    if len(value) < MIN_REASON:
        raise refuse(field, "say why (a few words: it is kept with the record).")
    if len(value) > MAX_TASK:
        raise refuse(field, f"longer than {MAX_TASK} characters.")
    return value


def check_task(what: str, due: date, today: date) -> str:
    value = check_text("what", what, MAX_TASK)
    if due < today:
        raise refuse("due_date", f"{due.isoformat()} has passed: give a date from today.")
    return value


def check_title(title: str | None) -> str:
    return check_text("title", title, MAX_TITLE)


def check_recipient(recipient: str | None) -> str:
    value = (recipient or "").strip()
    if len(value) < 3:
        raise refuse("recipient", "say who receives it (e.g. 'IOPC' or 'misconduct hearing panel'); "
                                  "it is kept in the access log.")
    if len(value) > MAX_RECIPIENT:
        raise refuse("recipient", f"longer than {MAX_RECIPIENT} characters.")
    return value
