"""A user's own declaration of a connection (DOMAIN.md §3.3, §7): to a member of the workforce, to
a victim of a case, or to a case as a whole. From then on the user cannot open the cases it
concerns, and any assignment they held on such a case ends (recorded as an ASSIGNMENT decision)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, Role
from app.domain.errors import InvalidInput
from app.domain.records import User
from app.persistence.models import AssociateRow, CaseMemberRow, CaseRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services import policies as policy_service
from app.services.case_queries import visible_clause
from app.services.case_state import load_snapshots
from app.services.casework.common import CaseWrite, Signing, append, case_row, claim_version, finish
from app.services.casework.connections import victim_note
from app.services.casework.rows import person_id
from app.services.casework.team import ending_decision

MAX_NOTE = 300


@dataclass(frozen=True)
class AssociationDeclared:
    association_id: int
    cases_left: tuple[str, ...]  # references of the cases whose team the user was taken off


def _check(actor: User, case_id: int | None, staff_number: str | None, victim_ref: str | None,
           note: str | None) -> None:
    if actor.person_id is None:
        raise InvalidInput("Your account is not linked to the workforce register, so a connection cannot be "
                           "recorded against you: ask an administrator to link it to your staff number.")
    if victim_ref and case_id is None:
        raise InvalidInput("case_id: a connection to a victim needs the case the victim is in.")
    if case_id is None and not staff_number:
        raise InvalidInput("Name the colleague (associate_staff_number) or the case the connection is with.")
    if note and len(note.strip()) > MAX_NOTE:
        raise InvalidInput(f"note: longer than {MAX_NOTE} characters.")


def declare_association(uow: UnitOfWork, actor: User, case_id: int | None = None,
                        associate_staff_number: str | None = None, victim_ref: str | None = None,
                        note: str | None = None) -> AssociationDeclared:
    """Record that `actor` is connected to a colleague, a victim of a case, or a case."""
    _check(actor, case_id, associate_staff_number, victim_ref, note)
    with uow:
        s = uow.session
        if case_id is not None:
            case_row(s, case_id)
        other = person_id(s, "associate_staff_number", associate_staff_number) if associate_staff_number else None
        if other == actor.person_id:
            raise InvalidInput("associate_staff_number: that is your own staff number.")
        text = victim_note(victim_ref.strip(), note) if victim_ref and victim_ref.strip() else (note or "").strip()
        row = AssociateRow(person_id=actor.person_id, associate_person_id=other, case_id=case_id, note=text or None)
        s.add(row)
        s.flush()
        audit.record(s, actor, AccessOperation.COLLECTION, "declared_associate", row.id, detail="connection declared")
        left = tuple(_leave_conflicted_cases(s, actor))
        association_id = row.id
        uow.commit()
    return AssociationDeclared(association_id, left)


def _leave_conflicted_cases(s: Session, actor: User) -> list[str]:
    """End the actor's assignments on cases they are now connected to (each case's version moves on)."""
    s.flush()
    as_reader = dataclasses.replace(actor, roles=frozenset({Role.SUPERVISOR}))
    held = select(CaseMemberRow.case_id).where(CaseMemberRow.user_id == actor.id, CaseMemberRow.ended_at.is_(None))
    readable = set(s.scalars(select(CaseRow.id).where(CaseRow.id.in_(held), visible_clause(as_reader))))
    left = []
    for case_id in sorted(set(s.scalars(held)) - readable):
        left.append(_leave(s, actor, case_id))
    return left


def _leave(s: Session, actor: User, case_id: int) -> str:
    row = case_row(s, case_id)
    reference = row.reference
    version = claim_version(s, case_id, row.version, reference)
    s.expire(row)
    w = CaseWrite(s, Signing.alone(actor), case_id, reference, version,
                  load_snapshots(s, [case_id])[case_id], policy_service.load(s), clock.now())
    members = s.scalars(select(CaseMemberRow).where(
        CaseMemberRow.case_id == case_id, CaseMemberRow.user_id == actor.id, CaseMemberRow.ended_at.is_(None)))
    append(w, [ending_decision(w, m, "declared a connection to the case") for m in list(members)])
    finish(w, "ASSIGNMENT ended (connection declared)")
    return reference
