"""Intake (DOMAIN.md §2, §3.1): a new case with its victims and allegations, recorded as a
conduct matter (or the type given) by a RECORDING decision, under the next free reference of
its received year (`PSD-YYYY-NNNNNN`); the summary given is the case log's first entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.domain import workflow as wf
from app.domain.case_file import EntryKind
from app.domain.enums import AccessOperation, AssignmentRole, Role
from app.domain.errors import ConflictError, InvalidInput, RuleRefused
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.case_file_models import insert_entry
from app.persistence.models import CaseMemberRow, CaseRow, VictimRow
from app.persistence.uow import UnitOfWork
from app.services import clock
from app.services import policies as policy_service
from app.services.case_state import load_snapshots
from app.services.casework.common import CaseWrite, Signing, append, finish
from app.services.casework.connections import independence_inputs, require_independent, user_person
from app.services.casework.inputs import CaseIntake, check_intake
from app.services.casework.rows import (
    check_after_birth,
    check_assessors,
    check_not_own_victim,
    new_allegation,
    person_id,
    victim_values,
)

REFERENCE_DIGITS = 6


@dataclass(frozen=True)
class CaseCreated:
    case_id: int
    reference: str
    version: int
    investigator_assigned: bool = False  # the creator (an INVESTIGATOR) is now on the case team
    not_assigned_reason: str | None = None  # why a creating investigator was not assigned


class _ReferenceTaken(Exception):
    """Another workstation took the same reference first (the unique constraint said so)."""


def next_reference(session: Session, year: int) -> str:
    prefix = f"PSD-{year}-"
    taken = session.scalars(select(CaseRow.reference).where(CaseRow.reference.like(prefix + "%")))
    numbers = [int(r[len(prefix):]) for r in taken if r[len(prefix):].isdigit()]
    number = max(numbers, default=0) + 1
    if number >= 10**REFERENCE_DIGITS:
        raise InvalidInput(f"received_date: no case reference is left for {year}.")
    return f"{prefix}{number:0{REFERENCE_DIGITS}d}"


Then = Callable[[Session, int], None]


def create_case(uow: UnitOfWork, actor: User, intake: CaseIntake, *, then: Then | None = None) -> CaseCreated:
    """Record a new case. Refused (nothing saved) with the field named when a value is invalid.
    `then(session, case_id)` runs in the same transaction once the case is recorded (e.g. linking
    the notice it was opened from): its refusal saves nothing either."""
    require(actor, Action.EDIT_CASE)
    check_intake(intake, clock.today())
    try:
        return _create(uow, actor, intake, then)
    except _ReferenceTaken:
        try:
            return _create(uow, actor, intake, then)  # once more, with the next free number
        except _ReferenceTaken:
            raise ConflictError("Other cases were being recorded at the same moment and took the next "
                                "reference; nothing was saved. Save again.") from None


def _create(uow: UnitOfWork, actor: User, intake: CaseIntake, then: Then | None) -> CaseCreated:
    with uow:
        s = uow.session
        now = clock.now()
        row = _insert_case(s, actor, intake, now)
        _insert_parties(s, row.id, intake)
        snapshot = load_snapshots(s, [row.id])[row.id]
        check_assessors(s, snapshot)
        w = CaseWrite(s, Signing.alone(actor), row.id, row.reference, row.version, snapshot,
                      policy_service.load(s), now)
        append(w, [wf.record_recording(snapshot, w.act, on=intake.received_date)])
        if (intake.summary or "").strip():
            insert_entry(s, row.id, EntryKind.SUMMARY, intake.summary or "", intake.received_date, actor.id or 0, now)
        reason = _assign_creator(w, intake) if actor.has(Role.INVESTIGATOR) else None
        finish(w, "case created", AccessOperation.COLLECTION)
        if then is not None:
            then(s, w.case_id)
        uow.commit()
    return CaseCreated(w.case_id, w.reference, w.version, actor.has(Role.INVESTIGATOR) and reason is None, reason)


def _insert_case(s: Session, actor: User, intake: CaseIntake, now: datetime) -> CaseRow:
    row = CaseRow(
        reference=next_reference(s, intake.received_date.year), received_date=intake.received_date,
        reporting_route=intake.reporting_route.name, case_type=intake.case_type.name, status="OPEN",
        crime_refs=";".join(r.strip() for r in intake.crime_refs), created_by=actor.id, created_at=now,
        version=1, restricted_to_named=False)
    s.add(row)
    try:
        s.flush()
    except IntegrityError:
        raise _ReferenceTaken() from None
    return row


def _insert_parties(s: Session, case_id: int, intake: CaseIntake) -> None:
    received: date = intake.received_date
    for i, v in enumerate(intake.victims, start=1):
        s.add(VictimRow(case_id=case_id, **victim_values(s, f"victims[{i}]", v)))
    s.flush()
    linked = {v.reference.strip(): v.staff_number for v in intake.victims if v.staff_number}
    for i, a in enumerate(intake.allegations, start=1):
        field = f"allegations[{i}]"
        subject = person_id(s, f"{field}.subject_staff_number", a.subject_staff_number)
        check_after_birth(s, field, subject, a)
        own = {person_id(s, field, linked[r]) for r in a.victim_refs if r in linked}
        check_not_own_victim(f"{field}.victim_refs", subject, own)
        s.add(new_allegation(case_id, subject, received, a))
    s.flush()


def _assign_creator(w: CaseWrite, intake: CaseIntake) -> str | None:
    """Make the creating investigator the case's investigator when independence allows; else
    the reason they were not (the case is still recorded; a supervisor assigns someone)."""
    candidate = user_person(w.session, w.actor.id)
    try:
        require_independent(w.session, w.snapshot, candidate, AssignmentRole.INVESTIGATOR)
        people, associations, victims = independence_inputs(w.session, w.snapshot, candidate)
        decision = wf.assign(w.snapshot, w.act, w.actor, AssignmentRole.INVESTIGATOR, candidate=candidate,
                             declared_no_prior_connection=intake.creator_declares_no_prior_connection,
                             people=people, associations=associations, victim_person_ids=victims)
    except RuleRefused as refused:
        return refused.message
    append(w, [decision])
    w.session.add(CaseMemberRow(case_id=w.case_id, user_id=w.actor.id, role=AssignmentRole.INVESTIGATOR.name,
                                declared_no_prior_connection=True, assigned_at=w.at))
    return None
