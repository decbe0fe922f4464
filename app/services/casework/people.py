"""People in the workforce register as case work changes them: leaving the force (which raises
the Advisory List task for a subject who resigns or retires under investigation), suspension as
a restriction in force, and the College list a subject was notified to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import workflow as wf
from app.domain.enums import AccessOperation, CaseStatus, EmploymentStatus, ListStatus
from app.domain.errors import InvalidInput, NotFound, PermissionDenied
from app.domain.permissions import Action, allowed
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow, PersonRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary, clock
from app.services.case_state import load_snapshots

LEAVING = (EmploymentStatus.RESIGNED, EmploymentStatus.RETIRED, EmploymentStatus.DISMISSED,
           EmploymentStatus.TRANSFERRED_OUT)
_IN_SERVICE = (EmploymentStatus.SERVING.name, EmploymentStatus.SUSPENDED.name)


@dataclass(frozen=True)
class LeavingRecorded:
    person_id: int
    status: EmploymentStatus
    end_date: date
    open_cases: int  # open cases in which they are a subject (their due items were re-derived)


def open_cases_of(session: Session, person_id: int) -> list[int]:
    return list(session.scalars(
        select(CaseRow.id).join(AllegationRow, AllegationRow.case_id == CaseRow.id)
        .where(AllegationRow.subject_id == person_id, CaseRow.status == CaseStatus.OPEN.name).distinct()))


def check_leaving(row: PersonRow, status: EmploymentStatus, end_date: date) -> None:
    """The rules of recording that someone left (`record_leaving`, and the register import for a
    subject of an open case); InvalidInput names what is wrong."""
    if status not in LEAVING:
        raise InvalidInput("status: leaving the force is RESIGNED, RETIRED, DISMISSED or TRANSFERRED_OUT.")
    if row.employment_status not in _IN_SERVICE:
        raise InvalidInput(f"{row.staff_number} is already recorded as {row.employment_status}"
                           + (f" from {row.end_date.isoformat()}." if row.end_date else "."))
    if end_date > clock.today():
        raise InvalidInput(f"end_date: {end_date.isoformat()} is in the future; record the leaving once it "
                           "has happened.")
    if row.start_date is not None and end_date < row.start_date:
        raise InvalidInput(f"end_date: {end_date.isoformat()} is before they started ({row.start_date.isoformat()}).")


def record_leaving(uow: UnitOfWork, actor: User, staff_number: str, status: EmploymentStatus,
                   end_date: date) -> LeavingRecorded:
    """A member of the workforce resigned, retired, was dismissed or transferred out on
    `end_date`. The due items of their open cases are re-derived (e.g. the Advisory List
    notification for a subject who resigned under investigation)."""
    if not allowed(actor, Action.IMPORT_WORKFORCE):
        raise PermissionDenied(f"{actor.username} may not record that someone left the force: this needs "
                               "HEAD_OF_PSD or ADMINISTRATOR (who keep the workforce register).")
    with uow:
        s = uow.session
        row = s.scalar(select(PersonRow).where(PersonRow.staff_number == staff_number.strip()))
        if row is None:
            raise NotFound(f"No one with staff number {staff_number.strip()} is in the workforce register.")
        check_leaving(row, status, end_date)
        row.employment_status, row.end_date = status.name, end_date
        s.flush()
        cases = open_cases_of(s, row.id)
        if cases:
            case_summary.refresh(s, cases)
        audit.record(s, actor, AccessOperation.ALTERATION, "person", row.id,
                     detail="leaving recorded")
        person_id = row.id
        uow.commit()
    return LeavingRecorded(person_id, status, end_date, len(cases))


def _suspended(session: Session, person_id: int) -> bool:
    """Whether a SUSPENDED measure is in force on any allegation against the person."""
    snapshots = load_snapshots(session, open_cases_of(session, person_id))
    return any(wf.measures(s, a.id).suspended for s in snapshots.values() for a in s.allegations
               if a.id is not None and a.subject_id == person_id)


def sync_employment(session: Session, actor: User, person_ids: Iterable[int]) -> None:
    """SERVING <-> SUSPENDED as suspensions are imposed and lifted (never for someone who left)."""
    session.flush()
    for pid in set(person_ids):
        row = session.get(PersonRow, pid)
        if row is None or row.employment_status not in _IN_SERVICE:
            continue
        wanted = EmploymentStatus.SUSPENDED if _suspended(session, pid) else EmploymentStatus.SERVING
        if row.employment_status != wanted.name:
            row.employment_status = wanted.name
            audit.record(session, actor, AccessOperation.ALTERATION, "person", pid,
                         detail="employment status changed by a restriction decision")


def note_list(session: Session, actor: User, person_id: int, status: ListStatus) -> None:
    """The person was notified to the College's Barred or Advisory List (Barred stays Barred)."""
    row = session.get(PersonRow, person_id)
    if row is None or row.list_status == ListStatus.BARRED.name or row.list_status == status.name:
        return
    row.list_status = status.name
    audit.record(session, actor, AccessOperation.ALTERATION, "person", person_id,
                 detail="list notification recorded")
