"""Editing an open case: allegations, victims (contact details included) and the case details.

Each edit takes `expected_version` (the version the user opened): a case changed since is refused
with a ConflictError naming who changed what. A new allegation is recorded by a RECORDING
decision of its own (its IOPC referral deadline runs from that date).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain import workflow as wf
from app.domain.enums import AbuseType, AggravatingFeature, BreachType, CaseStatus
from app.domain.errors import NotFound, RuleRefused
from app.domain.permissions import Action
from app.domain.records import User
from app.persistence.models import AllegationRow, PersonRow, UserRow, VictimRow
from app.persistence.uow import UnitOfWork
from app.services import clock
from app.services.case_state import load_snapshots
from app.services.casework.common import CaseWrite, append, begin, finish, permission_of, set_case_fields
from app.services.casework.inputs import (
    CLEAR,
    AllegationInput,
    AllegationUpdate,
    CaseDetailsUpdate,
    VictimInput,
    VictimUpdate,
    check_allegation,
    check_crime_refs,
    check_not_future,
    check_victim,
    refuse,
    victim_update_in_full,
)
from app.services.casework.rows import (
    allegation_values,
    check_assessors,
    check_not_own_victim,
    new_allegation,
    person_id,
    victim_input,
    victim_people,
    victim_values,
)


@dataclass(frozen=True)
class CaseEdited:
    case_version: int
    record_id: int | None = None  # the allegation or victim added or changed


Change = Callable[[CaseWrite], int | None]


def _edit(uow: UnitOfWork, actor: User, case_id: int, expected_version: int | None, change: Change,
          detail: str, permission: Action = Action.EDIT_CASE) -> CaseEdited:
    with uow:
        w = begin(uow.session, actor, case_id, permission, expected_version)
        if w.snapshot.case.status != CaseStatus.OPEN:
            raise RuleRefused(f"Case {w.reference} is {w.snapshot.case.status.name.lower()}: its allegations, "
                              "victims and details can no longer be changed.")
        record_id = change(w)
        finish(w, detail)
        uow.commit()
    return CaseEdited(w.version, record_id)


def _reloaded(w: CaseWrite) -> CaseWrite:
    w.session.flush()
    return dataclasses.replace(w, snapshot=load_snapshots(w.session, [w.case_id])[w.case_id])


def _merged(current: Any, changes: Any) -> Any:
    """`current` with the values `changes` gives (None: unchanged; CLEAR: removed)."""
    given = {f.name: getattr(changes, f.name) for f in dataclasses.fields(changes)}
    return dataclasses.replace(current, **{k: None if v is CLEAR else v for k, v in given.items() if v is not None})


# ---- allegations --------------------------------------------------------------------------------

def add_allegation(uow: UnitOfWork, actor: User, case_id: int, allegation: AllegationInput, *,
                   recorded_date: date | None = None, expected_version: int | None = None) -> CaseEdited:
    """A further allegation (another subject) in the case, recorded on `recorded_date` (today)."""
    def change(w: CaseWrite) -> int:
        recorded = recorded_date or w.act.today
        check_not_future("recorded_date", recorded, w.act.today)
        if recorded < w.snapshot.case.received_date:
            raise refuse("recorded_date", "is before the case was received.")
        check_allegation("allegation", allegation, {v.reference for v in w.snapshot.victims}, w.act.today)
        subject = person_id(w.session, "allegation.subject_staff_number", allegation.subject_staff_number)
        if subject in w.snapshot.subjects:
            raise refuse("allegation.subject_staff_number",
                         f"{allegation.subject_staff_number.strip()} already has an allegation in this case.")
        check_not_own_victim("allegation.victim_refs", subject,
                             victim_people(w.session, w.case_id, allegation.victim_refs))
        row = new_allegation(w.case_id, subject, recorded, allegation)
        w.session.add(row)
        w = _reloaded(w)
        append(w, [wf.record_recording(w.snapshot, w.act, allegation_id=row.id, on=recorded)])
        return row.id

    return _edit(uow, actor, case_id, expected_version, change, "allegation added", permission_of("add_allegation"))


def _allegation_input(session: Session, row: AllegationRow) -> AllegationInput:
    staff = session.scalar(select(PersonRow.staff_number).where(PersonRow.id == row.subject_id)) or ""
    return AllegationInput(
        staff, tuple(r for r in row.victim_refs.split(";") if r),
        frozenset(AbuseType[t] for t in row.abuse_types.split(";") if t),
        frozenset(AggravatingFeature[t] for t in row.aggravating_features.split(";") if t),
        frozenset(BreachType[t] for t in row.breaches.split(";") if t),
        row.conduct_from, row.conduct_to, row.criminal, row.crime_ref, row.summary)


def update_allegation(uow: UnitOfWork, actor: User, case_id: int, allegation_id: int, changes: AllegationUpdate,
                      *, expected_version: int | None = None) -> CaseEdited:
    """Change an allegation's details (its subject stays: add another allegation instead)."""
    def change(w: CaseWrite) -> int:
        row = w.session.get(AllegationRow, allegation_id)
        if row is None or row.case_id != w.case_id:
            raise NotFound(f"Allegation {allegation_id} is not part of case {w.reference}.")
        merged = _merged(_allegation_input(w.session, row), changes)
        check_allegation("allegation", merged, {v.reference for v in w.snapshot.victims}, w.act.today)
        check_not_own_victim("allegation.victim_refs", row.subject_id,
                             victim_people(w.session, w.case_id, merged.victim_refs))
        for key, value in allegation_values(merged).items():
            setattr(row, key, value)
        return row.id

    return _edit(uow, actor, case_id, expected_version, change, "allegation updated")


