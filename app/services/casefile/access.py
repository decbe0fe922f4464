"""Who may read and write a case's file: the same checks as the casework services and the case
view (DOMAIN.md §7 need to know; never a user connected to a subject or victim), nothing new."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.domain.enums import CaseStatus
from app.domain.errors import RuleRefused
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import CaseRow
from app.services.case_queries import _readable_or_logged
from app.services.casework.common import SUPERVISING, case_row, current_user, require_access

CASE_RECORD = "case"


def readable(session: Session, actor: User, case_id: int, what: str) -> tuple[CaseRow, bool]:
    """The case and whether the actor reads it in full (False: the IOPC liaison, who is not shown
    victims' details: contacts with the victim are left out). A refusal is logged as opening the
    case's is, naming `what` was attempted."""
    return _readable_or_logged(session, actor, case_id, CASE_RECORD, case_id, what)


def writable(session: Session, actor: User, case_id: int) -> CaseRow:
    """The case, when the actor may write to its file: the role that edits cases, need to know as
    for any case write (an investigator only on their own cases), and never a disposed case."""
    require(actor, Action.EDIT_CASE)
    actor = current_user(session, actor, "write to a case file")
    row = case_row(session, case_id)
    require_access(session, actor, row, Action.EDIT_CASE)
    if row.status == CaseStatus.DISPOSED.name:
        raise RuleRefused(f"Case {row.reference} has been disposed of: its file is erased and takes no new entries.")
    return row


def supervises(actor: User) -> bool:
    """A supervisor or the head of PSD: may correct anyone's entry, complete anyone's task."""
    return actor.has(*SUPERVISING)
