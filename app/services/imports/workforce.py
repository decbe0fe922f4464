"""`import workforce`: the register of the force's people. Natural key: staff_number.

For a subject of an open case, being in service, suspended or gone is the case work's: a
restriction decision suspends and lifts (app.services.casework.people.sync_employment), and a
leaving under investigation raises the Advisory List task. So for them the register does not
write SERVING or SUSPENDED over what the decisions say, records a leaving only as `record_leaving`
would (same rules, an end date), and never changes a leaving already recorded (refused, naming the
line): the import is no side door around the decisions (DOMAIN.md §3, §3.4)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, CaseStatus, EmploymentStatus, Ethnicity, RoleFlag, Sex, WorkforceType
from app.domain.errors import InvalidInput, RowError
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import AllegationRow, CaseRow, PersonRow, PreviousNameRow
from app.persistence.uow import UnitOfWork
from app.services import audit, case_summary
from app.services.case_queries import conflicted_cases
from app.services.casework.common import current_user
from app.services.casework.people import check_leaving, open_cases_of
from app.services.imports.line_managers import cycle_errors
from app.services.imports.table import Column, Row, enum_of, enum_set, identifier, iso_date, name_list, read, text

COLUMNS = (
    Column("staff_number", True, identifier, 32),
    Column("warrant_number", False, identifier, 32),
    Column("surname", True, text, 100),
    Column("forenames", True, text, 100),
    Column("previous_names", False, name_list(10, 100), 1100),
    Column("date_of_birth", True, iso_date, 10),
    Column("sex", False, enum_of(Sex), 20),
    Column("ethnicity", False, enum_of(Ethnicity), 20),
    Column("workforce_type", True, enum_of(WorkforceType), 40),
    Column("rank_or_grade", False, text, 40),
    Column("unit", False, text, 100),
    Column("line_manager_staff_number", False, identifier, 32),
    Column("role_flags", False, enum_set(RoleFlag), 200),
    Column("employment_status", False, enum_of(EmploymentStatus), 40),
    Column("start_date", False, iso_date, 10),
    Column("end_date", False, iso_date, 10),
)

SIMPLE_FIELDS = ("warrant_number", "surname", "forenames", "date_of_birth", "sex", "ethnicity",
                 "workforce_type", "rank_or_grade", "unit", "role_flags", "employment_status",
                 "start_date", "end_date")


@dataclass(frozen=True)
class ImportSummary:
    file: str
    rows: int
    added: int
    updated: int
    unchanged: int
    touched_ids: tuple[int, ...] = ()  # records added or changed (matched against notices next)

    def __str__(self) -> str:
        return (f"{self.file}: {self.rows} rows read; {self.added} added, {self.updated} updated, "
                f"{self.unchanged} unchanged.")


def import_workforce(uow: UnitOfWork, actor: User, path: Path) -> ImportSummary:
    require(actor, Action.IMPORT_WORKFORCE)
    table = read(path, COLUMNS)
    rows = table.rows
    with uow:
        session = uow.session
        actor = current_user(session, actor, "import the workforce register")
        require(actor, Action.IMPORT_WORKFORCE)
        existing = {p.staff_number: p for p in session.scalars(select(PersonRow))}
        under = _under_investigation(session)
        table.reject_if_errors(_row_checks(rows, existing) + _case_work_errors(rows, existing, under))
        table.reject_if_errors(_connected_errors(session, actor, rows, existing, under))
        new, changed = _apply(session, actor, rows, existing, under)
        _refresh_cases(session, [existing[sn].id for sn in changed if existing[sn].id in under])
        added, updated = len(new), len(changed)
        if added or updated:
            audit.record(session, actor, AccessOperation.COLLECTION, "workforce_import", path.name,
                         detail=f"{added} people added, {updated} updated from {len(rows)} rows")
        touched = tuple(sorted(existing[sn].id for sn in new | changed))
        if changed:  # their cases' list columns and due items (names, leaving) follow the register
            _refresh_cases_of(session, [existing[sn].id for sn in changed])
        uow.commit()
    from app.services import matching  # people added or changed are matched against held notices

    matching.match_people(uow, actor, touched)
    return ImportSummary(path.name, len(rows), added, updated, len(rows) - added - updated, touched)


def _row_checks(rows: list[Row], existing: dict[str, PersonRow]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    in_file = {r["staff_number"] for r in rows if r["staff_number"]}
    for r in rows:
        sn = r["staff_number"]
        if sn in seen:
            errors.append(RowError(r.line, "staff_number", f"{sn} is also on line {seen[sn]}"))
        if sn:
            seen.setdefault(sn, r.line)
        mgr = r["line_manager_staff_number"]
        if mgr and mgr not in in_file and mgr not in existing:
            errors.append(RowError(r.line, "line_manager_staff_number", f"{mgr} is not in the file or the register"))
        if mgr and mgr == sn:
            errors.append(RowError(r.line, "line_manager_staff_number", "a person cannot be their own line manager"))
        errors.extend(_date_errors(r))
    errors.extend(_letter_case_twins(rows, existing))
    errors.extend(cycle_errors(rows, existing))
    return errors


def _date_errors(r: Row) -> list[RowError]:
    errors = []
    born: date | None = r["date_of_birth"]
    for column in ("start_date", "end_date"):
        if born and r[column] and r[column] <= born:
            errors.append(RowError(r.line, column, f"{r[column]} is not after date_of_birth {born}"))
    if r["start_date"] and r["end_date"] and r["end_date"] < r["start_date"]:
        errors.append(RowError(r.line, "end_date", "is before start_date"))
    status = r["employment_status"] or EmploymentStatus.SERVING
    if r["end_date"] and not status.has_left:
        errors.append(RowError(r.line, "end_date", f"given but employment_status is {status.name}"))
    return errors


IN_SERVICE = (EmploymentStatus.SERVING.name, EmploymentStatus.SUSPENDED.name)


def _under_investigation(session: Session) -> set[int]:
    """The people who are subjects of an open case."""
    return set(session.scalars(select(AllegationRow.subject_id).join(CaseRow, CaseRow.id == AllegationRow.case_id)
                               .where(CaseRow.status == CaseStatus.OPEN.name).distinct()))


def _case_work_errors(rows: list[Row], existing: dict[str, PersonRow], under: set[int]) -> list[RowError]:
    """A subject of an open case: a leaving recorded is not changed; a new one follows record_leaving's rules."""
    errors = []
    for r in rows:
        person = existing.get(r["staff_number"])
        if person is None or person.id not in under:
            continue
        stated: EmploymentStatus | None = r["employment_status"]
        sn = person.staff_number
        if person.employment_status not in IN_SERVICE:
            if (stated is not None and stated.name != person.employment_status) or (
                    r["end_date"] is not None and r["end_date"] != person.end_date):
                since = f" from {person.end_date.isoformat()}" if person.end_date else ""
                errors.append(RowError(r.line, "employment_status",
                                       f"{sn} is the subject of an open case and is recorded as "
                                       f"{person.employment_status}{since}; an import does not change that"))
        elif stated is not None and stated.name not in IN_SERVICE:
            if r["end_date"] is None:
                errors.append(RowError(r.line, "end_date", f"{sn} is the subject of an open case: their leaving "
                                                          "needs its end_date"))
                continue
            try:
                check_leaving(person, stated, r["end_date"])
            except InvalidInput as exc:
                errors.append(RowError(r.line, "employment_status", f"{sn}: {exc.message}"))
    return errors