# ---- victims -------------------------------------------------------------------------------------

def add_victim(uow: UnitOfWork, actor: User, case_id: int, victim: VictimInput, *,
               expected_version: int | None = None) -> CaseEdited:
    def change(w: CaseWrite) -> int:
        check_victim("victim", victim, w.act.today)
        if victim.reference.strip() in {v.reference for v in w.snapshot.victims}:
            raise refuse("victim.reference", f"{victim.reference.strip()} is already a victim in this case.")
        row = VictimRow(case_id=w.case_id, **victim_values(w.session, "victim", victim))
        w.session.add(row)
        check_assessors(w.session, _reloaded(w).snapshot)
        return row.id

    return _edit(uow, actor, case_id, expected_version, change, "victim added", permission_of("add_victim"))


def _victim_row(w: CaseWrite, reference: str) -> VictimRow:
    row = w.session.scalar(select(VictimRow).where(VictimRow.case_id == w.case_id, VictimRow.reference == reference))
    if row is None:
        raise NotFound(f"There is no victim {reference} in case {w.reference}.")
    return row


def _stored_victim(session: Session, row: VictimRow) -> VictimInput:
    """The stored victim as an input, naming its colleague's staff number and its assessor's user name."""
    assessor = session.scalar(select(UserRow.username).where(UserRow.id == row.dash_assessor_user_id)) \
        if row.dash_assessor_user_id else None
    staff = session.scalar(select(PersonRow.staff_number).where(PersonRow.id == row.person_id)) \
        if row.person_id else None
    return victim_input(row, assessor, staff)


def _write_victim(w: CaseWrite, row: VictimRow, v: VictimInput, *, assessor_kept: bool) -> None:
    """Store `v` (checked) in `row`. A kept assessor is not looked up again: one whose account was
    deactivated since stays recorded."""
    values = victim_values(w.session, "victim", dataclasses.replace(v, dash_assessor=None) if assessor_kept else v)
    if assessor_kept:
        del values["dash_assessor_user_id"]
    for key, value in values.items():
        setattr(row, key, value)
    for a in w.snapshot.allegations:
        if row.reference in a.victim_refs and row.person_id is not None:
            check_not_own_victim("victim.staff_number", a.subject_id, {row.person_id})


def update_victim(uow: UnitOfWork, actor: User, case_id: int, victim_ref: str, changes: VictimUpdate, *,
                  expected_version: int | None = None) -> CaseEdited:
    """Change a victim's details, contact details included (CLEAR or `""` removes a value)."""
    def change(w: CaseWrite) -> int:
        row = _victim_row(w, victim_ref)
        stored = _stored_victim(w.session, row)
        merged: VictimInput = _merged(stored, victim_update_in_full("victim", changes))
        check_victim("victim", merged, w.act.today)
        kept = stored.dash_assessor is not None and \
            (merged.dash_assessor or "").strip().lower() == stored.dash_assessor.lower()
        _write_victim(w, row, merged, assessor_kept=kept)
        check_assessors(w.session, _reloaded(w).snapshot)
        return row.id

    return _edit(uow, actor, case_id, expected_version, change, "victim updated", permission_of("edit_victim"))


# ---- the case itself -----------------------------------------------------------------------------

def update_case_details(uow: UnitOfWork, actor: User, case_id: int, changes: CaseDetailsUpdate, *,
                        expected_version: int | None = None) -> CaseEdited:
    """Received date, reporting route, case type and crime references (the reference stays)."""
    def change(w: CaseWrite) -> None:
        values: dict[str, object] = {}
        if changes.received_date is not None:
            check_not_future("received_date", changes.received_date, clock.today())
            values["received_date"] = changes.received_date
        if changes.reporting_route is not None:
            values["reporting_route"] = changes.reporting_route.name
        if changes.case_type is not None:
            values["case_type"] = changes.case_type.name
        if changes.crime_refs is not None:
            check_crime_refs("crime_refs", changes.crime_refs)
            values["crime_refs"] = ";".join(r.strip() for r in changes.crime_refs)
        if values:
            set_case_fields(w.session, w.case_id, **values)
        return None

    return _edit(uow, actor, case_id, expected_version, change, "case details updated")
