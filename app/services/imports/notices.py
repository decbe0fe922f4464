"""`import notices`: prior notices from other forces, the PND and the College lists.

Natural key: (issuing_force, notice_id). A changed notice gets a new version, so a pair that a
reviewer rejected is proposed again only when the notice itself changed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from app.domain.enums import AccessOperation, NoticeRecordType
from app.domain.errors import RowError
from app.domain.permissions import Action, require
from app.domain.records import User
from app.persistence.models import ForceRow, NoticeRow
from app.persistence.uow import UnitOfWork
from app.services import audit, clock
from app.services.casework.common import current_user
from app.services.imports.table import EARLIEST, Column, Row, enum_of, identifier, iso_date, read, text
from app.services.imports.workforce import ImportSummary

FIELDS = ("notice_date", "record_type", "surname", "forenames", "date_of_birth", "staff_number",
          "warrant_number", "pnc_id", "employing_force", "summary", "handling")


def birth_date(text: str) -> tuple[date, bool]:
    """A notice's date of birth: YYYY-MM-DD, or YYYY when the issuer knows only the year (kept as
    1 January of it, marked year-only, and matched on the year alone); 1900 to today either way."""
    if len(text) == 4 and text.isdigit():
        year = int(text)
        if not EARLIEST.year <= year <= clock.today().year:
            raise ValueError(f"{text} is not a plausible year of birth ({EARLIEST.year} to {clock.today().year})")
        return date(year, 1, 1), True
    return iso_date(text), False


COLUMNS = (
    Column("notice_id", True, identifier, 64),
    Column("issuing_force", True, identifier, 64),
    Column("notice_date", True, iso_date, 10),
    Column("record_type", True, enum_of(NoticeRecordType), 40),
    Column("surname", True, text, 100),
    Column("forenames", True, text, 100),
    Column("date_of_birth", False, birth_date, 10),
    Column("staff_number", False, identifier, 32),
    Column("warrant_number", False, identifier, 32),
    Column("pnc_id", False, identifier, 32),
    Column("employing_force", False, identifier, 64),
    Column("summary", False, text, 2000, multiline=True),
    Column("handling", False, text, 500, multiline=True),
)


def force_codes(session: Session) -> dict[str, str]:
    """Known force codes, case-insensitively: lower-case → the stored code."""
    return {c.lower(): c for c in session.scalars(select(ForceRow.code))}


def import_notices(uow: UnitOfWork, actor: User, path: Path, *, signature_state: str = "NOT_SIGNED",
                   stream: IO[bytes] | None = None) -> tuple[ImportSummary, list[int]]:
    """Returns the summary and the ids of notices added or changed (to be matched). `stream`, when
    given, holds the file's bytes (a verified private copy); `path` then only names the file."""
    require(actor, Action.IMPORT_NOTICES)
    table = read(path, COLUMNS, stream)
    rows = table.rows
    with uow:
        session = uow.session
        actor = current_user(session, actor, "import prior notices")
        require(actor, Action.IMPORT_NOTICES)
        codes = force_codes(session)
        table.reject_if_errors(_row_checks(rows, codes))
        ids, added = _apply(session, rows, codes, path.name, signature_state)
        if ids:
            audit.record(session, actor, AccessOperation.COLLECTION, "notice_import", path.name,
                         detail=f"{added} notices added, {len(ids) - added} updated from {len(rows)} rows")
        uow.commit()
    from app.services import matching  # new or changed notices are matched against the register

    matching.match_notices(uow, actor, ids)
    summary = ImportSummary(path.name, len(rows), added, len(ids) - added, len(rows) - len(ids), tuple(ids))
    return summary, ids


def _row_checks(rows: list[Row], codes: dict[str, str]) -> list[RowError]:
    errors: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for r in rows:
        for col in ("issuing_force", "employing_force"):
            if r[col] and r[col].lower() not in codes:
                errors.append(RowError(r.line, col, f"'{r[col]}' is not a known force code"))
        key = ((r["issuing_force"] or "").lower(), r["notice_id"])
        if key in seen:
            errors.append(RowError(r.line, "notice_id", f"{r['notice_id']} from {r['issuing_force']} is also on line {seen[key]}"))
        seen.setdefault(key, r.line)
    return errors


def _values(r: Row, codes: dict[str, str]) -> dict[str, Any]:
    born, year_only = r["date_of_birth"] or (None, False)
    return {
        "notice_date": r["notice_date"], "record_type": r["record_type"].name, "surname": r["surname"],
        "forenames": r["forenames"], "date_of_birth": born, "dob_year_only": year_only, "staff_number": r["staff_number"],
        "warrant_number": r["warrant_number"], "pnc_id": r["pnc_id"],
        "employing_force": codes[r["employing_force"].lower()] if r["employing_force"] else None,
        "summary": r["summary"], "handling": r["handling"],
    }


BATCH = 5000
_TABLE = NoticeRow.__table__


def _apply(session: Session, rows: list[Row], codes: dict[str, str], source: str,
           signature_state: str) -> tuple[list[int], int]:
    """Insert new notices and update changed ones in batches of plain rows (a million ORM objects
    would take gigabytes); returns the ids added or changed, and how many were added."""
    existing = _existing(session)
    fresh: list[dict[str, Any]] = []
    changed: list[int] = []
    now = clock.now()
    for r in rows:
        issuer = codes[r["issuing_force"].lower()]
        values = _values(r, codes)
        held = existing.get((issuer, r["notice_id"]))
        if held is None:
            fresh.append({"issuing_force": issuer, "notice_ref": r["notice_id"], "source_file": source,
                          "signature_state": signature_state, "received_at": now, "version": 1, **values})
        elif tuple(values[k] for k in _COMPARED) != held[1]:
            session.execute(update(_TABLE).where(_TABLE.c.id == held[0]).values(**values, version=_TABLE.c.version + 1))
            changed.append(held[0])
    added: list[int] = []
    for start in range(0, len(fresh), BATCH):
        added += session.scalars(insert(_TABLE).returning(_TABLE.c.id, sort_by_parameter_order=True),
                                 fresh[start:start + BATCH]).all()
    return added + changed, len(added)


_COMPARED = (*FIELDS[:5], "dob_year_only", *FIELDS[5:])


def _existing(session: Session) -> dict[tuple[str, str], tuple[int, tuple[Any, ...]]]:
    """Held notices by natural key: their id and the values an import may change, as plain tuples."""
    columns = [_TABLE.c[name] for name in _COMPARED]
    stmt = select(_TABLE.c.id, _TABLE.c.issuing_force, _TABLE.c.notice_ref, *columns)
    return {(row[1], row[2]): (row[0], tuple(row[3:])) for row in session.execute(stmt.execution_options(yield_per=20000))}