def _case_work_values(person: PersonRow, values: dict[str, Any]) -> dict[str, Any]:
    """What the register may write for a subject of an open case (the file passed _case_work_errors):
    never SERVING or SUSPENDED over the decisions' status; a leaving recorded stays as it was."""
    if person.employment_status in IN_SERVICE and values["employment_status"] in IN_SERVICE:
        return {**values, "employment_status": person.employment_status}
    if person.employment_status not in IN_SERVICE:
        return {**values, "employment_status": person.employment_status, "end_date": person.end_date}
    return values


def _connected_errors(session: Session, actor: User, rows: list[Row], existing: dict[str, PersonRow],
                      under: set[int]) -> list[RowError]:
    """The importer may not change the entry of a subject of an open case they are connected to (the
    subject themselves, their line manager, a victim, a declared associate: DOMAIN.md §7): a case they
    may never open is not changed through what it knows of its subjects either."""
    if actor.person_id is None:
        return []
    guarded = set(session.scalars(
        select(AllegationRow.subject_id).join(CaseRow, CaseRow.id == AllegationRow.case_id)
        .where(AllegationRow.case_id.in_(conflicted_cases(actor.person_id)), CaseRow.status == CaseStatus.OPEN.name)))
    errors = []
    for r in rows:
        person = existing.get(r["staff_number"])
        if person is not None and person.id in guarded and _changes(person, r, existing, under):
            errors.append(RowError(r.line, "staff_number", f"{person.staff_number} is a subject of an open case you "
                                   "are connected to (or you are): someone else must import changes to their entry"))
    return errors


