"""Checks of a cases file before anything is written (FORMATS.md "Cases", DOMAIN.md §3 and §7).

The file on its own: rows of one case or victim agree, restrictions have a date, dates are in
order and none is before the subject's birth, outcomes obey the outcome matrix. Against what is
held: a case the importer may not open is refused first (need to know, the same SQL condition
as opening a case: `case_queries.visible_clause`), and nothing else about it is said; a case
disposed of, closed, created in the application or with decisions recorded in the application
is never altered; a row never rewrites what is held about a case, allegation or victim.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import not_, select
from sqlalchemy.orm import Session

from app.domain.enums import CaseStatus, RestrictionOption
from app.domain.errors import RowError
from app.domain.policy import PolicySet
from app.domain.records import Person, User
from app.domain.workflow import ImportedRowProblem, check_imported_outcomes
from app.persistence.models import CaseRow
from app.services.case_queries import visible_clause
from app.services.imports.case_plan import CHUNK, Held, RowPlan, Subject, allegation_fields, victim_fields
from app.services.imports.table import Row

CASE_FIELDS = ("reporting_route", "case_type")
VICTIM_FIELDS = ("victim_relationship", "victim_is_police_workforce", "dash_risk")
DATE_COLUMNS = ("recorded_date", "threshold_met_date", "restriction_date", "iopc_referral_date", "outcome_date")


# ---- the file on its own ----------------------------------------------------------------------

def file_errors(rows: list[Row], people: Mapping[str, Subject], codes: Mapping[str, str]) -> list[RowError]:
    errors: list[RowError] = []
    first_of_case: dict[str, Row] = {}
    victims: dict[tuple[str, str], Row] = {}
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        errors.extend(_row_errors(r, people, codes))
        key = (r["case_ref"], r["subject_staff_number"])
        if None not in key and key in seen:
            errors.append(RowError(r.line, "subject_staff_number",
                                   f"{key[1]} already has an allegation in case {key[0]} on line {seen[key]}"))
        seen.setdefault(key, r.line)
        if r["case_ref"]:
            first = first_of_case.setdefault(r["case_ref"], r)
            errors.extend(_disagreements(r, first, CASE_FIELDS, f"case {r['case_ref']}"))
            vfirst = victims.setdefault((r["case_ref"], r["victim_ref"]), r)
            errors.extend(_disagreements(r, vfirst, VICTIM_FIELDS, f"victim {r['victim_ref']}"))
    return errors


def _disagreements(r: Row, first: Row, fields: Iterable[str], what: str) -> list[RowError]:
    return [RowError(r.line, f, f"differs from line {first.line} for the same {what}")
            for f in fields if r is not first and None not in (r[f], first[f]) and r[f] != first[f]]


def _row_errors(r: Row, people: Mapping[str, Subject], codes: Mapping[str, str]) -> list[RowError]:
    errs: list[RowError] = []

    def add(col: str, why: str) -> None:
        errs.append(RowError(r.line, col, why))

    if r["subject_staff_number"] and r["subject_staff_number"] not in people:
        add("subject_staff_number", f"{r['subject_staff_number']} is not in the workforce register")
    if r["restrictions"] and not r["restriction_date"]:
        add("restriction_date", "required when restrictions are given")
    if r["restriction_date"] and not r["restrictions"]:
        add("restrictions", "restriction_date is given but no restrictions")
    restrictions = r["restrictions"] or frozenset()
    if RestrictionOption.NO_RESTRICTION in restrictions and len(restrictions) > 1:
        add("restrictions", "NO_RESTRICTION cannot be combined with a restriction")
    if (r["misconduct_outcomes"] or r["criminal_outcome"]) and not r["outcome_date"]:
        add("outcome_date", "required when an outcome is given")
    if r["iopc_decision"] and not r["iopc_referral_date"]:
        add("iopc_referral_date", "required when an IOPC decision is given")
    body = r["investigating_body"]
    if body and body.upper() not in ("HOME", "IOPC") and body.lower() not in codes:
        add("investigating_body", f"'{body}' is not HOME, IOPC or a known force code")
    errs.extend(_date_errors(r, people.get(r["subject_staff_number"] or "")))
    return errs


def _date_errors(r: Row, subject: Subject | None) -> list[RowError]:
    errs = []
    recorded: date | None = r["recorded_date"]
    for col in DATE_COLUMNS:
        day = r[col]
        if day is None:
            continue
        if subject is not None and day < subject.date_of_birth:
            errs.append(RowError(r.line, col, f"{day} is before the subject's date of birth"))
        elif recorded and col != "recorded_date" and day < recorded:
            errs.append(RowError(r.line, col, f"{day} is before recorded_date {recorded}"))
    return errs


def outcome_errors(rows: list[Row], subjects: Mapping[str, Person], policies: PolicySet) -> list[RowError]:
    """The outcome matrix (DOMAIN.md §3.4), as in the application, applied to each row's outcomes."""
    errors: list[RowError] = []
    for r in rows:
        subject = subjects.get(r["subject_staff_number"] or "")
        if subject is None or not r["misconduct_outcomes"] or not r["recorded_date"]:
            continue
        try:
            check_imported_outcomes(r["misconduct_outcomes"], subject, r["recorded_date"], policies)
        except ImportedRowProblem as problem:
            errors.append(RowError(r.line, problem.column, problem.message))
    return errors


