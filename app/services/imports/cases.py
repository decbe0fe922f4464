"""`import cases`: migration from spreadsheets or another case system. One row per allegation;
rows with the same case_ref form one case. Natural key: (case_ref, subject_staff_number).

Decisions in the file become *imported* decision records (who imported, from which file, and the
approver who signed in where the rules need one), never decisions made in the application; the
workflow rules then derive the same due items and flags as for cases made here.

An import obeys the rules of DOMAIN.md §3 and §7 as the casework services do, through the same
functions (case_checks, case_rules). Problems are reported in three rounds, each all-or-nothing:
the file itself (cells, rows, the outcome matrix); the file against the records held (need to know
first, then cases that an import never alters, then rows that would rewrite a record); and the
rules on the cases as the file would leave them (need to know again, approvals). A refused import
changes nothing; a refusal on need-to-know grounds is written to the access log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import (
    AbuseType,
    AccessOperation,
    AggravatingFeature,
    CaseType,
    CriminalOutcome,
    DashRisk,
    IopcDecision,
    MisconductOutcome,
    ReportingRoute,
    RestrictionOption,
    VictimRelationship,
    VictimWorkforce,
)
from app.domain.errors import ImportRejected, RowError
from app.domain.permissions import Action, require
from app.domain.records import Person, User
from app.persistence.models import PersonRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary
from app.services import policies as policy_service
from app.services.case_state import person_record
from app.services.casework.common import current_user
from app.services.imports.case_checks import file_errors, held_errors, hidden_cases, outcome_errors
from app.services.imports.case_plan import CHUNK, Subject, load_held, plan_row
from app.services.imports.case_rules import rule_errors
from app.services.imports.case_writer import CaseWriter
from app.services.imports.notices import force_codes
from app.services.imports.table import (
    Column,
    Row,
    enum_of,
    enum_set,
    identifier,
    iso_date,
    read,
    spaced_reference,
    text,
    yes_no,
)
from app.services.imports.workforce import ImportSummary

COLUMNS = (
    Column("case_ref", True, identifier, 40),
    Column("recorded_date", True, iso_date, 10),
    Column("reporting_route", True, enum_of(ReportingRoute), 40),
    Column("case_type", True, enum_of(CaseType), 40),
    Column("subject_staff_number", True, identifier, 32),
    Column("victim_ref", True, identifier, 40),
    Column("victim_relationship", True, enum_of(VictimRelationship), 40),
    Column("victim_is_police_workforce", False, enum_of(VictimWorkforce), 40),
    Column("dash_risk", False, enum_of(DashRisk), 20),
    Column("abuse_types", True, enum_set(AbuseType), 400),
    Column("aggravating_features", False, enum_set(AggravatingFeature), 400),
    Column("criminal", False, yes_no, 5),
    Column("crime_ref", False, spaced_reference, 60),
    Column("threshold_met_date", False, iso_date, 10),
    Column("restrictions", False, enum_set(RestrictionOption), 400),
    Column("restriction_date", False, iso_date, 10),
    Column("iopc_referral_date", False, iso_date, 10),
    Column("iopc_decision", False, enum_of(IopcDecision), 40),
    Column("investigating_body", False, text, 64),
    Column("misconduct_outcomes", False, enum_set(MisconductOutcome), 400),
    Column("criminal_outcome", False, enum_of(CriminalOutcome), 40),
    Column("outcome_date", False, iso_date, 10),
)
LOGGED_REFUSALS = 100  # refused cases written to the access log, one entry each


def import_cases(uow: UnitOfWork, actor: User, path: Path, approver: User | None = None) -> ImportSummary:
    """Import `path` as `actor`; `approver` (another user, signed in) approves the decisions the
    rules do not let the importer record alone."""
    require(actor, Action.IMPORT_CASES)
    table = read(path, COLUMNS)
    rows = table.rows
    with uow:
        session = uow.session
        actor = current_user(session, actor, "import cases")
        require(actor, Action.IMPORT_CASES)
        approver = current_user(session, approver, "approve imported decisions") if approver else None
        people = _people(session)
        codes = force_codes(session)
        policy_set = policy_service.load(session)
        table.reject_if_errors(file_errors(rows, people, codes)
                               + outcome_errors(rows, _subjects(session, rows), policy_set))
        held = load_held(session, (r["case_ref"] for r in rows))
        plans = [plan_row(r, people[r["subject_staff_number"]], held, codes) for r in rows]
        hidden = hidden_cases(session, actor, (c.id for c in held.cases.values()))
        _reject(session, actor, path.name, held_errors(plans, held, hidden, actor), hidden.values())
        writer = CaseWriter(session, actor, approver, path.name)
        ids = writer.write_structure(plans)
        problems, hidden = rule_errors(session, actor, approver, plans, ids, policy_set, writer.now, path.name)
        _reject(session, actor, path.name, problems, hidden.values())
        updated = writer.write_decisions(plans, ids)
        writer.close_finished(plans)
        added = writer.added
        if added or updated:
            case_summary.refresh(session,
                                 sorted({ids[(p.row["case_ref"], p.subject.id)][0] for p in plans if p.alters}))
            audit.record(session, actor, AccessOperation.COLLECTION, "case_import", path.name,
                         detail=f"{added} allegations added, {updated} updated from {len(rows)} rows")
        uow.commit()
    return ImportSummary(path.name, len(rows), added, updated, len(rows) - added - updated)


def _reject(session: Session, actor: User, filename: str, errors: list[RowError], refused: Iterable[str]) -> None:
    """Refuse the import when there are errors; the cases refused on need-to-know grounds are
    logged as refused consultations (as opening them would be), after rolling everything back."""
    if not errors:
        return
    refs = sorted(set(refused))
    if refs:
        session.rollback()
        for ref in refs[:LOGGED_REFUSALS]:
            audit.record(session, actor, AccessOperation.CONSULTATION, "case", ref,
                         detail=f"{audit.REFUSED}: case import")
        if len(refs) > LOGGED_REFUSALS:
            audit.record(session, actor, AccessOperation.CONSULTATION, "case_import", filename,
                         detail=f"{audit.REFUSED}: case import onto {len(refs) - LOGGED_REFUSALS} more case(s)")
        session.commit()
    errors.sort(key=lambda e: e.line)
    raise ImportRejected(filename, errors)


def _people(session: Session) -> dict[str, Subject]:
    return {sn: Subject(pid, f"{surname} {forenames}", born) for sn, pid, surname, forenames, born in session.execute(
        select(PersonRow.staff_number, PersonRow.id, PersonRow.surname, PersonRow.forenames, PersonRow.date_of_birth))}


def _subjects(session: Session, rows: list[Row]) -> Mapping[str, Person]:
    """The subjects of rows with misconduct outcomes, as domain records (the outcome matrix needs them)."""
    wanted = sorted({r["subject_staff_number"] for r in rows if r["misconduct_outcomes"] and r["subject_staff_number"]})
    subjects: dict[str, Person] = {}
    for i in range(0, len(wanted), CHUNK):
        subjects.update({p.staff_number: person_record(p) for p in session.scalars(
            select(PersonRow).where(PersonRow.staff_number.in_(wanted[i : i + CHUNK])))})
    return subjects