def _changes(person: PersonRow, r: Row, existing: dict[str, PersonRow], under: set[int]) -> bool:
    values = _values(r)
    if person.id in under:
        values = _case_work_values(person, values)
    mgr = r["line_manager_staff_number"]
    manager = existing.get(mgr) if mgr else None
    return _changed(person, values, r) or bool(mgr and manager is None) or (
        (manager.id if manager else None) != person.line_manager_id)


def _refresh_cases(session: Session, person_ids: list[int]) -> None:
    """A subject's leaving changes what their open cases owe (the Advisory List task): the case list follows."""
    cases = sorted({c for pid in person_ids for c in open_cases_of(session, pid)})
    if cases:
        case_summary.refresh(session, cases)


def _letter_case_twins(rows: list[Row], existing: dict[str, PersonRow]) -> list[RowError]:
    """A staff number that differs from another only in letter case is a twin nobody can tell apart."""
    held = {sn.casefold(): sn for sn in existing}
    first: dict[str, tuple[str, int]] = {}
    errors = []
    for r in rows:
        sn = r["staff_number"]
        if not sn:
            continue
        key = sn.casefold()
        other = held.get(key)
        if other is not None and other != sn:
            errors.append(RowError(r.line, "staff_number", f"{sn} differs only in letter case from {other}, "
                                                          "already in the register"))
        twin = first.setdefault(key, (sn, r.line))
        if twin[0] != sn:
            errors.append(RowError(r.line, "staff_number", f"{sn} differs only in letter case from {twin[0]} "
                                                          f"on line {twin[1]}"))
    return errors


def _values(r: Row) -> dict[str, Any]:
    flags = r["role_flags"] or frozenset()
    return {
        "warrant_number": r["warrant_number"], "surname": r["surname"], "forenames": r["forenames"],
        "date_of_birth": r["date_of_birth"], "sex": _name(r["sex"]), "ethnicity": _name(r["ethnicity"]),
        "workforce_type": r["workforce_type"].name, "rank_or_grade": r["rank_or_grade"], "unit": r["unit"],
        "role_flags": ";".join(sorted(f.name for f in flags)),
        "employment_status": (r["employment_status"] or EmploymentStatus.SERVING).name,
        "start_date": r["start_date"], "end_date": r["end_date"],
    }


def _name(value: Any) -> str | None:
    return None if value is None else value.name


def _apply(session: Session, actor: User, rows: list[Row], existing: dict[str, PersonRow],
           under: set[int]) -> tuple[set[str], set[str]]:
    new: set[str] = set()
    changed: set[str] = set()
    for r in rows:
        values = _values(r)
        person = existing.get(r["staff_number"])
        if person is not None and person.id in under:
            values = _case_work_values(person, values)
        if person is None:
            person = PersonRow(staff_number=r["staff_number"], **values)
            session.add(person)
            existing[r["staff_number"]] = person
            new.add(r["staff_number"])
        elif _changed(person, values, r):
            for key, value in values.items():
                setattr(person, key, value)
            changed.add(r["staff_number"])
        _set_previous_names(person, r["previous_names"] or ())
    session.flush()
    for r in rows:  # line managers once everyone exists
        mgr = r["line_manager_staff_number"]
        person = existing[r["staff_number"]]
        manager_id = existing[mgr].id if mgr else None
        if person.line_manager_id != manager_id:
            person.line_manager_id = manager_id
            if r["staff_number"] not in new:
                changed.add(r["staff_number"])
    session.flush()
    for staff_number in sorted(changed):
        audit.record(session, actor, AccessOperation.ALTERATION, "person", existing[staff_number].id,
                     detail="updated by workforce import")
    return new, changed


def _changed(person: PersonRow, values: dict[str, Any], r: Row) -> bool:
    if any(getattr(person, k) != v for k, v in values.items()):
        return True
    old_names = tuple(n.full_name for n in person.previous_names)
    return old_names != tuple(r["previous_names"] or ())


def _set_previous_names(person: PersonRow, names: tuple[str, ...]) -> None:
    if tuple(n.full_name for n in person.previous_names) != names:
        person.previous_names = [PreviousNameRow(full_name=n) for n in names]


def _refresh_cases_of(session: Session, person_ids: list[int]) -> None:
    from sqlalchemy import select

    from app.persistence.models import AllegationRow
    from app.services import case_summary

    session.flush()
    cases: set[int] = set()
    for i in range(0, len(person_ids), 900):
        cases.update(session.scalars(select(AllegationRow.case_id).where(
            AllegationRow.subject_id.in_(person_ids[i : i + 900]))))
    if cases:
        case_summary.refresh(session, cases)