# ---- against what is held -----------------------------------------------------------------------

def hidden_cases(session: Session, actor: User, case_ids: Iterable[int]) -> dict[int, str]:
    """The cases (id → reference) `actor` may not open: restricted to others, or connected to them."""
    ids = sorted(set(case_ids))
    hidden: dict[int, str] = {}
    for i in range(0, len(ids), CHUNK):
        hidden.update(dict(session.execute(select(CaseRow.id, CaseRow.reference).where(
            CaseRow.id.in_(ids[i : i + CHUNK]), not_(visible_clause(actor, via_iopc=False)))).all()))
    return hidden


def access_message(actor: User, reference: str) -> str:
    return (f"{actor.username} may not import onto case {reference}: like opening it, this is refused to anyone "
            "connected to a subject or victim of the case (a subject, a subject's line manager, a victim or a "
            "declared associate) and, for a case restricted to named users, to anyone not named on it")


def held_errors(plans: list[RowPlan], held: Held, hidden: Mapping[int, str], actor: User) -> list[RowError]:
    errors: list[RowError] = []
    for p in plans:
        r, case = p.row, p.case
        if case is None:
            continue
        if case.id in hidden:
            errors.append(RowError(r.line, "case_ref", access_message(actor, case.reference)))
            continue
        problem = _state_problem(p)
        if problem:
            errors.append(RowError(r.line, "case_ref", problem))
            continue
        errors.extend(_differences(p, held))
    return errors


def _state_problem(p: RowPlan) -> str | None:
    case = p.case
    assert case is not None
    if case.status == CaseStatus.DISPOSED.name:
        return f"{case.reference} was disposed of under the retention policy"
    if not p.alters:
        return None
    if not case.imported or case.app_decisions:
        return (f"{case.reference} {'was created' if not case.imported else 'has decisions recorded'} in the "
                "application: an import never alters it; record the change in the application")
    if case.status != CaseStatus.OPEN.name:
        return f"{case.reference} is {case.status.lower()}: an import never alters a closed case"
    return None


def _differences(p: RowPlan, held: Held) -> list[RowError]:
    """What the row states (an empty cell states nothing) that differs from the held record."""
    r, case = p.row, p.case
    assert case is not None
    errors = [_differs(r, f, case.fields[f], f"case {case.reference}")
              for f in CASE_FIELDS if r[f] is not None and r[f].name != case.fields[f]]
    if p.allegation is not None:
        mine = allegation_fields(r)
        mine["criminal"] = mine["criminal"] if r["criminal"] is not None or r["crime_ref"] else None
        errors += [_differs(r, f, _shown(p.allegation.fields[f]), f"the allegation against {r['subject_staff_number']}")
                   for f in mine if mine[f] is not None and mine[f] != "" and mine[f] != p.allegation.fields[f]]
    victim = held.victims.get((case.id, r["victim_ref"]))
    if victim is not None:
        mine_v = victim_fields(r)
        errors += [_differs(r, f, _shown(victim[f]), f"victim {r['victim_ref']}")
                   for f in VICTIM_FIELDS if r[f] is not None and mine_v[f] != victim[f]]
    return errors


def _differs(r: Row, column: str, held_value: str, what: str) -> RowError:
    return RowError(r.line, column, f"differs from what is held for {what} ({held_value}): an import does not "
                                    "rewrite a record; correct it in the application")


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "empty"
    if isinstance(value, bool):
        return "Y" if value else "N"
    return value.isoformat() if isinstance(value, date) else str(value)
